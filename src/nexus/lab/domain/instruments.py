"""The Instrument aggregate (natural key: its pid), with NexusLIMS's time-zone behaviour."""

from __future__ import annotations

import json
import re
import zoneinfo
from datetime import datetime
from typing import Any

import attrs

from nexus.lab.domain.enums import Harvester, to_harvester
from nexus.shared.entity import Entity, text
from nexus.shared.errors import ValidationError

DEFAULT_TIMEZONE = "America/New_York"
DEFAULT_DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S %Z"
_URL = r"https?://[^\s]+"
_URL_RULE = "must be an http(s) URL without spaces"
_WINDOWS_DRIVE = re.compile(r"[A-Za-z]:")


def check_timezone(_instance: Any, _attribute: Any, value: Any) -> None:
    """An IANA zone name that zoneinfo knows; anything else is a ValidationError."""
    field = "instruments.timezone"
    if not isinstance(value, str) or not value or len(value) > 255:
        raise ValidationError(field, "must be an IANA time zone name", value=value)
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        raise ValidationError(
            field, "must be an IANA time zone name like America/New_York", value=value
        ) from None


def check_filestore_path(_instance: Any, _attribute: Any, value: Any) -> None:
    """Relative to the instrument data root: not absolute, no drive, no `..` component."""
    field = "instruments.filestore_path"
    parts = re.split(r"[/\\]", value)
    if value.startswith(("/", "\\")) or _WINDOWS_DRIVE.match(value):
        raise ValidationError(field, "must be a relative path (not absolute)", value=value)
    if ".." in parts:
        raise ValidationError(field, "must not contain '..'", value=value)


@attrs.define(kw_only=True)
class Instrument(Entity):
    __label__ = "instruments"

    instrument_pid: str = attrs.field(
        validator=text(min_length=1, max_length=100, pattern=r"\S+", rule="must not contain spaces")
    )
    api_url: str = attrs.field(
        validator=text(min_length=1, max_length=255, pattern=_URL, rule=_URL_RULE)
    )
    calendar_url: str = attrs.field(
        validator=text(min_length=1, max_length=255, pattern=_URL, rule=_URL_RULE)
    )
    location: str = attrs.field(validator=text(min_length=1, max_length=100))
    display_name: str = attrs.field(validator=text(min_length=1, max_length=255))
    property_tag: str = attrs.field(validator=text(min_length=1, max_length=20))
    filestore_path: str = attrs.field(
        validator=[text(min_length=1, max_length=255, strip_check=True), check_filestore_path]
    )
    harvester: Harvester = attrs.field(default=Harvester.NEMO, converter=to_harvester)
    timezone: str = attrs.field(default=DEFAULT_TIMEZONE, validator=check_timezone)

    @property
    def name(self) -> str:
        """NexusLIMS's alias: the instrument's name is its pid."""
        return self.instrument_pid

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def localize_datetime(self, value: datetime) -> datetime:
        """A naive value is taken as wall clock in the instrument's zone (kept as is); an aware
        value is converted to the instrument's zone."""
        if not isinstance(value, datetime):
            raise ValidationError("datetime", "must be a datetime", value=value)
        if value.tzinfo is None or value.utcoffset() is None:
            return value.replace(tzinfo=self.zone)
        try:
            return value.astimezone(self.zone)
        except OverflowError:
            raise ValidationError(
                "datetime", "must fall between the years 1 and 9999 in the instrument's zone"
            ) from None

    def localize_datetime_str(self, value: datetime, fmt: str = DEFAULT_DATETIME_FORMAT) -> str:
        localized = self.localize_datetime(value)
        try:
            return localized.strftime(fmt)
        except (ValueError, UnicodeError):
            raise ValidationError("fmt", "must be a strftime format", value=fmt) from None

    def to_dict(self) -> dict[str, str]:
        """NexusLIMS's `to_dict`: every column, the zone under the key `timezone`."""
        return {
            "instrument_pid": self.instrument_pid,
            "api_url": self.api_url,
            "calendar_url": self.calendar_url,
            "location": self.location,
            "display_name": self.display_name,
            "property_tag": self.property_tag,
            "filestore_path": self.filestore_path,
            "harvester": str(self.harvester),
            "timezone": self.timezone,
        }

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.to_dict(), **kwargs)

    def __str__(self) -> str:
        return f"{self.instrument_pid} in {self.location}"
