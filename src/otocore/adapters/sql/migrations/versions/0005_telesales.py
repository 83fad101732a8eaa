"""Telesales carts and orders, their items and histories (``TelesalesRepository``).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06

Only creates tables: a database at 0004 keeps every row it had and has no
telesales orders yet. Types are spelled out here (not imported from otocore)
so that this migration keeps creating the same schema whatever later versions
of otocore change.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
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


def _owned_by_order(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["order_id"],
        ["telesales_orders.order_id"],
        name=f"fk_{table}_order_id_telesales_orders",
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "telesales_orders",
        _key("order_id"),
        _key("customer_id"),
        _key("store_id"),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("built_by", sa.String(200), nullable=False),
        sa.Column("operator_email", sa.String(200), nullable=True),
        sa.Column("shared", sa.Boolean, nullable=False),
        sa.Column("completed_by_customer", sa.Boolean, nullable=False),
        sa.Column("manual_price_setters", sa.Text, nullable=False),
        sa.Column("payment_method", sa.String(32), nullable=True),
        sa.Column("payment_status", sa.String(16), nullable=False),
        _key("commercial_policy", nullable=True),
        sa.Column("approval_decided_by", sa.String(KEY), nullable=True),
        sa.Column("approval_by_rule", sa.Boolean, nullable=True),
        sa.Column("approval_at", _instant(), nullable=True),
        sa.Column("approval_outcome", sa.String(16), nullable=True),
        sa.Column("approval_reason", sa.Text, nullable=True),
        sa.Column("approval_digest", sa.String(64), nullable=True),
        sa.Column("opened_at", _instant(), nullable=False),
        sa.Column("placed_at", _instant(), nullable=True),
        sa.Column("sort_at", _instant(), nullable=False),
        sa.Column("history_length", sa.Integer, nullable=False),
        sa.CheckConstraint(
            "(approval_decided_by IS NULL) = (approval_outcome IS NULL)",
            name="ck_telesales_orders_approval_whole",
        ),
        sa.PrimaryKeyConstraint("order_id", name="pk_telesales_orders"),
    )
    op.create_index("ix_telesales_orders_customer_id", "telesales_orders", ["customer_id"])
    op.create_index("ix_telesales_orders_operator_email", "telesales_orders", ["operator_email"])
    op.create_index("ix_telesales_orders_state_sort_at", "telesales_orders", ["state", "sort_at"])
    op.create_index(
        "ix_telesales_orders_sort_at_order_id", "telesales_orders", ["sort_at", "order_id"]
    )
    op.create_table(
        "telesales_items",
        _key("order_id"),
        sa.Column("position", sa.Integer, nullable=False),
        _key("sku"),
        sa.Column("quantity", sa.Integer, nullable=False),
        sa.Column("list_price", _exact_decimal(), nullable=False),
        sa.Column("manual_price", _exact_decimal(), nullable=True),
        sa.PrimaryKeyConstraint("order_id", "position", name="pk_telesales_items"),
        _owned_by_order("telesales_items"),
    )
    op.create_table(
        "telesales_history",
        _key("order_id"),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("from_state", sa.String(32), nullable=False),
        sa.Column("to_state", sa.String(32), nullable=False),
        sa.Column("who", sa.String(200), nullable=False),
        sa.Column("at", _instant(), nullable=False),
        sa.Column("why", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("order_id", "position", name="pk_telesales_history"),
        _owned_by_order("telesales_history"),
    )


def downgrade() -> None:
    for table in ("telesales_history", "telesales_items", "telesales_orders"):
        op.drop_table(table)
