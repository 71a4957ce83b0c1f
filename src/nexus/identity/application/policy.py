"""Identity's tunable policy: token lifetimes and the refresh grace window. The container
provides it; embedding apps and tests override it."""

from __future__ import annotations

from datetime import timedelta

import attrs

from nexus.identity.domain.tokens import (
    MAGIC_LINK_TTL,
    PASSWORD_RESET_TTL,
    REFRESH_REUSE_GRACE,
    REFRESH_REUSE_GRACE_MAX,
    REFRESH_TOKEN_TTL,
)
from nexus.shared.errors import ValidationError


def _positive(_instance: object, attribute: attrs.Attribute[timedelta], value: timedelta) -> None:
    if value <= timedelta(0):
        raise ValidationError(f"policy.{attribute.name}", "must be a positive duration")


def _grace(_instance: object, attribute: attrs.Attribute[timedelta], value: timedelta) -> None:
    if not isinstance(value, timedelta) or not timedelta(0) <= value <= REFRESH_REUSE_GRACE_MAX:
        raise ValidationError(
            f"policy.{attribute.name}",
            f"must be a duration from 0 (strict) to {REFRESH_REUSE_GRACE_MAX}",
        )


@attrs.frozen(kw_only=True)
class IdentityPolicy:
    password_reset_ttl: timedelta = attrs.field(default=PASSWORD_RESET_TTL, validator=_positive)
    magic_link_ttl: timedelta = attrs.field(default=MAGIC_LINK_TTL, validator=_positive)
    refresh_token_ttl: timedelta = attrs.field(default=REFRESH_TOKEN_TTL, validator=_positive)
    # A token rotated less than this long ago may be presented again (two tabs refreshing at
    # once): the caller gets a sibling in the same, still live, family instead of a revocation.
    refresh_reuse_grace: timedelta = attrs.field(default=REFRESH_REUSE_GRACE, validator=_grace)
