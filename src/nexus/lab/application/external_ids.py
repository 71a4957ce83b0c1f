"""Use cases on external user ids, with NexusLIMS's semantics (store = upsert on user+system)."""

from __future__ import annotations

from nexus.lab.application.ports import LabUnitOfWork
from nexus.lab.application.results import ExternalIdResult
from nexus.lab.application.support import LabUseCases
from nexus.lab.domain.enums import ExternalSystem, to_external_system
from nexus.lab.domain.external_ids import ExternalUserIdentifier
from nexus.shared.errors import ConflictError
from nexus.shared.usecases import transaction


class ExternalIds(LabUseCases):
    @transaction
    def store_external_id(
        self,
        tx: LabUnitOfWork,
        username: str,
        system: str | ExternalSystem,
        external_id: str,
        email: str | None = None,
        notes: str | None = None,
    ) -> ExternalIdResult:
        """Create the mapping (last_verified_at empty), or update it: external_id overwritten,
        email and notes only when given, last_verified_at = now, id and created_at kept. A NEMO
        mapping fills in `user` on that NEMO user's sessions logged without one.
        Another user holding the same (system, external_id) is a ConflictError. Concurrent
        stores of one (user, system) leave exactly one row: the loser retries as an update."""
        now = self.clock.now()
        candidate = ExternalUserIdentifier(
            nexuslims_username=username,
            external_system=str(system),
            external_id=external_id,
            email=email or None,
            notes=notes or None,
            created_at=now,
        )
        system_ = candidate.external_system
        holder = tx.external_ids.find_by_external_id(candidate.external_id, system_)
        if holder is not None and holder.nexuslims_username != candidate.nexuslims_username:
            raise ConflictError(
                f"external_user_identifiers.external_system+external_id: {system_} id "
                f"{candidate.external_id!r} already belongs to another user",
                field="external_user_identifiers.external_system+external_id",
            )
        if system_ is ExternalSystem.NEMO:
            # The backfill: sessions imported before this mapping existed get their user.
            tx.session_log.fill_in_user(candidate.external_id, candidate.nexuslims_username)
        existing = tx.external_ids.find_for_user(candidate.nexuslims_username, system_)
        if existing is None:
            tx.external_ids.add(candidate)
            return ExternalIdResult.from_mapping(candidate)
        existing.restate(
            external_id=candidate.external_id,
            email=candidate.email,
            notes=candidate.notes,
            now=now,
        )
        tx.external_ids.update(existing)
        return ExternalIdResult.from_mapping(existing)

    @transaction
    def delete_external_id(
        self, tx: LabUnitOfWork, username: str, system: str | ExternalSystem
    ) -> bool:
        """Forget a user's id in one external system; False when there was none. Sessions
        already filled in from it keep their user."""
        found = tx.external_ids.find_for_user(username, to_external_system(system))
        if found is None:
            return False
        tx.external_ids.remove(found.id)
        return True

    @transaction
    def get_external_mapping(
        self, tx: LabUnitOfWork, username: str, system: str | ExternalSystem
    ) -> ExternalIdResult | None:
        found = tx.external_ids.find_for_user(username, to_external_system(system))
        return None if found is None else ExternalIdResult.from_mapping(found)

    def get_external_id(self, username: str, system: str | ExternalSystem) -> str | None:
        found = self.get_external_mapping(username, system)
        return None if found is None else found.external_id

    @transaction
    def get_nexuslims_username(
        self, tx: LabUnitOfWork, external_id: str, system: str | ExternalSystem
    ) -> str | None:
        found = tx.external_ids.find_by_external_id(external_id, to_external_system(system))
        return None if found is None else found.nexuslims_username

    def get_all_external_ids(self, username: str) -> dict[str, str]:
        return self.queries.external_ids_of(username)
