"""Strategies for :mod:`otocore.rfv`: policies, thresholds, segment grids, raw values, scores."""

from __future__ import annotations

from decimal import Decimal

from dateutil.relativedelta import relativedelta
from hypothesis import strategies as st

from otocore.rfv import (
    MAX_BINS,
    MIN_BINS,
    RawRfv,
    RfvPolicy,
    RfvScore,
    RfvThresholds,
    ScoreRectangle,
    Segment,
    SegmentGrid,
    default_grid,
)
from otocore.testing._strategies import customer_ids, money

_ZONES = ("America/Sao_Paulo", "America/Manaus", "America/Recife", "America/Noronha", "UTC")
_NAMES = (
    ("champions", "Champions", "Campeões"),
    ("loyal", "Loyal", "Fiéis"),
    ("promising", "Promising", "Promissores"),
    ("at_risk", "At risk", "Em risco"),
    ("hibernating", "Hibernating", "Hibernando"),
    ("lost", "Lost", "Perdidos"),
)


def rfv_windows() -> st.SearchStrategy[relativedelta]:
    """Windows an :class:`~otocore.rfv.RfvPolicy` accepts, 12 months drawn often.

    Whole months (1 to 36), years (1 to 3) or days (1 to 800).

    >>> from hypothesis import find
    >>> find(rfv_windows(), lambda w: w.days > 0).days > 0
    True
    """
    return st.one_of(
        st.just(relativedelta(months=12)),
        st.integers(1, 36).map(lambda n: relativedelta(months=n)),
        st.integers(1, 3).map(lambda n: relativedelta(years=n)),
        st.integers(1, 800).map(lambda n: relativedelta(days=n)),
    )


def _ascending_ints(count: int, *, max_value: int) -> st.SearchStrategy[tuple[int, ...]]:
    return st.lists(st.integers(0, max_value), min_size=count, max_size=count, unique=True).map(
        lambda xs: tuple(sorted(xs))
    )


def rfv_thresholds(*, bins: int = 5) -> st.SearchStrategy[RfvThresholds]:
    """Valid cut points for ``bins`` levels: ``bins - 1`` ascending points per dimension.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(rfv_thresholds(bins=3))
    ... def test_two_cut_points(thresholds):
    ...     assert len(thresholds.recency) == len(thresholds.value) == 2
    >>> test_two_cut_points()
    """
    count = bins - 1
    values = st.lists(
        money(max_value=Decimal(20000)), min_size=count, max_size=count, unique=True
    ).map(lambda xs: tuple(sorted(xs)))
    return st.builds(
        RfvThresholds,
        recency=_ascending_ints(count, max_value=800),
        frequency=_ascending_ints(count, max_value=30),
        value=values,
    )


@st.composite
def _partition(
    draw: st.DrawFn, r: tuple[int, int], f: tuple[int, int], depth: int
) -> list[ScoreRectangle]:
    """Cut a rectangle in two along r or f, recursively (a guillotine partition)."""
    axes = [name for name, (lo, hi) in (("r", r), ("f", f)) if hi > lo]
    if depth == 0 or not axes or not draw(st.booleans()):
        return [ScoreRectangle(r=r, f=f)]
    axis = draw(st.sampled_from(axes))
    lo, hi = r if axis == "r" else f
    cut = draw(st.integers(lo, hi - 1))
    if axis == "r":
        return draw(_partition((lo, cut), f, depth - 1)) + draw(
            _partition((cut + 1, hi), f, depth - 1)
        )
    return draw(_partition(r, (lo, cut), depth - 1)) + draw(_partition(r, (cut + 1, hi), depth - 1))


@st.composite
def _grids(draw: st.DrawFn, bins: int) -> SegmentGrid:
    boxes = draw(_partition((1, bins), (1, bins), 4))
    count = draw(st.integers(1, len(boxes)))
    order = draw(st.permutations(range(len(boxes))))
    owner = {box: i for i, box in enumerate(order[:count])}
    for box in order[count:]:
        owner[box] = draw(st.integers(0, count - 1))
    segments = []
    for i in range(count):
        key, en, pt = _NAMES[i % len(_NAMES)]
        suffix = "" if i < len(_NAMES) else f"_{i}"
        segments.append(
            Segment(
                key=key + suffix,
                label_en=en + suffix,
                label_pt=pt + suffix,
                rectangles=[boxes[b] for b in sorted(b for b, s in owner.items() if s == i)],
            )
        )
    return SegmentGrid(bins=bins, segments=segments)


def segment_grids(*, bins: int = 5) -> st.SearchStrategy[SegmentGrid]:
    """Valid grids for ``bins`` levels: random guillotine partitions of the R-F square.

    Each rectangle belongs to one segment; a segment may hold several.

    >>> from hypothesis import find
    >>> grid = find(segment_grids(bins=3), lambda g: len(g.segments) > 1)
    >>> grid.bins, len(grid.segments) > 1
    (3, True)
    """
    if isinstance(bins, bool) or not isinstance(bins, int) or not MIN_BINS <= bins <= MAX_BINS:
        raise ValueError(f"bins must be an int in {MIN_BINS}..{MAX_BINS}, got {bins!r}")
    return _grids(bins)


@st.composite
def _policies(
    draw: st.DrawFn,
    bins: st.SearchStrategy[int],
    thresholds: bool | None,
    time_zone: st.SearchStrategy[str],
    window: st.SearchStrategy[relativedelta],
) -> RfvPolicy:
    n = draw(bins)
    use_thresholds = draw(st.booleans()) if thresholds is None else thresholds
    cut_points = draw(rfv_thresholds(bins=n)) if use_thresholds else None
    grids = segment_grids(bins=n)
    grid = draw(st.just(default_grid()) | grids if n == 5 else grids)
    return RfvPolicy(
        time_zone=draw(time_zone),
        window=draw(window),
        bins=n,
        thresholds=cut_points,
        grid=grid,
    )


def rfv_policies(
    *,
    bins: st.SearchStrategy[int] | None = None,
    thresholds: bool | None = None,
    time_zone: st.SearchStrategy[str] | None = None,
    window: st.SearchStrategy[relativedelta] | None = None,
) -> st.SearchStrategy[RfvPolicy]:
    """Valid :class:`~otocore.rfv.RfvPolicy` values.

    Args:
        bins: levels to draw from (default 2..10, 5 often).
        thresholds: ``False`` for quantile scoring only, ``True`` for threshold
            scoring only, ``None`` (default) for either.
        time_zone: zones to draw from (default Brazilian zones and UTC).
        window: windows to draw from (default :func:`rfv_windows`).

    For 5 bins the grid is the default grid or a random one; for other bins a
    random :func:`segment_grids` grid.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(rfv_policies(thresholds=True))
    ... def test_threshold_policies(policy):
    ...     assert len(policy.thresholds.recency) == policy.bins - 1
    >>> test_threshold_policies()
    """
    return _policies(
        st.just(5) | st.integers(MIN_BINS, MAX_BINS) if bins is None else bins,
        thresholds,
        st.sampled_from(_ZONES) if time_zone is None else time_zone,
        rfv_windows() if window is None else window,
    )


@st.composite
def _raw(draw: st.DrawFn, customer_id: st.SearchStrategy[str]) -> RawRfv:
    frequency = draw(st.integers(0, 40))
    value = draw(money()) if frequency else Decimal(0)
    return RawRfv(
        customer_id=draw(customer_id),
        recency_days=draw(st.integers(0, 1500)),
        frequency=frequency,
        value=value,
    )


def raw_rfvs(*, customer_id: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[RawRfv]:
    """Raw RFV values of one customer (value 0 whenever frequency is 0).

    >>> from hypothesis import find
    >>> find(raw_rfvs(), lambda r: r.frequency == 0).value
    Decimal('0')
    """
    return _raw(customer_ids() if customer_id is None else customer_id)


@st.composite
def _scores(draw: st.DrawFn, grid: SegmentGrid) -> RfvScore:
    raw = draw(raw_rfvs())
    levels = st.integers(1, grid.bins)
    r, f = draw(levels), draw(levels)
    return RfvScore(
        customer_id=raw.customer_id,
        recency_days=raw.recency_days,
        frequency=raw.frequency,
        value=raw.value,
        r=r,
        f=f,
        v=draw(levels),
        segment=grid.segment(r, f),
    )


def rfv_score_values(*, grid: SegmentGrid | None = None) -> st.SearchStrategy[RfvScore]:
    """Well-formed :class:`~otocore.rfv.RfvScore` values, the segment taken from ``grid``.

    The scores are drawn independently of the raw values, so use these for
    serialization and display tests, not to check the scoring rule.

    >>> from hypothesis import find
    >>> find(rfv_score_values(), lambda s: s.r == 5 and s.f == 5).segment
    'champions'
    """
    return _scores(default_grid() if grid is None else grid)
