"""The customer dashboard on frames against the reference rule, on every engine, to the centavo.

Brands are small and dense with what breaks columnar code: several orders of a customer on
one local day (one visit), orders at 23:59 and 00:00 local time on the period's and the
return window's edges, Brazil's last daylight-saving nights, cancelled orders, online and
telesales orders (no visit), anonymous and unregistered customers, customers without a
loyalty program or category, discounts. The frame's ``placed_at`` is shown in a zone of
its own.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from _support.frames import ENGINES, convert
from otocore import insights
from otocore.customers import Customer, Loyalty
from otocore.insights import InsightsPolicy
from otocore.orders import Channel, Order, OrderStatus
from otocore.testing import money, orders

ANCHORS = st.sampled_from([date(2019, 2, 16), date(2018, 11, 4), date(2026, 11, 1)])
TIMES = st.sampled_from([time(0, 0), time(0, 30), time(12, 0), time(23, 30), time(23, 59)])
TOTALS = st.sampled_from([Decimal("50.00"), Decimal("99.90"), Decimal("0.00")]) | money()
FRAME_ZONES = st.sampled_from(["UTC", "America/Sao_Paulo", "Asia/Tokyo"])
PEOPLE = ["C1", "C2", "C3", "C10", "0"]
LOYALTIES = st.sampled_from(
    [
        None,
        Loyalty(program="Clube"),
        Loyalty(program="Clube", category="Ouro"),
        Loyalty(program="Clube", category="Prata"),
        Loyalty(program="VIP", category="Ouro"),
    ]
)
REGISTERED_AT = datetime(2015, 1, 1, tzinfo=ZoneInfo("UTC"))


def policies() -> st.SearchStrategy[InsightsPolicy]:
    return st.builds(
        lambda weekly, more, most, window, anonymous, zone: InsightsPolicy(
            weekly_days=weekly,
            fortnightly_days=weekly + more,
            monthly_days=weekly + more + most,
            window_days=window,
            anonymous_customer_ids=anonymous,
            time_zone=zone,
        ),
        st.integers(1, 10),
        st.integers(1, 10),
        st.integers(1, 20),
        st.sampled_from([1, 10, 30, 365]),
        st.sampled_from([frozenset(), frozenset({"0"})]),
        st.sampled_from(["America/Sao_Paulo", "America/Manaus", "UTC"]),
    )


@st.composite
def brands(draw: st.DrawFn, policy: InsightsPolicy) -> tuple[list[Order], list[Customer], date]:
    """Orders of a few customers around an anchor day, and the registered customers."""
    anchor = draw(ANCHORS)
    zone = ZoneInfo(policy.time_zone)
    days = st.integers(-40, 40).map(lambda n: anchor + timedelta(days=n))

    @st.composite
    def local_instant(draw: st.DrawFn) -> datetime:
        at = datetime.combine(draw(days), draw(TIMES), zone)
        return at.replace(fold=draw(st.integers(0, 1)))

    history = draw(
        st.lists(
            orders(
                customer_id=st.sampled_from(PEOPLE),
                store_id=st.sampled_from(["L1", "L2", "L10"]),
                seller_code=st.none(),
                status=st.sampled_from(
                    [OrderStatus.COMPLETED, OrderStatus.COMPLETED, OrderStatus.CANCELLED]
                ),
                channel=st.sampled_from([Channel.STORE, Channel.STORE, Channel.ONLINE]),
                placed_at=local_instant(),
                total=TOTALS,
                discount=st.just(Decimal("0.00")) | TOTALS,
            ),
            max_size=16,
            unique_by=lambda o: o.order_id,
        )
    )
    registered = draw(st.lists(st.sampled_from(PEOPLE), unique=True))
    customers = [
        Customer(
            customer_id=who, name="Ana Souza", registered_at=REGISTERED_AT, loyalty=draw(LOYALTIES)
        )
        for who in registered
    ]
    return history, customers, anchor


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
