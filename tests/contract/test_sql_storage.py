"""How the SQL adapter keeps values, sets up SQLite, and streams."""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from _support.builders import SP
from otocore.adapters.sql import Database, open_database
from otocore.errors import ValidationError
from otocore.orders import Order


def _order(n: int, when: datetime, total: str = "10.5") -> Order:
    return Order(
        order_id=f"P{n:06d}",
        customer_id=f"C{n % 97}",
        store_id="L01",
        placed_at=when,
        total=Decimal(total),
        seller_code="V01",
    )


@pytest.fixture
def db(empty_url: str) -> Iterator[Database]:
    with open_database(empty_url, upgrade=True) as database:
        yield database


def test_instants_are_stored_in_utc_and_money_in_centavos(db: Database) -> None:
    uow = db.unit_of_work()
    with uow:
        uow.orders.add(_order(1, datetime(2026, 5, 10, 18, 30, 0, 5, tzinfo=SP)))
    with db.engine.connect() as conn:
        placed_at, cents = conn.execute(sa.text("SELECT placed_at, total_cents FROM orders")).one()
    assert cents == 1050
    if db.dialect == "sqlite":
        # fixed-width ISO 8601 in UTC: text order is time order
        assert placed_at == "2026-05-10T21:30:00.000005+00:00"
    else:
        assert placed_at == datetime(2026, 5, 10, 21, 30, 0, 5, tzinfo=UTC)


def test_corrupt_rows_are_reported_as_validation_errors(db: Database) -> None:
    uow = db.unit_of_work()
    with uow:
        uow.orders.add(_order(1, datetime(2026, 5, 10, tzinfo=UTC)))
    with db.engine.begin() as conn:
        conn.execute(sa.text("UPDATE orders SET status = 'lost'"))
    with uow, pytest.raises(ValidationError, match=r"Order\.status"):
        uow.orders.get("P000001")


def test_iter_all_streams_with_flat_memory(db: Database) -> None:
    uow = db.unit_of_work()
    n = 15_000
    start = datetime(2025, 1, 1, tzinfo=UTC)
    with uow:
        uow.orders.add_many(_order(i, start + timedelta(minutes=i)) for i in range(n))
    tracemalloc.start()
    try:
        with uow:
            count = sum(1 for _ in uow.orders.iter_all())
        streamed = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        with uow:
            everything = list(uow.orders.iter_all())
        listed = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == len(everything) == n
    # streaming holds one batch of rows, not the whole table
    assert streamed * 5 < listed, (streamed, listed)


def test_sqlite_connections_are_set_up(tmp_path: Path) -> None:
    path = tmp_path / "otocore.db"
    for durable, synchronous in ((False, 1), (True, 2)):
        with open_database(path, upgrade=True, durable=durable) as db, db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == synchronous
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000
            with pytest.raises(sa.exc.IntegrityError):  # foreign keys are enforced
                conn.exec_driver_sql(
                    "INSERT INTO rfv_scores VALUES ('2026-05-10', 'C1', 1, 1, '1', 1, 1, 1, 'x')"
                )
            conn.rollback()


def test_an_in_memory_database_lives_as_long_as_the_database_object() -> None:
    with open_database(":memory:", upgrade=True) as db:
        one, two = db.unit_of_work(), db.unit_of_work()
        with one:
            one.orders.add(_order(1, datetime(2026, 5, 10, tzinfo=UTC)))
        with two:
            assert two.orders.count() == 1
