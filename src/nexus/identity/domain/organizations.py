"""Organizations, their members and roles: the tenant above workspaces, with its branding."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any

import attrs

from nexus.identity.domain.ids import MemberId, new_member_id
from nexus.identity.domain.rules import (
    SLUG_PATTERN,
    SLUG_RULE,
    css_length,
    font_family,
    hex_colour,
    http_url,
)
from nexus.shared.entity import (
    Entity,
    aware_datetime,
    boolean,
    integer,
    text,
    to_enum,
)
from nexus.shared.errors import ValidationError
from nexus.shared.ids import OrganizationId, UserId, new_organization_id

DEFAULT_PRIMARY_COLOR = "#22c55e"


class MemberRole(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    MEMBER = "member"


class Theme(StrEnum):
    LIGHT = "light"
    DARK = "dark"


def _theme(value: object) -> Theme | None:
    if value is None:
        return None
    converted: Theme = to_enum(Theme, "organizations.default_theme", value)
    return converted


def _url() -> Any:
    return attrs.field(default=None, validator=http_url)


def _colour() -> Any:
    return attrs.field(default=None, validator=hex_colour())


def _length() -> Any:
    return attrs.field(default=None, validator=css_length)


# What `change_branding` may touch: every branding field, and nothing else.
BRANDING_FIELDS = (
    "logo_url",
    "logo_rectangle_url",
    "secondary_logo_url",
    "login_bg_image_url",
    "font_url",
    "logo_emoji",
    "primary_color",
    "accent_color",
    "background_color",
    "login_card_color",
    "login_text_color",
    "login_input_color",
    "font_family",
    "login_card_max_width",
    "login_card_padding",
    "login_border_radius",
    "login_footer_text",
    "show_terms_footer",
    "show_powered_by",
    "show_logo_separator",
    "default_theme",
)
EDITABLE_FIELDS = ("name", "slug", *BRANDING_FIELDS)


@attrs.define(kw_only=True)
class Organization(Entity):
    """An organization; its owner is also an `owner` member. `version` guards concurrent edits."""

    __label__ = "organizations"

    id: OrganizationId = attrs.field(factory=new_organization_id)
    name: str = attrs.field(validator=text(min_length=1, max_length=255))
    slug: str = attrs.field(
        validator=text(min_length=3, max_length=63, pattern=SLUG_PATTERN, rule=SLUG_RULE)
    )
    owner_id: UserId
    logo_url: str | None = _url()
    logo_rectangle_url: str | None = _url()
    secondary_logo_url: str | None = _url()
    login_bg_image_url: str | None = _url()
    font_url: str | None = _url()
    logo_emoji: str | None = attrs.field(
        default=None, validator=text(min_length=1, max_length=10, optional=True)
    )
    primary_color: str | None = attrs.field(default=DEFAULT_PRIMARY_COLOR, validator=hex_colour())
    accent_color: str | None = _colour()
    background_color: str | None = _colour()
    login_card_color: str | None = _colour()
    login_text_color: str | None = _colour()
    login_input_color: str | None = _colour()
    font_family: str | None = attrs.field(default=None, validator=font_family)
    login_card_max_width: str | None = _length()
    login_card_padding: str | None = _length()
    login_border_radius: str | None = _length()
    login_footer_text: str | None = attrs.field(
        default=None, validator=text(max_length=10_000, optional=True)
    )
    show_terms_footer: bool = attrs.field(default=True, validator=boolean)
    show_powered_by: bool = attrs.field(default=True, validator=boolean)
    show_logo_separator: bool = attrs.field(default=False, validator=boolean)
    default_theme: Theme | None = attrs.field(default=None, converter=_theme)
    created_at: datetime = attrs.field(validator=aware_datetime())
    updated_at: datetime = attrs.field(validator=aware_datetime())
    version: int = attrs.field(default=1, validator=integer(minimum=1))

    @classmethod
    def create(cls, *, name: str, slug: str, owner_id: UserId, now: datetime) -> Organization:
        return cls(name=name, slug=slug, owner_id=owner_id, created_at=now, updated_at=now)

    def change(self, changes: Mapping[str, Any], now: datetime) -> list[str]:
        """Rename and rebrand: only the fields given change (None clears an optional field).
        Every value is validated before any is applied, so a bad one changes nothing.
        Returns the names of the fields whose value actually changed."""
        unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
        if unknown:
            raise ValidationError(
                f"organizations.{unknown[0]}", "is not a field that can be changed"
            )
        candidate = attrs.evolve(self, **changes)
        changed = [f for f in changes if getattr(candidate, f) != getattr(self, f)]
        for name in changed:
            setattr(self, name, getattr(candidate, name))
        if changed:
            self.updated_at = now
        return changed

    def hand_over(self, new_owner: UserId, now: datetime) -> None:
        """The primary owner left or was demoted; another owner becomes `owner_id`."""
        if new_owner != self.owner_id:
            self.owner_id = new_owner
            self.updated_at = now


def _role(value: object) -> MemberRole:
    converted: MemberRole = to_enum(MemberRole, "organization_members.role", value)
    return converted


@attrs.define(kw_only=True)
class OrganizationMember(Entity):
    """A user's membership of an organization, with a role. Its own aggregate: an organization
    can have any number of members."""

    __label__ = "organization_members"

    id: MemberId = attrs.field(factory=new_member_id)
    organization_id: OrganizationId
    user_id: UserId
    role: MemberRole = attrs.field(default=MemberRole.MEMBER, converter=_role)
    created_at: datetime = attrs.field(validator=aware_datetime())

    @property
    def manages_members(self) -> bool:
        """Only owners and admins manage members (and the organization itself)."""
        return self.role in (MemberRole.OWNER, MemberRole.ADMIN)

    @property
    def is_owner(self) -> bool:
        return self.role is MemberRole.OWNER
