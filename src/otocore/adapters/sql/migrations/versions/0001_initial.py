"""Initial schema: stores, sellers, customers, orders, carteira, RFV snapshots, daily runs, sequences.

Revision ID: 0001
Revises:
Create Date: 2026-05-10

Types are spelled out here (not imported from otocore) so that this migration
keeps creating the same schema whatever later versions of otocore change.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

KEY = 100


def _instant() -> sa.String:
    # UTC ISO 8601 text of fixed width on SQLite; timestamptz on PostgreSQL
    return sa.String(32).with_variant(postgresql.TIMESTAMP(timezone=True), "postgresql")


def _exact_decimal() -> sa.Text:
    return sa.Text().with_variant(sa.Numeric(), "postgresql")


def _key(name: str, *, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.String(KEY), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "stores",
        _key("store_id"),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("city", sa.Text, nullable=True),
        sa.Column("state", sa.Text, nullable=True),
        sa.PrimaryKeyConstraint("store_id", name="pk_stores"),
    )
    op.create_table(
        "sellers",
        _key("code"),
        sa.Column("name", sa.Text, nullable=False),
        _key("store_id"),
        sa.Column("status", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_sellers"),
    )
    op.create_index("ix_sellers_store_id", "sellers", ["store_id"])
    op.create_table(
        "customers",
        _key("customer_id"),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("registered_at", _instant(), nullable=False),
        sa.Column("cpf", sa.String(11), nullable=True),
        sa.Column("rg", sa.Text, nullable=True),
        sa.Column("birth_date", sa.Date, nullable=True),
        sa.Column("email", sa.Text, nullable=True),
        sa.Column("mobile", sa.Text, nullable=True),
        sa.Column("sex", sa.String(16), nullable=True),
        sa.Column("marital_status", sa.String(16), nullable=True),
        _key("home_store_id", nullable=True),
        sa.Column("loyalty_program", sa.Text, nullable=True),
        sa.Column("loyalty_category", sa.Text, nullable=True),
        sa.PrimaryKeyConstraint("customer_id", name="pk_customers"),
    )
    op.create_index("ix_customers_cpf", "customers", ["cpf"])
    op.create_table(
        "orders",
        _key("order_id"),
        _key("customer_id"),
        _key("store_id"),
        sa.Column("placed_at", _instant(), nullable=False),
        sa.Column("total_cents", sa.BigInteger, nullable=False),
        _key("seller_code", nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("order_id", name="pk_orders"),
    )
    op.create_index("ix_orders_customer_id", "orders", ["customer_id"])
    op.create_index("ix_orders_placed_at_order_id", "orders", ["placed_at", "order_id"])
    op.create_table(
        "portfolio",
        _key("customer_id"),
        _key("seller_code", nullable=True),
        sa.Column("since", sa.Date, nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("customer_id", name="pk_portfolio"),
        sa.CheckConstraint(
            "(seller_code IS NULL AND reason = 'none')"
            " OR (seller_code IS NOT NULL AND reason <> 'none')",
            name="ck_portfolio_seller_iff_reason",
        ),
    )
    op.create_index("ix_portfolio_seller_code", "portfolio", ["seller_code"])
    op.create_table(
        "rfv_snapshots",
        sa.Column("as_of", sa.Date, nullable=False),
        sa.PrimaryKeyConstraint("as_of", name="pk_rfv_snapshots"),
    )
    op.create_table(
        "rfv_scores",
        sa.Column("as_of", sa.Date, nullable=False),
        _key("customer_id"),
        sa.Column("recency_days", sa.Integer, nullable=False),
        sa.Column("frequency", sa.Integer, nullable=False),
        sa.Column("value", _exact_decimal(), nullable=False),
        sa.Column("r", sa.SmallInteger, nullable=False),
        sa.Column("f", sa.SmallInteger, nullable=False),
        sa.Column("v", sa.SmallInteger, nullable=False),
        sa.Column("segment", sa.String(50), nullable=False),
        sa.PrimaryKeyConstraint("as_of", "customer_id", name="pk_rfv_scores"),
        sa.ForeignKeyConstraint(
            ["as_of"],
            ["rfv_snapshots.as_of"],
            name="fk_rfv_scores_as_of_rfv_snapshots",
            ondelete="CASCADE",
        ),
    )
    op.create_table(
        "daily_runs",
        sa.Column("run_id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("started_at", _instant(), nullable=False),
        sa.Column("finished_at", _instant(), nullable=False),
        sa.PrimaryKeyConstraint("run_id", name="pk_daily_runs"),
    )
    op.create_index("ix_daily_runs_as_of", "daily_runs", ["as_of"])
    op.create_table(
        "daily_run_counts",
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.Column("name", sa.String(KEY), nullable=False),
        sa.Column("value", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("run_id", "name", name="pk_daily_run_counts"),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["daily_runs.run_id"],
            name="fk_daily_run_counts_run_id_daily_runs",
            ondelete="CASCADE",
        ),
    )
    op.create_table(
        "daily_run_changes",
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        _key("customer_id"),
        _key("from_seller", nullable=True),
        _key("to_seller", nullable=True),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("decided_by", sa.Text, nullable=True),
        sa.PrimaryKeyConstraint("run_id", "position", name="pk_daily_run_changes"),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["daily_runs.run_id"],
            name="fk_daily_run_changes_run_id_daily_runs",
            ondelete="CASCADE",
        ),
    )
    op.create_table(
        "sequences",
        _key("name"),
        sa.Column("value", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_sequences"),
    )


def downgrade() -> None:
    for table in (
        "sequences",
        "daily_run_changes",
        "daily_run_counts",
        "daily_runs",
        "rfv_scores",
        "rfv_snapshots",
        "portfolio",
        "orders",
        "customers",
        "sellers",
        "stores",
    ):
        op.drop_table(table)
