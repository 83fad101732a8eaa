"""A shared cart's link record on ``telesales_orders``; the brand's telesales policy.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06

Adds four nullable columns to ``telesales_orders`` (``share_token_hash``,
``share_issued_at``, ``share_expires_at``, ``share_used_at``: the link's
:class:`~otocore.auth.TokenRecord`, never the token itself) with a check that
they are all NULL or that the hash and both instants are set, and the
one-row table ``telesales_settings`` (the policy as JSON text). A database at
0005 keeps every order it had; none has a link record, and no policy is
stored (the default applies).

SQLite cannot add a constraint to a table, so there the table is rebuilt
(Alembic's batch mode: copy, drop, rename). Dropping ``telesales_orders``
would delete its items and history (``ON DELETE CASCADE``, foreign keys are
on), so their rows are kept in temporary tables and put back; all in the
migration's one transaction. Types are spelled out here (not imported from
otocore) so that this migration keeps creating the same schema whatever
later versions of otocore change.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None

# SQLite: the children's rows, kept aside while telesales_orders is rebuilt, then put back
_KEEP = (
    "CREATE TEMP TABLE _kept_telesales_items AS SELECT * FROM telesales_items",
    "CREATE TEMP TABLE _kept_telesales_history AS SELECT * FROM telesales_history",
)
_PUT_BACK = (
    "INSERT INTO telesales_items SELECT * FROM _kept_telesales_items",
    "INSERT INTO telesales_history SELECT * FROM _kept_telesales_history",
    "DROP TABLE _kept_telesales_items",
    "DROP TABLE _kept_telesales_history",
)
_LINK_CHECK = "ck_telesales_orders_share_link_whole"
_LINK = ("share_token_hash", "share_issued_at", "share_expires_at", "share_used_at")


def _instant() -> sa.String:
    # UTC ISO 8601 text of fixed width on SQLite; timestamptz on PostgreSQL
    return sa.String(32).with_variant(postgresql.TIMESTAMP(timezone=True), "postgresql")


def _keeping_children(rebuild: Callable[[], None]) -> None:
    """Run ``rebuild`` (of ``telesales_orders``) so that its items and history survive it."""
    if op.get_bind().dialect.name != "sqlite":
        rebuild()  # PostgreSQL alters the table in place
        return
    for statement in _KEEP:
        op.execute(statement)
    rebuild()
    for statement in _PUT_BACK:
        op.execute(statement)


def _add_link() -> None:
    with op.batch_alter_table("telesales_orders") as batch:
        batch.add_column(sa.Column("share_token_hash", sa.String(64), nullable=True))
        for name in _LINK[1:]:
            batch.add_column(sa.Column(name, _instant(), nullable=True))
        batch.create_check_constraint(
            op.f(_LINK_CHECK),  # op.f: the name as it is, not run through the naming convention
            "(share_token_hash IS NULL AND share_issued_at IS NULL"
            " AND share_expires_at IS NULL AND share_used_at IS NULL)"
            " OR (share_token_hash IS NOT NULL AND share_issued_at IS NOT NULL"
            " AND share_expires_at IS NOT NULL)",
        )


def _drop_link() -> None:
    with op.batch_alter_table("telesales_orders") as batch:
        batch.drop_constraint(op.f(_LINK_CHECK), type_="check")
        for name in _LINK:
            batch.drop_column(name)


def upgrade() -> None:
    _keeping_children(_add_link)
    op.create_table(
        "telesales_settings",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("policy", sa.Text, nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_telesales_settings_one_row")),
        sa.PrimaryKeyConstraint("id", name="pk_telesales_settings"),
    )


def downgrade() -> None:
    op.drop_table("telesales_settings")
    _keeping_children(_drop_link)
