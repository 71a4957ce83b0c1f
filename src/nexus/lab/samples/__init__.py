"""A sample instrument and a small NEMO usage-event file, for `nexus run` and for trying lab out."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import as_file, files
from pathlib import Path

SAMPLE_INSTRUMENT = {
    "instrument_pid": "FEI-Titan-TEM-012345",
    "api_url": "https://nemo.example.org/api/tools/?id=1",
    "calendar_url": "https://nemo.example.org/calendar/titan-tem",
    "location": "Building 217, Room B113",
    "display_name": "FEI Titan TEM",
    "property_tag": "012345",
    "filestore_path": "Titan_TEM",
    "harvester": "nemo",
    "timezone": "America/New_York",
}


@contextmanager
def usage_events_file() -> Iterator[Path]:
    """The bundled usage-event file as a real path (even from a zipped install)."""
    with as_file(files(__name__) / "usage_events.json") as path:
        yield path
