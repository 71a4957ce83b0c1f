"""A workspace's ontology: the node types and edge types its graph may hold, each with its
properties and their types; edge types also name the node types they may join.

    {"node_types": {"person": {"properties": {"name": "string", "age": "integer"}}},
     "edge_types": {"knows": {"source": ["person"], "target": ["person"],
                              "properties": {"since": "integer"}}}}

The schema is checked when it is saved (`OntologySchema.parse`); nodes and edges are checked
against it with errors naming the type and the property.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import attrs

from nexus.knowledge.domain.ids import OntologyId, new_ontology_id
from nexus.knowledge.domain.values import NAME_MAX_LENGTH, check_json_value, name_field
from nexus.shared.entity import Entity, aware_datetime, text
from nexus.shared.errors import ValidationError
from nexus.shared.ids import WorkspaceId

SCHEMA_FIELD = "ontologies.schema"
DESCRIPTION_MAX_LENGTH = 100_000

# Property type name -> the check of a JSON value (None is accepted for every type: unset).
PROPERTY_TYPES: Mapping[str, Any] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
}


def _object(where: str, value: Any, allowed: frozenset[str] | None) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValidationError(where, f"must be a JSON object, not {type(value).__name__}")
    unknown = [] if allowed is None else sorted(set(value) - allowed)
    if allowed is not None and unknown:
        raise ValidationError(
            f"{where}.{unknown[0]}", f"unknown member (allowed: {', '.join(sorted(allowed))})"
        )
    return value


def _type_name(where: str, name: Any) -> str:
    if not isinstance(name, str) or not name.strip():
        raise ValidationError(where, "type names must be non-blank text")
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(where, f"type names must be at most {NAME_MAX_LENGTH} characters")
    return name


def _properties(where: str, value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValidationError(where, "must map property names to type names")
    for name, kind in value.items():
        if not isinstance(name, str) or not name.strip():
            raise ValidationError(where, "property names must be non-blank text")
        if kind not in PROPERTY_TYPES:
            raise ValidationError(
                f"{where}.{name}",
                f"unknown property type {kind!r} (one of {', '.join(PROPERTY_TYPES)})",
            )
    return dict(value)


@attrs.frozen
class EdgeRule:
    sources: frozenset[str] | None  # None: any node type
    targets: frozenset[str] | None
    properties: Mapping[str, str]


@attrs.frozen
class OntologySchema:
    """The parsed schema: node type -> properties, edge type -> its rule."""

    node_types: Mapping[str, Mapping[str, str]]
    edge_types: Mapping[str, EdgeRule]

    @classmethod
    def parse(cls, document: Any) -> OntologySchema:
        """Check a schema document; a ValidationError names the member and the rule."""
        top = _object(SCHEMA_FIELD, document, frozenset({"node_types", "edge_types"}))
        check_json_value(SCHEMA_FIELD, top)
        if "node_types" not in top:
            raise ValidationError(f"{SCHEMA_FIELD}.node_types", "required")
        raw_nodes = _object(f"{SCHEMA_FIELD}.node_types", top["node_types"], None)
        nodes: dict[str, Mapping[str, str]] = {}
        for name, spec in raw_nodes.items():
            where = f"{SCHEMA_FIELD}.node_types.{name}"
            _type_name(where, name)
            body = _object(where, spec, frozenset({"properties", "description"}))
            nodes[name] = _properties(f"{where}.properties", body.get("properties"))
        raw_edges = _object(f"{SCHEMA_FIELD}.edge_types", top.get("edge_types", {}), None)
        edges: dict[str, EdgeRule] = {}
        for name, spec in raw_edges.items():
            where = f"{SCHEMA_FIELD}.edge_types.{name}"
            _type_name(where, name)
            body = _object(
                where, spec, frozenset({"source", "target", "properties", "description"})
            )
            edges[name] = EdgeRule(
                sources=_ends(f"{where}.source", body.get("source"), nodes),
                targets=_ends(f"{where}.target", body.get("target"), nodes),
                properties=_properties(f"{where}.properties", body.get("properties")),
            )
        return cls(node_types=nodes, edge_types=edges)

    def check_node(
        self, type: str, properties: Mapping[str, Any], where: str = "graph_nodes"
    ) -> None:
        declared = self.node_types.get(type)
        if declared is None:
            raise ValidationError(
                f"{where}.type", f"node type {type!r} is not declared in the workspace's ontology"
            )
        _check_properties(where, f"node type {type!r}", declared, properties)

    def check_edge(
        self,
        type: str,
        properties: Mapping[str, Any],
        source_type: str,
        target_type: str,
        where: str = "graph_edges",
    ) -> None:
        rule = self.edge_types.get(type)
        if rule is None:
            raise ValidationError(
                f"{where}.type", f"edge type {type!r} is not declared in the workspace's ontology"
            )
        for end, allowed, actual in (
            ("source", rule.sources, source_type),
            ("target", rule.targets, target_type),
        ):
            if allowed is not None and actual not in allowed:
                raise ValidationError(
                    f"{where}.{end}_id",
                    f"edge type {type!r} may not have a {end} of node type {actual!r} "
                    f"(allowed: {', '.join(sorted(allowed))})",
                )
        _check_properties(where, f"edge type {type!r}", rule.properties, properties)


def _ends(where: str, value: Any, nodes: Mapping[str, Any]) -> frozenset[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        raise ValidationError(where, "must be a non-empty list of node types")
    for name in value:
        if name not in nodes:
            raise ValidationError(where, f"node type {name!r} is not declared in node_types")
    return frozenset(value)


def _check_properties(
    where: str, owner: str, declared: Mapping[str, str], properties: Mapping[str, Any]
) -> None:
    for name, value in properties.items():
        kind = declared.get(name)
        if kind is None:
            raise ValidationError(
                f"{where}.properties.{name}", f"property {name!r} is not declared for {owner}"
            )
        if value is not None and not PROPERTY_TYPES[kind](value):
            raise ValidationError(
                f"{where}.properties.{name}",
                f"must be of type {kind} for {owner}, not {type(value).__name__}",
            )


def _schema(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    OntologySchema.parse(value)


@attrs.define(kw_only=True)
class Ontology(Entity):
    """A workspace's ontology (one per workspace); `schema_` is stored in the column `schema`."""

    __label__ = "ontologies"

    id: OntologyId = attrs.field(factory=new_ontology_id)
    workspace_id: WorkspaceId
    name: str = name_field()
    description: str | None = attrs.field(
        default=None, validator=text(max_length=DESCRIPTION_MAX_LENGTH, optional=True)
    )
    schema_: dict[str, Any] = attrs.field(validator=_schema)
    created_at: datetime = attrs.field(validator=aware_datetime())
    updated_at: datetime = attrs.field(validator=aware_datetime())

    @property
    def rules(self) -> OntologySchema:
        return OntologySchema.parse(self.schema_)
