"""What a load returns: the batch's counts, the problems with their lines, and the exhibits it
created (held as 16 bytes each, so a million ids fit in 16 MB)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, overload

import attrs

from nexus.documents.application.load_ports import RecordProblem
from nexus.shared.results import Result

MAX_PROBLEMS = 1000


class IdList(Sequence[uuid.UUID]):
    """A compact, append-only list of UUIDs."""

    __slots__ = ("_raw",)

    def __init__(self, ids: Iterable[uuid.UUID] = ()) -> None:
        self._raw = bytearray()
        for value in ids:
            self.append(value)

    def append(self, value: uuid.UUID) -> None:
        self._raw += value.bytes

    def __len__(self) -> int:
        return len(self._raw) // 16

    @overload
    def __getitem__(self, index: int) -> uuid.UUID: ...

    @overload
    def __getitem__(self, index: slice) -> list[uuid.UUID]: ...

    def __getitem__(self, index: int | slice) -> uuid.UUID | list[uuid.UUID]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return uuid.UUID(bytes=bytes(self._raw[index * 16 : index * 16 + 16]))

    def __iter__(self) -> Iterator[uuid.UUID]:
        raw = self._raw
        for start in range(0, len(raw), 16):
            yield uuid.UUID(bytes=bytes(raw[start : start + 16]))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, IdList):
            return self._raw == other._raw
        return isinstance(other, Sequence) and list(self) == list(other)

    def __hash__(self) -> int:
        return hash(bytes(self._raw))

    def __repr__(self) -> str:
        return f"IdList({len(self)} ids)"


@attrs.frozen(kw_only=True)
class ProblemResult(Result):
    line: int
    field: str | None
    rule: str

    @classmethod
    def of(cls, problem: RecordProblem) -> ProblemResult:
        return cls(line=problem.line, field=problem.field, rule=problem.rule)


@attrs.frozen(kw_only=True)
class LoadResult(Result):
    """A batch's load: `status` is `loaded` once complete (its counts are then final);
    `problems` lists the first 1000 records this run refused (`errors` counts them all, over
    every run of the batch); `exhibit_ids` are the batch's exhibits."""

    batch_id: uuid.UUID
    npcase_id: uuid.UUID
    status: str
    loaded: int
    duplicates: int
    errors: int
    problems: list[ProblemResult]
    update_es: bool
    exhibit_ids: IdList = attrs.field(eq=False)
    skipped: int

    def to_json(self) -> dict[str, Any]:
        out = super().to_json()
        out["exhibit_ids"] = [str(i) for i in self.exhibit_ids]
        return out
