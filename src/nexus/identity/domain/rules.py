"""Validators for identity's value rules: slugs, hostnames, colours, CSS lengths, URLs, IPs."""

from __future__ import annotations

import ipaddress
import re
from typing import Any
from urllib.parse import urlsplit

import attrs

from nexus.shared.entity import Validator
from nexus.shared.errors import ValidationError

SLUG_PATTERN = r"[a-z0-9]+(-[a-z0-9]+)*"
SLUG_RULE = "must be 3-63 characters of a-z, 0-9 and single hyphens between them"
HOSTNAME_MAX_LENGTH = 253
URL_MAX_LENGTH = 2048

_LABEL = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")
_COLOUR = re.compile(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
# Non-negative lengths only: widths, paddings and radii cannot be negative in CSS.
_CSS_LENGTH = re.compile(
    r"(0|([0-9]{1,6}(\.[0-9]{1,4})?|\.[0-9]{1,4})(px|rem|em|%|vh|vw|vmin|vmax|ch|pt))"
)
# RFC 3986 characters, less the quote and parentheses: branding URLs end up inside CSS url()
# and HTML attributes, so those three must be percent-encoded (%27, %28, %29).
_URL_CHARS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&*+,;=%]+")
# A font-family list: names, quotes, commas and spaces; nothing that could close a CSS rule.
_FONT_FAMILY = re.compile(r"[A-Za-z0-9 ,'\"._-]+")


def _label(instance: Any, attribute: attrs.Attribute[Any]) -> str:
    table = getattr(type(instance), "__label__", type(instance).__name__)
    return f"{table}.{attribute.name}"


def normalise_hostname(value: object, *, field: str = "organization_domains.domain") -> str:
    """Trimmed, lower-cased, without a trailing dot; then it must be a valid DNS hostname with
    at least two labels and a non-numeric top-level label (so no IP addresses)."""
    if not isinstance(value, str):
        raise ValidationError(field, "must be text", value=value)
    host = value.strip().lower().removesuffix(".")
    if not host:
        raise ValidationError(field, "is required")
    if len(host) > HOSTNAME_MAX_LENGTH:
        raise ValidationError(field, f"must be at most {HOSTNAME_MAX_LENGTH} characters")
    labels = host.split(".")
    if (
        len(labels) < 2
        or not all(_LABEL.fullmatch(label) for label in labels)
        or labels[-1].isdigit()
    ):
        raise ValidationError(
            field, "must be a hostname like login.example.org (labels of a-z, 0-9, -)", value=value
        )
    return host


def hex_colour(*, optional: bool = True) -> Validator:
    def validate(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        if not isinstance(value, str) or not _COLOUR.fullmatch(value):
            raise ValidationError(
                _label(instance, attribute),
                "must be a hex colour like #rgb or #rrggbb",
                value=value,
            )

    return validate


def css_length(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, str) or not _CSS_LENGTH.fullmatch(value):
        raise ValidationError(
            _label(instance, attribute),
            "must be a CSS length like 440px, 1.5rem or 50% (not negative)",
            value=value,
        )


def font_family(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, str) or len(value) > 255 or not _FONT_FAMILY.fullmatch(value):
        raise ValidationError(
            _label(instance, attribute),
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
            _label(instance, attribute),
            f"must be an http or https URL of at most {URL_MAX_LENGTH} characters, "
            "percent-encoded (no spaces, quotes, parentheses or <>{}|\\^`)",
            value=value,
        )


def ip_address(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    try:
        if not isinstance(value, str) or len(value) > 45:
            raise ValueError(value)
        ipaddress.ip_address(value)
    except ValueError:
        raise ValidationError(
            _label(instance, attribute), "must be an IPv4 or IPv6 address", value=value
        ) from None
