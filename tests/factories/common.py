"""Instants the factories of every context share."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)

NEW_YORK_WINTER = timezone(timedelta(hours=-5))
