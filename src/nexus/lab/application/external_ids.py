"""Use cases on external user ids, with NexusLIMS's semantics (store = upsert on user+system)."""

from __future__ import annotations

from nexus.lab.application import commands
from nexus.lab.application.ports import LabQueries, LabUnitOfWork, LabUnitOfWorkFactory
from nexus.lab.application.results import ExternalIdResult
from nexus.lab.domain.enums import ExternalSystem, to_external_system
from nexus.lab.domain.external_ids import ExternalUserIdentifier
from nexus.shared.clock import Clock
from nexus.shared.errors import ConflictError
from nexus.shared.retry import write


class StoreExternalId:
    """Create the mapping (last_verified_at empty), or update it: external_id overwritten, email
    and notes only when given, last_verified_at = now, id and created_at kept. Another user
    holding the same (system, external_id) is a ConflictError. Concurrent stores of one
    (user, system) leave exactly one row: the loser of the insert race retries as an update."""

    def __init__(self, uow: LabUnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def __call__(self, command: commands.StoreExternalId) -> ExternalIdResult:
        now = self._clock.now()
        # Built first, so bad input fails before any read.
        candidate = ExternalUserIdentifier(
            nexuslims_username=command.nexuslims_username,
            external_system=command.external_system,
            external_id=command.external_id,
            email=command.email or None,
            notes=command.notes or None,
            created_at=now,
        )

        def work(tx: LabUnitOfWork) -> ExternalIdResult:
            system = candidate.external_system
            holder = tx.external_ids.find_by_external_id(candidate.external_id, system)
            if holder is not None and holder.nexuslims_username != candidate.nexuslims_username:
                raise ConflictError(
                    f"external_user_identifiers.external_system+external_id: {system} id "
                    f"{candidate.external_id!r} already belongs to another user",
                    field="external_user_identifiers.external_system+external_id",
                )
            existing = tx.external_ids.find_for_user(candidate.nexuslims_username, system)
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

        return write(self._uow, work)


class LookUpExternalIds:
    def __init__(self, uow: LabUnitOfWorkFactory, queries: LabQueries) -> None:
        self._uow = uow
        self._queries = queries

    def external_id(self, nexuslims_username: str, system: str | ExternalSystem) -> str | None:
        wanted = to_external_system(system)
        with self._uow() as tx:
            found = tx.external_ids.find_for_user(nexuslims_username, wanted)
        return None if found is None else found.external_id

    def mapping(
        self, nexuslims_username: str, system: str | ExternalSystem
    ) -> ExternalIdResult | None:
        wanted = to_external_system(system)
        with self._uow() as tx:
            found = tx.external_ids.find_for_user(nexuslims_username, wanted)
        return None if found is None else ExternalIdResult.from_mapping(found)

    def nexuslims_username(self, external_id: str, system: str | ExternalSystem) -> str | None:
        wanted = to_external_system(system)
        with self._uow() as tx:
            found = tx.external_ids.find_by_external_id(external_id, wanted)
        return None if found is None else found.nexuslims_username

    def all_of(self, nexuslims_username: str) -> dict[str, str]:
        return self._queries.external_ids_of(nexuslims_username)
