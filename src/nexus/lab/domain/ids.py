"""Lab's typed ids (UUIDv7 from the shared kernel), one per aggregate with a surrogate key."""

from __future__ import annotations

import uuid
from typing import NewType

from nexus.shared.ids import new_id

SessionLogId = NewType("SessionLogId", uuid.UUID)
UploadLogId = NewType("UploadLogId", uuid.UUID)
ExternalIdentifierId = NewType("ExternalIdentifierId", uuid.UUID)


def new_session_log_id() -> SessionLogId:
    return SessionLogId(new_id())


def new_upload_log_id() -> UploadLogId:
    return UploadLogId(new_id())


def new_external_identifier_id() -> ExternalIdentifierId:
    return ExternalIdentifierId(new_id())
