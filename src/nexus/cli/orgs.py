"""`nexus orgs`: create, list, update, delete, members, add-member, set-role, remove-member,
and the organization's email domains."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any

import typer

from nexus.cli.common import (
    ActingAs,
    DatabaseUrl,
    Json,
    actor_for,
    console,
    emit,
    emit_json,
    fail,
    lower,
    new_typer,
    open_app,
    read_secret_from_stdin,
    show_table,
)

if TYPE_CHECKING:
    from nexus.app import Nexus
    from nexus.identity.application.results import OrganizationResult

orgs_app = new_typer("Organizations of identity, and their members.")

Slug = Annotated[str, typer.Argument(help="The organization's slug.")]


@contextmanager
def _acting_on(
    database_url: str | None, slug: str, acting_as: str | None
) -> Iterator[tuple[Nexus, Any, OrganizationResult]]:
    """The app, the acting party (`--as`, else the operator) and the organization by slug,
    looked up as that party: to a non-member an organization is "not found" whether it exists
    or not (its existence and id are not told)."""
    with open_app(database_url) as app:
        actor = actor_for(app, acting_as)
        yield app, actor, app.identity.get_organization_by_slug(slug, actor=actor)


@orgs_app.command("create")
def create(
    name: Annotated[str, typer.Option("--name", help="Display name.")],
    slug: Annotated[str, typer.Option("--slug", help="3-63 of a-z, 0-9 and inner hyphens.")],
    owner: Annotated[str, typer.Option("--owner", help="Email of the creating owner.")],
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Create an organization; its owner becomes an `owner` member."""
    with open_app(database_url) as app:
        owner_id = app.identity.get_user_by_email(owner).id
        organization = app.identity.create_organization(name=name, slug=slug, owner_id=owner_id)
    emit(
        json,
        organization.to_json(),
        f"created organization {organization.slug} ({organization.id})",
    )


@orgs_app.command("list")
def list_(
    acting_as: ActingAs = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=10_000)] = 100,
    offset: Annotated[int, typer.Option("--offset", min=0)] = 0,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """List organizations by slug (with --as, only those that user belongs to)."""
    with open_app(database_url) as app:
        actor = actor_for(app, acting_as)
        organizations = app.identity.list_organizations(actor=actor, limit=limit, offset=offset)
        total = app.identity.count_organizations(actor=actor)
    if json:
        emit_json([o.to_json() for o in organizations])
        return
    show_table(
        "organizations",
        ["slug", "name", "owner", "id"],
        [(o.slug, o.name, o.owner_id, o.id) for o in organizations],
        total=total,
        offset=offset,
    )


@orgs_app.command("members")
def members(
    slug: Slug,
    acting_as: ActingAs = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """List an organization's members and their roles."""
    with open_app(database_url) as app:
        actor = actor_for(app, acting_as)
        organization = app.identity.get_organization_by_slug(slug, actor=actor)
        found = app.identity.list_organization_members(organization.id, actor=actor)
    if json:
        emit_json([m.to_json() for m in found])
        return
    show_table(
        f"members of {organization.slug}",
        ["email", "name", "role", "user id"],
        [(m.email, m.name, m.role, m.user_id) for m in found],
    )


@orgs_app.command("add-member")
def add_member(
    slug: Slug,
    email: Annotated[str, typer.Argument(help="The new member's email.")],
    role: Annotated[
        str, typer.Option("--role", help="owner, admin or member.", callback=lower)
    ] = "member",
    acting_as: ActingAs = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Add a user to an organization (owners and admins only; only owners add owners)."""
    with _acting_on(database_url, slug, acting_as) as (app, actor, organization):
        user = app.identity.get_user_by_email(email)
        member = app.identity.add_organization_member(
            organization.id, user.id, role=role, actor=actor
        )
    emit(json, member.to_json(), f"added {member.email} to {organization.slug} as {member.role}")


@orgs_app.command("remove-member")
def remove_member(
    slug: Slug,
    email: Annotated[str, typer.Argument(help="The member's email.")],
    acting_as: ActingAs = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Remove a member (owners and admins; anyone may remove themself). The last owner stays."""
    with _acting_on(database_url, slug, acting_as) as (app, actor, organization):
        user = app.identity.get_user_by_email(email)
        app.identity.remove_organization_member(organization.id, user.id, actor=actor)
    emit(
        json,
        {"organization": organization.slug, "removed": user.email},
        f"removed {user.email} from {organization.slug}",
    )


@orgs_app.command("set-role")
def set_role(
    slug: Slug,
    email: Annotated[str, typer.Argument(help="The member's email.")],
    role: Annotated[str, typer.Option("--role", help="owner, admin or member.", callback=lower)],
    acting_as: ActingAs = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Change a member's role (owners and admins; only owners make or unmake owners)."""
    with _acting_on(database_url, slug, acting_as) as (app, actor, organization):
        user = app.identity.get_user_by_email(email)
        app.identity.change_member_role(organization.id, user.id, role, actor=actor)
    emit(
        json,
        {"organization": organization.slug, "email": user.email, "role": role},
        f"{user.email} is now {role} of {organization.slug}",
    )


@orgs_app.command("update")
def update(
    slug: Slug,
    name: Annotated[str | None, typer.Option("--name", help="New display name.")] = None,
    new_slug: Annotated[str | None, typer.Option("--new-slug", help="New slug.")] = None,
    branding: Annotated[
        list[str] | None,
        typer.Option("--set", help="FIELD=VALUE for a branding field (repeatable; empty clears)."),
    ] = None,
    acting_as: ActingAs = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Rename or rebrand an organization (owners and admins); only the fields given change."""
    changes: dict[str, object] = {}
    if name is not None:
        changes["name"] = name
    if new_slug is not None:
        changes["slug"] = new_slug
    for item in branding or ():
        field, sep, value = item.partition("=")
        if not sep:
            fail(f"--set: must be FIELD=VALUE, not {item!r}", code=2)
        changes[field] = value or None
    if not changes:
        fail("nothing to change: give --name, --new-slug or --set FIELD=VALUE", code=2)
    with _acting_on(database_url, slug, acting_as) as (app, actor, organization):
        updated = app.identity.update_organization(organization.id, actor=actor, **changes)
    emit(json, updated.to_json(), f"updated organization {updated.slug} ({updated.id})")


@orgs_app.command("delete")
def delete(
    slug: Slug,
    acting_as: ActingAs = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Delete an organization with its members and domains (owners only)."""
    with _acting_on(database_url, slug, acting_as) as (app, actor, organization):
        app.identity.delete_organization(organization.id, actor=actor)
    emit(
        json,
        {"deleted": organization.slug, "id": str(organization.id)},
        f"deleted organization {organization.slug}",
    )


@orgs_app.command("domains")
def domains(
    slug: Slug,
    acting_as: ActingAs = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """List an organization's email domains and whether each is verified."""
    with _acting_on(database_url, slug, acting_as) as (app, actor, organization):
        found = app.identity.list_domains(organization.id, actor=actor)
    if json:
        emit_json([d.to_json() for d in found])
        return
    show_table(
        f"domains of {organization.slug} ({len(found)})",
        ["domain", "verified", "id"],
        [(d.domain, d.is_verified, d.id) for d in found],
    )


@orgs_app.command("add-domain")
def add_domain(
    slug: Slug,
    domain: Annotated[str, typer.Argument(help="An email domain, e.g. example.org.")],
    acting_as: ActingAs = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Claim an email domain; prints the verification token to publish (shown once)."""
    with _acting_on(database_url, slug, acting_as) as (app, actor, organization):
        added = app.identity.add_domain(organization.id, domain, actor=actor)
    if json:
        emit_json(added.domain.to_json() | {"verification_token": added.verification_token})
    else:
        console.print(f"added domain {added.domain.domain} ({added.domain.id})")
        console.print(f"verification token (shown once): {added.verification_token}")


@orgs_app.command("verify-domain")
def verify_domain(
    slug: Slug,
    domain_id: Annotated[str, typer.Argument(help="The domain's id (from `orgs domains`).")],
    token_stdin: Annotated[
        bool, typer.Option("--token-stdin", help="Read the verification token from stdin.")
    ] = False,
    acting_as: ActingAs = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Verify a claimed domain with the token published for it (read from stdin)."""
    if not token_stdin:
        fail("the token is read from stdin: pass --token-stdin", code=2)
    token = read_secret_from_stdin("token")
    with _acting_on(database_url, slug, acting_as) as (app, actor, organization):
        verified = app.identity.verify_domain(organization.id, domain_id, token, actor=actor)
    emit(json, verified.to_json(), f"verified domain {verified.domain}")


@orgs_app.command("remove-domain")
def remove_domain(
    slug: Slug,
    domain_id: Annotated[str, typer.Argument(help="The domain's id (from `orgs domains`).")],
    acting_as: ActingAs = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Remove an email domain from an organization."""
    with _acting_on(database_url, slug, acting_as) as (app, actor, organization):
        app.identity.remove_domain(organization.id, domain_id, actor=actor)
    emit(
        json,
        {"organization": organization.slug, "removed": domain_id},
        f"removed domain {domain_id} from {organization.slug}",
    )
