"""Data-subject requests: the LGPD's requests of a customer, with their answers (issue 15).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06

Adds the table ``data_requests``: one row per request a customer made under the
LGPD's article 18 (its id, the customer, the kind, when it was received, the form
of answer asked for, what the customer said) and its answer (when, the outcome,
the text; NULL while the request is open). Nothing else changes. Types are spelled
out here (not imported from otocore) so that this migration keeps creating the
same schema whatever later versions of otocore change.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | None = None
depends_on: str | None = None


def _instant() -> sa.String:
    # UTC ISO 8601 text of fixed width on SQLite; timestamptz on PostgreSQL
    return sa.String(32).with_variant(postgresql.TIMESTAMP(timezone=True), "postgresql")


def upgrade() -> None:
    """Create ``data_requests`` and its two indexes."""
    op.create_table(
        "data_requests",
        sa.Column("request_id", sa.String(100), nullable=False),
        sa.Column("customer_id", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("received_at", _instant(), nullable=False),
        sa.Column("form", sa.String(16), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("answered_at", _instant(), nullable=True),
        sa.Column("outcome", sa.String(32), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("request_id", name="pk_data_requests"),
    )
    op.create_index(
        "ix_data_requests_customer_id_received_at",
        "data_requests",
        ["customer_id", "received_at"],
    )
    op.create_index(
        "ix_data_requests_answered_at_received_at",
        "data_requests",
        ["answered_at", "received_at"],
    )


def downgrade() -> None:
    """Drop ``data_requests``."""
    op.drop_index("ix_data_requests_answered_at_received_at", table_name="data_requests")
    op.drop_index("ix_data_requests_customer_id_received_at", table_name="data_requests")
    op.drop_table("data_requests")
