"""The customer dashboard on frames against the reference rule, on every engine, to the centavo.

Brands are small and dense with what breaks columnar code: several orders of a customer on
one local day (one visit), orders at 23:59 and 00:00 local time on the period's and the
return window's edges, Brazil's last daylight-saving nights, cancelled orders, online and
telesales orders (no visit), anonymous and unregistered customers, customers without a
loyalty program or category, discounts. The frame's ``placed_at`` is shown in a zone of
its own.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from _support.frames import ENGINES, convert
from _support.insights import FRAME_ZONES, brands, policies
from otocore import insights
from otocore.customers import Customer
from otocore.insights import InsightsPolicy
from otocore.orders import Order


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
@given(data=st.data(), policy=policies(), zone=FRAME_ZONES)
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
@given(data=st.data(), policy=policies(), zone=FRAME_ZONES)
def test_store_insights_on_frames_match_the_reference(
    engine: str, data: st.DataObject, policy: InsightsPolicy, zone: str
) -> None:
    history, customers, anchor = data.draw(brands(policy))
    first_day = anchor + timedelta(days=data.draw(st.integers(-20, 10)))
    last_day = first_day + timedelta(days=data.draw(st.integers(0, 20)))
    window = data.draw(st.sampled_from([1, 7, 30]))
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
