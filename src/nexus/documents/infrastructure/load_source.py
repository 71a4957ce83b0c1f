"""The loader's record source: a DAT (through its field map) or JSON Lines file read as
validated `ExhibitData` (which reads the field map's target names), with Opticon page images."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any, BinaryIO

from nexus.documents.application.load_ports import (
    LoadSpec,
    PageImage,
    RecordProblem,
    SourceItem,
)
from nexus.documents.domain.exhibit_data import ExhibitData
from nexus.documents.infrastructure.load_files import (
    FieldMap,
    RecordError,
    default_field_map,
    load_field_map,
    read_dat,
    read_jsonl,
    read_opt,
)
from nexus.shared.errors import ValidationError


def _problem(error: RecordError) -> SourceItem:
    return SourceItem(
        line=error.line, problem=RecordProblem(line=error.line, field=error.field, rule=error.rule)
    )


def _item(line: int, build: Any, images: dict[str, tuple[PageImage, ...]]) -> SourceItem:
    try:
        data = build()
    except ValidationError as error:
        return SourceItem(
            line=line, problem=RecordProblem(line=line, field=error.field, rule=error.rule)
        )
    except TypeError as error:
        return SourceItem(line=line, problem=RecordProblem(line=line, field=None, rule=str(error)))
    pages = images.get(data.nge_document_id or "", ()) if images else ()
    return SourceItem(line=line, data=data, images=pages)


def _images(path: str | None) -> dict[str, tuple[PageImage, ...]]:
    if path is None:
        return {}
    out: dict[str, tuple[PageImage, ...]] = {}
    for document in read_opt(_check_file(path, "opt")):
        if isinstance(document, RecordError):
            continue
        out[document.key] = tuple(
            PageImage(page=n, path=page.path) for n, page in enumerate(document.pages, 1)
        )
    return out


def _check_file(path: str, field: str) -> str:
    if not os.path.isfile(path):
        raise ValidationError(field, f"no such file: {path}")
    return path


class FileReading:
    """One pass over a load file; `position()` is the bytes read so far."""

    def __init__(self, spec: LoadSpec) -> None:
        self.spec = spec
        path = _check_file(spec.source, "source")
        self.size = os.path.getsize(path)
        self.images = _images(spec.opt)
        self.field_map: FieldMap | None = None
        if spec.format == "dat":
            self.field_map = (
                load_field_map(_check_file(spec.field_map, "field_map"))
                if spec.field_map
                else default_field_map(spec.time_zone)
            )
        self._stream: BinaryIO | None = None

    def position(self) -> int:
        stream = self._stream
        if stream is None or stream.closed:
            return self.size
        return stream.tell()

    def __iter__(self) -> Iterator[SourceItem]:
        with open(self.spec.source, "rb") as stream:
            self._stream = stream
            yield from self._dat(stream) if self.field_map is not None else self._jsonl(stream)

    def _dat(self, stream: BinaryIO) -> Iterator[SourceItem]:
        field_map = self.field_map
        assert field_map is not None
        images = self.images
        records = read_dat(
            stream,
            field_map.dialect,
            columns=field_map.columns,
            has_header=field_map.columns is None,
        )
        for record in records:
            if isinstance(record, RecordError):
                yield _problem(record)
                continue
            fields = field_map.apply(record)
            if isinstance(fields, RecordError):
                yield _problem(fields)
                continue
            yield _item(record.line, lambda f=fields: ExhibitData.from_dict(f), images)

    def _jsonl(self, stream: BinaryIO) -> Iterator[SourceItem]:
        images = self.images
        for record in read_jsonl(stream):
            if isinstance(record, RecordError):
                yield _problem(record)
                continue
            yield _item(record.line, lambda d=record.data: ExhibitData.from_dict(d), images)


def read_records(spec: LoadSpec) -> FileReading:
    """The `RecordSource` of the loader."""
    return FileReading(spec)
