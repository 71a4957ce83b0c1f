"""The README's embedding example runs as written (docs that match the code)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from nexus.app import Nexus
from nexus.lab.samples import usage_events_file

README = Path(__file__).resolve().parents[2] / "README.md"


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)


def test_the_readme_has_python_examples() -> None:
    assert len(_python_blocks()) >= 2


@pytest.mark.parametrize("index", range(2))
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
    namespace: dict[str, Any] = {}
    exec(compile(code, f"README.md[python {index}]", "exec"), namespace)  # noqa: S102
    if index == 0:
        assert namespace["user"].email == "ada@example.org"
        assert namespace["created"].raw_key.startswith("nxk_")
        assert namespace["session"].refresh_token
        assert len(namespace["to_build"]) >= 1
    else:
        assert isinstance(namespace["app"], Nexus)
        assert namespace["app"].identity.list_users() == []
