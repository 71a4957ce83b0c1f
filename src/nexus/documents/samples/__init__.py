"""Sample productions: the small one `nexus run` loads (package data) and a writer of
synthetic ones for tests and benchmarks."""

from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import as_file, files
from pathlib import Path

SAMPLE_CASE = "Northwind supply dispute (sample)"
SAMPLE_BATCH = "sample_production.dat"


@contextmanager
def sample_production_file() -> Iterator[Path]:
    """The bundled sample production (a Concordance DAT, ten documents) as a real path."""
    with as_file(files(__name__) / "sample_production.dat") as path:
        yield path
