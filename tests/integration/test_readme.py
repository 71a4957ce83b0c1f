"""The README's embedding example runs as written (docs that match the code)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from nexus.app import Nexus
from nexus.lab.samples import usage_events_file
from tests.conftest import create_postgres_database, drop_postgres_database, run_id

README = Path(__file__).resolve().parents[2] / "README.md"


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)


def test_the_readme_has_python_examples() -> None:
    assert len(_python_blocks()) >= 4


def _run(code: str, name: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {}
    exec(compile(code, name, "exec"), namespace)  # noqa: S102
    return namespace


@pytest.mark.parametrize("index", [0, 3])
def test_each_readme_python_example_runs(
    index: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEXUS_DATABASE_URL", raising=False)
    with usage_events_file() as sample:
        shutil.copyfile(sample, tmp_path / "usage_events.json")
    code = _python_blocks()[index]
    if 'create_app("sqlite:///t.db"' in code:
        import nexus

        nexus.migrate("sqlite:///t.db")
    namespace = _run(code, f"README.md[python {index}]")
    if index == 0:
        assert namespace["user"].email == "ada@example.org"
        assert namespace["created"].raw_key.startswith("nxk_")
        assert namespace["session"].refresh_token
        assert len(namespace["to_build"]) >= 1
    else:
        assert isinstance(namespace["app"], Nexus)
        assert namespace["app"].identity.list_users() == []


@pytest.mark.parametrize("index", [1, 2])
def test_the_embedding_options_run_on_each_engine(
    index: int, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The own-engine/own-transaction and shared-database examples, with `url` pointed at a
    fresh SQLite file or a fresh PostgreSQL database (the examples' own asserts check)."""
    monkeypatch.chdir(tmp_path)
    code = _python_blocks()[index]
    url = re.search(r'^url = "([^"]+)"', code, flags=re.M)
    assert url is not None
    scratch = None
    if database_url.startswith("postgresql"):
        server = make_url(database_url).set(database="postgres")
        scratch = (server.render_as_string(hide_password=False), f"nexus_readme_{run_id()}")
        fresh = create_postgres_database(*scratch)
        code = code.replace(url.group(0), f"url = {fresh!r}")
    try:
        namespace = _run(code, f"README.md[python {index}]")
    finally:
        if scratch is not None:
            drop_postgres_database(*scratch)
    if index == 1:
        assert namespace["kept"] == ["Quanta-1"]
    else:
        assert namespace["instruments"] == []
