"""Graph traversals as one recursive-CTE statement each (k-hop neighbours, one shortest path),
over any nodes/edges tables keyed `(workspace_id, id)`, on SQLite and PostgreSQL.

Both statements walk a `reach(node_id, depth)` CTE joined with `UNION` (not `UNION ALL`): the
engine keeps each (node, depth) pair once, so a cycle or parallel edges never multiply rows and
the CTE holds at most (reached nodes) x (depth + 1) rows, whatever the number of walks (on a
dense graph `UNION ALL` grows as degree^depth). Every step filters edges by the workspace, so an
edge of another workspace is never followed, and the start must be a node of the workspace
(else: no rows). Fast on big graphs with indexes on edges `(workspace_id, source_id)` and
`(workspace_id, target_id)`; the edges' composite foreign keys keep both ends in the workspace.

- `neighbors`: each node reachable in 1..depth steps exactly once, with its minimal distance,
  ordered by distance then id. The start node is EXCLUDED (even when a cycle leads back to it).
  Bounded: `depth` <= `max_depth`, and more than `row_limit` result rows is a ValidationError
  (the statement fetches `row_limit + 1` rows to know).
- `shortest_path`: the distances from the source (the same CTE) give the target's distance L;
  a second recursive CTE walks back from the target one node per step, each time through the
  smallest edge id from a node the CTE reached in d - 1 steps (as L is minimal, that node is at
  distance d - 1 exactly), so it yields one simple path of L edges, never an enumeration of
  paths. Returns the node and edge sequences, or None. Its cost: the CTE runs to `max_depth`
  in full (at most nodes x (max_depth + 1) rows); it does not stop when the target is found.

Statements are built once per shape (direction, filtered by type or not, gated or not) with
bind parameters, and run either on a unit of work's `SqlTables` (compiled once per dialect, on
the DBAPI cursor: what the use cases do) or through a SQLAlchemy `Connection`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Sequence
from types import MemberDescriptorType
from typing import Any, TypeVar

import attrs
from sqlalchemy import (
    CTE,
    ColumnElement,
    Connection,
    Integer,
    Select,
    String,
    Table,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal_column,
    null,
    or_,
    select,
    type_coerce,
)

from nexus.persistence.sql import SqlTables
from nexus.shared.errors import ValidationError

DIRECTIONS = ("out", "in", "both")
DEFAULT_MAX_DEPTH = 6
DEFAULT_ROW_LIMIT = 10_000
_ONE = literal_column("1", Integer)
# The ids a traversal returns are read as the driver gives them (SQLite: 32 hex digits; MariaDB:
# text with dashes; psycopg: uuid.UUID already) and made UUIDs by `as_uuid`, at a fraction of
# `uuid.UUID(hex)`'s cost (a depth-2 walk returns tens of ids per call: parsing them was a
# quarter of the use case's time).
_ID_TEXT: Any = String()
_new = object.__new__
_UUID = uuid.UUID
# uuid.UUID's two slots, written as its __init__ writes them (it refuses setattr).
_set_int = _UUID.__dict__["int"].__set__
_set_safe = _UUID.__dict__["is_safe"].__set__
_UNKNOWN = uuid.SafeUUID.unknown
P = TypeVar("P")


def as_uuid(value: Any) -> Any:
    """A UUID from a traversal's id column: SQLite's 32 hex digits, MariaDB's 36-character
    text, or a driver's UUID."""
    if type(value) is str:
        made = _new(_UUID)
        _set_int(made, int(value if len(value) == 32 else value.replace("-", ""), 16))
        _set_safe(made, _UNKNOWN)
        return made
    return value


def pairs_of(cls: type[P]) -> Callable[[Sequence[Sequence[Any]]], list[P]]:
    """A function making `cls(id, value)` of each `(id, value)` row of a traversal, the id a
    UUID as `as_uuid` makes it, in one loop: for a slotted attrs class of two plain fields (no
    validator, converter, post-init or other slot) each object is made as its `__init__` would
    make it, its two slots written directly; any other class is called. A depth-2 walk returns
    tens of rows per call: converting each id, then calling the class per row, cost half of
    the use case's own time on SQLite."""
    names: list[str] = []
    if attrs.has(cls):
        fields: Any = attrs.fields(cls)
        if all(f.init and f.validator is None and f.converter is None for f in fields):
            names = [f.name for f in fields]
    plain = (
        len(names) == 2
        and not hasattr(cls, "__attrs_post_init__")
        # Its slots are its two fields' (no cached hash or other state __init__ would set).
        and set(getattr(cls, "__slots__", ())) - {"__weakref__"} == set(names)
        and all(isinstance(cls.__dict__.get(n), MemberDescriptorType) for n in names)
    )
    if not plain:
        return lambda rows: [cls(as_uuid(a), b) for a, b in rows]  # type: ignore[call-arg]
    set_first = cls.__dict__[names[0]].__set__
    set_second = cls.__dict__[names[1]].__set__

    def build(rows: Sequence[Sequence[Any]]) -> list[P]:
        made: list[P] = []
        add = made.append
        if rows and type(rows[0][0]) is str:
            for value, second in rows:
                key = _new(_UUID)
                _set_int(key, int(value if len(value) == 32 else value.replace("-", ""), 16))
                _set_safe(key, _UNKNOWN)
                one = _new(cls)
                set_first(one, key)
                set_second(one, second)
                add(one)
        else:
            for value, second in rows:
                one = _new(cls)
                set_first(one, value)
                set_second(one, second)
                add(one)
        return made

    return build


@attrs.frozen
class Neighbor:
    node_id: Any
    distance: int


@attrs.frozen
class GraphPath:
    """One shortest path: `node_ids[0]` is the source, `edge_ids[i]` joins nodes i and i+1."""

    node_ids: tuple[Any, ...]
    edge_ids: tuple[Any, ...]


class GraphTraversals:
    """The two traversals over `nodes` and `edges`; build once, call many times."""

    def __init__(
        self,
        nodes: Table,
        edges: Table,
        *,
        max_depth: int = DEFAULT_MAX_DEPTH,
        row_limit: int = DEFAULT_ROW_LIMIT,
        gate: ColumnElement[bool] | None = None,
    ) -> None:
        """`gate`: a condition on the `reader` bind parameter (the reader may read the
        workspace) that gated statements put on the start node, so one statement both checks
        the reader and walks (no rows when the reader may not)."""
        self.nodes = nodes
        self.edges = edges
        self.max_depth = max_depth
        self.row_limit = row_limit
        self.gate = gate
        self._cache: dict[tuple[str, str, bool, bool], Select[Any]] = {}

    # -- public API ----------------------------------------------------------------------

    def neighbors(
        self,
        connection: Connection | SqlTables,
        workspace_id: Any,
        node_id: Any,
        *,
        depth: int = 1,
        direction: str = "out",
        edge_types: Collection[str] | None = None,
    ) -> list[Neighbor]:
        statement, params = self.neighbors_statement(
            workspace_id, node_id, depth=depth, direction=direction, edge_types=edge_types
        )
        rows = _rows(connection, statement, params)
        self.check_rows(rows, depth)
        return _neighbors(rows)

    def check_rows(self, rows: Sequence[Any], depth: int) -> None:
        """A neighbours statement's rows (`row_limit + 1` at most): more than `row_limit` is
        a ValidationError."""
        if len(rows) > self.row_limit:
            raise ValidationError(
                "depth",
                f"more than {self.row_limit} nodes within {depth} steps; "
                "ask for a smaller depth or fewer edge types",
            )

    def shortest_path(
        self,
        connection: Connection | SqlTables,
        workspace_id: Any,
        source_id: Any,
        target_id: Any,
        *,
        max_depth: int,
        direction: str = "out",
        edge_types: Collection[str] | None = None,
    ) -> GraphPath | None:
        statement, params = self.shortest_path_statement(
            workspace_id,
            source_id,
            target_id,
            max_depth=max_depth,
            direction=direction,
            edge_types=edge_types,
        )
        rows = _rows(connection, statement, params)
        if not rows:
            return None
        return GraphPath(
            node_ids=tuple(as_uuid(row[0]) for row in rows),
            edge_ids=tuple(as_uuid(row[1]) for row in rows[:-1]),
        )

    def neighbors_statement(
        self,
        workspace_id: Any,
        node_id: Any,
        *,
        depth: int,
        direction: str = "out",
        edge_types: Collection[str] | None = None,
        reader: Any = None,
    ) -> tuple[Select[Any], dict[str, Any]]:
        """The statement and its parameters (`row_limit + 1` rows at most); with a `reader`,
        the gated statement (see `gate`)."""
        return self._prepared(
            "neighbors",
            direction,
            edge_types,
            ("depth", depth),
            reader,
            workspace_id=workspace_id,
            start_id=node_id,
            row_cap=self.row_limit + 1,
        )

    def shortest_path_statement(
        self,
        workspace_id: Any,
        source_id: Any,
        target_id: Any,
        *,
        max_depth: int,
        direction: str = "out",
        edge_types: Collection[str] | None = None,
        reader: Any = None,
    ) -> tuple[Select[Any], dict[str, Any]]:
        """The statement and its parameters (the path's rows, source first); with a
        `reader`, the gated statement (see `gate`)."""
        return self._prepared(
            "path",
            direction,
            edge_types,
            ("max_depth", max_depth),
            reader,
            workspace_id=workspace_id,
            start_id=source_id,
            target_id=target_id,
        )

    def _prepared(
        self,
        kind: str,
        direction: str,
        edge_types: Collection[str] | None,
        depth: tuple[str, int],
        reader: Any,
        **params: Any,
    ) -> tuple[Select[Any], dict[str, Any]]:
        self._check(depth[1], depth[0], direction)
        params["depth"] = depth[1]
        if edge_types is not None:
            params["edge_types"] = self._types(edge_types)
        gated = reader is not None
        if gated:
            if self.gate is None:
                raise ValueError("these traversals have no gate: build them with one")
            params["reader"] = reader
        statement = self._cache.get((kind, direction, edge_types is not None, gated))
        if statement is None:
            statement = self._statement(kind, direction, edge_types is not None, gated)
        return statement, params

    # -- checks --------------------------------------------------------------------------

    def _check(self, depth: Any, field: str, direction: Any) -> None:
        if isinstance(depth, bool) or not isinstance(depth, int):
            raise ValidationError(field, "must be an integer")
        if not 0 <= depth <= self.max_depth:
            raise ValidationError(field, f"must be between 0 and {self.max_depth}")
        if direction not in DIRECTIONS:
            raise ValidationError("direction", f"must be one of {', '.join(DIRECTIONS)}")

    @staticmethod
    def _types(edge_types: Collection[str] | None) -> list[str] | None:
        if edge_types is None:
            return None
        if isinstance(edge_types, str) or not all(isinstance(t, str) for t in edge_types):
            raise ValidationError("edge_types", "must be a collection of type names")
        types = sorted(set(edge_types))
        if not types:
            raise ValidationError("edge_types", "must name at least one type (or be None)")
        return types

    # -- statement building ----------------------------------------------------------------

    def _statement(self, kind: str, direction: str, typed: bool, gated: bool) -> Select[Any]:
        key = (kind, direction, typed, gated)
        statement = self._cache.get(key)
        if statement is None:
            reach = self._reach(direction, typed, gated)
            if kind == "neighbors":
                statement = self._neighbors(reach)
            else:
                statement = self._path(reach, direction, typed)
            self._cache[key] = statement
        return statement

    def _edge_filter(self, typed: bool) -> ColumnElement[bool]:
        condition = self.edges.c.workspace_id == bindparam("workspace_id")
        if typed:
            condition = and_(
                condition, self.edges.c.type.in_(bindparam("edge_types", expanding=True))
            )
        return condition

    def _reach(self, direction: str, typed: bool, gated: bool = False) -> CTE:
        """reach(node_id, depth): the start at 0, then one row per (node, depth) pair."""
        nodes, edges = self.nodes, self.edges
        anchor = select(
            nodes.c.id.label("node_id"), literal_column("0", Integer).label("depth")
        ).where(
            nodes.c.workspace_id == bindparam("workspace_id"), nodes.c.id == bindparam("start_id")
        )
        if gated and self.gate is not None:
            anchor = anchor.where(self.gate)
        reach = anchor.cte("reach", recursive=True)
        on, after = _step(edges, reach.c.node_id, direction)
        step = (
            select(after.label("node_id"), (reach.c.depth + _ONE).label("depth"))
            .select_from(reach.join(edges, and_(self._edge_filter(typed), on)))
            .where(reach.c.depth < bindparam("depth"))
        )
        return reach.union(step)

    def _neighbors(self, reach: CTE) -> Select[Any]:
        """Each reached node with its least depth, but the start (the one node at depth 0,
        even when a cycle leads back to it)."""
        distance = func.min(reach.c.depth).label("distance")
        return (
            select(type_coerce(reach.c.node_id, _ID_TEXT).label("node_id"), distance)
            .group_by(reach.c.node_id)
            .having(func.min(reach.c.depth) > literal_column("0", Integer))
            .order_by(distance, reach.c.node_id)
            .limit(bindparam("row_cap"))
        )

    def _path(self, reach: CTE, direction: str, typed: bool) -> Select[Any]:
        """Walk back from the target: path(node_id, depth, edge_id), one row per step."""
        edges = self.edges
        goal = (
            select(func.min(reach.c.depth).label("depth"))
            .where(reach.c.node_id == bindparam("target_id"))
            .scalar_subquery()
        )
        anchor = select(
            bindparam("target_id", type_=self.nodes.c.id.type).label("node_id"),
            goal.label("depth"),
            cast(null(), self.edges.c.id.type).label("edge_id"),
        ).where(goal.is_not(None))
        path = anchor.cte("path", recursive=True)
        earlier = reach.alias("earlier")
        here = path.c.node_id
        arrive, before = _step(edges, here, _REVERSED[direction])
        chosen = (
            select(edges.c.id)
            .select_from(edges.join(earlier, earlier.c.node_id == before))
            .where(self._edge_filter(typed), arrive, earlier.c.depth == path.c.depth - _ONE)
            .order_by(edges.c.id)
            .limit(1)
            .scalar_subquery()
        )
        step_edge = edges.alias("step_edge")
        _, step_before = _step(step_edge, here, _REVERSED[direction])
        step = (
            select(
                step_before.label("node_id"), (path.c.depth - _ONE).label("depth"), step_edge.c.id
            )
            .select_from(
                path.join(
                    step_edge,
                    and_(
                        step_edge.c.workspace_id == bindparam("workspace_id"),
                        step_edge.c.id == chosen,
                    ),
                )
            )
            .where(path.c.depth > 0)
        )
        path = path.union_all(step)
        return select(
            type_coerce(path.c.node_id, _ID_TEXT).label("node_id"),
            type_coerce(path.c.edge_id, _ID_TEXT).label("edge_id"),
        ).order_by(path.c.depth)


def _rows(
    connection: Connection | SqlTables, statement: Any, params: dict[str, Any]
) -> Sequence[Any]:
    """The statement's rows: on a unit of work's tables, on their DBAPI cursor (as the use
    cases run it), else through SQLAlchemy's execute."""
    if isinstance(connection, SqlTables):
        return connection.run(statement, params)
    return connection.execute(statement, params).all()


_REVERSED = {"out": "in", "in": "out", "both": "both"}
_neighbors = pairs_of(Neighbor)


def _step(
    edges: Any, here: ColumnElement[Any], direction: str
) -> tuple[ColumnElement[bool], ColumnElement[Any]]:
    """The join condition of an edge leaving `here` in `direction`, and the node it leads to."""
    if direction == "out":
        return edges.c.source_id == here, edges.c.target_id
    if direction == "in":
        return edges.c.target_id == here, edges.c.source_id
    leads_to = case((edges.c.source_id == here, edges.c.target_id), else_=edges.c.source_id)
    return or_(edges.c.source_id == here, edges.c.target_id == here), leads_to
