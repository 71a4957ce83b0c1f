"""Secret material: random tokens, one-time codes, their SHA-256 digests, and constant-time
comparison. The database only ever sees digests."""

from __future__ import annotations

import hashlib
import hmac
import secrets

TOKEN_BYTES = 32  # 256 bits of entropy, well above the 128-bit floor
OTP_DIGITS = 6
DIGEST_LENGTH = 64  # hex SHA-256


def new_token() -> str:
    """A URL-safe random token (43 characters, 256 bits)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def new_otp_code() -> str:
    """A 6-digit one-time code, uniformly random, leading zeros kept."""
    return f"{secrets.randbelow(10**OTP_DIGITS):0{OTP_DIGITS}d}"


def digest(raw: str) -> str:
    """The SHA-256 hex digest stored in place of a token or key (any text presented, a lone
    surrogate included, has one: it simply matches nothing)."""
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def otp_digest(token_id: object, code: str) -> str:
    """A one-time code's digest, bound to its token so equal codes never share a digest."""
    return digest(f"{token_id}:{code}")


def same_secret(left: str, right: str) -> bool:
    """Constant-time comparison of two digests or secrets."""
    return hmac.compare_digest(
        left.encode("utf-8", "surrogatepass"), right.encode("utf-8", "surrogatepass")
    )
