"""Secrets at rest on every adapter: no plaintext in a dump of every table; a changed, moved or
re-labelled ciphertext is refused; a missing key is a clear error; rotation killed at every
write step then resumed loses nothing, and never overwrites a value written meanwhile."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from nexus.app import Nexus
from nexus.identity import OPERATOR
from nexus.workspaces.application.facade import WorkspacesFacade
from nexus.workspaces.domain.secrets import (
    SecretKeyMissingError,
    SecretTamperedError,
    format_ciphertext,
    parse_ciphertext,
)
from nexus.workspaces.infrastructure.key_ring import KeyRing, new_key
from nexus.workspaces.infrastructure.repositories import WorkspacesUnitOfWork
from nexus.workspaces.infrastructure.secret_cipher import AesGcmSecretCipher
from tests.integration.test_identity_secrets import _dump
from tests.integration.workspaces_world import World, build, people

VALUES = {"OPENAI_API_KEY": "sk-PLAINTEXT-openai-1", "GITHUB_TOKEN": "ghp-PLAINTEXT-gh-2"}


def _uow(app: Nexus) -> WorkspacesUnitOfWork:
    return WorkspacesUnitOfWork(app.container.tables())


def _stored(app: Nexus, workspace: uuid.UUID, key: str) -> tuple[uuid.UUID, str]:
    with _uow(app) as tx:
        secret = tx.secrets.find_by_key(workspace, key)  # type: ignore[arg-type]
        assert secret is not None
        return secret.id, secret.encrypted_value


def _write(app: Nexus, table: str, workspace: uuid.UUID, row: uuid.UUID, value: str) -> None:
    """Put a ciphertext in a row behind the application's back (an attacker with the DB)."""
    with _uow(app) as tx:
        repository = getattr(tx, table)
        current = repository.get(workspace, row)
        old = current.encrypted_value if table == "secrets" else current.api_key
        assert repository.swap_ciphertext(workspace, row, old, value)
        tx.commit()


def _world(app: Nexus) -> World:
    world = build(app, people(app))
    for key, value in VALUES.items():
        app.workspaces.set_secret(world.workspace, key, value, actor=OPERATOR)
    return world


def _facade(app: Nexus, ring: KeyRing, uow: Any = None) -> WorkspacesFacade:
    """The app's use cases with another key ring (and optionally a wrapped unit of work)."""
    container = app.container
    return WorkspacesFacade(
        uow=uow or container.workspaces.uow(),
        clock=container.clock(),
        cipher=AesGcmSecretCipher(ring),
        users=container.user_directory(),
    )


def _ring(app: Nexus) -> KeyRing:
    return app.container.workspaces.key_ring()


def test_no_plaintext_in_a_dump_of_every_table(app: Nexus, figure: Callable[[str], None]) -> None:
    world = _world(app)
    dump = _dump(app)
    plaintexts = [*VALUES.values(), "abi-key", "inf-key", "sk-world"]
    found = [p for p in plaintexts if p in dump]
    figure(f"workspaces secrets found in a dump of every table: {len(found)}")
    assert found == []
    shown = repr(app.workspaces.list_secrets(world.workspace, actor=OPERATOR))
    shown += repr(app.workspaces.list_abi_servers(world.workspace, actor=OPERATOR))
    shown += repr(app.workspaces.get_secret(world.workspace, "GITHUB_TOKEN", actor=OPERATOR))
    assert not any(p in shown for p in plaintexts)
    assert (
        app.workspaces.get_secret(world.workspace, "GITHUB_TOKEN", actor=OPERATOR).reveal()
        == (VALUES["GITHUB_TOKEN"])
    )


def _flip(ciphertext: str, position: int) -> str:
    version, payload = parse_ciphertext(ciphertext)
    changed = bytearray(payload)
    changed[position] ^= 0x01
    return format_ciphertext(version, bytes(changed))


def test_changed_moved_or_relabelled_ciphertexts_are_refused(
    app: Nexus, figure: Callable[[str], None]
) -> None:
    world = _world(app)
    other = _world(app)
    ws = app.workspaces
    key_id, original = _stored(app, world.workspace, "OPENAI_API_KEY")
    _gh_id, github = _stored(app, world.workspace, "GITHUB_TOKEN")
    _, foreign = _stored(app, other.workspace, "OPENAI_API_KEY")
    length = len(parse_ciphertext(original)[1])
    cases = {
        "nonce byte": _flip(original, 0),
        "body byte": _flip(original, 13),
        "tag byte": _flip(original, length - 1),
        "truncated": format_ciphertext(1, parse_ciphertext(original)[1][:-1]),
        "moved from another key": github,
        "moved from another workspace": foreign,
    }
    refused = 0
    for case, value in cases.items():
        _write(app, "secrets", world.workspace, key_id, value)
        with pytest.raises(SecretTamperedError):
            ws.get_secret(world.workspace, "OPENAI_API_KEY", actor=OPERATOR)
            pytest.fail(case)
        refused += 1
    # A secret's ciphertext put in a server's api_key column (same workspace) is refused too.
    _write(app, "abi_servers", world.workspace, world.abi, original)
    with pytest.raises(SecretTamperedError):
        ws.get_abi_server_api_key(world.workspace, world.abi, actor=OPERATOR)
    refused += 1
    # Re-labelled to a version the ring does not hold: a clear "key missing" error.
    relabelled = format_ciphertext(7, parse_ciphertext(original)[1])
    _write(app, "secrets", world.workspace, key_id, relabelled)
    with pytest.raises(SecretKeyMissingError, match="version 7"):
        ws.get_secret(world.workspace, "OPENAI_API_KEY", actor=OPERATOR)
    refused += 1
    _write(app, "secrets", world.workspace, key_id, original)
    assert (
        ws.get_secret(world.workspace, "OPENAI_API_KEY", actor=OPERATOR).reveal()
        == (VALUES["OPENAI_API_KEY"])
    )
    figure(f"workspaces secrets: {refused} tampered, moved or re-labelled ciphertexts refused")


def test_without_the_key_reading_is_a_clear_error(app: Nexus) -> None:
    world = _world(app)
    stranger = _facade(app, KeyRing({1: new_key()}))  # same version, another key
    with pytest.raises(SecretTamperedError):
        stranger.get_secret(world.workspace, "OPENAI_API_KEY", actor=OPERATOR)
    newer_only = _facade(app, KeyRing({2: new_key()}))
    with pytest.raises(SecretKeyMissingError, match="version 1 is not in the key ring") as error:
        newer_only.get_secret(world.workspace, "OPENAI_API_KEY", actor=OPERATOR)
    assert VALUES["OPENAI_API_KEY"] not in str(error.value)
    report = newer_only.rotate_secrets()
    assert len(report.unreadable) == 4
    assert not report.complete
    assert all(VALUES["OPENAI_API_KEY"] not in row for row in report.unreadable)


class KilledError(Exception):
    """The process died here."""


class KillingUnitOfWork:
    """A unit-of-work factory whose `at`-th commit dies before it reaches the database, and
    which can run a concurrent write just before a given unit of work opens."""

    def __init__(self, factory: Callable[[], Any], at: int | None = None) -> None:
        self.factory = factory
        self.at = at
        self.commits = 0
        self.opened = 0
        self.before_open: dict[int, Callable[[], None]] = {}

    def __call__(self) -> Any:
        self.opened += 1
        hook = self.before_open.pop(self.opened, None)
        if hook is not None:
            hook()
        uow = self.factory()
        original = uow.commit

        def commit() -> None:
            self.commits += 1
            if self.commits == self.at:
                raise KilledError
            original()

        uow.commit = commit
        return uow


def _values(app: Nexus, facade: WorkspacesFacade, world: World) -> dict[str, str]:
    got = {key: facade.get_secret(world.workspace, key, actor=OPERATOR).reveal() for key in VALUES}
    abi = facade.get_abi_server_api_key(world.workspace, world.abi, actor=OPERATOR)
    inference = facade.get_inference_server_api_key(
        world.workspace, world.inference, actor=OPERATOR
    )
    assert abi is not None
    assert inference is not None
    return {**got, "abi": abi.reveal(), "inference": inference.reveal()}


def _ciphertexts(app: Nexus) -> dict[tuple[str, Any, Any], str]:
    with _uow(app) as tx:
        rows: dict[tuple[str, Any, Any], str] = {}
        for s in tx.secrets.page(1000, 0):
            rows[("secrets", s.workspace_id, s.id)] = s.encrypted_value
        for table in ("abi_servers", "inference_servers"):
            for server in getattr(tx, table).page(1000, 0):
                if server.api_key is not None:
                    rows[(table, server.workspace_id, server.id)] = server.api_key
        return rows


def test_rotation_killed_at_every_write_then_resumed_loses_nothing(
    app: Nexus, figure: Callable[[str], None]
) -> None:
    worlds = [_world(app), _world(app)]
    old_ring = _ring(app)
    ring = KeyRing({**old_ring.keys, old_ring.newest + 1: new_key()})
    before = [_values(app, app.workspaces, w) for w in worlds]
    original = _ciphertexts(app)
    writes = len(original)
    survived = 0
    for at in range(1, writes + 1):
        killing = KillingUnitOfWork(app.container.workspaces.uow(), at=at)
        with pytest.raises(KilledError):
            _facade(app, ring, killing).rotate_secrets()
        report = _facade(app, ring).rotate_secrets()  # resumed after the crash
        assert (report.complete, report.rotated) == (True, writes - at + 1), at
        rotated = _ciphertexts(app)
        assert {parse_ciphertext(v)[0] for v in rotated.values()} == {ring.newest}
        assert [_values(app, _facade(app, ring), w) for w in worlds] == before
        survived += 1
        for (table, workspace, row), value in original.items():  # back to the old key
            _write(app, table, workspace, row, value)
    figure(f"workspaces rotation: killed at each of {survived} write steps, resumed, none lost")
    assert survived == writes == 8  # per world: 2 secrets, 2 server keys


def test_rotation_never_overwrites_a_value_written_meanwhile(app: Nexus) -> None:
    world = _world(app)
    old_ring = _ring(app)
    ring = KeyRing({**old_ring.keys, old_ring.newest + 1: new_key()})
    with _uow(app) as tx:
        first = tx.secrets.for_workspace(world.workspace)[0].key  # type: ignore[arg-type]
    wrapped = KillingUnitOfWork(app.container.workspaces.uow())
    newer = _facade(app, ring)
    # Units of work: 1 lists workspace ids, 2 reads the workspace's rows, 3 is the first swap
    # (secrets come first, by key): the value changes just before it.
    wrapped.before_open[3] = lambda: newer.set_secret(
        world.workspace, first, "written meanwhile", actor=OPERATOR
    )
    report = _facade(app, ring, wrapped).rotate_secrets()
    assert report.changed_meanwhile == 1
    assert newer.get_secret(world.workspace, first, actor=OPERATOR).reveal() == "written meanwhile"
    assert newer.rotate_secrets().already_current == report.rotated + report.changed_meanwhile + (
        report.already_current
    )
