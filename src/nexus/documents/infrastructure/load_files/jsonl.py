"""JSON Lines reader: one JSON object per line, streamed, with per-line errors."""

from __future__ import annotations

import json
from collections.abc import Iterator

from .encoding import CHUNK_BYTES, Source, decoded_chunks, has_undecodable, physical_lines
from .results import JsonRecord, RecordError


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not valid JSON")


def read_jsonl(
    source: Source, *, encoding: str = "utf-8", chunk_bytes: int = CHUNK_BYTES
) -> Iterator[JsonRecord | RecordError]:
    """Yield a JsonRecord per non-blank line, or a RecordError (invalid JSON, not an object,
    undecodable bytes) naming the line; reading goes on after an error."""
    for number, line in physical_lines(decoded_chunks(source, encoding, chunk_bytes)):
        if not line.strip():
            continue
        if has_undecodable(line):
            yield RecordError(line=number, field=None, rule=f"bytes not valid in {encoding}")
            continue
        try:
            data = json.loads(line, parse_constant=_refuse_constant)
        except (ValueError, RecursionError) as error:
            yield RecordError(line=number, field=None, rule=f"invalid JSON: {error}")
            continue
        if not isinstance(data, dict):
            kind = type(data).__name__
            yield RecordError(line=number, field=None, rule=f"a JSON object expected, not {kind}")
            continue
        yield JsonRecord(line=number, data=data)
