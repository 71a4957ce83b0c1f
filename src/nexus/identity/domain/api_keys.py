"""API keys: `nxk_` + 32 random base62 characters + a 6-character CRC32 checksum, so a scanner
recognises them and a typo is refused without a database lookup. Only the digest is stored."""

from __future__ import annotations

import re
import secrets
import uuid
import zlib
from datetime import datetime

import attrs

from nexus.identity.domain.credentials import DIGEST_LENGTH
from nexus.identity.domain.ids import ApiKeyId, new_api_key_id
from nexus.shared.entity import Entity, aware_datetime, text
from nexus.shared.errors import AuthenticationError
from nexus.shared.ids import UserId, WorkspaceId

API_KEY_PREFIX = "nxk_"
BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
RANDOM_LENGTH = 32  # 32 * log2(62) = 190 bits
CHECKSUM_LENGTH = 6  # 62**6 > 2**32: every CRC32 value has exactly one spelling
API_KEY_LENGTH = len(API_KEY_PREFIX) + RANDOM_LENGTH + CHECKSUM_LENGTH
DISPLAY_PREFIX_LENGTH = 12  # "nxk_" and 8 random characters: enough to tell keys apart


# Every pair of base62 digits, so a 6-digit checksum is three lookups (authentication's hot path).
_PAIRS = tuple(a + b for a in BASE62 for b in BASE62)
_SHAPE = re.compile(f"{re.escape(API_KEY_PREFIX)}[0-9A-Za-z]{{{RANDOM_LENGTH + CHECKSUM_LENGTH}}}")


def _checksum(body: str) -> str:
    high, low = divmod(zlib.crc32(body.encode("ascii")), 62 * 62)
    high, middle = divmod(high, 62 * 62)
    return _PAIRS[high] + _PAIRS[middle] + _PAIRS[low]


def new_api_key() -> str:
    body = API_KEY_PREFIX + "".join(secrets.choice(BASE62) for _ in range(RANDOM_LENGTH))
    return body + _checksum(body)


def has_valid_checksum(raw: object) -> bool:
    """Shape and checksum only; no lookup. A one-character change anywhere fails this: CRC32
    catches every error within 32 consecutive bits, and every checksum has one spelling."""
    if not isinstance(raw, str) or _SHAPE.fullmatch(raw) is None:
        return False
    return _checksum(raw[:-CHECKSUM_LENGTH]) == raw[-CHECKSUM_LENGTH:]


def display_prefix(raw: str) -> str:
    return raw[:DISPLAY_PREFIX_LENGTH]


@attrs.define(kw_only=True)
class ApiKey(Entity):
    """A user's key, optionally scoped to one workspace and optionally expiring."""

    __label__ = "api_keys"

    id: ApiKeyId = attrs.field(factory=new_api_key_id)
    user_id: UserId
    workspace_id: WorkspaceId | None = None
    name: str = attrs.field(validator=text(min_length=1, max_length=255, strip_check=True))
    key_hash: str = attrs.field(
        validator=text(min_length=DIGEST_LENGTH, max_length=DIGEST_LENGTH), repr=False
    )
    key_prefix: str = attrs.field(validator=text(min_length=1, max_length=16))
    created_at: datetime = attrs.field(validator=aware_datetime())
    expires_at: datetime | None = attrs.field(default=None, validator=aware_datetime(optional=True))
    last_used_at: datetime | None = attrs.field(
        default=None, validator=aware_datetime(optional=True)
    )
    revoked_at: datetime | None = attrs.field(default=None, validator=aware_datetime(optional=True))

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_expired(self, now: datetime) -> bool:
        return self.expires_at is not None and now >= self.expires_at

    def is_usable(self, now: datetime) -> bool:
        return not self.is_revoked and not self.is_expired(now)

    def revoke(self, now: datetime) -> None:
        if self.revoked_at is None:
            self.revoked_at = now

    def record_use(self, now: datetime) -> None:
        self.last_used_at = now


@attrs.frozen(kw_only=True)
class ApiKeyPrincipal:
    """Who an authenticated key acts for, and where."""

    key_id: ApiKeyId
    user_id: UserId
    workspace_id: WorkspaceId | None

    def may_act_on(self, workspace_id: uuid.UUID | None) -> bool:
        """A key scoped to one workspace cannot act on another. Asked about no workspace in
        particular, the answer is yes: the caller gets the scope back and must honour it."""
        return workspace_id is None or self.workspace_id in (None, workspace_id)

    def check_workspace(self, workspace_id: uuid.UUID | None) -> None:
        if not self.may_act_on(workspace_id):
            raise AuthenticationError("api key: not valid for this workspace")
