"""Open a chat-assistant export, recognise it, and stream its conversations one at a time."""

from __future__ import annotations

import os
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import attrs
import ijson

from nexus.conversations.infrastructure.chat_exports.chatgpt import (
    chatgpt_conversation_id,
    parse_chatgpt,
)
from nexus.conversations.infrastructure.chat_exports.claude import (
    claude_conversation_id,
    parse_claude,
)
from nexus.conversations.infrastructure.chat_exports.containers import ExportFiles, export_files
from nexus.conversations.infrastructure.chat_exports.detect import (
    ITEM_PREFIX,
    NotAnExport,
    Shape,
    sniff,
)
from nexus.conversations.infrastructure.chat_exports.values import (
    ConversationError,
    ExportSource,
    MalformedConversation,
    ParsedConversation,
)
from nexus.shared.errors import ValidationError

NOT_AN_EXPORT = "not a ChatGPT or Claude export"
_READ_ERRORS = (
    ijson.JSONError,
    UnicodeDecodeError,
    OSError,
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
)

Parser = Callable[[int, object, str], ParsedConversation]
_PARSERS: dict[ExportSource, tuple[Parser, Callable[[object], str | None]]] = {
    "chatgpt": (parse_chatgpt, chatgpt_conversation_id),
    "claude": (parse_claude, claude_conversation_id),
}

ReadItem = ParsedConversation | ConversationError
#: called after each conversation with (bytes read so far, total bytes of the export's parts)
ProgressCallback = Callable[[int, int], None]


class _CountingReader:
    """A binary stream that counts the bytes handed to the JSON parser."""

    def __init__(self, stream: IO[bytes], already: int) -> None:
        self._stream = stream
        self.count = already

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self.count += len(data)
        return data


@attrs.frozen(kw_only=True)
class ChatExport:
    """A recognised export: whose it is, its account (when the export says), and its files."""

    path: Path
    source: ExportSource
    account_id: str | None
    files: ExportFiles
    shapes: tuple[Shape, ...]

    @property
    def parts(self) -> tuple[str, ...]:
        return self.files.parts

    def conversations(self, on_progress: ProgressCallback | None = None) -> Iterator[ReadItem]:
        """Each conversation in file order, as a ParsedConversation or a ConversationError.

        `index` counts conversations across all parts from 0. Broken JSON (a truncated file) stops
        the reading with a ValidationError naming the part and the last good index.
        `on_progress(done, total)` (bytes) is called after each conversation and at the end.
        """
        parse, identify = _PARSERS[self.source]
        index = done = 0
        total = self.files.total_bytes() if on_progress else 0
        for part, shape in zip(self.files.parts, self.shapes, strict=True):
            where = _where(self.files, part)
            try:
                with self.files.open(part) as stream:
                    counting = _CountingReader(stream, done)
                    for raw in ijson.items(counting, ITEM_PREFIX[shape], use_float=True):
                        yield _read_one(parse, identify, index, raw, part)
                        index += 1
                        if on_progress:
                            on_progress(min(counting.count, total), total)
                    done = counting.count
            except _READ_ERRORS as error:
                raise ValidationError(
                    where, f"unreadable JSON after {index} conversations: {error}"
                ) from None
        if on_progress:
            on_progress(total, total)


def _read_one(
    parse: Parser, identify: Callable[[object], str | None], index: int, raw: object, part: str
) -> ReadItem:
    try:
        return parse(index, raw, part)
    except MalformedConversation as error:
        return ConversationError(index=index, external_id=identify(raw), reason=str(error))
    except (TypeError, ValueError, AttributeError, KeyError, RecursionError) as error:
        reason = f"unreadable conversation ({type(error).__name__}: {error})"
        return ConversationError(index=index, external_id=identify(raw), reason=reason)


def open_chat_export(path: str | os.PathLike[str]) -> ChatExport:
    """Recognise the export at `path` (a ZIP, a directory or a JSON file) by its content.

    Raises ValidationError(path, "not a ChatGPT or Claude export: <why>") for anything else.
    """
    path = Path(path)
    try:
        files = export_files(path)
    except (OSError, LookupError, zipfile.BadZipFile) as error:
        raise ValidationError(str(path), f"{NOT_AN_EXPORT}: {_why(error)}") from None
    shapes: list[Shape] = []
    sources: set[ExportSource] = set()
    for part in files.parts:
        try:
            with files.open(part) as stream:
                shape, source = sniff(stream)
        except NotAnExport as error:
            raise ValidationError(_where(files, part), f"{NOT_AN_EXPORT}: {error}") from None
        except _READ_ERRORS as error:
            rule = f"{NOT_AN_EXPORT}: not valid JSON ({_why(error)})"
            raise ValidationError(_where(files, part), rule) from None
        shapes.append(shape)
        sources.update([source] if source else [])
    if len(sources) != 1:
        rule = "mixes ChatGPT and Claude conversations" if sources else "no conversation in it"
        raise ValidationError(str(path), f"{NOT_AN_EXPORT}: {rule}")
    return ChatExport(
        path=path,
        source=sources.pop(),
        account_id=files.account_id(),
        files=files,
        shapes=tuple(shapes),
    )


def read_chat_export(path: str | os.PathLike[str]) -> Iterator[ReadItem]:
    """Recognise the export at `path`, then yield its conversations one at a time."""
    return open_chat_export(path).conversations()


def _where(files: ExportFiles, part: str) -> str:
    return f"{files.path}:{part}" if files.layout != "file" else str(files.path)


def _why(error: BaseException) -> str:
    if isinstance(error, FileNotFoundError):
        return "no such file or directory"
    if isinstance(error, IsADirectoryError | PermissionError):
        return type(error).__name__
    return str(error).splitlines()[0] if str(error) else type(error).__name__
