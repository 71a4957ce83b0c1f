"""App configs: which apps are switched on in a workspace."""

from __future__ import annotations

from datetime import datetime

import attrs

from nexus.shared.entity import Entity, aware_datetime, boolean, text
from nexus.shared.ids import WorkspaceId
from nexus.workspaces.domain.ids import AppConfigId, new_app_config_id
from nexus.workspaces.domain.rules import Switchable

APP_ID_MAX_LENGTH = 512


@attrs.define(kw_only=True)
class AppConfig(Switchable, Entity):
    """One app's switch in one workspace. Unique per (workspace_id, app_id)."""

    __label__ = "app_configs"

    id: AppConfigId = attrs.field(factory=new_app_config_id)
    workspace_id: WorkspaceId
    app_id: str = attrs.field(
        validator=text(min_length=1, max_length=APP_ID_MAX_LENGTH, strip_check=True)
    )
    enabled: bool = attrs.field(default=True, validator=boolean)
    created_at: datetime = attrs.field(validator=aware_datetime())
    updated_at: datetime = attrs.field(validator=aware_datetime())
