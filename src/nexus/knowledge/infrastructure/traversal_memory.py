"""The in-memory twin of `traversal_sql`: the same answers (the same nodes, distances and
order; the same one shortest path, chosen by the smallest edge id at each step back from the
target) computed by breadth-first search over the memory store's edge rows."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Collection, Sequence
from typing import Any

EdgeRow = tuple[Any, Any, Any]  # (id, source_id, target_id)


def _adjacency(edges: Sequence[EdgeRow], direction: str) -> dict[Any, list[Any]]:
    following: dict[Any, list[Any]] = defaultdict(list)
    for _id, source, target in edges:
        if direction in ("out", "both"):
            following[source].append(target)
        if direction in ("in", "both") and not (direction == "both" and source == target):
            following[target].append(source)
    return following


def distances(edges: Sequence[EdgeRow], start: Any, depth: int, direction: str) -> dict[Any, int]:
    """Shortest distance of each node within `depth` steps of `start` (the start at 0)."""
    following = _adjacency(edges, direction)
    found = {start: 0}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        here = found[node]
        if here >= depth:
            continue
        for after in following.get(node, ()):
            if after not in found:
                found[after] = here + 1
                queue.append(after)
    return found


def neighbors(
    edges: Sequence[EdgeRow], start: Any, depth: int, direction: str, cap: int
) -> list[tuple[Any, int]]:
    """(node, distance) within 1..depth, the start excluded, by distance then id; `cap` rows."""
    found = distances(edges, start, depth, direction)
    reached = sorted((d, n) for n, d in found.items() if n != start)
    return [(n, d) for d, n in reached[:cap]]


def shortest_path(
    edges: Sequence[EdgeRow], source: Any, target: Any, max_depth: int, direction: str
) -> tuple[tuple[Any, ...], tuple[Any, ...]] | None:
    found = distances(edges, source, max_depth, direction)
    if target not in found:
        return None
    arriving: dict[Any, list[tuple[Any, Any]]] = defaultdict(list)  # node -> (edge, before)
    for edge_id, s, t in edges:
        if direction in ("out", "both"):
            arriving[t].append((edge_id, s))
        if direction in ("in", "both") and not (direction == "both" and s == t):
            arriving[s].append((edge_id, t))
    nodes = [target]
    steps: list[Any] = []
    here, depth = target, found[target]
    while depth > 0:
        edge_id, before = min((e, b) for e, b in arriving[here] if found.get(b) == depth - 1)
        steps.append(edge_id)
        nodes.append(before)
        here, depth = before, depth - 1
    return tuple(reversed(nodes)), tuple(reversed(steps))


def typed(
    rows: Sequence[Sequence[Any]],
    positions: tuple[int, int, int, int],
    types: Collection[str] | None,
) -> list[EdgeRow]:
    """(id, source, target) of the edge rows, of `types` only when given."""
    i, s, t, k = positions
    if types is None:
        return [(r[i], r[s], r[t]) for r in rows]
    wanted = set(types)
    return [(r[i], r[s], r[t]) for r in rows if r[k] in wanted]
