"""Stores for the contract suite, including a real, throwaway PostgreSQL server.

``postgres_server`` (session scope) starts a PostgreSQL cluster from Debian's
binaries (``/usr/lib/postgresql/*/bin``) in a temporary directory, listening
only on 127.0.0.1 on a free port (and on a Unix socket inside that
directory), with ``fsync=off`` for speed. As root (initdb refuses to run as
root) the server runs as the ``postgres`` system user through ``runuser``.
Missing binaries fail the session with a clear message: the suite never skips
PostgreSQL. Every test that runs on PostgreSQL carries the ``postgresql`` marker (the
store parameters below, and :func:`pytest_collection_modifyitems` for a test that names
the store itself), so ``pytest -m "not postgresql"`` runs without a server.

``make_uow`` gives every contract test a factory of units of work on empty
stores: memory, SQLite in memory, an SQLite file and PostgreSQL. The SQL
stores are cleaned by copying a migrated template (SQLite file), or deleting every
row (SQLite in memory, PostgreSQL), so each call costs milliseconds.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from _support.logs import delete_every_row
from otocore.adapters.memory import InMemoryDatabase, InMemoryUnitOfWork
from otocore.adapters.sql import Database, open_database, upgrade
from otocore.repositories import UnitOfWork
from otocore.testing.storage import CONTRACT_LOG_KEYS

POSTGRESQL = pytest.param("postgresql", marks=pytest.mark.postgresql)
STORES = ["memory", "sqlite-memory", "sqlite-file", POSTGRESQL]


# the PostgreSQL server ----------------------------------------------------------

_SERVER_FIXTURES = {"postgres_server", "postgres_database", "postgres_url"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark ``postgresql`` every contract test that uses the server.

    That is a test using a server fixture, or one parametrized with the store name
    ``"postgresql"`` (those reach the server through ``request.getfixturevalue``).
    """
    here = Path(__file__).parent
    for item in items:
        if not item.path.is_relative_to(here):
            continue
        callspec = getattr(item, "callspec", None)
        params = callspec.params.values() if callspec is not None else ()
        uses_server = _SERVER_FIXTURES & set(getattr(item, "fixturenames", ()))
        if uses_server or any(p == "postgresql" for p in params if isinstance(p, str)):
            item.add_marker(pytest.mark.postgresql)


@dataclass(frozen=True)
class PostgresServer:
    """A running throwaway cluster: where it listens and how to make databases in it."""

    host: str
    port: int
    user: str
    directory: Path

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{self.user}@{self.host}:{self.port}/{database}"

    def create_database(self, name: str | None = None) -> str:
        """Create an empty database; return its SQLAlchemy URL."""
        name = name or f"otocore_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(
            host=self.host, port=self.port, user=self.user, dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def _pg_bin() -> Path:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if not found:
        pytest.fail(
            "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin: install"
            " Debian's 'postgresql' package (scripts/ensure-postgres.sh does it); the contract"
            " suite runs every store, PostgreSQL included, and never skips it",
            pytrace=False,
        )
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(cmd: list[str], *, as_user: str | None) -> subprocess.CompletedProcess[str]:
    if as_user is not None:
        cmd = ["runuser", "-u", as_user, "--", *cmd]
    return subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=120)  # noqa: S603


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A real PostgreSQL server for the whole session, stopped and removed at the end."""
    bindir = _pg_bin()
    as_user = "postgres" if os.geteuid() == 0 else None
    directory = Path(tempfile.mkdtemp(prefix="otocore-pg-"))
    data = directory / "data"
    log = directory / "server.log"
    if as_user is not None:
        pw = pwd.getpwnam(as_user)
        os.chown(directory, pw.pw_uid, pw.pw_gid)
    directory.chmod(0o700)
    user = "postgres"
    init = _run(
        [
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-U",
            user,
            "--auth=trust",
            "--encoding=UTF8",
            "--no-locale",
            "--no-sync",
        ],
        as_user=as_user,
    )
    if init.returncode != 0:
        shutil.rmtree(directory, ignore_errors=True)
        pytest.fail(f"initdb failed:\n{init.stdout}\n{init.stderr}", pytrace=False)
    port = _free_port()
    options = (
        f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={directory}"
        " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        " -c max_connections=100"
    )
    start = _run(
        [str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w", "start"],
        as_user=as_user,
    )
    if start.returncode != 0:
        text = log.read_text() if log.exists() else ""
        shutil.rmtree(directory, ignore_errors=True)
        pytest.fail(f"pg_ctl start failed:\n{start.stdout}\n{start.stderr}\n{text}", pytrace=False)
    try:
        yield PostgresServer(host="127.0.0.1", port=port, user=user, directory=directory)
    finally:
        _run(
            [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
            as_user=as_user,
        )
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_database(postgres_server: PostgresServer) -> Iterator[Database]:
    """One migrated PostgreSQL database for the contract tests (truncated before each use)."""
    url = postgres_server.create_database("otocore_contract")
    db = open_database(url, upgrade=True, log_keys=CONTRACT_LOG_KEYS)
    yield db
    db.close()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """A brand-new, empty PostgreSQL database (no otocore schema)."""
    return postgres_server.create_database()


# SQLite -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file to copy from."""
    path = tmp_path_factory.mktemp("template") / "otocore.db"
    upgrade(str(path))
    return path


@pytest.fixture(scope="session")
def sqlite_memory_database() -> Iterator[Database]:
    """One migrated in-memory SQLite database (emptied before each use)."""
    db = open_database(":memory:", upgrade=True, log_keys=CONTRACT_LOG_KEYS)
    yield db
    db.close()


def emptied(db: Database) -> Database:
    """Delete every row of ``db`` (on tiny tables, much faster than TRUNCATE).

    The append-only logs' triggers are bypassed for it (tests/_support/logs.py).
    """
    with db.engine.begin() as conn:
        delete_every_row(conn)
    return db


# the stores -----------------------------------------------------------------------

UowFactory = Callable[[], UnitOfWork]


@pytest.fixture(params=STORES)
def store_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def make_uow(
    store_kind: str, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[UowFactory]:
    """A factory: each call returns a unit of work on a new, empty store of ``store_kind``."""
    opened: list[Database] = []
    counter = iter(range(1_000_000))

    def memory() -> UnitOfWork:
        return InMemoryUnitOfWork(database=InMemoryDatabase(log_keys=CONTRACT_LOG_KEYS))

    def sqlite_memory() -> UnitOfWork:
        return emptied(request.getfixturevalue("sqlite_memory_database")).unit_of_work()

    def sqlite_file() -> UnitOfWork:
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / f"store{next(counter)}.db"
        shutil.copyfile(template, path)
        # durable=False: the contract pins behaviour, not power-loss safety, and
        # synchronous=FULL costs an fsync per commit
        db = open_database(str(path), durable=False, log_keys=CONTRACT_LOG_KEYS)
        opened.append(db)
        return db.unit_of_work()

    def postgresql() -> UnitOfWork:
        return emptied(request.getfixturevalue("postgres_database")).unit_of_work()

    factories: dict[str, UowFactory] = {
        "memory": memory,
        "sqlite-memory": sqlite_memory,
        "sqlite-file": sqlite_file,
        "postgresql": postgresql,
    }
    yield factories[store_kind]
    for db in opened:
        with contextlib.suppress(Exception):
            db.close()


@pytest.fixture(params=["sqlite-file", POSTGRESQL])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of a new, empty database (no otocore schema): an SQLite file or PostgreSQL."""
    if request.param == "sqlite-file":
        (tmp_path / "empty.db").touch()  # an empty file is an empty SQLite database
        return f"sqlite:///{tmp_path / 'empty.db'}"
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return server.create_database()
