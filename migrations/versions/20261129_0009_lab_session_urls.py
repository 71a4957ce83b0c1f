"""lab: session identifiers hold NEMO event URLs (255); session_log.nemo_user_id for backfills

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 15:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("session_log") as batch:
        batch.alter_column(
            "session_identifier",
            existing_type=sa.String(length=36),
            type_=sa.String(length=255),
            existing_nullable=False,
        )
        batch.add_column(sa.Column("nemo_user_id", sa.String(length=100), nullable=True))
        batch.create_index(batch.f("ix_session_log_nemo_user_id"), ["nemo_user_id"])
    with op.batch_alter_table("upload_log") as batch:
        batch.alter_column(
            "session_identifier",
            existing_type=sa.String(length=36),
            type_=sa.String(length=255),
            existing_nullable=False,
        )


def downgrade() -> None:
    # Identifiers longer than 36 characters (NEMO event URLs) cannot go back: the downgrade
    # fails on PostgreSQL rather than cut them.
    with op.batch_alter_table("upload_log") as batch:
        batch.alter_column(
            "session_identifier",
            existing_type=sa.String(length=255),
            type_=sa.String(length=36),
            existing_nullable=False,
        )
    with op.batch_alter_table("session_log") as batch:
        batch.drop_index(batch.f("ix_session_log_nemo_user_id"))
        batch.drop_column("nemo_user_id")
        batch.alter_column(
            "session_identifier",
            existing_type=sa.String(length=255),
            type_=sa.String(length=36),
            existing_nullable=False,
        )
