"""Secrets: the entity, the value wrapper that never shows itself, what a ciphertext is bound
to, its self-describing text form, and the `SecretCipher` port use cases depend on."""

from __future__ import annotations

import base64
import binascii
import hmac
import re
import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any, NewType, Protocol, final

import attrs

from nexus.shared.entity import Entity, Validator, aware_datetime, text, to_enum
from nexus.shared.errors import DomainError, ValidationError
from nexus.shared.ids import WorkspaceId
from nexus.shared.rules import field_label
from nexus.workspaces.domain.ids import SecretId, new_secret_id
from nexus.workspaces.domain.rules import NAME_MAX_LENGTH, TEXT_MAX_LENGTH, assign

SECRET_KEY_PATTERN = r"[A-Z][A-Z0-9_]*"  # noqa: S105
SECRET_VALUE_MAX_LENGTH = 65_536
NONCE_BYTES = 12
TAG_BYTES = 16

# `v<key version>:<base64url, no padding, of nonce (12 bytes) + ciphertext + tag (16 bytes)>`.
# Self-describing text, so one Text column holds it (secrets.encrypted_value, abi_servers.api_key,
# inference_servers.api_key) with no separate version column.
Ciphertext = NewType("Ciphertext", str)
_CIPHERTEXT = re.compile(r"v([1-9][0-9]{0,8}):([A-Za-z0-9_-]+)")


class SecretDecryptionError(DomainError):
    """A ciphertext could not be turned back into its value. Never carries the value."""


class SecretKeyMissingError(SecretDecryptionError):
    """The key version that encrypted a ciphertext is not in the key ring."""

    def __init__(self, key_version: int) -> None:
        self.key_version = key_version
        super().__init__(
            f"secret key version {key_version} is not in the key ring "
            "(NEXUS_SECRET_KEYS or the key file): the value cannot be decrypted"
        )


class SecretTamperedError(SecretDecryptionError):
    """Authentication failed: altered, malformed, or bound to another row or workspace."""


class SecretPurpose(StrEnum):
    """Which column a ciphertext belongs to: part of what it is bound to."""

    SECRET = "secret"  # noqa: S105
    ABI_SERVER_API_KEY = "abi_server.api_key"
    INFERENCE_SERVER_API_KEY = "inference_server.api_key"


def _purpose(value: object) -> SecretPurpose:
    purpose: SecretPurpose = to_enum(SecretPurpose, "secret_binding.purpose", value)
    return purpose


@attrs.frozen(kw_only=True)
class SecretBinding:
    """What a ciphertext is bound to (the AEAD's associated data): a workspace, a purpose and a
    name within it (the secret's key, or the server's id)."""

    workspace_id: WorkspaceId = attrs.field()
    purpose: SecretPurpose = attrs.field(converter=_purpose)
    name: str = attrs.field(validator=text(min_length=1, max_length=NAME_MAX_LENGTH))

    @workspace_id.validator
    def _uuid(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, uuid.UUID):
            raise ValidationError("secret_binding.workspace_id", "must be a UUID")

    @classmethod
    def secret(cls, workspace_id: WorkspaceId, key: str) -> SecretBinding:
        return cls(workspace_id=workspace_id, purpose=SecretPurpose.SECRET, name=key)

    def __str__(self) -> str:
        return f"{self.purpose.value} {self.name!r} of workspace {self.workspace_id}"


@final
class SecretValue:
    """A plaintext secret. `repr`, `str` and f-strings show `<hidden>`; `reveal()` gives it."""

    __slots__ = ("_value",)

    def __init__(self, value: object) -> None:
        if not isinstance(value, str):
            raise ValidationError("secrets.value", "must be text")
        if not value:
            raise ValidationError("secrets.value", "must not be empty")
        if "\x00" in value:
            raise ValidationError("secrets.value", "must not contain NUL characters")
        if len(value) > SECRET_VALUE_MAX_LENGTH:
            raise ValidationError(
                "secrets.value", f"must be at most {SECRET_VALUE_MAX_LENGTH} characters"
            )
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "SecretValue(<hidden>)"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return repr(self)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SecretValue):
            return NotImplemented
        return hmac.compare_digest(self._value.encode(), other._value.encode())

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> Any:
        raise TypeError("a SecretValue is never pickled")


def format_ciphertext(key_version: int, payload: bytes) -> Ciphertext:
    """The text form of nonce + ciphertext + tag encrypted under `key_version`."""
    encoded = base64.urlsafe_b64encode(payload).rstrip(b"=").decode("ascii")
    return Ciphertext(f"v{key_version}:{encoded}")


def parse_ciphertext(value: object) -> tuple[int, bytes]:
    """(key version, nonce + ciphertext + tag). Anything else, including a non-canonical
    encoding of the same bytes, is refused with SecretTamperedError."""
    match = _CIPHERTEXT.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise SecretTamperedError("ciphertext refused: not of the form v<version>:<base64url>")
    body = match.group(2)
    try:
        payload = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        raise SecretTamperedError("ciphertext refused: its base64 is malformed") from None
    canonical = base64.urlsafe_b64encode(payload).rstrip(b"=").decode("ascii")
    if canonical != body or len(payload) < NONCE_BYTES + TAG_BYTES:
        raise SecretTamperedError("ciphertext refused: altered or truncated")
    return int(match.group(1)), payload


def key_version_of(value: str) -> int:
    """The key version a ciphertext was encrypted with (rotation skips those on the newest)."""
    return parse_ciphertext(value)[0]


def ciphertext(*, optional: bool = False) -> Validator:
    """A field holding a ciphertext, never a plaintext: the self-describing form is required."""

    def validate(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        try:
            parse_ciphertext(value)
        except SecretTamperedError:
            raise ValidationError(
                field_label(instance, attribute),
                "must be a ciphertext (v<version>:<base64url>) from the secret cipher",
            ) from None

    return validate


class SecretCipher(Protocol):
    """The port: authenticated encryption bound to a `SecretBinding`, with versioned keys."""

    @property
    def newest_version(self) -> int:
        """The key version `encrypt` and `reencrypt` use."""
        ...

    def encrypt(self, value: SecretValue, binding: SecretBinding) -> Ciphertext:
        """Encrypt under the newest key, bound to `binding`."""
        ...

    def decrypt(self, ciphertext: str, binding: SecretBinding) -> SecretValue:
        """Raises SecretKeyMissingError (naming the version) or SecretTamperedError."""
        ...

    def reencrypt(self, ciphertext: str, binding: SecretBinding) -> Ciphertext:
        """The same value under the newest key; a ciphertext already on it is returned
        unchanged once it is verified. Raises as `decrypt` does."""
        ...


@attrs.define(kw_only=True)
class Secret(Entity):
    """A workspace secret: its value only ever as a ciphertext bound to (workspace, key)."""

    __label__ = "secrets"

    id: SecretId = attrs.field(factory=new_secret_id)
    workspace_id: WorkspaceId
    key: str = attrs.field(
        validator=text(
            min_length=1,
            max_length=NAME_MAX_LENGTH,
            pattern=SECRET_KEY_PATTERN,
            rule="must be an upper-case letter then A-Z, 0-9 or _ (like OPENAI_API_KEY)",
        )
    )
    encrypted_value: Ciphertext = attrs.field(validator=ciphertext())
    description: str = attrs.field(default="", validator=text(max_length=TEXT_MAX_LENGTH))
    category: str = attrs.field(
        default="other", validator=text(min_length=1, max_length=NAME_MAX_LENGTH)
    )
    created_at: datetime = attrs.field(validator=aware_datetime())
    updated_at: datetime = attrs.field(validator=aware_datetime())

    @property
    def binding(self) -> SecretBinding:
        return SecretBinding.secret(self.workspace_id, self.key)

    @property
    def key_version(self) -> int:
        return key_version_of(self.encrypted_value)

    def replace(
        self,
        encrypted_value: Ciphertext,
        now: datetime,
        *,
        description: str | None = None,
        category: str | None = None,
    ) -> None:
        """`set_secret` on an existing key: a new value, and new metadata when given."""
        changes: dict[str, Any] = {"encrypted_value": encrypted_value}
        if description is not None:
            changes["description"] = description
        if category is not None:
            changes["category"] = category
        assign(self, changes, now)
        self.updated_at = now

    def rotate(self, encrypted_value: Ciphertext) -> None:
        """The same value re-encrypted to the newest key: not a user edit, `updated_at` stays."""
        self.encrypted_value = encrypted_value
