"""Commands: what a caller asks identity to do, as frozen values."""

from __future__ import annotations

import attrs


@attrs.frozen(kw_only=True)
class RegisterUser:
    email: str
    name: str
    password: str = attrs.field(repr=False)
    username: str | None = None


@attrs.frozen(kw_only=True)
class Authenticate:
    email: str
    password: str = attrs.field(repr=False)
