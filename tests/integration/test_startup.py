"""`import nexus` stays light (no Alembic, no SQLAlchemy engine until an attribute needs it),
`nexus --help` loads neither Alembic nor the container, and the package exports its types."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import nexus


def run_python(code: str, cwd: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_import_nexus_imports_neither_alembic_nor_sqlalchemy(tmp_path: Path) -> None:
    out = run_python(
        "import sys, nexus; print(sorted(m for m in ('alembic', 'sqlalchemy', 'nexus.app') "
        "if m in sys.modules))",
        tmp_path,
    )
    assert out == "[]"


def test_using_nexus_without_migrating_never_imports_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    nexus.migrate(url)
    out = run_python(
        "import sys, nexus\n"
        f"app = nexus.create_app({url!r})\n"
        "app.lab.list_instruments()\n"
        "app.close()\n"
        "print('alembic' in sys.modules)",
        tmp_path,
    )
    assert out == "False"


def test_nexus_help_loads_neither_alembic_nor_the_container(tmp_path: Path) -> None:
    out = run_python(
        "import sys\n"
        "sys.argv = ['nexus', '--help']\n"
        "from nexus.cli.main import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('alembic', 'nexus.container', 'nexus.app') "
        "if m in sys.modules))",
        tmp_path,
    )
    assert out.splitlines()[-1] == "[]"
    assert "lab" in out


def test_operator_and_the_app_are_exported_and_typed() -> None:
    from nexus.identity import OPERATOR

    assert nexus.OPERATOR is OPERATOR
    assert "OPERATOR" in dir(nexus)
    assert callable(nexus.create_app)
    assert (Path(nexus.__file__).parent / "py.typed").is_file()
    with pytest.raises(AttributeError, match="no_such_thing"):
        nexus.no_such_thing  # noqa: B018
