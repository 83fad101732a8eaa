"""Dia local e janela (local day and window): shared calendar helpers. Private.

Rules take ``as_of``, a local calendar date in the brand's time zone. An
instant (an aware :class:`~datetime.datetime`) belongs to the local day it
falls on in that zone, and a window of a :class:`~dateutil.relativedelta.relativedelta`
is the half-open range of days ``as_of - window < day <= as_of``.

>>> from datetime import UTC, date, datetime
>>> from zoneinfo import ZoneInfo
>>> from dateutil.relativedelta import relativedelta
>>> local_day(datetime(2026, 1, 1, 2, 30, tzinfo=UTC), ZoneInfo("America/Sao_Paulo"))
datetime.date(2025, 12, 31)
>>> in_window(date(2025, 5, 1), date(2026, 5, 1), relativedelta(months=12))
False
>>> in_window(date(2025, 5, 2), date(2026, 5, 1), relativedelta(months=12))
True

Every policy that has a window checks it with :func:`require_window` (or the
attrs validator :func:`window`): a positive relativedelta of whole years,
months, weeks or days, at most 100 years. Every policy that has a time zone
defaults to :data:`DEFAULT_TIME_ZONE`.

>>> require_window("RfvPolicy.window", relativedelta(months=12, hour=5))
Traceback (most recent call last):
...
otocore.errors.ValidationError: RfvPolicy.window must be a positive relativedelta of whole years, months, weeks or days such as relativedelta(months=12), got relativedelta(years=+1, hour=5)
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs
from dateutil.relativedelta import relativedelta

from otocore import _validate as v
from otocore.errors import ValidationError

__all__ = [
    "DEFAULT_TIME_ZONE",
    "MAX_WINDOW_YEARS",
    "end_of_day",
    "in_window",
    "instant_utc",
    "local_day",
    "require_window",
    "same_zone_as",
    "window",
    "window_start",
]

DEFAULT_TIME_ZONE = "America/Sao_Paulo"
"""The IANA zone of every policy that is not given one: the seeds' brands are in São Paulo."""

MAX_WINDOW_YEARS = 100
"""The longest window a policy accepts (see :func:`require_window`)."""

_LATEST_INSTANT = datetime.max.replace(tzinfo=UTC)
_WINDOW_RULE = (
    "must be a positive relativedelta of whole years, months, weeks or days "
    "such as relativedelta(months=12)"
)
# Absolute fields replace a part of the date (hour=5 makes ``date - window`` a
# TypeError); sub-day and leap-day parts have no meaning for a window of days.
_ABSOLUTE_FIELDS = ("year", "month", "day", "weekday", "hour", "minute", "second", "microsecond")
_SUB_DAY_FIELDS = ("hours", "minutes", "seconds", "microseconds", "leapdays")
_MAX_WINDOW_MONTHS = MAX_WINDOW_YEARS * 12
_MAX_WINDOW_DAYS = MAX_WINDOW_YEARS * 365 + MAX_WINDOW_YEARS // 4 - 1  # the fewest: 36,524


def local_day(instant: datetime, zone: ZoneInfo) -> date:
    """Return the calendar day on which ``instant`` falls in ``zone``.

    Args:
        instant: A timezone-aware datetime (any zone; it is converted).
        zone: The brand's time zone.

    Returns:
        The local calendar date.

    Example:
        >>> from datetime import UTC, datetime
        >>> from zoneinfo import ZoneInfo
        >>> sp = ZoneInfo("America/Sao_Paulo")
        >>> local_day(datetime(2026, 3, 11, 2, 30, tzinfo=UTC), sp)  # 23:30 on the 10th
        datetime.date(2026, 3, 10)
        >>> local_day(datetime(2026, 3, 11, 3, 0, tzinfo=UTC), sp)
        datetime.date(2026, 3, 11)
    """
    return instant.astimezone(zone).date()


def window_start(as_of: date, window: relativedelta) -> date:
    """Return the exclusive lower bound ``as_of - window`` of the window.

    A day ``d`` is in the window iff ``window_start(as_of, window) < d <= as_of``.
    ``relativedelta`` clamps month ends: 2024-02-29 minus 12 months is
    2023-02-28.

    Example:
        >>> from datetime import date
        >>> from dateutil.relativedelta import relativedelta
        >>> window_start(date(2026, 5, 10), relativedelta(months=12))
        datetime.date(2025, 5, 10)
        >>> window_start(date(2024, 2, 29), relativedelta(months=12))
        datetime.date(2023, 2, 28)
    """
    start: date = as_of - window
    return start


def in_window(day: date, as_of: date, window: relativedelta) -> bool:
    """Return True iff ``as_of - window < day <= as_of``.

    Args:
        day: A local calendar day.
        as_of: The last day of the window (included).
        window: The window's length; its start ``as_of - window`` is excluded.

    Example:
        >>> from datetime import date
        >>> from dateutil.relativedelta import relativedelta
        >>> twelve = relativedelta(months=12)
        >>> [in_window(date(2025, 5, d), date(2026, 5, 10), twelve) for d in (10, 11)]
        [False, True]
        >>> in_window(date(2026, 5, 10), date(2026, 5, 10), twelve)
        True
        >>> in_window(date(2026, 5, 11), date(2026, 5, 10), twelve)
        False
    """
    return window_start(as_of, window) < day <= as_of


def require_window(field: str, value: Any) -> relativedelta:
    """Return ``value`` if it is a window a policy accepts; a ValidationError naming ``field``.

    A window is a :class:`~dateutil.relativedelta.relativedelta` of whole
    years, months, weeks or days (``weeks`` are stored as days):

    * only relative parts: no absolute field (``year``, ``month``, ``day``,
      ``weekday``, ``hour``, ``minute``, ``second``, ``microsecond``), no
      hours or smaller, no ``leapdays``;
    * positive: every part >= 0 and at least one above 0, each an int;
    * at most :data:`MAX_WINDOW_YEARS` (100) years, for every ``as_of``:
      ``as_of - window`` is never before ``as_of - relativedelta(years=100)``.
      Years and months alone may reach 1200 months; days alone (weeks
      included) 36,524, the fewest days 100 years can have. A window that
      mixes months and days counts a year as 366 days and a month as 31 (the
      most they can be) and must stay within those 36,524 days, so near the
      limit it is refused a little (less than three months) before it could
      pass 100 years.

    Examples:
        >>> require_window("w", relativedelta(weeks=2))
        relativedelta(days=+14)
        >>> require_window("w", relativedelta(months=1200))
        relativedelta(years=+100)
        >>> require_window("w", relativedelta(years=100, days=1))
        Traceback (most recent call last):
        ...
        otocore.errors.ValidationError: w must be at most 100 years, got relativedelta(years=+100, days=+1)
        >>> require_window("w", relativedelta())
        Traceback (most recent call last):
        ...
        otocore.errors.ValidationError: w must be a positive relativedelta of whole years, months, weeks or days such as relativedelta(months=12), got relativedelta()
    """
    if not isinstance(value, relativedelta):
        raise ValidationError(field, value, _WINDOW_RULE)
    if any(getattr(value, name) is not None for name in _ABSOLUTE_FIELDS):
        raise ValidationError(field, value, _WINDOW_RULE)
    if any(getattr(value, name) for name in _SUB_DAY_FIELDS):
        raise ValidationError(field, value, _WINDOW_RULE)
    parts = (value.years, value.months, value.days)
    if any(isinstance(p, bool) or not isinstance(p, int) or p < 0 for p in parts):
        raise ValidationError(field, value, _WINDOW_RULE)
    if not any(parts):
        raise ValidationError(field, value, _WINDOW_RULE)
    months = 12 * value.years + value.months
    longest = 366 * value.years + 31 * value.months + value.days
    if months > _MAX_WINDOW_MONTHS or (value.days and longest > _MAX_WINDOW_DAYS):
        raise ValidationError(field, value, f"must be at most {MAX_WINDOW_YEARS} years")
    return value


def window(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """attrs validator: :func:`require_window` on the field ``Class.attribute``."""
    require_window(v.field_name(instance, attribute), value)


def same_zone_as(other: str, cls: type) -> v.Validator:
    """attrs validator: a ``cls`` policy whose ``time_zone`` is that of the field ``other``.

    A brand has one time zone, so a settings value that holds two policies
    checks they agree.

    >>> @attrs.frozen
    ... class Zoned:
    ...     time_zone: str
    >>> @attrs.frozen
    ... class Settings:
    ...     first: Zoned
    ...     second: Zoned = attrs.field(validator=same_zone_as("first", Zoned))
    >>> Settings(Zoned("America/Sao_Paulo"), Zoned("America/Manaus"))
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: Settings.second.time_zone must equal Settings.first.time_zone ('America/Sao_Paulo'): a brand has one time zone, got 'America/Manaus'
    """

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        field = v.field_name(instance, attribute)
        v.require_instance(field, value, cls)
        expected = getattr(instance, other).time_zone
        if value.time_zone != expected:
            raise ValidationError(
                f"{field}.time_zone",
                value.time_zone,
                f"must equal {type(instance).__name__}.{other}.time_zone ({expected!r}): "
                "a brand has one time zone",
            )

    return check


instant_utc = v.require_utc


def end_of_day(field: str, day: Any, zone: ZoneInfo) -> datetime:
    """The last instant (to the microsecond) of local day ``day`` in ``zone``, in UTC.

    An event counts on ``day`` iff its instant is before the first instant of
    ``day + 1``. ``datetime.combine`` with ``fold=0`` maps a midnight that a
    daylight-saving jump skipped to the jump itself, which is that first instant.
    """
    v.require_date(field, day)
    if day == date.max:
        return _LATEST_INSTANT
    next_start = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    return next_start.astimezone(UTC) - timedelta(microseconds=1)
