"""Use cases on instruments: register, update, get, list, and localize a datetime."""

from __future__ import annotations

from datetime import datetime

import attrs

from nexus.lab.application import commands
from nexus.lab.application.ports import LabQueries, LabUnitOfWork, LabUnitOfWorkFactory
from nexus.lab.application.results import InstrumentResult
from nexus.lab.domain.instruments import Instrument
from nexus.shared.errors import ConflictError
from nexus.shared.retry import write


def _check_api_url_free(tx: LabUnitOfWork, instrument: Instrument) -> None:
    holder = tx.instruments.find_by_api_url(instrument.api_url)
    if holder is not None and holder.instrument_pid != instrument.instrument_pid:
        raise ConflictError(
            f"instruments.api_url: already used by {holder.instrument_pid}",
            field="instruments.api_url",
        )


class RegisterInstrument:
    def __init__(self, uow: LabUnitOfWorkFactory) -> None:
        self._uow = uow

    def __call__(self, command: commands.RegisterInstrument) -> InstrumentResult:
        instrument = Instrument(**attrs.asdict(command))

        def work(tx: LabUnitOfWork) -> InstrumentResult:
            if tx.instruments.find(instrument.instrument_pid) is not None:
                raise ConflictError(
                    f"instruments.instrument_pid: {instrument.instrument_pid} already exists",
                    field="instruments.instrument_pid",
                )
            _check_api_url_free(tx, instrument)
            tx.instruments.add(instrument)
            return InstrumentResult.from_instrument(instrument)

        return write(self._uow, work)


class UpdateInstrument:
    """Changes only the fields given; the pid is the identity and never changes."""

    def __init__(self, uow: LabUnitOfWorkFactory) -> None:
        self._uow = uow

    def __call__(self, command: commands.UpdateInstrument) -> InstrumentResult:
        changes = command.changes()

        def work(tx: LabUnitOfWork) -> InstrumentResult:
            instrument = attrs.evolve(tx.instruments.get(command.instrument_pid), **changes)
            _check_api_url_free(tx, instrument)
            tx.instruments.update(instrument)
            return InstrumentResult.from_instrument(instrument)

        return write(self._uow, work)


class GetInstrument:
    def __init__(self, uow: LabUnitOfWorkFactory) -> None:
        self._uow = uow

    def entity(self, instrument_pid: str) -> Instrument:
        with self._uow() as tx:
            return tx.instruments.get(instrument_pid)

    def __call__(self, instrument_pid: str) -> InstrumentResult:
        return InstrumentResult.from_instrument(self.entity(instrument_pid))

    def localize_datetime(self, instrument_pid: str, value: datetime) -> datetime:
        return self.entity(instrument_pid).localize_datetime(value)

    def localize_datetime_str(self, instrument_pid: str, value: datetime, fmt: str) -> str:
        return self.entity(instrument_pid).localize_datetime_str(value, fmt)


class ListInstruments:
    def __init__(self, queries: LabQueries) -> None:
        self._queries = queries

    def __call__(self) -> list[InstrumentResult]:
        return self._queries.list_instruments()
