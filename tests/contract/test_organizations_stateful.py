"""Hypothesis stateful test: organization and membership use cases (permissions, the last-owner
rule) give the same results and errors on the in-memory adapters and on SQLite."""

from __future__ import annotations

import re
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from nexus.app import Nexus
from nexus.settings import Settings
from nexus.shared.clock import FixedClock
from nexus.shared.errors import DomainError
from tests.conftest import make_container

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
PEOPLE = ["ada", "bob", "cy", "dee"]
WHO = st.sampled_from(PEOPLE)
SLUGS = st.sampled_from(["acme", "bee-co"])
ROLES = st.sampled_from(["owner", "admin", "member", "emperor"])


def _plain(value: Any) -> Any:
    """Results without ids, which each side generates for itself."""
    if hasattr(value, "to_json"):
        value = value.to_json()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k != "id" and not k.endswith("_id")}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


class Side:
    """One app and its own ids for the same people and organizations."""

    def __init__(self, app: Nexus) -> None:
        self.app = app
        self.users = {
            name: app.identity.register_user(
                email=f"{name}@example.org", name=name, password="correct horse battery"
            ).id
            for name in PEOPLE
        }
        self.orgs: dict[str, Any] = {}

    def org(self, slug: str) -> Any:
        # An unknown slug maps to an id nobody has: the use case must say "not found".
        return self.orgs.get(slug, "00000000-0000-7000-8000-000000000000")


def test_memory_and_sqlite_organizations_agree(
    migrated_sqlite_template: Path, cheap_hasher: Any
) -> None:
    class Machine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.dir = Path(tempfile.mkdtemp())
            shutil.copyfile(migrated_sqlite_template, self.dir / "orgs.db")
            url = f"sqlite:///{self.dir / 'orgs.db'}"
            now = datetime(2026, 3, 1, tzinfo=UTC)
            self.sides = [
                Side(
                    Nexus(
                        make_container(p, u, FixedClock(now), cheap_hasher),
                        Settings(database_url=u, persistence=p),
                    )
                )
                for p, u in (("memory", "sqlite://"), ("sqlalchemy", url))
            ]

        def both(self, call: Any) -> Any:
            outcomes = []
            for side in self.sides:
                try:
                    outcomes.append(("ok", _plain(call(side))))
                except DomainError as error:
                    message = _UUID.sub("<id>", str(error))
                    outcomes.append(("error", type(error).__name__, message))
            assert outcomes[0] == outcomes[1]
            return outcomes[0]

        @rule(slug=SLUGS, owner=WHO)
        def create(self, slug: str, owner: str) -> None:
            def call(side: Side) -> Any:
                result = side.app.identity.create_organization(
                    name=slug.title(), slug=slug, owner_id=side.users[owner]
                )
                side.orgs[slug] = result.id
                return result

            self.both(call)

        @rule(slug=SLUGS, who=WHO, role=ROLES, actor=WHO)
        def add(self, slug: str, who: str, role: str, actor: str) -> None:
            self.both(
                lambda s: s.app.identity.add_organization_member(
                    s.org(slug), s.users[who], role=role, actor=s.users[actor]
                )
            )

        @rule(slug=SLUGS, who=WHO, role=ROLES, actor=WHO)
        def change(self, slug: str, who: str, role: str, actor: str) -> None:
            self.both(
                lambda s: s.app.identity.change_member_role(
                    s.org(slug), s.users[who], role, actor=s.users[actor]
                )
            )

        @rule(slug=SLUGS, who=WHO, actor=WHO)
        def remove(self, slug: str, who: str, actor: str) -> None:
            self.both(
                lambda s: s.app.identity.remove_organization_member(
                    s.org(slug), s.users[who], actor=s.users[actor]
                )
            )

        @invariant()
        def same_memberships(self) -> None:
            for person in PEOPLE:
                self.both(lambda s, p=person: s.app.identity.list_organizations(actor=s.users[p]))
                for slug in ("acme", "bee-co"):
                    self.both(
                        lambda s, p=person, o=slug: s.app.identity.list_organization_members(
                            s.org(o), actor=s.users[p]
                        )
                    )

        def teardown(self) -> None:
            for side in self.sides:
                side.app.close()
            shutil.rmtree(self.dir, ignore_errors=True)

    Machine.TestCase.settings = settings(
        max_examples=20,
        stateful_step_count=15,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    Machine.TestCase().runTest()
