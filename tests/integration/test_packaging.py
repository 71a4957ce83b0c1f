"""The wheel carries the migrations, so an embedding app can upgrade its database from Python."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_wheel_carries_migrations_and_the_console_script(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("nexus-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "nexus/_migrations/env.py" in names
    assert "nexus/_migrations/script.py.mako" in names
    assert "nexus/py.typed" in names  # PEP 561: embedding apps get nexus's types
    versions = [
        n for n in names if n.startswith("nexus/_migrations/versions/") and n.endswith(".py")
    ]
    assert len(versions) == len(list((ROOT / "migrations" / "versions").glob("*.py")))
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "nexus = nexus.cli.main:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
