"""One window check for every policy that has a window: its limits, one by one."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from dateutil.relativedelta import FR, relativedelta

from otocore._time import DEFAULT_TIME_ZONE, MAX_WINDOW_YEARS, require_window
from otocore.distribution import PreferredSellerPolicy, preferred_sellers
from otocore.errors import ValidationError
from otocore.orders import Order
from otocore.rfv import RfvPolicy, rfv_scores

POLICIES: list[type[Any]] = [RfvPolicy, PreferredSellerPolicy]
POSITIVE_RULE = (
    "must be a positive relativedelta of whole years, months, weeks or days "
    "such as relativedelta(months=12)"
)
CAP_RULE = "must be at most 100 years"


def order(n: int, day: date) -> Order:
    return Order(
        order_id=f"P{n}",
        customer_id="C1",
        store_id="L01",
        placed_at=datetime(day.year, day.month, day.day, 15, tzinfo=UTC),
        total=Decimal("10.00"),
        seller_code="V01",
    )


@pytest.mark.parametrize("cls", POLICIES)
def test_the_reported_bug_is_a_validation_error_naming_the_window(cls: type[Any]) -> None:
    # RfvPolicy accepted this window, and rfv_scores then raised a bare TypeError.
    window = relativedelta(months=12, hour=5)
    with pytest.raises(ValidationError) as info:
        cls(window=window)
    assert info.value.field == f"{cls.__name__}.window"
    assert info.value.value is window
    assert info.value.rule == POSITIVE_RULE


@pytest.mark.parametrize("cls", POLICIES)
@pytest.mark.parametrize(
    "window",
    [
        relativedelta(years=1, year=2020),
        relativedelta(months=1, month=5),
        relativedelta(days=30, day=1),
        relativedelta(days=30, weekday=FR(-1)),
        relativedelta(months=12, hour=5),
        relativedelta(months=12, minute=0),
        relativedelta(months=12, second=0),
        relativedelta(months=12, microsecond=0),
    ],
    ids=["year", "month", "day", "weekday", "hour", "minute", "second", "microsecond"],
)
def test_absolute_fields_are_refused(cls: type[Any], window: relativedelta) -> None:
    with pytest.raises(ValidationError) as info:
        cls(window=window)
    assert (info.value.field, info.value.value, info.value.rule) == (
        f"{cls.__name__}.window",
        window,
        POSITIVE_RULE,
    )


@pytest.mark.parametrize("cls", POLICIES)
@pytest.mark.parametrize(
    "window",
    [
        relativedelta(),
        relativedelta(days=0),
        relativedelta(months=-1),
        relativedelta(years=-1),
        relativedelta(days=-1),
        relativedelta(weeks=-2),
        relativedelta(months=1, days=-1),
        relativedelta(years=1, months=-13),
        relativedelta(hours=12),
        relativedelta(days=1, minutes=1),
        relativedelta(days=1, seconds=1),
        relativedelta(days=1, microseconds=1),
        relativedelta(days=1, leapdays=1),
        relativedelta(days=1.5),
    ],
)
def test_zero_negative_and_sub_day_windows_are_refused(
    cls: type[Any], window: relativedelta
) -> None:
    with pytest.raises(ValidationError) as info:
        cls(window=window)
    assert (info.value.field, info.value.rule) == (f"{cls.__name__}.window", POSITIVE_RULE)


@pytest.mark.parametrize("cls", POLICIES)
@pytest.mark.parametrize("window", [365, timedelta(days=365), "12 months", None])
def test_a_window_must_be_a_relativedelta(cls: type[Any], window: object) -> None:
    with pytest.raises(ValidationError) as info:
        cls(window=window)
    assert (info.value.field, info.value.value, info.value.rule) == (
        f"{cls.__name__}.window",
        window,
        POSITIVE_RULE,
    )


@pytest.mark.parametrize("cls", POLICIES)
@pytest.mark.parametrize(
    "window",
    [
        relativedelta(years=100),
        relativedelta(months=1200),
        relativedelta(years=99, months=11),
        relativedelta(days=36524),
        relativedelta(weeks=5217, days=5),
        relativedelta(years=99, days=290),
        relativedelta(days=1),
        relativedelta(weeks=1),
        relativedelta(months=12),
    ],
)
def test_windows_up_to_100_years_are_accepted(cls: type[Any], window: relativedelta) -> None:
    assert cls(window=window).window == window


@pytest.mark.parametrize("cls", POLICIES)
@pytest.mark.parametrize(
    "window",
    [
        relativedelta(years=101),
        relativedelta(years=100, months=1),
        relativedelta(months=1201),
        relativedelta(years=100, days=1),
        relativedelta(days=36525),  # 100 years with 24 leap days have 36,524
        relativedelta(weeks=5218),
        relativedelta(years=99, days=291),  # 99 * 366 + 291 > 36,524
        relativedelta(years=1000),
    ],
)
def test_windows_over_100_years_are_refused(cls: type[Any], window: relativedelta) -> None:
    with pytest.raises(ValidationError) as info:
        cls(window=window)
    assert (info.value.field, info.value.value, info.value.rule) == (
        f"{cls.__name__}.window",
        window,
        CAP_RULE,
    )


def test_the_longest_days_window_never_reaches_past_100_years() -> None:
    # 2101-03-01 back to 2001-03-01 has 24 leap days (2100 is not one): 36,524 days.
    as_of = date(2101, 3, 1)
    assert as_of - relativedelta(days=36524) == as_of - relativedelta(years=MAX_WINDOW_YEARS)
    assert as_of - relativedelta(days=36525) < as_of - relativedelta(years=MAX_WINDOW_YEARS)


def test_the_rule_of_an_accepted_long_window_runs() -> None:
    as_of = date(2026, 5, 10)
    history = [order(1, date(1926, 5, 11)), order(2, date(2026, 5, 1))]
    rfv = rfv_scores(history, as_of, policy=RfvPolicy(window=relativedelta(years=100)))
    assert rfv["C1"].frequency == 2
    prefs = preferred_sellers(
        history, as_of, policy=PreferredSellerPolicy(window=relativedelta(years=100))
    )
    assert prefs["C1"].tallies[0].visits == 2


def test_require_window_names_the_field_it_is_given() -> None:
    with pytest.raises(ValidationError) as info:
        require_window("Campaign.window", relativedelta(days=-1))
    assert str(info.value) == (f"Campaign.window {POSITIVE_RULE}, got relativedelta(days=-1)")


def test_every_policy_defaults_to_the_one_time_zone() -> None:
    assert DEFAULT_TIME_ZONE == "America/Sao_Paulo"
    assert RfvPolicy().time_zone == PreferredSellerPolicy().time_zone == DEFAULT_TIME_ZONE
