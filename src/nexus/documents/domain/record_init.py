"""A frozen attrs record built from the fields a dict actually has: per set of keys, a function
generated once (as attrs generates `__init__`) converts and validates only the keys present and
sets every other field to its default, with the errors and values the class's `__init__` gives.

Why: a load-file record fills about a third of `ExhibitData`'s fifty fields; attrs' `__init__`
runs a converter and a validator for each of the fifty (measured: ~14 of the loader's ~87 µs per
document on SQLite)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs

from nexus.shared.errors import ValidationError

Plan = Callable[[dict[str, Any]], Any]
MAX_PLANS = 256
_SETATTR_GET = object.__setattr__.__get__


class RecordInit:
    """Builds instances of `cls` from `{name: value}` dicts, field by field as `cls(**values)`
    would: converters of the given fields in field order, then validators in field order.

    What makes skipping an absent field's converter and validator exact: its default is a
    constant (no factory), its converted value is taken from `cls()` once, and its validators
    depend on the value only, except those of the fields named in `always` (validators reading
    other fields, e.g. a range), which run whether the field is given or not. A key set that
    is not all field names (after `aliases`), or names a field twice, gets no plan: the caller
    takes its slow path, which raises the error."""

    def __init__(
        self,
        cls: type[Any],
        *,
        label: str,
        aliases: Mapping[str, str],
        always: frozenset[str] = frozenset(),
        max_plans: int = MAX_PLANS,
    ) -> None:
        fields = attrs.fields(cls)
        for a in fields:
            if isinstance(a.default, attrs.Factory) or isinstance(a.converter, attrs.Converter):  # type: ignore[arg-type]
                raise TypeError(f"{cls.__name__}.{a.name}: no factory or self-taking converter")
            if not a.init or a.alias != a.name:
                raise TypeError(f"{cls.__name__}.{a.name}: every field an init argument by name")
        if hasattr(cls, "__attrs_pre_init__") or hasattr(cls, "__attrs_post_init__"):
            raise TypeError(f"{cls.__name__}: no init hooks")
        probe = cls()
        self.cls = cls
        self.label = label
        self.aliases = dict(aliases)
        self.always = always
        self.fields = fields
        self.names = frozenset(a.name for a in fields)
        self.defaults = {a.name: getattr(probe, a.name) for a in fields}
        self.max_plans = max_plans
        self.plans: dict[tuple[Any, ...], Plan] = {}

    def plan(self, keys: tuple[Any, ...]) -> Plan | None:
        """The function building an instance from a dict with exactly these keys (in this
        order), or None when such a dict is the slow path's (unknown or repeated names).
        At most `max_plans` are kept, and only plans: a key set refused, or met once the
        plans are full, goes to the slow path without a function built for it, so input
        with many key sets (or bad ones) costs at worst what the slow path costs."""
        found = self.plans.get(keys)
        if found is not None or len(self.plans) >= self.max_plans:
            return found
        built = self._build(keys)
        if built is not None:
            self.plans[keys] = built
        return built

    def _build(self, keys: tuple[Any, ...]) -> Plan | None:
        if not all(type(k) is str for k in keys):
            return None
        renamed = [self.aliases.get(k, k) for k in keys]
        if len(set(renamed)) != len(renamed) or not self.names.issuperset(renamed):
            return None
        given = dict(zip(renamed, range(len(keys)), strict=True))
        scope: dict[str, Any] = {
            "_cls": self.cls,
            "_new": object.__new__,
            "_setattr_get": _SETATTR_GET,
            "_VE": ValidationError,
        }
        lines = ["def build(values):"]
        # The bool check of `from_dict`, in the dict's order (its first offender is the error).
        for i, key in enumerate(keys):
            field = f"{self.label}.{renamed[i]}"
            lines.append(f"    _v{i} = values[{key!r}]")
            lines.append(
                f"    if type(_v{i}) is bool: raise _VE({field!r}, 'must not be true or false')"
            )
        lines.append("    self = _new(_cls)")
        lines.append("    _setattr = _setattr_get(self)")
        checks = []
        for a in self.fields:
            name = a.name
            if name in given:
                value = f"_v{given[name]}"
                if a.converter is not None:
                    scope[f"_c_{name}"] = a.converter
                    lines.append(f"    _v{given[name]} = _c_{name}({value})")
                lines.append(f"    _setattr({name!r}, {value})")
            else:
                scope[f"_d_{name}"] = self.defaults[name]
                value = f"_d_{name}"
                lines.append(f"    _setattr({name!r}, {value})")
            if a.validator is not None and (name in given or name in self.always):
                scope[f"_val_{name}"] = a.validator
                scope[f"_a_{name}"] = a
                checks.append(f"    _val_{name}(self, _a_{name}, {value})")
        lines += checks
        lines.append("    return self")
        exec(compile("\n".join(lines), f"<record init {self.cls.__name__}>", "exec"), scope)  # noqa: S102 - code built from the class's own field names
        return scope["build"]  # type: ignore[no-any-return]
