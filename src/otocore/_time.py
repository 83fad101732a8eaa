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
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from otocore import _validate as v
from otocore.errors import ValidationError

__all__ = ["end_of_day", "in_window", "instant_utc", "local_day", "window_start"]

_LATEST_INSTANT = datetime.max.replace(tzinfo=UTC)


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


def instant_utc(field: str, value: Any) -> datetime:
    """An aware datetime, in UTC; a ValidationError naming ``field`` otherwise."""
    aware = v.require_aware(field, value)
    try:
        return aware.astimezone(UTC)
    except OverflowError:
        raise ValidationError(
            field, value, "must be an instant between years 1 and 9999 in UTC"
        ) from None


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
