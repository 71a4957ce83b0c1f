"""Where an export's conversation files are: a single file, a directory, or members of a ZIP."""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import IO, Literal

import attrs

Layout = Literal["file", "directory", "zip"]

_PART_NAME = re.compile(r"^conversations(?:-(\d+))?\.json$")
_ACCOUNT_FILES = ("user.json", "users.json")
_ACCOUNT_FILE_LIMIT = 1 << 20


def _part_order(name: str) -> tuple[int, str]:
    match = _PART_NAME.match(PurePosixPath(name).name)
    number = match.group(1) if match else None
    return (-1 if number is None else int(number), name)


def is_part(name: str) -> bool:
    """`conversations.json` or a split `conversations-NNN.json`, in any folder of the export."""
    path = PurePosixPath(name)
    return bool(_PART_NAME.match(path.name)) and "__MACOSX" not in path.parts


@attrs.frozen(kw_only=True)
class ExportFiles:
    """The conversation files of an export in reading order, and its account file if any."""

    path: Path
    layout: Layout
    parts: tuple[str, ...]
    account_file: str | None = None

    @contextmanager
    def open(self, part: str) -> Iterator[IO[bytes]]:
        """A binary stream over one part (a ZIP member is decompressed as it is read)."""
        if self.layout == "zip":
            with zipfile.ZipFile(self.path) as archive, archive.open(part) as stream:
                yield stream
        elif self.layout == "directory":
            with (self.path / part).open("rb") as stream:
                yield stream
        else:
            with self.path.open("rb") as stream:
                yield stream

    def total_bytes(self) -> int:
        """The size of all parts as read (uncompressed for ZIP members)."""
        if self.layout == "zip":
            with zipfile.ZipFile(self.path) as archive:
                return sum(archive.getinfo(part).file_size for part in self.parts)
        if self.layout == "directory":
            return sum((self.path / part).stat().st_size for part in self.parts)
        return self.path.stat().st_size

    def account_id(self) -> str | None:
        """The account's id from `user.json` (ChatGPT) or `users.json` (Claude), when present."""
        if self.account_file is None:
            return None
        try:
            if self.layout == "zip":
                with zipfile.ZipFile(self.path) as archive:
                    info = archive.getinfo(self.account_file)
                    if info.file_size > _ACCOUNT_FILE_LIMIT:
                        return None
                    data = json.loads(archive.read(info))
            else:
                file = self.path / self.account_file
                if file.stat().st_size > _ACCOUNT_FILE_LIMIT:
                    return None
                data = json.loads(file.read_bytes())
        except (OSError, ValueError, KeyError, zipfile.BadZipFile):
            return None
        if isinstance(data, list) and data:
            data = data[0]
        if not isinstance(data, dict):
            return None
        found = data.get("id") or data.get("uuid")
        return found if isinstance(found, str) and found else None


def _account_file(names: list[str]) -> str | None:
    return next(
        (name for name in sorted(names, key=len) if PurePosixPath(name).name in _ACCOUNT_FILES),
        None,
    )


def export_files(path: Path) -> ExportFiles:
    """The conversation files under `path`; OSError/BadZipFile/LookupError say what is wrong."""
    if path.is_dir():
        names = [p.name for p in path.iterdir() if p.is_file()]
        parts = sorted((n for n in names if is_part(n)), key=_part_order)
        if not parts:
            raise LookupError("the directory holds no conversations.json or conversations-NNN.json")
        return ExportFiles(
            path=path, layout="directory", parts=tuple(parts), account_file=_account_file(names)
        )
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            names = [info.filename for info in archive.infolist() if not info.is_dir()]
        parts = sorted((n for n in names if is_part(n)), key=_part_order)
        if not parts:
            raise LookupError("the ZIP holds no conversations.json or conversations-NNN.json")
        return ExportFiles(
            path=path, layout="zip", parts=tuple(parts), account_file=_account_file(names)
        )
    path.open("rb").close()  # a missing or unreadable file fails here, with OSError
    return ExportFiles(path=path, layout="file", parts=(path.name,))
