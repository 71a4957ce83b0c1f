"""Identity's tunable policy: token lifetimes. The container provides it; tests override it."""

from __future__ import annotations

from datetime import timedelta

import attrs

from nexus.identity.domain.tokens import MAGIC_LINK_TTL, PASSWORD_RESET_TTL, REFRESH_TOKEN_TTL
from nexus.shared.errors import ValidationError


def _positive(_instance: object, attribute: attrs.Attribute[timedelta], value: timedelta) -> None:
    if value <= timedelta(0):
        raise ValidationError(f"policy.{attribute.name}", "must be a positive duration")


@attrs.frozen(kw_only=True)
class IdentityPolicy:
    password_reset_ttl: timedelta = attrs.field(default=PASSWORD_RESET_TTL, validator=_positive)
    magic_link_ttl: timedelta = attrs.field(default=MAGIC_LINK_TTL, validator=_positive)
    refresh_token_ttl: timedelta = attrs.field(default=REFRESH_TOKEN_TTL, validator=_positive)
