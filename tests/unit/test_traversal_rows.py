"""Traversal rows made results (`traversal_sql.pairs_of`): the objects written slot by slot are
the ones the class's own `__init__` makes (equal, same hash, UUIDs with their whole state), from
each id form the drivers give (SQLite's hex, MariaDB's dashed text, psycopg's UUID), and a class
that does not fit the fast path is called instead."""

from __future__ import annotations

import copy
import uuid

import attrs
from hypothesis import given
from hypothesis import strategies as st

from nexus.knowledge.application.results import NeighborResult
from nexus.knowledge.infrastructure.traversal_sql import Neighbor, pairs_of

rows_of = st.lists(st.tuples(st.uuids(), st.integers(0, 6)), max_size=40)


@given(rows=rows_of, form=st.sampled_from(["hex", "dashed", "uuid"]))
def test_rows_become_what_the_class_makes(rows: list[tuple[uuid.UUID, int]], form: str) -> None:
    shown = {"hex": lambda u: u.hex, "dashed": str, "uuid": lambda u: u}[form]
    for cls in (NeighborResult, Neighbor):
        made = pairs_of(cls)([(shown(u), d) for u, d in rows])
        expected = [cls(u, d) for u, d in rows]  # type: ignore[call-arg]
        assert made == expected
        assert [hash(m) for m in made] == [hash(e) for e in expected]
        for one in made:
            assert type(one) is cls
            key = one.node_id
            assert type(key) is uuid.UUID
            assert key.is_safe is uuid.SafeUUID.unknown
            assert copy.deepcopy(key) == key  # by its state, as pickle takes it
            assert str(key) == str(uuid.UUID(str(key)))


@attrs.frozen
class Checked:
    node_id: uuid.UUID = attrs.field(validator=attrs.validators.instance_of(uuid.UUID))
    distance: int = 0


@attrs.frozen(cache_hash=True)
class CachedHash:
    node_id: uuid.UUID
    distance: int


class Plain:
    def __init__(self, node_id: uuid.UUID, distance: int) -> None:
        self.node_id, self.distance = node_id, distance


def test_a_class_the_fast_path_does_not_fit_is_called() -> None:
    key = uuid.uuid4()
    for cls in (Checked, CachedHash, Plain):
        (made,) = pairs_of(cls)([(key.hex, 2)])
        assert type(made) is cls
        assert (made.node_id, made.distance) == (key, 2)
    assert hash(pairs_of(CachedHash)([(key, 1)])[0]) == hash(CachedHash(key, 1))
