"""DAT writer -> reader round trips with hostile values, and streaming in bounded memory."""

from __future__ import annotations

import io
import tracemalloc
from typing import Literal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nexus.documents.infrastructure.load_files import (
    DatDialect,
    DatRecord,
    DatWriter,
    read_dat,
    write_dat,
)
from nexus.documents.infrastructure.load_files.encoding import decoded_chunks
from nexus.documents.infrastructure.load_files.tokenizer import FieldScanner, raw_rows
from nexus.shared.errors import ValidationError

HOSTILE = "\x14\u00fe\u00ae;|^#$\r\n\"', \t\x00\U0001f600\u2028\ufeff\u00e9"
values_st = st.text(
    alphabet=st.one_of(
        st.sampled_from(HOSTILE),
        st.characters(blacklist_categories=("Cs",)),
    ),
    max_size=20,
)
DIALECTS = [
    DatDialect(),
    DatDialect(delimiter="|", quote="^", newline="#", multi_value="$"),
    DatDialect(newline=None, record_end="lf"),
    DatDialect(delimiter=",", quote='"', newline=None, record_end="crlf"),
]
ENCODINGS = [None, "utf-8", "utf-16-le", "utf-16-be", "utf-16"]


def expected(value: str, dialect: DatDialect) -> str:
    """What the format keeps of a value: CR LF and the newline character read back as LF."""
    value = value.replace("\r\n", "\n")
    return value.replace(dialect.newline, "\n") if dialect.newline else value


@settings(max_examples=100, deadline=None)
@given(
    rows=st.lists(st.lists(values_st, min_size=3, max_size=3), max_size=6),
    dialect=st.sampled_from(DIALECTS),
    encoding=st.sampled_from(ENCODINGS),
    chunk_bytes=st.integers(1, 64),
)
def test_written_records_read_back(
    rows: list[list[str]], dialect: DatDialect, encoding: str | None, chunk_bytes: int
) -> None:
    columns = ["BEGDOC", "Custodian Name", "TEXT"]
    written = DatDialect(**{**_options(dialect), "encoding": encoding})
    stream = io.BytesIO()
    write_dat(stream, columns, [dict(zip(columns, row, strict=True)) for row in rows], written)
    stream.seek(0)
    items = list(read_dat(stream, written, chunk_bytes=chunk_bytes))
    got = [item.fields for item in items if isinstance(item, DatRecord)]
    want = [{c: expected(v, dialect) for c, v in zip(columns, row, strict=True)} for row in rows]
    # a record whose every value is empty is written as an all-quoted line, never blank
    assert got == want
    assert len(items) == len(rows)


def _options(dialect: DatDialect) -> dict[str, object]:
    return {
        "delimiter": dialect.delimiter,
        "quote": dialect.quote,
        "newline": dialect.newline,
        "multi_value": dialect.multi_value,
        "record_end": dialect.record_end,
    }


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.lists(values_st, min_size=2, max_size=2), min_size=1, max_size=5))
def test_line_numbers_count_physical_lines(rows: list[list[str]]) -> None:
    dialect = DatDialect(newline=None)
    stream = io.BytesIO()
    write_dat(stream, ["A", "B"], [{"A": a, "B": b} for a, b in rows], dialect)
    text = stream.getvalue().decode("utf-8-sig")
    stream.seek(0)
    records = [item for item in read_dat(stream, dialect) if isinstance(item, DatRecord)]
    line = 2
    for record, (a, b) in zip(records, rows, strict=True):
        assert record.line == line
        line += (a + b).replace("\r\n", "\n").count("\n") + 1
    assert text.count("\n") == line - 1


def test_multi_values_are_joined_and_a_separator_inside_one_is_refused() -> None:
    stream = io.BytesIO()
    write_dat(stream, ["TO"], [{"TO": ["a@x.com", "b@x.com"]}])
    stream.seek(0)
    assert [r.fields for r in read_dat(stream) if isinstance(r, DatRecord)] == [
        {"TO": "a@x.com;b@x.com"}
    ]
    with pytest.raises(ValidationError, match="TO"):
        write_dat(io.BytesIO(), ["TO"], [{"TO": ["a;b"]}])


def test_writer_refuses_unknown_columns_and_unencodable_text() -> None:
    with pytest.raises(ValidationError, match="OTHER"):
        write_dat(io.BytesIO(), ["A"], [{"OTHER": "x"}])
    with pytest.raises(ValidationError, match="not encodable"):
        write_dat(io.BytesIO(), ["A"], [{"A": "\u20ac"}], DatDialect(encoding="latin-1"))
    with pytest.raises(ValidationError, match="quote"):
        write_dat(io.BytesIO(), ["A"], [{"A": "a\x14b"}], DatDialect(quote=None))
    with pytest.raises(ValidationError, match="columns"):
        DatWriter(io.BytesIO(), [])
    with pytest.raises(ValidationError, match="encoding"):
        DatWriter(io.BytesIO(), ["A"], DatDialect(encoding="base64"))


def test_a_large_file_streams_in_bounded_memory(tmp_path, figure) -> None:
    """~50 MB of records read with peak traced memory a small fraction of the file size."""
    columns = ["BEGDOC", "TEXT"]
    block = io.BytesIO()
    writer = DatWriter(block, columns, DatDialect(encoding="utf-8"))
    body = ("lorem ipsum \x14 dolor \u00fe sit\n amet " * 600)[:20_000]
    for i in range(50):
        writer.write({"BEGDOC": f"DOC{i:07d}", "TEXT": body})
    chunk = block.getvalue()
    path = tmp_path / "big.dat"
    with path.open("wb") as file:
        file.write(b"\xef\xbb\xbf\xc3\xbeBEGDOC\xc3\xbe\x14\xc3\xbeTEXT\xc3\xbe\r\n")
        repeats = 50_000_000 // len(chunk) + 1
        for _ in range(repeats):
            file.write(chunk)
    size = path.stat().st_size
    assert size > 50_000_000
    tracemalloc.start()
    try:
        count = sum(1 for item in read_dat(path) if isinstance(item, DatRecord))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 50 * repeats
    figure(
        f"DAT streaming: {size / 1e6:.0f} MB file, {count} records, peak traced {peak / 1e6:.1f} MB"
    )
    assert peak < 12_000_000, f"peak {peak} bytes for a {size} byte file"


ALPHABET = st.sampled_from(
    ["\x14", "\u00fe", "\u00ae", "\r", "\n", "\r\n", " ", "a", "b", "\u00e9"]
)


@settings(max_examples=200, deadline=None)
@given(
    text=st.lists(ALPHABET, max_size=40).map("".join),
    record_end=st.sampled_from(["crlf", "lf"]),
    trim=st.booleans(),
    chunk_bytes=st.integers(1, 16),
)
def test_any_text_reads_the_same_whatever_the_chunk_size(
    text: str, record_end: Literal["crlf", "lf"], trim: bool, chunk_bytes: int
) -> None:
    """Chunk boundaries never change the rows or errors."""
    dialect = DatDialect(record_end=record_end, trim=trim)
    data = text.encode("utf-8")
    whole = list(raw_rows(iter([text]), dialect))
    streamed = list(raw_rows(decoded_chunks(io.BytesIO(data), "utf-8", chunk_bytes), dialect))
    assert streamed == whole


@settings(max_examples=200, deadline=None)
@given(
    line=st.lists(ALPHABET.filter(lambda c: c not in ("\r", "\n", "\r\n")), max_size=30).map(
        "".join
    ),
    crlf=st.booleans(),
    trim=st.booleans(),
)
def test_fast_path_agrees_with_the_field_scanner(line: str, crlf: bool, trim: bool) -> None:
    scanner = FieldScanner(DatDialect(trim=trim), crlf)
    fast = scanner.fast(line)
    if fast is not None:
        fields, end = scanner.record(line + "\r\n", 0, eof=True)
        assert (fields, end) == (fast, len(line) + 2)


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(
        st.lists(ALPHABET.filter(lambda c: c not in ("\r", "\n", "\r\n")), max_size=8).map("".join),
        min_size=1,
        max_size=5,
    ),
    crlf=st.booleans(),
)
def test_fast_path_reads_plainly_quoted_lines_with_doubled_quotes(
    values: list[str], crlf: bool
) -> None:
    """A quoted line whose values hold quotes (doubled) and delimiters stays on the fast path
    when each part is plain text and doubled quotes, and reads as the field scanner reads it."""
    scanner = FieldScanner(DatDialect(), crlf)
    q, d = "\u00fe", "\x14"
    line = d.join(f"{q}{v.replace(q, q + q)}{q}" for v in values)
    fast = scanner.fast(line)
    fields, _ = scanner.record(line + "\r\n", 0, eof=True)
    if fast is not None:
        assert fast == fields
    if not any(d in v for v in values):
        assert fast == values  # no delimiter inside a value: always the fast path
