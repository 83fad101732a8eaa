"""Telesales import files for the tests: generated rows, and a brand they import into.

:func:`telesales_rows` draws single rows (any order id); :func:`telesales_files`
draws whole orders (rows sharing their order's columns, one sku each), the
rows shuffled so that an order's rows need not be adjacent.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from otocore.adapters.memory import InMemoryUnitOfWork
from otocore.customers import Customer
from otocore.importing import RecordKind, TelesalesRow, to_cells
from otocore.sellers import Store
from otocore.testing._strategies import money

__all__ = [
    "CUSTOMERS",
    "NOW",
    "STORES",
    "brand",
    "stored_telesales",
    "telesales_files",
    "telesales_rows",
    "write_telesales",
]

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)
"""The import's clock in the tests."""
STORES = ("L01", "L02")
CUSTOMERS = ("C1", "C2")
_SKUS = ("CAMISA-P", "CAMISA-M", "CALCA-42", "TENIS-40", "MEIA")
_PLACED = st.datetimes(
    min_value=datetime(2024, 1, 1),  # bounds of naive draws, made UTC
    max_value=datetime(2026, 3, 1),
    timezones=st.just(UTC),
)
_PRICES = money(min_value=Decimal("0.01"), max_value=Decimal("999.99"))


def telesales_rows() -> st.SearchStrategy[TelesalesRow]:
    """Single telesales rows, each valid on its own."""
    return st.builds(
        TelesalesRow,
        order_id=st.from_regex(r"\AEXT-[0-9]{1,4}\Z"),
        customer_id=st.sampled_from(CUSTOMERS),
        store_id=st.sampled_from(STORES),
        placed_at=_PLACED,
        commercial_policy=st.sampled_from(["importados", "atacado"]),
        sku=st.sampled_from(_SKUS),
        quantity=st.integers(1, 50),
        list_price=_PRICES,
        manual_price=st.none() | _PRICES,
        operator_email=st.none() | st.just("ana@marca.com.br"),
    )


@st.composite
def _order_rows(draw: st.DrawFn, order_id: str, manual: bool) -> list[TelesalesRow]:
    head = draw(telesales_rows())
    skus = draw(st.lists(st.sampled_from(_SKUS), min_size=1, max_size=3, unique=True))
    return [
        TelesalesRow(
            order_id=order_id,
            customer_id=head.customer_id,
            store_id=head.store_id,
            placed_at=head.placed_at,
            commercial_policy=head.commercial_policy,
            operator_email=head.operator_email,
            sku=sku,
            quantity=draw(st.integers(1, 50)),
            list_price=draw(_PRICES),
            manual_price=draw(st.none() | _PRICES) if manual else None,
        )
        for sku in skus
    ]


@st.composite
def telesales_files(draw: st.DrawFn, *, manual: bool = True) -> list[list[TelesalesRow]]:
    """Orders of distinct ids, each the list of its rows (the file holds them shuffled)."""
    ids = draw(st.lists(st.from_regex(r"\AEXT-[0-9]{1,4}\Z"), unique=True, max_size=5))
    return [draw(_order_rows(order_id, manual)) for order_id in ids]


def brand() -> InMemoryUnitOfWork:
    """A store holding the customers and stores the generated rows name."""
    uow = InMemoryUnitOfWork()
    with uow:
        for store_id in STORES:
            uow.stores.add(Store(store_id=store_id, name=f"Loja {store_id}"))
        for customer_id in CUSTOMERS:
            uow.customers.add(
                Customer(
                    customer_id=customer_id,
                    name="Cliente",
                    registered_at=datetime(2024, 1, 1, tzinfo=UTC),
                )
            )
    return uow


def write_telesales(path: Path, rows: Sequence[TelesalesRow | dict[str, Any]]) -> Path:
    """A telesales CSV file of ``rows`` (values, or cells as :func:`to_cells` gives them)."""
    columns = list(RecordKind.TELESALES.columns)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow(to_cells(row) if isinstance(row, TelesalesRow) else row)
    return path


def stored_telesales(uow: InMemoryUnitOfWork) -> list[Any]:
    """Every telesales order stored, by id."""
    with uow:
        return sorted(uow.telesales.list(limit=1000), key=lambda order: order.order_id)
