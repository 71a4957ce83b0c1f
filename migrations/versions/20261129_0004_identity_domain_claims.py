"""identity: domain claims; an unverified claim blocks nobody, verification is the claim

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 13:53:21.011356
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_VERIFIED = sa.text("is_verified = true")


def upgrade() -> None:
    # The new key (led by organization_id) comes before the index is dropped: MariaDB refuses
    # to drop the only index a foreign key can use.
    with op.batch_alter_table("organization_domains") as batch:
        batch.create_unique_constraint(
            "uq_organization_domains_organization_id_domain", ["organization_id", "domain"]
        )
        batch.drop_index("ix_organization_domains_organization_id")
        batch.drop_constraint("uq_organization_domains_domain", type_="unique")
    op.create_index(
        "uq_organization_domains_domain_verified",
        "organization_domains",
        ["domain"],
        unique=True,
        sqlite_where=_VERIFIED,
        postgresql_where=_VERIFIED,
    )


def downgrade() -> None:
    # Fails when two organizations claim one hostname (allowed from this revision on).
    op.drop_index("uq_organization_domains_domain_verified", table_name="organization_domains")
    with op.batch_alter_table("organization_domains") as batch:
        batch.create_index("ix_organization_domains_organization_id", ["organization_id"])
        batch.create_unique_constraint("uq_organization_domains_domain", ["domain"])
        batch.drop_constraint("uq_organization_domains_organization_id_domain", type_="unique")
