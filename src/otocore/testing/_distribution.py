"""Strategies for :mod:`otocore.distribution`: policies, preferences, targets, limiters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dateutil.relativedelta import relativedelta
from hypothesis import strategies as st

from otocore.distribution import (
    Balanced,
    Preference,
    PreferredSellerPolicy,
    RedistributionTarget,
    SellerTally,
    SuggestionLimiter,
    ToSeller,
    _decided_by,
    _rank,
)
from otocore.testing._strategies import customer_ids, seller_codes

_ZONES = ("America/Sao_Paulo", "America/Manaus", "America/Recife", "America/Noronha", "UTC")


def preferred_seller_windows() -> st.SearchStrategy[relativedelta]:
    """Windows a :class:`~otocore.distribution.PreferredSellerPolicy` accepts.

    Whole months (1 to 36), whole years (1 to 3) or whole days (1 to 400),
    with 12 months, the seed's default, drawn often.

    >>> from hypothesis import find
    >>> find(preferred_seller_windows(), lambda w: w.days > 0).days > 0
    True
    """
    return st.one_of(
        st.just(relativedelta(months=12)),
        st.integers(1, 36).map(lambda n: relativedelta(months=n)),
        st.integers(1, 3).map(lambda n: relativedelta(years=n)),
        st.integers(1, 400).map(lambda n: relativedelta(days=n)),
    )


def preferred_seller_policies(
    *,
    time_zone: st.SearchStrategy[str] | None = None,
    window: st.SearchStrategy[relativedelta] | None = None,
    cap: st.SearchStrategy[int] | None = None,
) -> st.SearchStrategy[PreferredSellerPolicy]:
    """Valid :class:`~otocore.distribution.PreferredSellerPolicy` values.

    Time zones are Brazilian or UTC, windows come from
    :func:`preferred_seller_windows` and the
    cap is 1 to 8 unless you pass a strategy for it.

    >>> from hypothesis import find
    >>> find(preferred_seller_policies(), lambda p: p.cap > 1).cap
    2
    """
    return st.builds(
        PreferredSellerPolicy,
        time_zone=st.sampled_from(_ZONES) if time_zone is None else time_zone,
        window=preferred_seller_windows() if window is None else window,
        cap=st.integers(1, 8) if cap is None else cap,
    )


def seller_tallies(
    *,
    seller_code: st.SearchStrategy[str] | None = None,
    max_visits: int = 12,
    max_cap: int = 8,
) -> st.SearchStrategy[SellerTally]:
    """Valid :class:`~otocore.distribution.SellerTally` values.

    ``tally`` is ``min(visits, cap)`` for a drawn cap; last sales fall on a
    few instants, so that ties happen.

    >>> from hypothesis import find
    >>> t = find(seller_tallies(), lambda t: t.visits > t.tally)
    >>> t.tally < t.visits
    True
    """
    base = datetime(2026, 5, 10, 15, tzinfo=UTC)
    last_sales = st.integers(0, 6).map(lambda n: base - timedelta(hours=n))

    @st.composite
    def build(draw: st.DrawFn) -> SellerTally:
        visits = draw(st.integers(1, max_visits))
        cap = draw(st.integers(1, max_cap))
        return SellerTally(
            seller_code=draw(seller_codes() if seller_code is None else seller_code),
            visits=visits,
            tally=min(visits, cap),
            last_sale_at=draw(last_sales),
        )

    return build()


def preferences(
    *,
    customer_id: st.SearchStrategy[str] | None = None,
    max_sellers: int = 4,
) -> st.SearchStrategy[Preference]:
    """Valid :class:`~otocore.distribution.Preference` values.

    The tallies are drawn, then ranked, and the winner and ``decided_by``
    follow from the ranking, as in a real result.

    >>> from hypothesis import find
    >>> pref = find(preferences(), lambda p: len(p.tallies) > 1)
    >>> pref.seller_code == pref.tallies[0].seller_code
    True
    """

    @st.composite
    def build(draw: st.DrawFn) -> Preference:
        tallies = draw(
            st.lists(
                seller_tallies(),
                min_size=1,
                max_size=max_sellers,
                unique_by=lambda t: t.seller_code,
            )
        )
        ranked = _rank(tallies)
        return Preference(
            customer_id=draw(customer_ids() if customer_id is None else customer_id),
            seller_code=ranked[0].seller_code,
            tallies=ranked,
            decided_by=_decided_by(ranked),
        )

    return build()


def redistribution_targets(
    *,
    code: st.SearchStrategy[str] | None = None,
    seed: st.SearchStrategy[int] | None = None,
) -> st.SearchStrategy[RedistributionTarget]:
    """:class:`~otocore.distribution.ToSeller` or :class:`~otocore.distribution.Balanced`.

    >>> from hypothesis import find
    >>> find(redistribution_targets(), lambda t: isinstance(t, Balanced))
    Balanced(seed=0)
    """
    to_seller = st.builds(ToSeller, seller_codes() if code is None else code)
    balanced = st.builds(Balanced, st.integers(0, 2**32 - 1) if seed is None else seed)
    return st.one_of(to_seller, balanced)


def suggestion_limiters(*, max_value: int = 200) -> st.SearchStrategy[SuggestionLimiter]:
    """Valid :class:`~otocore.distribution.SuggestionLimiter` values, ``minimum <= maximum``.

    >>> from hypothesis import find
    >>> lim = find(suggestion_limiters(), lambda s: s.minimum < s.maximum)
    >>> lim.minimum <= lim.maximum
    True
    """
    bounds = st.lists(st.integers(0, max_value), min_size=2, max_size=2).map(sorted)
    return bounds.map(lambda b: SuggestionLimiter(b[0], b[1]))


def strategy_table() -> dict[type, st.SearchStrategy[object]]:
    """Default strategies for this module's types, for ``st.from_type`` registration.

    >>> sorted(cls.__name__ for cls in strategy_table())
    ['Balanced', 'Preference', 'PreferredSellerPolicy', 'SellerTally', 'SuggestionLimiter', 'ToSeller']
    """
    return {
        Balanced: st.builds(Balanced, st.integers(0, 2**32 - 1)),
        Preference: preferences(),
        PreferredSellerPolicy: preferred_seller_policies(),
        SellerTally: seller_tallies(),
        SuggestionLimiter: suggestion_limiters(),
        ToSeller: st.builds(ToSeller, seller_codes()),
    }
