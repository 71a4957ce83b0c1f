"""`nexus orgs`: create, list, members, add-member, remove-member."""

from __future__ import annotations

from typing import Annotated

import typer

from nexus.cli.common import (
    ActingAs,
    DatabaseUrl,
    Json,
    actor_for,
    console,
    emit_json,
    lower,
    new_typer,
    open_app,
    show_table,
)
from nexus.identity import OPERATOR

orgs_app = new_typer("Organizations of identity, and their members.")

Slug = Annotated[str, typer.Argument(help="The organization's slug.")]


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
    if json:
        emit_json(organization.to_json())
    else:
        console.print(f"created organization {organization.slug} ({organization.id})")


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
        organizations = app.identity.list_organizations(
            actor=actor_for(app, acting_as), limit=limit, offset=offset
        )
    if json:
        emit_json([o.to_json() for o in organizations])
        return
    show_table(
        "organizations",
        ["slug", "name", "owner", "id"],
        [(o.slug, o.name, o.owner_id, o.id) for o in organizations],
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
    with open_app(database_url) as app:
        actor = actor_for(app, acting_as)
        organization = app.identity.get_organization_by_slug(slug, actor=OPERATOR)
        user = app.identity.get_user_by_email(email)
        member = app.identity.add_organization_member(
            organization.id, user.id, role=role, actor=actor
        )
    if json:
        emit_json(member.to_json())
    else:
        console.print(f"added {member.email} to {organization.slug} as {member.role}")


@orgs_app.command("remove-member")
def remove_member(
    slug: Slug,
    email: Annotated[str, typer.Argument(help="The member's email.")],
    acting_as: ActingAs = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Remove a member (owners and admins; anyone may remove themself). The last owner stays."""
    with open_app(database_url) as app:
        actor = actor_for(app, acting_as)
        organization = app.identity.get_organization_by_slug(slug, actor=OPERATOR)
        user = app.identity.get_user_by_email(email)
        app.identity.remove_organization_member(organization.id, user.id, actor=actor)
    if json:
        emit_json({"organization": organization.slug, "removed": user.email})
    else:
        console.print(f"removed {user.email} from {organization.slug}")
