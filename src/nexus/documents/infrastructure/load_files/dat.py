"""Concordance DAT reader: streams a load file's records as name -> text, with per-record errors."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from nexus.shared.errors import ValidationError

from .dialect import CONCORDANCE, DatDialect
from .encoding import CHUNK_BYTES, Source, decoded_chunks, has_undecodable
from .results import DatRecord, RecordError
from .tokenizer import MAX_RECORD_CHARS, raw_rows


def _names(header: Sequence[str], where: str) -> tuple[str, ...]:
    if isinstance(header, str) or not all(isinstance(name, str) for name in header):
        raise ValidationError(where, "must be a list of field names")
    names = tuple(name.strip() for name in header)
    seen: set[str] = set()
    for name in names:
        if not name:
            raise ValidationError(where, "blank field name")
        if name.casefold() in seen:
            raise ValidationError(where, f"duplicate field name {name!r}")
        seen.add(name.casefold())
    return names


def read_dat(
    source: Source,
    dialect: DatDialect = CONCORDANCE,
    *,
    columns: Sequence[str] | None = None,
    has_header: bool = True,
    chunk_bytes: int = CHUNK_BYTES,
    max_record_chars: int = MAX_RECORD_CHARS,
) -> Iterator[DatRecord | RecordError]:
    """Yield each record of a DAT file (a path or a binary stream) as a DatRecord or RecordError.

    Field names come from `columns` when given (a headerless file, or names replacing the
    header when `has_header`), else from the header row. Memory stays bounded by the chunk
    size and the longest record, whatever the file size. Blank lines are skipped. A header that
    cannot be read raises ValidationError("header", ...).
    """
    if columns is None and not has_header:
        raise ValidationError("columns", "required when the file has no header row")
    names = _names(columns, "columns") if columns is not None else None
    chunks = decoded_chunks(source, dialect.encoding, chunk_bytes)
    rows = raw_rows(chunks, dialect, max_record_chars)
    if has_header:
        for row in rows:
            if isinstance(row, RecordError):
                raise ValidationError("header", row.rule)
            _, header = row
            if has_undecodable("".join(header)):
                raise ValidationError("header", f"bytes not valid in {dialect.encoding}")
            if names is None:
                names = _names(header, "header")
            break
        else:
            return
    assert names is not None
    yield from _records(rows, names)


def _records(
    rows: Iterator[tuple[int, list[str]] | RecordError], names: tuple[str, ...]
) -> Iterator[DatRecord | RecordError]:
    width = len(names)
    for row in rows:
        if isinstance(row, RecordError):
            yield row
            continue
        line, values = row
        if len(values) != width:
            if len(values) == 1 and not values[0]:
                continue  # a blank line
            yield RecordError(
                line=line, field=None, rule=f"has {len(values)} fields, expected {width}"
            )
            continue
        fields = dict(zip(names, values, strict=True))
        if has_undecodable("".join(values)):
            bad = next(name for name, value in fields.items() if has_undecodable(value))
            yield RecordError(line=line, field=bad, rule="bytes not valid in the file's encoding")
            continue
        yield DatRecord(line=line, fields=fields)
