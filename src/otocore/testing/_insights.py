"""Hypothesis strategies for :mod:`otocore.insights`, re-exported by :mod:`otocore.testing`.

The dashboards' inputs: the brand's :class:`~otocore.insights.InsightsPolicy`, the return
window a user sets and a store period, each valid and drawn often at the documented edges
(the class thresholds and the frequency window at their bounds, thresholds one day apart,
the return window of 1 and 3650 days, a one-day period, the time zones at the ends of the
UTC offsets).
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from otocore.insights import DEFAULT_RETURN_WINDOW_DAYS, InsightsPolicy
from otocore.testing._strategies import customer_ids

__all__ = [
    "insights_periods",
    "insights_policies",
    "insights_time_zones",
    "return_windows",
    "strategy_table",
]

MAX_THRESHOLD_DAYS = 3650
"""The largest class threshold an :class:`~otocore.insights.InsightsPolicy` takes."""
MAX_WINDOW_DAYS = 36500
"""The longest frequency window an :class:`~otocore.insights.InsightsPolicy` takes."""
MAX_RETURN_WINDOW_DAYS = 3650
"""The longest return window the store dashboard takes."""
_DEFAULT = InsightsPolicy()
_ZONES = (
    "America/Sao_Paulo",
    "America/Manaus",
    "America/Noronha",
    "America/Rio_Branco",
    "UTC",
    "Pacific/Kiritimati",  # UTC+14, the earliest local day
    "Pacific/Pago_Pago",  # UTC-11, among the latest
)
_FIRST = date(2026, 1, 1)


def insights_time_zones() -> st.SearchStrategy[str]:
    """IANA zones a brand's days are taken in: Brazil's, UTC, and the ends of the offsets.

    >>> from hypothesis import find
    >>> find(insights_time_zones(), lambda z: True)
    'America/Sao_Paulo'
    """
    return st.sampled_from(_ZONES)


def _thresholds() -> st.SearchStrategy[tuple[int, int, int]]:
    """``(weekly, fortnightly, monthly)``, strictly ascending, each within 1 and 3650 days."""
    top = MAX_THRESHOLD_DAYS
    near = st.tuples(st.integers(1, 10), st.integers(1, 10), st.integers(1, 20)).map(
        lambda t: (t[0], t[0] + t[1], t[0] + t[1] + t[2])
    )
    anywhere = st.lists(st.integers(1, top), min_size=3, max_size=3, unique=True).map(
        lambda xs: (min(xs), sorted(xs)[1], max(xs))
    )
    return st.one_of(
        st.just((_DEFAULT.weekly_days, _DEFAULT.fortnightly_days, _DEFAULT.monthly_days)),
        st.sampled_from([(1, 2, 3), (top - 2, top - 1, top), (1, 2, top), (1, top - 1, top)]),
        near,
        anywhere,
    )


def insights_policies(
    *,
    time_zones: st.SearchStrategy[str] | None = None,
    anonymous_ids: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[InsightsPolicy]:
    """Valid :class:`~otocore.insights.InsightsPolicy` values, often at their edges.

    The thresholds are the defaults (7, 15, 31), the bounds (1, 2, 3 and 3648, 3649, 3650),
    one day apart, small (so that real purchase days cross them) or anywhere in 1 to 3650;
    the window is 1, 365 or 36500 days, up to 60 days (so that a few weeks of purchase
    days cross its edge) or anywhere between; the anonymous ids are a set
    (maybe empty) of ``anonymous_ids`` (by default the tills' ``"0"`` and a few customer
    ids); the zone is one of ``time_zones`` (by default :func:`insights_time_zones`).

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=20)
    ... @given(insights_policies())
    ... def test_the_classes_ascend(policy):
    ...     assert 1 <= policy.weekly_days < policy.fortnightly_days < policy.monthly_days <= 3650
    ...     assert 1 <= policy.window_days <= 36500
    >>> test_the_classes_ascend()
    >>> from hypothesis import find
    >>> find(insights_policies(), lambda p: True) == InsightsPolicy()
    True
    """
    ids = anonymous_ids if anonymous_ids is not None else st.just("0") | customer_ids(max_count=5)
    windows = st.one_of(
        st.just(_DEFAULT.window_days),
        st.sampled_from([1, MAX_WINDOW_DAYS]),
        st.integers(1, 60),  # shorter than two months: purchase days cross its edge
        st.integers(1, MAX_WINDOW_DAYS),
    )

    def build(
        thresholds: tuple[int, int, int], window: int, anonymous: frozenset[str], zone: str
    ) -> InsightsPolicy:
        weekly, fortnightly, monthly = thresholds
        return InsightsPolicy(
            weekly_days=weekly,
            fortnightly_days=fortnightly,
            monthly_days=monthly,
            window_days=window,
            anonymous_customer_ids=anonymous,
            time_zone=zone,
        )

    return st.builds(
        build,
        _thresholds(),
        windows,
        st.frozensets(ids, max_size=3),
        time_zones if time_zones is not None else st.sampled_from(_ZONES),
    )


def return_windows() -> st.SearchStrategy[int]:
    """Return windows (N, in days) the store dashboard takes: 1 to 3650, often 1, 30 or 3650.

    >>> from hypothesis import find
    >>> find(return_windows(), lambda n: True)
    30
    >>> find(return_windows(), lambda n: n > 3000)
    3650
    """
    return st.one_of(
        st.just(DEFAULT_RETURN_WINDOW_DAYS),
        st.sampled_from([1, 7, 15, MAX_RETURN_WINDOW_DAYS]),
        st.integers(1, MAX_RETURN_WINDOW_DAYS),
    )


def insights_periods(
    *, first: date = _FIRST, days: int = 400, max_length: int = 62
) -> st.SearchStrategy[tuple[date, date]]:
    """Store periods ``(first_day, last_day)``, both included: a first day within ``days``
    days from ``first``, lasting 1 to ``max_length`` days (often one day or a whole month).

    >>> from hypothesis import find
    >>> a, b = find(insights_periods(), lambda p: p[0] == p[1])
    >>> a == b >= date(2026, 1, 1)
    True
    >>> a, b = find(insights_periods(), lambda p: p[1].month != p[0].month)
    >>> a < b
    True
    """

    def build(offset: int, length: int) -> tuple[date, date]:
        start = first + timedelta(days=offset)
        return start, start + timedelta(days=length - 1)

    months = st.integers(0, days // 31).map(lambda n: _month(first, n))
    return st.builds(build, st.integers(0, days), st.integers(1, max_length)) | months


def _month(first: date, n: int) -> tuple[date, date]:
    """The ``n``-th whole calendar month from ``first``'s."""
    year, month = divmod(first.month - 1 + n, 12)
    start = date(first.year + year, month + 1, 1)
    after = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return start, after - timedelta(days=1)


def strategy_table() -> dict[type, st.SearchStrategy[object]]:
    """The default strategy of each insights value type, for ``st.from_type``.

    >>> sorted(cls.__name__ for cls in strategy_table())
    ['InsightsPolicy']
    """
    return {InsightsPolicy: insights_policies()}
