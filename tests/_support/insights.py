"""Brands for the customer dashboard's tests: orders, registered customers and policies.

The policies are ``otocore.testing.insights_policies()``. Small and dense with what breaks
the rule: several orders of a customer on one local day,
orders at 23:59 and 00:00 local time, Brazil's last daylight-saving nights, cancelled
orders, online orders (no visit), the anonymous id ``"0"`` and unregistered customers,
customers with and without a loyalty program or category, discounts.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from otocore.customers import Customer, Loyalty
from otocore.insights import InsightsPolicy
from otocore.orders import Channel, Order, OrderStatus
from otocore.testing import money, orders

__all__ = ["FRAME_ZONES", "brands"]

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
