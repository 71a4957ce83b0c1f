"""Splits decoded DAT text into raw rows, streaming: (starting line, field values) or an error.

A fast path splits a whole physical line when it is plainly unquoted or plainly quoted; anything
else (quoted fields spanning lines, delimiters or doubled quotes inside quotes, mixed fields) goes
through the field scanner. Both give the same rows (a property test checks it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .dialect import DatDialect
from .results import RecordError

_BLANKS = " \t"
MAX_RECORD_CHARS = 16 * 1024 * 1024


class _NeedMoreError(Exception):
    """The buffer ends inside the record: read more text and scan it again."""


class _TooLongError(Exception):
    """A record longer than the limit (most likely an unterminated quote)."""


class _UnterminatedError(Exception):
    """The file ends inside a quoted field."""


class FieldScanner:
    """Reads the fields of one record from a text buffer, with the dialect's rules."""

    def __init__(self, dialect: DatDialect, crlf: bool) -> None:
        self.delimiter = dialect.delimiter
        self.quote = dialect.quote
        self.newline = dialect.newline
        self.trim = dialect.trim
        self.crlf = crlf
        self.eol = "\r\n" if crlf else "\n"
        ending = r"\r\n" if crlf else r"\r?\n"
        self.stop = re.compile(f"{re.escape(self.delimiter)}|{ending}")
        self.quoted_sep = f"{self.quote}{self.delimiter}{self.quote}" if self.quote else ""
        quote = re.escape(self.quote or "\x00")
        self.doubled = (self.quote or "") * 2
        self.quoted_re = re.compile(
            f"{quote}([^{quote}]*(?:{quote}{quote}[^{quote}]*)*){quote}(?!{quote})"
        )

    def end_at(self, buf: str, k: int, eof: bool) -> int | None:
        """After a field at k: length of the record end there (0 at EOF), -1 for a delimiter,
        None for anything else. Raises _NeedMoreError when the buffer is too short to tell."""
        n = len(buf)
        if k >= n:
            if eof:
                return 0
            raise _NeedMoreError
        char = buf[k]
        if char == self.delimiter:
            return -1
        if char == "\n" and not self.crlf:
            return 1
        if char == "\r":
            if k + 1 >= n and not eof:
                raise _NeedMoreError
            if buf.startswith("\r\n", k):
                return 2
        return None

    def skip_blanks(self, buf: str, k: int, eof: bool) -> int:
        n = len(buf)
        while k < n and buf[k] in _BLANKS:
            k += 1
        if k >= n and not eof:
            raise _NeedMoreError
        return k

    def _clean(self, value: str) -> str:
        if "\r\n" in value:
            value = value.replace("\r\n", "\n")
        return value.strip(_BLANKS) if self.trim else value

    def quoted(self, buf: str, k: int, eof: bool) -> tuple[str, int]:
        """The value of the quoted field opening at k, and the position after its closing quote."""
        quote = self.quote
        assert quote is not None
        n = len(buf)
        match = self.quoted_re.match(buf, k)  # the common case, scanned in C
        if match is not None:
            if match.end() >= n and not eof:
                raise _NeedMoreError
            after = self.skip_blanks(buf, match.end(), eof) if self.trim else match.end()
            if self.end_at(buf, after, eof) is not None:
                return self._clean(match[1].replace(self.doubled, quote)), after
        parts: list[str] = []
        i = k + 1
        while True:
            j = buf.find(quote, i)
            if j < 0:
                if not eof:
                    raise _NeedMoreError
                if buf.find(self.eol, k) >= 0:
                    raise _UnterminatedError  # it would swallow the records after it
                # Left open on the file's last line: the field ends with the file, as
                # Relativity reads it (its parser cases "Unbalanced quote at beginning").
                parts.append(buf[i:])
                return self._clean("".join(parts)), n
            if j + 1 >= n and not eof:
                raise _NeedMoreError
            if j + 1 < n and buf[j + 1] == quote:
                parts.append(buf[i : j + 1])
                i = j + 2
                continue
            after = self.skip_blanks(buf, j + 1, eof) if self.trim else j + 1
            if self.end_at(buf, after, eof) is not None:
                parts.append(buf[i:j])
                return self._clean("".join(parts)), after
            parts.append(buf[i : j + 1])  # a stray quote inside a quoted value is data
            i = j + 1

    def record(self, buf: str, pos: int, eof: bool) -> tuple[list[str], int]:
        """The fields of the record starting at pos, and where the next record starts."""
        fields: list[str] = []
        n = len(buf)
        while True:
            k = self.skip_blanks(buf, pos, eof) if self.trim else pos
            if self.quote is not None and k < n and buf[k] == self.quote:
                value, k = self.quoted(buf, k, eof)
            else:
                match = self.stop.search(buf, k)
                if match is None:
                    if not eof:
                        raise _NeedMoreError
                    value, k = buf[k:], n
                else:
                    value, k = buf[k : match.start()], match.start()
            fields.append(value)
            ending = self.end_at(buf, k, eof)
            assert ending is not None
            if ending < 0:
                pos = k + 1
                continue
            return fields, k + ending

    def fast(self, line: str) -> list[str] | None:
        """The fields of a plainly unquoted or plainly quoted physical line, else None."""
        quote = self.quote
        if quote is None or quote not in line:
            if self.trim:
                return [field.lstrip(_BLANKS) for field in line.split(self.delimiter)]
            return line.split(self.delimiter)
        if len(line) < 2 or line[0] != quote or line[-1] != quote:
            return None
        parts = line[1:-1].split(self.quoted_sep)
        if line.count(quote) != 2 * len(parts):
            # Doubled quotes (literal quotes) inside values: each part must be made of plain
            # characters and doubled quotes only, else the line needs the field scanner.
            doubled = self.doubled
            for i, part in enumerate(parts):
                if quote in part:
                    if quote in part.replace(doubled, ""):
                        return None
                    parts[i] = part.replace(doubled, quote)
        return [part.strip(_BLANKS) for part in parts] if self.trim else parts


def _record_end_of(buf: str, setting: str) -> bool:
    """True for CR LF records: set, or `auto` and the first line break is CR LF."""
    if setting != "auto":
        return setting == "crlf"
    at = buf.find("\n")
    return at > 0 and buf[at - 1] == "\r"


def raw_rows(
    chunks: Iterator[str], dialect: DatDialect, max_record_chars: int = MAX_RECORD_CHARS
) -> Iterator[tuple[int, list[str]] | RecordError]:
    """(starting line, fields) per record, or a RecordError for an unreadable one.

    A quote left open on the file's last line ends with the file (Relativity's reading). One
    left open across a record end (at the end of the file, or a record longer than
    `max_record_chars`) is reported and reading resumes at the line after the record's first
    line: a missing quote never swallows the records after it.
    """
    buf = ""
    eof = True
    for chunk in chunks:  # enough text to see the first line break
        buf += chunk
        if "\n" in buf or len(buf) > max_record_chars:
            eof = False
            break
    scanner = FieldScanner(dialect, _record_end_of(buf, dialect.record_end))
    eol = scanner.eol
    newline = dialect.newline
    pos = 0
    line = 1
    skipping = False  # after a bad record: drop the rest of its first physical line
    while pos < len(buf) or not eof:
        if skipping:
            end = buf.find(eol, pos)
            if end >= 0:
                line += buf.count("\n", pos, end + len(eol))
                pos, skipping = end + len(eol), False
                continue
            line += buf.count("\n", pos, len(buf) - 1)
            buf, pos = buf[-1:], 0  # keep a CR that may start the CR LF
            more = next(chunks, None)
            if more is None:
                return
            buf += more
            continue
        start = pos
        try:
            end = buf.find(eol, pos)
            fields = None
            if end >= 0:
                text = buf[pos:end]
                if not scanner.crlf and text.endswith("\r"):
                    text = text[:-1]
                fields = scanner.fast(text)
            if fields is not None:
                pos = end + len(eol)
            else:
                fields, pos = scanner.record(buf, pos, eof)
                if pos - start > max_record_chars:
                    raise _TooLongError
        except _TooLongError:
            yield RecordError(line=line, field=None, rule="record too long (unterminated quote?)")
            pos, skipping = start, True
            continue
        except _NeedMoreError:
            if len(buf) - pos > max_record_chars:
                yield RecordError(
                    line=line, field=None, rule="record too long (unterminated quote?)"
                )
                skipping = True
                continue
            more = next(chunks, None)
            if more is None:
                eof = True
            else:
                buf = buf[pos:] + more
                pos = 0
            continue
        except _UnterminatedError:
            yield RecordError(line=line, field=None, rule="unterminated quote at end of file")
            pos, skipping = start, True
            continue
        if newline is not None:
            fields = [value.replace(newline, "\n") for value in fields]
        yield line, fields
        line += buf.count("\n", start, pos)
