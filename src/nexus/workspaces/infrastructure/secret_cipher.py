"""The SecretCipher adapter: AES-256-GCM (`cryptography`) with versioned keys from a KeyRing.

Associated data = a scheme label, the key version, the purpose, the workspace id and the name,
each length-prefixed; so a ciphertext moved to another workspace, key, column or version, or
changed in any byte, fails authentication."""

from __future__ import annotations

import os
import struct
from collections.abc import Callable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from nexus.workspaces.domain.secrets import (
    NONCE_BYTES,
    Ciphertext,
    SecretBinding,
    SecretTamperedError,
    SecretValue,
    format_ciphertext,
    parse_ciphertext,
)
from nexus.workspaces.infrastructure.key_ring import KeyRing

SCHEME = b"nexus.workspaces.secret/aes-256-gcm/1"


def associated_data(binding: SecretBinding, key_version: int) -> bytes:
    parts = (
        SCHEME,
        str(key_version).encode("ascii"),
        binding.purpose.value.encode("utf-8"),
        binding.workspace_id.bytes,
        binding.name.encode("utf-8"),
    )
    return b"".join(struct.pack(">I", len(part)) + part for part in parts)


class AesGcmSecretCipher:
    """AES-256-GCM, a fresh random 96-bit nonce per encryption."""

    def __init__(self, ring: KeyRing) -> None:
        self._ring = ring
        self._aeads = {version: AESGCM(key) for version, key in ring.keys.items()}

    def __repr__(self) -> str:
        return f"AesGcmSecretCipher({self._ring!r})"

    @property
    def newest_version(self) -> int:
        return self._ring.newest

    def encrypt(self, value: SecretValue, binding: SecretBinding) -> Ciphertext:
        version = self._ring.newest
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._aeads[version].encrypt(
            nonce, value.reveal().encode("utf-8"), associated_data(binding, version)
        )
        return format_ciphertext(version, nonce + sealed)

    def decrypt(self, ciphertext: str, binding: SecretBinding) -> SecretValue:
        version, payload = parse_ciphertext(ciphertext)
        self._ring.key(version)  # SecretKeyMissingError naming the version
        nonce, sealed = payload[:NONCE_BYTES], payload[NONCE_BYTES:]
        try:
            plain = self._aeads[version].decrypt(nonce, sealed, associated_data(binding, version))
        except InvalidTag:
            raise SecretTamperedError(
                f"ciphertext refused for {binding}: altered, or it belongs to another "
                "workspace, key or column"
            ) from None
        return SecretValue(plain.decode("utf-8"))

    def reencrypt(self, ciphertext: str, binding: SecretBinding) -> Ciphertext:
        value = self.decrypt(ciphertext, binding)
        if parse_ciphertext(ciphertext)[0] == self._ring.newest:
            return Ciphertext(ciphertext)
        return self.encrypt(value, binding)


class LazySecretCipher:
    """Loads its key ring at the first encryption or decryption, so an app that never touches
    a secret (a PostgreSQL deployment without NEXUS_SECRET_KEYS running identity commands)
    starts, and the missing key ring is a clear error only where it matters."""

    def __init__(self, ring: Callable[[], KeyRing]) -> None:
        self._ring = ring
        self._cipher: AesGcmSecretCipher | None = None

    def __repr__(self) -> str:
        return "LazySecretCipher()" if self._cipher is None else repr(self._cipher)

    def _loaded(self) -> AesGcmSecretCipher:
        if self._cipher is None:
            self._cipher = AesGcmSecretCipher(self._ring())
        return self._cipher

    @property
    def newest_version(self) -> int:
        return self._loaded().newest_version

    def encrypt(self, value: SecretValue, binding: SecretBinding) -> Ciphertext:
        return self._loaded().encrypt(value, binding)

    def decrypt(self, ciphertext: str, binding: SecretBinding) -> SecretValue:
        return self._loaded().decrypt(ciphertext, binding)

    def reencrypt(self, ciphertext: str, binding: SecretBinding) -> Ciphertext:
        return self._loaded().reencrypt(ciphertext, binding)
