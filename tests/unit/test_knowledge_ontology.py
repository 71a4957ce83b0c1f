"""The ontology schema: what a valid schema is, and the node and edge checks (unit)."""

from __future__ import annotations

from typing import Any

import pytest

from nexus.knowledge.domain.ontology import OntologySchema
from nexus.shared.errors import ValidationError
from tests.factories.knowledge import SCHEMA, make_edge, make_node, make_ontology, make_view


@pytest.mark.parametrize(
    ("schema", "field", "rule"),
    [
        ([], "ontologies.schema", "must be a JSON object"),
        ({}, "ontologies.schema.node_types", "required"),
        ({"node_types": {}, "extra": 1}, "ontologies.schema.extra", "unknown member"),
        ({"node_types": {" ": {}}}, "ontologies.schema.node_types. ", "non-blank"),
        ({"node_types": {"a": []}}, "ontologies.schema.node_types.a", "JSON object"),
        ({"node_types": {"a": {"props": {}}}}, "ontologies.schema.node_types.a.props", "unknown"),
        (
            {"node_types": {"a": {"properties": {"x": "date"}}}},
            "ontologies.schema.node_types.a.properties.x",
            "unknown property type 'date'",
        ),
        (
            {"node_types": {"a": {}}, "edge_types": {"e": {"target": []}}},
            "ontologies.schema.edge_types.e.target",
            "non-empty list",
        ),
        (
            {"node_types": {"a": {}}, "edge_types": {"e": {"source": ["b"]}}},
            "ontologies.schema.edge_types.e.source",
            "node type 'b' is not declared",
        ),
        ({"node_types": {"a": {"properties": {"x": float("nan")}}}}, None, None),
    ],
)
def test_bad_schemas_are_refused_naming_the_member(
    schema: Any, field: str | None, rule: str | None
) -> None:
    with pytest.raises(ValidationError) as caught:
        OntologySchema.parse(schema)
    if field is not None:
        assert caught.value.field == field
        assert rule is not None
        assert rule in caught.value.rule
    with pytest.raises(ValidationError):
        make_ontology(schema_=schema)


def test_node_and_edge_checks() -> None:
    rules = OntologySchema.parse(SCHEMA)
    rules.check_node("person", {"name": "Ada", "age": None})
    rules.check_edge("wrote", {}, "person", "paper")
    with pytest.raises(ValidationError, match=r"must be of type integer for node type 'person'"):
        rules.check_node("person", {"age": True})
    with pytest.raises(ValidationError) as caught:
        rules.check_edge("wrote", {}, "paper", "paper")
    assert caught.value.field == "graph_edges.source_id"
    assert "node type 'paper'" in caught.value.rule
    any_end = OntologySchema.parse({"node_types": {"a": {}}, "edge_types": {"e": {}}})
    any_end.check_edge("e", {}, "whatever", "else")
    number = OntologySchema.parse({"node_types": {"a": {"properties": {"n": "number"}}}})
    number.check_node("a", {"n": 1})
    number.check_node("a", {"n": 1.5})
    with pytest.raises(ValidationError):
        number.check_node("a", {"n": "1"})


def test_entities_refuse_bad_values() -> None:
    with pytest.raises(ValidationError, match=r"graph_nodes.label"):
        make_node(label="x" * 256)
    with pytest.raises(ValidationError, match=r"graph_nodes.key"):
        make_node(key="")
    with pytest.raises(ValidationError, match=r"graph_edges.properties"):
        make_edge(properties={"a": {1: 2}})
    with pytest.raises(ValidationError, match=r"graph_views.name"):
        make_view(name="x" * 201)
    with pytest.raises(ValidationError, match=r"graph_views.state"):
        make_view(state={"deep": [[[[]]]] * 1, "bad": "\x00"})
    node = make_node()
    assert node.change({"label": "New", "type": None}, node.updated_at) is True
    assert node.change({"label": "New"}, node.updated_at) is False
