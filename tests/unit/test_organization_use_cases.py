"""Organizations, members and domains through `app.identity`, on the in-memory adapters:
permissions, the at-least-one-owner rule, partial updates, cascades, tenant isolation."""

from __future__ import annotations

import inspect
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from nexus.app import Nexus
from nexus.identity import OPERATOR, IdentityFacade, UserResult
from nexus.shared.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)

PASSWORD = "correct horse battery"


def user(app: Nexus, name: str) -> UserResult:
    return app.identity.register_user(email=f"{name}@example.org", name=name, password=PASSWORD)


def events(app: Nexus, action: str) -> list[Any]:
    return app.identity.list_audit_events(actor=OPERATOR, action=action)


@pytest.fixture
def org(memory_app: Nexus) -> dict[str, Any]:
    """Acme: ada owns it, bob is an admin, cy a member; eve is a registered outsider."""
    ada, bob, cy, eve = (user(memory_app, n) for n in ("ada", "bob", "cy", "eve"))
    acme = memory_app.identity.create_organization(name="Acme", slug="acme", owner_id=ada.id)
    memory_app.identity.add_organization_member(acme.id, bob.id, role="admin", actor=ada.id)
    memory_app.identity.add_organization_member(acme.id, cy.id, actor=bob.id)
    return {"org": acme, "ada": ada, "bob": bob, "cy": cy, "eve": eve}


def roles(app: Nexus, organization_id: uuid.UUID) -> dict[str, str]:
    return {
        m.email.split("@")[0]: m.role
        for m in app.identity.list_organization_members(organization_id, actor=OPERATOR)
    }


def test_the_creator_becomes_owner_in_one_transaction(
    memory_app: Nexus, org: dict[str, Any]
) -> None:
    acme = org["org"]
    assert acme.owner_id == org["ada"].id
    assert acme.primary_color == "#22c55e"
    assert acme.show_terms_footer
    assert acme.show_powered_by
    assert not acme.show_logo_separator
    assert roles(memory_app, acme.id) == {"ada": "owner", "bob": "admin", "cy": "member"}
    created = events(memory_app, "organization.created")
    assert [(e.user_id, e.resource_id) for e in created] == [(org["ada"].id, str(acme.id))]


def test_duplicate_slug_and_bad_input_write_nothing(memory_app: Nexus, org: dict[str, Any]) -> None:
    with pytest.raises(ConflictError, match=r"organizations\.slug"):
        memory_app.identity.create_organization(name="B", slug="acme", owner_id=org["eve"].id)
    with pytest.raises(ValidationError) as raised:
        memory_app.identity.create_organization(name="B", slug="No Caps", owner_id=org["eve"].id)
    assert raised.value.field == "organizations.slug"
    assert [o.slug for o in memory_app.identity.list_organizations(actor=OPERATOR)] == ["acme"]
    assert memory_app.identity.list_organizations(actor=org["eve"].id) == []


def test_partial_update_never_overwrites_fields_not_given(
    memory_app: Nexus, org: dict[str, Any]
) -> None:
    acme, ada, bob = org["org"], org["ada"], org["bob"]
    memory_app.identity.update_organization(
        acme.id, actor=ada.id, accent_color="#123", login_footer_text="Hello", default_theme="dark"
    )
    updated = memory_app.identity.update_organization(acme.id, actor=bob.id, name="Acme Labs")
    assert (updated.name, updated.accent_color, updated.login_footer_text) == (
        "Acme Labs",
        "#123",
        "Hello",
    )
    assert updated.default_theme == "dark"
    cleared = memory_app.identity.update_organization(acme.id, actor=ada.id, login_footer_text=None)
    assert cleared.login_footer_text is None
    assert cleared.accent_color == "#123"
    with pytest.raises(ValidationError, match="login_card_max_width"):
        memory_app.identity.update_organization(
            acme.id, actor=ada.id, name="Never", login_card_max_width="wide"
        )
    with pytest.raises(PermissionDeniedError):
        memory_app.identity.update_organization(acme.id, actor=org["cy"].id, name="Mine")
    assert memory_app.identity.get_organization(acme.id, actor=ada.id).name == "Acme Labs"


def test_only_owners_and_admins_manage_members(memory_app: Nexus, org: dict[str, Any]) -> None:
    acme, cy, eve, bob = org["org"], org["cy"], org["eve"], org["bob"]
    with pytest.raises(PermissionDeniedError):
        memory_app.identity.add_organization_member(acme.id, eve.id, actor=cy.id)
    with pytest.raises(NotFoundError):
        memory_app.identity.add_organization_member(acme.id, eve.id, actor=eve.id)
    with pytest.raises(PermissionDeniedError, match="owner role"):
        memory_app.identity.add_organization_member(acme.id, eve.id, role="owner", actor=bob.id)
    with pytest.raises(PermissionDeniedError, match="owner role"):
        memory_app.identity.change_member_role(acme.id, org["ada"].id, "member", actor=bob.id)
    with pytest.raises(PermissionDeniedError):
        memory_app.identity.remove_organization_member(acme.id, bob.id, actor=cy.id)
    with pytest.raises(ConflictError, match="already a member"):
        memory_app.identity.add_organization_member(acme.id, cy.id, actor=bob.id)
    with pytest.raises(ValidationError, match="role"):
        memory_app.identity.add_organization_member(acme.id, eve.id, role="boss", actor=bob.id)
    assert roles(memory_app, acme.id) == {"ada": "owner", "bob": "admin", "cy": "member"}
    memory_app.identity.change_member_role(acme.id, cy.id, "admin", actor=bob.id)
    memory_app.identity.remove_organization_member(acme.id, cy.id, actor=bob.id)
    assert roles(memory_app, acme.id) == {"ada": "owner", "bob": "admin"}
    assert len(events(memory_app, "organization.member_role_changed")) == 1
    assert len(events(memory_app, "organization.member_removed")) == 1


def test_a_member_may_leave(memory_app: Nexus, org: dict[str, Any]) -> None:
    memory_app.identity.remove_organization_member(org["org"].id, org["cy"].id, actor=org["cy"].id)
    assert "cy" not in roles(memory_app, org["org"].id)


@pytest.mark.parametrize("how", ["remove", "demote", "leave"])
def test_the_last_owner_cannot_go_and_nothing_changes(
    memory_app: Nexus, org: dict[str, Any], how: str
) -> None:
    acme, ada = org["org"], org["ada"]
    before = roles(memory_app, acme.id)
    audit_before = len(memory_app.identity.list_audit_events(actor=OPERATOR))
    with pytest.raises(ConflictError, match="at least one owner"):
        if how == "remove":
            memory_app.identity.remove_organization_member(acme.id, ada.id, actor=OPERATOR)
        elif how == "demote":
            memory_app.identity.change_member_role(acme.id, ada.id, "admin", actor=ada.id)
        else:
            memory_app.identity.remove_organization_member(acme.id, ada.id, actor=ada.id)
    assert roles(memory_app, acme.id) == before
    assert memory_app.identity.get_organization(acme.id, actor=ada.id).owner_id == ada.id
    assert len(memory_app.identity.list_audit_events(actor=OPERATOR)) == audit_before


def test_ownership_moves_when_the_primary_owner_leaves(
    memory_app: Nexus, org: dict[str, Any]
) -> None:
    acme, ada, bob = org["org"], org["ada"], org["bob"]
    memory_app.identity.change_member_role(acme.id, bob.id, "owner", actor=ada.id)
    memory_app.identity.change_member_role(acme.id, ada.id, "member", actor=bob.id)
    assert memory_app.identity.get_organization(acme.id, actor=bob.id).owner_id == bob.id
    memory_app.identity.remove_organization_member(acme.id, ada.id, actor=ada.id)
    assert roles(memory_app, acme.id) == {"bob": "owner", "cy": "member"}


def test_delete_cascades_members_and_domains_owners_only(
    memory_app: Nexus, org: dict[str, Any]
) -> None:
    acme = org["org"]
    added = memory_app.identity.add_domain(acme.id, "login.acme.org", actor=org["bob"].id)
    with pytest.raises(PermissionDeniedError):
        memory_app.identity.delete_organization(acme.id, actor=org["bob"].id)
    memory_app.identity.delete_organization(acme.id, actor=org["ada"].id)
    with pytest.raises(NotFoundError):
        memory_app.identity.get_organization(acme.id, actor=OPERATOR)
    store = memory_app.container.memory_store()
    assert store.table("organization_members") == {}
    assert store.table("organization_domains") == {}
    other = memory_app.identity.create_organization(name="B", slug="bee", owner_id=org["eve"].id)
    again = memory_app.identity.add_domain(other.id, "login.acme.org", actor=org["eve"].id)
    assert again.domain.domain == added.domain.domain
    assert len(events(memory_app, "organization.deleted")) == 1


def test_domains_add_verify_remove(memory_app: Nexus, org: dict[str, Any]) -> None:
    acme, bob, cy = org["org"], org["bob"], org["cy"]
    added = memory_app.identity.add_domain(acme.id, " Login.Acme.ORG ", actor=bob.id)
    assert added.domain.domain == "login.acme.org"
    assert not added.domain.is_verified
    assert added.verification_token not in repr(added)
    with pytest.raises(PermissionDeniedError):
        memory_app.identity.add_domain(acme.id, "x.acme.org", actor=cy.id)
    with pytest.raises(ConflictError, match=r"organization_domains\.domain"):
        memory_app.identity.add_domain(acme.id, "LOGIN.acme.org", actor=bob.id)
    from nexus.shared.errors import AuthenticationError

    with pytest.raises(AuthenticationError):
        memory_app.identity.verify_domain(acme.id, added.domain.id, "wrong", actor=bob.id)
    verified = memory_app.identity.verify_domain(
        acme.id, added.domain.id, added.verification_token, actor=bob.id
    )
    assert verified.is_verified
    assert verified.verified_at is not None
    assert [d.domain for d in memory_app.identity.list_domains(acme.id, actor=cy.id)] == [
        "login.acme.org"
    ]
    outcomes = [e.success for e in events(memory_app, "organization.domain_verified")]
    assert sorted(outcomes) == [False, True]
    memory_app.identity.remove_domain(acme.id, added.domain.id, actor=bob.id)
    assert memory_app.identity.list_domains(acme.id, actor=cy.id) == []


def test_organization_methods_with_another_tenants_ids_see_and_change_nothing(
    memory_app: Nexus, org: dict[str, Any], figure: Callable[[str], None]
) -> None:
    """Eve owns Bee; every organization-scoped method, called as Eve on Acme's ids (or on
    Bee's org id with Acme's child ids), returns nothing of Acme and changes nothing."""
    eve, acme, ada, cy = org["eve"], org["org"], org["ada"], org["cy"]
    bee = memory_app.identity.create_organization(name="Bee", slug="bee", owner_id=eve.id)
    acme_domain = memory_app.identity.add_domain(acme.id, "login.acme.org", actor=ada.id)
    ident = memory_app.identity
    cases: dict[str, list[Any]] = {
        "update_organization": [lambda: ident.update_organization(acme.id, actor=eve.id, name="x")],
        "delete_organization": [lambda: ident.delete_organization(acme.id, actor=eve.id)],
        "get_organization": [lambda: ident.get_organization(acme.id, actor=eve.id)],
        "list_organization_members": [
            lambda: ident.list_organization_members(acme.id, actor=eve.id)
        ],
        "add_organization_member": [
            lambda: ident.add_organization_member(acme.id, eve.id, actor=eve.id)
        ],
        "change_member_role": [
            lambda: ident.change_member_role(acme.id, cy.id, "owner", actor=eve.id),
            lambda: ident.change_member_role(bee.id, cy.id, "owner", actor=eve.id),
        ],
        "remove_organization_member": [
            lambda: ident.remove_organization_member(acme.id, cy.id, actor=eve.id),
            lambda: ident.remove_organization_member(bee.id, ada.id, actor=eve.id),
        ],
        "add_domain": [lambda: ident.add_domain(acme.id, "evil.example.org", actor=eve.id)],
        "verify_domain": [
            lambda: ident.verify_domain(acme.id, acme_domain.domain.id, "t", actor=eve.id),
            lambda: ident.verify_domain(
                bee.id, acme_domain.domain.id, acme_domain.verification_token, actor=eve.id
            ),
        ],
        "remove_domain": [
            lambda: ident.remove_domain(acme.id, acme_domain.domain.id, actor=eve.id),
            lambda: ident.remove_domain(bee.id, acme_domain.domain.id, actor=eve.id),
        ],
        "list_domains": [lambda: ident.list_domains(acme.id, actor=eve.id)],
    }
    scoped = [
        name
        for name, method in inspect.getmembers(IdentityFacade, inspect.isfunction)
        if "organization_id" in inspect.signature(method).parameters
    ]
    assert sorted(scoped) == sorted(cases), "a new organization-scoped method needs a case here"
    store = memory_app.container.memory_store()
    snapshot = {
        t: dict(store.table(t))
        for t in ("organizations", "organization_members", "organization_domains")
    }
    tried = 0
    for _name, calls in cases.items():
        for call in calls:
            with pytest.raises((NotFoundError, PermissionDeniedError)):
                call()
            tried += 1
    figure(f"cross-tenant calls refused: {tried} over {len(cases)} methods")
    assert {t: dict(store.table(t)) for t in snapshot} == snapshot
    assert memory_app.identity.list_organizations(actor=eve.id)[0].slug == "bee"
    assert memory_app.identity.list_domains(bee.id, actor=eve.id) == []
