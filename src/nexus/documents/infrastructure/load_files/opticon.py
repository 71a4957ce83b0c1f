"""Opticon OPT image cross-reference reader: page lines grouped into documents by the `Y` break.

A line is `ImageKey,Volume,Path,DocBreak,FolderBreak,BoxBreak,PageCount` (producers also write
5 fields, the last being PageCount); `Y` in DocBreak starts a document whose key (its BEGDOC)
is that page's ImageKey.
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from .encoding import CHUNK_BYTES, Source, decoded_chunks, has_undecodable, physical_lines
from .results import RecordError


@attrs.frozen(kw_only=True)
class OptPage:
    """One page image: its key, volume and path, the line it came from, first page or not."""

    line: int
    key: str
    volume: str
    path: str
    first: bool


@attrs.frozen(kw_only=True)
class OptDocument:
    """A document's page images in file order; `key` is the first page's ImageKey (BEGDOC)."""

    line: int
    key: str
    pages: tuple[OptPage, ...]
    page_count: int | None


def read_opt(
    source: Source, *, encoding: str | None = None, chunk_bytes: int = CHUNK_BYTES
) -> Iterator[OptDocument | RecordError]:
    """Yield each document (when its last page is read) or a RecordError for a bad line.

    A bad line is left out of its document; pages before the first `Y` are errors.
    """
    head: tuple[OptPage, int | None] | None = None
    pages: list[OptPage] = []
    for number, line in physical_lines(decoded_chunks(source, encoding, chunk_bytes)):
        if not line.strip():
            continue
        parsed = _page(number, line)
        if isinstance(parsed, RecordError):
            yield parsed
            continue
        page, page_count = parsed
        if page.first:
            if head is not None:
                yield _document(head, pages)
            head, pages = (page, page_count), [page]
        elif head is None:
            yield RecordError(line=number, field="DocBreak", rule="page before the first Y break")
        else:
            pages.append(page)
    if head is not None:
        yield _document(head, pages)


def _document(head: tuple[OptPage, int | None], pages: list[OptPage]) -> OptDocument:
    first, page_count = head
    return OptDocument(line=first.line, key=first.key, pages=tuple(pages), page_count=page_count)


def _page(number: int, line: str) -> tuple[OptPage, int | None] | RecordError:
    if has_undecodable(line):
        return RecordError(line=number, field=None, rule="bytes not valid in the file's encoding")
    parts = [part.strip() for part in line.split(",")]
    if not 4 <= len(parts) <= 7:
        return RecordError(line=number, field=None, rule=f"has {len(parts)} fields, expected 7")
    key, volume, path, doc_break = parts[:4]
    if not key:
        return RecordError(line=number, field="ImageKey", rule="blank")
    if not path:
        return RecordError(line=number, field="Path", rule="blank")
    if doc_break.upper() not in ("Y", ""):
        return RecordError(line=number, field="DocBreak", rule="must be Y or blank")
    page_count: int | None = None
    count = {5: parts[-1], 7: parts[-1]}.get(len(parts), "")  # 5 fields: key,vol,path,Y,count
    if count:
        if not count.isdigit() or int(count) < 1:
            return RecordError(line=number, field="PageCount", rule="not a positive integer")
        page_count = int(count)
    first = doc_break.upper() == "Y"
    return OptPage(line=number, key=key, volume=volume, path=path, first=first), page_count
