"""Producer date and time formats: US `M/D/YYYY [h:mm[:ss] [AM|PM]]`, `YYYY-MM-DD`, `YYYYMMDD`,
ISO 8601, and a separate time field; values without a zone are read in a configured zone."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, time, tzinfo

_US = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T]+(.+))?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?\s*([AaPp]\.?[Mm]\.?)?")


def parse_time(text: str) -> time:
    """`HH:MM`, `HH:MM:SS[.ffffff]`, each optionally with AM/PM. Raises ValueError."""
    match = _TIME.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"not a time: {text!r}")
    hour, minute = int(match[1]), int(match[2])
    second = int(match[3] or 0)
    micro = int((match[4] or "0").ljust(6, "0"))
    if match[5]:
        if not 1 <= hour <= 12:
            raise ValueError(f"hour {hour} with AM/PM")
        hour = hour % 12 + (12 if match[5][0] in "Pp" else 0)
    return time(hour, minute, second, micro)


def _naive_or_aware(text: str, formats: Sequence[str]) -> datetime:
    text = text.strip()
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt)  # noqa: DTZ007 - the zone is applied by the caller
        except ValueError:
            continue
    try:
        if match := _US.fullmatch(text):
            day = date(int(match[3]), int(match[1]), int(match[2]))
            return datetime.combine(day, parse_time(match[4]) if match[4] else time())
        if match := _COMPACT.fullmatch(text):
            return datetime(int(match[1]), int(match[2]), int(match[3]))  # noqa: DTZ001
        return datetime.fromisoformat(text)
    except ValueError as error:
        raise ValueError(f"not a valid date: {text!r} ({error})") from None


def parse_datetime(
    text: str, zone: tzinfo, *, time_text: str = "", formats: Sequence[str] = ()
) -> datetime:
    """An aware datetime; `time_text` (a separate time field) replaces a missing time of day.

    Raises ValueError for text in none of the formats (tried: `formats`, then the common ones).
    """
    value = _naive_or_aware(text, formats)
    if time_text.strip():
        if value.time() != time():
            raise ValueError("the date has a time of day and a separate time is given")
        value = datetime.combine(value.date(), parse_time(time_text), value.tzinfo)
    return value if value.tzinfo is not None else value.replace(tzinfo=zone)


def parse_date(text: str, formats: Sequence[str] = ()) -> date:
    """A calendar date (a time of day, if any, is dropped). Raises ValueError."""
    return _naive_or_aware(text, formats).date()
