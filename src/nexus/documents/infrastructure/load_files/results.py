"""What the load-file readers yield: a record, or a per-record error naming line, field, rule."""

from __future__ import annotations

from typing import Any

import attrs


@attrs.frozen(kw_only=True)
class RecordError:
    """A record (or line) that could not be read; the reader goes on with the next one.

    `line` is the 1-based physical line where the record starts, `field` the field name when
    known, `rule` a short description of the broken rule.
    """

    line: int
    field: str | None
    rule: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", field {self.field}" if self.field else "")
        return f"{where}: {self.rule}"


@attrs.frozen(kw_only=True)
class DatRecord:
    """One DAT record: its starting physical line and its fields by name (values are text)."""

    line: int
    fields: dict[str, str]


@attrs.frozen(kw_only=True)
class JsonRecord:
    """One JSON Lines record: its line and the decoded object."""

    line: int
    data: dict[str, Any]
