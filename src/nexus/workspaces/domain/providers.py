"""Provider configs (a model at a provider) and the rule that their JSON config holds no secret."""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import attrs

from nexus.shared.entity import Entity, aware_datetime, boolean
from nexus.shared.errors import ValidationError
from nexus.shared.ids import WorkspaceId
from nexus.shared.rules import http_url
from nexus.workspaces.domain.ids import ProviderConfigId, new_provider_config_id
from nexus.workspaces.domain.rules import Switchable, apply_changes, required_name

CONFIG_MAX_BYTES = 65_536
CONFIG_MAX_DEPTH = 32

# A config key is refused when one of its words is one of these, or two adjacent words are one
# of the pairs ("api_key", "apiKey", "Private-Key"). `max_tokens` stays allowed.
_SECRET_WORDS = frozenset(
    {"token", "password", "passwd", "secret", "credential", "credentials", "apikey"}
)
_SECRET_PAIRS = frozenset({("api", "key"), ("private", "key"), ("access", "key")})
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SPLIT = re.compile(r"[^a-z0-9]+")


def is_secret_key(key: str) -> bool:
    """Whether a config key names a secret (api_key, auth_token, password, clientSecret...)."""
    words = [w for w in _SPLIT.split(_CAMEL.sub("_", key).lower()) if w]
    if any(w in _SECRET_WORDS for w in words):
        return True
    return any(pair in _SECRET_PAIRS for pair in itertools.pairwise(words))


def _check_json(value: Any, path: str, depth: int) -> None:
    field = "provider_configs.config"
    if depth > CONFIG_MAX_DEPTH:
        raise ValidationError(field, f"must nest at most {CONFIG_MAX_DEPTH} levels")
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValidationError(field, f"keys must be text (at {path or 'the top'})")
            where = f"{path}.{key}" if path else key
            if is_secret_key(key):
                raise ValidationError(
                    field,
                    f"must hold no secret (key {where!r}): store it with set_secret "
                    "and refer to the secret by its key",
                )
            _check_json(item, where, depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_json(item, f"{path}[{index}]", depth + 1)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValidationError(field, f"numbers must be finite (at {path})")
    elif value is not None and not isinstance(value, str | int | bool):
        raise ValidationError(field, f"must hold only JSON values (at {path})")


def provider_config(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A JSON object of at most 64 KiB with no key naming a secret, at any depth."""
    if not isinstance(value, dict):
        raise ValidationError("provider_configs.config", "must be a JSON object")
    _check_json(value, "", 0)
    if len(json.dumps(value).encode()) > CONFIG_MAX_BYTES:
        raise ValidationError(
            "provider_configs.config", f"must be at most {CONFIG_MAX_BYTES} bytes"
        )


@attrs.define(kw_only=True)
class ProviderConfig(Switchable, Entity):
    """A model at a provider (`provider_type` e.g. openai, anthropic, ollama)."""

    __label__ = "provider_configs"

    id: ProviderConfigId = attrs.field(factory=new_provider_config_id)
    workspace_id: WorkspaceId
    provider_type: str = required_name()
    name: str = required_name()
    model: str = required_name()
    enabled: bool = attrs.field(default=False, validator=boolean)
    endpoint: str | None = attrs.field(default=None, validator=http_url)
    config: dict[str, Any] = attrs.field(factory=dict, validator=provider_config)
    created_at: datetime = attrs.field(validator=aware_datetime())
    updated_at: datetime = attrs.field(validator=aware_datetime())

    EDITABLE = ("provider_type", "name", "model", "endpoint", "config")

    def change(self, changes: Mapping[str, Any], now: datetime) -> list[str]:
        return apply_changes(self, changes, self.EDITABLE, now)
