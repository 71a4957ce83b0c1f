"""Use cases on ingestion jobs: queue (a digest already ingested in the workspace is a cache
hit), move through the state machine (start, advance, complete, fail, cancel), get and list.
Retrying is in `imports` (a retried import runs again)."""

from __future__ import annotations

from nexus.conversations.application.ports import ConversationsUnitOfWork
from nexus.conversations.application.results import JobResult
from nexus.conversations.application.support import (
    ActorLike,
    ConversationsUseCases,
    IdLike,
    conversation_id_of,
    job_id_of,
    workspace_id_of,
)
from nexus.conversations.domain.access import Access, require_owner_or_manager
from nexus.conversations.domain.jobs import DEFAULT_SOURCE_TYPE, IngestionJob
from nexus.shared.usecases import Page, transaction


def job_result(job: IngestionJob) -> JobResult:
    return JobResult.from_entity(job, status=job.status.value)


class Jobs(ConversationsUseCases):
    @transaction
    def queue_ingestion_job(
        self,
        tx: ConversationsUnitOfWork,
        /,
        workspace_id: IdLike,
        *,
        source_path: str,
        actor: ActorLike,
        source_type: str = DEFAULT_SOURCE_TYPE,
        conversation_id: IdLike | None = None,
        file_sha256: str | None = None,
        user_id: IdLike | None = None,
        max_attempts: int = 3,
    ) -> JobResult:
        """A queued job; when a job already ingested a file with this digest in the
        workspace, the new one is a cache hit and is done at once."""
        workspace = workspace_id_of(workspace_id)
        acting = self._acting(workspace, actor, Access.WRITE, "queue_ingestion_job")
        now = self.clock.now()
        job = IngestionJob(
            workspace_id=workspace,
            conversation_id=None
            if conversation_id is None
            else conversation_id_of(conversation_id),
            user_id=acting.owner(user_id),
            source_type=source_type,
            source_path=source_path,
            file_sha256=file_sha256,
            max_attempts=max_attempts,
            created_at=now,
            updated_at=now,
        )
        if file_sha256 is not None and tx.jobs.ingested(workspace, file_sha256) is not None:
            job.start(now)
            job.succeed(now, cache_hit=True)
        tx.jobs.add(job)
        return job_result(job)

    def _job(
        self,
        tx: ConversationsUnitOfWork,
        workspace_id: IdLike,
        job_id: IdLike,
        actor: ActorLike,
        access: Access,
        what: str,
    ) -> IngestionJob:
        workspace = workspace_id_of(workspace_id)
        acting = self._acting(workspace, actor, access, what)
        job = tx.jobs.get(workspace, job_id_of(job_id))
        if acting.user is not None:
            require_owner_or_manager(acting.role, job.user_id == acting.user, what)
        return job

    @transaction
    def get_job(
        self,
        tx: ConversationsUnitOfWork,
        /,
        workspace_id: IdLike,
        job_id: IdLike,
        *,
        actor: ActorLike,
    ) -> JobResult:
        return job_result(self._job(tx, workspace_id, job_id, actor, Access.READ, "get_job"))

    def list_jobs(
        self, workspace_id: IdLike, *, actor: ActorLike, page: Page | None = None
    ) -> list[JobResult]:
        """The actor's jobs (the operator: everyone's), newest first."""
        workspace = workspace_id_of(workspace_id)
        acting = self._acting(workspace, actor, Access.READ, "list_jobs")
        page = page or Page()
        return self.queries.jobs(workspace, acting.user, page.limit, page.offset)

    def count_jobs(self, workspace_id: IdLike, *, actor: ActorLike) -> int:
        """How many jobs `list_jobs` pages through."""
        workspace = workspace_id_of(workspace_id)
        acting = self._acting(workspace, actor, Access.READ, "count_jobs")
        return self.queries.count_jobs(workspace, acting.user)

    @transaction
    def start_job(
        self,
        tx: ConversationsUnitOfWork,
        /,
        workspace_id: IdLike,
        job_id: IdLike,
        *,
        actor: ActorLike,
    ) -> JobResult:
        job = self._job(tx, workspace_id, job_id, actor, Access.WRITE, "start_job")
        job.start(self.clock.now())
        tx.jobs.update(job)
        return job_result(job)

    @transaction
    def advance_job(
        self,
        tx: ConversationsUnitOfWork,
        /,
        workspace_id: IdLike,
        job_id: IdLike,
        progress: int,
        *,
        actor: ActorLike,
    ) -> JobResult:
        job = self._job(tx, workspace_id, job_id, actor, Access.WRITE, "advance_job")
        job.advance(progress, self.clock.now())
        tx.jobs.update(job)
        return job_result(job)

    @transaction
    def complete_job(
        self,
        tx: ConversationsUnitOfWork,
        /,
        workspace_id: IdLike,
        job_id: IdLike,
        *,
        actor: ActorLike,
        chunks_count: int | None = None,
        collection_name: str | None = None,
    ) -> JobResult:
        job = self._job(tx, workspace_id, job_id, actor, Access.WRITE, "complete_job")
        job.succeed(self.clock.now())
        job.chunks_count, job.collection_name = chunks_count, collection_name
        tx.jobs.update(job)
        return job_result(job)

    @transaction
    def fail_job(
        self,
        tx: ConversationsUnitOfWork,
        /,
        workspace_id: IdLike,
        job_id: IdLike,
        *,
        error_code: str,
        error_message: str,
        actor: ActorLike,
    ) -> JobResult:
        job = self._job(tx, workspace_id, job_id, actor, Access.WRITE, "fail_job")
        job.fail(error_code, error_message, self.clock.now())
        tx.jobs.update(job)
        return job_result(job)

    @transaction
    def cancel_job(
        self,
        tx: ConversationsUnitOfWork,
        /,
        workspace_id: IdLike,
        job_id: IdLike,
        *,
        actor: ActorLike,
    ) -> JobResult:
        """A queued or running job stops (a running import stops at its next batch)."""
        job = self._job(tx, workspace_id, job_id, actor, Access.WRITE, "cancel_job")
        job.cancel(self.clock.now())
        tx.jobs.update(job)
        return job_result(job)
