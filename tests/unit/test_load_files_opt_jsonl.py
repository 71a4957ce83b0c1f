"""Opticon OPT and JSON Lines readers: grouping, per-line errors, encodings."""

from __future__ import annotations

import io

from nexus.documents.infrastructure.load_files import (
    JsonRecord,
    OptDocument,
    RecordError,
    read_jsonl,
    read_opt,
)

OPT = (
    "ABC0001,VOL01,.\\VOL01\\IMAGES\\ABC0001.tif,Y,,,3\r\n"
    "ABC0002,VOL01,.\\VOL01\\IMAGES\\ABC0002.tif,,,,\r\n"
    "ABC0003,VOL01,.\\VOL01\\IMAGES\\ABC0003.tif,,,,\r\n"
    "ABC0004,VOL01,.\\VOL01\\IMAGES\\ABC0004.tif,Y,,,1"
)


def opt(text: str) -> list[OptDocument | RecordError]:
    return list(read_opt(io.BytesIO(text.encode("utf-8")), chunk_bytes=16))


def test_pages_are_grouped_by_the_doc_break_first_page_marked() -> None:
    first, second = opt(OPT)
    assert isinstance(first, OptDocument)
    assert isinstance(second, OptDocument)
    assert (first.key, first.line, first.page_count) == ("ABC0001", 1, 3)
    assert [(p.key, p.line, p.first) for p in first.pages] == [
        ("ABC0001", 1, True),
        ("ABC0002", 2, False),
        ("ABC0003", 3, False),
    ]
    assert first.pages[1].path == ".\\VOL01\\IMAGES\\ABC0002.tif"
    assert first.pages[0].volume == "VOL01"
    assert (second.key, second.line, [p.key for p in second.pages]) == ("ABC0004", 4, ["ABC0004"])


def test_five_field_lines_carry_the_page_count_last() -> None:
    (doc,) = opt("P1,VOL001,IMAGES\\P1.tif,Y,2\nP1_2,VOL001,IMAGES\\P1_2.tif,\n")
    assert isinstance(doc, OptDocument)
    assert (doc.page_count, len(doc.pages)) == (2, 2)


def test_bad_lines_are_errors_with_their_line_and_reading_goes_on() -> None:
    text = (
        "X2,VOL,x2.tif,,,,\r\n"  # a page before any document
        "A1,VOL,a1.tif,Y,,,2\r\n"
        "only,two\r\n"
        ",VOL,blank.tif,,,,\r\n"
        "A2,VOL,a2.tif,N,,,\r\n"
        "A3,VOL,,,,,\r\n"
        "A4,VOL,a4.tif,,,,x\r\n"
        "A5,VOL,a5.tif,,,,\r\n"
    )
    items = opt(text)
    errors = [(e.line, e.field) for e in items if isinstance(e, RecordError)]
    assert errors == [
        (1, "DocBreak"),
        (3, None),
        (4, "ImageKey"),
        (5, "DocBreak"),
        (6, "Path"),
        (7, "PageCount"),
    ]
    docs = [d for d in items if isinstance(d, OptDocument)]
    assert [[p.key for p in d.pages] for d in docs] == [["A1", "A5"]]


def test_opt_in_cp1252_is_detected() -> None:
    data = "Ñ1,VOL,Ñ1.tif,Y,,,1\r\n".encode("cp1252")
    (doc,) = list(read_opt(io.BytesIO(data)))
    assert isinstance(doc, OptDocument)
    assert doc.key == "Ñ1"


def jsonl(data: bytes) -> list[JsonRecord | RecordError]:
    return list(read_jsonl(io.BytesIO(data), chunk_bytes=5))


def test_jsonl_yields_objects_with_their_lines() -> None:
    data = b'{"nge_document_id": "D1"}\n\n{"nge_document_id": "D2", "to": ["a", "b"]}'
    assert [(r.line, r.data) for r in jsonl(data) if isinstance(r, JsonRecord)] == [
        (1, {"nge_document_id": "D1"}),
        (3, {"nge_document_id": "D2", "to": ["a", "b"]}),
    ]


def test_jsonl_bad_lines_are_errors_and_reading_goes_on() -> None:
    data = b'{"a": 1}\r\n{"a": \r\n[1, 2]\r\n{"a": NaN}\r\n\xff\xfe{}\r\n{"a": "\xc3\xa9"}\r\n'
    items = jsonl(b"\xef\xbb\xbf" + data)
    assert [(i.line, type(i).__name__) for i in items] == [
        (1, "JsonRecord"),
        (2, "RecordError"),
        (3, "RecordError"),
        (4, "RecordError"),
        (5, "RecordError"),
        (6, "JsonRecord"),
    ]
    rules = [i.rule for i in items if isinstance(i, RecordError)]
    assert rules[0].startswith("invalid JSON")
    assert rules[1] == "a JSON object expected, not list"
    assert "NaN" in rules[2]
    assert "utf-8" in rules[3]
    last = items[-1]
    assert isinstance(last, JsonRecord)
    assert last.data == {"a": "é"}
