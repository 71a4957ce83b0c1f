"""Value rules several contexts share: slugs, hex colours, font-family lists, http(s) URLs."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import attrs

from nexus.shared.entity import Validator
from nexus.shared.errors import ValidationError

SLUG_PATTERN = r"[a-z0-9]+(-[a-z0-9]+)*"
SLUG_RULE = "must be 3-63 characters of a-z, 0-9 and single hyphens between them"
URL_MAX_LENGTH = 2048

_COLOUR = re.compile(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
# RFC 3986 characters, less the quote and parentheses: branding URLs end up inside CSS url()
# and HTML attributes, so those three must be percent-encoded (%27, %28, %29).
_URL_CHARS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&*+,;=%]+")
# A font-family list: names, quotes, commas and spaces; nothing that could close a CSS rule.
_FONT_FAMILY = re.compile(r"[A-Za-z0-9 ,'\"._-]+")


def field_label(instance: Any, attribute: attrs.Attribute[Any]) -> str:
    """`table.field` for an error: the entity's `__label__` (else its class name) and field."""
    table = getattr(type(instance), "__label__", type(instance).__name__)
    return f"{table}.{attribute.name}"


def hex_colour(*, optional: bool = True) -> Validator:
    def validate(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        if not isinstance(value, str) or not _COLOUR.fullmatch(value):
            raise ValidationError(
                field_label(instance, attribute),
                "must be a hex colour like #rgb or #rrggbb",
                value=value,
            )

    return validate


def font_family(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, str) or len(value) > 255 or not _FONT_FAMILY.fullmatch(value):
        raise ValidationError(
            field_label(instance, attribute),
            "must be a font-family list of at most 255 letters, digits, spaces, quotes, commas",
            value=value,
        )


def is_http_url(value: str) -> bool:
    if len(value) > URL_MAX_LENGTH or not _URL_CHARS.fullmatch(value):
        return False
    try:
        parts = urlsplit(value)
        host = parts.hostname
        parts.port  # noqa: B018  (raises ValueError on a bad port)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(host)


def http_url(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, str) or not is_http_url(value):
        raise ValidationError(
            field_label(instance, attribute),
            f"must be an http or https URL of at most {URL_MAX_LENGTH} characters, "
            "percent-encoded (no spaces, quotes, parentheses or <>{}|\\^`)",
            value=value,
        )
