"""RFV (recência, frequência, valor): recency, frequency and value scores and segments.

RFV is the Brazilian name of RFM. Oto's FAQ says every customer
carries a badge "de acordo com sua classificação RFV: Recência: número de dias
desde sua última compra; Frequência: número de compras; Valor: valor monetário
(R$)", and Reshop's customer module help page (Análise RFV) counts "o número de
compras realizadas em um período específico e o valor total das compras".

**The rule, exactly.** ``as_of`` is a local calendar date in the policy's time
zone; an order's *day* is its ``placed_at`` converted to that zone. Only
COMPLETED orders whose day is on or before ``as_of`` count. The window is the
days ``d`` with ``as_of - window < d <= as_of``.

* ``recency_days = (as_of - day of the last counted order).days``, over all
  history; ``frequency`` is the number of counted orders in the window and
  ``value`` the sum of their totals. Every customer with at least one counted
  order is scored; one with none in the window has frequency 0 and value 0.
* Quantile scoring (the default): for each of R, F and V,
  ``score(x) = 1 + floor(bins * w / n)``, where ``n`` is the number of
  customers scored together and ``w`` how many of them are *strictly worse*
  than ``x`` (more days is worse; less frequency or value is worse). In SQL:
  ``1 + floor(bins * (rank() over (order by x worst first) - 1) / count(*) over ())``.
* Threshold scoring: with ascending cut points ``c1 < ... < ck`` (``k = bins - 1``),
  ``score = 1 + #{c : x >= c}`` for frequency and value and
  ``score = 1 + #{c : x <= c}`` for recency (fewer days is better).
* The segment is the cell of ``(r, f)`` in the policy's :class:`SegmentGrid`.

A small brand on 2026-05-10, default policy (12 months, 5 bins). With five
customers, ``score = 1 + w``:

>>> from datetime import date, datetime
>>> from decimal import Decimal
>>> from zoneinfo import ZoneInfo
>>> from otocore.orders import Order
>>> SP = ZoneInfo("America/Sao_Paulo")
>>> def order(n, customer, day, total):
...     return Order(
...         order_id=f"P{n}",
...         customer_id=customer,
...         store_id="L01",
...         placed_at=datetime(*day, 12, tzinfo=SP),
...         total=Decimal(total),
...         seller_code=None,
...     )
>>> orders = [
...     order(1, "ANA", (2026, 5, 8), "300.00"),
...     order(2, "ANA", (2026, 4, 1), "200.00"),
...     order(3, "ANA", (2025, 12, 10), "500.00"),
...     order(4, "ANA", (2025, 9, 1), "150.00"),
...     order(5, "BIA", (2026, 5, 1), "120.00"),
...     order(6, "CAIO", (2025, 11, 20), "80.00"),
...     order(7, "CAIO", (2025, 6, 15), "80.00"),
...     order(8, "DUDA", (2026, 2, 14), "450.00"),
...     order(9, "DUDA", (2026, 1, 10), "450.00"),
...     order(10, "DUDA", (2025, 10, 5), "300.00"),
...     order(11, "EDU", (2024, 12, 24), "900.00"),  # before the window
... ]
>>> scores = rfv_scores(orders, date(2026, 5, 10))
>>> for s in scores.values():
...     print(s.customer_id, s.recency_days, s.frequency, s.value, s.r, s.f, s.v, s.segment)
ANA 2 4 1150.00 5 5 4 champions
BIA 9 1 120.00 4 2 2 potential_loyalists
CAIO 171 2 160.00 2 3 3 at_risk
DUDA 85 3 1200.00 3 4 5 loyal_customers
EDU 502 0 0 1 1 1 hibernating
>>> RfvPolicy().grid.label("at_risk", lang="pt")
'Em risco'

Bad input is a :class:`~otocore.errors.ValidationError` naming the field:

>>> RfvPolicy(bins=1)
Traceback (most recent call last):
...
otocore.errors.ValidationError: RfvPolicy.bins must be >= 2, got 1
>>> rfv_scores(orders, datetime(2026, 5, 10, tzinfo=SP))
Traceback (most recent call last):
...
otocore.errors.ValidationError: as_of must be a datetime.date (a local calendar day), got datetime.datetime(2026, 5, 10, 0, 0, tzinfo=zoneinfo.ZoneInfo(key='America/Sao_Paulo'))
"""

from __future__ import annotations

import bisect
import functools
import itertools
import json
import re
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from importlib import resources
from operator import attrgetter
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import attrs
from dateutil.relativedelta import relativedelta

from otocore import _time
from otocore import _validate as v
from otocore._time import window_start
from otocore.errors import NotFound, ValidationError
from otocore.orders import Order, OrderStatus

__all__ = [
    "MAX_BINS",
    "MIN_BINS",
    "RawRfv",
    "RfvPolicy",
    "RfvScore",
    "RfvThresholds",
    "ScoreRectangle",
    "Segment",
    "SegmentGrid",
    "default_grid",
    "quantile_scores",
    "raw_values",
    "rfv_scores",
    "score_raw",
    "threshold_score",
]

MIN_BINS = 2
"""The fewest score levels a policy may use."""

MAX_BINS = 10
"""The most score levels a policy may use (scores are 1..bins)."""

_ZERO = Decimal(0)
_KEY = re.compile(r"[a-z][a-z0-9_]*\Z")
_LANGS = ("pt", "en")

_T = TypeVar("_T", int, Decimal)


# validators -----------------------------------------------------------------
# Each does its work when it is called, in module-level functions: no
# validator is built by a factory at import time.


def _require_amount(field: str, value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal):
        raise ValidationError(field, value, "must be a decimal.Decimal (never a float)")
    if not value.is_finite() or value < 0:
        raise ValidationError(field, value, "must be a finite decimal >= 0")
    return value


def _key(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    field = v.field_name(instance, attribute)
    if not isinstance(value, str) or not _KEY.match(value) or len(value) > 50:
        raise ValidationError(
            field, value, "must be a snake_case key such as 'cant_lose' (a-z, 0-9, _; max 50)"
        )


_score_level = v.integer(min_value=1, max_value=MAX_BINS)


def _score_range(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    field = v.field_name(instance, attribute)
    rule = f"must be a pair (lo, hi) of scores with 1 <= lo <= hi <= {MAX_BINS}"
    if not isinstance(value, tuple) or len(value) != 2:
        raise ValidationError(field, value, rule)
    lo, hi = value
    if not all(v.is_int(x) for x in value):
        raise ValidationError(field, value, rule)
    if not 1 <= lo <= hi <= MAX_BINS:
        raise ValidationError(field, value, rule)


def _rectangles(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    _require_non_empty_tuple(v.field_name(instance, attribute), value, ScoreRectangle)


def _segments(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    _require_non_empty_tuple(v.field_name(instance, attribute), value, Segment)


def _require_non_empty_tuple(field: str, value: Any, kind: type) -> None:
    v.require_tuple_of(field, value, kind, rule=f"must be a non-empty list of {kind.__name__}")


def _int_cut_points(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    _require_cut_points(v.field_name(instance, attribute), value, _require_count)


def _decimal_cut_points(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    _require_cut_points(v.field_name(instance, attribute), value, _require_amount)


def _require_count(field: str, value: Any) -> None:
    v.require_int(field, value, min_value=0)


def _require_cut_points(field: str, value: Any, require_item: Callable[[str, Any], object]) -> None:
    if not isinstance(value, tuple) or not value:
        raise ValidationError(field, value, "must be a non-empty list of cut points")
    for i, item in enumerate(value):
        require_item(f"{field}[{i}]", item)
    for i in range(1, len(value)):
        if not value[i - 1] < value[i]:
            raise ValidationError(
                field, value, "must be strictly ascending (each cut point above the one before)"
            )


# segment grid ---------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ScoreRectangle:
    """A rectangle of (r, f) score pairs: ``r[0] <= r <= r[1]`` and ``f[0] <= f <= f[1]``.

    Both ranges are inclusive. In JSON: ``{"r": [1, 2], "f": [3, 4]}``.

    Attributes:
        r: the inclusive range of recency scores, ``(lo, hi)``.
        f: the inclusive range of frequency scores, ``(lo, hi)``.

    Examples:
        >>> box = ScoreRectangle(r=(1, 2), f=(3, 4))
        >>> sorted(box.cells())
        [(1, 3), (1, 4), (2, 3), (2, 4)]
        >>> ScoreRectangle(r=(2, 1), f=(1, 1))
        Traceback (most recent call last):
        ...
        otocore.errors.ValidationError: ScoreRectangle.r must be a pair (lo, hi) of scores with 1 <= lo <= hi <= 10, got (2, 1)
    """

    r: tuple[int, int] = attrs.field(converter=v.list_to_tuple, validator=_score_range)
    f: tuple[int, int] = attrs.field(converter=v.list_to_tuple, validator=_score_range)

    def cells(self) -> list[tuple[int, int]]:
        """Return every (r, f) pair in the rectangle.

        Examples:
            >>> ScoreRectangle(r=(5, 5), f=(4, 5)).cells()
            [(5, 4), (5, 5)]
        """
        return [
            (r, f) for r in range(self.r[0], self.r[1] + 1) for f in range(self.f[0], self.f[1] + 1)
        ]


@attrs.frozen(kw_only=True)
class Segment:
    """One named segment of a :class:`SegmentGrid`: a key, two labels and its rectangles.

    Attributes:
        key: stable snake_case English key, e.g. ``"cant_lose"``; this is what
            :attr:`RfvScore.segment` holds.
        label_en: label in English.
        label_pt: label in Brazilian Portuguese, shown to sellers.
        rectangles: the (r, f) rectangles that make up the segment.

    Examples:
        >>> seg = Segment(
        ...     key="champions",
        ...     label_en="Champions",
        ...     label_pt="Campeões",
        ...     rectangles=[ScoreRectangle(r=(5, 5), f=(4, 5))],
        ... )
        >>> seg.rectangles
        (ScoreRectangle(r=(5, 5), f=(4, 5)),)
        >>> Segment(key="Top Clients", label_en="Top", label_pt="Top", rectangles=seg.rectangles)
        Traceback (most recent call last):
        ...
        otocore.errors.ValidationError: Segment.key must be a snake_case key such as 'cant_lose' (a-z, 0-9, _; max 50), got 'Top Clients'
    """

    key: str = attrs.field(validator=_key)
    label_en: str = attrs.field(validator=v.text(100))
    label_pt: str = attrs.field(validator=v.text(100))
    rectangles: tuple[ScoreRectangle, ...] = attrs.field(
        converter=v.list_to_tuple, validator=_rectangles
    )


@attrs.frozen(kw_only=True)
class SegmentGrid:
    """A map from (r, f) score pairs to named segments, checked when it is built.

    Every pair ``(r, f)`` with ``1 <= r, f <= bins`` must lie in exactly one
    rectangle of exactly one segment. A gap or an overlap is a
    :class:`~otocore.errors.ValidationError` that lists every uncovered pair
    and every overlap (with the rectangles involved); there is no silent
    "Other". Segment keys are unique.

    Attributes:
        bins: the number of score levels the grid is for; it must equal the
            policy's ``bins``.
        segments: the segments, in the order they are listed.

    Examples:
        >>> grid = SegmentGrid(
        ...     bins=2,
        ...     segments=[
        ...         Segment(
        ...             key="active",
        ...             label_en="Active",
        ...             label_pt="Ativos",
        ...             rectangles=[ScoreRectangle(r=(2, 2), f=(1, 2))],
        ...         ),
        ...         Segment(
        ...             key="lapsed",
        ...             label_en="Lapsed",
        ...             label_pt="Inativos",
        ...             rectangles=[ScoreRectangle(r=(1, 1), f=(1, 2))],
        ...         ),
        ...     ],
        ... )
        >>> grid.segment(2, 1), grid.label("lapsed", lang="pt")
        ('active', 'Inativos')
        >>> SegmentGrid(bins=2, segments=grid.segments[:1])
        Traceback (most recent call last):
        ...
        otocore.errors.ValidationError: SegmentGrid.segments leave score pairs uncovered: (r=1, f=1), (r=1, f=2); every pair with scores 1..2 must belong to exactly one segment, got [(1, 1), (1, 2)]
    """

    bins: int = attrs.field(validator=v.integer(min_value=MIN_BINS, max_value=MAX_BINS))
    segments: tuple[Segment, ...] = attrs.field(converter=v.list_to_tuple, validator=_segments)
    _cells: dict[tuple[int, int], str] = attrs.field(
        init=False, repr=False, eq=False, default=attrs.Factory(dict)
    )

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_cells", _check_grid(self.bins, self.segments))

    def segment(self, r: int, f: int) -> str:
        """Return the key of the segment that holds the score pair ``(r, f)``.

        Examples:
            >>> default_grid().segment(5, 5)
            'champions'
            >>> default_grid().segment(6, 1)
            Traceback (most recent call last):
            ...
            otocore.errors.ValidationError: r must be <= 5, got 6
        """
        v.require_int("r", r, min_value=1, max_value=self.bins)
        v.require_int("f", f, min_value=1, max_value=self.bins)
        return self._cells[r, f]

    def label(self, key: str, *, lang: str = "pt") -> str:
        """Return the label of segment ``key`` in ``lang`` (``"pt"`` or ``"en"``).

        Raises:
            NotFound: no segment has that key.
            ValidationError: ``lang`` is neither ``"pt"`` nor ``"en"``.

        Examples:
            >>> default_grid().label("cant_lose")
            'Não podemos perder'
            >>> default_grid().label("cant_lose", lang="en")
            "Can't lose them"
            >>> default_grid().label("lost")
            Traceback (most recent call last):
            ...
            otocore.errors.NotFound: Segment 'lost' not found
        """
        if lang not in _LANGS:
            raise ValidationError("lang", lang, "must be 'pt' or 'en'")
        for seg in self.segments:
            if seg.key == key:
                return seg.label_pt if lang == "pt" else seg.label_en
        raise NotFound("Segment", key)

    @classmethod
    def from_json(cls, data: str | bytes | Mapping[str, Any]) -> SegmentGrid:
        """Deprecated: use ``otocore.serialization.loads(text, SegmentGrid)``.

        It calls :func:`otocore.serialization.loads` (JSON text) or
        :func:`otocore.serialization.structure` (an already parsed object).
        The format is what :data:`otocore.serialization.converter` produces:
        ``{"bins": 5, "segments": [{"key": ..., "label_en": ..., "label_pt": ...,
        "rectangles": [{"r": [lo, hi], "f": [lo, hi]}, ...]}, ...]}``.

        Examples:
            >>> import warnings
            >>> text = '''{"bins": 2, "segments": [
            ...   {"key": "all", "label_en": "All", "label_pt": "Todos",
            ...    "rectangles": [{"r": [1, 2], "f": [1, 2]}]}]}'''
            >>> with warnings.catch_warnings(record=True) as caught:
            ...     warnings.simplefilter("always")
            ...     grid = SegmentGrid.from_json(text)
            >>> grid.segment(1, 2), str(caught[0].message)
            ('all', 'SegmentGrid.from_json is deprecated; use otocore.serialization.loads(text, SegmentGrid)')
        """
        from otocore import serialization  # the deprecated alias's only way up

        warnings.warn(
            "SegmentGrid.from_json is deprecated; use otocore.serialization.loads(text, SegmentGrid)",
            DeprecationWarning,
            stacklevel=2,
        )
        if isinstance(data, str | bytes):
            return serialization.loads(data, cls)
        return serialization.structure(data, cls)


def _check_grid(bins: int, segments: tuple[Segment, ...]) -> dict[tuple[int, int], str]:
    """Map every cell to its segment key, or raise every gap and overlap found."""
    faults: list[ValidationError] = []
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    cells: dict[tuple[int, int], str] = {}
    seen_keys: dict[str, int] = {}
    for i, seg in enumerate(segments):
        if seg.key in seen_keys:
            faults.append(
                ValidationError(
                    f"SegmentGrid.segments[{i}].key",
                    seg.key,
                    f"must be unique; segments[{seen_keys[seg.key]}] has the same key",
                )
            )
        seen_keys.setdefault(seg.key, i)
        for j, box in enumerate(seg.rectangles):
            path = f"SegmentGrid.segments[{i}].rectangles[{j}]"
            for name, rng in (("r", box.r), ("f", box.f)):
                if rng[1] > bins:
                    faults.append(
                        ValidationError(f"{path}.{name}", rng, f"must lie within 1..{bins}")
                    )
            clashes: dict[tuple[int, int], list[tuple[int, int]]] = {}
            for cell in box.cells():
                if cell[0] > bins or cell[1] > bins:
                    continue
                if cell in owner:
                    clashes.setdefault(owner[cell], []).append(cell)
                else:
                    owner[cell] = (i, j)
                    cells[cell] = seg.key
            for (i0, j0), overlap in clashes.items():
                listed = ", ".join(f"(r={r}, f={f})" for r, f in overlap)
                faults.append(
                    ValidationError(
                        path,
                        overlap,
                        f"overlaps segments[{i0}].rectangles[{j0}] ({segments[i0].key!r}) "
                        f"on {listed}; every pair must belong to exactly one segment",
                    )
                )
    gaps = [(r, f) for r in range(1, bins + 1) for f in range(1, bins + 1) if (r, f) not in cells]
    if gaps:
        listed = ", ".join(f"(r={r}, f={f})" for r, f in gaps)
        faults.append(
            ValidationError(
                "SegmentGrid.segments",
                gaps,
                f"leave score pairs uncovered: {listed}; every pair with scores "
                f"1..{bins} must belong to exactly one segment",
            )
        )
    if faults:
        raise ValidationError.collect(faults)
    return cells


def _grid_from_data(data: Mapping[str, Any]) -> SegmentGrid:
    """Build a grid from the trusted data file shipped with otocore (no converter needed)."""
    return SegmentGrid(
        bins=data["bins"],
        segments=[
            Segment(
                key=seg["key"],
                label_en=seg["label_en"],
                label_pt=seg["label_pt"],
                rectangles=[
                    ScoreRectangle(r=tuple(box["r"]), f=tuple(box["f"]))
                    for box in seg["rectangles"]
                ],
            )
            for seg in data["segments"]
        ],
    )


@functools.cache
def default_grid() -> SegmentGrid:
    """Return otocore's default grid: the usual 5x5 R-F segment map, with pt-BR labels.

    Rows are R (recency score), columns F (frequency score)::

        R\\F  1               2               3               4          5
        5    new_customers   potential_loy.  potential_loy.  champions  champions
        4    promising       potential_loy.  potential_loy.  loyal      loyal
        3    about_to_sleep  about_to_sleep  need_attention  loyal      loyal
        2    hibernating     hibernating     at_risk         at_risk    cant_lose
        1    hibernating     hibernating     at_risk         at_risk    cant_lose

    It is the map popularised by RFM segmentation guides as regular expressions
    on the "RF" string (``[1-2][1-2]`` hibernating ... ``5[4-5]`` champions),
    shipped as ``otocore/data/segments_default.json``. It is for ``bins=5``.

    Examples:
        >>> grid = default_grid()
        >>> grid.bins, len(grid.segments)
        (5, 10)
        >>> grid.segment(1, 5), grid.label("hibernating")
        ('cant_lose', 'Hibernando')
    """
    text = resources.files("otocore").joinpath("data/segments_default.json").read_text("utf-8")
    return _grid_from_data(json.loads(text))


# policy -----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class RfvThresholds:
    """Cut points for threshold scoring, one ascending list per dimension.

    With cut points ``c1 < c2 < ... < ck`` (``k = bins - 1``):

    * frequency and value: ``score = 1 + #{c : x >= c}`` (a cut point is
      beaten by reaching it);
    * recency: ``score = 1 + #{c : x <= c}`` (fewer days is better; a cut
      point is beaten by being at or under it).

    So with recency cut points ``(30, 60, 90, 180)``: 0-30 days scores 5,
    31-60 scores 4, 61-90 scores 3, 91-180 scores 2 and 181 or more scores 1.
    With frequency ``(2, 3, 5, 8)``: 0-1 orders score 1, 2 scores 2, 3-4 score
    3, 5-7 score 4 and 8 or more score 5. Cut points are non-negative and
    strictly ascending; recency and frequency are integers, value Decimals.

    Attributes:
        recency: day counts, ascending.
        frequency: order counts, ascending.
        value: amounts (Decimal), ascending.

    Examples:
        >>> t = RfvThresholds(
        ...     recency=(30, 60, 90, 180),
        ...     frequency=(2, 3, 5, 8),
        ...     value=(Decimal(100), Decimal(500), Decimal(1000), Decimal(3000)),
        ... )
        >>> [threshold_score(d, t.recency, lower_is_better=True) for d in (0, 30, 31, 180, 181)]
        [5, 5, 4, 2, 1]
        >>> RfvThresholds(recency=(30, 30), frequency=(1, 2), value=(Decimal(1), Decimal(2)))
        Traceback (most recent call last):
        ...
        otocore.errors.ValidationError: RfvThresholds.recency must be strictly ascending (each cut point above the one before), got (30, 30)
    """

    recency: tuple[int, ...] = attrs.field(converter=v.list_to_tuple, validator=_int_cut_points)
    frequency: tuple[int, ...] = attrs.field(converter=v.list_to_tuple, validator=_int_cut_points)
    value: tuple[Decimal, ...] = attrs.field(
        converter=v.list_to_tuple, validator=_decimal_cut_points
    )


def _default_grid_factory() -> SegmentGrid:
    return default_grid()


def _policy_thresholds(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, RfvThresholds):
        raise ValidationError(
            "RfvPolicy.thresholds",
            value,
            "must be None (quantile scoring) or an RfvThresholds (threshold scoring)",
        )
    bins = instance.bins
    for name in ("recency", "frequency", "value"):
        points = getattr(value, name)
        if len(points) != bins - 1:
            raise ValidationError(
                f"RfvPolicy.thresholds.{name}",
                points,
                f"must have bins - 1 = {bins - 1} cut points for bins={bins}",
            )


def _policy_grid(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, SegmentGrid):
        raise ValidationError("RfvPolicy.grid", value, "must be a SegmentGrid")
    if value.bins != instance.bins:
        raise ValidationError(
            "RfvPolicy.grid.bins",
            value.bins,
            f"must equal RfvPolicy.bins ({instance.bins}); the default grid is for 5 bins, "
            "so pass a grid of your own",
        )


@attrs.frozen(kw_only=True)
class RfvPolicy:
    """How a brand computes RFV: time zone, window, number of levels, scoring and segments.

    Attributes:
        time_zone: IANA zone of ``as_of`` and of the orders' local days.
            Default ``"America/Sao_Paulo"``.
        window: frequency and value count the local days ``d`` with
            ``as_of - window < d <= as_of``. A positive ``relativedelta`` of
            whole years, months, weeks or days (at most 100 years). Default
            ``relativedelta(months=12)``.
        bins: number of score levels; scores are ``1..bins``. Between
            :data:`MIN_BINS` (2) and :data:`MAX_BINS` (10). Default 5.
        thresholds: ``None`` (the default) for quantile scoring; an
            :class:`RfvThresholds` with ``bins - 1`` cut points per dimension
            for threshold scoring.
        grid: the :class:`SegmentGrid` that names segments; it must be built
            for ``bins``. Default :func:`default_grid` (for 5 bins; any other
            ``bins`` needs a grid of its own).

    Examples:
        >>> policy = RfvPolicy()
        >>> policy.time_zone, policy.window, policy.bins, policy.thresholds
        ('America/Sao_Paulo', relativedelta(years=+1), 5, None)
        >>> RfvPolicy(window=relativedelta(days=90)).window
        relativedelta(days=+90)
        >>> RfvPolicy(bins=3)
        Traceback (most recent call last):
        ...
        otocore.errors.ValidationError: RfvPolicy.grid.bins must equal RfvPolicy.bins (3); the default grid is for 5 bins, so pass a grid of your own, got 5
        >>> RfvPolicy(window=relativedelta(months=-1))
        Traceback (most recent call last):
        ...
        otocore.errors.ValidationError: RfvPolicy.window must be a positive relativedelta of whole years, months, weeks or days such as relativedelta(months=12), got relativedelta(months=-1)
    """

    time_zone: str = attrs.field(default=_time.DEFAULT_TIME_ZONE, validator=v.time_zone)
    window: relativedelta = attrs.field(
        default=attrs.Factory(lambda: relativedelta(months=12)), validator=_time.window
    )
    bins: int = attrs.field(default=5, validator=v.integer(min_value=MIN_BINS, max_value=MAX_BINS))
    thresholds: RfvThresholds | None = attrs.field(default=None, validator=_policy_thresholds)
    grid: SegmentGrid = attrs.field(
        default=attrs.Factory(_default_grid_factory), validator=_policy_grid
    )


# raw values and scores ----------------------------------------------------------


def _frequency_value(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    _require_amount(v.field_name(instance, attribute), value)
    if instance.frequency == 0 and value != 0:
        raise ValidationError(
            v.field_name(instance, attribute),
            value,
            "must be 0 when frequency is 0 (no orders, no value)",
        )


@attrs.frozen(kw_only=True)
class RawRfv:
    """The raw RFV values of one customer, before scoring.

    Build them with :func:`raw_values`, or from aggregates you already keep
    (e.g. a SQL view), then score them with :func:`score_raw`.

    Attributes:
        customer_id: the customer.
        recency_days: days from the last completed order's local day to
            ``as_of`` (>= 0).
        frequency: completed orders in the window (>= 0).
        value: sum of their totals, a ``Decimal`` >= 0 (0 when frequency is 0).

    Examples:
        >>> RawRfv(customer_id="C1", recency_days=3, frequency=2, value=Decimal("99.80"))
        RawRfv(customer_id='C1', recency_days=3, frequency=2, value=Decimal('99.80'))
        >>> RawRfv(customer_id="C1", recency_days=3, frequency=0, value=Decimal("9"))
        Traceback (most recent call last):
        ...
        otocore.errors.ValidationError: RawRfv.value must be 0 when frequency is 0 (no orders, no value), got Decimal('9')
    """

    customer_id: str = attrs.field(validator=v.text(100))
    recency_days: int = attrs.field(validator=v.integer(min_value=0))
    frequency: int = attrs.field(validator=v.integer(min_value=0))
    value: Decimal = attrs.field(validator=_frequency_value)


@attrs.frozen(kw_only=True)
class RfvScore:
    """The RFV of one customer: raw values, the three scores and the segment key.

    Attributes:
        customer_id: the customer.
        recency_days: days since the last completed order (see :class:`RawRfv`).
        frequency: completed orders in the window.
        value: sum of their totals.
        r: recency score, ``1..bins`` (higher is more recent).
        f: frequency score, ``1..bins`` (higher is more orders).
        v: value score, ``1..bins`` (higher is more money).
        segment: key of the segment of ``(r, f)`` in the policy's grid; get its
            label with ``policy.grid.label(score.segment, lang="pt")``.

    Examples:
        >>> s = RfvScore(
        ...     customer_id="C1",
        ...     recency_days=2,
        ...     frequency=4,
        ...     value=Decimal("1150.00"),
        ...     r=5,
        ...     f=5,
        ...     v=4,
        ...     segment="champions",
        ... )
        >>> (s.r, s.f, s.v), s.segment
        ((5, 5, 4), 'champions')
    """

    customer_id: str = attrs.field(validator=v.text(100))
    recency_days: int = attrs.field(validator=v.integer(min_value=0))
    frequency: int = attrs.field(validator=v.integer(min_value=0))
    value: Decimal = attrs.field(validator=_frequency_value)
    r: int = attrs.field(validator=_score_level)
    f: int = attrs.field(validator=_score_level)
    v: int = attrs.field(validator=_score_level)
    segment: str = attrs.field(validator=_key)


# public functions ---------------------------------------------------------------


def quantile_scores(values: Iterable[_T], *, bins: int, lower_is_better: bool) -> list[int]:
    """Score ``values`` against each other: ``1 + floor(bins * w / n)``.

    ``n`` is the number of values and ``w``, for each value, how many of the
    values are strictly worse (greater when ``lower_is_better``, smaller
    otherwise). Equal values get equal scores whatever their position; scores
    are monotonic and lie in ``1..bins``. SQL:
    ``1 + floor(bins * (rank() over (order by x worst first) - 1) / count(*) over ())``.

    Args:
        values: ints or Decimals (compared exactly).
        bins: number of score levels.
        lower_is_better: True for recency (fewer days is better).

    Returns:
        The scores, in the order of ``values``.

    Examples:
        >>> quantile_scores([0, 0, 0, 0, 1, 3], bins=5, lower_is_better=False)
        [1, 1, 1, 1, 4, 5]
        >>> quantile_scores([2, 171, 9], bins=3, lower_is_better=True)
        [3, 1, 2]
    """
    v.require_int("bins", bins, min_value=MIN_BINS, max_value=MAX_BINS)
    items = list(v.require_iterable("values", values, rule="must be an iterable of int or Decimal"))
    _check_comparable("values", items)
    return _quantile(items, bins, lower_is_better=lower_is_better)


def threshold_score(x: _T, cut_points: tuple[_T, ...], *, lower_is_better: bool) -> int:
    """Score one value against ascending cut points (see :class:`RfvThresholds`).

    ``1 + #{c : x >= c}``, or ``1 + #{c : x <= c}`` when ``lower_is_better``.

    Examples:
        >>> [threshold_score(n, (2, 3, 5, 8), lower_is_better=False) for n in (0, 2, 4, 8, 40)]
        [1, 2, 3, 5, 5]
        >>> threshold_score(Decimal("99.99"), (Decimal(100),), lower_is_better=False)
        1
    """
    if not isinstance(cut_points, tuple):
        raise ValidationError("cut_points", cut_points, "must be a tuple of ascending cut points")
    _check_comparable("cut_points", [*cut_points, x])
    if any(a >= b for a, b in itertools.pairwise(cut_points)):
        raise ValidationError("cut_points", cut_points, "must be strictly ascending")
    return _score_down(x, cut_points) if lower_is_better else _score_up(x, cut_points)


def raw_values(
    orders: Iterable[Order],
    as_of: date,
    *,
    policy: RfvPolicy = RfvPolicy(),
) -> RawRfv | None:
    """Return the raw RFV values of one customer, or ``None`` if nothing counts.

    ``orders`` are that customer's orders (any status, any day); only
    COMPLETED orders whose local day is on or before ``as_of`` count.

    Examples:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> late = Order(
        ...     order_id="P1",
        ...     customer_id="C1",
        ...     store_id="L01",
        ...     placed_at=datetime(2026, 5, 9, 23, 30, tzinfo=ZoneInfo("America/Sao_Paulo")),
        ...     total=Decimal("50.00"),
        ...     seller_code=None,
        ... )
        >>> raw_values([late], date(2026, 5, 10))  # 02:30 UTC on the 10th, local day the 9th
        RawRfv(customer_id='C1', recency_days=1, frequency=1, value=Decimal('50.00'))
        >>> raw_values([late], date(2026, 5, 8)) is None
        True
    """
    listed = list(v.require_iterable("orders", orders, rule="must be an iterable of Order"))
    rows = _aggregate(listed, as_of, policy)
    _check_one_customer(listed)
    if not rows:
        return None
    ((cid, days, freq, total),) = rows
    return RawRfv(customer_id=cid, recency_days=days, frequency=freq, value=total)


def score_raw(
    raws: Iterable[RawRfv],
    *,
    policy: RfvPolicy = RfvPolicy(),
) -> dict[str, RfvScore]:
    """Score raw values you already have; all of ``raws`` are scored together.

    Quantile scores depend on the whole group: ``n`` is the number of
    ``raws``. Customer ids must be unique.

    Returns:
        The scores keyed by customer id, sorted by id.

    Examples:
        >>> raws = [
        ...     RawRfv(customer_id="C1", recency_days=10, frequency=1, value=Decimal(50)),
        ...     RawRfv(customer_id="C2", recency_days=10, frequency=1, value=Decimal(50)),
        ...     RawRfv(customer_id="C3", recency_days=400, frequency=0, value=Decimal(0)),
        ... ]
        >>> [(s.r, s.f, s.v) for s in score_raw(raws).values()]
        [(2, 2, 2), (2, 2, 2), (1, 1, 1)]
    """
    v.require_instance("policy", policy, RfvPolicy)
    rows: list[tuple[str, int, int, Decimal]] = []
    seen: set[str] = set()
    for i, raw in enumerate(v.iter_instances("raws", raws, RawRfv)):
        if raw.customer_id in seen:
            raise ValidationError(
                f"raws[{i}].customer_id", raw.customer_id, "must be unique among raws"
            )
        seen.add(raw.customer_id)
        rows.append((raw.customer_id, raw.recency_days, raw.frequency, raw.value))
    rows.sort()
    return _score_rows(rows, policy)


def rfv_scores(
    orders: Iterable[Order],
    as_of: date,
    *,
    policy: RfvPolicy = RfvPolicy(),
) -> dict[str, RfvScore]:
    """Compute the RFV scores and segment of every customer of a brand.

    One pass over ``orders`` aggregates each customer's raw values (see the
    module docstring for the exact rule); then every customer with at least
    one completed order on or before ``as_of`` is scored against the others.
    Order ids must be unique.

    Args:
        orders: the brand's orders, any status and any day, in any order.
        as_of: the local day the scores are computed for.
        policy: the brand's :class:`RfvPolicy`.

    Returns:
        An :class:`RfvScore` per customer, keyed by customer id, sorted by id.

    Examples:
        >>> from datetime import UTC, datetime
        >>> from otocore.orders import OrderStatus
        >>> def order(n, customer, day, status=OrderStatus.COMPLETED):
        ...     return Order(
        ...         order_id=f"P{n}",
        ...         customer_id=customer,
        ...         store_id="L01",
        ...         placed_at=datetime(2026, 5, day, 15, tzinfo=UTC),
        ...         total=Decimal("10.00"),
        ...         seller_code=None,
        ...         status=status,
        ...     )
        >>> history = [
        ...     order(1, "C1", 1),
        ...     order(2, "C2", 5),
        ...     order(3, "C3", 9, OrderStatus.CANCELLED),
        ... ]
        >>> {c: (s.r, s.f, s.v) for c, s in rfv_scores(history, date(2026, 5, 10)).items()}
        {'C1': (1, 1, 1), 'C2': (3, 1, 1)}
    """
    return _score_rows(_aggregate(orders, as_of, policy), policy)


# private helpers ----------------------------------------------------------------


def _check_comparable(field: str, items: list[Any]) -> None:
    """All ints or all finite Decimals, so that comparison is exact and total."""
    kinds = set()
    for i, x in enumerate(items):
        if isinstance(x, bool) or not isinstance(x, int | Decimal):
            raise ValidationError(f"{field}[{i}]", x, "must be an int or a decimal.Decimal")
        if isinstance(x, Decimal) and not x.is_finite():
            raise ValidationError(f"{field}[{i}]", x, "must be a finite number")
        kinds.add(type(x))
    if len(kinds) > 1:
        raise ValidationError(field, items, "must be all int or all Decimal, not a mix")


def _quantile(items: list[_T], bins: int, *, lower_is_better: bool) -> list[int]:
    """``1 + floor(bins * w / n)``; ``w`` is the index of a value's first place, worst first."""
    n = len(items)
    score_of: dict[_T, int] = {}
    for i, x in enumerate(sorted(items, reverse=lower_is_better)):  # worst first
        if x not in score_of:  # the first place of x (equal values hash alike)
            score_of[x] = 1 + bins * i // n
    return [score_of[x] for x in items]


def _score_up(x: _T, cut_points: tuple[_T, ...]) -> int:
    """``1 + #{c : x >= c}``: frequency and value (more is better)."""
    return 1 + bisect.bisect_right(cut_points, x)


def _score_down(x: _T, cut_points: tuple[_T, ...]) -> int:
    """``1 + #{c : x <= c}``: recency (fewer days is better)."""
    return 1 + len(cut_points) - bisect.bisect_left(cut_points, x)


def _check_one_customer(orders: list[Order]) -> None:
    ids = sorted({o.customer_id for o in orders})
    if len(ids) > 1:
        raise ValidationError(
            "orders",
            ids[1],
            f"must all belong to one customer (found {ids[0]!r} and {ids[1]!r}); "
            "use rfv_scores() for a whole brand",
        )


def _aggregate(
    orders: Iterable[Order], as_of: date, policy: RfvPolicy
) -> list[tuple[str, int, int, Decimal]]:
    """One pass: a row (customer id, recency_days, frequency, value) per customer, by id."""
    v.require_date("as_of", as_of)
    v.require_instance("policy", policy, RfvPolicy)
    try:
        start = window_start(as_of, policy.window)
    except (OverflowError, ValueError):
        raise ValidationError(
            "as_of", as_of, "is too early for the policy's window (as_of - window is before year 1)"
        ) from None
    v.require_iterable("orders", orders, rule="must be an iterable of Order")
    listed = list(orders)
    zone = ZoneInfo(policy.time_zone)
    completed = OrderStatus.COMPLETED
    # Three flat dicts and no per-order or per-customer container: at a million
    # orders the garbage collector, not the arithmetic, is what costs.
    last: dict[str, date] = {}
    freq: dict[str, int] = {}
    total: dict[str, Decimal] = {}
    for i, order in enumerate(listed):
        if not isinstance(order, Order):
            raise ValidationError(f"orders[{i}]", order, "must be an otocore.orders.Order")
        if order.status is not completed:
            continue
        day = order.placed_at.astimezone(zone).date()  # _time.local_day
        if day > as_of:
            continue
        cid = order.customer_id
        previous = last.get(cid)
        if previous is None or day > previous:
            last[cid] = day
        if day > start:
            freq[cid] = freq.get(cid, 0) + 1
            total[cid] = total.get(cid, _ZERO) + order.total
    if len(set(map(_order_id, listed))) != len(listed):  # the ids, hashed at C speed
        _raise_duplicate(listed)
    return [
        (cid, (as_of - day).days, freq.get(cid, 0), total.get(cid, _ZERO))
        for cid, day in sorted(last.items())
    ]


_order_id = attrgetter("order_id")


def _raise_duplicate(orders: Sequence[Order]) -> None:
    seen: set[str] = set()
    for i, order in enumerate(orders):
        if order.order_id in seen:
            raise ValidationError(
                f"orders[{i}].order_id",
                order.order_id,
                "must be unique; the same order was given twice",
            )
        seen.add(order.order_id)


def _score_rows(
    rows: list[tuple[str, int, int, Decimal]], policy: RfvPolicy
) -> dict[str, RfvScore]:
    bins = policy.bins
    recency = [row[1] for row in rows]
    frequency = [row[2] for row in rows]
    value = [row[3] for row in rows]
    thresholds = policy.thresholds
    if not rows:
        return {}
    if thresholds is None:
        r_scores = _quantile(recency, bins, lower_is_better=True)
        f_scores = _quantile(frequency, bins, lower_is_better=False)
        v_scores = _quantile(value, bins, lower_is_better=False)
    else:
        r_scores = [_score_down(x, thresholds.recency) for x in recency]
        f_scores = [_score_up(x, thresholds.frequency) for x in frequency]
        v_scores = [_score_up(x, thresholds.value) for x in value]
    cells = policy.grid._cells
    return {
        row[0]: _trusted_score(row, r, f, vs, cells)
        for row, r, f, vs in zip(rows, r_scores, f_scores, v_scores, strict=True)
    }


_new = object.__new__
_set = object.__setattr__


def _trusted_score(
    row: tuple[str, int, int, Decimal], r: int, f: int, vs: int, cells: dict[tuple[int, int], str]
) -> RfvScore:
    """Build an RfvScore from values that are valid by construction, skipping the validators.

    ``row`` comes from validated Orders or RawRfvs, the scores are 1..bins by
    the formulas, and ``cells`` is the cell map of a validated grid. Validating
    again costs more than the rest of :func:`rfv_scores` put together.
    """
    score = _new(RfvScore)
    _set(score, "customer_id", row[0])
    _set(score, "recency_days", row[1])
    _set(score, "frequency", row[2])
    _set(score, "value", row[3])
    _set(score, "r", r)
    _set(score, "f", f)
    _set(score, "v", vs)
    _set(score, "segment", cells[r, f])
    return score
