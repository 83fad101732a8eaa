"""An order's discount: ``orders.discount_cents``.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06

Adds the column ``discount_cents`` (``BIGINT NOT NULL DEFAULT 0``: the order's
:attr:`~otocore.orders.Order.discount` in centavos) to ``orders``. A database at
the previous revision keeps every order it had, each with a discount of 0 (none
was recorded). Both SQLite and PostgreSQL add a column with a constant default in
place. Types are spelled out here (not imported from otocore) so that this
migration keeps creating the same schema whatever later versions of otocore change.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add ``orders.discount_cents`` (0 for the orders already stored)."""
    op.add_column(
        "orders",
        sa.Column("discount_cents", sa.BigInteger, nullable=False, server_default=sa.text("0")),
    )


def downgrade() -> None:
    """Drop ``orders.discount_cents`` (the discounts recorded are lost)."""
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("discount_cents")
