"""Per-context test factories: a valid entity of each kind with overridable fields, and one
example per registered mapper (`EXAMPLES`, which the registry-wide mapper test demands)."""

from __future__ import annotations

from typing import Any

from tests.factories.common import NEW_YORK_WINTER, NOW
from tests.factories.documents import DOCUMENTS_EXAMPLES
from tests.factories.identity import (
    IDENTITY_EXAMPLES,
    make_api_key,
    make_audit_event,
    make_domain,
    make_magic_link,
    make_member,
    make_organization,
    make_refresh_token,
    make_reset_token,
    make_user,
)
from tests.factories.lab import (
    LAB_EXAMPLES,
    make_external_id,
    make_instrument,
    make_session_entry,
    make_upload,
)

EXAMPLES: dict[type[Any], Any] = {**IDENTITY_EXAMPLES, **LAB_EXAMPLES, **DOCUMENTS_EXAMPLES}

__all__ = [
    "EXAMPLES",
    "NEW_YORK_WINTER",
    "NOW",
    "make_api_key",
    "make_audit_event",
    "make_domain",
    "make_external_id",
    "make_instrument",
    "make_magic_link",
    "make_member",
    "make_organization",
    "make_refresh_token",
    "make_reset_token",
    "make_session_entry",
    "make_upload",
    "make_user",
]
