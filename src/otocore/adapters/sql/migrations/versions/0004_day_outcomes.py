"""Each customer's outcome of a generated day (what ``explain_customer`` reads).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06

Only creates tables: a database at 0003 keeps every row it had; its generated
days have no stored outcomes (``explain_customer`` plans those customers
instead, until the day is generated again). Types are spelled out here (not
imported from otocore) so that this migration keeps creating the same schema
whatever later versions of otocore change.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None

KEY = 100


def _key(name: str, *, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.String(KEY), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "outcome_days",
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("customers", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("day", name="pk_outcome_days"),
    )
    op.create_table(
        "day_outcomes",
        sa.Column("day", sa.Date, nullable=False),
        _key("customer_id"),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        _key("seller_code", nullable=True),
        _key("campaign_id", nullable=True),
        sa.Column("channel", sa.String(16), nullable=True),
        sa.Column("free_on", sa.Date, nullable=True),
        sa.Column("quarantine_rule", sa.String(32), nullable=True),
        sa.Column("reason", sa.String(32), nullable=True),
        sa.Column("rank", sa.Integer, nullable=True),
        _key("contact_id", nullable=True),
        sa.Column("message", sa.Text, nullable=True),
        sa.Column("status", sa.String(16), nullable=True),
        sa.CheckConstraint(
            "(outcome = 'suggested') = (reason IS NOT NULL AND rank IS NOT NULL"
            " AND message IS NOT NULL AND status IS NOT NULL)",
            name="ck_day_outcomes_suggestion_iff_suggested",
        ),
        sa.PrimaryKeyConstraint("day", "customer_id", name="pk_day_outcomes"),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    for table in ("day_outcomes", "outcome_days"):
        op.drop_table(table)
