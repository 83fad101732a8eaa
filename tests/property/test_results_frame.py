"""The columnar results views (compute_results_frame, load_results) equal the reference, always.

:func:`otocore.results.compute_results` is the oracle: on generated brands (those of
tests/property/test_results.py, plus online orders carrying seller codes) the columnar
path gives the same :class:`Results` value, to the centavo and the tie-break: totals,
stores, sellers, days, every sale row, and so the ranking.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, timedelta
from decimal import Decimal
from typing import Any

import attrs
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from _support.results import CODES, P_FIRST, P_LAST, WEEK, Brand, brands, policies, sale
from otocore.adapters.memory import InMemoryUnitOfWork
from otocore.adapters.memory import _contacts as memory_contacts
from otocore.adapters.memory import _portfolio as memory_portfolio
from otocore.attribution import AttributionPolicy
from otocore.contacts import Contact
from otocore.orders import Channel, Order
from otocore.results import (
    UNREGISTERED_STORE,
    Results,
    Scope,
    compute_results,
    compute_results_frame,
    load_results,
)

_ORDERS = {
    "order_id": pl.String,
    "customer_id": pl.String,
    "store_id": pl.String,
    "seller_code": pl.String,
    "placed_at": pl.Datetime("us", "UTC"),
    "total_cents": pl.Int64,
    "status": pl.String,
    "channel": pl.String,
}
_CONTACTS = {
    "contact_id": pl.String,
    "seller_code": pl.String,
    "customer_id": pl.String,
    "started_at": pl.Datetime("us", "UTC"),
    "outcome": pl.String,
}


def orders_frame(orders: Iterable[Order]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            (
                o.order_id,
                o.customer_id,
                o.store_id,
                o.seller_code,
                o.placed_at.astimezone(UTC),
                int(o.total * 100),
                o.status.value,
                o.channel.value,
            )
            for o in orders
        ],
        schema=_ORDERS,
        orient="row",
    )


def contacts_frame(contacts: Iterable[Contact]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            (
                c.contact_id,
                c.seller_code,
                c.customer_id,
                c.started_at.astimezone(UTC),
                c.outcome.value,
            )
            for c in contacts
        ],
        schema=_CONTACTS,
        orient="row",
    )


@st.composite
def coded_brands(draw: st.DrawFn) -> Brand:
    """:func:`brands`, with some orders online or by telesales, some carrying a seller code,
    and orders placed soon after a contact (so that most brands have attributed sales)."""
    brand = draw(brands())
    followed = [
        sale(
            f"Q{i}",
            c.customer_id,
            c.started_at + timedelta(minutes=draw(st.sampled_from([0, 1, 60, 24 * 60 * 7]))),
            str(Decimal(draw(st.integers(0, 100_000))) / 100),
            store=draw(st.sampled_from(["L1", "L2"])),
            cancelled=draw(st.booleans()),
        )
        for i, c in enumerate(brand.contacts)
        if draw(st.booleans())
    ]
    orders = tuple(
        attrs.evolve(
            o,
            channel=draw(st.sampled_from(Channel)),
            seller_code=draw(st.one_of(st.none(), st.sampled_from(CODES))),
        )
        for o in (*brand.orders, *followed)
    )
    return attrs.evolve(brand, orders=orders)


def scopes() -> st.SearchStrategy[Scope]:
    return st.one_of(
        st.just(Scope()),
        st.builds(Scope, store_id=st.sampled_from(["L1", "L2", "L9", UNREGISTERED_STORE])),
        st.builds(Scope, seller_code=st.sampled_from(CODES)),
    )


def both(
    brand: Brand, policy: AttributionPolicy, scope: Scope, **extra: Any
) -> tuple[Results, Results]:
    reference = compute_results(
        first_day=P_FIRST, last_day=P_LAST, scope=scope, policy=policy, **brand.inputs(), **extra
    )
    columnar = compute_results_frame(
        first_day=P_FIRST,
        last_day=P_LAST,
        scope=scope,
        policy=policy,
        orders=orders_frame(brand.orders),
        contacts=contacts_frame(brand.contacts),
        suggestions=brand.suggestions,
        sellers=brand.sellers,
        **extra,
    )
    return reference, columnar


@given(brand=coded_brands(), policy=policies(), scope=scopes())
def test_the_columnar_results_equal_the_reference(
    brand: Brand, policy: AttributionPolicy, scope: Scope
) -> None:
    reference, columnar = both(brand, policy, scope)
    assert columnar.sales == reference.sales  # each sale row: contact, days, total, cancelled
    assert columnar.sellers == reference.sellers
    assert columnar.ranking == reference.ranking
    assert columnar == reference
    assert columnar.to_rows("sales") == reference.to_rows("sales")


@given(brand=coded_brands(), policy=policies())
def test_read_from_a_store_the_columnar_results_equal_the_reference(
    brand: Brand, policy: AttributionPolicy
) -> None:
    uow = InMemoryUnitOfWork()
    brand.load(uow)
    reference = compute_results(first_day=P_FIRST, last_day=P_LAST, policy=policy, **brand.inputs())
    assert load_results(uow, P_FIRST, P_LAST, policy=policy) == reference


def test_the_worked_week_is_the_same_on_frames_with_quantities() -> None:
    policy = AttributionPolicy()
    first, last = date(2026, 11, 2), date(2026, 11, 8)
    common: dict[str, Any] = {
        "first_day": first,
        "last_day": last,
        "policy": policy,
        "sellers": WEEK.sellers,
        "suggestions": WEEK.suggestions,
        "quantities": {"P1": 3, "P5": 1},
    }
    reference = compute_results(contacts=WEEK.contacts, orders=WEEK.orders, **common)
    columnar = compute_results_frame(
        orders=orders_frame(WEEK.orders), contacts=contacts_frame(WEEK.contacts), **common
    )
    assert columnar == reference
    quantities = {s.order_id: s.product_quantity for s in columnar.sales}
    assert quantities["P1"] == 3
    assert quantities["P5"] == 1
    assert quantities["P2"] is None


def test_load_results_reads_frames_and_builds_no_order_or_contact(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A month of a large brand is read as columns: the object streams are never asked for."""

    def refused(*_: object, **__: object) -> None:
        raise AssertionError("load_results must read frames, not Order, Contact, Suggestion values")

    monkeypatch.setattr(memory_portfolio.Orders, "iter_all", refused)
    monkeypatch.setattr(memory_contacts.Contacts, "iter_since", refused)
    monkeypatch.setattr(memory_contacts.Suggestions, "iter_days", refused)
    uow = InMemoryUnitOfWork()
    WEEK.load(uow)
    first, last = date(2026, 11, 2), date(2026, 11, 8)
    reference = compute_results(first_day=first, last_day=last, **WEEK.inputs())
    assert load_results(uow, first, last) == reference


def test_quantities_may_come_from_one_read_of_the_attributed_sales() -> None:
    asked: list[list[str]] = []

    def read(order_ids: list[str]) -> dict[str, int]:
        asked.append(order_ids)
        return {"P1": 3, "P9": 7}

    common: dict[str, Any] = {
        "first_day": date(2026, 11, 2),
        "last_day": date(2026, 11, 8),
        "sellers": WEEK.sellers,
    }
    columnar = compute_results_frame(
        orders=orders_frame(WEEK.orders),
        contacts=contacts_frame(WEEK.contacts),
        quantities=read,
        **common,
    )
    reference = compute_results(
        contacts=WEEK.contacts, orders=WEEK.orders, quantities={"P1": 3, "P9": 7}, **common
    )
    assert columnar == reference
    assert asked == [sorted(s.order_id for s in reference.sales)]
