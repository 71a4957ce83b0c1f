"""Concordance DAT writer, the inverse of `read_dat` with the same dialect.

Newlines in values (CR LF or LF) are written as the dialect's newline character; a value that
already holds that character reads back as a newline (the format has no escape for it).
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Mapping, Sequence
from typing import BinaryIO

from nexus.shared.errors import ValidationError

from .dialect import CONCORDANCE, DatDialect
from .encoding import text_codec

Value = str | Sequence[str]


class DatWriter:
    """Writes a header row and records to a binary stream (UTF-8 with BOM unless the dialect
    names an encoding)."""

    def __init__(
        self, stream: BinaryIO, columns: Sequence[str], dialect: DatDialect = CONCORDANCE
    ) -> None:
        if not columns:
            raise ValidationError("columns", "at least one column is required")
        self._stream = stream
        self._columns = tuple(columns)
        self._dialect = dialect
        self._encoding = dialect.encoding or "utf-8"
        self._encoder = codecs.getincrementalencoder(text_codec(self._encoding))("strict")
        self._eol = "\n" if dialect.record_end == "lf" else "\r\n"
        if dialect.encoding is None:
            stream.write(b"\xef\xbb\xbf")

    def write_header(self) -> None:
        self._write_row({column: column for column in self._columns})

    def write(self, record: Mapping[str, Value]) -> None:
        """Write one record; missing columns are empty, unknown keys are refused."""
        unknown = set(record) - set(self._columns)
        if unknown:
            raise ValidationError(sorted(unknown)[0], "not a column of this file")
        self._write_row(record)

    def _write_row(self, record: Mapping[str, Value]) -> None:
        text = self._dialect.delimiter.join(
            self._field(column, record.get(column, "")) for column in self._columns
        )
        try:
            data = self._encoder.encode(text + self._eol)
        except UnicodeEncodeError:
            raise ValidationError("record", f"not encodable in {self._encoding}") from None
        self._stream.write(data)

    def _field(self, column: str, value: Value) -> str:
        dialect = self._dialect
        if not isinstance(value, str):
            if any(dialect.multi_value in part for part in value):
                raise ValidationError(column, "a value holds the multi-value separator")
            value = dialect.multi_value.join(value)
        value = value.replace("\r\n", "\n")
        if dialect.newline is not None:
            value = value.replace("\n", dialect.newline)
        if dialect.quote is None:
            if dialect.delimiter in value or "\n" in value or "\r" in value:
                raise ValidationError(column, "needs quoting but the dialect has no quote")
            return value
        return dialect.quote + value.replace(dialect.quote, dialect.quote * 2) + dialect.quote


def write_dat(
    stream: BinaryIO,
    columns: Sequence[str],
    records: Iterable[Mapping[str, Value]],
    dialect: DatDialect = CONCORDANCE,
    *,
    header: bool = True,
) -> int:
    """Write a whole DAT file; returns the number of records written."""
    writer = DatWriter(stream, columns, dialect)
    if header:
        writer.write_header()
    count = 0
    for record in records:
        writer.write(record)
        count += 1
    return count
