"""Races on every adapter: concurrent "sync agents" leave one row per class; two owners
removing each other at once leave the workspace with an owner."""

from __future__ import annotations

import functools
import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

from nexus.app import Nexus
from nexus.identity import OPERATOR
from nexus.shared.errors import DomainError
from tests.integration.workspaces_world import build, people

ROUNDS = 4
THREADS = 4


def _together(actions: list[Callable[[], Any]]) -> list[Any]:
    barrier = threading.Barrier(len(actions))
    results: list[Any] = [None] * len(actions)

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = actions[i]()
        except DomainError as error:
            results[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(actions))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_concurrent_syncs_leave_one_row_per_class(
    app: Nexus, figure: Callable[[str], None]
) -> None:
    users = people(app)
    world = build(app, users)
    ws = app.workspaces
    succeeded = 0
    for round_ in range(ROUNDS):
        listing = [
            {"class_name": f"agents.R{round_}C{i}", "name": f"Agent {i} v{round_}"}
            for i in range(5)
        ]
        sync = functools.partial(ws.sync_agents, world.workspace, listing, actor=users["owner"])
        results = _together([sync] * THREADS)
        errors = [r for r in results if isinstance(r, DomainError)]
        assert errors == []
        succeeded += len(results)
        classes = Counter(a.class_name for a in ws.list_agents(world.workspace, actor=OPERATOR))
        assert all(n == 1 for n in classes.values()), classes
        assert sum(1 for r in results if r.added) >= 1
    figure(f"workspaces: {succeeded} concurrent agent syncs, one row per class every time")


def test_two_owners_removing_each_other_leave_an_owner(app: Nexus) -> None:
    for _ in range(ROUNDS):
        users = people(app)
        world = build(app, users)
        ws, a, b = app.workspaces, users["owner"], users["owner2"]
        results = _together(
            [
                functools.partial(ws.remove_member, world.workspace, b, actor=a),
                functools.partial(ws.remove_member, world.workspace, a, actor=b),
            ]
        )
        owners = [m for m in ws.list_members(world.workspace, actor=OPERATOR) if m.role == "owner"]
        assert len(owners) == 1, results
        assert sum(1 for r in results if isinstance(r, DomainError)) == 1
        assert ws.get_workspace(world.workspace, actor=OPERATOR).owner_id == owners[0].user_id
