"""The contracts of identity's organization, token, API-key and audit ports, on the in-memory
adapter, SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest

from nexus.container import Container
from nexus.identity.domain.ids import ApiKeyId, DomainId
from nexus.identity.domain.organizations import MemberRole
from nexus.identity.domain.tokens import RevokedReason
from nexus.shared.errors import ConcurrencyError, ConflictError, NotFoundError
from nexus.shared.ids import OrganizationId, UserId
from tests.factories import (
    NOW,
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


def _uow(container: Container) -> Any:
    return container.identity.unit_of_work


def _users(container: Container, count: int = 2) -> list[UserId]:
    users = [make_user() for _ in range(count)]
    with _uow(container)() as tx:
        for u in users:
            tx.users.add(u)
        tx.commit()
    return [u.id for u in users]


def _organization(container: Container, owner: UserId, **overrides: Any) -> Any:
    organization = make_organization(owner_id=owner, **overrides)
    with _uow(container)() as tx:
        tx.organizations.add(organization)
        tx.flush()
        tx.members.add(
            make_member(organization_id=organization.id, user_id=owner, role=MemberRole.OWNER)
        )
        tx.commit()
    return organization


def test_organization_round_trip_slug_and_version(container: Container) -> None:
    (owner,) = _users(container, 1)
    from nexus.identity.domain.organizations import Organization
    from tests.factories import EXAMPLES

    organization = EXAMPLES[Organization]()
    organization.owner_id = owner
    organization.version = 1
    with _uow(container)() as tx:
        tx.organizations.add(organization)
        tx.commit()
    with _uow(container)() as tx:
        assert tx.organizations.get(organization.id) == organization
        assert tx.organizations.find_by_slug(organization.slug) == organization
        assert tx.organizations.find_by_slug("nope-nope") is None
        loaded = tx.organizations.get(organization.id)
        loaded.change({"name": "Renamed"}, NOW + timedelta(1))
        tx.organizations.update(loaded)
        tx.commit()
    with _uow(container)() as tx:
        assert tx.organizations.get(organization.id).version == 2
    with pytest.raises(ConflictError, match=r"organizations\.slug"), _uow(container)() as tx:
        tx.organizations.add(make_organization(owner_id=owner, slug=organization.slug))
        tx.commit()


def test_lock_serialises_owner_changes(container: Container) -> None:
    (owner,) = _users(container, 1)
    organization = _organization(container, owner)
    with _uow(container)() as tx:
        assert tx.organizations.lock(organization.id).id == organization.id
        tx.commit()
    with pytest.raises(NotFoundError), _uow(container)() as tx:
        tx.organizations.lock(OrganizationId(uuid.uuid4()))


def test_members_are_found_by_organization_and_user(container: Container) -> None:
    a, b = _users(container)
    acme, bee = _organization(container, a), _organization(container, b)
    with _uow(container)() as tx:
        tx.members.add(make_member(organization_id=acme.id, user_id=b, role="admin"))
        tx.commit()
    with _uow(container)() as tx:
        assert tx.members.find(acme.id, b).role is MemberRole.ADMIN
        assert tx.members.find(bee.id, a) is None
        assert tx.members.owners(acme.id) == [a]
        member = tx.members.find(acme.id, b)
        member.role = MemberRole.OWNER
        tx.members.update(member)
        tx.commit()
    with _uow(container)() as tx:
        assert set(tx.members.owners(acme.id)) == {a, b}
        with pytest.raises(NotFoundError):
            tx.members.remove(bee.id, a)
        tx.members.remove(acme.id, b)
        tx.commit()
    with pytest.raises(ConflictError), _uow(container)() as tx:
        tx.members.add(make_member(organization_id=acme.id, user_id=a))
        tx.commit()


def test_removing_an_organization_cascades_members_and_domains(container: Container) -> None:
    a, b = _users(container)
    acme = _organization(container, a)
    domain = make_domain(organization_id=acme.id)
    with _uow(container)() as tx:
        tx.members.add(make_member(organization_id=acme.id, user_id=b))
        tx.domains.add(domain)
        tx.commit()
    with _uow(container)() as tx:
        tx.organizations.remove(acme.id)
        tx.commit()
    with _uow(container)() as tx:
        assert tx.organizations.find(acme.id) is None
        assert tx.members.find(acme.id, b) is None
        assert tx.domains.find(acme.id, domain.id) is None
    queries = container.identity.organization_queries()
    assert queries.list_members(acme.id) == []
    assert queries.list_domains(acme.id) == []


def test_domains_are_verified_once_claimed_once_per_tenant_and_tenant_scoped(
    container: Container,
) -> None:
    a, b = _users(container)
    acme, bee = _organization(container, a), _organization(container, b)
    domain = make_domain(organization_id=acme.id, domain="login.acme.org")
    rival = make_domain(organization_id=bee.id, domain="login.acme.org")
    with _uow(container)() as tx:
        tx.domains.add(domain)
        tx.domains.add(rival)  # unverified claims do not block one another
        tx.commit()
    with (
        pytest.raises(ConflictError, match=r"organization_domains\.organization_id\+domain"),
        _uow(container)() as tx,
    ):
        tx.domains.add(make_domain(organization_id=bee.id, domain="login.acme.org"))
        tx.commit()
    with _uow(container)() as tx:
        assert tx.domains.verified("login.acme.org") is None
        found = tx.domains.find(bee.id, rival.id)
        found.is_verified, found.verified_at = True, NOW
        tx.domains.update(found)
        tx.commit()
    with (
        pytest.raises(ConflictError, match=r"organization_domains\.domain"),
        _uow(container)() as tx,
    ):  # a second verified claim of one hostname: the unique index refuses it
        found = tx.domains.find(acme.id, domain.id)
        found.is_verified, found.verified_at = True, NOW
        tx.domains.update(found)
        tx.commit()
    with _uow(container)() as tx:
        assert tx.domains.verified("login.acme.org") == tx.domains.find(bee.id, rival.id)
        tx.domains.remove(bee.id, rival.id)
        tx.commit()
    with _uow(container)() as tx:
        assert tx.domains.find(acme.id, domain.id) == domain
        assert tx.domains.find(bee.id, domain.id) is None
        with pytest.raises(NotFoundError):
            tx.domains.remove(bee.id, domain.id)
        with pytest.raises(NotFoundError):
            tx.domains.remove(acme.id, DomainId(uuid.uuid4()))
        found = tx.domains.find(acme.id, domain.id)
        found.is_verified, found.verified_at = True, NOW
        tx.domains.update(found)
        tx.commit()
    with _uow(container)() as tx:
        assert tx.domains.find(acme.id, domain.id).verified_at == NOW
    assert [d.domain for d in container.identity.organization_queries().list_domains(acme.id)] == [
        "login.acme.org"
    ]


@pytest.mark.parametrize("kind", ["reset_tokens", "magic_links"])
def test_single_use_tokens_are_consumed_once_and_not_after_expiry(
    container: Container, kind: str
) -> None:
    (user,) = _users(container, 1)
    make = make_reset_token if kind == "reset_tokens" else make_magic_link
    fresh, stale, other = (make(user_id=user) for _ in range(3))
    with _uow(container)() as tx:
        for token in (fresh, stale, other):
            getattr(tx, kind).add(token)
        tx.commit()
    with _uow(container)() as tx:
        consumed = getattr(tx, kind).consume(fresh.token_hash, NOW)
        tx.commit()
    assert consumed.id == fresh.id
    assert consumed.used_at == NOW
    with _uow(container)() as tx:
        assert getattr(tx, kind).consume(fresh.token_hash, NOW) is None
        assert getattr(tx, kind).consume(stale.token_hash, stale.expires_at) is None
        assert getattr(tx, kind).consume("0" * 64, NOW) is None
        assert getattr(tx, kind).invalidate_outstanding(user, NOW) == 2
        tx.commit()
    with _uow(container)() as tx:
        assert getattr(tx, kind).consume(other.token_hash, NOW) is None


def test_consuming_without_commit_leaves_the_token_usable(container: Container) -> None:
    (user,) = _users(container, 1)
    token = make_reset_token(user_id=user)
    with _uow(container)() as tx:
        tx.reset_tokens.add(token)
        tx.commit()
    with _uow(container)() as tx:
        assert tx.reset_tokens.consume(token.token_hash, NOW) is not None
    with _uow(container)() as tx:
        assert tx.reset_tokens.consume(token.token_hash, NOW) is not None
        tx.commit()


def test_magic_link_code_tries_are_counted_to_five(container: Container) -> None:
    (user,) = _users(container, 1)
    older = make_magic_link(user_id=user, created_at=NOW - timedelta(minutes=1))
    newer = make_magic_link(user_id=user)
    with _uow(container)() as tx:
        tx.magic_links.add(older)
        tx.magic_links.add(newer)
        tx.commit()
    with _uow(container)() as tx:
        assert tx.magic_links.latest_for_code(user, NOW).id == newer.id
        for _ in range(5):
            assert tx.magic_links.count_code_try(newer.id, NOW) is True
        assert tx.magic_links.count_code_try(newer.id, NOW) is False
        tx.commit()
    with _uow(container)() as tx:
        assert tx.magic_links.latest_for_code(user, NOW).id == older.id
        assert tx.magic_links.consume_by_id(older.id, NOW) is True
        assert tx.magic_links.consume_by_id(older.id, NOW) is False
        tx.commit()
    with _uow(container)() as tx:
        assert tx.magic_links.latest_for_code(user, NOW) is None
        assert tx.magic_links.consume_by_id(newer.id, newer.expires_at) is False


def test_refresh_tokens_revoke_once_by_family_and_by_user(container: Container) -> None:
    a, b = _users(container)
    first = make_refresh_token(user_id=a)
    sibling = make_refresh_token(user_id=a, family_id=first.family_id)
    other = make_refresh_token(user_id=a)
    foreign = make_refresh_token(user_id=b)
    with _uow(container)() as tx:
        for token in (first, sibling, other, foreign):
            tx.refresh_tokens.add(token)
        tx.commit()
    with _uow(container)() as tx:
        assert tx.refresh_tokens.find_by_hash(first.token_hash) == first
        assert tx.refresh_tokens.revoke_if_active(first.id, NOW, RevokedReason.ROTATED) is True
        assert tx.refresh_tokens.revoke_if_active(first.id, NOW, RevokedReason.LOGOUT) is False
        tx.commit()
    with _uow(container)() as tx:
        loaded = tx.refresh_tokens.find_by_hash(first.token_hash)
        assert loaded.revoked_reason is RevokedReason.ROTATED
        assert loaded.was_rotated
        assert (
            tx.refresh_tokens.revoke_family(first.family_id, NOW, RevokedReason.REUSE_DETECTED) == 1
        )
        assert tx.refresh_tokens.revoke_all_for_user(a, NOW, RevokedReason.DEACTIVATED) == 1
        tx.commit()
    with _uow(container)() as tx:
        assert tx.refresh_tokens.find_by_hash(foreign.token_hash).revoked_at is None
        assert tx.refresh_tokens.find_by_hash(other.token_hash).revoked_reason is (
            RevokedReason.DEACTIVATED
        )


def test_api_keys_use_checks_revocation_expiry_and_the_user(container: Container) -> None:
    a, b = _users(container)
    owned = container.workspaces.facade().create_workspace(
        name="W", slug="keys-ws", owner_id=a, actor=a
    )
    workspace = owned.id
    scoped = make_api_key(user_id=a, workspace_id=workspace)
    expiring = make_api_key(user_id=a, expires_at=NOW + timedelta(hours=1))
    revoked = make_api_key(user_id=a, revoked_at=NOW)
    with _uow(container)() as tx:
        for key in (scoped, expiring, revoked):
            tx.api_keys.add(key)
        tx.commit()
    later = NOW + timedelta(minutes=5)
    with _uow(container)() as tx:
        principal = tx.api_keys.use(scoped.key_hash, later)
        assert (principal.user_id, principal.workspace_id, principal.key_id) == (
            a,
            workspace,
            scoped.id,
        )
        assert tx.api_keys.use(revoked.key_hash, later) is None
        assert tx.api_keys.use(expiring.key_hash, expiring.expires_at) is None
        assert tx.api_keys.use("f" * 64, later) is None
        tx.commit()
    with _uow(container)() as tx:
        assert tx.api_keys.find(a, scoped.id).last_used_at == later
        assert tx.api_keys.find(b, scoped.id) is None
        assert tx.api_keys.find(a, ApiKeyId(uuid.uuid4())) is None
        assert tx.api_keys.find_by_hash(revoked.key_hash) == revoked
        user = tx.users.get(a)
        user.deactivate(later)
        tx.users.update(user)
        tx.commit()
    with _uow(container)() as tx:
        assert tx.api_keys.use(scoped.key_hash, later) is None
    listed = container.identity.api_key_queries().list_api_keys(a)
    assert {k.id for k in listed} == {scoped.id, expiring.id, revoked.id}
    assert container.identity.api_key_queries().list_api_keys(b) == []
    with pytest.raises(ConflictError, match=r"api_keys\.key_hash"), _uow(container)() as tx:
        tx.api_keys.add(make_api_key(user_id=b, key_hash=scoped.key_hash))
        tx.commit()


def test_audit_events_round_trip_and_filter(container: Container) -> None:
    a, b = _users(container)
    from nexus.identity.domain.audit import AuditEvent
    from tests.factories import EXAMPLES

    full = EXAMPLES[AuditEvent]()
    full.user_id = a
    events = [
        full,
        make_audit_event(user_id=b, action="user.login_failed", created_at=NOW + timedelta(1)),
        make_audit_event(action="password_reset.requested", success=False),
    ]
    with _uow(container)() as tx:
        for event in events:
            tx.audit.add(event)
        tx.commit()
    queries = container.identity.audit_queries()
    everything = queries.list_events()
    assert next(e.id for e in everything) == events[1].id
    assert len(everything) == 3
    (mine,) = queries.list_events(user_id=a)
    assert mine.details == full.details
    assert mine.ip_address == "203.0.113.9"
    assert [e.id for e in queries.list_events(action="user.login_failed")] == [events[1].id]
    assert [
        e.id for e in queries.list_events(resource_type="api_key", resource_id=full.resource_id)
    ] == [full.id]
    assert len(queries.list_events(limit=1, offset=1)) == 1


def test_organization_queries_list_by_member_and_members_with_users(container: Container) -> None:
    a, b = _users(container)
    acme = _organization(container, a, slug="acme")
    _organization(container, b, slug="bee")
    queries = container.identity.organization_queries()
    assert [o.slug for o in queries.list_organizations()] == ["acme", "bee"]
    assert [o.slug for o in queries.list_organizations(member=a)] == ["acme"]
    assert [o.slug for o in queries.list_organizations(limit=1, offset=1)] == ["bee"]
    (member,) = queries.list_members(acme.id)
    assert (member.user_id, member.role) == (a, "owner")
    assert "@" in member.email


def test_two_writers_of_one_organization_exactly_one_wins(container: Container) -> None:
    (owner,) = _users(container, 1)
    organization = _organization(container, owner)
    uow = _uow(container)
    with uow() as tx:
        stale = tx.organizations.get(organization.id)
    with uow() as tx:
        fresh = tx.organizations.get(organization.id)
        fresh.change({"name": "First"}, NOW)
        tx.organizations.update(fresh)
        tx.commit()
    stale.change({"name": "Second"}, NOW)
    with pytest.raises(ConcurrencyError), uow() as tx:
        tx.organizations.update(stale)
        tx.commit()
