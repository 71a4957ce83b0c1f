"""Every behaviour NexusLIMS's own tests check for external user ids, on the in-memory adapters,
SQLite and PostgreSQL, plus concurrent upserts."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest

from nexus.app import Nexus
from nexus.lab import ExternalSystem
from nexus.shared.errors import ConflictError, ValidationError

NEMO = ExternalSystem.NEMO
ELN = ExternalSystem.LABARCHIVES_ELN
CDCS = ExternalSystem.CDCS


def test_store_and_fetch(app: Nexus) -> None:
    record = app.lab.store_external_id(
        "jsmith", ELN, "285489257Ho...", email="jsmith@upenn.edu", notes="OAuth registration"
    )
    assert (record.nexuslims_username, record.external_system) == ("jsmith", "labarchives_eln")
    assert (record.email, record.notes) == ("jsmith@upenn.edu", "OAuth registration")
    assert record.created_at == app.container.clock().now()
    assert record.last_verified_at is None
    assert app.lab.get_external_id("jsmith", ELN) == "285489257Ho..."
    assert app.lab.get_external_id("jsmith", "labarchives_eln") == "285489257Ho..."
    assert app.lab.get_external_id("nobody", ELN) is None
    assert app.lab.store_external_id("jdoe", NEMO, "12345").email is None


def test_reverse_lookup(app: Nexus) -> None:
    app.lab.store_external_id("jsmith", NEMO, "12345")
    app.lab.store_external_id("jdoe", ELN, "uid_abc_123")
    assert app.lab.get_nexuslims_username("12345", NEMO) == "jsmith"
    assert app.lab.get_nexuslims_username("uid_abc_123", ELN) == "jdoe"
    assert app.lab.get_nexuslims_username("nonexistent_id", NEMO) is None
    assert app.lab.get_nexuslims_username("12345", CDCS) is None


def test_update_keeps_id_and_created_at_and_sets_last_verified_at(app: Nexus) -> None:
    original = app.lab.store_external_id("jsmith", NEMO, "12345")
    app.container.clock().advance(timedelta(hours=1))
    updated = app.lab.store_external_id("jsmith", NEMO, "67890")
    assert updated.id == original.id
    assert updated.created_at == original.created_at
    assert updated.last_verified_at == original.created_at + timedelta(hours=1)
    assert app.lab.get_external_id("jsmith", NEMO) == "67890"
    stored = app.lab.get_external_mapping("jsmith", NEMO)
    assert stored is not None
    assert (stored.id, stored.created_at) == (original.id, original.created_at)
    assert stored.last_verified_at == updated.last_verified_at


def test_email_and_notes_kept_when_not_given_and_added_later(app: Nexus) -> None:
    app.lab.store_external_id("jdoe", ELN, "uid_123")
    added = app.lab.store_external_id(
        "jdoe", ELN, "uid_123", email="jdoe@upenn.edu", notes="Updated via admin portal"
    )
    assert (added.email, added.notes) == ("jdoe@upenn.edu", "Updated via admin portal")
    kept = app.lab.store_external_id("jdoe", ELN, "uid_456")
    assert (kept.email, kept.notes) == ("jdoe@upenn.edu", "Updated via admin portal")
    assert kept.last_verified_at is not None


def test_one_row_per_user_and_system(app: Nexus) -> None:
    app.lab.store_external_id("jsmith", NEMO, "12345")
    app.lab.store_external_id("jsmith", NEMO, "67890")
    assert app.lab.get_all_external_ids("jsmith") == {"nemo": "67890"}


def test_same_external_id_allowed_in_two_systems(app: Nexus) -> None:
    app.lab.store_external_id("jsmith", NEMO, "12345")
    app.lab.store_external_id("jsmith", CDCS, "12345")
    app.lab.store_external_id("jdoe", ELN, "12345")
    assert app.lab.get_external_id("jsmith", NEMO) == "12345"
    assert app.lab.get_external_id("jsmith", CDCS) == "12345"
    assert app.lab.get_nexuslims_username("12345", ELN) == "jdoe"


def test_another_user_holding_the_external_id_is_a_conflict(app: Nexus) -> None:
    app.lab.store_external_id("jsmith", NEMO, "12345")
    with pytest.raises(ConflictError, match="external_system\\+external_id"):
        app.lab.store_external_id("jdoe", NEMO, "12345")
    app.lab.store_external_id("jdoe", NEMO, "999")
    with pytest.raises(ConflictError, match="another user"):
        app.lab.store_external_id("jdoe", NEMO, "12345")
    assert app.lab.get_all_external_ids("jdoe") == {"nemo": "999"}
    assert app.lab.get_nexuslims_username("12345", NEMO) == "jsmith"


@pytest.mark.parametrize("system", ["invalid_system", "NEMO", "sharepoint", ""])
def test_unknown_system_is_refused(app: Nexus, system: str) -> None:
    with pytest.raises(ValidationError) as raised:
        app.lab.store_external_id("jsmith", system, "12345")
    assert raised.value.field == "external_user_identifiers.external_system"
    with pytest.raises(ValidationError):
        app.lab.get_external_id("jsmith", system)
    assert app.lab.get_all_external_ids("jsmith") == {}


def test_all_four_systems_and_isolation_per_user(app: Nexus) -> None:
    for i, system in enumerate(ExternalSystem):
        app.lab.store_external_id("jdoe", system, f"doe-{i}")
    app.lab.store_external_id("jsmith", NEMO, "smith-nemo")
    assert app.lab.get_all_external_ids("jdoe") == {
        "nemo": "doe-0",
        "labarchives_eln": "doe-1",
        "labarchives_scheduler": "doe-2",
        "cdcs": "doe-3",
    }
    assert app.lab.get_all_external_ids("jsmith") == {"nemo": "smith-nemo"}
    assert app.lab.get_all_external_ids("unknown") == {}


@pytest.mark.parametrize(
    "external_id",
    ["x" * 500, "user@domain.com|uid:12345_abc-xyz", "ユーザー🔐", "🧪" * 500],
)
def test_unicode_special_and_500_character_ids(app: Nexus, external_id: str) -> None:
    record = app.lab.store_external_id(
        "jsmith", ELN, external_id, notes="Created via OAuth 🔐 on 2026-01-25"
    )
    assert record.notes is not None
    assert "🔐" in record.notes
    assert app.lab.get_external_id("jsmith", ELN) == external_id
    assert app.lab.get_nexuslims_username(external_id, ELN) == "jsmith"
    with pytest.raises(ValidationError, match="at most 500"):
        app.lab.store_external_id("jsmith", ELN, external_id + "x" * (501 - len(external_id)))


def test_repr_names_username_system_and_id(app: Nexus) -> None:
    text = repr(app.lab.store_external_id("jsmith", ELN, "uid_abc123"))
    assert "ExternalUserIdentifier" in text
    assert "username=jsmith" in text
    assert "system=labarchives_eln" in text
    assert "external_id=uid_abc123" in text


def _at_once(count: int, action: Any) -> list[BaseException | None]:
    barrier = threading.Barrier(count)
    outcomes: list[BaseException | None] = [None] * count

    def run(i: int) -> None:
        barrier.wait(timeout=10)
        try:
            action(i)
        except BaseException as error:
            outcomes[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.parametrize("rounds", [range(5)])
def test_concurrent_upserts_of_one_user_and_system_leave_one_row(app: Nexus, rounds: range) -> None:
    for r in rounds:
        user = f"racer{r}"
        outcomes = _at_once(4, lambda i, u=user: app.lab.store_external_id(u, NEMO, f"{u}-{i}"))
        assert outcomes == [None] * 4
        ids = app.lab.get_all_external_ids(user)
        assert list(ids) == ["nemo"]
        assert ids["nemo"] in {f"{user}-{i}" for i in range(4)}


def test_concurrent_claims_of_one_external_id_by_two_users(app: Nexus) -> None:
    outcomes = _at_once(2, lambda i: app.lab.store_external_id(f"user{i}", NEMO, "shared-id"))
    errors = [e for e in outcomes if e is not None]
    assert len(errors) == 1
    assert isinstance(errors[0], ConflictError)
    owner = app.lab.get_nexuslims_username("shared-id", NEMO)
    assert owner in {"user0", "user1"}
    loser = "user1" if owner == "user0" else "user0"
    assert app.lab.get_all_external_ids(loser) == {}
