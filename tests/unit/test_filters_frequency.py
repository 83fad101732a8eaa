"""``purchase_frequency_in``: Reshop's "Frequência de clientes" with the dashboard's own class.

The golden vectors (``tests/vectors/frequency``) are replayed through the three places the
rule is used: :func:`otocore.frequency.purchase_frequency`, the audience filter on facts
built from orders, and the customer dashboard's ``frequency``. A property checks that the
filter finds exactly whom the dashboard classes, for any orders and any policy.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from otocore.customers import Customer
from otocore.errors import ValidationError
from otocore.filters import (
    CustomerFacts,
    Not,
    PurchaseFrequencyIn,
    facts_for_brand,
    filter_to_data,
    parse_filter,
)
from otocore.frequency import FrequencyClass, frequency_class, purchase_frequency
from otocore.insights import InsightsPolicy, customer_insights
from otocore.orders import Channel, Order, OrderStatus
from otocore.testing import insights_policies, orders

SP = ZoneInfo("America/Sao_Paulo")
ANA = Customer(customer_id="C1", name="Ana", registered_at=datetime(2025, 1, 1, tzinfo=UTC))
VECTORS = Path(__file__).resolve().parents[1] / "vectors" / "frequency" / "purchase_frequency.json"
CASES: list[dict[str, Any]] = json.loads(VECTORS.read_text(encoding="utf-8"))["cases"]


def sale(n: int, day: date, *, channel: Channel = Channel.STORE, hour: int = 12) -> Order:
    return Order(
        order_id=f"P{n}",
        customer_id="C1",
        store_id="L01",
        placed_at=datetime(day.year, day.month, day.day, hour, tzinfo=SP),
        total=Decimal("50.00"),
        seller_code=None,
        channel=channel,
    )


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_golden_vectors_agree_in_the_rule_the_filter_and_the_dashboard(
    case: dict[str, Any],
) -> None:
    on = date.fromisoformat(case["on"])
    days = [date.fromisoformat(d) for d in case["days"]]
    params: dict[str, int] = case["params"]
    expected = None if case["expected"] is None else FrequencyClass(case["expected"])

    assert purchase_frequency(days, on, **params) is expected

    # half the sales online: the class reads purchase days of any channel
    history = [
        sale(n, d, channel=Channel.ONLINE if n % 2 else Channel.STORE) for n, d in enumerate(days)
    ]
    facts = CustomerFacts.build(ANA, history, on)
    for kind in FrequencyClass:
        node = parse_filter({"purchase_frequency_in": {"classes": [kind.value], **params}})
        assert node.matches(facts, on) is (kind is expected), kind

    policy = InsightsPolicy(**params)
    assert customer_insights("C1", history, as_of=on, policy=policy).frequency is expected


def test_cancelled_orders_are_not_purchase_days() -> None:
    on = date(2026, 5, 31)
    history = [sale(1, date(2026, 5, 1)), sale(2, date(2026, 5, 8))]
    weekly = PurchaseFrequencyIn(classes=[FrequencyClass.WEEKLY])
    assert weekly.matches(CustomerFacts.build(ANA, history, on), on)
    cancelled = [history[0], Order(**{**_fields(history[1]), "status": OrderStatus.CANCELLED})]
    assert not weekly.matches(CustomerFacts.build(ANA, cancelled, on), on)


def _fields(order: Order) -> dict[str, Any]:
    return {
        "order_id": order.order_id,
        "customer_id": order.customer_id,
        "store_id": order.store_id,
        "placed_at": order.placed_at,
        "total": order.total,
        "seller_code": order.seller_code,
        "channel": order.channel,
    }


def test_the_local_day_decides_not_the_utc_day() -> None:
    # 00:30 UTC on 9 May is 21:30 on 8 May in São Paulo: 1 and 8 May, 7 days apart
    on = date(2026, 5, 31)
    late = Order(
        **{
            **_fields(sale(2, date(2026, 5, 8))),
            "placed_at": datetime(2026, 5, 9, 0, 30, tzinfo=UTC),
        }
    )
    facts = CustomerFacts.build(ANA, [sale(1, date(2026, 5, 1)), late], on)
    assert PurchaseFrequencyIn(classes=[FrequencyClass.WEEKLY]).matches(facts, on)


def test_json_form_and_defaults_left_out() -> None:
    node = PurchaseFrequencyIn(classes=[FrequencyClass.MONTHLY, FrequencyClass.WEEKLY])
    assert filter_to_data(node) == {"purchase_frequency_in": {"classes": ["monthly", "weekly"]}}
    full = {
        "purchase_frequency_in": {
            "classes": ["weekly"],
            "window_days": 90,
            "weekly_days": 6,
            "fortnightly_days": 14,
            "monthly_days": 30,
        }
    }
    assert filter_to_data(parse_filter(full)) == full


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"purchase_frequency_in": {"classes": []}},
            "f.purchase_frequency_in.classes must not be empty, got []",
        ),
        (
            {"purchase_frequency_in": {"classes": ["semanal"]}},
            "f.purchase_frequency_in.classes[0] must be one of 'weekly', 'fortnightly', 'monthly', 'less_often', got 'semanal'",
        ),
        (
            {"purchase_frequency_in": {"classes": ["weekly"], "window_days": 0}},
            "f.purchase_frequency_in.window_days must be >= 1, got 0",
        ),
        (
            {"purchase_frequency_in": {"classes": ["weekly"], "monthly_days": 10}},
            "f.purchase_frequency_in.monthly_days must be > fortnightly_days 15, got 10",
        ),
        (
            {"purchase_frequency_in": {"weekly_days": 7}},
            "f.purchase_frequency_in.classes is required",
        ),
    ],
)
def test_bad_json_names_the_path_and_the_value(data: Any, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_filter(data, path="f")
    assert str(caught.value).startswith(message)


def test_bad_python_values_name_the_field() -> None:
    with pytest.raises(ValidationError, match=r"^PurchaseFrequencyIn.weekly_days must be <= 3650"):
        PurchaseFrequencyIn(classes=[FrequencyClass.WEEKLY], weekly_days=4000)
    with pytest.raises(ValidationError, match=r"^PurchaseFrequencyIn.classes\[0\] must be a Freq"):
        PurchaseFrequencyIn(classes=["weekly"])
    with pytest.raises(ValidationError, match=r"^window_days must be >= 1, got 0"):
        purchase_frequency([], date(2026, 5, 1), window_days=0)
    with pytest.raises(ValidationError, match=r"^days must be a date"):
        purchase_frequency(["2026-05-01"], date(2026, 5, 1))
    with pytest.raises(ValidationError, match=r"^purchase_frequency.monthly_days must be >"):
        purchase_frequency([], date(2026, 5, 1), monthly_days=15)


# properties -----------------------------------------------------------------------------

DAYS = st.dates(date(2025, 1, 1), date(2027, 12, 31))


@given(
    history=st.lists(
        orders(
            customer_id=st.sampled_from(["C1", "C2"]),
            placed_at=st.integers(0, 400 * 24).map(
                lambda h: datetime(2026, 1, 1, 12, tzinfo=UTC) + timedelta(hours=h)
            ),
        ),
        max_size=12,
        unique_by=lambda o: o.order_id,
    ),
    on=DAYS,
    policy=insights_policies(),
)
def test_the_filter_finds_exactly_whom_the_dashboard_classes(
    history: list[Order], on: date, policy: InsightsPolicy
) -> None:
    people = [
        Customer(customer_id=cid, name="X", registered_at=datetime(2025, 1, 1, tzinfo=UTC))
        for cid in ("C1", "C2")
    ]
    facts = facts_for_brand(people, history, on, time_zone=policy.time_zone)
    # the dashboard skips the brand's anonymous ids; the filter knows nothing of them
    plain = InsightsPolicy(
        weekly_days=policy.weekly_days,
        fortnightly_days=policy.fortnightly_days,
        monthly_days=policy.monthly_days,
        window_days=policy.window_days,
        time_zone=policy.time_zone,
    )
    for cid in ("C1", "C2"):
        shown = customer_insights(cid, history, as_of=on, policy=plain).frequency
        for kind in FrequencyClass:
            node = PurchaseFrequencyIn(
                classes=[kind],
                window_days=plain.window_days,
                weekly_days=plain.weekly_days,
                fortnightly_days=plain.fortnightly_days,
                monthly_days=plain.monthly_days,
            )
            assert node.matches(facts[cid], on) is (kind is shown)


@given(days=st.lists(DAYS, max_size=10), on=DAYS)
def test_the_classes_partition_customers_with_two_purchase_days(days: list[date], on: date) -> None:
    history = [sale(n, d) for n, d in enumerate(days)]
    facts = CustomerFacts.build(ANA, history, on)
    matched = [k for k in FrequencyClass if PurchaseFrequencyIn(classes=[k]).matches(facts, on)]
    counted = {d for d in days if d <= on and (on - d).days < 365}
    assert len(matched) == (1 if len(counted) >= 2 else 0)
    everyone = PurchaseFrequencyIn(classes=list(FrequencyClass))
    assert everyone.matches(facts, on) is (len(counted) >= 2)
    assert Not(everyone).matches(facts, on) is (len(counted) < 2)


@given(span=st.integers(0, 2000), intervals=st.integers(1, 50), more=st.integers(1, 100))
def test_a_longer_span_never_makes_the_class_more_frequent(
    span: int, intervals: int, more: int
) -> None:
    order = list(FrequencyClass)
    before = frequency_class(span, intervals)
    after = frequency_class(span + more, intervals)
    assert before is not None
    assert after is not None
    assert order.index(after) >= order.index(before)
