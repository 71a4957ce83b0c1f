"""The mapping of a NexusLIMS username to its id in an external system (NEMO, LabArchives,
CDCS), with NexusLIMS's upsert semantics."""

from __future__ import annotations

from datetime import datetime

import attrs

from nexus.lab.domain.enums import ExternalSystem, to_external_system
from nexus.lab.domain.ids import ExternalIdentifierId, new_external_identifier_id
from nexus.shared.entity import Entity, aware_datetime, text

USERNAME_MAX_LENGTH = 255
# 500 characters: NexusLIMS's tests store 500-character ids, and 500 four-byte characters
# still fit PostgreSQL's B-tree row limit for the unique index on (system, external_id).
EXTERNAL_ID_MAX_LENGTH = 500


@attrs.define(kw_only=True)
class ExternalUserIdentifier(Entity):
    __label__ = "external_user_identifiers"

    id: ExternalIdentifierId = attrs.field(factory=new_external_identifier_id)
    nexuslims_username: str = attrs.field(
        validator=text(min_length=1, max_length=USERNAME_MAX_LENGTH)
    )
    external_system: ExternalSystem = attrs.field(converter=to_external_system)
    external_id: str = attrs.field(validator=text(min_length=1, max_length=EXTERNAL_ID_MAX_LENGTH))
    email: str | None = attrs.field(
        default=None,
        validator=text(
            max_length=320,
            pattern=r"[^@\s]+@[^@\s]+",
            rule="must be an email address like name@example.org",
            optional=True,
        ),
    )
    created_at: datetime = attrs.field(validator=aware_datetime())
    last_verified_at: datetime | None = attrs.field(
        default=None, validator=aware_datetime(optional=True)
    )
    notes: str | None = attrs.field(default=None, validator=text(max_length=10_000, optional=True))

    def restate(
        self, *, external_id: str, email: str | None, notes: str | None, now: datetime
    ) -> None:
        """NexusLIMS's update: the id is overwritten, email and notes only when given, and the
        mapping counts as verified now. id and created_at stay."""
        self.external_id = external_id
        if email:
            self.email = email
        if notes:
            self.notes = notes
        self.last_verified_at = now

    def __repr__(self) -> str:
        return (
            f"ExternalUserIdentifier(username={self.nexuslims_username}, "
            f"system={self.external_system}, external_id={self.external_id})"
        )
