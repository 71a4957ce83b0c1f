"""ExhibitData: validated input (field and rule named), JSON round trips under Hypothesis, and
build_exhibit as the one mapping to the entity; the case's JSON configuration rules."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nexus.documents import ExhibitData, build_exhibit
from nexus.documents.domain.cases import Case
from nexus.documents.domain.exhibit_data import (
    EXHIBIT_FIELDS,
    NOT_IN_EXHIBITS,
    exhibit_values,
    native_attachment,
)
from nexus.documents.domain.exhibits import Exhibit
from nexus.documents.domain.ids import new_batch_id, new_case_id
from nexus.documents.domain.processing import DocDedupe, bcc_key, key_part
from nexus.shared.errors import ValidationError
from tests.factories.documents import make_exhibit_data

NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)

safe_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=40,
)
instants = st.datetimes(
    min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
) | st.datetimes(
    min_value=datetime(1900, 1, 1),
    max_value=datetime(2100, 1, 1),
    timezones=st.sampled_from([timezone(timedelta(hours=-5)), timezone(timedelta(hours=9))]),
)
hexes = st.text(alphabet="0123456789abcdefABCDEF", min_size=32, max_size=32)


@st.composite
def records(draw: st.DrawFn) -> ExhibitData:
    optional_text = st.none() | safe_text
    fields: dict[str, Any] = {
        name: draw(optional_text)
        for name in (
            "title", "notes", "author", "document_type", "message_id", "email_from",
            "recipients", "cc", "bcc", "subject", "last_author", "app_name", "family_id",
            "nge_document_id", "parent_document_id", "custodian", "file_name", "display_name",
            "file_path", "root_folder", "mailbox_file", "mailbox_path", "content_type",
        )
    }  # fmt: skip
    for name in ("document_date", "sent_at", "received_at", "file_created_at", "created_at"):
        fields[name] = draw(st.none() | instants)
    fields["md5"] = draw(st.none() | hexes)
    fields["page_count"] = draw(st.none() | st.integers(0, 2**31 - 1))
    fields["file_size"] = draw(st.none() | st.integers(0, 2**63 - 1))
    fields["tags"] = tuple(draw(st.lists(safe_text.filter(str.strip), max_size=4)))
    fields["attachment_ids"] = tuple(draw(st.lists(safe_text.filter(str.strip), max_size=3)))
    fields["all_custodians"] = tuple(draw(st.lists(safe_text.filter(str.strip), max_size=3)))
    fields["user_id"] = draw(st.none() | st.uuids())
    fields["number"] = draw(st.none() | st.from_regex(r"[A-Z0-9]{1,10}", fullmatch=True))
    return ExhibitData(**fields)


@given(records())
def test_exhibit_data_round_trips_through_json(data: ExhibitData) -> None:
    line = json.dumps(data.to_dict())
    assert ExhibitData.from_dict(json.loads(line)) == data


@given(records())
def test_build_exhibit_copies_every_stored_field_and_nothing_else(data: ExhibitData) -> None:
    case = new_case_id()
    exhibit = build_exhibit(data, npcase_id=case, now=NOW)
    stored = {f.name for f in attrs.fields(Exhibit)}
    for name in ExhibitData.field_names():
        if name in NOT_IN_EXHIBITS:
            assert name not in stored or name in ("created_at", "updated_at"), name
        else:
            assert getattr(exhibit, name) == getattr(data, name), name
    assert exhibit.npcase_id == case
    assert exhibit.verified_page_count is None


@given(records())
def test_exhibit_values_are_the_built_exhibit_as_a_row(data: ExhibitData) -> None:
    """The loader's bulk path builds no entity: its row is what build_exhibit builds."""
    case, batch = new_case_id(), new_batch_id()
    exhibit = build_exhibit(data, npcase_id=case, now=NOW)
    exhibit.batch_id = batch
    values = exhibit_values(data, exhibit_id=exhibit.id, npcase_id=case, batch_id=batch, now=NOW)
    assert set(EXHIBIT_FIELDS) == {f.name for f in attrs.fields(Exhibit)}
    assert dict(zip(EXHIBIT_FIELDS, values, strict=True)) == attrs.asdict(exhibit, recurse=False)


def test_processing_only_fields_go_to_the_native_attachment() -> None:
    data = make_exhibit_data(file_name="q3.msg", file_size=10, content_type="message/rfc822")
    exhibit = build_exhibit(data, npcase_id=new_case_id(), now=NOW)
    assert not hasattr(exhibit, "file_name")
    native = native_attachment(data, exhibit, NOW)
    assert native is not None
    assert (native.file_name, native.size_bytes) == ("q3.msg", 10)
    assert native_attachment(make_exhibit_data(file_name=None), exhibit, NOW) is None


@pytest.mark.parametrize(
    ("values", "field", "rule"),
    [
        ({"md5": "xyz"}, "exhibit_data.md5", "must be 32 hex digits"),
        ({"sha256": "ab"}, "exhibit_data.sha256", "must be 64 hex digits"),
        ({"sent_at": "yesterday"}, "exhibit_data.sent_at", "ISO 8601"),
        ({"sent_at": "2026-03-01T09:00:00"}, "exhibit_data.sent_at", "timezone-aware"),
        ({"user_id": "not-a-uuid"}, "exhibit_data.user_id", "must be a UUID"),
        ({"title": "a\x00b"}, "exhibit_data.title", "NUL"),
        ({"author": "a" * 256}, "exhibit_data.author", "at most 255"),
        ({"page_count": -1}, "exhibit_data.page_count", "at least 0"),
        ({"tags": "Hot"}, "exhibit_data.tags", "list"),
        ({"tags": ["ok", " "]}, "exhibit_data.tags[1]", "non-blank"),
        ({"begin_attach": "A1"}, "exhibit_data.end_attach", "go together"),
        ({"extension": "a/b"}, "exhibit_data.extension", "bare extension"),
        ({"colour": "red"}, "exhibit_data.colour", "not a field"),
        ({"title": 5}, "exhibit_data.title", "must be text"),
    ],
)
def test_bad_values_name_the_field_and_the_rule(
    values: dict[str, Any], field: str, rule: str
) -> None:
    with pytest.raises(ValidationError) as error:
        ExhibitData.from_dict(values)
    assert error.value.field == field
    assert rule in error.value.rule


def test_from_dict_reads_what_the_load_file_field_map_gives() -> None:
    data = ExhibitData.from_dict(
        {
            "from": "ceo@example.org",
            "to": ["cfo@example.org", " coo@example.org "],
            "bcc": ["a@example.org"],
            "document_date": date(2020, 1, 2),
            "sent_at": datetime(2020, 1, 2, 9, tzinfo=UTC),
            "verified_page_count": 3,
            "attachment_ids": ["DOC-2", "DOC-3"],
            "all_custodians": ["Jane", "Bob"],
            "native_path": "NATIVES/DOC-1.msg",
        }
    )
    assert data.email_from == "ceo@example.org"
    assert data.recipients == "cfo@example.org; coo@example.org"
    assert data.document_date == datetime(2020, 1, 2, tzinfo=UTC)
    assert data.page_count == 3
    assert data.attachment_ids == ("DOC-2", "DOC-3")
    with pytest.raises(ValidationError):
        ExhibitData.from_dict({"to": "a@x", "recipients": "b@x"})


def test_from_dict_refuses_what_is_not_an_object() -> None:
    with pytest.raises(ValidationError):
        ExhibitData.from_dict(["title"])


def test_exhibit_data_has_forty_plus_fields() -> None:
    assert len(ExhibitData.field_names()) >= 40


def test_dedupe_key_parts_fit_the_index() -> None:
    long = "m" * 5000
    assert len(key_part(long)) == 71
    assert key_part(long) == key_part(long)
    assert key_part("short") == "short"
    assert key_part(None) == ""
    assert bcc_key("A@x.org; b@x.org") == bcc_key(["a@x.org", "B@X.org "])
    assert bcc_key("a@x.org;b@x.org") != bcc_key("b@x.org;a@x.org")
    key = DocDedupe.key_for(message_id=long, bcc=None, md5="AB" * 16, doc_type="email")
    assert key["md5"] == "ab" * 16
    assert len(key["message_id"]) <= 255


@pytest.mark.parametrize(
    ("field", "value", "where"),
    [
        ("near_dupe_info", [], "npcases.near_dupe_info"),
        ("near_dupe_info", {"threshold": True}, "npcases.near_dupe_info.threshold"),
        ("bulk_redaction_info", {"terms": ["ok", ""]}, "npcases.bulk_redaction_info.terms[1]"),
        ("bulk_redaction_info", {"reason": 3}, "npcases.bulk_redaction_info.reason"),
        ("dedupe_merge_fields", ["cc", "cc"], "npcases.dedupe_merge_fields"),
    ],
)
def test_case_json_configuration_is_validated(field: str, value: Any, where: str) -> None:
    with pytest.raises(ValidationError) as error:
        Case(name="x", created_at=NOW, updated_at=NOW, **{field: value})
    assert error.value.field == where


def test_exhibit_data_accepts_uuid_text_for_ids() -> None:
    batch = uuid.uuid4()
    assert ExhibitData.from_dict({"batch_id": str(batch)}).batch_id == batch
