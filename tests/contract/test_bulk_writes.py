"""The import's bulk writes and the stores' trusted reads (issue 11).

* ``add_many`` of customers and orders stores what ``add`` stores, on every
  store; a key repeated in one call keeps its last value.
* Reading back rebuilds values through ``otocore._trusted.rebuild`` without
  running the validators: every valid value comes back equal, with every
  attribute as written (``Cpf.allow_repeated`` too, which equality ignores),
  and the validators accept what came back: the trusted path refuses nothing
  valid and lets nothing invalid through.
* On SQL stores the tuples ``bulk_upsert`` sends store exactly the rows the
  dict-based ``Repository._upsert_many`` stores.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import attrs
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from otocore.adapters.sql import SqlUnitOfWork
from otocore.adapters.sql import _rows as r
from otocore.adapters.sql import _tables as t
from otocore.adapters.sql._bulk import bulk_upsert
from otocore.customers import Customer
from otocore.errors import ValidationError
from otocore.orders import Order
from otocore.repositories import UnitOfWork
from otocore.testing import customers, orders

UowFactory = Callable[[], UnitOfWork]
FIXTURES = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)

CUSTOMER_LISTS = st.lists(customers(), max_size=6, unique_by=lambda c: c.customer_id)
ORDER_LISTS = st.lists(orders(), max_size=6, unique_by=lambda o: o.order_id)


def same_attributes(a: Any, b: Any) -> None:
    """Equal, attribute by attribute, nested values included (eq=False ones too)."""
    assert type(a) is type(b)
    if not attrs.has(type(a)):
        assert a == b
        if hasattr(a, "tzinfo"):
            assert a.tzinfo is b.tzinfo
        return
    for field in attrs.fields(type(a)):
        same_attributes(getattr(a, field.name), getattr(b, field.name))


def validated(value: Any) -> None:
    """The validators accept ``value`` and what it holds (attrs.validate runs them all)."""
    attrs.validate(value)
    for field in attrs.fields(type(value)):
        inner = getattr(value, field.name)
        if attrs.has(type(inner)):
            validated(inner)


@FIXTURES
@given(CUSTOMER_LISTS)
def test_customers_come_back_as_written_through_the_trusted_path(
    make_uow: UowFactory, written: list[Customer]
) -> None:
    uow = make_uow()
    with uow:
        uow.customers.add_many(written)
    with uow:
        back = uow.customers.list()
    assert back == sorted(written, key=lambda c: c.customer_id)
    for got, want in zip(back, sorted(written, key=lambda c: c.customer_id), strict=True):
        same_attributes(got, want)
        validated(got)


@FIXTURES
@given(ORDER_LISTS)
def test_orders_come_back_as_written_through_the_trusted_path(
    make_uow: UowFactory, written: list[Order]
) -> None:
    uow = make_uow()
    with uow:
        uow.orders.add_many(written)
    with uow:
        back = sorted(uow.orders.iter_all(), key=lambda o: o.order_id)
    want = sorted(written, key=lambda o: o.order_id)
    assert back == want
    for got, expected in zip(back, want, strict=True):
        validated(got)
        assert got.placed_at.tzinfo is expected.placed_at.tzinfo
        assert got.total == expected.total


@FIXTURES
@given(customers(), customers())
def test_a_repeated_customer_id_keeps_the_last(
    make_uow: UowFactory, first: Customer, second: Customer
) -> None:
    second = attrs.evolve(second, customer_id=first.customer_id)
    uow = make_uow()
    with uow:
        uow.customers.add_many([first, second])
    with uow:
        assert uow.customers.list() == [second]
        assert uow.customers.count() == 1


def _stored(uow: SqlUnitOfWork, table: sa.Table) -> list[tuple[Any, ...]]:
    with uow:
        pk = list(table.primary_key.columns)
        # raw text and numbers as the database keeps them, no result processing
        names = ", ".join(c.name for c in table.columns)
        sql = f"SELECT {names} FROM {table.name} ORDER BY {pk[0].name}"  # noqa: S608
        return [tuple(row) for row in uow._conn().exec_driver_sql(sql)]


@pytest.mark.parametrize("store_kind", ["sqlite-file", "postgresql"], indirect=True)
@FIXTURES
@given(CUSTOMER_LISTS, ORDER_LISTS)
def test_bulk_tuples_store_the_rows_the_dicts_store(
    make_uow: UowFactory, some_customers: list[Customer], some_orders: list[Order]
) -> None:
    bulk, rows = make_uow(), make_uow()
    assert isinstance(bulk, SqlUnitOfWork)
    assert isinstance(rows, SqlUnitOfWork)
    with bulk:
        bulk.customers.add_many(some_customers)
        bulk.orders.add_many(some_orders)
    with rows:
        repo = rows.orders
        repo._upsert_many(t.customers, [r.customer_row(c) for c in some_customers])
        repo._upsert_many(t.orders, [r.order_row(o) for o in some_orders])
    for table in (t.customers, t.orders):
        assert _stored(bulk, table) == _stored(rows, table)


@given(customers(), orders())
def test_tuples_and_rows_name_the_same_values(customer: Customer, order: Order) -> None:
    assert dict(zip(t.customers.c.keys(), r.customer_values(customer), strict=True)) == (
        r.customer_row(customer)
    )
    assert dict(zip(t.orders.c.keys(), r.order_values(order), strict=True)) == r.order_row(order)


@pytest.mark.parametrize("store_kind", ["sqlite-file", "postgresql"], indirect=True)
def test_a_row_the_database_refuses_is_sqlalchemys_error(make_uow: UowFactory) -> None:
    """COPY on PostgreSQL raises what executemany raises: SQLAlchemy's IntegrityError."""
    uow = make_uow()
    assert isinstance(uow, SqlUnitOfWork)
    empty = len(t.customers.columns) - 3
    row = ("C1", None, datetime(2026, 1, 1, tzinfo=UTC), *([None] * empty))  # name is NOT NULL
    with pytest.raises(sa.exc.IntegrityError), uow:
        bulk_upsert(uow._conn(), t.customers, [row])
    with uow:
        assert uow.customers.count() == 0


def test_a_total_too_large_to_store_names_its_order_in_the_batch(make_uow: UowFactory) -> None:
    small = Order(
        order_id="P1",
        customer_id="C1",
        store_id="L01",
        placed_at=datetime(2026, 5, 10, tzinfo=UTC),
        total=Decimal("10.00"),
        seller_code=None,
    )
    huge = attrs.evolve(small, order_id="P2", total=Decimal("92233720368547758.08"))
    uow = make_uow()
    with pytest.raises(ValidationError, match=r"at most 92233720368547758\.07") as caught, uow:
        uow.orders.add_many([small, huge])
    assert caught.value.field == "orders[1].total"
    with uow:
        uow.orders.add_many([attrs.evolve(huge, total=Decimal("92233720368547758.07"))])
        assert uow.orders.get("P2").total == Decimal("92233720368547758.07")
