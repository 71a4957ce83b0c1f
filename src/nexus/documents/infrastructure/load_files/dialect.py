"""The delimiters and options of a Concordance DAT load file (Concordance defaults)."""

from __future__ import annotations

from typing import Literal

import attrs

from nexus.shared.errors import ValidationError

RecordEnd = Literal["auto", "crlf", "lf"]


@attrs.frozen(kw_only=True)
class DatDialect:
    """How a DAT file is written; every character is settable (`|` and `^` are common too).

    - `delimiter`: field separator (DC4, `\\x14`); `quote`: text qualifier (`þ`), or None;
    - `newline`: the character standing for a newline inside a field (`®`), or None;
    - `multi_value`: separator of values in one field (`;`), used by field maps and the writer;
    - `record_end`: `crlf` (only CR LF ends a record, a lone LF is data, as Relativity reads),
      `lf` (LF or CR LF end a record), `auto` (CR LF if the first line break is CR LF, else LF);
    - `trim`: drop blanks before a field, around a quoted value and after its closing quote
      (Relativity's trim option);
    - `encoding`: a codec name, or None to detect it (BOM, strict UTF-8, cp1252).
    """

    delimiter: str = "\x14"
    quote: str | None = "\u00fe"
    newline: str | None = "\u00ae"
    multi_value: str = ";"
    record_end: RecordEnd = "auto"
    trim: bool = False
    encoding: str | None = None

    def __attrs_post_init__(self) -> None:
        roles = {"delimiter": self.delimiter, "multi_value": self.multi_value}
        if self.quote is not None:
            roles["quote"] = self.quote
        if self.newline is not None:
            roles["newline"] = self.newline
        for role, char in roles.items():
            if not isinstance(char, str) or len(char) != 1 or char in "\r\n":
                raise ValidationError(role, "must be one character other than CR and LF")
        if self.encoding is not None and not isinstance(self.encoding, str):
            raise ValidationError("encoding", "must be a codec name")
        if self.record_end not in ("auto", "crlf", "lf"):
            raise ValidationError("record_end", "must be auto, crlf or lf")
        structural = [self.delimiter, self.quote, self.newline]
        present = [char for char in structural if char is not None]
        if len(set(present)) != len(present):
            raise ValidationError("dialect", "delimiter, quote and newline must differ")
        if self.trim and any(char in " \t" for char in present):
            raise ValidationError("trim", "cannot trim blanks when a delimiter is a blank")


CONCORDANCE = DatDialect()
