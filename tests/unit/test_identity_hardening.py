"""Identity behaviours a review found wrong, pinned down: who acted is audited, a slug does not
reveal another tenant's organization, branding values cannot carry markup, and refusing a
refresh token does not burn it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from nexus.app import Nexus
from nexus.identity import OPERATOR
from nexus.shared.errors import AuthenticationError, NotFoundError, ValidationError

PASSWORD = "correct horse battery"


def _register(app: Nexus, name: str) -> Any:
    return app.identity.register_user(email=f"{name}@example.org", name=name, password=PASSWORD)


def test_a_superadmin_acting_on_another_users_keys_is_named_in_the_audit(
    memory_app: Nexus,
) -> None:
    ada, root = _register(memory_app, "ada"), _register(memory_app, "root")
    with memory_app.container.identity.unit_of_work() as tx:
        admin = tx.users.get(root.id)
        admin.is_superadmin = True
        tx.users.update(admin)
        tx.commit()
    created = memory_app.identity.create_api_key(ada.id, name="ci", actor=root.id)
    memory_app.identity.revoke_api_key(ada.id, created.key.id, actor=root.id)
    own = memory_app.identity.create_api_key(ada.id, name="mine", actor=ada.id)
    events = {
        (e.action, e.resource_id): e.details
        for e in memory_app.identity.list_audit_events(actor=OPERATOR)
        if e.action.startswith("api_key.")
    }
    assert events[("api_key.created", str(created.key.id))]["actor"] == str(root.id)
    assert events[("api_key.revoked", str(created.key.id))]["actor"] == str(root.id)
    assert "actor" not in events[("api_key.created", str(own.key.id))]


def test_a_non_member_cannot_tell_a_taken_slug_from_an_unknown_one(memory_app: Nexus) -> None:
    ada, bob = _register(memory_app, "ada"), _register(memory_app, "bob")
    memory_app.identity.create_organization(name="Acme", slug="acme", owner_id=ada.id)
    with pytest.raises(NotFoundError) as taken:
        memory_app.identity.get_organization_by_slug("acme", actor=bob.id)
    with pytest.raises(NotFoundError) as unknown:
        memory_app.identity.get_organization_by_slug("nosuch", actor=bob.id)
    assert str(taken.value) == "organization not found: acme"
    assert str(unknown.value) == "organization not found: nosuch"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("login_card_max_width", "\u0664\u0664\u0660px"),
        ("login_card_padding", "\uff11\uff12px"),
        ("login_bg_image_url", "https://cdn.example.org/a.png');}body{background:url('x"),
        ("logo_url", 'https://x.example/"><script>alert(1)</script>'),
        ("font_url", "https://x.example/\x7f"),
        ("name", "   "),
    ],
)
def test_branding_refuses_values_that_could_carry_markup(
    memory_app: Nexus, field: str, value: str
) -> None:
    ada = _register(memory_app, "ada")
    org = memory_app.identity.create_organization(name="Acme", slug="acme", owner_id=ada.id)
    with pytest.raises(ValidationError) as raised:
        memory_app.identity.update_organization(org.id, actor=ada.id, **{field: value})
    assert raised.value.field == f"organizations.{field}"
    assert memory_app.identity.get_organization(org.id, actor=ada.id) == org


def test_encoded_urls_and_ascii_lengths_are_still_accepted(memory_app: Nexus) -> None:
    ada = _register(memory_app, "ada")
    org = memory_app.identity.create_organization(name="Acme", slug="acme", owner_id=ada.id)
    updated = memory_app.identity.update_organization(
        org.id,
        actor=ada.id,
        login_bg_image_url="https://cdn.example.org/bg%20image.png?v=2&x=%28a%29#top",
        login_card_max_width="440px",
    )
    assert updated.login_card_max_width == "440px"


def test_an_expired_refresh_token_is_refused_without_a_false_reuse_alarm(
    memory_app: Nexus,
) -> None:
    _register(memory_app, "ada")
    session = memory_app.identity.login(email="ada@example.org", password=PASSWORD)
    memory_app.container.clock().advance(timedelta(days=365))
    for _ in range(2):
        with pytest.raises(AuthenticationError):
            memory_app.identity.rotate_refresh_token(session.refresh_token)
    actions = [e.action for e in memory_app.identity.list_audit_events(actor=OPERATOR)]
    assert actions.count("refresh_token.failed") == 2
    assert "refresh_token.reuse_detected" not in actions


def test_a_non_text_password_is_refused_and_counts_nothing(memory_app: Nexus) -> None:
    user = _register(memory_app, "ada")
    with pytest.raises(ValidationError, match="password"):
        memory_app.identity.authenticate(email="ada@example.org", password=None)
    with pytest.raises(ValidationError, match="current_password"):
        memory_app.identity.change_password(
            user.id,
            current_password=None,
            new_password="another long passphrase",
        )
    actions = [e.action for e in memory_app.identity.list_audit_events(actor=OPERATOR)]
    assert actions == ["user.registered"]
