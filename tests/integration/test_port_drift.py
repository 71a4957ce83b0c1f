"""The unit-of-work ports are checked, not decorative: an adapter whose repository drifted from
its port (a finder that lost its scope parameter) makes mypy fail where the adapter is returned
as the port, as `identity_unit_of_work` returns it; the same module without the drift passes.
Both kinds of port are covered: a Protocol of the context's own (identity's api keys) and a
generic port of `nexus.shared.ports` (workspaces' providers: `TenantRows[ProviderConfig, Id]`)."""

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
from nexus.workspaces.application import ports as workspaces_ports
from nexus.workspaces.domain.ids import ProviderConfigId
from nexus.workspaces.domain.providers import ProviderConfig
from nexus.workspaces.infrastructure.repositories import (
    ProviderConfigRepository,
    WorkspacesUnitOfWork,
)


class OtherApiKeyRepository(ApiKeyRepository):
    def find(self, {params}) -> ApiKey | None:{ignore}
        return None


class OtherUnitOfWork(IdentityUnitOfWork):
    api_keys: OtherApiKeyRepository


def other_unit_of_work(tables: TablesFactory) -> ports.IdentityUnitOfWork:
    return OtherUnitOfWork(tables)


class OtherProviderRepository(ProviderConfigRepository):
    def get(self, {params_ws}) -> ProviderConfig:{ignore}
        raise LookupError


class OtherWorkspacesUnitOfWork(WorkspacesUnitOfWork):
    providers: OtherProviderRepository


def other_workspaces_unit_of_work(tables: TablesFactory) -> workspaces_ports.WorkspacesUnitOfWork:
    return OtherWorkspacesUnitOfWork(tables)
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
        MODULE.format(
            params="user_id: UserId, key_id: ApiKeyId",
            params_ws="scope: WorkspaceId, key: ProviderConfigId",
            ignore="",
        ).replace("import UserId\n", "import UserId, WorkspaceId\n"),
        encoding="utf-8",
    )
    output, status = _mypy(faithful)
    assert status == 0, output

    drifted = tmp_path / "drifted_uow.py"
    drifted.write_text(
        # The finder lost user_id: the override itself is silenced, as a careless edit would.
        MODULE.format(
            params="key_id: ApiKeyId",
            params_ws="key: ProviderConfigId",
            ignore="  # type: ignore[override]",
        ).replace("from nexus.shared.ids import UserId\n", ""),
        encoding="utf-8",
    )
    output, status = _mypy(drifted)
    assert status == 1, output
    assert (
        'Incompatible return value type (got "OtherUnitOfWork", expected "IdentityUnitOfWork")'
        in output
    )
    assert 'api_keys: expected "ApiKeyRepository", got "OtherApiKeyRepository"' in output
    assert 'Incompatible return value type (got "OtherWorkspacesUnitOfWork"' in output
    assert 'providers: expected "TenantRows[ProviderConfig, ProviderConfigId]"' in output
