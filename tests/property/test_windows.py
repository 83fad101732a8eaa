"""Every policy with a window checks it the same way, and a window it accepts always works."""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta, weekday
from hypothesis import example, given
from hypothesis import strategies as st

from otocore._time import window_start
from otocore.distribution import PreferredSellerPolicy, preferred_sellers
from otocore.errors import OtocoreError, ValidationError
from otocore.orders import Order
from otocore.rfv import RfvPolicy, rfv_scores

ABSOLUTE = ("year", "month", "day", "weekday", "hour", "minute", "second", "microsecond")
SUB_DAY = ("hours", "minutes", "seconds", "microseconds", "leapdays")

absolute_fields = st.fixed_dictionaries(
    {},
    optional={
        "year": st.integers(1, 9999),
        "month": st.integers(1, 12),
        "day": st.integers(1, 31),
        "weekday": st.integers(0, 6).map(weekday),
        "hour": st.integers(0, 23),
        "minute": st.integers(0, 59),
        "second": st.integers(0, 59),
        "microsecond": st.integers(0, 999_999),
    },
)
relative_fields = st.fixed_dictionaries(
    {},
    optional={
        "years": st.integers(-5, 120),
        "months": st.integers(-30, 1300),
        "weeks": st.integers(-10, 5300),
        "days": st.integers(-40, 37_000),
        "hours": st.integers(-30, 30),
        "minutes": st.integers(-2, 2),
        "seconds": st.integers(-2, 2),
        "microseconds": st.integers(-2, 2),
        "leapdays": st.integers(-1, 1),
    },
)
plausible = st.builds(
    relativedelta,
    years=st.integers(0, 101),
    months=st.integers(0, 11),
    days=st.integers(0, 400) | st.integers(36_400, 36_600),
)
windows = (
    plausible
    | st.builds(
        lambda rel, absolute: relativedelta(**rel, **absolute), relative_fields, absolute_fields
    )
    | st.builds(lambda w, absolute: w + relativedelta(**absolute), plausible, absolute_fields)
)
as_of_days = st.dates(date(1, 1, 1), date(9999, 12, 31)) | st.dates(
    date(1990, 1, 1), date(2040, 1, 1)
)


def build(cls: type[Any], window: Any) -> Any:
    """The policy with ``window``, or the ValidationError that refused it."""
    try:
        return cls(window=window)
    except ValidationError as err:
        return err


def history(as_of: date) -> list[Order]:
    days = [as_of]
    for back in (relativedelta(months=6), relativedelta(years=60)):
        with contextlib.suppress(OverflowError, ValueError):
            days.append(as_of - back)
    return [
        Order(
            order_id=f"P{n}",
            customer_id=f"C{n % 2}",
            store_id="L01",
            placed_at=datetime.combine(day, time(12), UTC),
            total=Decimal("10.00"),
            seller_code="V01",
        )
        for n, day in enumerate(days)
        if date(1, 1, 3) <= day <= date(9999, 12, 29)
    ]


@given(window=windows, as_of=as_of_days)
@example(window=relativedelta(months=12, hour=5), as_of=date(2026, 5, 10))
@example(window=relativedelta(days=36525), as_of=date(2101, 3, 1))
@example(window=relativedelta(years=100), as_of=date(2024, 2, 29))
def test_a_window_is_accepted_by_every_policy_or_by_none_and_then_it_works(
    window: relativedelta, as_of: date
) -> None:
    rfv = build(RfvPolicy, window)
    preferred = build(PreferredSellerPolicy, window)
    # one check, whatever the policy: both accept, or both refuse alike
    assert isinstance(rfv, ValidationError) == isinstance(preferred, ValidationError)
    if isinstance(rfv, ValidationError) and isinstance(preferred, ValidationError):
        assert (rfv.field, rfv.value) == ("RfvPolicy.window", window)
        assert (preferred.field, preferred.value) == ("PreferredSellerPolicy.window", window)
        assert rfv.rule == preferred.rule
        return
    # only relative, positive parts
    assert all(getattr(window, name) is None for name in ABSOLUTE)
    assert not any(getattr(window, name) for name in SUB_DAY)
    parts = (window.years, window.months, window.days)
    assert min(parts) >= 0
    assert max(parts) > 0
    # at most 100 years, whatever the day it ends on
    try:
        start = window_start(as_of, window)
        hundred = as_of - relativedelta(years=100)
    except (OverflowError, ValueError):
        pass
    else:
        assert hundred <= start < as_of
    # and the rules that use it raise nothing but otocore's errors
    orders = history(as_of)
    with contextlib.suppress(OtocoreError):
        rfv_scores(orders, as_of, policy=rfv)
    with contextlib.suppress(OtocoreError):
        preferred_sellers(orders, as_of, policy=preferred)
