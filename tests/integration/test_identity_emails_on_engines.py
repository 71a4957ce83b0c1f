"""Emails on every adapter (issue 9): the same hostile address gets the same outcome on memory,
SQLite and PostgreSQL, and two Unicode normal forms of one address are one account."""

from __future__ import annotations

import unicodedata

import pytest

from nexus.app import Nexus
from nexus.shared.errors import ConflictError, ValidationError

PASSWORD = "correct horse battery"

HOSTILE = [
    "ada\x00@example.org",
    "ada@example.org\x00",
    "ad\u200ba@example.org",
    "ada@exa\u202emple.org",
    "ada\ud800@example.org",
    "a" * 65 + "@example.org",
    "a@" + "b" * 249 + ".org",
]


@pytest.mark.parametrize("email", HOSTILE)
def test_a_hostile_email_is_refused_the_same_way_and_nothing_written(
    app: Nexus, email: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        app.identity.register_user(email=email, name="Eve", password=PASSWORD)
    # Refused at the API's argument check (NUL, lone surrogates: "email") or by the entity's
    # rule ("users.email"); either names the email, the same on every adapter.
    assert refused.value.field in ("email", "users.email")
    assert app.identity.list_users() == []
    with pytest.raises(ValidationError):
        app.identity.get_user_by_email(email)


def test_two_normal_forms_of_one_address_are_one_account(app: Nexus) -> None:
    composed = "Zoë.Ångström@Exämple.org"
    user = app.identity.register_user(
        email=unicodedata.normalize("NFD", composed), name="Zoë", password=PASSWORD
    )
    assert user.email == unicodedata.normalize("NFC", composed).lower()
    with pytest.raises(ConflictError, match=r"users\.email"):
        app.identity.register_user(
            email=unicodedata.normalize("NFC", composed.upper()), name="Z", password=PASSWORD
        )
    assert app.identity.get_user_by_email(composed).id == user.id
    assert app.identity.login(email=composed.lower(), password=PASSWORD).user.id == user.id
