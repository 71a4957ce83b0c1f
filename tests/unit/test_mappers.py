"""Every registered mapper: covers every field, round-trips, and applying twice changes nothing."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from sqlalchemy import inspect
from sqlalchemy.orm.attributes import set_committed_value

import nexus.records  # noqa: F401  (registers every mapper)
from nexus.persistence.mapper import Mapper, MappingError, registry
from nexus.persistence.repository import BaseRepository
from nexus.workspaces.domain.apps import AppConfig
from nexus.workspaces.infrastructure.records import app_config_mapper
from tests.factories import EXAMPLES

MAPPERS = list(registry)


def test_every_registered_entity_has_an_example() -> None:
    assert len(MAPPERS) >= 1
    missing = [m.entity.__name__ for m in MAPPERS if m.entity not in EXAMPLES]
    assert missing == []


@pytest.mark.parametrize("mapper", MAPPERS, ids=lambda m: m.entity.__name__)
def test_every_field_and_column_is_mapped_or_excluded(mapper: Mapper[Any, Any]) -> None:
    fields = {f.name for f in attrs.fields(mapper.entity) if f.init}
    columns = {p.key for p in inspect(mapper.record).column_attrs}
    assert fields == set(mapper.mapped_fields) | mapper.exclude_fields
    mapped_columns = set(mapper.to_values(EXAMPLES[mapper.entity]()))
    assert columns == mapped_columns | mapper.exclude_columns


@pytest.mark.parametrize("mapper", MAPPERS, ids=lambda m: m.entity.__name__)
def test_entity_to_record_to_entity_is_the_identity(mapper: Mapper[Any, Any]) -> None:
    entity = EXAMPLES[mapper.entity]()
    loaded = mapper.to_entity(mapper.to_record(entity))
    assert loaded == entity
    # The fast reconstitution path gives exactly what the validating constructor gives.
    assert mapper.validated_entity(mapper.to_record(entity)) == loaded
    assert {k: type(v) for k, v in attrs.asdict(loaded, recurse=False).items()} == {
        k: type(v) for k, v in attrs.asdict(entity, recurse=False).items()
    }


@pytest.mark.parametrize("mapper", MAPPERS, ids=lambda m: m.entity.__name__)
def test_the_values_function_gives_the_row_of_the_entity(mapper: Mapper[Any, Any]) -> None:
    """The bulk path's row from field values (any field order) is `row_of`'s row; with a
    column order and processors, the processed values in that order, the same when built
    again (each column keeps its last processed value)."""
    if mapper._splits:
        with pytest.raises(MappingError):
            mapper.values_function(mapper.mapped_fields)
        return
    entity = EXAMPLES[mapper.entity]()
    fields = tuple(reversed(mapper.mapped_fields))
    values = [getattr(entity, f) for f in fields]
    row = mapper.row_of(entity)
    assert mapper.values_function(fields)(values) == row
    columns = list(reversed(mapper.columns))
    seen: list[Any] = []

    def tagged(value: Any) -> Any:
        seen.append(value)
        return None if value is None else ("processed", value)

    build = mapper.values_function(fields, columns, dict.fromkeys(columns, tagged))
    expected = tuple(None if row[c] is None else ("processed", row[c]) for c in columns)
    assert build(values) == expected
    assert build(values) == expected
    with pytest.raises(MappingError):
        mapper.values_function(fields[1:])
    with pytest.raises(MappingError):
        mapper.values_function((*fields, "not_a_field"))


def test_a_reconstituted_entity_still_validates_assignments() -> None:
    from nexus.identity.domain.users import User
    from nexus.shared.errors import ValidationError

    mapper = registry.for_entity(User)
    user = mapper.to_entity(mapper.to_record(EXAMPLES[User]()))
    with pytest.raises(ValidationError):
        user.name = ""


def _as_loaded(mapper: Mapper[Any, Any], entity: Any) -> Any:
    """A record in the state the ORM leaves it after loading the entity's row."""
    record = mapper.record()
    for key, value in mapper.to_values(entity).items():
        set_committed_value(record, key, value)
    return record


def _changed(record: Any) -> set[str]:
    return {a.key for a in inspect(record).attrs if a.history.has_changes()}


@pytest.mark.parametrize("mapper", MAPPERS, ids=lambda m: m.entity.__name__)
def test_applying_an_entity_twice_changes_nothing(mapper: Mapper[Any, Any]) -> None:
    entity = EXAMPLES[mapper.entity]()
    record = _as_loaded(mapper, entity)
    mapper.apply(entity, record)
    assert _changed(record) == set()

    other = EXAMPLES[mapper.entity]()
    mapper.apply(other, record)
    first = _changed(record)
    values = mapper.to_values(other)
    mapper.apply(other, record)
    assert _changed(record) == first
    assert {k: getattr(record, k) for k in values} == values


def test_a_gap_in_a_mapper_is_an_error_when_it_is_built() -> None:
    from nexus.identity.domain.users import User
    from nexus.identity.infrastructure.records import UserRecord

    with pytest.raises(MappingError, match="not mapped"):
        Mapper(User, UserRecord, exclude_fields=["bio"])
    with pytest.raises(MappingError, match="has no column"):
        Mapper(User, UserRecord, renames={"bio": "biography"})


def test_a_split_field_covers_its_columns_and_is_checked() -> None:
    from nexus.lab.domain.session_log import SessionLogEntry
    from nexus.lab.domain.timestamps import join_instant, split_instant
    from nexus.lab.infrastructure.records import SessionLogRecord, session_log_mapper
    from nexus.persistence.mapper import Convert, Split

    entity = EXAMPLES[SessionLogEntry]()
    values = session_log_mapper.to_values(entity)
    assert values["timestamp_utcoffset"] == -5 * 3600
    assert values["timestamp"] == entity.timestamp
    assert "timestamp" in session_log_mapper.mapped_fields
    with pytest.raises(MappingError, match="split columns"):
        Mapper(
            SessionLogEntry,
            SessionLogRecord,
            splits={"timestamp": Split(("timestamp", "nope"), split_instant, join_instant)},
        )
    with pytest.raises(MappingError, match="split columns"):
        Mapper(
            SessionLogEntry,
            SessionLogRecord,
            converters={"timestamp": Convert(str, str)},
            splits={
                "timestamp": Split(
                    ("timestamp", "timestamp_utcoffset"), split_instant, join_instant
                )
            },
        )
    with pytest.raises(MappingError, match="timestamp_utcoffset"):
        Mapper(SessionLogEntry, SessionLogRecord)


def test_a_normalising_converter_is_not_run_again_on_load() -> None:
    """The email is stored in normal form: loading does not normalise it again (a third of an
    in-memory read), while converters that parse a column (a string to its enum) still run."""
    from nexus.conversations.domain.jobs import IngestionJob
    from nexus.identity.domain.users import User

    steps = {s.field: s.converter for s in registry.for_entity(User)._load_plan or ()}
    assert "email" in steps
    assert steps["email"] is None
    job_steps = {s.field: s.converter for s in registry.for_entity(IngestionJob)._load_plan or ()}
    assert job_steps["status"] is not None


def test_a_repository_without_a_kind_names_its_rows_after_the_entity() -> None:
    class AppConfigRows(BaseRepository[AppConfig]):
        mapper = app_config_mapper

    class Named(AppConfigRows):
        kind = "switch"

    assert (AppConfigRows.kind, Named.kind) == ("app config", "switch")
