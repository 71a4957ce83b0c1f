"""The unit-of-work ports are checked, not decorative: an adapter whose repository drifted from
its port (a finder that lost its scope parameter) makes mypy fail where the adapter is returned
as the port, as `identity_unit_of_work` returns it; the same module without the drift passes."""

from __future__ import annotations

from pathlib import Path

import mypy.api
import pytest

ROOT = Path(__file__).resolve().parents[2]

MODULE = '''"""An identity unit of work returned through its port."""

from __future__ import annotations

from nexus.identity.application import ports
from nexus.identity.domain.api_keys import ApiKey
from nexus.identity.domain.ids import ApiKeyId
from nexus.identity.infrastructure.repositories import ApiKeyRepository, IdentityUnitOfWork
from nexus.persistence.uow import TablesFactory
from nexus.shared.ids import UserId


class OtherApiKeyRepository(ApiKeyRepository):
    def find(self, {params}) -> ApiKey | None:{ignore}
        return None


class OtherUnitOfWork(IdentityUnitOfWork):
    api_keys: OtherApiKeyRepository


def other_unit_of_work(tables: TablesFactory) -> ports.IdentityUnitOfWork:
    return OtherUnitOfWork(tables)
'''


def _mypy(path: Path) -> tuple[str, int]:
    stdout, stderr, status = mypy.api.run(
        [
            str(path),
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--cache-dir",
            str(ROOT / ".mypy_cache"),
        ]
    )
    return stdout + stderr, status


def test_mypy_fails_when_an_adapter_drifts_from_its_port(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    faithful = tmp_path / "faithful_uow.py"
    faithful.write_text(
        MODULE.format(params="user_id: UserId, key_id: ApiKeyId", ignore=""), encoding="utf-8"
    )
    output, status = _mypy(faithful)
    assert status == 0, output

    drifted = tmp_path / "drifted_uow.py"
    drifted.write_text(
        # The finder lost user_id: the override itself is silenced, as a careless edit would.
        MODULE.format(params="key_id: ApiKeyId", ignore="  # type: ignore[override]").replace(
            "from nexus.shared.ids import UserId\n", ""
        ),
        encoding="utf-8",
    )
    output, status = _mypy(drifted)
    assert status == 1, output
    assert (
        'Incompatible return value type (got "OtherUnitOfWork", expected "IdentityUnitOfWork")'
        in output
    )
    assert 'api_keys: expected "ApiKeyRepository", got "OtherApiKeyRepository"' in output
