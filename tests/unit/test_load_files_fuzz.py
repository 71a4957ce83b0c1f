"""Load-file readers given arbitrary bytes or options yield records and RecordErrors, or raise a
DomainError; nothing else escapes (Hypothesis)."""

from __future__ import annotations

import contextlib
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from nexus.documents.infrastructure.load_files import (
    DatDialect,
    DatRecord,
    JsonRecord,
    OptDocument,
    RecordError,
    default_field_map,
    field_map_from_dict,
    read_dat,
    read_jsonl,
    read_opt,
)
from nexus.shared.errors import DomainError

STRUCTURE = [b"\x14", b"\xc3\xbe", b"\xfe", b"\xc2\xae", b"\r\n", b"\n", b"\r", b",", b"Y", b"{"]
data_st = st.lists(st.sampled_from(STRUCTURE) | st.binary(max_size=6), max_size=40).map(b"".join)
FUZZ = settings(max_examples=100, deadline=None)


@FUZZ
@given(
    data=data_st,
    chunk_bytes=st.integers(1, 32),
    encoding=st.sampled_from([None, "utf-8", "utf-16"]),
)
def test_any_bytes_read_as_dat_records_errors_or_a_domain_error(
    data: bytes, chunk_bytes: int, encoding: str | None
) -> None:
    field_map = default_field_map()
    try:
        for item in read_dat(
            io.BytesIO(data), DatDialect(encoding=encoding), chunk_bytes=chunk_bytes
        ):
            assert isinstance(item, DatRecord | RecordError)
            if isinstance(item, DatRecord):
                assert isinstance(field_map.apply(item), dict | RecordError)
    except DomainError:
        pass


@FUZZ
@given(data=data_st, chunk_bytes=st.integers(1, 32))
def test_any_bytes_read_as_opt_or_jsonl_never_raise(data: bytes, chunk_bytes: int) -> None:
    for item in read_opt(io.BytesIO(data), chunk_bytes=chunk_bytes):
        assert isinstance(item, OptDocument | RecordError)
    for line in read_jsonl(io.BytesIO(data), chunk_bytes=chunk_bytes):
        assert isinstance(line, JsonRecord | RecordError)


options = st.dictionaries(
    st.sampled_from(["delimiter", "quote", "newline", "multi_value", "record_end", "trim", "x"]),
    st.none() | st.booleans() | st.integers() | st.text(max_size=3),
    max_size=4,
)
field_specs = (
    st.none()
    | st.integers()
    | st.text(max_size=5)
    | st.dictionaries(
        st.sampled_from(
            ["target", "type", "split", "time_field", "required", "aliases", "formats", "?"]
        ),
        st.none() | st.booleans() | st.text(max_size=5) | st.lists(st.text(max_size=3), max_size=2),
        max_size=4,
    )
)


@FUZZ
@given(
    fields=st.dictionaries(st.text(max_size=5), field_specs, max_size=4),
    dialect=options,
    zone=st.text(max_size=12),
    columns=st.none() | st.lists(st.text(max_size=3), max_size=3) | st.integers(),
)
def test_any_field_map_document_loads_or_raises_a_domain_error(
    fields: dict[str, object], dialect: dict[str, object], zone: str, columns: object
) -> None:
    document = {"fields": fields, "dialect": dialect, "time_zone": zone, "columns": columns}
    with contextlib.suppress(DomainError):
        field_map_from_dict(document)
