"""Emptying a test database whose append-only logs refuse DELETE (migration 0009's triggers)."""

from __future__ import annotations

import sqlalchemy as sa

from otocore.adapters.sql._tables import metadata


def delete_every_row(conn: sa.Connection) -> None:
    """Delete every row of every otocore table, the append-only logs' too.

    SQLite: the append-only logs' triggers are dropped, the rows deleted and
    those triggers created again from their own SQL, in the caller's
    transaction. The other triggers stay and run (the registry's FTS5 table
    follows the customers deleted: dropping its triggers too left stale names
    in it for the next test).
    PostgreSQL: ``session_replication_role = replica`` (a superuser's
    setting, which the test server's user has) skips the triggers for this
    transaction only. What a database administrator can do, a test can.
    """
    if conn.dialect.name == "sqlite":
        triggers = conn.execute(
            sa.text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
                " AND tbl_name IN ('audit_log', 'customer_history', 'customer_history_values',"
                " 'access_log')"
            )
        ).all()
        for name, _ in triggers:
            conn.execute(sa.text(f'DROP TRIGGER "{name}"'))
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())
        # the search's FTS5 index follows customers through triggers, dropped here: empty it too,
        # or its stale entries match the rowids of the next test's customers
        if conn.execute(
            sa.text("SELECT 1 FROM sqlite_master WHERE name = 'customers_name_fts'")
        ).first():
            conn.execute(
                sa.text("INSERT INTO customers_name_fts(customers_name_fts) VALUES ('delete-all')")
            )
        for _, sql in triggers:
            conn.execute(sa.text(sql))
        return
    conn.execute(sa.text("SET LOCAL session_replication_role = replica"))
    for table in reversed(metadata.sorted_tables):
        conn.execute(table.delete())
