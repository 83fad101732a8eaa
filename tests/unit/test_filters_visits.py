"""``store_visits_between``: the number of store visits in a window, as an audience filter."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from otocore.customers import Customer
from otocore.errors import ValidationError
from otocore.filters import CustomerFacts, StoreVisitsBetween, filter_to_data, parse_filter
from otocore.orders import Channel, Order, OrderStatus

SP = ZoneInfo("America/Sao_Paulo")
DAY = date(2026, 5, 10)
ANA = Customer(customer_id="C1", name="Ana", registered_at=datetime(2025, 1, 1, tzinfo=UTC))


def sale(
    n: int,
    day: date,
    *,
    hour: int = 12,
    channel: Channel = Channel.STORE,
    status: OrderStatus = OrderStatus.COMPLETED,
) -> Order:
    return Order(
        order_id=f"P{n}",
        customer_id="C1",
        store_id="L01",
        placed_at=datetime(day.year, day.month, day.day, hour, tzinfo=SP),
        total=Decimal("50.00"),
        seller_code=None,
        channel=channel,
        status=status,
    )


def visits(orders: list[Order], **window: int) -> bool:
    facts = CustomerFacts.build(ANA, orders, DAY)
    return StoreVisitsBetween(min=2, **window).matches(facts, DAY)


def test_a_visit_is_a_local_day_with_a_completed_store_purchase() -> None:
    same_day = [sale(1, date(2026, 5, 2), hour=9), sale(2, date(2026, 5, 2), hour=23)]
    assert not visits(same_day)  # two purchases, one day: one visit
    online = [sale(1, date(2026, 5, 2)), sale(2, date(2026, 5, 3), channel=Channel.ONLINE)]
    assert not visits(online)
    cancelled = [sale(1, date(2026, 5, 2)), sale(2, date(2026, 5, 3), status=OrderStatus.CANCELLED)]
    assert not visits(cancelled)
    after = [sale(1, date(2026, 5, 2)), sale(2, date(2026, 5, 11))]  # after the day
    assert not visits(after)
    assert visits([sale(1, date(2026, 5, 2)), sale(2, date(2026, 5, 3))])


def test_the_window_ends_on_the_day_and_has_days_days() -> None:
    # days=7 on 2026-05-10: visits on 2026-05-04 .. 2026-05-10 count, 2026-05-03 does not
    inside = [sale(1, date(2026, 5, 4)), sale(2, date(2026, 5, 10))]
    outside = [sale(1, date(2026, 5, 3)), sale(2, date(2026, 5, 10))]
    assert visits(inside, days=7)
    assert not visits(outside, days=7)
    assert visits(outside)  # no window: every visit up to the day


def test_weekly_fortnightly_monthly_as_the_dashboard_offers() -> None:
    weekly = parse_filter({"store_visits_between": {"min": 4, "days": 28}})
    fortnightly = parse_filter({"store_visits_between": {"min": 2, "days": 28}})
    orders = [sale(n, date(2026, 5, d)) for n, d in enumerate((1, 5, 8))]
    facts = CustomerFacts.build(ANA, orders, DAY)
    assert (weekly.matches(facts, DAY), fortnightly.matches(facts, DAY)) == (False, True)
    assert filter_to_data(weekly) == {"store_visits_between": {"min": 4, "days": 28}}
    never = StoreVisitsBetween(max=0)
    assert never.matches(CustomerFacts.build(ANA, [], DAY), DAY)


def test_bad_parameters_name_the_field() -> None:
    with pytest.raises(ValidationError, match=r"StoreVisitsBetween\.days must be >= 1"):
        StoreVisitsBetween(min=1, days=0)
    with pytest.raises(ValidationError, match="StoreVisitsBetween needs min, max or both"):
        StoreVisitsBetween(days=7)
    with pytest.raises(ValidationError, match=r"f\.store_visits_between\.days must be an integer"):
        parse_filter({"store_visits_between": {"min": 1, "days": "7"}}, path="f")


def test_facts_refuse_store_days_that_disagree_with_the_purchases() -> None:
    with pytest.raises(ValidationError, match="store_days must be empty without purchases"):
        CustomerFacts(customer=ANA, on=DAY, registered_on=date(2024, 12, 31), store_days={DAY})
    with pytest.raises(ValidationError, match="store_days must not be after the last purchase"):
        CustomerFacts(
            customer=ANA,
            on=DAY,
            registered_on=date(2024, 12, 31),
            last_purchase=date(2026, 5, 1),
            purchases=1,
            purchase_months={(2026, 5)},
            store_days={DAY},
        )
    with pytest.raises(ValidationError, match="store_days must be a set of local days"):
        CustomerFacts(customer=ANA, on=DAY, registered_on=date(2024, 12, 31), store_days="x")
