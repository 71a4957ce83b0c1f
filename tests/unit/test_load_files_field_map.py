"""Field maps: loading and validation, conversion of DAT records, dates in a default zone."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from nexus.documents.infrastructure.load_files import (
    DatDialect,
    DatRecord,
    RecordError,
    default_field_map,
    field_map_from_dict,
    load_field_map,
)
from nexus.documents.infrastructure.load_files.dates import parse_date, parse_datetime, parse_time
from nexus.shared.errors import ValidationError

NY = ZoneInfo("America/New_York")


def record(**fields: str) -> DatRecord:
    return DatRecord(line=7, fields=fields)


def test_default_map_converts_common_concordance_names() -> None:
    field_map = default_field_map("America/New_York")
    raw = record(
        BegDoc="DOC1",
        ENDDOC="DOC1",
        BEGATTACH="DOC1",
        ENDATTACH="DOC3",
        CUSTODIAN="Smith, John",
        MD5_HASH="C4CA4238A0B923820DCC509A6F75849B",
        TO="a@x.com; b@x.com;",
        SUBJECT="  Re: hello ",
        DATESENT="01/15/2024",
        TIMESENT="3:48 PM",
        DOCDATE="2024-01-14",
        PGCOUNT="12",
        UNMAPPED="ignored",
        CC="",
    )
    assert field_map.apply(raw) == {
        "nge_document_id": "DOC1",
        "end_document_id": "DOC1",
        "begin_attach": "DOC1",
        "end_attach": "DOC3",
        "custodian": "Smith, John",
        "md5": "C4CA4238A0B923820DCC509A6F75849B",
        "to": ["a@x.com", "b@x.com"],
        "subject": "Re: hello",
        "sent_at": datetime(2024, 1, 15, 15, 48, tzinfo=NY),
        "document_date": date(2024, 1, 14),
        "verified_page_count": 12,
    }


def test_relativity_names_are_aliases() -> None:
    raw = record(
        **{"Control Number": "S1", "Date Created": "5/21/2001 7:38 PM", "Filesize": "2112"}
    )
    assert default_field_map().apply(raw) == {
        "nge_document_id": "S1",
        "file_created_at": datetime(2001, 5, 21, 19, 38, tzinfo=ZoneInfo("UTC")),
        "file_size": 2112,
    }


def test_bad_values_are_record_errors_naming_line_field_and_rule() -> None:
    field_map = default_field_map()
    bad_date = field_map.apply(record(BEGDOC="D", DATESENT="13/21/2001 7:38 PM"))
    assert isinstance(bad_date, RecordError)
    assert (bad_date.line, bad_date.field) == (7, "DATESENT")
    assert "13/21/2001" in bad_date.rule
    missing = field_map.apply(record(BEGDOC=" ", DATESENT="1/1/2001"))
    assert missing == RecordError(line=7, field="BEGDOC", rule="required")
    absent = field_map.apply(record(OTHER="x"))
    assert absent == RecordError(line=7, field="BEGDOC", rule="required")
    count = field_map.apply(record(BEGDOC="D", PGCOUNT="3 pages"))
    assert isinstance(count, RecordError)
    assert count.field == "PGCOUNT"


def test_check_refuses_a_file_without_a_required_field() -> None:
    field_map = default_field_map()
    field_map.check(["control number", "CUSTODIAN"])
    with pytest.raises(ValidationError) as raised:
        field_map.check(["CUSTODIAN"])
    assert raised.value.field == "BEGDOC"


def test_field_map_file_is_loaded_and_validated(tmp_path) -> None:
    path = tmp_path / "map.json"
    path.write_text(
        json.dumps(
            {
                "time_zone": "Europe/Paris",
                "columns": ["ID", "WHEN", "WHO"],
                "dialect": {"delimiter": "|", "quote": "^", "multi_value": "$"},
                "fields": {
                    "ID": {"target": "nge_document_id", "required": True},
                    "WHEN": {
                        "target": "sent_at",
                        "type": "datetime",
                        "formats": ["%d.%m.%Y %H:%M"],
                    },
                    "WHO": {"target": "to", "split": True},
                },
            }
        ),
        encoding="utf-8",
    )
    field_map = load_field_map(path)
    assert field_map.columns == ("ID", "WHEN", "WHO")
    assert field_map.dialect == DatDialect(delimiter="|", quote="^", multi_value="$")
    assert field_map.apply(record(ID="1", WHEN="31.12.2023 23:30", WHO="a$b")) == {
        "nge_document_id": "1",
        "sent_at": datetime(2023, 12, 31, 23, 30, tzinfo=ZoneInfo("Europe/Paris")),
        "to": ["a", "b"],
    }


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"fields": {"A": "x", "B": "x"}}, "fields.B"),
        ({"fields": {"A": {"target": "x", "colour": "red"}}}, "fields.A.colour"),
        ({"fields": {"A": {"target": "x", "type": "money"}}}, "fields.A.type"),
        ({"fields": {"A": {"target": "x", "split": "yes"}}}, "fields.A.split"),
        ({"fields": {"A": {"target": "x", "time_field": "T"}}}, "fields.A.time_field"),
        ({"fields": {"A": {"target": "x", "aliases": ["a"]}}}, "fields.A"),
        ({"fields": {"A": {"type": "text"}}}, "fields.A.target"),
        ({"fields": {"A": 3}}, "fields.A"),
        ({"fields": {}}, "fields"),
        ({"fields": {"A": "x"}, "extra": 1}, "extra"),
        ({"fields": {"A": "x"}, "time_zone": "Mars/Base"}, "time_zone"),
        ({"fields": {"A": "x"}, "dialect": {"sep": ","}}, "dialect.sep"),
        ({"fields": {"A": "x"}, "dialect": {"delimiter": 5}}, "dialect.delimiter"),
        ({"fields": {"A": "x"}, "columns": "A,B"}, "columns"),
        ([], "field_map"),
    ],
)
def test_invalid_field_maps_name_the_key(data: object, field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        field_map_from_dict(data)
    assert raised.value.field == field


def test_unreadable_field_map_files(tmp_path) -> None:
    with pytest.raises(ValidationError, match="cannot open"):
        load_field_map(tmp_path / "missing.json")
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(ValidationError, match="invalid JSON"):
        load_field_map(broken)


@pytest.mark.parametrize(
    ("text", "time_text", "want"),
    [
        ("01/15/2024", "", datetime(2024, 1, 15, tzinfo=NY)),
        ("1/5/2024 09:07:03", "", datetime(2024, 1, 5, 9, 7, 3, tzinfo=NY)),
        ("5/21/2001 7:38 PM", "", datetime(2001, 5, 21, 19, 38, tzinfo=NY)),
        ("5/21/2001 12:05 AM", "", datetime(2001, 5, 21, 0, 5, tzinfo=NY)),
        ("2024-01-15", "", datetime(2024, 1, 15, tzinfo=NY)),
        ("20240115", "", datetime(2024, 1, 15, tzinfo=NY)),
        ("2024-01-15T10:00:00", "", datetime(2024, 1, 15, 10, tzinfo=NY)),
        ("2024-01-15T10:00:00Z", "", datetime(2024, 1, 15, 10, tzinfo=UTC)),
        (
            "2024-01-15T10:00:00+02:00",
            "",
            datetime(2024, 1, 15, 10, tzinfo=timezone(timedelta(hours=2))),
        ),
        ("01/15/2024", "14:30", datetime(2024, 1, 15, 14, 30, tzinfo=NY)),
        ("01/15/2024", "2:30:15 pm", datetime(2024, 1, 15, 14, 30, 15, tzinfo=NY)),
    ],
)
def test_producer_date_formats(text: str, time_text: str, want: datetime) -> None:
    got = parse_datetime(text, NY, time_text=time_text)
    assert got == want
    assert got.utcoffset() == want.utcoffset()


@pytest.mark.parametrize(
    ("text", "time_text"),
    [
        ("13/21/2001", ""),
        ("2/30/2024", ""),
        ("yesterday", ""),
        ("01/15/2024 10:00", "11:00"),
        ("01/15/2024", "25:00"),
        ("01/15/2024 13:00 PM", ""),
    ],
)
def test_invalid_dates_raise_value_error(text: str, time_text: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the field map turns it into a RecordError
        parse_datetime(text, NY, time_text=time_text)


def test_date_and_time_helpers() -> None:
    assert parse_date("5/21/2001 7:38 PM") == date(2001, 5, 21)
    assert parse_time("07:38:01.5") == datetime(2000, 1, 1, 7, 38, 1, 500000).time()
