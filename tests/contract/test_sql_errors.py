"""A failing SQL store raises an OtocoreError that names it and says what to do.

Two families, on an SQLite file and on PostgreSQL:

* **Busy.** A block that would wait for the write lock while another unit of
  work of the same thread holds it would wait forever (on SQLite for the whole
  30 s busy timeout, then fail): the store refuses it at once with
  :class:`~otocore.errors.StoreBusy`, saying to commit or roll back the open
  transaction. The case that led here: a caller writes in a block, then calls
  ``AccountService.login``, which opens its own unit of work. A lock held by
  someone else is still waited for, up to the busy timeout, and then is
  ``StoreBusy`` too.
* **Broken.** An unreachable server, a file that is not a database, a missing
  directory, a table that is gone, a connection killed mid-block: each is a
  :class:`~otocore.errors.StorageError` naming the database with its password
  hidden, never a bare SQLAlchemy error.
"""

from __future__ import annotations

import socket
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import event

from otocore.accounts import AccountService, SecurityPolicy
from otocore.adapters.mail import InMemoryMailer
from otocore.adapters.sql import Database, current_revision, open_database, upgrade
from otocore.auth import Account, Role, SecretHasher, normalize_login_email
from otocore.clock import FixedClock
from otocore.errors import OtocoreError, StorageError, StoreBusy
from otocore.orders import Order
from otocore.sellers import Store

STORES = ["sqlite-file", "postgresql"]
EMAIL = "ana.souza@example.com"
PASSWORD = "c0rreta-e-longa"  # noqa: S105 - a test account's password
PIN = "482913"
AT_ONCE = 5.0  # seconds: far below the 30 s default busy timeout


def _url(store: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if store == "sqlite-file":
        return f"sqlite:///{tmp_path / 'brand.db'}"
    return str(request.getfixturevalue("postgres_server").create_database())


@pytest.fixture(params=STORES)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated database with Ana's account, at the default 30 s busy timeout."""
    database = open_database(_url(request.param, request, tmp_path), upgrade=True)
    hasher = SecretHasher.insecure_for_tests()
    with database.unit_of_work() as uow:
        uow.accounts.add(
            Account(
                account_id="A1",
                email=normalize_login_email(EMAIL),
                roles={Role.SELLER},
                seller_code="V01",
                store_id="L01",
                password_hash=hasher.hash(PASSWORD),
                pin_hash=hasher.hash(PIN),
            )
        )
    yield database
    database.close()


def _service(db: Database) -> AccountService:
    return AccountService(
        db.unit_of_work,
        mailer=InMemoryMailer(),
        clock=FixedClock(datetime(2026, 5, 4, 9, 0, tzinfo=UTC)),
        policy=SecurityPolicy(app_url="https://app.example.com"),
        hasher=SecretHasher.insecure_for_tests(),
    )


def _libpq(db: Database) -> str:
    """The database's URL for psycopg itself."""
    return db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def _kill_other_connections(db: Database) -> None:
    with psycopg.connect(_libpq(db), autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


def _order(n: int) -> Order:
    return Order(
        order_id=f"P{n}",
        customer_id="C1",
        store_id="L01",
        placed_at=datetime(2026, 5, 10, 18, 30, tzinfo=UTC),
        total=Decimal("10.50"),
        seller_code=None,
    )


# busy: waits on this thread's own transaction are refused at once ---------------------


def test_login_inside_a_writing_block_is_store_busy_at_once(db: Database) -> None:
    service = _service(db)
    uow = db.unit_of_work()
    start = time.monotonic()

    def write_then_login() -> None:
        with uow.writing():
            uow.stores.add(Store(store_id="L01", name="Loja Centro"))
            service.login(EMAIL, PASSWORD, PIN)

    with pytest.raises(StoreBusy) as caught:
        write_then_login()
    assert time.monotonic() - start < AT_ONCE
    message = str(caught.value)
    assert "commit or roll back that transaction first" in message
    assert "`with uow.writing():` block" in message
    assert caught.value.store in message
    assert isinstance(caught.value, OtocoreError)
    # the caller's block was rolled back; once it has ended, login goes ahead
    with uow:
        assert uow.stores.list() == []
    assert service.login(EMAIL, PASSWORD, PIN).account_id == "A1"


def test_sqlite_login_after_a_write_in_a_plain_block_is_store_busy_at_once(
    tmp_path: Path,
) -> None:
    """The reported case: SQLite has one write lock, and the caller's write holds it."""
    url = f"sqlite:///{tmp_path / 'brand.db'}"
    with open_database(url, upgrade=True) as db:
        service = _service(db)
        with db.unit_of_work() as setup:
            setup.accounts.add(
                Account(
                    account_id="A1",
                    email=normalize_login_email(EMAIL),
                    roles={Role.SELLER},
                    password_hash=SecretHasher.insecure_for_tests().hash(PASSWORD),
                    pin_hash=SecretHasher.insecure_for_tests().hash(PIN),
                    seller_code="V01",
                    store_id="L01",
                )
            )
        uow = db.unit_of_work()
        start = time.monotonic()

        def write_then_login() -> None:
            with uow:
                uow.stores.add(Store(store_id="L01", name="Loja Centro"))
                service.login(EMAIL, PASSWORD, PIN)

        with pytest.raises(StoreBusy, match="a block that wrote"):
            write_then_login()
        assert time.monotonic() - start < AT_ONCE
        # a block that only read holds no lock: login inside it goes ahead
        with uow:
            assert uow.stores.list() == []
            assert service.login(EMAIL, PASSWORD, PIN).account_id == "A1"


def test_postgresql_login_after_a_plain_write_of_other_rows_goes_ahead(
    postgres_url: str,
) -> None:
    """PostgreSQL locks rows, not the database: a plain block's write of a store is no obstacle."""
    with open_database(postgres_url, upgrade=True) as db:
        hasher = SecretHasher.insecure_for_tests()
        with db.unit_of_work() as setup:
            setup.accounts.add(
                Account(
                    account_id="A1",
                    email=normalize_login_email(EMAIL),
                    roles={Role.SELLER},
                    seller_code="V01",
                    store_id="L01",
                    password_hash=hasher.hash(PASSWORD),
                    pin_hash=hasher.hash(PIN),
                )
            )
        uow = db.unit_of_work()
        with uow:
            uow.stores.add(Store(store_id="L01", name="Loja Centro"))
            assert _service(db).login(EMAIL, PASSWORD, PIN).account_id == "A1"
        with uow:
            assert [s.store_id for s in uow.stores.list()] == ["L01"]


def test_two_database_objects_on_one_file_are_one_database(db: Database) -> None:
    """A second ``open_database`` of the same database in this process sees the same lock."""
    other = open_database(db.engine.url)
    try:
        first, second = db.unit_of_work(), other.unit_of_work()
        start = time.monotonic()
        with pytest.raises(StoreBusy, match="same thread"), first.writing(), second.writing():
            pass  # pragma: no cover - never reached
        assert time.monotonic() - start < AT_ONCE
        with second.writing():  # the first block has ended: nothing is left held
            second.sequences.set("n", 1)
    finally:
        other.close()


def test_another_thread_still_waits_for_the_lock(db: Database) -> None:
    """Only a wait on the same thread is refused: another thread's block waits its turn."""
    first, second = db.unit_of_work(), db.unit_of_work()
    done = threading.Event()
    errors: list[BaseException] = []

    def other() -> None:
        try:
            with second.writing():
                second.sequences.set("n", second.sequences.current("n") + 1)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        done.set()

    thread = threading.Thread(target=other)
    with first.writing():
        first.sequences.set("n", 10)
        thread.start()
        assert not done.wait(0.5)  # waiting, not refused
    thread.join(timeout=30)
    assert errors == []
    with first:
        assert first.sequences.current("n") == 11


def test_nested_blocks_on_an_in_memory_database_are_store_busy() -> None:
    with open_database(":memory:", upgrade=True) as db:
        outer, inner = db.unit_of_work(), db.unit_of_work()
        with pytest.raises(StoreBusy, match="one block at a time"), outer, inner:
            pass  # pragma: no cover - never reached
        with inner:  # both blocks ended: the database is usable
            assert inner.stores.list() == []


# busy: a lock held elsewhere is waited for, then StoreBusy ------------------------------


def test_sqlite_lock_held_by_another_connection_is_store_busy_after_the_timeout(
    tmp_path: Path,
) -> None:
    path = tmp_path / "locked.db"
    upgrade(str(path))
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        with open_database(path, busy_timeout=0.2) as db:
            uow = db.unit_of_work()
            for block in (uow, uow.writing()):
                start = time.monotonic()
                with pytest.raises(StoreBusy) as caught, block:
                    uow.stores.add(Store(store_id="L01", name="Loja Centro"))
                assert 0.15 < time.monotonic() - start < AT_ONCE
                assert "database is locked" in str(caught.value)
                assert "commit or roll back that transaction first" in str(caught.value)
            with uow:  # reading is never blocked by a writer
                assert uow.stores.list() == []
        with pytest.raises(StoreBusy, match=r"is locked by another transaction"):
            open_database(path, busy_timeout=0.2, upgrade=True)
    finally:
        holder.close()


def test_postgresql_lock_timeout_is_store_busy(postgres_url: str) -> None:
    """A lock PostgreSQL gave up waiting for (``lock_timeout``) is StoreBusy too."""
    with open_database(postgres_url, upgrade=True) as db:
        with db.unit_of_work() as uow:
            uow.sequences.set("n", 1)

        @event.listens_for(db.engine, "connect")
        def _short_lock_timeout(dbapi_connection: psycopg.Connection, _record: object) -> None:
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '200ms'")
            dbapi_connection.commit()

        db.engine.dispose()  # new connections get the setting
        holder = psycopg.connect(_libpq(db))
        try:
            holder.execute("SELECT value FROM sequences WHERE name = 'n' FOR UPDATE")
            uow = db.unit_of_work()
            with pytest.raises(StoreBusy, match="lock timeout"), uow.writing():
                uow.sequences.current("n")  # FOR UPDATE in a writing block
        finally:
            holder.close()


# broken: unreachable, not a database, gone -----------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_unreachable_postgresql_server_is_a_storage_error_without_the_password() -> None:
    port = _free_port()
    url = f"postgresql://otocore:s3cr3t-pw@127.0.0.1:{port}/otocore"
    shown = f"postgresql+psycopg://otocore:***@127.0.0.1:{port}/otocore"
    for call in (open_database, upgrade, current_revision):
        with pytest.raises(StorageError) as caught:
            call(url)
        err = caught.value
        assert not isinstance(err, StoreBusy)
        assert err.store == shown
        assert shown in str(err)
        assert "s3cr3t-pw" not in str(err)
        assert "Connection refused" in str(err) or "connection failed" in str(err)
        assert "the server is running" in str(err)


@pytest.mark.parametrize("call", [open_database, upgrade, current_revision])
def test_a_file_that_is_not_a_database_is_a_storage_error(
    call: Callable[[Path], object], tmp_path: Path
) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are notes, not a database\n" * 200, encoding="utf-8")
    with pytest.raises(
        StorageError, match=r"is not a usable SQLite database \(file is not a database\)"
    ):
        call(path)


def test_a_missing_directory_is_a_storage_error(tmp_path: Path) -> None:
    path = tmp_path / "no-such-directory" / "brand.db"
    with pytest.raises(StorageError, match="unable to open database file") as caught:
        open_database(path, upgrade=True)
    assert str(path) in caught.value.store
    assert "directory exists" in str(caught.value)


def test_a_table_that_is_gone_is_a_storage_error_from_the_repository(db: Database) -> None:
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE orders")
    uow = db.unit_of_work()
    with uow:
        with pytest.raises(StorageError, match="orders") as caught:
            uow.orders.add(_order(1))
        assert caught.value.store in str(caught.value)
    with uow:
        stream = uow.orders.iter_all()  # the query runs at the first next()
        with pytest.raises(StorageError, match="orders"):
            next(stream)


def test_a_connection_killed_inside_a_block_is_a_storage_error(postgres_url: str) -> None:
    with open_database(postgres_url, upgrade=True) as db:
        uow = db.unit_of_work()

        def write_then_lose_the_connection() -> None:
            with uow:
                uow.orders.add(_order(1))  # the block's connection is open
                _kill_other_connections(db)
                uow.orders.count()

        with pytest.raises(StorageError) as caught:
            write_then_lose_the_connection()
        assert not isinstance(caught.value, StoreBusy)
        assert caught.value.store in str(caught.value)
        with uow:  # a new block gets a new connection; the killed block's write is gone
            assert uow.orders.count() == 0
