"""Use cases on secrets: set (create or replace), get (decrypted), list (never values), delete,
and `rotate_secrets`, which re-encrypts every ciphertext (secrets and servers' API keys) to the
newest key: one conditional write per row, so it is resumable after a crash at any point and
never overwrites a value written meanwhile."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nexus.shared.actors import OPERATOR
from nexus.shared.errors import NotFoundError, ValidationError
from nexus.shared.ids import WorkspaceId
from nexus.shared.usecases import transaction
from nexus.workspaces.application.ports import WorkspacesUnitOfWork
from nexus.workspaces.application.results import RotationReport, SecretInfo
from nexus.workspaces.application.support import (
    ActorLike,
    IdLike,
    WorkspacesUseCases,
    authorized,
    operator_only,
)
from nexus.workspaces.domain.roles import Action
from nexus.workspaces.domain.secrets import (
    Secret,
    SecretBinding,
    SecretDecryptionError,
    SecretValue,
    key_version_of,
)

# Each table holding ciphertexts: its repository and how a row's ciphertext and binding read.
_CIPHERED: tuple[tuple[str, Callable[[Any], str | None], Callable[[Any], SecretBinding]], ...] = (
    ("secrets", lambda s: s.encrypted_value, lambda s: s.binding),
    ("abi_servers", lambda s: s.api_key, lambda s: s.api_key_binding),
    ("inference_servers", lambda s: s.api_key, lambda s: s.api_key_binding),
)
Progress = Callable[[int, int], None]


def _info(secret: Secret) -> SecretInfo:
    return SecretInfo.from_entity(secret)


class Secrets(WorkspacesUseCases):
    @transaction
    def set_secret(
        self,
        tx: WorkspacesUnitOfWork,
        /,
        workspace_id: IdLike,
        key: str,
        value: str | SecretValue,
        *,
        actor: ActorLike,
        description: str | None = None,
        category: str | None = None,
    ) -> SecretInfo:
        """Create the secret, or replace its value (and the metadata given)."""
        workspace = authorized(tx, workspace_id, actor, Action.SET_SECRET)
        plain = value if isinstance(value, SecretValue) else SecretValue(value)
        now = self.clock.now()
        existing = tx.secrets.find_by_key(workspace, key) if isinstance(key, str) else None
        if existing is not None:
            sealed = self.cipher.encrypt(plain, existing.binding)
            existing.replace(sealed, now, description=description, category=category)
            tx.secrets.update(existing)
            return _info(existing)
        binding = SecretBinding.secret(workspace, key)
        secret = Secret(
            workspace_id=workspace,
            key=key,
            encrypted_value=self.cipher.encrypt(plain, binding),
            description="" if description is None else description,
            category="other" if category is None else category,
            created_at=now,
            updated_at=now,
        )
        tx.secrets.add(secret)
        return _info(secret)

    def _find(self, tx: WorkspacesUnitOfWork, /, workspace: WorkspaceId, key: str) -> Secret:
        found = tx.secrets.find_by_key(workspace, key) if isinstance(key, str) else None
        if found is None:
            raise NotFoundError("secret", key)
        return found

    @transaction
    def get_secret(
        self, tx: WorkspacesUnitOfWork, /, workspace_id: IdLike, key: str, *, actor: ActorLike
    ) -> SecretValue:
        """The value (`reveal()` gives the text). A ciphertext whose key version is not in
        the ring, or that was altered or moved, raises SecretDecryptionError."""
        workspace = authorized(tx, workspace_id, actor, Action.GET_SECRET)
        secret = self._find(tx, workspace, key)
        return self.cipher.decrypt(secret.encrypted_value, secret.binding)

    @transaction
    def list_secrets(
        self, tx: WorkspacesUnitOfWork, /, workspace_id: IdLike, *, actor: ActorLike
    ) -> list[SecretInfo]:
        workspace = authorized(tx, workspace_id, actor, Action.LIST_SECRETS)
        return [_info(s) for s in tx.secrets.for_workspace(workspace)]

    @transaction
    def delete_secret(
        self, tx: WorkspacesUnitOfWork, /, workspace_id: IdLike, key: str, *, actor: ActorLike
    ) -> None:
        workspace = authorized(tx, workspace_id, actor, Action.DELETE_SECRET)
        secret = self._find(tx, workspace, key)
        tx.secrets.remove(workspace, secret.id)

    def rotate_secrets(
        self,
        *,
        actor: ActorLike = OPERATOR,
        batch: int = 100,
        progress: Progress | None = None,
    ) -> RotationReport:
        """Re-encrypt every ciphertext not on the newest key, workspace by workspace (in id
        order), each row in its own conditional write. Run it again after a crash: rows done
        are on the newest key and skipped. `progress(rows_seen, rows_rotated)` after each
        workspace. Operator only."""
        operator_only(actor, "rotate_secrets")
        if isinstance(batch, bool) or not isinstance(batch, int) or not 1 <= batch <= 10_000:
            raise ValidationError("batch", "must be a whole number from 1 to 10000")
        newest = self.cipher.newest_version
        counts = {"rotated": 0, "current": 0, "changed": 0, "seen": 0}
        unreadable: list[str] = []
        after: WorkspaceId | None = None
        while True:
            with self.uow() as tx:
                ids = tx.workspaces.ids_after(after, batch)
            if not ids:
                break
            for workspace in ids:
                self._rotate_workspace(workspace, newest, counts, unreadable)
                if progress is not None:
                    progress(counts["seen"], counts["rotated"])
            after = ids[-1]
        return RotationReport(
            key_version=newest,
            rotated=counts["rotated"],
            already_current=counts["current"],
            changed_meanwhile=counts["changed"],
            unreadable=unreadable,
        )

    def _rotate_workspace(
        self, workspace: WorkspaceId, newest: int, counts: dict[str, int], unreadable: list[str]
    ) -> None:
        with self.uow() as tx:
            rows = [
                (name, row)
                for name, _, _ in _CIPHERED
                for row in getattr(tx, name).for_workspace(workspace)
            ]
        readers = {name: (text, bind) for name, text, bind in _CIPHERED}
        for name, row in rows:
            text, bind = readers[name]
            old = text(row)
            if old is None:
                continue
            counts["seen"] += 1
            try:
                if key_version_of(old) == newest:
                    counts["current"] += 1
                    continue
                new = self.cipher.reencrypt(old, bind(row))
            except SecretDecryptionError:
                unreadable.append(f"{name} {workspace} {row.id}")
                continue
            with self.uow() as tx:
                swapped = getattr(tx, name).swap_ciphertext(workspace, row.id, old, new)
                tx.commit()
            counts["rotated" if swapped else "changed"] += 1
