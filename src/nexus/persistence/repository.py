"""Generic SQLAlchemy repository base: a concrete repository is its mapper plus its finders."""

from __future__ import annotations

from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy import Select
from sqlalchemy.orm import Session

from nexus.persistence.mapper import Mapper
from nexus.shared.errors import ConcurrencyError, NotFoundError

E = TypeVar("E")
R = TypeVar("R")


class SqlAlchemyRepository(Generic[E, R]):
    """add / get / update / remove through the generic mapper, inside the unit of work's session.

    Subclasses set `mapper` and `kind` (the name used in NotFound errors), and write their finders
    with `_one` and `_many`. Records are looked up in the session's identity map first, so
    `update` after `get` costs no extra SELECT.
    """

    mapper: ClassVar[Mapper[Any, Any]]
    kind: ClassVar[str]
    version_field: ClassVar[str | None] = None

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, entity: E) -> None:
        self.session.add(self.mapper.to_record(entity))

    def get(self, key: Any) -> E:
        record = self.session.get(self.mapper.record, key)
        if record is None:
            raise NotFoundError(self.kind, key)
        return self.mapper.to_entity(record)  # type: ignore[no-any-return]

    def find(self, key: Any) -> E | None:
        record = self.session.get(self.mapper.record, key)
        return None if record is None else self.mapper.to_entity(record)

    def update(self, entity: E) -> None:
        key = self._key(entity)
        record = self.session.get(self.mapper.record, key)
        if record is None:
            raise NotFoundError(self.kind, key)
        if self.version_field is not None:
            # The entity says which version it was loaded at; a different stored version means
            # another writer committed in between. The ORM's version_id_col guards the race
            # between this check and the UPDATE itself.
            loaded = getattr(entity, self.version_field)
            if getattr(record, self.version_field) != loaded:
                raise ConcurrencyError(f"{self.kind} {key} was changed by someone else; reload it")
            self.mapper.apply(entity, record)
            if self.session.is_modified(record):
                setattr(record, self.version_field, loaded + 1)
                setattr(entity, self.version_field, loaded + 1)
            return
        self.mapper.apply(entity, record)

    def remove(self, key: Any) -> None:
        record = self.session.get(self.mapper.record, key)
        if record is None:
            raise NotFoundError(self.kind, key)
        self.session.delete(record)

    def _key(self, entity: E) -> Any:
        return entity.id  # type: ignore[attr-defined]

    def _one(self, statement: Select[Any]) -> E | None:
        record = self.session.scalars(statement).first()
        return None if record is None else self.mapper.to_entity(record)

    def _many(self, statement: Select[Any]) -> list[E]:
        to_entity = self.mapper.to_entity
        return [to_entity(r) for r in self.session.scalars(statement)]
