"""Use cases on instruments: register, update, get, list, and localize a datetime."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs

from nexus.lab.application.ports import LabUnitOfWork
from nexus.lab.application.results import InstrumentResult
from nexus.lab.application.support import LabUseCases
from nexus.lab.domain.instruments import DEFAULT_DATETIME_FORMAT, DEFAULT_TIMEZONE, Instrument
from nexus.shared.errors import ConflictError, ValidationError
from nexus.shared.usecases import transaction

MAX_JSON_INDENT = 16
UPDATABLE = frozenset(
    (
        "api_url",
        "calendar_url",
        "location",
        "display_name",
        "property_tag",
        "filestore_path",
        "harvester",
        "timezone",
    )
)


def _check_api_url_free(tx: LabUnitOfWork, instrument: Instrument) -> None:
    holder = tx.instruments.find_by_api_url(instrument.api_url)
    if holder is not None and holder.instrument_pid != instrument.instrument_pid:
        raise ConflictError(
            f"instruments.api_url: already used by {holder.instrument_pid}",
            field="instruments.api_url",
        )


class Instruments(LabUseCases):
    @transaction
    def register_instrument(
        self,
        tx: LabUnitOfWork,
        *,
        instrument_pid: str,
        api_url: str,
        calendar_url: str,
        location: str,
        display_name: str,
        property_tag: str,
        filestore_path: str,
        harvester: str = "nemo",
        timezone: str = DEFAULT_TIMEZONE,
    ) -> InstrumentResult:
        instrument = Instrument(
            instrument_pid=instrument_pid,
            api_url=api_url,
            calendar_url=calendar_url,
            location=location,
            display_name=display_name,
            property_tag=property_tag,
            filestore_path=filestore_path,
            harvester=harvester,
            timezone=timezone,
        )
        if tx.instruments.find(instrument.instrument_pid) is not None:
            raise ConflictError(
                f"instruments.instrument_pid: {instrument.instrument_pid} already exists",
                field="instruments.instrument_pid",
            )
        _check_api_url_free(tx, instrument)
        tx.instruments.add(instrument)
        return InstrumentResult.from_instrument(instrument)

    @transaction
    def update_instrument(
        self, tx: LabUnitOfWork, /, instrument_pid: str, **changes: Any
    ) -> InstrumentResult:
        """Only the fields given change: api_url, calendar_url, location, display_name,
        property_tag, filestore_path, harvester, timezone. The pid never changes."""
        unknown = sorted(set(changes) - UPDATABLE)
        if unknown:
            raise ValidationError(f"instruments.{unknown[0]}", "cannot be updated (unknown field)")
        given = {k: v for k, v in changes.items() if v is not None}
        instrument = attrs.evolve(tx.instruments.get(instrument_pid), **given)
        _check_api_url_free(tx, instrument)
        tx.instruments.update(instrument)
        return InstrumentResult.from_instrument(instrument)

    @transaction
    def get_instrument(self, tx: LabUnitOfWork, instrument_pid: str) -> InstrumentResult:
        return InstrumentResult.from_instrument(tx.instruments.get(instrument_pid))

    def list_instruments(self) -> list[InstrumentResult]:
        return self.queries.list_instruments()

    @transaction
    def localize_datetime(self, tx: LabUnitOfWork, instrument_pid: str, dt: datetime) -> datetime:
        """A naive dt is the instrument's wall clock; an aware dt is converted to its zone."""
        return tx.instruments.get(instrument_pid).localize_datetime(dt)

    @transaction
    def localize_datetime_str(
        self,
        tx: LabUnitOfWork,
        instrument_pid: str,
        dt: datetime,
        fmt: str = DEFAULT_DATETIME_FORMAT,
    ) -> str:
        return tx.instruments.get(instrument_pid).localize_datetime_str(dt, fmt)

    def instrument_to_dict(self, instrument_pid: str) -> dict[str, str]:
        return self.get_instrument(instrument_pid).to_dict()

    def instrument_to_json(
        self, instrument_pid: str, *, indent: int | None = None, sort_keys: bool = False
    ) -> str:
        """NexusLIMS's `to_json`; of `json.dumps`'s options, `indent` (0 to 16) and
        `sort_keys`."""
        if indent is not None and not 0 <= indent <= MAX_JSON_INDENT:
            raise ValidationError("indent", f"must be between 0 and {MAX_JSON_INDENT}")
        return self.get_instrument(instrument_pid).to_json(indent=indent, sort_keys=sort_keys)
