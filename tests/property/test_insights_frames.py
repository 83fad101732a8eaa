"""The customer dashboard on frames against the reference rule, on every engine, to the centavo.

Brands are small and dense with what breaks columnar code: several orders of a customer on
one local day (one visit), orders at 23:59 and 00:00 local time on the period's and the
return window's edges, Brazil's last daylight-saving nights, cancelled orders, online and
telesales orders (no visit), anonymous and unregistered customers, customers without a
loyalty program or category, discounts. The frame's ``placed_at`` is shown in a zone of
its own.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from _support.frames import ENGINES, convert
from _support.insights import FRAME_ZONES, REGISTERED_AT, brands
from otocore import insights
from otocore.customers import Customer
from otocore.insights import InsightsPolicy
from otocore.orders import Order
from otocore.testing import insights_policies, return_windows


def order_frame(history: list[Order], engine: str, zone: str) -> Any:
    table = pa.table(
        {
            "order_id": pa.array([o.order_id for o in history], pa.string()),
            "customer_id": pa.array([o.customer_id for o in history], pa.string()),
            "store_id": pa.array([o.store_id for o in history], pa.string()),
            "seller_code": pa.array([o.seller_code for o in history], pa.string()),
            "placed_at": pa.array([o.placed_at for o in history], pa.timestamp("us", tz=zone)),
            "total_cents": pa.array([int(o.total * 100) for o in history], pa.int64()),
            "status": pa.array([o.status.value for o in history], pa.string()),
            "channel": pa.array([o.channel.value for o in history], pa.string()),
            "discount_cents": pa.array([int(o.discount * 100) for o in history], pa.int64()),
        }
    )
    return convert(table, engine)


def customer_frame(customers: list[Customer], engine: str) -> Any:
    table = pa.table(
        {
            "customer_id": pa.array([c.customer_id for c in customers], pa.string()),
            "loyalty_program": pa.array(
                [None if c.loyalty is None else c.loyalty.program for c in customers], pa.string()
            ),
            "loyalty_category": pa.array(
                [None if c.loyalty is None else c.loyalty.category for c in customers],
                pa.string(),
            ),
        }
    )
    return convert(table, engine)


@pytest.mark.parametrize("engine", ENGINES)
@given(data=st.data(), policy=insights_policies(), zone=FRAME_ZONES)
def test_customer_insights_on_frames_match_the_reference(
    engine: str, data: st.DataObject, policy: InsightsPolicy, zone: str
) -> None:
    history, _, anchor = data.draw(brands(policy))
    as_of = anchor + timedelta(days=data.draw(st.integers(-10, 45)))
    got = insights.compute_customer_insights_frame(
        order_frame(history, engine, zone), as_of=as_of, policy=policy
    )
    assert got == insights.compute_customer_insights(history, as_of=as_of, policy=policy)


@pytest.mark.parametrize("engine", ENGINES)
@given(data=st.data(), policy=insights_policies(), zone=FRAME_ZONES)
def test_store_insights_on_frames_match_the_reference(
    engine: str, data: st.DataObject, policy: InsightsPolicy, zone: str
) -> None:
    history, customers, anchor = data.draw(brands(policy))
    first_day = anchor + timedelta(days=data.draw(st.integers(-20, 10)))
    last_day = first_day + timedelta(days=data.draw(st.integers(0, 20)))
    window = data.draw(return_windows())
    store_id = data.draw(st.none() | st.sampled_from(["L1", "L10"]))
    got = insights.compute_store_insights_frame(
        first_day=first_day,
        last_day=last_day,
        orders=order_frame(history, engine, zone),
        customers=customer_frame(customers, engine),
        return_window_days=window,
        store_id=store_id,
        policy=policy,
    )
    assert got == insights.compute_store_insights(
        first_day=first_day,
        last_day=last_day,
        orders=history,
        customers=customers,
        return_window_days=window,
        store_id=store_id,
        policy=policy,
    )


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago", "America/Sao_Paulo"])
def test_the_store_plans_keep_every_order_of_the_periods_and_windows_edges(
    engine: str, zone: str
) -> None:
    # the store plans narrow the orders on the instant before taking local days: the first
    # minute of the period and the last minute of the return window must stay, in the zones
    # furthest ahead of UTC (+14) and behind it (-11), on every engine
    place = ZoneInfo(zone)
    first_day, last_day, window = date(2026, 3, 1), date(2026, 3, 31), 30

    def sale(order_id: str, who: str, at: datetime) -> Order:
        return Order(
            order_id=order_id,
            customer_id=who,
            store_id="L1",
            seller_code=None,
            placed_at=at.replace(tzinfo=place),
            total=Decimal("10.00"),
        )

    edge = datetime(2026, 3, 31, 23, 59) + timedelta(days=window)  # last + N, 23:59 local
    history = [
        sale("P1", "C1", datetime(2026, 3, 1, 0, 0)),  # the period's first minute
        sale("P2", "C1", datetime(2026, 3, 1, 0, 0) + timedelta(days=window)),  # d0 + N: 31 March
        sale("P3", "C2", datetime(2026, 3, 31, 23, 59)),  # the period's last minute
        sale("P4", "C2", edge),  # the window's last minute: a return
        sale("P5", "C3", datetime(2026, 2, 28, 23, 59)),  # the day before: not in the period
        sale("P6", "C3", edge + timedelta(minutes=1)),  # after the window: no return
    ]
    customers = [
        Customer(customer_id=who, name="Ana Souza", registered_at=REGISTERED_AT)
        for who in ("C1", "C2", "C3")
    ]
    policy = InsightsPolicy(time_zone=zone)
    got = insights.compute_store_insights_frame(
        first_day=first_day,
        last_day=last_day,
        orders=order_frame(history, engine, "UTC"),
        customers=customer_frame(customers, engine),
        return_window_days=window,
        policy=policy,
    )
    t = got.totals
    assert (t.sales, t.customers, t.returning_customers) == (3, 2, 2)
    assert got == insights.compute_store_insights(
        first_day=first_day,
        last_day=last_day,
        orders=history,
        customers=customers,
        return_window_days=window,
        policy=policy,
    )
