"""The versioned key ring of the secret cipher: from NEXUS_SECRET_KEYS, else a key file
(NEXUS_SECRET_KEY_FILE, or one created on first use beside the SQLite database file).

Format, the same in the variable and the file: comma- or newline-separated `<version>:<key>`
items, the version a positive integer, the key 32 random bytes in base64 (standard or
URL-safe, padding optional), e.g. `NEXUS_SECRET_KEYS="2:q5o...=,1:Zm9...="`. The highest version
is the newest: new ciphertexts use it, older ones stay readable until rotated. Keys never go to
the database."""

from __future__ import annotations

import base64
import binascii
import contextlib
import os
import re
import secrets
import stat
from collections.abc import Mapping
from pathlib import Path

import attrs
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from nexus.shared.errors import ValidationError
from nexus.workspaces.domain.secrets import SecretKeyMissingError

KEY_BYTES = 32
KEYS_ENV = "NEXUS_SECRET_KEYS"
KEY_FILE_ENV = "NEXUS_SECRET_KEY_FILE"
KEY_FILE_SUFFIX = ".secret-keys"
_ITEM = re.compile(r"([0-9]{1,9}):([A-Za-z0-9+/_=-]+)")


def _refuse(source: str, rule: str) -> ValidationError:
    return ValidationError(source, rule)


def parse_keys(text: str, *, source: str = KEYS_ENV) -> dict[int, bytes]:
    """Versions to keys. Errors name the source and the item's position, never a key."""
    keys: dict[int, bytes] = {}
    items = [item.strip() for item in re.split(r"[,\n]", text)]
    items = [item for item in items if item and not item.startswith("#")]
    if not items:
        raise _refuse(source, "must list at least one key as <version>:<base64 key>")
    for position, item in enumerate(items, start=1):
        match = _ITEM.fullmatch(item)
        if match is None:
            raise _refuse(source, f"item {position} must be <version>:<base64 key>")
        version = int(match.group(1))
        if version < 1:
            raise _refuse(source, f"item {position}: the version must be a positive integer")
        if version in keys:
            raise _refuse(source, f"item {position}: version {version} is listed twice")
        body = match.group(2).rstrip("=").replace("-", "+").replace("_", "/")
        try:
            key = base64.b64decode(body + "=" * (-len(body) % 4), validate=True)
        except (binascii.Error, ValueError):
            raise _refuse(source, f"item {position}: the key is not valid base64") from None
        if len(key) != KEY_BYTES:
            raise _refuse(
                source, f"item {position}: the key must be {KEY_BYTES} bytes, not {len(key)}"
            )
        keys[version] = key
    return keys


def format_keys(keys: Mapping[int, bytes]) -> str:
    """The variable's / file's text for `keys`, newest first."""
    return ",".join(
        f"{v}:{base64.b64encode(keys[v]).decode('ascii')}" for v in sorted(keys, reverse=True)
    )


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def _sorted_keys(keys: Mapping[int, bytes]) -> dict[int, bytes]:
    return dict(sorted(dict(keys).items()))


@attrs.frozen(repr=False, eq=False)
class KeyRing:
    """Key versions to 32-byte keys; `newest` is the highest version. Its repr names versions
    only."""

    keys: Mapping[int, bytes] = attrs.field(converter=_sorted_keys)

    @keys.validator
    def _check(self, _attribute: object, value: Mapping[int, bytes]) -> None:
        if not value:
            raise ValidationError("key_ring", "must hold at least one key")
        for version, key in value.items():
            if isinstance(version, bool) or not isinstance(version, int) or version < 1:
                raise ValidationError("key_ring", "versions must be positive integers")
            if not isinstance(key, bytes) or len(key) != KEY_BYTES:
                raise ValidationError("key_ring", f"keys must be {KEY_BYTES} bytes")

    @property
    def newest(self) -> int:
        return max(self.keys)

    @property
    def versions(self) -> list[int]:
        return sorted(self.keys)

    def key(self, version: int) -> bytes:
        try:
            return self.keys[version]
        except KeyError:
            raise SecretKeyMissingError(version) from None

    def __repr__(self) -> str:
        return f"KeyRing(versions={self.versions})"

    @classmethod
    def from_text(cls, text: str, *, source: str = KEYS_ENV) -> KeyRing:
        return cls(parse_keys(text, source=source))

    @classmethod
    def ephemeral(cls) -> KeyRing:
        """One fresh key held in memory only: for the in-memory adapters and tests (what it
        encrypts is unreadable after the process ends)."""
        return cls({1: new_key()})


def key_file_beside(database_url: str) -> Path:
    """`<database file>.secret-keys` for a SQLite file URL; a clear error for anything else."""
    try:
        url = make_url(database_url)
    except ArgumentError:
        raise ValidationError("database_url", "must be a database URL") from None
    if url.get_backend_name() != "sqlite":
        raise ValidationError(
            KEYS_ENV,
            f"is required for a {url.get_backend_name()} database (or set {KEY_FILE_ENV} to "
            "a key file path): the key file is created only beside a SQLite database file",
        )
    database = url.database or ""
    if not database or database == ":memory:" or database.startswith("file:"):
        raise ValidationError(
            KEYS_ENV,
            f"is required for an in-memory SQLite database (or set {KEY_FILE_ENV})",
        )
    return Path(database).absolute().with_name(Path(database).name + KEY_FILE_SUFFIX)


def _read_key_file(path: Path) -> KeyRing:
    source = f"{KEY_FILE_ENV} {path}"
    try:
        info = path.stat()
        if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise ValidationError(
                source, f"must be readable by its owner only (chmod 600), not {info.st_mode:o}"
            )
        text = path.read_text(encoding="ascii")
    except UnicodeDecodeError:
        raise ValidationError(source, "must be ASCII text") from None
    except OSError as error:
        raise ValidationError(source, f"cannot be read ({error.strerror})") from None
    return KeyRing.from_text(text, source=source)


def load_or_create_key_file(path: Path) -> KeyRing:
    """The ring in `path`, creating it with one new key when it does not exist. Creation is
    atomic and never exposes the key: a temporary file is opened 0600 with O_EXCL, written,
    fsynced, then hard-linked to `path` (which fails if another process created it first, in
    which case theirs is read)."""
    if path.exists():
        return _read_key_file(path)
    source = f"{KEY_FILE_ENV} {path}"
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, (format_keys({1: new_key()}) + "\n").encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)
        with contextlib.suppress(FileExistsError):  # another process won the race: use theirs
            os.link(temporary, path)
    except OSError as error:
        raise ValidationError(source, f"cannot be created ({error.strerror})") from None
    finally:
        temporary.unlink(missing_ok=True)
    return _read_key_file(path)


def load_key_ring(database_url: str, environ: Mapping[str, str] | None = None) -> KeyRing:
    """NEXUS_SECRET_KEYS if set; else the key file NEXUS_SECRET_KEY_FILE names; else the key
    file beside the SQLite database (created on first use); else a clear ValidationError."""
    env = os.environ if environ is None else environ
    if env.get(KEYS_ENV, "").strip():
        return KeyRing.from_text(env[KEYS_ENV])
    if env.get(KEY_FILE_ENV, "").strip():
        return load_or_create_key_file(Path(env[KEY_FILE_ENV].strip()))
    return load_or_create_key_file(key_file_beside(database_url))
