"""Every database failure through the command line: one line, exit code 1, nothing left behind.

SQLite's cases (the PostgreSQL ones are in tests/contract/test_cli_db_failures.py): a
mistyped path (no file is created), a missing folder, a file that is not a database, a
database without otocore's schema or at an old revision, a file locked by another process
past the busy timeout, and a file deleted or replaced while a command runs. The library
raises the same :class:`~otocore.errors.OtocoreError` the command line prints. Without
``--debug`` nothing ever prints a traceback, not even an error otocore did not expect.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command

import otocore.daily
from _support.cli import run
from otocore.adapters.sql import open_database, upgrade
from otocore.adapters.sql._engine import create_engine
from otocore.adapters.sql._errors import storage_error
from otocore.adapters.sql._schema import alembic_config
from otocore.cli._common import open_db
from otocore.errors import SchemaVersionError, StorageError, StoreBusy, StoreUnavailable

DAY = "2026-06-01"

# a command of each area that opens the database given by --db
COMMANDS: dict[str, Callable[[str], list[str]]] = {
    "daily": lambda db: ["daily", "--db", db, "--as-of", DAY],
    "suggestions": lambda db: ["suggestions", "--db", db, "--seller", "V01", "--date", DAY],
    "explain": lambda db: ["explain", "C1", "--db", db, "--date", DAY],
    "customers show": lambda db: ["customers", "show", "C1", "--db", db],
    "sellers list": lambda db: ["sellers", "list", "--db", db],
}


@pytest.fixture
def brand(tmp_path: Path) -> str:
    """A migrated, empty SQLite database."""
    path = tmp_path / "brand.sqlite"
    upgrade(path)
    return str(path)


def _one_line(err: str) -> str:
    """The single line the command printed on stderr (fails on more, or on a traceback)."""
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ")
    return lines[0]


# a mistyped path: no file, and a message that says how to create it ----------------------


@pytest.mark.parametrize("name", COMMANDS)
def test_a_mistyped_db_path_creates_no_file(
    name: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    typo = tmp_path / "typo.sqlite"
    code, out, err = run(capsys, *COMMANDS[name](str(typo)))
    assert code == 1
    assert out == ""
    assert _one_line(err) == (
        f"error: {typo} does not exist; create it with `otocore db upgrade {typo}`"
    )
    assert list(tmp_path.iterdir()) == []  # no typo.sqlite, no -wal, no -shm


def test_a_mistyped_relative_path_is_named_as_typed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, *COMMANDS["daily"]("typo.sqlite"))
    assert code == 1
    assert _one_line(err) == (
        "error: typo.sqlite does not exist; create it with `otocore db upgrade typo.sqlite`"
    )
    assert not (tmp_path / "typo.sqlite").exists()
    # db upgrade, and only it, creates the file; then the command works
    assert run(capsys, "db", "upgrade", "typo.sqlite")[0] == 0
    assert run(capsys, *COMMANDS["daily"]("typo.sqlite"))[0] == 0


def test_the_library_creates_no_file_either(tmp_path: Path) -> None:
    typo = tmp_path / "typo.sqlite"
    with pytest.raises(StoreUnavailable, match="does not exist; create it with") as caught:
        open_database(typo)
    assert caught.value.store == f"sqlite+pysqlite:///{typo}"
    assert not typo.exists()
    assert not typo.parent.joinpath("typo.sqlite-wal").exists()


def test_an_engine_that_may_not_create_does_not_create(tmp_path: Path) -> None:
    """Beneath the existence check: SQLite opens the file with mode=rw, never creating it."""
    typo = tmp_path / "typo.sqlite"
    engine = create_engine(typo, create=False)
    try:
        with pytest.raises(Exception, match="unable to open database file"):
            engine.connect().close()
    finally:
        engine.dispose()
    assert not typo.exists()


def test_a_database_without_otocore_schema_says_how_to_create_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    sqlite3.connect("empty.sqlite").close()  # an empty SQLite database
    code, _, err = run(capsys, *COMMANDS["suggestions"]("empty.sqlite"))
    assert code == 1
    assert _one_line(err) == (
        "error: empty.sqlite has no otocore schema;"
        " create it with `otocore db upgrade empty.sqlite`"
    )
    with pytest.raises(SchemaVersionError) as caught:
        open_database("empty.sqlite")
    assert err.strip() == f"error: {caught.value}"
    assert caught.value.found is None
    assert caught.value.store == "empty.sqlite"


def test_a_database_at_an_old_revision_says_to_upgrade_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    old = tmp_path / "old.sqlite"
    engine = create_engine(old)
    try:
        with engine.connect() as conn, alembic_config(conn) as config:
            command.upgrade(config, "0001")
            if conn.in_transaction():
                conn.commit()
    finally:
        engine.dispose()
    code, _, err = run(capsys, *COMMANDS["daily"](str(old)))
    assert code == 1
    assert _one_line(err) == (
        f"error: {old} is at revision '0001' but this otocore needs '0013';"
        f" upgrade it with `otocore db upgrade {old}`"
    )
    assert run(capsys, "db", "upgrade", str(old))[0] == 0
    assert run(capsys, *COMMANDS["daily"](str(old)))[0] == 0


# cannot open ---------------------------------------------------------------------------


def test_a_missing_folder_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "no-such-folder" / "brand.sqlite"
    code, _, err = run(capsys, *COMMANDS["daily"](str(path)))
    assert code == 1
    assert _one_line(err) == (
        f"error: {path} does not exist; create it with `otocore db upgrade {path}`"
    )
    code, _, err = run(capsys, "db", "upgrade", str(path))
    assert code == 1
    line = _one_line(err)
    assert f"cannot open the database sqlite+pysqlite:///{path}" in line
    assert "(unable to open database file)" in line
    assert "directory exists" in line
    assert not path.parent.exists()


@pytest.mark.parametrize("name", ["daily", "sellers list"])
def test_a_file_that_is_not_a_database_is_one_line(
    name: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("these are notes, not a database\n" * 200, encoding="utf-8")
    code, _, err = run(capsys, *COMMANDS[name](str(path)))
    assert code == 1
    line = _one_line(err)
    assert line == (
        f"error: sqlite+pysqlite:///{path} is not a usable SQLite database"
        " (file is not a database): check the path"
    )
    with pytest.raises(StoreUnavailable) as caught:  # the library raises the same error
        open_database(path)
    assert line == f"error: {caught.value}"
    assert path.read_text(encoding="utf-8").startswith("these are notes")


# locked, deleted, replaced while in use --------------------------------------------------

_HOLDER = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.read()  # hold the lock until the test closes our stdin
connection.execute("ROLLBACK")
"""


@pytest.fixture
def locked(brand: str) -> Iterator[str]:
    """``brand``, its write lock held by another process until the test ends."""
    with subprocess.Popen(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", _HOLDER, brand],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as holder:
        assert holder.stdin is not None
        assert holder.stdout is not None
        try:
            assert holder.stdout.readline().strip() == "locked"
            yield brand
        finally:
            holder.stdin.close()
            holder.wait(timeout=30)


def test_a_file_locked_by_another_process_is_one_line(
    capsys: pytest.CaptureFixture[str], locked: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OTOCORE_BUSY_TIMEOUT", "0.1")
    code, _, err = run(capsys, *COMMANDS["daily"](locked))
    assert code == 1
    line = _one_line(err)
    assert line.startswith(f"error: the database sqlite+pysqlite:///{locked} is locked")
    assert "(database is locked)" in line
    code, _, err = run(capsys, "db", "upgrade", locked)
    assert code == 1
    assert "(database is locked)" in _one_line(err)
    with pytest.raises(StoreBusy, match="database is locked"):
        upgrade(locked, busy_timeout=0.1)


def test_a_bad_busy_timeout_is_one_line(
    capsys: pytest.CaptureFixture[str], brand: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OTOCORE_BUSY_TIMEOUT", "soon")
    code, _, err = run(capsys, *COMMANDS["daily"](brand))
    assert code == 1
    assert _one_line(err) == (
        "error: OTOCORE_BUSY_TIMEOUT must be a number of seconds >= 0, got 'soon'"
    )


def _delete(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _replace(path: Path) -> None:
    copy = path.with_name("copy.sqlite")
    shutil.copyfile(path, copy)
    os.replace(copy, path)


@pytest.mark.parametrize("lose", [_delete, _replace], ids=["deleted", "replaced"])
def test_a_file_lost_while_a_command_runs_is_one_line(
    lose: Callable[[Path], None],
    capsys: pytest.CaptureFixture[str],
    brand: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The database was opened and checked; then its file goes before the job writes.

    SQLite would go on writing to the deleted file (and say nothing); otocore refuses the
    next transaction instead, and a deleted file is not created again.
    """
    real = otocore.daily.run_daily

    def lose_the_file_first(uow: Any, *args: Any, **kwargs: Any) -> Any:
        lose(Path(brand))
        return real(uow, *args, **kwargs)

    monkeypatch.setattr(otocore.daily, "run_daily", lose_the_file_first)
    code, out, err = run(capsys, *COMMANDS["daily"](brand))
    assert code == 1
    assert out == ""
    assert _one_line(err) == (
        f"error: lost the database sqlite+pysqlite:///{brand}: its file was deleted or"
        " replaced while otocore had it open; nothing more was written to it: restore the"
        " file, then run again"
    )
    if lose is _delete:
        assert not Path(brand).exists()


def test_a_lost_file_is_store_unavailable_in_the_library(brand: str) -> None:
    with open_database(brand) as db:
        uow = db.unit_of_work()
        with uow:
            assert uow.stores.list() == []
        _delete(Path(brand))
        with pytest.raises(StoreUnavailable, match="was deleted or replaced") as caught, uow:
            uow.stores.list()
        assert isinstance(caught.value, StorageError)
        # and a new connection does not create the file again
        fresh = db.unit_of_work()
        with pytest.raises(StoreUnavailable, match="unable to open database file"), fresh:
            fresh.stores.list()
    assert not Path(brand).exists()


# SQLite stores are durable by default ----------------------------------------------------


def _synchronous(db: Any) -> int:
    with db.engine.connect() as conn:
        return int(conn.exec_driver_sql("PRAGMA synchronous").scalar_one())


def test_sqlite_files_are_durable_by_default(brand: str) -> None:
    full, normal = 2, 1
    with open_database(brand) as db:
        assert _synchronous(db) == full
    with open_database(brand, durable=False) as db:
        assert _synchronous(db) == normal
    db = open_db(brand)  # what every command, the accounts commands included, opens
    try:
        assert _synchronous(db) == full
    finally:
        db.close()


# no traceback, ever, unless --debug -----------------------------------------------------


def _explode(*_args: Any, **_kwargs: Any) -> None:
    raise RuntimeError("an unexpected failure\nwith a second line")


def test_an_unexpected_error_is_one_line_without_a_traceback(
    capsys: pytest.CaptureFixture[str], brand: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(otocore.daily, "run_daily", _explode)
    code, out, err = run(capsys, *COMMANDS["daily"](brand))
    assert code == 1
    assert out == ""
    assert _one_line(err) == (
        "error: internal error: RuntimeError: an unexpected failure"
        " (run `otocore --debug ...` to see the traceback)"
    )


def test_debug_shows_the_traceback(
    capsys: pytest.CaptureFixture[str], brand: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(otocore.daily, "run_daily", _explode)
    code, _, err = run(capsys, "--debug", *COMMANDS["daily"](brand))
    assert code == 1
    assert err.startswith("Traceback (most recent call last):")
    assert "in _explode" in err
    assert err.strip().splitlines()[-1].startswith("error: internal error: RuntimeError")
    # an otocore error too; and the next run without --debug is one line again
    typo = str(Path(brand).with_name("typo.sqlite"))
    code, _, err = run(capsys, "--debug", *COMMANDS["daily"](typo))
    assert code == 1
    assert "Traceback (most recent call last):" in err
    assert "otocore.errors.StoreUnavailable" in err
    assert err.strip().splitlines()[-1].startswith(f"error: {typo} does not exist")
    code, _, err = run(capsys, *COMMANDS["daily"](typo))
    assert _one_line(err).startswith(f"error: {typo} does not exist")


def test_the_installed_command_prints_one_line(tmp_path: Path) -> None:
    """The real entry point in a process of its own: stderr is exactly one line."""
    typo = tmp_path / "typo.sqlite"
    done = subprocess.run(  # noqa: S603 - this interpreter, otocore's own module
        [sys.executable, "-m", "otocore.cli", *COMMANDS["suggestions"](str(typo))],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "COLUMNS": "80"},
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == (
        f"error: {typo} does not exist; create it with `otocore db upgrade {typo}`\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_driver_message_of_several_lines_becomes_one() -> None:
    """psycopg lists every address it tried, with hints; the message keeps the first failure."""
    reason = (
        "connection failed: Multiple connection attempts failed. All failures were:\n"
        "- host: 'localhost', port: '1', hostaddr: '::1': connection failed: connection to"
        ' server at "::1", port 1 failed: Connection refused\n'
        "\tIs the server running on that host and accepting TCP/IP connections?\n"
        "- host: 'localhost', port: '1', hostaddr: '127.0.0.1': connection failed: connection"
        ' to server at "127.0.0.1", port 1 failed: Connection refused\n'
    )
    error = storage_error(
        sa.exc.OperationalError(None, None, ConnectionError(reason)),
        "postgresql+psycopg://oto:***@localhost:1/brisa",
    )
    assert isinstance(error, StoreUnavailable)
    assert str(error) == (
        "cannot open the database postgresql+psycopg://oto:***@localhost:1/brisa"
        " (connection failed: Multiple connection attempts failed. All failures were:"
        " host: 'localhost', port: '1', hostaddr: '::1': connection failed: connection to"
        ' server at "::1", port 1 failed: Connection refused): check the URL, the'
        " credentials, and that the server is running"
    )
