"""Validators for identity's value rules: slugs, hostnames, colours, CSS lengths, URLs, IPs."""

from __future__ import annotations

import ipaddress
import re
from typing import Any

import attrs

from nexus.shared.errors import ValidationError

# The rules workspaces share live in the kernel; identity keeps its names for them.
from nexus.shared.rules import SLUG_PATTERN as SLUG_PATTERN
from nexus.shared.rules import SLUG_RULE as SLUG_RULE
from nexus.shared.rules import URL_MAX_LENGTH as URL_MAX_LENGTH
from nexus.shared.rules import field_label as _label
from nexus.shared.rules import font_family as font_family
from nexus.shared.rules import hex_colour as hex_colour
from nexus.shared.rules import http_url as http_url
from nexus.shared.rules import is_http_url as is_http_url

HOSTNAME_MAX_LENGTH = 253

_LABEL = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")
# Non-negative lengths only: widths, paddings and radii cannot be negative in CSS.
_CSS_LENGTH = re.compile(
    r"(0|([0-9]{1,6}(\.[0-9]{1,4})?|\.[0-9]{1,4})(px|rem|em|%|vh|vw|vmin|vmax|ch|pt))"
)


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


def css_length(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, str) or not _CSS_LENGTH.fullmatch(value):
        raise ValidationError(
            _label(instance, attribute),
            "must be a CSS length like 440px, 1.5rem or 50% (not negative)",
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
