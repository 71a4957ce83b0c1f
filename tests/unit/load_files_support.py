"""Helpers shared by the load-file tests: read DAT bytes into plain rows and errors."""

from __future__ import annotations

import io
from collections.abc import Sequence

from nexus.documents.infrastructure.load_files import (
    CONCORDANCE,
    DatDialect,
    DatRecord,
    RecordError,
    read_dat,
)

D, Q, NL = "\x14", "\u00fe", "\u00ae"


def dat(*rows: Sequence[str], eol: str = "\r\n") -> str:
    """Concordance text with every field quoted."""
    return "".join(D.join(f"{Q}{value}{Q}" for value in row) + eol for row in rows)


def read(
    data: bytes | str,
    dialect: DatDialect = CONCORDANCE,
    *,
    chunk_bytes: int = 1 << 20,
    columns: Sequence[str] | None = None,
    has_header: bool = True,
) -> list[DatRecord | RecordError]:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return list(
        read_dat(
            io.BytesIO(raw),
            dialect,
            chunk_bytes=chunk_bytes,
            columns=columns,
            has_header=has_header,
        )
    )


def values(items: list[DatRecord | RecordError]) -> list[object]:
    """Records as (line, fields) and errors as (line, field, rule-start) for comparisons."""
    out: list[object] = []
    for item in items:
        if isinstance(item, DatRecord):
            out.append((item.line, item.fields))
        else:
            out.append(("error", item.line, item.field, item.rule))
    return out
