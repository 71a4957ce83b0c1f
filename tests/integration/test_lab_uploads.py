"""Upload log input refused before anything is written (found in review), on memory, SQLite and
PostgreSQL: metadata nested too deeply, and one bare string given as the destinations."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from nexus.app import Nexus
from nexus.lab.domain.uploads import METADATA_MAX_DEPTH
from nexus.shared.errors import ValidationError
from tests.factories import make_instrument


@pytest.fixture
def lab(app: Nexus) -> Any:
    pid = make_instrument().instrument_pid
    app.lab.register_instrument(**make_instrument(instrument_pid=pid).to_dict())
    app.lab.insert_log(
        session_identifier="s1",
        instrument=pid,
        timestamp=datetime(2026, 1, 5, 9, tzinfo=UTC),
        event_type="START",
    )
    return app.lab


def nested(depth: int) -> dict[str, Any]:
    """An object `depth` levels deep: {"a": {"a": ... {}}}."""
    document: dict[str, Any] = {}
    for _ in range(depth - 1):
        document = {"a": document}
    return document


def test_metadata_nested_too_deeply_is_refused_and_the_limit_is_taken(lab: Any) -> None:
    for depth in (METADATA_MAX_DEPTH + 1, 5_000):
        with pytest.raises(ValidationError) as caught:
            lab.record_upload(
                session_identifier="s1",
                destination_name="cdcs",
                success=True,
                metadata=nested(depth),
            )
        assert str(caught.value) == "upload_log.metadata: must be nested at most 64 levels deep"
    looped: dict[str, Any] = {}
    looped["self"] = looped
    with pytest.raises(ValidationError, match=r"^upload_log\.metadata: must be nested"):
        lab.record_upload(
            session_identifier="s1", destination_name="cdcs", success=True, metadata=looped
        )
    assert lab.is_exported("s1", ["cdcs"]) is False  # nothing was written
    deepest = nested(METADATA_MAX_DEPTH)
    stored = lab.record_upload(
        session_identifier="s1", destination_name="cdcs", success=True, metadata=deepest
    )
    assert stored.metadata == deepest
    assert lab.is_exported("s1", ["cdcs"]) is True


def test_one_bare_string_as_the_destinations_is_refused(lab: Any) -> None:
    lab.record_upload(session_identifier="s1", destination_name="cdcs", success=True)
    for bare in ("cdcs", "labarchives"):
        with pytest.raises(ValidationError) as caught:
            lab.is_exported("s1", bare)
        assert str(caught.value).startswith("destinations: must be a ")
    assert lab.is_exported("s1", ["cdcs"]) is True
    assert lab.is_exported("s1", ("cdcs", "labarchives")) is False
    assert lab.is_exported("s1", iter(["cdcs"])) is True
