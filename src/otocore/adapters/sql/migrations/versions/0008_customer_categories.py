"""Customer categories and their members (issue 15, Altegio's *categorias*).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06

Only creates tables: ``customer_categories`` (id, name, colour, the optional
automatic discount: a percentage and its first and last local day) and
``customer_category_members`` (one row per category and customer, deleted
with the category). A database at the earlier revision keeps every row it
had and has no categories. Types are spelled out here (not imported from
otocore) so that this migration keeps creating the same schema whatever later
versions of otocore change.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | None = None
depends_on: str | None = None

KEY = 100


def _key(name: str) -> sa.Column[str]:
    return sa.Column(name, sa.String(KEY), nullable=False)


def upgrade() -> None:
    op.create_table(
        "customer_categories",
        _key("category_id"),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("colour", sa.String(7), nullable=False),
        sa.Column(
            "discount_percentage", sa.Text().with_variant(sa.Numeric(), "postgresql"), nullable=True
        ),
        sa.Column("discount_first_day", sa.Date, nullable=True),
        sa.Column("discount_last_day", sa.Date, nullable=True),
        sa.CheckConstraint(
            "discount_percentage IS NOT NULL"
            " OR (discount_first_day IS NULL AND discount_last_day IS NULL)",
            name="ck_customer_categories_discount_whole",
        ),
        sa.PrimaryKeyConstraint("category_id", name="pk_customer_categories"),
    )
    op.create_table(
        "customer_category_members",
        _key("category_id"),
        _key("customer_id"),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["customer_categories.category_id"],
            name="fk_customer_category_members_category_id_customer_categories",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("category_id", "customer_id", name="pk_customer_category_members"),
    )
    op.create_index(
        "ix_customer_category_members_customer_id",
        "customer_category_members",
        ["customer_id"],
    )


def downgrade() -> None:
    op.drop_index(
        "ix_customer_category_members_customer_id", table_name="customer_category_members"
    )
    for table in ("customer_category_members", "customer_categories"):
        op.drop_table(table)
