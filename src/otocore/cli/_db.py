"""``otocore db``: create or upgrade a database."""

from __future__ import annotations

from typing import Annotated

import typer

from otocore.cli._common import console

db_app = typer.Typer(help="Create or upgrade a database.", no_args_is_help=True)


@db_app.command("upgrade")
def _db_upgrade(url: Annotated[str, typer.Argument(help="SQLite path or database URL.")]) -> None:
    """Create the schema, or upgrade it to this otocore's revision."""
    from otocore.adapters.sql import upgrade

    revision = upgrade(url)
    console().print(f"database at schema revision {revision}")
