"""ABI servers and inference servers a workspace talks to; their API keys are ciphertexts."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any

import attrs

from nexus.shared.entity import Entity, aware_datetime, boolean, to_enum
from nexus.shared.ids import WorkspaceId
from nexus.workspaces.domain.ids import (
    AbiServerId,
    InferenceServerId,
    new_abi_server_id,
    new_inference_server_id,
)
from nexus.workspaces.domain.rules import (
    Switchable,
    apply_changes,
    optional_text,
    required_name,
    required_url,
    url_path,
)
from nexus.workspaces.domain.secrets import Ciphertext, SecretBinding, SecretPurpose, ciphertext


class InferenceServerType(StrEnum):
    OLLAMA = "ollama"
    ABI = "abi"
    VLLM = "vllm"
    LLAMACPP = "llamacpp"
    CUSTOM = "custom"


class _WithApiKey:
    api_key: Ciphertext | None
    updated_at: datetime

    def set_api_key(self, api_key: Ciphertext | None, now: datetime) -> None:
        """Store a new encrypted key (from `SecretCipher.encrypt`), or None to drop it."""
        self.api_key = api_key
        self.updated_at = now

    def rotate_api_key(self, api_key: Ciphertext) -> None:
        """The same value re-encrypted to the newest key: not a user edit, `updated_at` stays."""
        self.api_key = api_key


@attrs.define(kw_only=True)
class AbiServer(Switchable, _WithApiKey, Entity):
    """An ABI server. Unique per (workspace_id, endpoint)."""

    __label__ = "abi_servers"

    id: AbiServerId = attrs.field(factory=new_abi_server_id)
    workspace_id: WorkspaceId
    name: str = required_name()
    endpoint: str = attrs.field(validator=required_url)
    api_key: Ciphertext | None = attrs.field(default=None, validator=ciphertext(optional=True))
    enabled: bool = attrs.field(default=True, validator=boolean)
    created_at: datetime = attrs.field(validator=aware_datetime())
    updated_at: datetime = attrs.field(validator=aware_datetime())

    EDITABLE = ("name", "endpoint")

    @property
    def api_key_binding(self) -> SecretBinding:
        """What the API key's ciphertext is bound to: this workspace and this server."""
        return SecretBinding(
            workspace_id=self.workspace_id,
            purpose=SecretPurpose.ABI_SERVER_API_KEY,
            name=str(self.id),
        )

    def change(self, changes: Mapping[str, Any], now: datetime) -> list[str]:
        """Rename or move the endpoint (the key: `set_api_key`; the flag: `enable`)."""
        return apply_changes(self, changes, self.EDITABLE, now)


def _server_type(value: object) -> InferenceServerType:
    converted: InferenceServerType = to_enum(InferenceServerType, "inference_servers.type", value)
    return converted


@attrs.define(kw_only=True)
class InferenceServer(Switchable, _WithApiKey, Entity):
    """An inference server (Ollama, vLLM, llama.cpp, ...)."""

    __label__ = "inference_servers"

    id: InferenceServerId = attrs.field(factory=new_inference_server_id)
    workspace_id: WorkspaceId
    name: str = required_name()
    type: InferenceServerType = attrs.field(converter=_server_type)
    endpoint: str = attrs.field(validator=required_url)
    description: str | None = optional_text()
    enabled: bool = attrs.field(default=True, validator=boolean)
    api_key: Ciphertext | None = attrs.field(default=None, validator=ciphertext(optional=True))
    health_path: str | None = attrs.field(default=None, validator=url_path)
    models_path: str | None = attrs.field(default=None, validator=url_path)
    created_at: datetime = attrs.field(validator=aware_datetime())
    updated_at: datetime = attrs.field(validator=aware_datetime())

    EDITABLE = ("name", "type", "endpoint", "description", "health_path", "models_path")

    @property
    def api_key_binding(self) -> SecretBinding:
        return SecretBinding(
            workspace_id=self.workspace_id,
            purpose=SecretPurpose.INFERENCE_SERVER_API_KEY,
            name=str(self.id),
        )

    def change(self, changes: Mapping[str, Any], now: datetime) -> list[str]:
        return apply_changes(self, changes, self.EDITABLE, now)
