"""Encoding detection (BOM, then strict UTF-8, then cp1252) and incremental decoding of bytes.

Undecodable bytes become lone surrogates (U+DC00 + byte) so a reader can report the record that
holds them instead of failing the whole file; `has_undecodable` finds them.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import re
from collections.abc import Iterator
from typing import BinaryIO

from nexus.shared.errors import ValidationError

_MARK = "nexus-load-file-mark"
_UNDECODABLE = re.compile("[\ud800-\udfff]")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
CHUNK_BYTES = 1 << 20

Source = str | os.PathLike[str] | BinaryIO


def _mark_undecodable(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join(chr(0xDC00 + byte) for byte in bad), error.end


codecs.register_error(_MARK, _mark_undecodable)


def has_undecodable(text: str) -> bool:
    """True when `text` holds bytes the encoding could not decode."""
    return _UNDECODABLE.search(text) is not None


def _is_utf8(stream: BinaryIO) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    try:
        while chunk := stream.read(CHUNK_BYTES):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(stream: BinaryIO) -> str:
    """The stream's encoding: a BOM's, else UTF-8 if every byte decodes strictly, else cp1252.

    Reads the stream to its end when there is no BOM, and puts it back where it was.
    """
    start = stream.tell()
    head = stream.read(4)
    stream.seek(start)
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    try:
        return "utf-8" if _is_utf8(stream) else "cp1252"
    finally:
        stream.seek(start)


def text_codec(encoding: str) -> str:
    """The canonical name of a text encoding; ValidationError for anything else."""
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        raise ValidationError("encoding", f"unknown encoding {encoding!r}") from None
    if not getattr(info, "_is_text_encoding", True):
        raise ValidationError("encoding", f"{encoding!r} is not a text encoding")
    return info.name


@contextlib.contextmanager
def _opened(source: Source) -> Iterator[BinaryIO]:
    if isinstance(source, str | os.PathLike):
        try:
            stream = open(source, "rb")  # noqa: SIM115 - closed below
        except OSError as error:
            raise ValidationError("source", f"cannot open: {error.strerror}") from None
        with stream:
            yield stream
    else:
        yield source


def decoded_chunks(
    source: Source, encoding: str | None = None, chunk_bytes: int = CHUNK_BYTES
) -> Iterator[str]:
    """Decoded text of `source` in chunks, its BOM removed; memory bounded by `chunk_bytes`.

    `encoding=None` detects it (the stream must then be seekable).
    """
    with _opened(source) as stream:
        if encoding is None:
            if not stream.seekable():
                raise ValidationError("encoding", "required for a stream that cannot seek")
            encoding = detect_encoding(stream)
        decoder = codecs.getincrementaldecoder(text_codec(encoding))(_MARK)
        first = True
        while True:
            data = stream.read(chunk_bytes)
            try:
                text = decoder.decode(data, final=not data)
            except UnicodeError as error:  # e.g. "utf-16" without a BOM
                raise ValidationError("encoding", f"cannot decode as {encoding}: {error}") from None
            if first and text:
                first = False
                if text[0] == "\ufeff":
                    text = text[1:]
            if text:
                yield text
            if not data:
                return


def physical_lines(chunks: Iterator[str]) -> Iterator[tuple[int, str]]:
    """(1-based line number, line without its CR LF or LF) over decoded chunks."""
    number = 0
    tail = ""
    for chunk in chunks:
        lines = (tail + chunk).split("\n")
        tail = lines.pop()
        for line in lines:
            number += 1
            yield number, line[:-1] if line.endswith("\r") else line
    if tail:
        yield number + 1, tail[:-1] if tail.endswith("\r") else tail
