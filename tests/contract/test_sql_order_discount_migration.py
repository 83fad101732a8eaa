"""Migration 0011 (``orders.discount_cents``) on SQLite and PostgreSQL: orders stored before it
keep every column and get a discount of 0; a discount is stored to the centavo; down and up
again keeps the orders."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import sqlalchemy as sa
from alembic import command

from otocore.adapters.sql import open_database, upgrade
from otocore.adapters.sql._engine import create_engine
from otocore.adapters.sql._schema import alembic_config
from otocore.orders import Channel, Order, OrderStatus

OLD = Order(
    order_id="P1",
    customer_id="C1",
    store_id="L01",
    placed_at=datetime(2026, 11, 2, 18, tzinfo=UTC),
    total=Decimal("199.90"),
    seller_code="V01",
    status=OrderStatus.CANCELLED,
    channel=Channel.ONLINE,
)


def _migrate(url: str, revision: str, *, down: bool = False) -> None:
    engine = create_engine(url)
    try:
        with engine.connect() as conn, alembic_config(conn) as config:
            (command.downgrade if down else command.upgrade)(config, revision)
            if conn.in_transaction():
                conn.commit()
    finally:
        engine.dispose()


def _columns(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {c["name"] for c in sa.inspect(conn).get_columns("orders")}
    finally:
        engine.dispose()


def test_orders_before_0011_get_no_discount_and_keep_everything(empty_url: str) -> None:
    _migrate(empty_url, "0006")
    engine = create_engine(empty_url)
    try:
        with engine.begin() as conn:  # a row as otocore 0006 wrote it: no discount_cents
            conn.execute(
                sa.text(
                    "INSERT INTO orders (order_id, customer_id, store_id, placed_at, total_cents,"
                    " seller_code, status, channel) VALUES (:o, :c, :s, :p, :t, :v, :st, :ch)"
                ),
                {
                    "o": OLD.order_id,
                    "c": OLD.customer_id,
                    "s": OLD.store_id,
                    "p": OLD.placed_at.isoformat(timespec="microseconds")
                    if empty_url.startswith("sqlite")
                    else OLD.placed_at,
                    "t": 19990,
                    "v": OLD.seller_code,
                    "st": OLD.status.value,
                    "ch": OLD.channel.value,
                },
            )
    finally:
        engine.dispose()
    assert "discount_cents" not in _columns(empty_url)

    assert upgrade(empty_url) == "0013"
    with open_database(empty_url) as db, db.unit_of_work() as uow:
        assert uow.orders.get("P1") == OLD  # discount 0.00, every other column as it was
        new = Order(
            order_id="P2",
            customer_id="C1",
            store_id="L01",
            placed_at=datetime(2026, 11, 3, tzinfo=UTC),
            total=Decimal("90.00"),
            seller_code=None,
            discount=Decimal("9.99"),
        )
        uow.orders.add(new)
        uow.commit()
    with open_database(empty_url) as db, db.unit_of_work() as uow:
        assert uow.orders.get("P2").discount == Decimal("9.99")
        frame = uow.orders.placed_frame(
            since=datetime(2026, 11, 1, tzinfo=UTC), until=datetime(2026, 12, 1, tzinfo=UTC)
        )
        assert sorted(frame.select("order_id", "discount_cents").rows()) == [("P1", 0), ("P2", 999)]

    _migrate(empty_url, "0006", down=True)
    assert "discount_cents" not in _columns(empty_url)
    assert upgrade(empty_url) == "0013"
    with open_database(empty_url) as db, db.unit_of_work() as uow:
        assert uow.orders.get("P1") == OLD
        assert uow.orders.get("P2").discount == Decimal("0.00")  # the downgrade dropped it
