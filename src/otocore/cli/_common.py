"""What the commands share: the common options, opening the database, printing, usage errors."""

from __future__ import annotations

import contextlib
import enum
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from otocore._time import DEFAULT_TIME_ZONE

_E = TypeVar("_E", bound=enum.Enum)

BRAND_TIME_ZONE = DEFAULT_TIME_ZONE
"""The zone in which the command line reads "today" when no date is given."""

DbOption = Annotated[
    str,
    typer.Option(
        "--db",
        envvar="OTOCORE_DB",
        help="SQLite file path or SQLAlchemy URL (sqlite:///..., postgresql+psycopg://...).",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for programs.")]
DateArg = Annotated[str, typer.Option("--as-of", help="The local day, YYYY-MM-DD.")]
AsOption = Annotated[
    str,
    typer.Option(
        "--as",
        metavar="EMAIL",
        help="The acting account's login e-mail: authorized, and recorded in the audit log.",
    ),
]


def parse_day(option: str, value: str) -> date:
    """The day ``value`` names (YYYY-MM-DD), or a usage error naming ``option``."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{option}: expected YYYY-MM-DD, got {value!r}") from None


def today() -> date:
    """Today in the brand's time zone (the CLI's only read of the wall clock)."""
    from zoneinfo import ZoneInfo

    from otocore.clock import SystemClock

    return SystemClock().now().astimezone(ZoneInfo(BRAND_TIME_ZONE)).date()


def console(*, stderr: bool = False) -> Console:
    """Where the commands print: stdout (or stderr), without rich's highlighting.

    Tables fit the terminal's width (``COLUMNS`` when the output is piped, else
    80); lines of text are never wrapped, so they stay whole for ``grep``.
    """
    return Console(stderr=stderr, highlight=False, soft_wrap=True)


BUSY_TIMEOUT_VARIABLE = "OTOCORE_BUSY_TIMEOUT"
"""Seconds to wait for a locked SQLite file before failing (default 30)."""


def busy_timeout() -> float:
    """The busy timeout the environment asks for (``OTOCORE_BUSY_TIMEOUT``), else 30 s."""
    import os

    from otocore.errors import ValidationError

    text = os.environ.get(BUSY_TIMEOUT_VARIABLE, "").strip()
    if not text:
        return 30.0
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise ValidationError(BUSY_TIMEOUT_VARIABLE, text, "must be a number of seconds >= 0")
    return seconds


_OPENED: list[Any] = []  # the databases this command opened; main() closes them at the end


def open_db(db: str, *, create: bool = False, log_keys: Any = None) -> Any:
    """The open database; its ``unit_of_work`` is the factory the services take.

    Only ``create`` (the demo) makes a new file: a mistyped path is an error
    that leaves nothing behind. The chained logs are sealed with the keys of
    ``OTOCORE_LOG_KEY_FILE`` or ``OTOCORE_LOG_KEY`` when one is set (``log_keys``, a
    keyring, wins: the demo's own key); with neither, an SQLite file made by
    ``otocore demo`` is opened with the key file the demo wrote beside it
    (:func:`demo_key_beside`). :func:`close_databases` closes it when the command ends.
    """
    from otocore.adapters.sql import open_database
    from otocore.cli._keys import configured_log_keys

    keys = configured_log_keys() if log_keys is None else log_keys
    if keys is None:
        keys = demo_key_beside(db)
    database = open_database(db, upgrade=create, busy_timeout=busy_timeout(), log_keys=keys)
    _OPENED.append(database)
    return database


DEMO_KEY_SUFFIX = "-log-key.json"
"""The demo's key file is ``<database stem>-log-key.json`` beside the SQLite file."""


def demo_key_beside(db: str) -> Any:
    """The keyring of the demo's key file beside the SQLite file ``db``, or ``None``.

    Only ``otocore demo`` writes such a file (when no key is configured), so that
    the other commands work on the demo's database; a brand configures its key
    with ``OTOCORE_LOG_KEY_FILE``, kept outside the database's folder.
    """
    from otocore.cli._keys import read_key_file

    if "://" in db or db == ":memory:":
        return None
    path = Path(db)
    key_file = path.with_name(f"{path.stem}{DEMO_KEY_SUFFIX}")
    return read_key_file(key_file) if key_file.is_file() else None


def close_databases() -> None:
    """Close every database the command opened (its pooled connections), come what may."""
    while _OPENED:
        database = _OPENED.pop()
        with contextlib.suppress(Exception):  # a dead connection must not hide the real error
            database.close()


def open_uow(db: str, *, create: bool = False) -> Any:
    """A unit of work on the database ``db``."""
    return open_db(db, create=create).unit_of_work()


def usage_error(message: str) -> typer.Exit:
    """Report a usage error on stderr; raise the result to exit with code 2."""
    typer.echo(f"Error: {message}", err=True)
    return typer.Exit(code=2)


def choice(option: str, value: str | None, kind: type[_E]) -> _E | None:
    """The member of ``kind`` that ``value`` names (``None`` for none), or a usage error."""
    if value is None:
        return None
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(str(m.value) for m in kind)
        raise typer.BadParameter(f"{option} must be one of {allowed}, got {value!r}") from None
