"""CLI tests drive the real `nexus` command against a real database."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from nexus.cli.main import app


class Cli:
    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None, url: bool = True) -> Any:
        argv = list(args) + (["--database-url", self.database_url] if url else [])
        return self.runner.invoke(app, argv, input=input, catch_exceptions=False)

    def json(self, *args: str, input: str | None = None) -> Any:
        result = self(*args, "--json", input=input)
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)


@pytest.fixture
def cli(database_url: str) -> Cli:
    return Cli(database_url)
