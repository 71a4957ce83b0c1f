"""distribution: on a Citus cluster, tenant tables distributed by tenant key, the rest reference
tables; a no-op on PostgreSQL without the citus extension and on SQLite (docs/scaling.md)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 17:30:00.000000
"""

from collections.abc import Sequence

from alembic import op
from sqlalchemy import text

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Tables copied to every node, each after the tables it refers to: the global tables (identity,
# lab, the model catalog) and the tenant roots, whose keys (`workspaces.slug`) are unique across
# tenants and which every tenant table refers to.
REFERENCE_TABLES = (
    "external_user_identifiers",
    "instruments",
    "model_catalog",
    "npcases",
    "upload_log",
    "users",
    "audit_logs",
    "magic_link_tokens",
    "organizations",
    "password_reset_tokens",
    "refresh_tokens",
    "session_log",
    "organization_domains",
    "organization_members",
    "workspaces",
    "api_keys",
)
# Tables sharded by their tenant key, each after the tables it refers to; one co-location group
# per key, so a tenant's rows of every table are on one node and its joins and foreign keys stay
# local.
DISTRIBUTED_TABLES = (
    ("custodians", "npcase_id"),
    ("custom_fields", "npcase_id"),
    ("deposition_volumes", "npcase_id"),
    ("labels", "npcase_id"),
    ("batches", "npcase_id"),
    ("tags", "npcase_id"),
    ("abi_servers", "workspace_id"),
    ("app_configs", "workspace_id"),
    ("batch_sources", "npcase_id"),
    ("conversations", "workspace_id"),
    ("document_relations_in_batch", "npcase_id"),
    ("exhibits", "npcase_id"),
    ("graph_nodes", "workspace_id"),
    ("graph_views", "workspace_id"),
    ("inference_servers", "workspace_id"),
    ("ontologies", "workspace_id"),
    ("process_checkpoints", "npcase_id"),
    ("provider_configs", "workspace_id"),
    ("secrets", "workspace_id"),
    ("tag_dedupe", "npcase_id"),
    ("workspace_members", "workspace_id"),
    ("agent_configs", "workspace_id"),
    ("attachments", "npcase_id"),
    ("chat_ingestion_jobs", "workspace_id"),
    ("custodian_exhibits", "npcase_id"),
    ("custom_field_values", "npcase_id"),
    ("deposition_volume_exhibits", "npcase_id"),
    ("doc_dedupe", "npcase_id"),
    ("document_relations", "npcase_id"),
    ("exh_designations", "npcase_id"),
    ("graph_edges", "workspace_id"),
    ("messages", "workspace_id"),
    ("taggings", "npcase_id"),
)


def citus_present() -> bool:
    """True on a Citus coordinator: PostgreSQL with the citus extension created."""
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    found = bind.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'citus'")).first()
    return found is not None


def upgrade() -> None:
    if not citus_present():
        return
    bind = op.get_bind()
    # Distributing tables that refer to reference tables in one transaction needs the
    # sequential mode (Citus refuses parallel shard creation across such foreign keys).
    bind.execute(text("SET LOCAL citus.multi_shard_modify_mode TO 'sequential'"))
    for table in REFERENCE_TABLES:
        bind.execute(text("SELECT create_reference_table(:t)"), {"t": table})
    anchors: dict[str, str] = {}
    for table, key in DISTRIBUTED_TABLES:
        bind.execute(
            text("SELECT create_distributed_table(:t, :k, colocate_with => :c)"),
            {"t": table, "k": key, "c": anchors.get(key, "none")},
        )
        anchors.setdefault(key, table)


def downgrade() -> None:
    """Every table back to a plain local table (undistribute_table follows foreign keys, so a
    table may already be local when its turn comes)."""
    if not citus_present():
        return
    bind = op.get_bind()
    bind.execute(text("SET LOCAL citus.multi_shard_modify_mode TO 'sequential'"))
    tables = [t for t, _ in reversed(DISTRIBUTED_TABLES)] + list(reversed(REFERENCE_TABLES))
    for table in tables:
        still = bind.execute(
            text("SELECT 1 FROM pg_dist_partition WHERE logicalrelid = CAST(:t AS regclass)"),
            {"t": table},
        ).first()
        if still is not None:
            bind.execute(
                text("SELECT undistribute_table(:t, cascade_via_foreign_keys => true)"),
                {"t": table},
            )
