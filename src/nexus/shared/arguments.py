"""`@checked_facade`: every public method of a context facade refuses an argument that does not
match its annotation (or that no engine can store) with a ValidationError naming it."""

from __future__ import annotations

import enum
import functools
import inspect
import types
import typing
import uuid
from collections import abc
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import PurePath
from typing import Annotated, Any, TypeVar

from nexus.shared.errors import ValidationError
from nexus.shared.values import check_int64, check_path, check_text

C = TypeVar("C", bound=type)


class _PresentedSecret:
    def __repr__(self) -> str:
        return "PRESENTED_SECRET"


PRESENTED_SECRET = _PresentedSecret()
# A password, token, key or code a caller presents: only hashed and compared, never stored.
# Not text is a ValidationError naming the argument; any text goes on (it matches nothing).
Credential = Annotated[str, PRESENTED_SECRET]
Check = Callable[[Any, str], Any]

_NAMES: dict[Any, str] = {
    str: "text",
    int: "an integer",
    bool: "true or false",
    datetime: "a datetime",
    uuid.UUID: "a UUID",
    PurePath: "a path",
    dict: "a JSON object",
}


def _text(value: Any, field: str) -> str:
    check_text(value, field)
    return typing.cast(str, value)


def _accepts(hint: Any) -> tuple[Callable[[Any], bool], Check, str]:
    """(does the value have this type?, the check that conforms it, a name for errors)."""
    hint = getattr(hint, "__supertype__", hint)  # NewType
    origin = typing.get_origin(hint) or hint
    if hint is str:
        return (lambda v: isinstance(v, str)), _text, "text"
    if hint is bool:
        return (lambda v: isinstance(v, bool)), (lambda v, _f: v), "true or false"
    if hint is int:
        return (lambda v: isinstance(v, int) and not isinstance(v, bool)), check_int64, "an integer"
    if hint is datetime:
        # The range is the entity's to check (it names the column); queries check their own.
        return (lambda v: isinstance(v, datetime)), (lambda v, _f: v), "a datetime"
    if isinstance(origin, type) and issubclass(origin, PurePath):
        return (lambda v: isinstance(v, PurePath)), _path, "a path"
    if origin is dict:  # the entity's validator checks the JSON and names the column
        return (lambda v: True), (lambda v, _f: v), "a JSON object"
    if origin in _COLLECTIONS:
        (item,) = typing.get_args(hint)[:1] or (Any,)
        return (lambda v: _is_collection(v)), _items(item, _SETS.get(origin, tuple)), "a list"
    if isinstance(origin, type):
        name = _NAMES.get(origin, _enum_name(origin))
        return (lambda v: isinstance(v, origin)), (lambda v, _f: v), name
    raise TypeError(f"@checked_facade cannot check arguments annotated {hint!r}")


# Annotations taken as a list of values (`typing`'s aliases have these as their origin): each
# item is checked, text is refused. A value conforms to a tuple, or to a set for a set annotation.
_SETS: dict[Any, type] = {set: set, abc.MutableSet: set, frozenset: frozenset, abc.Set: frozenset}
_COLLECTIONS = (
    list,
    tuple,
    abc.Iterable,
    abc.Collection,
    abc.Sequence,
    abc.MutableSequence,
    *_SETS,
)


def _enum_name(cls: type) -> str:
    if issubclass(cls, enum.Enum):
        return "one of " + ", ".join(str(m.value) for m in cls)
    return cls.__name__


def _path(value: Any, field: str) -> Any:
    check_path(value, field)
    return value


def _is_collection(value: Any) -> bool:
    """A list of values; text, a dict and a stream (an iterable of lines) are not."""
    return (
        isinstance(value, Iterable)
        and not isinstance(value, str | bytes | bytearray | dict)
        and not callable(getattr(value, "read", None))
    )


def _items(item_hint: Any, make: type = tuple) -> Check:
    checker = _checker(item_hint)

    def check(value: Any, field: str) -> Any:
        items = tuple(checker(v, f"{field}[{i}]") for i, v in enumerate(value))
        if make is tuple:
            return items
        try:
            return make(items)
        except TypeError:  # an unhashable item
            raise ValidationError(field, "must hold hashable values") from None

    return check


def _credential(optional: bool) -> Check:
    """A presented secret: any text passes unexamined (it is only hashed, so it simply matches
    nothing); anything but text is bad input, refused before anything is counted."""

    def check(value: Any, field: str) -> Any:
        if value is None and optional:
            return None
        if not isinstance(value, str):
            raise ValidationError(field, "must be text", value=type(value).__name__)
        return value

    return check


def _checker(hint: Any) -> Check:
    """The check for one annotation: a union takes the first member the value is an
    instance of."""
    if hint is Any:  # left to the entity's validators, which name the column
        return lambda v, _f: v
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        members = typing.get_args(hint)
    else:
        members = (hint,)
    optional = type(None) in members
    if any(PRESENTED_SECRET in getattr(m, "__metadata__", ()) for m in members):
        return _credential(optional)
    choices = [_accepts(m) for m in members if m is not type(None)]
    expected = " or ".join(name for _is, _check, name in choices)

    def check(value: Any, field: str) -> Any:
        if value is None:
            if optional:
                return None
            raise ValidationError(field, "is required")
        for is_instance, conform, _name in choices:
            if is_instance(value):
                return conform(value, field)
        raise ValidationError(field, f"must be {expected}", value=type(value).__name__)

    return check


class _Unset:
    def __repr__(self) -> str:
        return "<unset>"


_UNSET = _Unset()  # an argument not passed: its default is the function's own, not checked


def _checking(function: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap `function` in a checker compiled once for its signature: a straight-line function
    with the same parameters that conforms each passed argument and calls `function`. No
    `Signature.bind` per call (it cost more than the rest of an in-memory read)."""
    signature = inspect.signature(function)
    hints = typing.get_type_hints(function, include_extras=True)
    namespace: dict[str, Any] = {"_nexus_function": function, "_UNSET": _UNSET}
    params: list[str] = []
    body: list[str] = []
    positional: list[str] = []
    keywords: list[str] = []
    kind = inspect.Parameter
    star_seen = False
    for index, (name, param) in enumerate(signature.parameters.items()):
        if (
            index
            and param.kind is not kind.POSITIONAL_ONLY
            and "/" not in params
            and any(p.kind is kind.POSITIONAL_ONLY for p in signature.parameters.values())
        ):
            params.append("/")
        check = f"_nexus_check_{name}"
        namespace[check] = _checker(hints.get(name, Any))
        if index == 0 and name == "self":
            params.append(name)
            positional.append(name)
            continue
        if param.kind is kind.VAR_POSITIONAL:
            star_seen = True
            params.append(f"*{name}")
            body.append(f"    {name} = tuple({check}(v, {name!r}) for v in {name})")
            positional.append(f"*{name}")
            continue
        if param.kind is kind.VAR_KEYWORD:
            params.append(f"**{name}")
            namespace["_nexus_text"] = check_text
            body.append(f"    for key, item in {name}.items():")
            body.append('        _nexus_text(key, "argument name")')
            body.append(f"        {name}[key] = {check}(item, key)")
            keywords.append(f"**{name}")
            continue
        if param.kind is kind.KEYWORD_ONLY and not star_seen:
            star_seen = True
            params.append("*")
        if param.default is inspect.Parameter.empty:
            params.append(name)
            body.append(f"    {name} = {check}({name}, {name!r})")
        else:
            namespace[f"_nexus_default_{name}"] = param.default
            params.append(f"{name}=_UNSET")
            body.append(
                f"    {name} = _nexus_default_{name} if {name} is _UNSET"
                f" else {check}({name}, {name!r})"
            )
        if param.kind is kind.KEYWORD_ONLY:
            keywords.append(f"{name}={name}")
        else:
            positional.append(name)
    source = "\n".join(
        [
            f"def {function.__name__}({', '.join(params)}):",
            *body,
            f"    return _nexus_function({', '.join(positional + keywords)})",
        ]
    )
    exec(compile(source, f"<checked {function.__qualname__}>", "exec"), namespace)  # noqa: S102
    fast: Callable[..., Any] = namespace[function.__name__]

    @functools.wraps(function)
    def checked(*args: Any, **kwargs: Any) -> Any:
        try:
            return fast(*args, **kwargs)
        except TypeError as error:
            # Raised by the call itself (no frame below this one): the arguments do not fit.
            if error.__traceback__ is not None and error.__traceback__.tb_next is None:
                raise ValidationError(function.__name__, f"arguments: {error}") from None
            raise

    return checked


def checked_facade(cls: C) -> C:
    """Class decorator for a context facade: each public method (its own or a use-case group's
    it inherits) checks its arguments against
    its annotations first: the type always; the content of text (storable), integers (64 bits)
    and paths (no NUL). What an entity validates itself (JSON, datetime ranges, lengths) is
    left to it, so the error names the column."""
    for name in dir(cls):
        member = inspect.getattr_static(cls, name)
        if not name.startswith("_") and inspect.isfunction(member):
            setattr(cls, name, _checking(member))
    cls.__checked_facade__ = True  # type: ignore[attr-defined]
    return cls


def is_checked_facade(value: object) -> bool:
    return bool(getattr(type(value), "__checked_facade__", False))
