"""Email addresses as identity compares them: one canonical spelling per mailbox (Unicode NFC,
lower case), no control or invisible characters, RFC 5321 lengths (in UTF-8 octets)."""

from __future__ import annotations

import re
import unicodedata

from nexus.shared.entity import normalising
from nexus.shared.errors import ValidationError

EMAIL_FIELD = "users.email"
LOCAL_PART_MAX_OCTETS = 64  # RFC 5321 4.5.3.1.1
ADDRESS_MAX_OCTETS = 254  # RFC 5321 path limit (256) less the angle brackets
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
# Cc controls (NUL included), Cf formats (zero-width space/joiner, bidi controls, BOM),
# Cs lone surrogates, Co private use, Cn unassigned, and line/paragraph separators.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def printable(value: str) -> bool:
    """No control, format (invisible), surrogate, private-use or unassigned character."""
    return not any(unicodedata.category(char) in _REFUSED_CATEGORIES for char in value)


def normalise_email(value: object, *, field: str = EMAIL_FIELD) -> str:
    """Trimmed, NFC, lower-cased. Canonically equivalent spellings (a precomposed `é` and `e`
    plus a combining accent) and spellings that differ only in case are one account;
    compatibility forms (full-width letters) stay distinct, as they are distinct mailboxes."""
    if not isinstance(value, str):
        raise ValidationError(field, "must be text", value=value)
    email = value.strip()
    if not printable(email):
        raise ValidationError(field, "must not contain control or invisible characters")
    email = unicodedata.normalize("NFC", unicodedata.normalize("NFC", email).lower())
    if not email:
        raise ValidationError(field, "is required")
    if len(email.encode("utf-8")) > ADDRESS_MAX_OCTETS:
        raise ValidationError(field, f"must be at most {ADDRESS_MAX_OCTETS} octets (RFC 5321)")
    if not _EMAIL.fullmatch(email):
        raise ValidationError(field, "must be an email address like name@example.org")
    local = email.rsplit("@", 1)[0]
    if len(local.encode("utf-8")) > LOCAL_PART_MAX_OCTETS:
        raise ValidationError(
            field, f"local part must be at most {LOCAL_PART_MAX_OCTETS} octets (RFC 5321)"
        )
    return email


# Marked by a call, not a decorator: the attrs mypy plugin takes only plain functions as converters.
normalising(normalise_email)
