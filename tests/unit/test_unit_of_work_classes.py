"""A unit of work's repositories come from its own class's declarations, whatever was used
before: a subclass that declares a name again with another repository opens that one even
after its base class opened its own (found by a review), and a repository named like an
attribute of the unit of work is refused rather than shadowing it or being shadowed."""

from __future__ import annotations

import pytest

from nexus.documents.infrastructure.loader_sql import CopyExhibits, LoadingUnitOfWork
from nexus.documents.infrastructure.repositories import DocumentsUnitOfWork, ExhibitRepository
from nexus.lab.infrastructure.repositories import InstrumentRepository
from nexus.persistence.memory import InMemoryStore
from nexus.persistence.uow import UnitOfWork, memory_tables


def test_a_subclass_opens_its_own_repository_after_its_base_opened_one() -> None:
    tables = memory_tables(InMemoryStore())
    with DocumentsUnitOfWork(tables) as base:
        assert type(base.exhibits) is ExhibitRepository
    with LoadingUnitOfWork(tables) as loading:
        assert type(loading.exhibits) is CopyExhibits
    with DocumentsUnitOfWork(tables) as base:
        assert type(base.exhibits) is ExhibitRepository


def test_a_repository_named_like_an_attribute_of_the_unit_of_work_is_refused() -> None:
    class Clash(UnitOfWork):
        flush: InstrumentRepository  # type: ignore[assignment]

    with (
        pytest.raises(TypeError, match=r"Clash\.flush: a repository is named like an attribute"),
        Clash(memory_tables(InMemoryStore())),
    ):
        pass
