"""Purchase frequency: Reshop's "semanal, quinzenal ou mensal", one rule for every use.

A customer's frequency class comes from the **mean interval between their purchase days**:
take the distinct local days with a purchase (a COMPLETED order, any channel) in the window
``on - window_days < day <= on``; with ``n >= 2`` of them the mean interval is
``span / (n - 1)``, where ``span`` is the last of those days minus the first (the mean of
the gaps between consecutive purchase days). A mean interval of at most ``weekly_days`` is
WEEKLY, at most ``fortnightly_days`` FORTNIGHTLY, at most ``monthly_days`` MONTHLY, and
anything longer LESS_OFTEN. The comparison is exact (``span <= weekly_days * (n - 1)``, no
rounding). One purchase day or none has no interval and no class (``None``): one purchase
says nothing about how often someone buys.

The customer dashboard (:mod:`otocore.insights`, its ``frequency`` column) and the audience
filter ``purchase_frequency_in`` (:mod:`otocore.filters`) both call :func:`frequency_class`,
so a customer the dashboard shows as weekly is the customer the weekly filter finds.

>>> from datetime import date
>>> purchase_frequency([date(2026, 5, 2), date(2026, 5, 9), date(2026, 5, 16)], date(2026, 5, 20))
<FrequencyClass.WEEKLY: 'weekly'>
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date

from otocore import _validate as v
from otocore.errors import ValidationError

__all__ = [
    "DEFAULT_FORTNIGHTLY_DAYS",
    "DEFAULT_MONTHLY_DAYS",
    "DEFAULT_WEEKLY_DAYS",
    "DEFAULT_WINDOW_DAYS",
    "FrequencyClass",
    "check_thresholds",
    "frequency_class",
    "purchase_frequency",
]

DEFAULT_WEEKLY_DAYS = 7
"""The default longest mean interval (days) of a WEEKLY customer."""
DEFAULT_FORTNIGHTLY_DAYS = 15
"""The default longest mean interval (days) of a FORTNIGHTLY customer."""
DEFAULT_MONTHLY_DAYS = 31
"""The default longest mean interval (days) of a MONTHLY customer; longer is LESS_OFTEN."""
DEFAULT_WINDOW_DAYS = 365
"""The default window (local days up to the day asked about) whose purchase days count."""


class FrequencyClass(enum.Enum):
    """Frequência de compra (purchase frequency): Reshop's "semanal, quinzenal ou mensal".

    >>> FrequencyClass("fortnightly")
    <FrequencyClass.FORTNIGHTLY: 'fortnightly'>
    """

    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY = "monthly"
    LESS_OFTEN = "less_often"


def check_thresholds(
    owner: str, weekly_days: int, fortnightly_days: int, monthly_days: int
) -> None:
    """Raise unless ``weekly_days < fortnightly_days < monthly_days`` (each already an int).

    ``owner`` names the value the thresholds belong to, for the error's field.

    >>> check_thresholds("Policy", 7, 15, 31)
    >>> check_thresholds("Policy", 20, 15, 31)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: Policy.fortnightly_days must be > weekly_days 20, got 15
    """
    if fortnightly_days <= weekly_days:
        raise ValidationError(
            f"{owner}.fortnightly_days", fortnightly_days, f"must be > weekly_days {weekly_days}"
        )
    if monthly_days <= fortnightly_days:
        raise ValidationError(
            f"{owner}.monthly_days",
            monthly_days,
            f"must be > fortnightly_days {fortnightly_days}",
        )


def frequency_class(
    span_days: int,
    intervals: int,
    *,
    weekly_days: int = DEFAULT_WEEKLY_DAYS,
    fortnightly_days: int = DEFAULT_FORTNIGHTLY_DAYS,
    monthly_days: int = DEFAULT_MONTHLY_DAYS,
) -> FrequencyClass | None:
    """The class of a mean interval ``span_days / intervals`` (exact: no rounding).

    ``intervals`` is the number of purchase days minus one; with none (one purchase day or
    none) there is no interval, and no class. The thresholds are trusted here (callers hold
    them in checked values: ``InsightsPolicy``, ``PurchaseFrequencyIn``).

    >>> frequency_class(14, 2), frequency_class(15, 2), frequency_class(31, 1)
    (<FrequencyClass.WEEKLY: 'weekly'>, <FrequencyClass.FORTNIGHTLY: 'fortnightly'>, <FrequencyClass.MONTHLY: 'monthly'>)
    >>> frequency_class(32, 1), frequency_class(0, 0)
    (<FrequencyClass.LESS_OFTEN: 'less_often'>, None)
    """
    if intervals <= 0:
        return None
    if span_days <= weekly_days * intervals:
        return FrequencyClass.WEEKLY
    if span_days <= fortnightly_days * intervals:
        return FrequencyClass.FORTNIGHTLY
    if span_days <= monthly_days * intervals:
        return FrequencyClass.MONTHLY
    return FrequencyClass.LESS_OFTEN


def purchase_frequency(
    days: Iterable[date],
    on: date,
    *,
    window_days: int = DEFAULT_WINDOW_DAYS,
    weekly_days: int = DEFAULT_WEEKLY_DAYS,
    fortnightly_days: int = DEFAULT_FORTNIGHTLY_DAYS,
    monthly_days: int = DEFAULT_MONTHLY_DAYS,
) -> FrequencyClass | None:
    """The frequency class on ``on`` of a customer who bought on the local days ``days``.

    Only the days of the window ``on - window_days < day <= on`` count; a day repeated
    counts once. ``window_days`` is 1..36500, the thresholds 1..3650 and increasing.

    >>> from datetime import date
    >>> may = [date(2026, 5, d) for d in (1, 1, 16, 31)]
    >>> purchase_frequency(may, date(2026, 5, 31))  # 2 intervals over 30 days: 15 each
    <FrequencyClass.FORTNIGHTLY: 'fortnightly'>
    >>> purchase_frequency(may, date(2026, 5, 31), window_days=15) is None  # only the 31st
    True
    >>> purchase_frequency(may, date(2026, 5, 20))  # the 31st is after `on`
    <FrequencyClass.FORTNIGHTLY: 'fortnightly'>
    """
    on = v.require_date("on", on)
    v.require_int("window_days", window_days, min_value=1, max_value=36500)
    v.require_int("weekly_days", weekly_days, min_value=1, max_value=3650)
    v.require_int("fortnightly_days", fortnightly_days, min_value=1, max_value=3650)
    v.require_int("monthly_days", monthly_days, min_value=1, max_value=3650)
    check_thresholds("purchase_frequency", weekly_days, fortnightly_days, monthly_days)
    kept = {
        d
        for d in (v.require_date("days", day) for day in days)
        if d <= on and (on - d).days < window_days
    }
    span = (max(kept) - min(kept)).days if len(kept) >= 2 else 0
    return frequency_class(
        span,
        len(kept) - 1,
        weekly_days=weekly_days,
        fortnightly_days=fortnightly_days,
        monthly_days=monthly_days,
    )
