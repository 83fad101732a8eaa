"""Every PostgreSQL failure through the command line: one line, exit code 1, password hidden.

A refused port, an unknown host, a database or a role that does not exist, and a connection
terminated by the server while a command writes. Each is a
:class:`~otocore.errors.StoreUnavailable` in the library and one ``error:`` line naming the
URL (password as ``***``) and the server's reason on the command line, never a traceback.
(SQLite's cases are in tests/unit/test_cli_failures.py.)
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from _support.cli import run
from otocore.adapters.sql import open_database, upgrade
from otocore.errors import StoreBusy, StoreUnavailable

pytestmark = pytest.mark.postgresql

SECRET = "s3cr3t-pw"  # noqa: S105 - a password that must never be printed
DAILY = ["daily", "--as-of", "2026-06-01"]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _one_line(err: str) -> str:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ")
    assert SECRET not in err
    return lines[0]


def _fails_in_one_line(capsys: pytest.CaptureFixture[str], url: str) -> str:
    """The line ``otocore daily --db URL`` printed; the library raised the same error."""
    code, out, err = run(capsys, *DAILY, "--db", url)
    assert code == 1
    assert out == ""
    line = _one_line(err)
    with pytest.raises(StoreUnavailable) as caught:
        open_database(url)
    assert line == f"error: {caught.value}"
    assert not isinstance(caught.value, StoreBusy)
    return line


def test_a_refused_port_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    port = _free_port()
    line = _fails_in_one_line(capsys, f"postgresql://otocore:{SECRET}@127.0.0.1:{port}/otocore")
    assert f"postgresql+psycopg://otocore:***@127.0.0.1:{port}/otocore" in line
    assert "Connection refused" in line
    assert "the server is running" in line


def test_an_unknown_host_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    line = _fails_in_one_line(capsys, f"postgresql://otocore:{SECRET}@nohost.invalid/otocore")
    assert "postgresql+psycopg://otocore:***@nohost.invalid/otocore" in line
    assert "failed to resolve host 'nohost.invalid'" in line


def test_a_database_that_does_not_exist_is_one_line(
    capsys: pytest.CaptureFixture[str], postgres_server: Any
) -> None:
    host, port = postgres_server.host, postgres_server.port
    url = f"postgresql://{postgres_server.user}:{SECRET}@{host}:{port}/no_such_database"
    line = _fails_in_one_line(capsys, url)
    assert f"cannot open the database postgresql+psycopg://{postgres_server.user}:***@" in line
    assert 'database "no_such_database" does not exist' in line


def test_a_role_that_does_not_exist_is_one_line(
    capsys: pytest.CaptureFixture[str], postgres_server: Any
) -> None:
    host, port = postgres_server.host, postgres_server.port
    line = _fails_in_one_line(capsys, f"postgresql://nobody:{SECRET}@{host}:{port}/postgres")
    assert f"postgresql+psycopg://nobody:***@{host}:{port}/postgres" in line
    assert 'role "nobody" does not exist' in line


@contextmanager
def first_insert_killed() -> Iterator[list[str]]:
    """While active: the first INSERT of any engine has its connection terminated first.

    The server ends the backend (``pg_terminate_backend`` waits until it is gone), so the
    INSERT meets a dead connection: deterministic, mid-transaction. Yields the statements
    that were interrupted.
    """
    interrupted: list[str] = []

    def terminate(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if interrupted or not statement.lstrip().upper().startswith("INSERT"):
            return
        interrupted.append(statement)
        pid = conn.connection.dbapi_connection.info.backend_pid
        url = conn.engine.url.set(drivername="postgresql")
        with psycopg.connect(url.render_as_string(hide_password=False), autocommit=True) as admin:
            ended = admin.execute("SELECT pg_terminate_backend(%s, 30000)", [pid]).fetchone()
        assert ended == (True,)

    event.listen(Engine, "before_cursor_execute", terminate)
    try:
        yield interrupted
    finally:
        event.remove(Engine, "before_cursor_execute", terminate)


def test_a_connection_lost_while_a_command_writes_is_one_line(
    capsys: pytest.CaptureFixture[str], postgres_url: str
) -> None:
    upgrade(postgres_url)
    with first_insert_killed() as interrupted:
        code, out, err = run(capsys, *DAILY, "--db", postgres_url)
    assert len(interrupted) == 1  # an INSERT of the daily job was interrupted
    assert code == 1
    assert out == ""
    line = _one_line(err)
    assert line.startswith(f"error: lost the connection to the database {postgres_url} (")
    assert "terminating connection due to administrator command" in line
    assert line.endswith("check that the server is running, then run again")
    # nothing of the interrupted run was written; the next run goes ahead
    with open_database(postgres_url) as db, db.unit_of_work() as uow:
        assert uow.daily_runs.list() == []
    assert run(capsys, *DAILY, "--db", postgres_url)[0] == 0
