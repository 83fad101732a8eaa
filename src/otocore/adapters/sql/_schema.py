"""Schema versions: Alembic run programmatically with the migrations shipped in the package."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy.engine import Engine

from otocore.adapters.sql._engine import WRITE_OPTION, is_memory, shown_name, upgrade_command
from otocore.errors import SchemaVersionError

NEWER_HINT = "the database was upgraded by a newer otocore; install that version (or newer)"


@contextmanager
def alembic_config(connection: sa.Connection | None = None) -> Iterator[Config]:
    """An Alembic ``Config`` whose script location is the package's migrations directory."""
    here = resources.files("otocore.adapters.sql") / "migrations"
    with resources.as_file(here) as path:
        config = Config()
        config.set_main_option("script_location", str(path))
        if connection is not None:
            config.attributes["connection"] = connection
        yield config


def head() -> str:
    """The revision this version of otocore needs."""
    with alembic_config() as config:
        heads = ScriptDirectory.from_config(config).get_heads()
    if len(heads) != 1:  # pragma: no cover - a packaging mistake
        raise RuntimeError(f"otocore's migrations have {len(heads)} heads: {heads}")
    return str(heads[0])


def known_revisions() -> set[str]:
    """Every revision of the shipped migrations."""
    with alembic_config() as config:
        script = ScriptDirectory.from_config(config)
        return {str(s.revision) for s in script.walk_revisions()}


def revision_of(connection: sa.Connection) -> str | None:
    """The revision the database is at, ``None`` if it has no otocore schema."""
    heads = MigrationContext.configure(connection).get_current_heads()
    if not heads:
        return None
    if len(heads) > 1:
        raise SchemaVersionError(
            found=",".join(sorted(heads)),
            expected=head(),
            hint="the database has several heads",
            store=shown_name(connection.engine.url),
        )
    return str(heads[0])


def check(engine: Engine) -> None:
    """Raise :class:`SchemaVersionError` unless the database is at :func:`head`."""
    expected = head()
    with engine.connect() as connection:
        found = revision_of(connection)
        connection.rollback()
    if found == expected:
        return
    store = shown_name(engine.url)
    if found is None and is_memory(engine.url):
        hint = "create it with `open_database(':memory:', upgrade=True)`"
    elif found is None:
        hint = f"create it with `{upgrade_command(engine.url)}`"
    elif found not in known_revisions():
        hint = NEWER_HINT
    else:
        hint = f"upgrade it with `{upgrade_command(engine.url)}`"
    raise SchemaVersionError(found=found, expected=expected, hint=hint, store=store)


def upgrade_engine(engine: Engine) -> str:
    """Create or upgrade the schema to :func:`head`; return the revision reached."""
    expected = head()
    with engine.connect() as connection:
        found = revision_of(connection)
        connection.rollback()
        if found is not None and found not in known_revisions():
            raise SchemaVersionError(
                found=found, expected=expected, hint=NEWER_HINT, store=shown_name(engine.url)
            )
        connection.execution_options(**{WRITE_OPTION: True})
        with alembic_config(connection) as config:
            try:
                command.upgrade(config, "head")
            except CommandError as exc:  # pragma: no cover - a revision vanished meanwhile
                raise SchemaVersionError(
                    found=found, expected=expected, hint=str(exc), store=shown_name(engine.url)
                ) from None
        if connection.in_transaction():
            connection.commit()
        reached = revision_of(connection)
        connection.rollback()
    return reached or expected
