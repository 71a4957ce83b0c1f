"""The base of lab's use-case groups: the dependencies every group's methods share."""

from __future__ import annotations

from nexus.lab.application.ports import LabQueries, LabUnitOfWorkFactory, NexusLimsReader
from nexus.shared.clock import Clock


class LabUseCases:
    """`app.lab` is one object made of the groups (instruments, sessions, uploads, external
    ids, usage events); each method is one use case, named once."""

    def __init__(
        self,
        *,
        uow: LabUnitOfWorkFactory,
        queries: LabQueries,
        clock: Clock,
        nexuslims_reader: NexusLimsReader | None = None,
    ) -> None:
        self.uow = uow
        self.queries = queries
        self.clock = clock
        self.nexuslims_reader = nexuslims_reader
