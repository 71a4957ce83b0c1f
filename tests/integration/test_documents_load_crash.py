"""Exactly once under crashes and concurrency, on SQLite and PostgreSQL: a loading subprocess
killed (SIGKILL) at random points and started again ends with exactly the tables of an
uninterrupted run (0 lost, 0 doubled); two loaders on one batch duplicate nothing."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from nexus.app import Nexus, create_app
from nexus.container import Container, build_container
from nexus.documents.samples.production import write_production
from nexus.settings import Settings
from tests.loading_support import snapshot

CHILD = """
import sys
from nexus.app import create_app
url, case, path, chunk = sys.argv[1:5]
app = create_app(url, persistence="sqlalchemy")
app.documents.chunk_size = int(chunk)
print("ready", flush=True)
result = app.documents.load(case, path, batch_name="crash", custodian="Alice")
print("done", result.status, flush=True)
"""
CHUNK = 60


@pytest.fixture
def loader_db(database_url: str) -> Iterator[tuple[Nexus, Container, str]]:
    app = create_app(database_url, persistence="sqlalchemy")
    container = build_container(Settings(database_url=database_url, persistence="sqlalchemy"))
    yield app, container, database_url
    app.close()
    container.shutdown_resources()


def _start(url: str, case: Any, path: Path) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", CHILD, url, str(case), str(path), str(CHUNK)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready"
    return process


def _run_to_end(url: str, case: Any, path: Path) -> float:
    """Run a loader to its end; the seconds it loaded for (after its start-up)."""
    process = _start(url, case, path)
    started = time.perf_counter()
    out, _ = process.communicate(timeout=600)
    assert process.returncode == 0
    assert "done loaded" in out
    return time.perf_counter() - started


def _differences(reference: dict[str, list[Any]], crashed: dict[str, list[Any]]) -> tuple[int, int]:
    lost = doubled = 0
    for table, rows in reference.items():
        want, got = Counter(rows), Counter(crashed[table])
        lost += sum((want - got).values())
        doubled += sum((got - want).values())
    return lost, doubled


def _crash_rounds(
    loader_db: tuple[Nexus, Container, str],
    tmp_path: Path,
    figure: Callable[[str], None],
    *,
    documents: int,
    rounds: int,
    kills_per_round: int,
) -> None:
    app, container, url = loader_db
    path = write_production(tmp_path / "production.dat", documents, seed=11)
    reference_case = app.documents.create_case(name="reference")
    duration = _run_to_end(url, reference_case.id, path)
    reference = snapshot(container, reference_case.id)
    rng = random.Random(os.environ.get("NEXUS_CRASH_SEED", "7"))
    kills = missed = 0
    total_lost = total_doubled = 0
    for number in range(rounds):
        case = app.documents.create_case(name=f"crash {number}")
        landed = attempts = 0
        while landed < kills_per_round and attempts < 3 * kills_per_round:
            attempts += 1
            process = _start(url, case.id, path)
            time.sleep(rng.uniform(0, duration * (1 - landed / (kills_per_round + 1))))
            if process.poll() is None:
                process.kill()
                landed += 1
            else:
                missed += 1
            process.wait()
        kills += landed
        _run_to_end(url, case.id, path)
        lost, doubled = _differences(reference, snapshot(container, case.id))
        total_lost += lost
        total_doubled += doubled
    figure(
        f"crash test ({url.split(':')[0]}): {kills} kills at random points over {rounds} "
        f"rounds of {documents} documents ({missed} processes ended before their kill): "
        f"{total_lost} rows lost, {total_doubled} doubled"
    )
    assert (total_lost, total_doubled) == (0, 0)
    assert kills >= rounds * kills_per_round // 2


@pytest.mark.slow  # a kill loop: the slow subset (.ci/run runs it)
def test_a_killed_load_resumes_to_the_uninterrupted_tables(
    loader_db: tuple[Nexus, Container, str], tmp_path: Path, figure: Callable[[str], None]
) -> None:
    _crash_rounds(loader_db, tmp_path, figure, documents=600, rounds=1, kills_per_round=2)


@pytest.mark.slow
def test_fifty_random_kills(
    loader_db: tuple[Nexus, Container, str], tmp_path: Path, figure: Callable[[str], None]
) -> None:
    _crash_rounds(loader_db, tmp_path, figure, documents=1000, rounds=5, kills_per_round=11)


def test_two_loaders_on_one_batch_duplicate_nothing(
    loader_db: tuple[Nexus, Container, str], tmp_path: Path
) -> None:
    app, container, url = loader_db
    path = write_production(tmp_path / "production.dat", 600, seed=5)
    reference_case = app.documents.create_case(name="reference")
    app.documents.load(reference_case.id, str(path), custodian="Alice", batch_name="crash")
    case = app.documents.create_case(name="concurrent")
    batch = app.documents.create_batch(case.id, name="crash", custodian="Alice")
    results: list[Any] = []
    errors: list[BaseException] = []

    def loader() -> None:
        with create_app(url, persistence="sqlalchemy") as own:
            own.documents.chunk_size = 25  # type: ignore[misc]
            try:
                results.append(own.documents.resume_batch(case.id, batch.id, str(path)))
            except BaseException as error:
                errors.append(error)

    threads = [threading.Thread(target=loader) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert errors == []
    assert [r.status for r in results] == ["loaded", "loaded"]
    assert _differences(snapshot(container, reference_case.id), snapshot(container, case.id)) == (
        0,
        0,
    )
    # Between them the two loaders did every record once.
    assert results[0].loaded == results[1].loaded
