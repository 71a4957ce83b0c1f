"""Use cases on ABI servers and inference servers: create, update, enable, disable, delete,
list, and read a server's API key (decrypted; members and up)."""

from __future__ import annotations

from typing import Any

from nexus.shared.usecases import transaction
from nexus.workspaces.application import resources as r
from nexus.workspaces.application.ports import WorkspacesUnitOfWork
from nexus.workspaces.application.results import AbiServerResult, InferenceServerResult
from nexus.workspaces.application.support import (
    ActorLike,
    IdLike,
    WorkspacesUseCases,
    authorized,
)
from nexus.workspaces.domain.roles import Action
from nexus.workspaces.domain.secrets import SecretValue
from nexus.workspaces.domain.servers import AbiServer, InferenceServer

UNSET: Any = object()

ABI = "abi_servers"
INFERENCE = "inference_servers"


class Servers(WorkspacesUseCases):
    def _set_key(self, server: AbiServer | InferenceServer, api_key: str | None) -> None:
        sealed = (
            None
            if api_key is None
            else self.cipher.encrypt(SecretValue(api_key), server.api_key_binding)
        )
        server.set_api_key(sealed, self.clock.now())

    def _api_key(self, server: AbiServer | InferenceServer) -> SecretValue | None:
        if server.api_key is None:
            return None
        return self.cipher.decrypt(server.api_key, server.api_key_binding)

    def _update(
        self,
        tx: WorkspacesUnitOfWork,
        /,
        name: str,
        action: Action,
        args: tuple[Any, ...],
        api_key: Any,
        changes: dict[str, Any],
    ) -> Any:
        server = r.change(tx, name, (*args, action), changes, self.clock.now())
        if api_key is not UNSET:
            self._set_key(server, api_key)
            r.repository(tx, name).update(server)
        return server

    # -- ABI servers ----------------------------------------------------------------------

    @transaction
    def create_abi_server(
        self,
        tx: WorkspacesUnitOfWork,
        /,
        workspace_id: IdLike,
        *,
        name: str,
        endpoint: str,
        actor: ActorLike,
        api_key: str | None = None,
        enabled: bool = True,
    ) -> AbiServerResult:
        workspace = authorized(tx, workspace_id, actor, Action.CREATE_ABI_SERVER)
        now = self.clock.now()
        server = AbiServer(
            workspace_id=workspace,
            name=name,
            endpoint=endpoint,
            enabled=enabled,
            created_at=now,
            updated_at=now,
        )
        if api_key is not None:
            self._set_key(server, api_key)
        tx.abi_servers.add(server)
        return AbiServerResult.of(server)

    @transaction
    def update_abi_server(
        self,
        tx: WorkspacesUnitOfWork,
        /,
        workspace_id: IdLike,
        server_id: IdLike,
        *,
        actor: ActorLike,
        api_key: Any = UNSET,
        **changes: Any,
    ) -> AbiServerResult:
        """Rename, move the endpoint; `api_key=` a new key (None drops it)."""
        args = (workspace_id, server_id, actor)
        server = self._update(tx, ABI, Action.UPDATE_ABI_SERVER, args, api_key, changes)
        return AbiServerResult.of(server)

    @transaction
    def enable_abi_server(
        self,
        tx: WorkspacesUnitOfWork,
        /,
        workspace_id: IdLike,
        server_id: IdLike,
        *,
        actor: ActorLike,
    ) -> AbiServerResult:
        args = (workspace_id, server_id, actor, Action.ENABLE_ABI_SERVER)
        return AbiServerResult.of(r.switch(tx, ABI, args, True, self.clock.now()))

    @transaction
    def disable_abi_server(
        self,
        tx: WorkspacesUnitOfWork,
        /,
        workspace_id: IdLike,
        server_id: IdLike,
        *,
        actor: ActorLike,
    ) -> AbiServerResult:
        args = (workspace_id, server_id, actor, Action.DISABLE_ABI_SERVER)
        return AbiServerResult.of(r.switch(tx, ABI, args, False, self.clock.now()))

    @transaction
    def delete_abi_server(
        self,
        tx: WorkspacesUnitOfWork,
        /,
        workspace_id: IdLike,
        server_id: IdLike,
        *,
        actor: ActorLike,
    ) -> None:
        r.delete(tx, ABI, workspace_id, server_id, actor, Action.DELETE_ABI_SERVER)

    @transaction
    def list_abi_servers(
        self, tx: WorkspacesUnitOfWork, /, workspace_id: IdLike, *, actor: ActorLike
    ) -> list[AbiServerResult]:
        return r.listed(tx, ABI, workspace_id, actor, Action.LIST_ABI_SERVERS, AbiServerResult.of)

    @transaction
    def get_abi_server_api_key(
        self,
        tx: WorkspacesUnitOfWork,
        /,
        workspace_id: IdLike,
        server_id: IdLike,
        *,
        actor: ActorLike,
    ) -> SecretValue | None:
        """The server's API key, decrypted (`reveal()` gives the text), or None."""
        server = r.load(tx, ABI, workspace_id, server_id, actor, Action.USE_ABI_SERVER)
        return self._api_key(server)

    # -- inference servers ----------------------------------------------------------------

    @transaction
    def create_inference_server(
        self,
        tx: WorkspacesUnitOfWork,
        /,
        workspace_id: IdLike,
        *,
        name: str,
        type: str,
        endpoint: str,
        actor: ActorLike,
        description: str | None = None,
        api_key: str | None = None,
        health_path: str | None = None,
        models_path: str | None = None,
        enabled: bool = True,
    ) -> InferenceServerResult:
        workspace = authorized(tx, workspace_id, actor, Action.CREATE_INFERENCE_SERVER)
        now = self.clock.now()
        server = InferenceServer(
            workspace_id=workspace,
            name=name,
            type=type,
            endpoint=endpoint,
            description=description,
            health_path=health_path,
            models_path=models_path,
            enabled=enabled,
            created_at=now,
            updated_at=now,
        )
        if api_key is not None:
            self._set_key(server, api_key)
        tx.inference_servers.add(server)
        return InferenceServerResult.of(server)

    @transaction
    def update_inference_server(
        self,
        tx: WorkspacesUnitOfWork,
        /,
        workspace_id: IdLike,
        server_id: IdLike,
        *,
        actor: ActorLike,
        api_key: Any = UNSET,
        **changes: Any,
    ) -> InferenceServerResult:
        args = (workspace_id, server_id, actor)
        server = self._update(tx, INFERENCE, Action.UPDATE_INFERENCE_SERVER, args, api_key, changes)
        return InferenceServerResult.of(server)

    @transaction
    def enable_inference_server(
        self,
        tx: WorkspacesUnitOfWork,
        /,
        workspace_id: IdLike,
        server_id: IdLike,
        *,
        actor: ActorLike,
    ) -> InferenceServerResult:
        args = (workspace_id, server_id, actor, Action.ENABLE_INFERENCE_SERVER)
        return InferenceServerResult.of(r.switch(tx, INFERENCE, args, True, self.clock.now()))

    @transaction
    def disable_inference_server(
        self,
        tx: WorkspacesUnitOfWork,
        /,
        workspace_id: IdLike,
        server_id: IdLike,
        *,
        actor: ActorLike,
    ) -> InferenceServerResult:
        args = (workspace_id, server_id, actor, Action.DISABLE_INFERENCE_SERVER)
        return InferenceServerResult.of(r.switch(tx, INFERENCE, args, False, self.clock.now()))

    @transaction
    def delete_inference_server(
        self,
        tx: WorkspacesUnitOfWork,
        /,
        workspace_id: IdLike,
        server_id: IdLike,
        *,
        actor: ActorLike,
    ) -> None:
        r.delete(tx, INFERENCE, workspace_id, server_id, actor, Action.DELETE_INFERENCE_SERVER)

    @transaction
    def list_inference_servers(
        self, tx: WorkspacesUnitOfWork, /, workspace_id: IdLike, *, actor: ActorLike
    ) -> list[InferenceServerResult]:
        return r.listed(
            tx,
            INFERENCE,
            workspace_id,
            actor,
            Action.LIST_INFERENCE_SERVERS,
            InferenceServerResult.of,
        )

    @transaction
    def get_inference_server_api_key(
        self,
        tx: WorkspacesUnitOfWork,
        /,
        workspace_id: IdLike,
        server_id: IdLike,
        *,
        actor: ActorLike,
    ) -> SecretValue | None:
        server = r.load(tx, INFERENCE, workspace_id, server_id, actor, Action.USE_INFERENCE_SERVER)
        return self._api_key(server)
