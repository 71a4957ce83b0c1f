"""Agents (provider in the same workspace, one default, sync by class name) and the model
catalog (a source listing never overwrites what a user overrode)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nexus.shared.errors import ValidationError
from nexus.shared.ids import WorkspaceId, new_id
from nexus.workspaces.domain.agents import AgentDefinition, make_default, plan_sync
from nexus.workspaces.domain.catalog import CATALOG_FIELDS, CatalogSource, upsert
from tests.factories import NOW
from tests.factories.workspaces import (
    WORKSPACE,
    make_agent,
    make_catalog_entry,
    make_provider,
)

LATER = NOW + timedelta(hours=1)


def test_an_agent_uses_a_provider_of_its_own_workspace_only() -> None:
    agent = make_agent()
    provider = make_provider()
    agent.use_provider(provider, LATER)
    assert agent.provider_id == provider.id
    assert agent.updated_at == LATER
    with pytest.raises(ValidationError, match=r"agent_configs\.provider_id: must be a provider"):
        agent.use_provider(make_provider(workspace_id=WorkspaceId(new_id())), LATER)
    assert agent.provider_id == provider.id
    agent.use_provider(None, LATER)
    assert agent.provider_id is None


@pytest.mark.parametrize("field", ["class_name", "module_path"])
def test_blank_class_and_module_paths_mean_none(field: str) -> None:
    assert getattr(make_agent(**{field: ""}), field) is None
    assert getattr(make_agent(**{field: "   "}), field) is None
    with pytest.raises(ValidationError, match=f"agent_configs.{field}"):
        make_agent(**{field: " padded"})


@pytest.mark.parametrize(
    ("field", "value"),
    [("logo_url", "not a url"), ("icon", "x" * 256), ("is_default", 0), ("system_prompt", 5)],
)
def test_agent_field_rules(field: str, value: Any) -> None:
    with pytest.raises(ValidationError, match=f"agent_configs.{field}"):
        make_agent(**{field: value})


def test_one_default_per_workspace() -> None:
    agents = [make_agent(), make_agent(is_default=True), make_agent()]
    changed = make_default(agents, agents[2].id, LATER)
    assert [a.is_default for a in agents] == [False, False, True]
    assert changed == [agents[1], agents[2]]
    assert make_default(agents, agents[2].id, LATER) == []
    with pytest.raises(ValidationError, match="agent of this workspace"):
        make_default(agents, make_agent().id, LATER)


def definition(class_name: str, **values: Any) -> AgentDefinition:
    return AgentDefinition(class_name=class_name, name=values.pop("name", class_name), **values)


classes = st.lists(st.sampled_from([f"agents.A{i}" for i in range(8)]), unique=True, max_size=8)


@given(classes, classes)
def test_sync_upserts_by_class_and_keeps_user_fields(old: list[str], new: list[str]) -> None:
    existing = [
        make_agent(class_name=c, enabled=True, is_default=(i == 0), description="old")
        for i, c in enumerate(old)
    ]
    kept = {a.class_name: (a.id, a.enabled, a.is_default, a.provider_id) for a in existing}
    plan = plan_sync(WORKSPACE, existing, [definition(c, description="new") for c in new], LATER)
    assert sorted(a.class_name for a in plan.added) == sorted(set(new) - set(old))
    assert sorted(a.class_name for a in plan.updated) == sorted(set(new) & set(old))
    for agent in plan.added:
        assert (agent.enabled, agent.is_default, agent.workspace_id) == (False, False, WORKSPACE)
    for agent in plan.updated:
        assert agent.description == "new"
        assert (agent.id, agent.enabled, agent.is_default, agent.provider_id) == kept[
            agent.class_name
        ]
    # A second identical sync plans nothing new.
    again = plan_sync(
        WORKSPACE, [*existing, *plan.added], [definition(c, description="new") for c in new], LATER
    )
    assert again.added == []
    assert again.updated == []


def test_sync_refuses_duplicates_and_invalid_definitions_before_planning() -> None:
    with pytest.raises(ValidationError, match="listed twice"):
        plan_sync(WORKSPACE, [], [definition("a.B"), definition("a.B")], LATER)
    with pytest.raises(ValidationError, match=r"agent_configs\.logo_url"):
        plan_sync(WORKSPACE, [], [definition("a.B", logo_url="nope")], LATER)
    with pytest.raises(ValidationError):
        definition("")
    existing = make_agent(class_name="a.A", description="kept")
    with pytest.raises(ValidationError, match=r"agent_configs\.icon"):
        plan_sync(
            WORKSPACE,
            [existing],
            [definition("a.A", description="new"), definition("a.B", icon="x" * 300)],
            LATER,
        )
    assert existing.description == "kept"
    with pytest.raises(ValidationError, match="one workspace"):
        plan_sync(WorkspaceId(new_id()), [existing], [definition("a.A")], LATER)


# --- model catalog -------------------------------------------------------------------------

sources = st.builds(
    CatalogSource,
    canonical_id=st.just("openai/gpt-4o"),
    name=st.text(min_size=1, max_size=20).filter(lambda s: s.strip() and "\x00" not in s),
    description=st.none() | st.text(max_size=20).filter(lambda s: "\x00" not in s),
    image=st.none() | st.just("https://img.example.org/x.png"),
    context_window=st.none() | st.integers(1, 2_000_000),
)
overrides = st.dictionaries(
    st.sampled_from(CATALOG_FIELDS),
    st.sampled_from(["user value"]),
    max_size=4,
)


@given(st.lists(sources, min_size=1, max_size=5), overrides)
def test_upsert_never_overwrites_an_overridden_field(
    listings: list[CatalogSource], user: dict[str, str]
) -> None:
    entry, created = upsert(None, listings[0], NOW)
    assert created
    user_values = {f: (4096 if f == "context_window" else v) for f, v in user.items()}
    for field, value in user_values.items():
        entry.override(field, value, NOW)
    for listing in listings[1:]:
        same, _ = upsert(entry, listing, LATER)
        assert same is entry
    last = listings[-1]
    for field in CATALOG_FIELDS:
        assert getattr(entry, f"source_{field}") == getattr(last, field)
        expected = user_values[field] if field in user_values else getattr(last, field)
        assert getattr(entry, field) == expected
    assert entry.overridden_fields == tuple(sorted(user_values))


def test_upsert_reports_changes_and_clearing_an_override_restores_the_source() -> None:
    entry = make_catalog_entry()
    source = CatalogSource(
        canonical_id=entry.canonical_id, name="GPT-4o", description="Omni", context_window=128_000
    )
    assert upsert(entry, source, LATER) == (entry, True)
    assert (entry.description, entry.source_description, entry.updated_at) == ("Omni",) * 2 + (
        LATER,
    )
    assert upsert(entry, source, LATER) == (entry, False)
    entry.override("name", "My GPT", LATER)
    assert upsert(entry, CatalogSource(canonical_id=entry.canonical_id, name="GPT-4o v2"), LATER)[1]
    assert entry.name == "My GPT"
    entry.clear_override("name", LATER)
    assert (entry.name, entry.overridden_fields) == ("GPT-4o v2", ())


@pytest.mark.parametrize(
    ("field", "value", "rule"),
    [
        ("overridden_fields", ["price"], "must name only"),
        ("overridden_fields", "name", "must be a list"),
        ("context_window", 0, "at least 1"),
        ("canonical_id", "", "must not be empty"),
        ("name", None, "is required"),
    ],
)
def test_catalog_rules(field: str, value: Any, rule: str) -> None:
    with pytest.raises(ValidationError, match=rule):
        make_catalog_entry(**{field: value})


def test_overrides_are_validated_before_they_apply() -> None:
    entry = make_catalog_entry()
    with pytest.raises(ValidationError, match=r"model_catalog\.field"):
        entry.override("price", 1, LATER)
    with pytest.raises(ValidationError, match=r"model_catalog\.context_window"):
        entry.override("context_window", -1, LATER)
    assert entry.overridden_fields == ()
    with pytest.raises(ValidationError, match="canonical_id"):
        upsert(entry, CatalogSource(canonical_id="other", name="x"), LATER)
