"""Invariants of the customer dashboard's reference rule (otocore.insights)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import find, given
from hypothesis import strategies as st

from _support.insights import brands
from otocore.insights import (
    FrequencyClass,
    InsightsPolicy,
    compute_customer_insights,
    compute_store_insights,
)
from otocore.orders import OrderStatus
from otocore.serialization import converter
from otocore.testing import (
    insights_periods,
    insights_policies,
    insights_time_zones,
    return_windows,
)

RANK = {None: -1, **{c: i for i, c in enumerate(FrequencyClass)}}


@given(policy=insights_policies(), intervals=st.integers(1, 50), span=st.integers(0, 5000))
def test_the_frequency_class_is_monotone_in_the_mean_interval(
    policy: InsightsPolicy, intervals: int, span: int
) -> None:
    # a longer span over the same number of intervals never buys more often
    assert (
        RANK[policy.frequency_of(span, intervals)] <= RANK[policy.frequency_of(span + 1, intervals)]
    )
    # more intervals over the same span never buys less often
    assert (
        RANK[policy.frequency_of(span, intervals + 1)] <= RANK[policy.frequency_of(span, intervals)]
    )


@given(policy=insights_policies(), intervals=st.integers(1, 50), span=st.integers(0, 5000))
def test_the_class_is_the_mean_intervals_band(
    policy: InsightsPolicy, intervals: int, span: int
) -> None:
    mean = Decimal(span) / intervals
    got = policy.frequency_of(span, intervals)
    if mean <= policy.weekly_days:
        assert got is FrequencyClass.WEEKLY
    elif mean <= policy.fortnightly_days:
        assert got is FrequencyClass.FORTNIGHTLY
    elif mean <= policy.monthly_days:
        assert got is FrequencyClass.MONTHLY
    else:
        assert got is FrequencyClass.LESS_OFTEN
    assert policy.frequency_of(span, 0) is None


@given(data=st.data(), policy=insights_policies())
def test_customer_totals_add_up_to_the_brands_completed_orders(
    data: st.DataObject, policy: InsightsPolicy
) -> None:
    history, _, anchor = data.draw(brands(policy))
    as_of = anchor + timedelta(days=data.draw(st.integers(-10, 45)))
    dashboard = compute_customer_insights(history, as_of=as_of, policy=policy)
    zone = ZoneInfo(policy.time_zone)
    counted = [
        o
        for o in history
        if o.status is OrderStatus.COMPLETED
        and o.customer_id not in policy.anonymous_customer_ids
        and o.placed_at.astimezone(zone).date() <= as_of
    ]
    rows = dashboard.customers
    assert sum((c.total_spent for c in rows), Decimal("0.00")) == sum(
        (o.total for o in counted), Decimal("0.00")
    )
    assert sum((c.discounts for c in rows), Decimal("0.00")) == sum(
        (o.discount for o in counted), Decimal("0.00")
    )
    assert sum(c.completed_orders for c in rows) == len(counted)
    for c in rows:
        assert c.visits <= c.completed_orders
        assert c.purchase_days <= policy.window_days
        if c.first_visit is not None and c.last_visit is not None:
            assert (c.last_visit - c.first_visit).days + 1 >= c.visits
    # the same orders in another order give the same dashboard
    assert compute_customer_insights(history[::-1], as_of=as_of, policy=policy) == dashboard


@given(data=st.data(), policy=insights_policies())
def test_stores_add_up_to_the_brand_and_returns_stay_within_their_base(
    data: st.DataObject, policy: InsightsPolicy
) -> None:
    history, customers, anchor = data.draw(brands(policy))
    first_day = anchor + timedelta(days=data.draw(st.integers(-20, 10)))
    last_day = first_day + timedelta(days=data.draw(st.integers(0, 20)))
    window = data.draw(st.integers(1, 40))
    d = compute_store_insights(
        first_day=first_day,
        last_day=last_day,
        orders=history,
        customers=customers,
        return_window_days=window,
        policy=policy,
    )
    stores = [s.figures for s in d.stores]
    assert sum(f.sales for f in stores) == d.totals.sales
    assert sum((f.revenue for f in stores), Decimal("0.00")) == d.totals.revenue
    assert sum(f.unidentified_sales for f in stores) == d.totals.unidentified_sales
    for f in (*stores, d.totals):
        assert f.returning_customers <= f.customers
        assert sum(s.customers for s in f.loyalty) == f.customers
        if f.return_rate is not None:
            assert Decimal(0) <= f.return_rate <= Decimal(1)
    if stores:
        assert max(f.customers for f in stores) <= d.totals.customers
        assert d.totals.customers <= sum(f.customers for f in stores)
    # one store's dashboard is that store's row, and a longer window never lowers a return
    for row in d.stores:
        alone = compute_store_insights(
            first_day=first_day,
            last_day=last_day,
            orders=history,
            customers=customers,
            return_window_days=window,
            store_id=row.store_id,
            policy=policy,
        )
        assert alone.totals == row.figures
        assert [s.store_id for s in alone.stores] == [row.store_id]
    longer = compute_store_insights(
        first_day=first_day,
        last_day=last_day,
        orders=history[::-1],
        customers=customers[::-1],
        return_window_days=window + 1,
        policy=policy,
    )
    assert longer.totals.returning_customers >= d.totals.returning_customers
    assert longer.totals.customers == d.totals.customers


@given(data=st.data(), policy=insights_policies())
def test_a_store_without_a_sale_in_the_period_has_no_row(
    data: st.DataObject, policy: InsightsPolicy
) -> None:
    history, customers, anchor = data.draw(brands(policy))
    d = compute_store_insights(
        first_day=anchor, last_day=anchor, orders=history, customers=customers, policy=policy
    )
    assert all(s.figures.sales > 0 for s in d.stores)
    assert d.store("NOWHERE").sales == 0
    assert isinstance(d.first_day, date)


# the strategies of otocore.testing (insights_policies, return_windows, insights_periods) --


@given(insights_policies())
def test_every_generated_policy_round_trips_through_the_serialization(
    policy: InsightsPolicy,
) -> None:
    text = json.dumps(converter.unstructure(policy))
    assert converter.structure(json.loads(text), InsightsPolicy) == policy


@given(policy=insights_policies(), window=return_windows(), period=insights_periods())
def test_generated_inputs_are_what_the_dashboards_take(
    policy: InsightsPolicy, window: int, period: tuple[date, date]
) -> None:
    assert 1 <= policy.weekly_days < policy.fortnightly_days < policy.monthly_days <= 3650
    assert 1 <= policy.window_days <= 36500
    assert all(isinstance(i, str) and i for i in policy.anonymous_customer_ids)
    first_day, last_day = period
    d = compute_store_insights(
        first_day=first_day,
        last_day=last_day,
        orders=[],
        customers=[],
        return_window_days=window,
        policy=policy,
    )
    assert (d.first_day, d.last_day, d.return_window_days) == (first_day, last_day, window)
    assert compute_customer_insights([], as_of=last_day, policy=policy).customers == ()


def test_the_strategies_reach_the_documented_edges() -> None:
    policies = insights_policies()
    for edge in (
        lambda p: p.weekly_days == 1,
        lambda p: p.monthly_days == 3650,
        lambda p: p.fortnightly_days == p.weekly_days + 1,
        lambda p: p.monthly_days == p.fortnightly_days + 1,
        lambda p: p.window_days == 1,
        lambda p: p.window_days == 36500,
        lambda p: p.window_days < p.monthly_days,
        lambda p: "0" in p.anonymous_customer_ids,
        lambda p: len(p.anonymous_customer_ids) > 1,
        lambda p: p.time_zone == "Pacific/Kiritimati",
    ):
        assert edge(find(policies, edge))
    assert find(return_windows(), lambda n: n == 1) == 1
    assert find(return_windows(), lambda n: n == 3650) == 3650
    one_day = find(insights_periods(), lambda p: p[0] == p[1])
    assert one_day[0] == one_day[1]
    month = find(
        insights_periods(), lambda p: p[0].day == 1 and (p[1] + timedelta(days=1)).day == 1
    )
    assert month[0].month == month[1].month
    assert find(insights_time_zones(), lambda z: z == "Pacific/Pago_Pago") == "Pacific/Pago_Pago"
