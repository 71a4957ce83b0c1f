"""Hypothesis: the workspaces entities' invariants (every field's rule) and their behaviour."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from nexus.shared.errors import ValidationError
from nexus.shared.ids import UserId, WorkspaceId, new_id
from nexus.workspaces.domain.providers import is_secret_key
from nexus.workspaces.domain.secrets import Ciphertext
from nexus.workspaces.domain.servers import InferenceServerType
from nexus.workspaces.domain.workspaces import Workspace
from tests.factories import NOW
from tests.factories.workspaces import (
    CIPHERTEXT,
    make_abi_server,
    make_agent,
    make_app_config,
    make_catalog_entry,
    make_inference_server,
    make_provider,
    make_secret,
    make_workspace,
    make_ws_member,
)

SLUG = r"[a-z0-9]+(-[a-z0-9]+)*"
LATER = NOW + timedelta(hours=1)
BUILDERS: dict[str, Callable[..., Any]] = {
    "workspaces": make_workspace,
    "workspace_members": make_ws_member,
    "abi_servers": make_abi_server,
    "inference_servers": make_inference_server,
    "provider_configs": make_provider,
    "agent_configs": make_agent,
    "secrets": make_secret,
    "app_configs": make_app_config,
    "model_catalog": make_catalog_entry,
}


@pytest.mark.parametrize("table", list(BUILDERS))
def test_every_entity_has_a_valid_example_with_utc_v7_ids(table: str) -> None:
    entity = BUILDERS[table]()
    assert type(entity).__label__ == table
    if table != "model_catalog":
        assert entity.id.version == 7


@pytest.mark.parametrize("table", list(BUILDERS))
@pytest.mark.parametrize("field", ["created_at", "updated_at"])
def test_naive_timestamps_are_refused_everywhere(table: str, field: str) -> None:
    entity = BUILDERS[table]()
    if not hasattr(entity, field):
        return
    with pytest.raises(ValidationError, match=rf"{table}\.{field}: must be timezone-aware"):
        BUILDERS[table](**{field: datetime(2026, 1, 1)})
    with pytest.raises(ValidationError):
        setattr(entity, field, datetime(2026, 1, 1))


REQUIRED_NAMES = [
    ("workspaces", "name"),
    ("abi_servers", "name"),
    ("inference_servers", "name"),
    ("provider_configs", "provider_type"),
    ("provider_configs", "name"),
    ("provider_configs", "model"),
    ("agent_configs", "name"),
    ("model_catalog", "name"),
]


@pytest.mark.parametrize(("table", "field"), REQUIRED_NAMES)
@pytest.mark.parametrize(
    ("value", "rule"),
    [(None, "is required"), ("", "must not be empty"), ("   ", "blank"), ("x" * 256, "255")],
)
def test_required_names_are_bounded(table: str, field: str, value: Any, rule: str) -> None:
    with pytest.raises(ValidationError, match=rf"{table}\.{field}: .*{rule}"):
        BUILDERS[table](**{field: value})
    assert getattr(BUILDERS[table](**{field: "x" * 255}), field) == "x" * 255


@given(st.from_regex(SLUG, fullmatch=True).filter(lambda s: 3 <= len(s) <= 63))
def test_valid_slugs_are_kept(slug: str) -> None:
    assert make_workspace(slug=slug).slug == slug


@given(st.text(max_size=70))
def test_invalid_slugs_are_refused(slug: str) -> None:
    assume(not (3 <= len(slug) <= 63 and re.fullmatch(SLUG, slug)))
    with pytest.raises(ValidationError) as raised:
        make_workspace(slug=slug)
    assert raised.value.field == "workspaces.slug"


COLOURS = ["primary_color", "accent_color", "background_color", "sidebar_color"]


@pytest.mark.parametrize("field", COLOURS)
@given(colour=st.from_regex(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})", fullmatch=True))
def test_hex_colours_are_kept(field: str, colour: str) -> None:
    assert getattr(make_workspace(**{field: colour}), field) == colour


@pytest.mark.parametrize("field", COLOURS)
@pytest.mark.parametrize("colour", ["red", "#12", "#1234567", "22c55e", "#ggg", ""])
def test_other_colours_are_refused(field: str, colour: str) -> None:
    with pytest.raises(ValidationError, match=rf"workspaces\.{field}: must be a hex colour"):
        make_workspace(**{field: colour})


def test_workspace_defaults_follow_nexus() -> None:
    workspace = make_workspace()
    assert workspace.primary_color == "#22c55e"
    assert workspace.platform_drive_enabled is False
    assert workspace.system_drive_enabled is False
    assert workspace.organization_id is None


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("logo_url", "javascript:alert(1)"),
        ("logo_url", "https://x.org/a b"),
        ("logo_emoji", "x" * 11),
        ("logo_emoji", ""),
        ("font_family", "Inter; } body { color: red"),
        ("platform_drive_enabled", 1),
        ("system_drive_enabled", "yes"),
    ],
)
def test_workspace_style_rules(field: str, value: Any) -> None:
    with pytest.raises(ValidationError, match=rf"workspaces\.{field}"):
        make_workspace(**{field: value})


def test_create_makes_the_creator_an_owner_member() -> None:
    owner = UserId(new_id())
    workspace, member = Workspace.create(name="Lab", slug="lab", owner_id=owner, now=NOW)
    assert workspace.owner_id == owner == member.user_id
    assert member.workspace_id == workspace.id
    assert member.is_owner
    assert workspace.created_at == workspace.updated_at == member.created_at == NOW


def test_change_is_all_or_nothing_and_reports_what_changed() -> None:
    workspace = make_workspace(name="Old")
    with pytest.raises(ValidationError, match=r"workspaces\.primary_color"):
        workspace.change({"name": "New", "primary_color": "blue"}, LATER)
    assert workspace.name == "Old"
    assert workspace.updated_at == NOW
    assert workspace.change({"name": "New", "accent_color": None}, LATER) == ["name"]
    assert workspace.name == "New"
    assert workspace.updated_at == LATER
    with pytest.raises(ValidationError, match=r"workspaces\.owner_id: is not a field"):
        workspace.change({"owner_id": UserId(new_id())}, LATER)


def test_move_and_hand_over() -> None:
    workspace = make_workspace()
    organization = new_id()
    assert workspace.move_to(organization, LATER) is True  # type: ignore[arg-type]
    assert workspace.move_to(organization, LATER) is False  # type: ignore[arg-type]
    assert workspace.move_to(None, LATER) is True
    new_owner = UserId(new_id())
    workspace.hand_over(new_owner, LATER)
    assert workspace.owner_id == new_owner


def test_member_roles_are_checked() -> None:
    assert make_ws_member(role="viewer").role.value == "viewer"
    assert make_ws_member().role.value == "member"
    with pytest.raises(ValidationError, match=r"workspace_members\.role: must be one of"):
        make_ws_member(role="superuser")


# --- servers -------------------------------------------------------------------------------


@pytest.mark.parametrize("builder", [make_abi_server, make_inference_server])
@pytest.mark.parametrize(
    "endpoint", [None, "", "ftp://x.org", "localhost:11434", "http://", "https://a b.org"]
)
def test_server_endpoints_must_be_http_urls(builder: Callable[..., Any], endpoint: Any) -> None:
    with pytest.raises(ValidationError, match=r"servers\.endpoint"):
        builder(endpoint=endpoint)


@pytest.mark.parametrize("builder", [make_abi_server, make_inference_server])
@given(plaintext=st.text(max_size=40))
def test_server_api_keys_hold_ciphertexts_never_plaintexts(
    builder: Callable[..., Any], plaintext: str
) -> None:
    assume(not re.fullmatch(r"v[1-9][0-9]*:[A-Za-z0-9_-]{38,}", plaintext))
    with pytest.raises(ValidationError, match=r"servers\.api_key: must be a ciphertext"):
        builder(api_key=plaintext)


@pytest.mark.parametrize(
    "builder", [make_abi_server, make_inference_server, make_provider, make_agent, make_app_config]
)
def test_enable_and_disable(builder: Callable[..., Any]) -> None:
    entity = builder()
    start = entity.enabled
    assert entity.set_enabled(start, LATER) is False
    assert entity.updated_at == NOW
    assert entity.set_enabled(not start, LATER) is True
    assert entity.enabled is (not start)
    assert entity.updated_at == LATER
    entity.disable(LATER)
    assert entity.enabled is False
    entity.enable(LATER)
    assert entity.enabled is True
    with pytest.raises(ValidationError, match="must be true or false"):
        entity.set_enabled("yes", LATER)


def test_nexus_defaults_of_enabled() -> None:
    assert make_abi_server().enabled is True
    assert make_inference_server().enabled is True
    assert make_app_config().enabled is True
    assert make_provider().enabled is False
    assert make_agent().enabled is False
    assert make_agent().is_default is False


def test_api_keys_are_set_and_rotated() -> None:
    server = make_abi_server()
    server.set_api_key(Ciphertext(CIPHERTEXT), LATER)
    assert server.api_key == CIPHERTEXT
    assert server.updated_at == LATER
    server.rotate_api_key(Ciphertext("v2:" + CIPHERTEXT.removeprefix("v1:")))
    assert server.updated_at == LATER
    assert server.api_key_binding.workspace_id == server.workspace_id
    assert server.api_key_binding.name == str(server.id)
    assert server.api_key_binding != make_inference_server(id=server.id).api_key_binding


@pytest.mark.parametrize("kind", list(InferenceServerType))
def test_inference_server_types(kind: InferenceServerType) -> None:
    assert make_inference_server(type=kind.value).type is kind


def test_unknown_inference_server_type_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"inference_servers\.type: must be one of ollama"):
        make_inference_server(type="openai")


@given(st.from_regex(r"/[A-Za-z0-9._~/-]{0,100}", fullmatch=True))
def test_url_paths_are_kept(path: str) -> None:
    assert make_inference_server(health_path=path).health_path == path


@pytest.mark.parametrize("field", ["health_path", "models_path"])
@pytest.mark.parametrize("path", ["api/tags", "", "/a b", "http://x.org/api", "/" + "a" * 255])
def test_url_paths_must_start_with_a_slash(field: str, path: str) -> None:
    with pytest.raises(ValidationError, match=rf"inference_servers\.{field}: must be a URL path"):
        make_inference_server(**{field: path})


def test_server_changes_touch_only_their_fields() -> None:
    server = make_inference_server()
    assert server.change({"name": "GPU box", "models_path": None}, LATER) == [
        "name",
        "models_path",
    ]
    with pytest.raises(ValidationError, match=r"inference_servers\.api_key: is not a field"):
        server.change({"api_key": CIPHERTEXT}, LATER)
    with pytest.raises(ValidationError, match=r"abi_servers\.enabled: is not a field"):
        make_abi_server().change({"enabled": False}, LATER)


# --- provider configs ----------------------------------------------------------------------

SECRET_KEYS = [
    "api_key",
    "apiKey",
    "API-KEY",
    "token",
    "auth_token",
    "accessToken",
    "password",
    "db_passwd",
    "secret",
    "client_secret",
    "clientSecret",
    "credentials",
    "private_key",
    "aws_access_key_id",
    "apikey",
]
SAFE_KEYS = ["temperature", "max_tokens", "top_p", "base_url", "model", "keyword", "tokenizer"]


@pytest.mark.parametrize("key", SECRET_KEYS)
def test_config_keys_naming_secrets_are_refused_at_any_depth(key: str) -> None:
    for config in ({key: "x"}, {"auth": {key: "x"}}, {"list": [{"deep": [{key: 1}]}]}):
        with pytest.raises(ValidationError, match="set_secret") as raised:
            make_provider(config=config)
        assert raised.value.field == "provider_configs.config"
        assert raised.value.value is None  # the would-be secret is never echoed


@pytest.mark.parametrize("key", SAFE_KEYS)
def test_ordinary_config_keys_are_kept(key: str) -> None:
    assert make_provider(config={key: 1}).config == {key: 1}


@given(
    st.lists(st.from_regex(r"[a-z]{1,8}", fullmatch=True), min_size=1, max_size=4),
    st.sampled_from(["token", "password", "secret", "api_key"]),
)
def test_a_secret_word_anywhere_in_a_key_is_refused(words: list[str], secret: str) -> None:
    assert is_secret_key("_".join([*words, secret]))
    assert is_secret_key("_".join([secret, *words]))


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(SAFE_KEYS), children, max_size=3)
    ),
    max_leaves=10,
)


@given(st.dictionaries(st.sampled_from(SAFE_KEYS), JSON, max_size=4))
def test_json_objects_without_secrets_are_kept(config: dict[str, Any]) -> None:
    assert make_provider(config=config).config == config


@pytest.mark.parametrize(
    ("config", "rule"),
    [
        ([1, 2], "must be a JSON object"),
        (None, "must be a JSON object"),
        ({"t": float("nan")}, "finite"),
        ({"t": {1: 2}}, "keys must be text"),
        ({"t": object()}, "only JSON values"),
        ({"t": "x" * 70_000}, "at most 65536 bytes"),
    ],
)
def test_configs_must_be_json_objects(config: Any, rule: str) -> None:
    with pytest.raises(ValidationError, match=rule):
        make_provider(config=config)


def test_deeply_nested_configs_are_refused() -> None:
    config: dict[str, Any] = {}
    for _ in range(40):
        config = {"x": config}
    with pytest.raises(ValidationError, match="nest at most"):
        make_provider(config=config)


def test_provider_endpoint_is_an_optional_url() -> None:
    assert make_provider(endpoint=None).endpoint is None
    with pytest.raises(ValidationError, match=r"provider_configs\.endpoint"):
        make_provider(endpoint="not a url")


# --- secrets and app configs ---------------------------------------------------------------


@given(st.from_regex(r"[A-Z][A-Z0-9_]{0,60}", fullmatch=True))
def test_secret_keys_follow_the_pattern(key: str) -> None:
    assert make_secret(key=key).key == key


@given(st.text(max_size=30))
def test_other_secret_keys_are_refused(key: str) -> None:
    assume(not re.fullmatch(r"[A-Z][A-Z0-9_]*", key))
    with pytest.raises(ValidationError) as raised:
        make_secret(key=key)
    assert raised.value.field == "secrets.key"


def test_secret_key_length_and_defaults() -> None:
    with pytest.raises(ValidationError, match="255"):
        make_secret(key="A" * 256)
    secret = make_secret()
    assert secret.description == ""
    assert secret.category == "other"
    assert secret.key_version == 1
    assert secret.binding.name == secret.key
    assert secret.binding.workspace_id == secret.workspace_id


@pytest.mark.parametrize("value", ["sk-plain", "", "v0:AAAA", "v1:" + "A" * 10, None])
def test_a_secret_holds_only_a_ciphertext(value: Any) -> None:
    with pytest.raises(ValidationError, match=r"secrets\.encrypted_value"):
        make_secret(encrypted_value=value)


def test_replacing_a_secret_is_all_or_nothing() -> None:
    secret = make_secret(description="old")
    with pytest.raises(ValidationError, match=r"secrets\.category"):
        secret.replace(Ciphertext("v2:" + CIPHERTEXT[3:]), LATER, category="")
    assert secret.key_version == 1
    assert secret.description == "old"
    secret.replace(Ciphertext("v2:" + CIPHERTEXT[3:]), LATER, description="new")
    assert (secret.key_version, secret.description, secret.updated_at) == (2, "new", LATER)
    secret.rotate(Ciphertext("v3:" + CIPHERTEXT[3:]))
    assert (secret.key_version, secret.updated_at) == (3, LATER)


@pytest.mark.parametrize("app_id", ["", " x", "x" * 513])
def test_app_ids_are_bounded(app_id: str) -> None:
    with pytest.raises(ValidationError, match=r"app_configs\.app_id"):
        make_app_config(app_id=app_id)
    assert make_app_config(app_id="x" * 512).app_id == "x" * 512


@pytest.mark.parametrize("table", [t for t in BUILDERS if t not in ("workspaces", "model_catalog")])
def test_tenant_entities_carry_their_workspace(table: str) -> None:
    workspace = WorkspaceId(new_id())
    assert BUILDERS[table](workspace_id=workspace).workspace_id == workspace
