"""`ExhibitData.from_dict`'s generated path (only the fields a record has, `RecordInit`) against
the full attrs construction (`_from_dict`): the same values or the same error for any dict."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nexus.documents.domain.exhibit_data import ALIASES, ExhibitData, _fast_init
from nexus.documents.domain.record_init import RecordInit
from nexus.shared.errors import ValidationError

NAMES = [a.name for a in attrs.fields(ExhibitData)]
KEYS = [*NAMES, *ALIASES, "nope", "", "Title", " title"]

texts = st.text(max_size=12) | st.sampled_from(["", " ", "  x", "x ", "a\x00b", "\ud800", "é"])
instants = st.datetimes(
    min_value=datetime(1, 1, 1), max_value=datetime(9999, 1, 1), timezones=st.none()
) | st.datetimes(
    timezones=st.sampled_from(
        [UTC, ZoneInfo("UTC"), ZoneInfo("America/New_York"), timezone(timedelta(hours=14))]
    )
)
hostile = st.one_of(
    st.none(),
    st.booleans(),
    texts,
    st.text(alphabet="0123456789abcdefABCDEF ", min_size=30, max_size=66),
    st.integers(-(2**64), 2**64),
    st.floats(allow_nan=True),
    instants,
    st.dates(),
    instants.map(lambda d: d.isoformat()),
    st.sampled_from(["2020-01-01", "2020-13-01", "2020-01-01T00:00:00+01:00", "yesterday"]),
    st.uuids(),
    st.uuids().map(str),
    st.uuids().map(lambda u: f" {u} "),
    st.lists(texts, max_size=4),
    st.lists(texts, max_size=3).map(tuple),
    st.lists(st.integers() | st.none(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.text(min_size=250, max_size=260, alphabet="ab"),
    st.text(min_size=30, max_size=60, alphabet="ab/ \\."),
)
records = st.dictionaries(st.sampled_from(KEYS), hostile, max_size=14)

# Mostly valid records (each field a value of its kind, now and then a hostile one), so that
# built records and single-rule errors are as common as refused keys.
clean = st.text(alphabet="abcXYZ019 -@.", min_size=1, max_size=20).map(str.strip).filter(bool)
aware = st.datetimes(
    min_value=datetime(1900, 1, 1),
    max_value=datetime(2100, 1, 1),
    timezones=st.sampled_from([UTC, ZoneInfo("UTC"), timezone(timedelta(hours=-5))]),
)
KIND = {a.name: a.type for a in attrs.fields(ExhibitData)}


def _plausible(name: str) -> st.SearchStrategy[Any]:
    kind = str(KIND[ALIASES.get(name, name)])
    if "datetime" in kind:
        return st.none() | aware | aware.map(datetime.isoformat) | st.dates()
    if "tuple" in kind:
        return st.lists(clean, max_size=3)
    if "int" in kind:
        return st.none() | st.integers(0, 2**31)
    if "Id" in kind:
        return st.none() | st.uuids() | st.uuids().map(str)
    if name in ("md5", "sha256"):
        size = 32 if name == "md5" else 64
        return st.none() | st.text(alphabet="0123456789abcdefABCDEF", min_size=size, max_size=size)
    if name in ("to", "recipients", "cc", "bcc"):
        return st.none() | clean | st.lists(clean | st.just(" "), max_size=3)
    return st.none() | clean


@st.composite
def mostly_valid(draw: st.DrawFn) -> dict[str, Any]:
    names = draw(st.lists(st.sampled_from([*NAMES, *ALIASES]), max_size=20, unique=True))
    return {n: draw(_plausible(n) if draw(st.integers(0, 9)) else hostile) for n in names}


def _outcome(build: Any, values: Any) -> tuple[Any, ...]:
    try:
        made = build(values)
    except ValidationError as error:
        return ("error", type(error), error.field, error.rule, str(error))
    except Exception as error:
        return ("raised", type(error), str(error))
    # Equal values and the same types (an instant equal in another zone would compare equal).
    return (
        "built",
        type(made),
        tuple((getattr(made, n), type(getattr(made, n)), repr(getattr(made, n))) for n in NAMES),
    )


@settings(max_examples=600)
@given(records | mostly_valid())
def test_the_generated_path_matches_attrs_for_any_record(values: dict[str, Any]) -> None:
    assert _outcome(ExhibitData.from_dict, values) == _outcome(ExhibitData._from_dict, values)


@given(st.dictionaries(st.sampled_from(NAMES), texts | st.none(), min_size=1, max_size=6))
def test_a_record_built_twice_from_one_plan_is_equal(values: dict[str, Any]) -> None:
    assert _outcome(ExhibitData.from_dict, values) == _outcome(ExhibitData.from_dict, dict(values))


@pytest.mark.parametrize(
    ("values", "field", "rule"),
    [
        (
            {"begin_attach": "A1"},
            "exhibit_data.end_attach",
            "begin_attach and end_attach go together",
        ),
        (
            {"end_attach": "A1"},
            "exhibit_data.end_attach",
            "begin_attach and end_attach go together",
        ),
        ({"md5": "zz", "title": True}, "exhibit_data.title", "must not be true or false"),
        ({"md5": "zz", "tags": "x"}, "exhibit_data.tags", "must be a list of texts"),
        (
            {"md5": "zz", "sent_at": "x"},
            "exhibit_data.sent_at",
            "must be an ISO 8601 date-time with an offset",
        ),
        ({"to": ["a"], "recipients": "b"}, "exhibit_data", "names a field twice (under an alias)"),
        ({"nope": 1}, "exhibit_data.nope", "is not a field of ExhibitData"),
    ],
)
def test_the_first_error_is_the_one_attrs_raises(
    values: dict[str, Any], field: str, rule: str
) -> None:
    for build in (ExhibitData.from_dict, ExhibitData._from_dict):
        with pytest.raises(ValidationError) as error:
            build(values)
        assert (error.value.field, error.value.rule) == (field, rule)


def test_plans_are_cached_per_key_set_and_bounded() -> None:
    fast = RecordInit(ExhibitData, label="exhibit_data", aliases=ALIASES, max_plans=2)
    first = fast.plan(("title",))
    assert first is not None
    assert fast.plan(("title",)) is first
    # Refused key sets are not kept: bad records cannot fill the plans (found by a review).
    assert fast.plan(("nope",)) is None
    assert fast.plan((1,)) is None
    assert list(fast.plans) == [("title",)]
    built = fast.plan(("title", "from"))
    assert built is not None
    assert built({"title": "T", "from": "a@b"}) == ExhibitData(title="T", email_from="a@b")
    # Full: a new key set takes the slow path, with no function built for it.
    assert fast.plan(("md5",)) is None
    assert len(fast.plans) == 2


def test_many_key_sets_and_bad_records_keep_the_values_and_the_plans_bounded() -> None:
    fast = _fast_init(ExhibitData)
    for i in range(2 * fast.max_plans):
        with pytest.raises(ValidationError):
            ExhibitData.from_dict({"title": "T", f"unknown_{i}": "x"})
    names = [n for n in ExhibitData.field_names() if n not in ("begin_attach", "end_attach")]
    for i in range(2 * fast.max_plans):
        chosen = [n for bit, n in enumerate(names[:12]) if (i >> bit) & 1] + ["title"]
        record = {n: "2026-01-02T03:04:05+00:00" if n.endswith("_at") else "v" for n in chosen}
        try:
            expected: Any = ExhibitData._from_dict(record)
        except ValidationError as error:
            expected = (error.field, error.rule)
        try:
            got: Any = ExhibitData.from_dict(record)
        except ValidationError as error:
            got = (error.field, error.rule)
        assert got == expected
    assert len(fast.plans) <= fast.max_plans
    assert all(all(type(k) is str for k in keys) for keys in fast.plans)
    fast.plans.clear()  # the process's other loads start with room for their own


def test_a_text_subclass_key_names_the_field_it_equals_on_both_paths() -> None:
    class Shout(str):
        def __str__(self) -> str:
            return "subject"

    key = Shout("title")
    ExhibitData.from_dict({"title": "plain"})  # a plan for ("title",) exists
    assert ExhibitData.from_dict({key: "x"}).title == "x"
    assert ExhibitData._from_dict({key: "x"}).title == "x"


def test_dict_subclasses_and_non_text_keys_take_the_attrs_path() -> None:
    class Odd(dict[str, Any]):
        pass

    assert ExhibitData.from_dict(Odd(title="T")) == ExhibitData(title="T")
    with pytest.raises(ValidationError) as error:
        ExhibitData.from_dict({1: "x"})
    assert error.value.field == "exhibit_data.1"
    assert _fast_init(ExhibitData).plan((1,)) is None


def test_values_are_those_of_the_converters() -> None:
    made = ExhibitData.from_dict(
        {
            "md5": " ABCDEF0123456789ABCDEF0123456789 ",
            "to": ["a@x", " ", "b@x"],
            "user_id": f" {uuid.UUID(int=5)} ",
            "sent_at": date(2020, 1, 2),
            "prefix": None,
        }
    )
    assert made.md5 == "abcdef0123456789abcdef0123456789"
    assert made.recipients == "a@x; b@x"
    assert made.user_id == uuid.UUID(int=5)
    assert made.sent_at == datetime(2020, 1, 2, tzinfo=UTC)
    assert made.prefix == ""
    assert made.tags == ()
    assert made.title is None


def test_a_class_with_a_factory_default_is_refused() -> None:
    @attrs.frozen(kw_only=True)
    class WithFactory:
        items: list[int] = attrs.field(factory=list)

    with pytest.raises(TypeError):
        RecordInit(WithFactory, label="x", aliases={})
