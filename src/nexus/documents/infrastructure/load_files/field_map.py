"""Field maps: producer field names (BEGDOC, CUSTODIAN, DATESENT, ...) to the loader's target
names, with per-field conversion (multi-value split, dates in a default zone, integers).

JSON shape::

    {"time_zone": "America/New_York",          # zone of dates without one (default UTC)
     "columns": ["BEGDOC", "ENDDOC"],          # names for a headerless file (optional)
     "dialect": {"delimiter": "|", "quote": "^"},   # DatDialect options (optional)
     "fields": {"BEGDOC": "nge_document_id",
                "TO": {"target": "to", "split": true},
                "DATESENT": {"target": "sent_at", "type": "datetime", "time_field": "TIMESENT"}}}

Source names match the file's field names case-insensitively. Empty values are left out.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from datetime import date, datetime, tzinfo
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from nexus.shared.errors import ValidationError

from .dates import parse_date, parse_datetime
from .dialect import DatDialect
from .results import DatRecord, RecordError

FieldType = Literal["text", "datetime", "date", "integer"]
Converted = str | list[str] | int | datetime | date
_TYPES = ("text", "datetime", "date", "integer")
_FIELD_OPTIONS = frozenset(
    {"target", "type", "split", "time_field", "required", "aliases", "formats"}
)
_TOP_OPTIONS = frozenset({"time_zone", "columns", "dialect", "fields"})


@attrs.frozen(kw_only=True)
class FieldRule:
    """How one producer field becomes one target field."""

    source: str
    target: str
    type: FieldType = "text"
    split: bool = False
    time_field: str | None = None
    required: bool = False
    aliases: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    plain: bool = attrs.field(init=False)

    @plain.default
    def _plain(self) -> bool:
        """Text kept as it is: the common case, which needs no conversion."""
        return self.type == "text" and not self.split


@attrs.frozen(kw_only=True)
class FieldMap:
    """A validated field map; `apply` converts one DAT record."""

    rules: tuple[FieldRule, ...]
    zone: tzinfo = attrs.field(factory=lambda: ZoneInfo("UTC"))
    columns: tuple[str, ...] | None = None
    dialect: DatDialect = attrs.field(factory=DatDialect)
    _bound: dict[tuple[str, ...], list[tuple[FieldRule, str | None, str | None]]] = attrs.field(
        factory=dict, init=False, eq=False, repr=False
    )

    def _bind(self, names: tuple[str, ...]) -> list[tuple[FieldRule, str | None, str | None]]:
        """Per rule: the file's name for its source (or an alias) and for its time field."""
        by_folded = {name.casefold(): name for name in names}
        bound = []
        for rule in self.rules:
            found = next(
                (
                    by_folded[n.casefold()]
                    for n in (rule.source, *rule.aliases)
                    if n.casefold() in by_folded
                ),
                None,
            )
            time_name = by_folded.get(rule.time_field.casefold()) if rule.time_field else None
            if found is not None or rule.required:  # absent optional fields cost nothing
                bound.append((rule, found, time_name))
        return bound

    def check(self, names: Sequence[str]) -> None:
        """Refuse a file whose field names lack a required field (before reading its records)."""
        bound = self._bind(tuple(names))
        for rule, name, _ in bound:
            if rule.required and name is None:
                raise ValidationError(rule.source, "required field missing from the file")

    def apply(self, record: DatRecord) -> dict[str, Converted] | RecordError:
        """The record's target fields (empty values left out), or the first field that fails."""
        fields = record.fields
        names = tuple(fields)
        bound = self._bound.get(names)
        if bound is None:
            bound = self._bound.setdefault(names, self._bind(names))
        out: dict[str, Converted] = {}
        for rule, name, time_name in bound:
            raw = fields[name].strip() if name is not None else ""
            if not raw:
                if rule.required:
                    return RecordError(line=record.line, field=name or rule.source, rule="required")
                continue
            if rule.plain:
                out[rule.target] = raw
                continue
            try:
                out[rule.target] = self._convert(rule, raw, fields[time_name] if time_name else "")
            except ValueError as error:
                return RecordError(line=record.line, field=name, rule=str(error))
        return out

    def _convert(self, rule: FieldRule, raw: str, time_text: str) -> Converted:
        if rule.split:
            parts = [part.strip() for part in raw.split(self.dialect.multi_value)]
            return [part for part in parts if part]
        if rule.type == "text":
            return raw
        if rule.type == "datetime":
            return parse_datetime(raw, self.zone, time_text=time_text, formats=rule.formats)
        if rule.type == "date":
            return parse_date(raw, rule.formats)
        if not raw.lstrip("-").isdigit():
            raise ValueError(f"not an integer: {raw!r}")
        return int(raw)


def _rule(source: str, spec: object) -> FieldRule:
    where = f"fields.{source}"
    if isinstance(spec, str):
        spec = {"target": spec}
    if not isinstance(spec, Mapping):
        raise ValidationError(where, "must be a target name or an object")
    unknown = set(spec) - _FIELD_OPTIONS
    if unknown:
        raise ValidationError(f"{where}.{sorted(unknown)[0]}", "unknown option")
    target = spec.get("target")
    if not isinstance(target, str) or not target.strip():
        raise ValidationError(f"{where}.target", "required text")
    kind = spec.get("type", "text")
    if kind not in _TYPES:
        raise ValidationError(f"{where}.type", f"must be one of {', '.join(_TYPES)}")
    for flag in ("split", "required"):
        if not isinstance(spec.get(flag, False), bool):
            raise ValidationError(f"{where}.{flag}", "must be true or false")
    if spec.get("split") and kind != "text":
        raise ValidationError(f"{where}.split", "only text fields split")
    time_field = spec.get("time_field")
    if time_field is not None and (kind != "datetime" or not isinstance(time_field, str)):
        raise ValidationError(f"{where}.time_field", "a field name, on datetime fields only")
    lists = {}
    for option in ("aliases", "formats"):
        value = spec.get(option, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise ValidationError(f"{where}.{option}", "must be a list of text")
        lists[option] = tuple(value)
    return FieldRule(
        source=source,
        target=target.strip(),
        type=kind,
        split=spec.get("split", False),
        time_field=time_field,
        required=spec.get("required", False),
        aliases=lists["aliases"],
        formats=lists["formats"],
    )


def _zone(name: object) -> tzinfo:
    if not isinstance(name, str):
        raise ValidationError("time_zone", "must be a zone name")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError("time_zone", f"unknown zone {name!r}") from None


def _dialect(spec: object) -> DatDialect:
    if not isinstance(spec, Mapping):
        raise ValidationError("dialect", "must be an object")
    allowed = {field.name for field in attrs.fields(DatDialect)}
    unknown = set(spec) - allowed
    if unknown:
        raise ValidationError(f"dialect.{sorted(unknown)[0]}", "unknown option")
    try:
        return DatDialect(**spec)
    except ValidationError as error:
        raise ValidationError(f"dialect.{error.field}", error.rule) from None


def field_map_from_dict(data: object) -> FieldMap:
    """Validate a decoded field map; ValidationError names the offending key."""
    if not isinstance(data, Mapping):
        raise ValidationError("field_map", "must be a JSON object")
    unknown = set(data) - _TOP_OPTIONS
    if unknown:
        raise ValidationError(sorted(unknown)[0], "unknown option")
    fields = data.get("fields")
    if not isinstance(fields, Mapping) or not fields:
        raise ValidationError("fields", "required: an object of producer field -> target")
    rules = tuple(_rule(str(source), spec) for source, spec in fields.items())
    targets: set[str] = set()
    sources: set[str] = set()
    for rule in rules:
        if rule.target in targets:
            raise ValidationError(f"fields.{rule.source}", f"duplicate target {rule.target!r}")
        targets.add(rule.target)
        for name in (rule.source, *rule.aliases):
            if name.casefold() in sources:
                raise ValidationError(f"fields.{rule.source}", f"source {name!r} mapped twice")
            sources.add(name.casefold())
    columns = data.get("columns")
    if columns is not None and (
        not isinstance(columns, list) or not all(isinstance(c, str) and c for c in columns)
    ):
        raise ValidationError("columns", "must be a list of field names")
    return FieldMap(
        rules=rules,
        zone=_zone(data.get("time_zone", "UTC")),
        columns=tuple(columns) if columns is not None else None,
        dialect=_dialect(data.get("dialect", {})),
    )


def load_field_map(path: str | os.PathLike[str]) -> FieldMap:
    """Read and validate a JSON field map file."""
    try:
        with open(path, encoding="utf-8-sig") as file:
            data: Any = json.load(file)
    except OSError as error:
        raise ValidationError("field_map", f"cannot open: {error.strerror}") from None
    except ValueError as error:
        raise ValidationError("field_map", f"invalid JSON: {error}") from None
    return field_map_from_dict(data)
