"""An ingestion job and its state machine: queued -> running -> succeeded | failed | cancelled;
a failed job with attempts left goes back to queued; a finished job never changes again;
progress (0-100) only moves forward."""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from typing import Any

import attrs

from nexus.conversations.domain.ids import ConversationId, IngestionJobId, new_ingestion_job_id
from nexus.shared.entity import Entity, aware_datetime, boolean, enum_converter, integer, text
from nexus.shared.errors import ConflictError, ValidationError
from nexus.shared.ids import UserId, WorkspaceId

DEFAULT_SOURCE_TYPE = "my_drive"
DEFAULT_EMBEDDING_MODEL = "hash-v1"
DEFAULT_EMBEDDING_DIMENSION = 256
DEFAULT_MAX_ATTEMPTS = 3
SHA256 = re.compile(r"[0-9a-f]{64}")


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        return self in (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED)


_to_status = enum_converter(JobStatus, "chat_ingestion_jobs.status")


def job_status(value: object) -> JobStatus:
    status: JobStatus = _to_status(value)
    return status


def _sha256(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and (not isinstance(value, str) or not SHA256.fullmatch(value)):
        raise ValidationError(
            "chat_ingestion_jobs.file_sha256", "must be 64 lowercase hex digits", value=value
        )


def _short(max_length: int = 255) -> Any:
    return attrs.field(default=None, validator=text(max_length=max_length, optional=True))


@attrs.define(kw_only=True)
class IngestionJob(Entity):
    """A file being ingested into a workspace (a chat export import: no single conversation).
    `version` guards concurrent changes (a cancel while a run writes progress)."""

    __label__ = "chat_ingestion_jobs"

    id: IngestionJobId = attrs.field(factory=new_ingestion_job_id)
    workspace_id: WorkspaceId
    conversation_id: ConversationId | None = None
    user_id: UserId
    source_type: str = attrs.field(
        default=DEFAULT_SOURCE_TYPE, validator=text(min_length=1, max_length=50)
    )
    source_path: str = attrs.field(validator=text(min_length=1, max_length=4096))
    embedding_model: str = attrs.field(
        default=DEFAULT_EMBEDDING_MODEL, validator=text(min_length=1, max_length=255)
    )
    embedding_dimension: int = attrs.field(
        default=DEFAULT_EMBEDDING_DIMENSION, validator=integer(minimum=1)
    )
    status: JobStatus = attrs.field(default=JobStatus.QUEUED, converter=job_status)
    progress: int = attrs.field(default=0, validator=integer(minimum=0, maximum=100))
    cache_hit: bool = attrs.field(default=False, validator=boolean)
    file_sha256: str | None = attrs.field(default=None, validator=_sha256)
    collection_name: str | None = _short()
    chunks_count: int | None = attrs.field(
        default=None, validator=attrs.validators.optional(integer(minimum=0))
    )
    error_code: str | None = _short(100)
    error_message: str | None = _short(1_000_000)
    attempt: int = attrs.field(default=0, validator=integer(minimum=0))
    max_attempts: int = attrs.field(default=DEFAULT_MAX_ATTEMPTS, validator=integer(minimum=1))
    version: int = attrs.field(default=1, validator=integer(minimum=1))
    created_at: datetime = attrs.field(validator=aware_datetime())
    updated_at: datetime = attrs.field(validator=aware_datetime())
    started_at: datetime | None = attrs.field(default=None, validator=aware_datetime(optional=True))
    finished_at: datetime | None = attrs.field(
        default=None, validator=aware_datetime(optional=True)
    )

    @property
    def attempts_left(self) -> int:
        return max(self.max_attempts - self.attempt, 0)

    def _require(self, *allowed: JobStatus, to: str) -> None:
        if self.status not in allowed:
            raise ConflictError(
                f"chat_ingestion_jobs.status: a {self.status.value} job cannot be {to}",
                field="chat_ingestion_jobs.status",
            )

    def start(self, now: datetime) -> None:
        """queued -> running; counts an attempt."""
        self._require(JobStatus.QUEUED, to="started")
        if self.attempt >= self.max_attempts:
            raise ConflictError(
                "chat_ingestion_jobs.attempt: no attempts left", field="chat_ingestion_jobs.attempt"
            )
        self.status = JobStatus.RUNNING
        self.attempt += 1
        self.started_at = self.updated_at = now

    def take_over(self, now: datetime) -> None:
        """running -> running as a new attempt: a run of the same file found this job still
        running (its run was killed) and carries it on; counts an attempt. The run that held
        it, if it is alive after all, stops at its next batch (its attempt is no longer the
        job's)."""
        self._require(JobStatus.RUNNING, to="taken over")
        if self.attempt >= self.max_attempts:
            raise ConflictError(
                "chat_ingestion_jobs.attempt: no attempts left", field="chat_ingestion_jobs.attempt"
            )
        self.attempt += 1
        self.started_at = self.updated_at = now

    def advance(self, progress: int, now: datetime) -> None:
        """Progress of a running job, 0-100, never backwards."""
        self._require(JobStatus.RUNNING, to="advanced")
        if isinstance(progress, bool) or not isinstance(progress, int):
            raise ValidationError("chat_ingestion_jobs.progress", "must be an integer")
        if progress < self.progress:
            raise ValidationError(
                "chat_ingestion_jobs.progress",
                f"only moves forward (at {self.progress}, given {progress})",
            )
        self.progress = progress
        self.updated_at = now

    def succeed(self, now: datetime, *, cache_hit: bool = False, note: str | None = None) -> None:
        """running -> succeeded; `note` records what was skipped (partial success)."""
        self._require(JobStatus.RUNNING, to="marked succeeded")
        self.progress = 100
        self.cache_hit = cache_hit
        if note is not None:
            self.error_code, self.error_message = "partial", note
        self._finish(JobStatus.SUCCEEDED, now)

    def fail(self, code: str, message: str, now: datetime) -> None:
        """queued or running -> failed, with why."""
        self._require(JobStatus.QUEUED, JobStatus.RUNNING, to="failed")
        self.error_code, self.error_message = code, message
        self._finish(JobStatus.FAILED, now)

    def cancel(self, now: datetime) -> None:
        self._require(JobStatus.QUEUED, JobStatus.RUNNING, to="cancelled")
        self._finish(JobStatus.CANCELLED, now)

    def retry(self, now: datetime) -> None:
        """failed -> queued, when attempts are left; the progress so far is kept."""
        self._require(JobStatus.FAILED, to="retried")
        if self.attempts_left == 0:
            raise ConflictError(
                f"chat_ingestion_jobs.attempt: all {self.max_attempts} attempts used",
                field="chat_ingestion_jobs.attempt",
            )
        self.status = JobStatus.QUEUED
        self.error_code = self.error_message = None
        self.finished_at = None
        self.updated_at = now

    def _finish(self, status: JobStatus, now: datetime) -> None:
        self.status = status
        self.finished_at = self.updated_at = now
