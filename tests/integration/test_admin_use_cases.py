"""The use cases the command line's admin commands needed, on every adapter: unlock a user
without a password reset, forget an external id, list a session's upload log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from nexus.app import Nexus
from nexus.identity import OPERATOR
from nexus.shared.errors import AuthenticationError, PermissionDeniedError
from tests.conftest import unique_email
from tests.factories import make_instrument

PASSWORD = "correct horse battery"


def test_an_operator_unlocks_a_locked_user_and_it_is_audited(app: Nexus) -> None:
    identity = app.identity
    user = identity.register_user(email=unique_email(), name="Ada", password=PASSWORD)
    other = identity.register_user(email=unique_email(), name="Bob", password=PASSWORD)
    for _ in range(5):
        with pytest.raises(AuthenticationError):
            identity.authenticate(email=user.email, password="wrong password!")
    assert identity.get_user(user.id).is_locked
    with pytest.raises(PermissionDeniedError):
        identity.unlock_user(user.id, actor=other.id)
    assert identity.get_user(user.id).is_locked
    unlocked = identity.unlock_user(user.id, actor=OPERATOR)
    assert not unlocked.is_locked
    assert identity.authenticate(email=user.email, password=PASSWORD).id == user.id
    events = identity.list_audit_events(actor=OPERATOR, action="user.unlocked")
    assert [e.resource_id for e in events] == [str(user.id)]


def test_an_external_id_is_deleted_once(app: Nexus) -> None:
    lab = app.lab
    lab.store_external_id("jsmith", "nemo", "12345")
    lab.store_external_id("jsmith", "cdcs", "js")
    assert lab.delete_external_id("jsmith", "nemo") is True
    assert lab.get_all_external_ids("jsmith") == {"cdcs": "js"}
    assert lab.delete_external_id("jsmith", "nemo") is False
    # The id is free again for another user.
    assert lab.store_external_id("adoe", "nemo", "12345").nexuslims_username == "adoe"


def test_a_sessions_upload_log_is_listed_oldest_first(app: Nexus) -> None:
    lab = app.lab
    instrument = make_instrument()
    lab.register_instrument(**instrument.to_dict())
    start = datetime(2026, 1, 5, 14, tzinfo=UTC)
    for event, at in (("START", start), ("END", start + timedelta(hours=2))):
        lab.insert_log(
            session_identifier="S1",
            instrument=instrument.instrument_pid,
            timestamp=at,
            event_type=event,
            user="jsmith",
        )
    lab.record_upload(
        session_identifier="S1", destination_name="cdcs", success=False,
        error_message="timeout", timestamp=start + timedelta(hours=4),
    )  # fmt: skip
    lab.record_upload(
        session_identifier="S1", destination_name="cdcs", success=True,
        record_id="r1", timestamp=start + timedelta(hours=3),
    )  # fmt: skip
    listed = lab.list_uploads("S1")
    assert [(u.success, u.record_id, u.error_message) for u in listed] == [
        (True, "r1", None),
        (False, None, "timeout"),
    ]
    assert lab.list_uploads("no-such-session") == []
