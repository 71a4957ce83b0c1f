"""DAT reading: delimiters, quoting, line ends, headers, encodings, per-record errors."""

from __future__ import annotations

import io

import pytest

from nexus.documents.infrastructure.load_files import DatDialect, DatRecord, RecordError, read_dat
from nexus.shared.errors import ValidationError

from .load_files_support import NL, D, Q, dat, read, values

PIPE = DatDialect(delimiter="|", quote="^", newline="#", multi_value="$")


def test_header_names_the_fields_and_records_carry_their_first_line() -> None:
    text = dat(["BEGDOC", "CUSTODIAN"], ["DOC1", "Smith, John"], ["DOC2", "Jones; Mary"])
    assert values(read(text)) == [
        (2, {"BEGDOC": "DOC1", "CUSTODIAN": "Smith, John"}),
        (3, {"BEGDOC": "DOC2", "CUSTODIAN": "Jones; Mary"}),
    ]


def test_quoted_field_spans_lines_and_holds_delimiters_and_doubled_quotes() -> None:
    body = f"{Q}DOC1{Q}{D}{Q}a{D}b\r\nc {Q}{Q}quoted{Q}{Q}\nd{Q}\r\n{Q}DOC2{Q}{D}{Q}x{Q}\r\n"
    records = read(dat(["ID", "TEXT"]) + body)
    assert values(records) == [
        (2, {"ID": "DOC1", "TEXT": f"a{D}b\nc {Q}quoted{Q}\nd"}),
        (5, {"ID": "DOC2", "TEXT": "x"}),
    ]


def test_newline_character_becomes_a_newline() -> None:
    records = read(dat(["ID", "BODY"], ["1", f"line one{NL}line two{NL}"]))
    assert values(records) == [(2, {"ID": "1", "BODY": "line one\nline two\n"})]


def test_last_record_without_line_end_and_lf_line_ends() -> None:
    crlf = dat(["A", "B"], ["1", "2"], ["3", "4"]).removesuffix("\r\n")
    lf = dat(["A", "B"], ["1", "2"], ["3", "4"], eol="\n").removesuffix("\n")
    expected = [(2, {"A": "1", "B": "2"}), (3, {"A": "3", "B": "4"})]
    assert values(read(crlf)) == expected
    assert values(read(lf)) == expected


def test_crlf_file_keeps_a_lone_lf_as_data_as_relativity_does() -> None:
    text = f"A{D}B\r\none\ntwo{D}x\r\n"
    assert values(read(text)) == [(2, {"A": "one\ntwo", "B": "x"})]
    lf = f"A{D}B\none{D}x\r\ntwo{D}y\n"  # an LF file also ends records at CR LF
    assert values(read(lf)) == [(2, {"A": "one", "B": "x"}), (3, {"A": "two", "B": "y"})]


def test_mixed_quoted_and_unquoted_fields_and_a_stray_quote_inside_a_value() -> None:
    text = f"{Q}A{Q}{D}B{D}C\r\n{Q}1{Q}{D}{D}4/21/2001 2:48 PM\r\n{Q}Ice{Q}land{Q}{D}x{D}{Q}{Q}\r\n"
    assert values(read(text)) == [
        (2, {"A": "1", "B": "", "C": "4/21/2001 2:48 PM"}),
        (3, {"A": f"Ice{Q}land", "B": "x", "C": ""}),
    ]


def test_other_delimiters_pipe_and_caret() -> None:
    text = "Control Number|Custodian\r\n^Sample_|_0001^|^A#B^\r\n"
    assert values(read(text, PIPE)) == [
        (2, {"Control Number": "Sample_|_0001", "Custodian": "A\nB"})
    ]


def test_headerless_file_takes_names_from_columns() -> None:
    text = dat(["DOC1", "x"], ["DOC2", "y"])
    records = read(text, columns=["BEGDOC", "NOTE"], has_header=False)
    assert values(records) == [
        (1, {"BEGDOC": "DOC1", "NOTE": "x"}),
        (2, {"BEGDOC": "DOC2", "NOTE": "y"}),
    ]
    with pytest.raises(ValidationError, match="columns"):
        read(text, has_header=False)


def test_wrong_field_count_is_a_record_error_and_reading_goes_on() -> None:
    text = dat(["A", "B"], ["1", "2"], ["3", "4", "5"], ["6", "7"])
    assert values(read(text)) == [
        (2, {"A": "1", "B": "2"}),
        ("error", 3, None, "has 3 fields, expected 2"),
        (4, {"A": "6", "B": "7"}),
    ]


def test_unterminated_quote_at_end_of_file_is_reported_and_the_next_lines_still_read() -> None:
    text = dat(["A", "B"], ["1", "2"]) + f"{Q}3{Q}{D}{Q}open\r\n5{D}6\r\n"
    assert values(read(text)) == [
        (2, {"A": "1", "B": "2"}),
        ("error", 3, None, "unterminated quote at end of file"),
        (4, {"A": "5", "B": "6"}),
    ]


def test_a_quote_left_open_on_the_last_line_ends_with_the_file() -> None:
    """Relativity's reading (its parser cases "Unbalanced quote at beginning"): the field
    ends at the end of the file; one that would run over a record end is still reported."""
    assert values(read(dat(["A", "B"]) + f"{Q}3{Q}{D}{Q}open {Q}{Q}end")) == [
        (2, {"A": "3", "B": f"open {Q}end"})
    ]
    assert values(read(dat(["A"]) + f"{Q}")) == [(2, {"A": ""})]
    assert values(read(dat(["A", "B"]) + f"{Q}3{Q}{D}{Q}open\r\nmore")) == [
        ("error", 2, None, "unterminated quote at end of file"),
        ("error", 3, None, "has 1 fields, expected 2"),
    ]


def test_an_unescaped_quote_inside_a_quoted_value_is_data() -> None:
    text = dat(["A", "B"]) + f"{Q}3{Q}{D}{Q}say {Q}hi{Q} there{Q}\r\n"
    assert values(read(text)) == [(2, {"A": "3", "B": f"say {Q}hi{Q} there"})]


def test_a_record_longer_than_the_limit_is_an_error_and_memory_stays_bounded() -> None:
    text = dat(["A"]) + f"{Q}{'x' * 5000}\r\n" * 3 + dat(["ok"])
    items = list(read_dat(io.BytesIO(text.encode()), chunk_bytes=512, max_record_chars=2000))
    errors = [item for item in items if isinstance(item, RecordError)]
    assert [(error.line, "too long" in error.rule) for error in errors] == [
        (2, True),
        (3, True),
        (4, True),
    ]
    assert [item.fields for item in items if isinstance(item, DatRecord)] == [{"A": "ok"}]


def test_blank_lines_are_skipped() -> None:
    text = dat(["A", "B"]) + "\r\n" + dat(["1", "2"]) + "\r\n"
    assert values(read(text)) == [(3, {"A": "1", "B": "2"})]


def test_trim_drops_blanks_around_fields_as_relativity_does() -> None:
    dialect = DatDialect(delimiter=",", quote='"', newline=None, trim=True)
    text = 'A,B\r\n "one" , " two "\r\n'
    assert values(read(text, dialect)) == [(2, {"A": "one", "B": "two"})]


def test_bad_header_is_a_validation_error() -> None:
    with pytest.raises(ValidationError, match="duplicate field name"):
        read(dat(["A", "a"], ["1", "2"]))
    with pytest.raises(ValidationError, match="blank field name"):
        read(dat(["A", ""], ["1", "2"]))


def test_empty_file_has_no_records() -> None:
    assert read(b"") == []
    assert read(b"\xef\xbb\xbf") == []


@pytest.mark.parametrize(
    ("codec", "bom"),
    [
        ("utf-8", b"\xef\xbb\xbf"),
        ("utf-8", b""),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("cp1252", b""),
    ],
)
def test_encoding_is_detected_from_bom_then_utf8_then_cp1252(codec: str, bom: bytes) -> None:
    text = dat(["BEGDOC", "NAME"], ["DOC1", "Ærøskøbing café \u2013 “quoted”"], ["DOC2", "Þór"])
    data = bom + text.encode(codec)
    assert values(read(data, chunk_bytes=7)) == [
        (2, {"BEGDOC": "DOC1", "NAME": "Ærøskøbing café \u2013 “quoted”"}),
        (3, {"BEGDOC": "DOC2", "NAME": "Þór"}),
    ]


def test_cp1252_file_starting_with_the_quote_byte_is_not_utf16() -> None:
    data = dat(["A"], ["é"]).encode("cp1252")
    assert data.startswith(b"\xfeA")
    assert values(read(data)) == [(2, {"A": "é"})]


def test_undecodable_bytes_with_a_forced_encoding_are_a_record_error() -> None:
    good = dat(["A", "B"], ["1", "ok"]).encode("utf-8")
    bad = f"{Q}2{Q}{D}{Q}".encode() + b"caf\xe9" + f"{Q}\r\n".encode() + dat(["3", "ok"]).encode()
    items = read(good + bad, DatDialect(encoding="utf-8"))
    assert values(items) == [
        (2, {"A": "1", "B": "ok"}),
        ("error", 3, "B", "bytes not valid in the file's encoding"),
        (4, {"A": "3", "B": "ok"}),
    ]


def test_explicit_encoding_and_unknown_encoding() -> None:
    data = dat(["A"], ["é"]).encode("latin-1")
    assert values(read(data, DatDialect(encoding="latin-1"))) == [(2, {"A": "é"})]
    with pytest.raises(ValidationError, match="encoding"):
        read(data, DatDialect(encoding="no-such-codec"))


def test_dialect_options_are_validated() -> None:
    with pytest.raises(ValidationError, match="delimiter"):
        DatDialect(delimiter="||")
    with pytest.raises(ValidationError, match="must differ"):
        DatDialect(delimiter="^", quote="^")
    with pytest.raises(ValidationError, match="record_end"):
        DatDialect(record_end="cr")  # type: ignore[arg-type]


def test_missing_file_is_a_validation_error(tmp_path) -> None:
    with pytest.raises(ValidationError, match="source"):
        list(read_dat(tmp_path / "missing.dat"))
