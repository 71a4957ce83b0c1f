"""One generic attrs <-> ORM mapper, with per-entity overrides, and the registry of all mappers."""

from __future__ import annotations

import copy
import enum
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Generic, TypeVar

import attrs
from sqlalchemy import JSON, inspect

from nexus.shared.entity import NORMALISING

E = TypeVar("E")
R = TypeVar("R")


class MappingError(Exception):
    """A mapper does not cover every field and column; raised when the mapper is built."""


@attrs.frozen
class Convert:
    """A pair of functions for a field whose domain value differs from its column value
    (`to_entity` None: the entity's own converter reads the column value)."""

    to_record: Callable[[Any], Any]
    to_entity: Callable[[Any], Any] | None


@attrs.frozen
class Split:
    """A field stored in several columns (e.g. an instant and its UTC offset): `to_record`
    returns one value per column, in order; `to_entity` takes them as positional arguments."""

    columns: tuple[str, ...]
    to_record: Callable[[Any], tuple[Any, ...]]
    to_entity: Callable[..., Any]


@attrs.frozen
class _Pair:
    field: str
    attr: str
    to_record: Callable[[Any], Any] | None
    to_entity: Callable[[Any], Any] | None


@attrs.frozen
class _Load:
    field: str
    columns: tuple[str, ...]
    to_entity: Callable[..., Any] | None
    converter: Callable[[Any], Any] | None


def _is_json_variant(type_: Any) -> bool:
    impl = getattr(type_, "impl", None)
    return isinstance(impl, JSON) or isinstance(getattr(type_, "impl_instance", None), JSON)


def _compose(
    first: Callable[[Any], Any] | None, second: Callable[[Any], Any] | None
) -> Callable[[Any], Any] | None:
    """first, then second; either may be None."""
    if first is None or second is None:
        return first or second
    return lambda value: second(first(value))


def _enum_value(value: Any) -> Any:
    return None if value is None else value.value


def _enum_converters(entity: type[Any]) -> dict[str, Convert]:
    """Enums are stored as their value by default: a field typed with an Enum (or Enum | None)
    gets a converter to its value and back (unless the entity's own converter parses it)."""
    try:
        hints = typing.get_type_hints(entity)
    except (NameError, TypeError):
        return {}
    found: dict[str, Convert] = {}
    for field in attrs.fields(entity):
        hint = hints.get(field.name)
        members = typing.get_args(hint) if typing.get_args(hint) else (hint,)
        enums = [m for m in members if isinstance(m, type) and issubclass(m, enum.Enum)]
        if len(enums) != 1:
            continue
        parse = enums[0]
        to_entity = None if field.converter is not None else _optional(parse)
        found[field.name] = Convert(to_record=_enum_value, to_entity=to_entity)
    return found


def _optional(parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: None if value is None else parse(value)


_new = object.__new__
_set = object.__setattr__  # bypasses attrs' on_setattr hooks; later assignments still validate


class Mapper(Generic[E, R]):
    """Copies attrs entity fields to ORM record attributes and back.

    Every entity field must map to a record attribute (same name unless `renames` says otherwise),
    to several through `splits`, or be listed in `exclude_fields`; every record column must be
    mapped or be listed in `exclude_columns`. A gap is a MappingError when the mapper is built,
    not a silent loss.
    """

    def __init__(
        self,
        entity: type[E],
        record: type[R],
        *,
        renames: Mapping[str, str] | None = None,
        converters: Mapping[str, Convert] | None = None,
        splits: Mapping[str, Split] | None = None,
        exclude_fields: Iterable[str] = (),
        exclude_columns: Iterable[str] = (),
    ) -> None:
        self.entity = entity
        self.record = record
        renames = dict(renames or {})
        converters = {**_enum_converters(entity), **(converters or {})}
        splits = dict(splits or {})
        self.exclude_fields = frozenset(exclude_fields)
        self.exclude_columns = frozenset(exclude_columns)
        field_names = [f.name for f in attrs.fields(entity) if f.init]  # type: ignore[arg-type]
        column_attrs = [p.key for p in inspect(record).column_attrs]
        pairs: list[_Pair] = []
        split_pairs: list[tuple[str, Split]] = []
        for name in field_names:
            if name in self.exclude_fields:
                continue
            if name in splits:
                missing = [c for c in splits[name].columns if c not in column_attrs]
                if missing or name in converters or name in renames:
                    raise MappingError(
                        f"{entity.__name__}.{name}: split columns {missing} are not on "
                        f"{record.__name__}, or the field is also renamed or converted"
                    )
                split_pairs.append((name, splits[name]))
                continue
            attr = renames.get(name, name)
            if attr not in column_attrs:
                raise MappingError(
                    f"{entity.__name__}.{name} has no column on {record.__name__} "
                    f"(rename it or exclude it)"
                )
            conv = converters.get(name)
            pairs.append(
                _Pair(
                    name, attr, conv.to_record if conv else None, conv.to_entity if conv else None
                )
            )
        mapped = {p.attr for p in pairs} | {c for _n, sp in split_pairs for c in sp.columns}
        unmapped = [c for c in column_attrs if c not in mapped and c not in self.exclude_columns]
        if unmapped:
            raise MappingError(
                f"{record.__name__} columns {unmapped} are not mapped from {entity.__name__}"
            )
        unknown = (set(converters) - {p.field for p in pairs}) | (
            set(splits) - {n for n, _sp in split_pairs}
        )
        if unknown:
            raise MappingError(f"converters for unknown fields of {entity.__name__}: {unknown}")
        json_attrs = {
            p.key
            for p in inspect(record).column_attrs
            if any(isinstance(c.type, JSON) or _is_json_variant(c.type) for c in p.columns)
        }
        # A JSON value is mutable: the entity gets its own copy, so editing it in place can
        # never alias the record's (whose in-place changes the ORM would not see).
        pairs = [
            attrs.evolve(p, to_entity=_compose(copy.deepcopy, p.to_entity))
            if p.attr in json_attrs
            else p
            for p in pairs
        ]
        self._pairs = tuple(pairs)
        self._splits = tuple(split_pairs)
        self._load_plan = self._reconstitution_plan(entity)
        self._build_row_functions(record)

    def _reconstitution_plan(self, entity: type[Any]) -> tuple[_Load, ...] | None:
        """How to rebuild an entity from a row without re-running its validators: the row was
        validated on its way in and is held by the schema's constraints. Field converters still
        run (a string column becomes its enum again). None when an entity needs its __init__
        (excluded fields with defaults, converters that take self, a post-init hook)."""
        fields = attrs.fields(entity)
        if self.exclude_fields or any(not f.init for f in fields):
            return None
        if hasattr(entity, "__attrs_post_init__"):
            return None
        by_name = {f.name: f for f in fields}
        plan: list[_Load] = []
        for field, columns, to_entity in [
            *((p.field, (p.attr,), p.to_entity) for p in self._pairs),
            *((name, split.columns, split.to_entity) for name, split in self._splits),
        ]:
            converter = by_name[field].converter
            if converter is not None and (
                isinstance(converter, attrs.Converter) or not callable(converter)
            ):
                return None
            if getattr(converter, NORMALISING, False):
                converter = None  # the stored value is in normal form already
            plan.append(_Load(field, columns, to_entity, converter))
        return tuple(plan)

    def _build_row_functions(self, record: type[Any]) -> None:
        """Compile, once, the functions the adapters call per row: `row_of(entity)` (column name
        -> value) and `from_row(row)` (a row in the table's column order -> entity), each a
        straight-line function with no loop over a plan (hand-written speed)."""
        mapper = inspect(record)
        column_of = {p.key: p.columns[0].name for p in mapper.column_attrs}
        self.table = record.__table__
        self.columns: tuple[str, ...] = tuple(c.name for c in self.table.columns)
        position = {name: i for i, name in enumerate(self.columns)}
        self.field_of_column: dict[str, str] = {column_of[p.attr]: p.field for p in self._pairs}
        namespace: dict[str, Any] = {"_new": _new, "_set": _set, "_cls": self.entity}
        dump = ["def row_of(e):", "    return {"]
        for i, p in enumerate(self._pairs):
            value = f"e.{p.field}"
            if p.to_record is not None:
                namespace[f"_tr{i}"] = p.to_record
                value = f"_tr{i}({value})"
            dump.append(f"        {column_of[p.attr]!r}: {value},")
        dump.append("    }")
        for i, (name, split) in enumerate(self._splits):
            namespace[f"_sr{i}"] = split.to_record
            dump.insert(1, f"    _s{i} = _sr{i}(e.{name})")
            for j, col in enumerate(split.columns):
                dump.insert(-1, f"        {column_of[col]!r}: _s{i}[{j}],")
        load_lines: list[tuple[str, str]] = []
        for i, p in enumerate(self._pairs):
            value = f"row[{position[column_of[p.attr]]}]"
            if p.to_entity is not None:
                namespace[f"_te{i}"] = p.to_entity
                value = f"_te{i}({value})"
            load_lines.append((p.field, value))
        for i, (name, split) in enumerate(self._splits):
            namespace[f"_se{i}"] = split.to_entity
            args = ", ".join(f"row[{position[column_of[c]]}]" for c in split.columns)
            load_lines.append((name, f"_se{i}({args})"))
        if self._load_plan is not None:
            converters = {step.field: step.converter for step in self._load_plan}
            load = ["def from_row(row):", "    e = _new(_cls)"]
            for field, value in load_lines:
                if converters.get(field) is not None:
                    namespace[f"_c_{field}"] = converters[field]
                    value = f"_c_{field}({value})"
                load.append(f"    _set(e, {field!r}, {value})")
            load.append("    return e")
        else:
            args = ", ".join(f"{field}={value}" for field, value in load_lines)
            load = ["def from_row(row):", f"    return _cls({args})"]
        source = "\n".join(dump) + "\n\n" + "\n".join(load) + "\n"
        exec(compile(source, f"<mapper {self.entity.__name__}>", "exec"), namespace)  # noqa: S102
        self.row_of: Callable[[E], dict[str, Any]] = namespace["row_of"]
        self.from_row: Callable[[Any], E] = namespace["from_row"]

    def values_function(
        self,
        fields: Sequence[str],
        columns: Sequence[str] | None = None,
        processors: Mapping[str, Callable[[Any], Any] | None] | None = None,
    ) -> Callable[[Sequence[Any]], Any]:
        """A function from an entity's field values (a sequence in `fields` order, which must
        name every mapped field and nothing else) to its row, without building the entity (a
        bulk path whose values are valid already): the row dict `row_of` would give, or, with
        `columns`, a tuple in that column order with each column's processor (a driver's bind
        processor) applied. Compiled once, like `row_of`; a gap is a MappingError."""
        if self._splits:
            raise MappingError(f"{self.entity.__name__}: split fields have no values function")
        index = {name: i for i, name in enumerate(fields)}
        wanted = set(self.mapped_fields)
        if len(index) != len(fields) or set(fields) != wanted:
            raise MappingError(
                f"{self.entity.__name__}: values must name every mapped field once "
                f"(missing {sorted(wanted - set(fields))}, unknown {sorted(set(fields) - wanted)})"
            )
        column_of = {p.key: p.columns[0].name for p in inspect(self.record).column_attrs}
        by_column = {column_of[p.attr]: p for p in self._pairs}
        namespace: dict[str, Any] = {"_c": []}
        lines: list[str] = []
        parts: list[str] = []
        for n, column in enumerate(columns if columns is not None else self.columns):
            pair = by_column.get(column)
            if pair is None:
                raise MappingError(f"{self.entity.__name__}: no field writes column {column!r}")
            value = f"v[{index[pair.field]}]"
            if pair.to_record is not None:
                namespace[f"_tr{n}"] = pair.to_record
                value = f"_tr{n}({value})"
            processor = None if processors is None else processors.get(column)
            type_ = self.table.c[column].type
            if processor is not None and (isinstance(type_, JSON) or _is_json_variant(type_)):
                # A JSON value may be mutable: processed every time.
                namespace[f"_p{n}"] = processor
                value = f"_p{n}({value})"
            elif processor is not None:
                # The last value and its processed form, per column (one tuple, replaced
                # whole: threads share the function): a chunk's constants (its case, batch,
                # instant) are processed once, not per row. None stays None (SQL NULL) when
                # the processor says so.
                slot = len(namespace["_c"])
                namespace["_c"].append((object(), None))
                namespace[f"_p{n}"] = processor
                skip_none = processor(None) is None
                lines += [
                    f"    x{n} = {value}",
                    f"    c{n} = _c[{slot}]",
                    f"    if c{n}[0] is x{n}:",
                    f"        x{n} = c{n}[1]",
                    f"    elif x{n} is not None:" if skip_none else "    else:",
                    f"        y{n} = _p{n}(x{n})",
                    f"        _c[{slot}] = (x{n}, y{n})",
                    f"        x{n} = y{n}",
                ]
                value = f"x{n}"
            parts.append(f"{column!r}: {value}" if columns is None else value)
        body = "{" + ", ".join(parts) + "}" if columns is None else "(" + ", ".join(parts) + ",)"
        source = "def values(v):\n" + "".join(f"{line}\n" for line in lines)
        source += f"    return {body}\n"
        exec(compile(source, f"<values {self.entity.__name__}>", "exec"), namespace)  # noqa: S102
        return namespace["values"]  # type: ignore[no-any-return]

    @property
    def mapped_fields(self) -> tuple[str, ...]:
        return tuple(p.field for p in self._pairs) + tuple(n for n, _sp in self._splits)

    def to_entity(self, record: R) -> E:
        if self._load_plan is None:
            return self.validated_entity(record)
        entity = _new(self.entity)
        for step in self._load_plan:
            if len(step.columns) == 1:
                value = getattr(record, step.columns[0])
                if step.to_entity is not None:
                    value = step.to_entity(value)
            else:
                value = step.to_entity(*(getattr(record, c) for c in step.columns))  # type: ignore[misc]
            _set(entity, step.field, step.converter(value) if step.converter else value)
        return entity

    def validated_entity(self, record: R) -> E:
        """Through the entity's __init__, every validator included."""
        values: dict[str, Any] = {}
        for p in self._pairs:
            value = getattr(record, p.attr)
            values[p.field] = p.to_entity(value) if p.to_entity else value
        for name, split in self._splits:
            values[name] = split.to_entity(*(getattr(record, c) for c in split.columns))
        return self.entity(**values)

    def to_values(self, entity: E) -> dict[str, Any]:
        """Record attribute -> value: the plain row dict bulk inserts use."""
        values: dict[str, Any] = {}
        for p in self._pairs:
            value = getattr(entity, p.field)
            values[p.attr] = p.to_record(value) if p.to_record else value
        for name, split in self._splits:
            values.update(zip(split.columns, split.to_record(getattr(entity, name)), strict=True))
        return values

    def to_record(self, entity: E) -> R:
        return self.record(**self.to_values(entity))

    def apply(self, entity: E, record: R) -> None:
        """Copy the entity onto an existing record, touching only attributes that differ."""
        for attr, value in self.to_values(entity).items():
            if getattr(record, attr) != value:
                setattr(record, attr, value)


class MapperRegistry:
    """Every mapper the application builds, so one test can check them all."""

    def __init__(self) -> None:
        self._mappers: dict[type[Any], Mapper[Any, Any]] = {}

    def register(self, mapper: Mapper[E, R]) -> Mapper[E, R]:
        if mapper.entity in self._mappers:
            raise MappingError(f"a mapper for {mapper.entity.__name__} is registered already")
        self._mappers[mapper.entity] = mapper
        return mapper

    def for_entity(self, entity: type[E]) -> Mapper[E, Any]:
        return self._mappers[entity]

    def __iter__(self) -> Iterator[Mapper[Any, Any]]:
        return iter(list(self._mappers.values()))

    def __len__(self) -> int:
        return len(self._mappers)


registry = MapperRegistry()


def register(
    entity: type[E],
    record: type[R],
    **options: Any,
) -> Mapper[E, R]:
    """Build a mapper and add it to the registry."""
    return registry.register(Mapper(entity, record, **options))
