"""Alembic environment of otocore's migrations.

otocore runs Alembic programmatically (:func:`otocore.adapters.sql.upgrade`)
and hands this script an open connection in ``config.attributes["connection"]``.
The ``alembic`` command line works too, given a config whose
``sqlalchemy.url`` names the database.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from otocore.adapters.sql._engine import ADVISORY_LOCK_KEY, create_engine
from otocore.adapters.sql._tables import metadata


def _migrate(connection: sa.Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            # one upgrade at a time; SQLite takes its write lock with BEGIN IMMEDIATE
            connection.execute(
                sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY}
            )
        context.run_migrations()


def _run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    url = context.config.get_main_option("sqlalchemy.url")
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            _migrate(conn)
            if conn.in_transaction():
                conn.commit()
    finally:
        engine.dispose()


# Alembic installs `context.config` only while it runs this script; importing
# the module elsewhere (pytest collecting doctests, say) does nothing.
if getattr(context, "config", None) is not None:
    _run()
