"""The shared checks behind the error contract: storable text, 64-bit integers, instants that
exist in UTC, bounded JSON, paths, pages, and the facade guard that applies them."""

from __future__ import annotations

import typing
from collections.abc import Collection
from collections.abc import Set as AbstractSet
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from nexus.app import Nexus
from nexus.identity.application.support import OPERATOR
from nexus.shared.errors import AuthenticationError, ValidationError
from nexus.shared.values import check_datetime, check_int64, check_json, check_page, check_path
from tests.factories import make_user
from tests.hostile import deep

PASSWORD = "correct horse battery"


@pytest.mark.parametrize("name", ["Ada \ud800", "\udfff", "x\udc80y"])
def test_entity_text_refuses_lone_surrogates(name: str) -> None:
    with pytest.raises(ValidationError, match=r"users\.name: must be valid Unicode text"):
        make_user(name=name)


@pytest.mark.parametrize("value", [2**63, -(2**63) - 1, 10**100])
def test_integers_past_64_bits_are_refused(value: int) -> None:
    with pytest.raises(ValidationError, match="limit: must fit in 64 bits"):
        check_int64(value, "limit")
    assert check_int64(2**63 - 1, "x") == 2**63 - 1


@pytest.mark.parametrize("value", [True, "1", 1.0, None])
def test_non_integers_are_refused(value: object) -> None:
    with pytest.raises(ValidationError, match="must be an integer"):
        check_int64(value, "limit")


def test_an_aware_instant_outside_utc_is_refused_and_the_edges_kept() -> None:
    with pytest.raises(ValidationError, match="between the years 1 and 9999 in UTC"):
        check_datetime(datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1))), "at")
    for edge in (datetime(1, 1, 1, tzinfo=UTC), datetime(9999, 12, 31, 23, 59, tzinfo=UTC)):
        assert check_datetime(edge, "at") is edge


def test_deep_or_unstorable_json_is_a_validation_error() -> None:
    with pytest.raises(ValidationError, match="nested at most 64 levels"):
        check_json(deep(), "metadata")
    for bad in ({"k": "\ud800"}, {"\x00": 1}, {"k": 2**64}, {"k": float("nan")}, {1: 1}):
        with pytest.raises(ValidationError, match="metadata"):
            check_json(bad, "metadata")


@pytest.mark.parametrize("value", [Path("a\x00b"), "a\x00b", "\ud800", b"bytes", 3, ""])
def test_bad_paths_are_refused(value: object) -> None:
    with pytest.raises(ValidationError, match=r"^path: "):
        check_path(value, "path")


@pytest.mark.parametrize(
    ("limit", "offset", "field"),
    [(0, 0, "limit"), (10_001, 0, "limit"), (10, -1, "offset"), (10, 2**63, "offset")],
)
def test_pages_are_bounded(limit: int, offset: int, field: str) -> None:
    with pytest.raises(ValidationError, match=rf"^{field}: "):
        check_page(limit, offset)


def test_the_facade_guard_names_the_argument(memory_app: Nexus) -> None:
    identity, lab = memory_app.identity, memory_app.lab
    with pytest.raises(ValidationError, match=r"^offset: must fit in 64 bits"):
        identity.list_users(offset=2**63)
    with pytest.raises(ValidationError, match=r"^limit: must be an integer"):
        identity.list_users(limit="10")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"^email: must be valid Unicode text"):
        identity.get_user_by_email("a\ud800@example.org")
    with pytest.raises(ValidationError, match=r"^instrument_pid: must be text"):
        lab.get_instrument({"pid": 1})  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"^path: must not contain NUL"):
        lab.import_usage_events(Path("a\x00b"))
    with pytest.raises(ValidationError, match=r"^user_id: must be a UUID or text"):
        identity.get_user(deep())  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"^get_user: arguments: "):
        identity.get_user()  # type: ignore[call-arg]


def test_presented_secrets_are_answered_as_credentials(memory_app: Nexus) -> None:
    identity = memory_app.identity
    identity.register_user(email="ada@example.org", name="Ada", password=PASSWORD)
    # A password that is not storable text is refused as bad input, before anything is counted.
    with pytest.raises(ValidationError, match=r"^password: "):
        identity.authenticate(email="ada@example.org", password="\ud800")
    actions = [e.action for e in identity.list_audit_events(actor=OPERATOR)]
    assert "user.login_failed" not in actions
    assert actions == ["user.registered"]
    identity.authenticate(email="ada@example.org", password=PASSWORD)  # not locked by it
    with pytest.raises(ValidationError, match=r"^raw_key: must be text"):
        identity.authenticate_api_key(5)  # type: ignore[arg-type]
    with pytest.raises(AuthenticationError):
        identity.authenticate_api_key("nxk_\ud800")
    assert identity.logout("\ud800\x00") is False
    with pytest.raises(ValidationError, match=r"^password: must be valid Unicode"):
        identity.register_user(email="b@example.org", name="B", password="long enough \ud800")


class _Shapes:
    """Every parameter shape the compiled checker must reproduce."""

    def positional(  # type: ignore[no-untyped-def]
        self, a: int, b: str = "x", /, c: int = 3, *rest: int, d: str, **more: int
    ):
        return (a, b, c, rest, d, more)

    def inner_type_error(self, a: int) -> int:
        return len(a)  # type: ignore[arg-type]  # a TypeError of the body, not of the call


def test_the_compiled_checker_keeps_every_parameter_shape() -> None:
    from nexus.shared.arguments import checked_facade

    shapes = checked_facade(type("Checked", (_Shapes,), {}))()
    assert shapes.positional(1, d="z") == (1, "x", 3, (), "z", {})
    assert shapes.positional(1, "y", 4, 5, 6, d="z", e=7) == (1, "y", 4, (5, 6), "z", {"e": 7})
    assert shapes.positional(1, c=9, d="z") == (1, "x", 9, (), "z", {})
    with pytest.raises(ValidationError, match=r"^rest\[|^rest: must be an integer"):
        shapes.positional(1, "y", 4, "five", d="z")
    with pytest.raises(ValidationError, match=r"^e: must be an integer"):
        shapes.positional(1, d="z", e="7")
    with pytest.raises(ValidationError, match=r"^positional: arguments: "):
        shapes.positional(1)  # d is missing
    with pytest.raises(ValidationError, match=r"^positional: arguments: "):
        shapes.positional(a=1, d="z")  # a is positional-only
    # A TypeError raised inside the method is the method's, not a bad-arguments answer.
    with pytest.raises(TypeError, match="has no len"):
        shapes.inner_type_error(1)


class _Collections:
    """Abstract collection annotations, from collections.abc and from typing."""

    def names(  # type: ignore[no-untyped-def]
        self,
        a: Collection[str],
        b: typing.Sequence[str] = (),
        c: AbstractSet[str] = frozenset(),
        d: AbstractSet[typing.Any] = frozenset(),
    ):
        return (a, b, c)


def test_abstract_collections_are_checked_item_by_item() -> None:
    from nexus.shared.arguments import checked_facade

    shapes = checked_facade(type("Checked", (_Collections,), {}))()
    assert shapes.names(["x", "y"], b=("z",), c=["w", "w"]) == (("x", "y"), ("z",), {"w"})
    assert isinstance(shapes.names([], c={"w"})[2], frozenset)
    for argument, bad in (("a", "x\ud800"), ("a", "x\x00"), ("b", 1), ("c", "x\x00")):
        with pytest.raises(ValidationError, match=rf"^{argument}\[0\]: "):
            shapes.names(**{"a": ["ok"], argument: [bad]})
    for argument in ("a", "b", "c"):  # text is not a collection of names
        with pytest.raises(ValidationError, match=rf"^{argument}: must be a list"):
            shapes.names(**{"a": ["ok"], argument: "names"})
    with pytest.raises(ValidationError, match=r"^c\[0\]: must be text"):
        shapes.names(["ok"], c=[["unhashable"]])
    with pytest.raises(ValidationError, match=r"^d: must hold hashable values"):
        shapes.names(["ok"], d=[["unhashable"]])
