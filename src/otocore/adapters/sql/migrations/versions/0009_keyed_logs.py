"""Keyed logs: the audit log's MAC, the customer history, the data-access log; append-only.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06

* ``audit_log`` gains two nullable columns, ``key_id`` and ``mac`` (the keyed
  HMAC chain of :mod:`otocore.ledger`). The entries already stored keep NULL:
  the migration has no key, so it cannot MAC them; the first entry appended
  with a key chains to the last one's ``entry_hash`` and so seals them.
* ``customer_history`` (the chained part of each entry, without values),
  ``customer_history_values`` (the old and new values, one row per entry;
  deleted when the customer's history is redacted) and ``access_log``.
* Triggers refuse UPDATE and DELETE on ``audit_log``, ``customer_history``
  and ``access_log`` (and TRUNCATE on PostgreSQL), and UPDATE on
  ``customer_history_values`` (its rows may only be deleted: a redaction).

Types are spelled out here (not imported from otocore) so that this
migration keeps creating the same schema whatever later versions change.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | None = None
depends_on: str | None = None

_APPEND_ONLY = ("audit_log", "customer_history", "access_log")
_VALUES = "customer_history_values"
_PG_FUNCTION = "otocore_append_only"


def _instant() -> sa.String:
    # UTC ISO 8601 text of fixed width on SQLite; timestamptz on PostgreSQL
    return sa.String(32).with_variant(postgresql.TIMESTAMP(timezone=True), "postgresql")


def _sqlite_trigger(table: str, operation: str) -> str:
    return (
        f"CREATE TRIGGER {table}_no_{operation.lower()} BEFORE {operation} ON {table}"
        f" BEGIN SELECT RAISE(ABORT, '{table} is append-only: {operation} refused'); END"
    )


def _create_triggers() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in _APPEND_ONLY:
            op.execute(_sqlite_trigger(table, "UPDATE"))
            op.execute(_sqlite_trigger(table, "DELETE"))
        op.execute(_sqlite_trigger(_VALUES, "UPDATE"))
        return
    op.execute(
        f"CREATE FUNCTION {_PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$"
        " BEGIN RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP"
        " USING ERRCODE = 'insufficient_privilege'; END $$"
    )
    for table in _APPEND_ONLY:
        op.execute(
            f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table}"
            f" FOR EACH ROW EXECUTE FUNCTION {_PG_FUNCTION}()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}"
            f" FOR EACH STATEMENT EXECUTE FUNCTION {_PG_FUNCTION}()"
        )
    op.execute(
        f"CREATE TRIGGER {_VALUES}_no_change BEFORE UPDATE ON {_VALUES}"
        f" FOR EACH ROW EXECUTE FUNCTION {_PG_FUNCTION}()"
    )
    op.execute(
        f"CREATE TRIGGER {_VALUES}_no_truncate BEFORE TRUNCATE ON {_VALUES}"
        f" FOR EACH STATEMENT EXECUTE FUNCTION {_PG_FUNCTION}()"
    )


def _drop_triggers() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in _APPEND_ONLY:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
        op.execute(f"DROP TRIGGER IF EXISTS {_VALUES}_no_update")
        return
    for table in (*_APPEND_ONLY, _VALUES):
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}")
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
    op.execute(f"DROP FUNCTION IF EXISTS {_PG_FUNCTION}()")


def upgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("key_id", sa.String(64), nullable=True))
        batch.add_column(sa.Column("mac", sa.String(64), nullable=True))
    op.create_table(
        "customer_history",
        sa.Column("sequence", sa.BigInteger, autoincrement=False, nullable=False),
        sa.Column("customer_id", sa.String(100), nullable=False),
        sa.Column("field", sa.String(100), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("at", _instant(), nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("values_digest", sa.String(64), nullable=False),
        sa.Column("key_id", sa.String(64), nullable=False),
        sa.Column("mac", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("sequence", name="pk_customer_history"),
    )
    op.create_index(
        "ix_customer_history_customer_id_sequence", "customer_history", ["customer_id", "sequence"]
    )
    op.create_table(
        _VALUES,
        sa.Column("sequence", sa.BigInteger, autoincrement=False, nullable=False),
        sa.Column("old_value", sa.Text, nullable=True),
        sa.Column("new_value", sa.Text, nullable=True),
        sa.ForeignKeyConstraint(
            ["sequence"],
            ["customer_history.sequence"],
            name="fk_customer_history_values_sequence_customer_history",
        ),
        sa.PrimaryKeyConstraint("sequence", name="pk_customer_history_values"),
    )
    op.create_table(
        "access_log",
        sa.Column("sequence", sa.BigInteger, autoincrement=False, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("at", _instant(), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("query", sa.Text, nullable=False),
        sa.Column("customers", sa.BigInteger, nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("key_id", sa.String(64), nullable=False),
        sa.Column("mac", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("sequence", name="pk_access_log"),
    )
    _create_triggers()


def downgrade() -> None:
    _drop_triggers()
    op.drop_table("access_log")
    op.drop_table(_VALUES)
    op.drop_index("ix_customer_history_customer_id_sequence", table_name="customer_history")
    op.drop_table("customer_history")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("mac")
        batch.drop_column("key_id")
