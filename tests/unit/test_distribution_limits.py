"""The limits of otocore.distribution: the ends of the calendar, the longest window, the longest text.

The preferred-seller window is counted in local days ``as_of - window < d <= as_of``;
``as_of`` must leave room for that window (and two days after it) on the calendar
``datetime.date`` knows, from 0001-01-01 to 9999-12-31. Ids and seller codes are at most
100 characters.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import attrs
import pytest
from dateutil.relativedelta import relativedelta

from _support.builders import SP, seller
from otocore.distribution import (
    DecidedBy,
    Preference,
    PreferredSellerPolicy,
    SellerTally,
    ToSeller,
    preferred_seller,
    preferred_sellers,
    redistribute,
)
from otocore.errors import ValidationError
from otocore.orders import Order

ONE_DAY = PreferredSellerPolicy(window=relativedelta(days=1))
LONG = "V" * 100
TOO_LONG = "V" * 101


def order(seller: str, when: datetime, *, n: int = 1, customer: str = "C1") -> Order:
    return Order(
        order_id=f"P{n}",
        customer_id=customer,
        store_id="L01",
        placed_at=when,
        total=Decimal("10.00"),
        seller_code=seller,
    )


def sellers_of(history: list[Order], as_of: date, policy: PreferredSellerPolicy) -> list[str]:
    """The tallied sellers, the same through preferred_seller and preferred_sellers."""
    one = preferred_seller(history, as_of, policy=policy)
    brand = preferred_sellers(history, as_of, policy=policy)
    assert brand == ({} if one is None else {"C1": one})
    return [] if one is None else [t.seller_code for t in one.tallies]


def refused_as_of(as_of: date, policy: PreferredSellerPolicy) -> None:
    message = f"as_of must leave room for the window on the calendar, got {as_of!r}"
    for fn in (preferred_seller, preferred_sellers):
        with pytest.raises(ValidationError, match=f"^{re.escape(message)}$") as info:
            fn([], as_of, policy=policy)
        assert (info.value.field, info.value.value) == ("as_of", as_of)


# ---------------------------------------------------------------------------
# The ends of the calendar
# ---------------------------------------------------------------------------


def test_the_last_as_of_is_two_days_before_the_end_of_the_calendar() -> None:
    as_of = date(9999, 12, 29)
    history = [
        order("V01", datetime(9999, 12, 29, 12, tzinfo=SP), n=1),  # as_of: counts
        order("V02", datetime(9999, 12, 30, 12, tzinfo=UTC), n=2),  # after as_of
        order("V03", datetime(9999, 12, 31, 23, 59, tzinfo=UTC), n=3),  # the last instant
        order("V04", datetime(9999, 12, 28, 12, tzinfo=UTC), n=4),  # the day before
    ]
    assert sellers_of(history, as_of, PreferredSellerPolicy()) == ["V01", "V04"]
    assert sellers_of(history, as_of, ONE_DAY) == ["V01"]
    refused_as_of(date(9999, 12, 30), PreferredSellerPolicy())
    refused_as_of(date(9999, 12, 31), ONE_DAY)


def test_the_first_as_of_leaves_room_for_the_window() -> None:
    # A window of one day: as_of - window is 0001-01-01, the first day of the calendar,
    # and excluded; the window is as_of alone.
    history = [
        order("V01", datetime(1, 1, 2, 12, tzinfo=UTC), n=1),
        order("V02", datetime(1, 1, 1, 12, tzinfo=UTC), n=2),
        order("V03", datetime(1, 1, 3, 12, tzinfo=UTC), n=3),
    ]
    assert sellers_of(history, date(1, 1, 2), ONE_DAY) == ["V01"]
    refused_as_of(date(1, 1, 1), ONE_DAY)
    # Twelve months: 0002-01-01 is the first as_of; its window starts after 0001-01-01.
    assert sellers_of(history, date(2, 1, 1), PreferredSellerPolicy()) == ["V03", "V01"]
    refused_as_of(date(1, 12, 31), PreferredSellerPolicy())


def test_local_days_near_the_ends_of_the_calendar_are_in_the_policy_zone() -> None:
    # 0001-01-02 02:00 UTC is still 0001-01-01 in São Paulo (local mean time, -3:06).
    early = order("V01", datetime(1, 1, 2, 2, tzinfo=UTC))
    assert sellers_of([early], date(1, 1, 2), ONE_DAY) == []
    assert sellers_of([early], date(1, 1, 2), attrs.evolve(ONE_DAY, time_zone="UTC")) == ["V01"]
    # 9999-12-30 02:00 UTC is 9999-12-29 in São Paulo.
    late = order("V01", datetime(9999, 12, 30, 2, tzinfo=UTC))
    assert sellers_of([late], date(9999, 12, 29), ONE_DAY) == ["V01"]
    assert sellers_of([late], date(9999, 12, 29), attrs.evolve(ONE_DAY, time_zone="UTC")) == []


# ---------------------------------------------------------------------------
# The longest window: 100 years
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "window", [relativedelta(years=100), relativedelta(months=1200), relativedelta(days=36524)]
)
def test_a_window_of_100_years_is_accepted_and_counts_a_century(window: relativedelta) -> None:
    policy = PreferredSellerPolicy(window=window)
    as_of = date(2026, 5, 10)
    start = as_of - window
    history = [
        order("V01", datetime.combine(start, datetime.min.time(), SP).replace(hour=12), n=1),
        order("V02", datetime.combine(start + relativedelta(days=1), datetime.min.time(), SP), n=2),
    ]
    assert sellers_of(history, as_of, policy) == ["V02"]


@pytest.mark.parametrize(
    "window",
    [
        relativedelta(years=100, days=1),
        relativedelta(years=100, months=1),
        relativedelta(months=1201),
        relativedelta(days=36525),
        relativedelta(years=101),
    ],
)
def test_a_window_over_100_years_is_refused(window: relativedelta) -> None:
    message = f"PreferredSellerPolicy.window must be at most 100 years, got {window!r}"
    with pytest.raises(ValidationError, match=f"^{re.escape(message)}$") as info:
        PreferredSellerPolicy(window=window)
    assert info.value.field == "PreferredSellerPolicy.window"


# ---------------------------------------------------------------------------
# The longest ids and codes: 100 characters
# ---------------------------------------------------------------------------


def _tally(code: str) -> SellerTally:
    return SellerTally(
        seller_code=code, visits=1, tally=1, last_sale_at=datetime(2026, 5, 1, tzinfo=UTC)
    )


def _preference(**changes: Any) -> Preference:
    fields: dict[str, Any] = {
        "customer_id": "C1",
        "seller_code": "V01",
        "tallies": (_tally("V01"),),
        "decided_by": DecidedBy.ONLY_CANDIDATE,
    }
    fields.update(changes)
    return Preference(**fields)


def _too_long(field: str, value: str) -> str:
    return "^" + re.escape(f"{field} must be at most 100 characters, got {value!r}") + "$"


def test_seller_codes_and_customer_ids_of_100_characters_are_accepted() -> None:
    assert ToSeller(LONG).code == LONG
    assert _tally(LONG).seller_code == LONG
    pref = _preference(customer_id="C" * 100, seller_code=LONG, tallies=(_tally(LONG),))
    assert (pref.customer_id, pref.seller_code) == ("C" * 100, LONG)
    gone = seller("V01", active=False)
    team = [gone, seller("V02")]
    assert redistribute(["C" * 100], gone, team, ToSeller("V02")) == {"C" * 100: "V02"}


def test_seller_codes_and_customer_ids_over_100_characters_are_refused() -> None:
    with pytest.raises(ValidationError, match=_too_long("ToSeller.code", TOO_LONG)):
        ToSeller(TOO_LONG)
    with pytest.raises(ValidationError, match=_too_long("SellerTally.seller_code", TOO_LONG)):
        _tally(TOO_LONG)
    with pytest.raises(ValidationError, match=_too_long("Preference.customer_id", "C" * 101)):
        _preference(customer_id="C" * 101)
    with pytest.raises(ValidationError, match=_too_long("Preference.seller_code", TOO_LONG)):
        _preference(seller_code=TOO_LONG)
    gone = seller("V01", active=False)
    with pytest.raises(ValidationError, match=_too_long("customer_ids[1]", "C" * 101)):
        redistribute(["C1", "C" * 101], gone, [gone, seller("V02")], ToSeller("V02"))


# ---------------------------------------------------------------------------
# What the orders may be
# ---------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class TaggedOrder(Order):
    """An application's own Order subclass: still an Order."""

    tag: str = "imported"


def test_an_order_subclass_is_an_order() -> None:
    tagged = TaggedOrder(
        order_id="P1",
        customer_id="C1",
        store_id="L01",
        placed_at=datetime(2026, 5, 1, 12, tzinfo=SP),
        total=Decimal("10.00"),
        seller_code="V01",
    )
    assert sellers_of([tagged], date(2026, 5, 10), PreferredSellerPolicy()) == ["V01"]


def test_two_sales_at_the_same_instant_keep_that_instant() -> None:
    when = datetime(2026, 5, 1, 12, tzinfo=SP)
    history = [order("V01", when, n=1), order("V01", when.astimezone(UTC), n=2)]
    pref = preferred_seller(history, date(2026, 5, 10))
    assert pref is not None
    assert pref.tallies[0].last_sale_at == when
    assert pref.tallies[0].last_sale_at.tzinfo is UTC


def test_the_last_sale_is_the_latest_whatever_the_input_order() -> None:
    latest = datetime(2026, 5, 3, 12, tzinfo=SP)
    history = [
        order("V01", latest, n=1),
        order("V01", datetime(2026, 5, 1, 12, tzinfo=SP), n=2),
        order("V02", datetime(2026, 5, 2, 12, tzinfo=SP), n=3),
        order("V02", datetime(2026, 5, 4, 12, tzinfo=SP), n=4),
        order("V02", datetime(2026, 5, 2, 18, tzinfo=SP), n=5),
    ]
    pref = preferred_seller(history, date(2026, 5, 10))
    assert pref is not None
    assert [(t.seller_code, t.visits, t.last_sale_at) for t in pref.tallies] == [
        ("V02", 2, datetime(2026, 5, 4, 12, tzinfo=SP)),
        ("V01", 2, latest),
    ]
