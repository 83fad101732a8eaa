"""``otocore db``: create or upgrade a database."""

from __future__ import annotations

from typing import Annotated

import typer

from otocore.cli._common import busy_timeout, console

db_app = typer.Typer(help="Create or upgrade a database.", no_args_is_help=True)


@db_app.command("upgrade")
def _db_upgrade(url: Annotated[str, typer.Argument(help="SQLite path or database URL.")]) -> None:
    """Create the database and its schema, or upgrade the schema to this otocore's revision.

    The only command that creates an SQLite file; the others refuse a path
    that does not exist.
    """
    from otocore.adapters.sql import upgrade

    revision = upgrade(url, busy_timeout=busy_timeout())
    console().print(f"database at schema revision {revision}")
