"""Domains (issue 9): an unverified claim blocks nobody, verification is the claim, and adding a
domain answers the same whether or not another organization has it. Memory, SQLite, PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from nexus.app import Nexus
from nexus.shared.errors import ConflictError

PASSWORD = "correct horse battery"
HOST = "login.shared.org"


def _tenants(app: Nexus, count: int = 2) -> list[tuple[Any, Any]]:
    """(owner, organization) pairs."""
    pairs = []
    for i in range(count):
        owner = app.identity.register_user(
            email=f"owner{i}@example.org", name=f"Owner {i}", password=PASSWORD
        )
        org = app.identity.create_organization(name=f"Org {i}", slug=f"org-{i}", owner_id=owner.id)
        pairs.append((owner, org))
    return pairs


def _shape(added: Any) -> tuple[Any, ...]:
    """What an add tells its caller, less the values that differ on every call."""
    d = added.domain
    return (d.domain, d.is_verified, d.verified_at, len(added.verification_token))


def test_an_unverified_claim_blocks_nobody_and_reveals_nothing(app: Nexus) -> None:
    (ada, acme), (bob, bee), (cy, cor) = _tenants(app, 3)
    alone = app.identity.add_domain(acme.id, "login.alone.org", actor=ada.id)
    first = app.identity.add_domain(acme.id, HOST, actor=ada.id)
    second = app.identity.add_domain(bee.id, HOST, actor=bob.id)  # Acme's claim does not block
    assert _shape(first) == _shape(second)
    assert _shape(alone)[1:] == _shape(second)[1:]
    # Bee verifies first: verification is the claim.
    app.identity.verify_domain(bee.id, second.domain.id, second.verification_token, actor=bob.id)
    with pytest.raises(ConflictError, match="another organization"):
        app.identity.verify_domain(acme.id, first.domain.id, first.verification_token, actor=ada.id)
    # Adding it after it was verified elsewhere still answers exactly as for a free hostname.
    third = app.identity.add_domain(cor.id, HOST, actor=cy.id)
    assert _shape(third) == _shape(first)
    assert [d.is_verified for d in app.identity.list_domains(acme.id, actor=ada.id)] == [
        False,
        False,
    ]
    # Twice in one organization is refused, naming only this organization.
    with pytest.raises(ConflictError, match="this organization"):
        app.identity.add_domain(acme.id, HOST.upper(), actor=ada.id)
    # Once Bee lets go, Acme's claim can verify.
    app.identity.remove_domain(bee.id, second.domain.id, actor=bob.id)
    verified = app.identity.verify_domain(
        acme.id, first.domain.id, first.verification_token, actor=ada.id
    )
    assert verified.is_verified


def test_two_organizations_verifying_one_hostname_at_once_one_holds_it(
    app: Nexus, figure: Callable[[str], None]
) -> None:
    pairs = _tenants(app, 2)
    races, outcomes = 20, {"one verified": 0, "other": 0}
    with ThreadPoolExecutor(max_workers=2) as pool:
        for n in range(races):
            host = f"login{n}.race.org"
            claims = [
                (o, org, app.identity.add_domain(org.id, host, actor=o.id)) for o, org in pairs
            ]
            barrier = threading.Barrier(2)

            def verify(
                owner: Any, org: Any, added: Any, barrier: threading.Barrier = barrier
            ) -> bool:
                barrier.wait(timeout=30)
                try:
                    app.identity.verify_domain(
                        org.id, added.domain.id, added.verification_token, actor=owner.id
                    )
                except ConflictError:
                    return False
                return True

            futures = [pool.submit(verify, *claim) for claim in claims]
            won = sum(f.result(timeout=60) for f in futures)
            outcomes["one verified" if won == 1 else "other"] += 1
    figure(f"domain verification races: {races}: {outcomes}")
    assert outcomes == {"one verified": races, "other": 0}
