"""The application's `ChatExportReader` port on the `chat_exports` package, and the digest of an
export (a file's bytes; a directory's conversation files in reading order)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from nexus.conversations.infrastructure.chat_exports import ChatExport, open_chat_export
from nexus.shared.errors import ValidationError

CHUNK = 1 << 20


class ChatExportFiles:
    """Opens and digests exports with the streaming readers."""

    def open(self, path: Path) -> ChatExport:
        return open_chat_export(path)

    def sha256(self, path: Path) -> str:
        digest = hashlib.sha256()
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        try:
            for file in files:
                if path.is_dir():
                    digest.update(str(file.relative_to(path)).encode() + b"\x00")
                with file.open("rb") as stream:
                    while chunk := stream.read(CHUNK):
                        digest.update(chunk)
        except OSError as error:
            raise ValidationError(str(path), f"cannot read: {error.strerror}") from None
        return digest.hexdigest()
