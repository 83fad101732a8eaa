"""Customer exports: who exported what, and the download link's hash (issue 15).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06

Adds the table ``customer_exports``: one row per export (who asked, when, the
query as text, the format, how many customers, the file's name inside the
brand's export directory, the SHA-256 hash of the download token, never the
token; when the link expires, the latest download and how many there were).
Nothing else changes. Types are spelled out here (not imported from otocore)
so that this migration keeps creating the same schema whatever later
versions of otocore change.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | None = None
depends_on: str | None = None


def _instant() -> sa.String:
    # UTC ISO 8601 text of fixed width on SQLite; timestamptz on PostgreSQL
    return sa.String(32).with_variant(postgresql.TIMESTAMP(timezone=True), "postgresql")


def upgrade() -> None:
    """Create ``customer_exports`` and its two indexes."""
    op.create_table(
        "customer_exports",
        sa.Column("export_id", sa.String(100), nullable=False),
        sa.Column("account_id", sa.String(100), nullable=False),
        sa.Column("requested_at", _instant(), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("format", sa.String(8), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.Column("file_name", sa.String(200), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("expires_at", _instant(), nullable=False),
        sa.Column("downloaded_at", _instant(), nullable=True),
        sa.Column("downloads", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("export_id", name="pk_customer_exports"),
    )
    op.create_index(
        "uq_customer_exports_token_hash", "customer_exports", ["token_hash"], unique=True
    )
    op.create_index(
        "ix_customer_exports_account_id_requested_at",
        "customer_exports",
        ["account_id", "requested_at"],
    )


def downgrade() -> None:
    """Drop ``customer_exports``."""
    op.drop_index("ix_customer_exports_account_id_requested_at", table_name="customer_exports")
    op.drop_index("uq_customer_exports_token_hash", table_name="customer_exports")
    op.drop_table("customer_exports")
