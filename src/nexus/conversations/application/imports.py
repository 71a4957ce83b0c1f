"""Import of chat-assistant data exports (ChatGPT, Claude) as an ingestion job with progress.

Conversations are read one at a time and written in batches, each batch one transaction that
also moves the job's progress: messages go in with one `add_imported` (rows checked by
`imported_message`, no entity each), and what already exists is found with batch finders (never
a lookup per message). A conversation is keyed by its source and
external id (per user), a message by its external id in its conversation, so the same export
twice changes nothing, a newer one adds only what is new, and an import killed midway and run
again ends where one uninterrupted run would.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

import attrs

from nexus.conversations.application.jobs import job_result
from nexus.conversations.application.ports import (
    ChatExportFile,
    ConversationsUnitOfWork,
    ExportedConversation,
    ExportReadError,
)
from nexus.conversations.application.results import ImportResult, SkippedConversation
from nexus.conversations.application.support import (
    ActorLike,
    ConversationsUseCases,
    IdLike,
    job_id_of,
    workspace_id_of,
)
from nexus.conversations.domain.access import Access, require_owner_or_manager
from nexus.conversations.domain.conversations import (
    DEFAULT_TITLE,
    TITLE_MAX,
    Conversation,
    ExportSource,
    NewMessage,
    imported_message,
)
from nexus.conversations.domain.ids import ConversationId, IngestionJobId
from nexus.conversations.domain.jobs import IngestionJob, JobStatus
from nexus.shared.collector import fewer_collections
from nexus.shared.errors import DomainError, ValidationError
from nexus.shared.ids import UserId, WorkspaceId
from nexus.shared.usecases import transaction

CHAT_EXPORT = "chat_export"
BATCH_MESSAGES = 5_000
BATCH_CONVERSATIONS = 500
NOTE_MAX = 20


@attrs.define
class _Counts:
    read: int = 0
    added: int = 0
    updated: int = 0
    messages: int = 0
    errors: list[SkippedConversation] = attrs.field(factory=list)

    def merge(self, batch: _Batch) -> None:
        self.added += batch.added
        self.updated += batch.updated
        self.messages += batch.messages
        self.errors.extend(batch.errors)

    def sorted_errors(self) -> list[SkippedConversation]:
        """The conversations left out, in file order."""
        return sorted(self.errors, key=lambda e: e.index)


@attrs.frozen
class _Batch:
    added: int
    updated: int
    messages: int
    errors: tuple[SkippedConversation, ...]


def _clean(text: str) -> str:
    return text.replace("\x00", "\ufffd") if "\x00" in text else text


def _title(title: str | None) -> str:
    if title is None or not title.strip():
        return DEFAULT_TITLE
    return _clean(title.strip())[:TITLE_MAX]


def _new_conversation(
    workspace: WorkspaceId,
    user: UserId,
    source: ExportSource,
    parsed: ExportedConversation,
    now: datetime,
) -> Conversation:
    created = parsed.created_at or parsed.updated_at or now
    return Conversation(
        workspace_id=workspace,
        user_id=user,
        title=_title(parsed.title),
        external_source=source,
        external_id=parsed.external_id,
        created_at=created,
        updated_at=max(created, parsed.updated_at or created),
    )


def _as_dict(value: Mapping[str, Any]) -> dict[str, Any]:
    """The parsed metadata (a dict the reader made, written and then dropped: no copy)."""
    return value if type(value) is dict else dict(value)


def _messages_of(
    conversation: Conversation, parsed: ExportedConversation, known: set[str | None]
) -> list[NewMessage]:
    """The parsed messages not yet stored, at the positions after the stored ones (checked as
    a `Message` is: an invalid one is a ValidationError)."""
    fresh = []
    for item in parsed.messages:
        if item.external_id not in known:
            known.add(item.external_id)
            fresh.append(item)
    if not fresh:
        return []
    first = conversation.message_count + 1
    conversation_id = conversation.id
    default = conversation.created_at
    messages = [
        imported_message(
            conversation_id,
            first + offset,
            item.role,
            _clean(item.text),
            _as_dict(item.metadata),
            item.external_id,
            item.created_at or default,
        )
        for offset, item in enumerate(fresh)
    ]
    conversation.message_count += len(messages)
    latest = max(parsed.updated_at or conversation.updated_at, conversation.updated_at)
    conversation.updated_at = latest
    return messages


@attrs.frozen
class _Run:
    """The job a run holds and the attempt it holds it as: when the job's attempt moves on (a
    later run took it over), this run stops at its next batch."""

    job_id: IngestionJobId
    attempt: int
    done: bool = False  # a cache hit: nothing to read


class Imports(ConversationsUseCases):
    def import_chat_export(
        self,
        workspace_id: IdLike,
        path: str | Path,
        *,
        actor: ActorLike,
        user_id: IdLike | None = None,
        force: bool = False,
    ) -> ImportResult:
        """Import a ChatGPT or Claude export (ZIP, conversations.json or split files) as the
        acting user's conversations (the operator names `user_id`), tracked as a job.
        A file already ingested in the workspace is a cache hit unless `force`. A file that is
        not an export fails the job and raises ValidationError. A job of the same user and
        file still `running` (its run was killed) is taken over and carried on, as a new
        attempt, instead of a second job being made."""
        workspace = workspace_id_of(workspace_id)
        acting = self._acting(workspace, actor, Access.WRITE, "import_chat_export")
        owner = acting.owner(user_id)
        if not isinstance(path, str | Path) or not str(path).strip() or "\x00" in str(path):
            raise ValidationError("path", "must be the path of an export file or directory")
        absolute = Path(path).absolute()
        try:
            export, source, digest = self._open(absolute)
        except ValidationError as error:
            job = self._queue(workspace, owner, str(absolute))
            self._fail(workspace, job, None, "not_an_export", str(error))
            raise
        run = self._begin(workspace, owner, str(absolute), digest, force)
        return self._run(workspace, run, export, source)

    def retry_job(
        self, workspace_id: IdLike, job_id: IdLike, *, actor: ActorLike
    ) -> ImportResult | None:
        """A failed job with attempts left goes back to queued; an import job then runs again
        (and returns what it did; other jobs return None)."""
        workspace = workspace_id_of(workspace_id)
        acting = self._acting(workspace, actor, Access.WRITE, "retry_job")
        job = self._requeue(workspace, job_id_of(job_id), acting.user, acting.role)
        if job.source_type != CHAT_EXPORT:
            return None
        try:
            export, source, digest = self._open(Path(job.source_path))
        except ValidationError as error:
            self._fail(workspace, job.id, None, "not_an_export", str(error))
            raise
        run = self._start(workspace, job.id, digest, force=False)
        return self._run(workspace, run, export, source)

    def _open(self, path: Path) -> tuple[ChatExportFile, ExportSource, str]:
        export = self.exports.open(path)
        return export, ExportSource(export.source), self.exports.sha256(path)

    @transaction
    def _queue(
        self, tx: ConversationsUnitOfWork, workspace: WorkspaceId, owner: UserId, path: str
    ) -> IngestionJobId:
        tx.jobs.add(job := self._new_job(workspace, owner, path))
        return job.id

    def _new_job(self, workspace: WorkspaceId, owner: UserId, path: str) -> IngestionJob:
        now = self.clock.now()
        return IngestionJob(
            workspace_id=workspace,
            user_id=owner,
            source_type=CHAT_EXPORT,
            source_path=path,
            created_at=now,
            updated_at=now,
        )

    @transaction
    def _begin(
        self,
        tx: ConversationsUnitOfWork,
        workspace: WorkspaceId,
        owner: UserId,
        path: str,
        digest: str,
        force: bool,
    ) -> _Run:
        """Take over this user's running job of the same file (its run was killed), or queue
        and start a new one (a cache hit when the file was already ingested, unless `force`)."""
        now = self.clock.now()
        stale = tx.jobs.running(workspace, owner, digest)
        if stale is not None and stale.source_type == CHAT_EXPORT:
            if stale.attempts_left:
                stale.take_over(now)
                tx.jobs.update(stale)
                return _Run(stale.id, stale.attempt)
            stale.fail("abandoned", "its run stopped and no attempts were left", now)
            tx.jobs.update(stale)
        return self._started(tx, self._new_job(workspace, owner, path), digest, force, added=True)

    @transaction
    def _start(
        self,
        tx: ConversationsUnitOfWork,
        workspace: WorkspaceId,
        job_id: IngestionJobId,
        digest: str,
        force: bool,
    ) -> _Run:
        return self._started(tx, tx.jobs.get(workspace, job_id), digest, force, added=False)

    def _started(
        self,
        tx: ConversationsUnitOfWork,
        job: IngestionJob,
        digest: str,
        force: bool,
        *,
        added: bool,
    ) -> _Run:
        """Start the queued job (a cache hit is done at once)."""
        now = self.clock.now()
        seen = None if force else tx.jobs.ingested(job.workspace_id, digest)
        job.start(now)
        job.file_sha256 = digest
        if seen is not None and seen.id != job.id:
            job.succeed(now, cache_hit=True)
        if added:
            tx.jobs.add(job)
        else:
            tx.jobs.update(job)
        return _Run(job.id, job.attempt, done=job.cache_hit)

    @transaction
    def _requeue(
        self,
        tx: ConversationsUnitOfWork,
        workspace: WorkspaceId,
        job_id: IngestionJobId,
        user: UserId | None,
        role: str | None,
    ) -> IngestionJob:
        job = tx.jobs.get(workspace, job_id)
        if user is not None:
            require_owner_or_manager(role, job.user_id == user, "retry_job")
        job.retry(self.clock.now())
        tx.jobs.update(job)
        return job

    def _run(
        self, workspace: WorkspaceId, run: _Run, export: ChatExportFile, source: ExportSource
    ) -> ImportResult:
        """Read the export and write it in batches. With `overlap_writes` (a database server)
        one writer thread writes batch N while this thread reads and parses batch N + 1 (the
        server's time overlaps the parsing); the batches are still written one after another,
        each seeing the ones before, and at most two are in memory. Without it (SQLite, memory:
        one process, where the GIL makes two threads take turns) each batch is written before
        the next is read."""
        job_id = run.job_id
        if run.done:
            return self._result(workspace, job_id, source.value, _Counts())
        counts = _Counts()
        fraction = [0.0]

        def on_progress(done: int, total: int) -> None:
            fraction[0] = done / total if total else 1.0

        threads = 1 if self.overlap_writes() else 0
        with fewer_collections(IMPORT_GC_THRESHOLD), _writer(threads) as pool:
            writing: list[Future[_Batch | None]] = []

            def written() -> bool:
                """Wait for the batch being written; False when the run must stop."""
                if not writing:
                    return True
                batch_done = writing.pop().result()
                if batch_done is None:
                    return False
                counts.merge(batch_done)
                return True

            def write(batch: list[ExportedConversation]) -> bool:
                if not written():
                    return False
                progress = min(99, int(fraction[0] * 100))
                writing.append(pool.submit(self._write, workspace, run, source, batch, progress))
                return True if threads else written()

            batch: list[ExportedConversation] = []
            ids: set[str] = set()
            pending = 0
            try:
                for item in export.conversations(on_progress=on_progress):
                    if isinstance(item, ExportReadError):
                        counts.errors.append(_skipped(item.index, item.external_id, item.reason))
                        continue
                    counts.read += 1
                    if item.external_id in ids or (
                        pending >= BATCH_MESSAGES or len(batch) >= BATCH_CONVERSATIONS
                    ):
                        if not write(batch):
                            return self._result(workspace, job_id, source.value, counts)
                        batch, ids, pending = [], set(), 0
                    batch.append(item)
                    ids.add(item.external_id)
                    pending += len(item.messages)
                if batch and not write(batch):
                    return self._result(workspace, job_id, source.value, counts)
                if not written():
                    return self._result(workspace, job_id, source.value, counts)
            except DomainError as error:
                code = "unreadable" if isinstance(error, ValidationError) else "import_failed"
                if writing:  # the batch in flight commits or fails before the job is failed
                    with contextlib.suppress(DomainError):
                        writing.pop().result()
                self._fail(workspace, job_id, run.attempt, code, str(error))
                raise
        self._finish(workspace, run, _note(counts.sorted_errors()))
        return self._result(workspace, job_id, source.value, counts)

    def _write(
        self,
        workspace: WorkspaceId,
        run: _Run,
        source: ExportSource,
        batch: Sequence[ExportedConversation],
        progress: int,
    ) -> _Batch | None:
        """Write one batch; when it added conversations, let the database count them again if
        their table grew much since it last did, before the next batch plans its statements."""
        done = self._write_batch(workspace, run, source, batch, progress)
        if done is not None and done.added:
            self._refresh_statistics()
        return done

    @transaction
    def _refresh_statistics(self, tx: ConversationsUnitOfWork) -> None:
        tx.refresh_statistics()

    @transaction
    def _write_batch(
        self,
        tx: ConversationsUnitOfWork,
        workspace: WorkspaceId,
        run: _Run,
        source: ExportSource,
        batch: Sequence[ExportedConversation],
        progress: int,
    ) -> _Batch | None:
        job = tx.jobs.get(workspace, run.job_id)
        if job.status is not JobStatus.RUNNING or job.attempt != run.attempt:
            return None
        now = self.clock.now()
        stored = tx.conversations.imported(
            workspace, job.user_id, source, [c.external_id for c in batch]
        )
        known: dict[ConversationId, set[str | None]] = {c.id: set() for c in stored.values()}
        if stored:
            for message in tx.messages.in_conversations(workspace, list(known)):
                known[message.conversation_id].add(message.external_id)
        added: list[Conversation] = []
        changed: list[Conversation] = []
        messages: list[NewMessage] = []
        errors: list[SkippedConversation] = []
        for parsed in batch:
            existing = stored.get(parsed.external_id)
            try:
                if existing is None:
                    conversation = _new_conversation(workspace, job.user_id, source, parsed, now)
                    fresh = _messages_of(conversation, parsed, set())
                else:
                    conversation = existing
                    fresh = _messages_of(existing, parsed, set(known[existing.id]))
            except ValidationError as error:
                errors.append(_skipped(parsed.index, parsed.external_id, str(error)))
                continue
            if existing is None:
                added.append(conversation)
            elif fresh:
                changed.append(conversation)
            messages.extend(fresh)
        tx.conversations.add_many(added)
        for conversation in changed:
            tx.conversations.update(conversation)
        tx.messages.add_imported(workspace, messages)
        job.advance(max(progress, job.progress), now)
        tx.jobs.update(job)
        return _Batch(len(added), len(changed), len(messages), tuple(errors))

    @transaction
    def _job_now(
        self, tx: ConversationsUnitOfWork, workspace: WorkspaceId, job_id: IngestionJobId
    ) -> IngestionJob:
        return tx.jobs.get(workspace, job_id)

    @transaction
    def _fail(
        self,
        tx: ConversationsUnitOfWork,
        workspace: WorkspaceId,
        job_id: IngestionJobId,
        attempt: int | None,
        code: str,
        message: str,
    ) -> None:
        """Fail the job, unless it is finished or (`attempt` given) a later run holds it."""
        job = tx.jobs.get(workspace, job_id)
        if not job.status.finished and attempt in (None, job.attempt):
            job.fail(code, message, self.clock.now())
            tx.jobs.update(job)

    @transaction
    def _finish(
        self,
        tx: ConversationsUnitOfWork,
        workspace: WorkspaceId,
        run: _Run,
        note: str | None,
    ) -> None:
        job = tx.jobs.get(workspace, run.job_id)
        if job.status is JobStatus.RUNNING and job.attempt == run.attempt:
            job.succeed(self.clock.now(), note=note)
            tx.jobs.update(job)

    def _result(
        self, workspace: WorkspaceId, job_id: IngestionJobId, source: str, counts: _Counts
    ) -> ImportResult:
        return ImportResult(
            job=job_result(self._job_now(workspace, job_id)),
            source=source,
            conversations_read=counts.read,
            conversations_added=counts.added,
            conversations_updated=counts.updated,
            messages_added=counts.messages,
            errors=tuple(counts.sorted_errors()),
        )


class _Inline:
    """The executor of an import that writes each batch in its own thread, as it comes."""

    def submit(self, function: Callable[..., _Batch | None], *args: Any) -> Future[_Batch | None]:
        future: Future[_Batch | None] = Future()
        try:
            future.set_result(function(*args))
        except BaseException as error:  # handed to .result(), as a pool's future would
            future.set_exception(error)
        return future


@contextlib.contextmanager
def _writer(threads: int) -> Iterator[ThreadPoolExecutor | _Inline]:
    if not threads:
        yield _Inline()
        return
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="nexus-chat-import") as pool:
        yield pool


# Reading an export makes millions of dicts and lists that die young while a batch of parsed
# messages lives for a while: at the default threshold collections took a sixth of an import's
# CPU (SQLite, 100k messages: 2.6 s of thread time, 2.2 s with the collector off, 2.3 s at
# 10,000). See nexus.shared.collector.
IMPORT_GC_THRESHOLD = 10_000


def _skipped(index: int, external_id: str | None, reason: str) -> SkippedConversation:
    return SkippedConversation(index=index, external_id=external_id, reason=reason)


def _note(errors: Sequence[SkippedConversation]) -> str | None:
    """The job's record of the conversations left out: `#index (id): why`, the first few."""
    if not errors:
        return None
    lines = [f"#{e.index} ({e.external_id or 'no id'}): {e.reason}" for e in errors[:NOTE_MAX]]
    more = len(errors) - NOTE_MAX
    head = f"{len(errors)} conversation(s) not imported"
    return "\n".join([head, *lines, *([f"... and {more} more"] if more > 0 else [])])
