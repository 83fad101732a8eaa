"""Relógio (clock): where "now" comes from.

No rule in otocore reads the wall clock. Rules take an explicit ``as_of`` date
or instant; services that need "now" take a :class:`Clock`. Tests use
:class:`FixedClock`.

>>> from datetime import UTC, datetime, timedelta
>>> clock = FixedClock(datetime(2026, 3, 1, 12, 0, tzinfo=UTC))
>>> clock.now()
datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.timezone.utc)
>>> clock.advance(timedelta(hours=1)).now().hour
13
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable

from otocore._validate import require_aware

__all__ = ["Clock", "FixedClock", "SystemClock"]


@runtime_checkable
class Clock(Protocol):
    """Anything with a ``now()`` that returns a timezone-aware datetime.

    >>> isinstance(SystemClock(), Clock)
    True
    """

    def now(self) -> datetime:
        """The current instant, timezone-aware."""
        ...


class SystemClock:
    """The real clock, in UTC.

    >>> SystemClock().now().tzinfo is not None
    True
    """

    def now(self) -> datetime:
        """The current instant in UTC."""
        return datetime.now(UTC)

    def __repr__(self) -> str:
        return "SystemClock()"


class FixedClock:
    """A clock that stands still until told to move; for tests and notebooks.

    Naive datetimes are rejected:

    >>> FixedClock(datetime(2026, 1, 1))
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: FixedClock.instant must be timezone-aware, got datetime.datetime(2026, 1, 1, 0, 0)
    """

    def __init__(self, instant: datetime) -> None:
        self._instant = require_aware("FixedClock.instant", instant)

    def now(self) -> datetime:
        """The instant this clock is set to."""
        return self._instant

    def set(self, instant: datetime) -> FixedClock:
        """Move the clock to ``instant``; returns the clock for chaining.

        >>> FixedClock(datetime(2026, 1, 1, tzinfo=UTC)).set(
        ...     datetime(2027, 1, 1, tzinfo=UTC)
        ... ).now().year
        2027
        """
        self._instant = require_aware("FixedClock.instant", instant)
        return self

    def advance(self, delta: timedelta) -> FixedClock:
        """Move the clock forward by ``delta``; returns the clock for chaining.

        >>> FixedClock(datetime(2026, 1, 1, tzinfo=UTC)).advance(timedelta(days=1)).now().day
        2
        """
        self._instant = self._instant + delta
        return self

    def __repr__(self) -> str:
        return f"FixedClock({self._instant!r})"
