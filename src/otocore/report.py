"""Relatório de vendas a partir de contatos (the results report).

Oto's help page for managers and sellers ("Visão de Resultados para Gerentes de Loja") lists,
for each period, "Atividades sugeridas", "Conversas iniciadas", "Conversas finalizadas",
"Vendas atribuídas", "Receita atribuída", "Taxa de conversão" and "Receita gerando saldo",
with the ranking of the sellers. This module draws those figures as one self-contained HTML
file: the figures as tables, and four charts (the funnel from suggested to sold, revenue by
seller, the ranking, the daily trend), labelled in Portuguese.

It does not compute anything: its input is a :class:`ReportFigures` value (the totals of the
scope, one :class:`SellerFigures` row per seller and one :class:`DayFigures` point per day
with sales), validated when built, so the page can only show figures that add up. Money is
:class:`~decimal.Decimal` throughout; the charts get floats only to draw.

Every figure on the page is also in a machine-readable attribute: the element showing it has
``data-figure`` (which figure, e.g. ``totals.revenue_gross``) and ``data-value`` (counts as
integers, money in integer centavos, days in ISO 8601), so a program can read the page back
exactly. The charts are SVG (drawn by Matplotlib, text as outlines) inlined in the page: no
script, no style sheet, no font and no image is fetched, so the file opens with no network.

>>> from datetime import date
>>> from decimal import Decimal
>>> seller = SellerFigures(
...     seller_code="V01",
...     seller_name="Ana Souza",
...     store_id="L01",
...     suggested=40,
...     started=25,
...     finished=20,
...     attributed_sales=3,
...     revenue_gross=Decimal("1234.56"),
...     revenue_net=Decimal("1000.00"),
... )
>>> figures = ReportFigures(
...     brand="Moda Exemplo",
...     store_id="L01",
...     first_day=date(2026, 11, 1),
...     last_day=date(2026, 11, 30),
...     totals=ReportTotals.of_sellers([seller], conversion_numerator=3),
...     sellers=(seller,),
...     trend=(DayFigures(day=date(2026, 11, 3), attributed_sales=3, revenue=Decimal("1234.56")),),
... )
>>> page = render_report(figures)
>>> 'data-figure="totals.revenue_gross" data-value="123456">R$ 1.234,56<' in page
True
>>> ReportFigures(
...     brand="Moda Exemplo",
...     first_day=date(2026, 11, 30),
...     last_day=date(2026, 11, 1),
...     totals=ReportTotals.of_sellers([]),
... )
Traceback (most recent call last):
...
otocore.errors.ValidationError: ReportFigures.last_day must be on or after first_day 2026-11-30, got datetime.date(2026, 11, 1)
"""

from __future__ import annotations

import html
import io
import re
import warnings
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from otocore import _validate as v
from otocore.errors import ValidationError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "DayFigures",
    "ReportFigures",
    "ReportTotals",
    "SellerFigures",
    "format_brl",
    "format_count",
    "format_day",
    "format_rate",
    "render_report",
]

# The product's words (Oto's help page "Visão de Resultados para Gerentes de Loja").
LABELS = {
    "suggested": "Atividades sugeridas",
    "started": "Conversas iniciadas",
    "finished": "Conversas finalizadas",
    "attributed_sales": "Vendas atribuídas",
    "revenue_gross": "Receita atribuída",
    "revenue_net": "Receita gerando saldo",
    "conversion": "Taxa de conversão",
}

_COUNT = v.integer(min_value=0)
# the ranking's chart shows the leaders (the table below it ranks every seller)
_RANKING_CHART_TOP = 15
_REVENUE_CHART_TOP = 30  # a brand of thousands of sellers draws 30 bars, not thousands
_T = TypeVar("_T")


@attrs.frozen(kw_only=True)
class ReportTotals:
    """The totals of the report's scope (the brand, or one store) over its period.

    ``revenue_gross`` is the attributed revenue ("Receita atribuída"); ``revenue_net`` is the
    part of it that still stands ("Receita gerando saldo": net of cancelled and returned
    orders), so it is never above the gross. The conversion rate ("Taxa de conversão") is kept
    as its numerator and denominator, the numerator never above the denominator.

    >>> t = ReportTotals(
    ...     suggested=10,
    ...     started=6,
    ...     finished=5,
    ...     attributed_sales=2,
    ...     revenue_gross=Decimal("300.00"),
    ...     revenue_net=Decimal("250.00"),
    ...     conversion_numerator=2,
    ...     conversion_denominator=6,
    ... )
    >>> format_rate(t.conversion_numerator, t.conversion_denominator)
    '33,3%'
    >>> attrs.evolve(t, revenue_net=Decimal("300.01"))
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: ReportTotals.revenue_net must be <= revenue_gross 300.00, got Decimal('300.01')
    """

    suggested: int = attrs.field(validator=_COUNT)
    started: int = attrs.field(validator=_COUNT)
    finished: int = attrs.field(validator=_COUNT)
    attributed_sales: int = attrs.field(validator=_COUNT)
    revenue_gross: Decimal = attrs.field(validator=v.money)
    revenue_net: Decimal = attrs.field(validator=v.money)
    conversion_numerator: int = attrs.field(validator=_COUNT)
    conversion_denominator: int = attrs.field(validator=_COUNT)

    def __attrs_post_init__(self) -> None:
        faults = _net_fault("ReportTotals", self.revenue_gross, self.revenue_net)
        if self.conversion_numerator > self.conversion_denominator:
            faults.append(
                ValidationError(
                    "ReportTotals.conversion_numerator",
                    self.conversion_numerator,
                    f"must be <= conversion_denominator {self.conversion_denominator}",
                )
            )
        if faults:
            raise ValidationError.collect(faults)

    @classmethod
    def of_sellers(
        cls,
        sellers: Iterable[SellerFigures],
        *,
        conversion_numerator: int | None = None,
        conversion_denominator: int | None = None,
    ) -> ReportTotals:
        """The totals that add up the rows of ``sellers``.

        The conversion's numerator defaults to the attributed sales and its denominator to the
        conversations started; pass them when they differ (a contact can earn several orders,
        so the default numerator can exceed the denominator, which :class:`ReportTotals`
        refuses). :func:`otocore.results.report_figures` passes the results page's numerator:
        the conversations started that earned at least one attributed sale.

        >>> ReportTotals.of_sellers([]).revenue_gross
        Decimal('0')
        """
        rows = list(sellers)
        started = sum(s.started for s in rows)
        sales = sum(s.attributed_sales for s in rows)
        return cls(
            suggested=sum(s.suggested for s in rows),
            started=started,
            finished=sum(s.finished for s in rows),
            attributed_sales=sales,
            revenue_gross=sum((s.revenue_gross for s in rows), Decimal(0)),
            revenue_net=sum((s.revenue_net for s in rows), Decimal(0)),
            conversion_numerator=sales if conversion_numerator is None else conversion_numerator,
            conversion_denominator=(
                started if conversion_denominator is None else conversion_denominator
            ),
        )


@attrs.frozen(kw_only=True)
class SellerFigures:
    """One seller's figures over the period: the funnel, the sales and the revenue.

    >>> SellerFigures(
    ...     seller_code="V01",
    ...     seller_name="Ana Souza",
    ...     store_id="L01",
    ...     suggested=1,
    ...     started=1,
    ...     finished=1,
    ...     attributed_sales=-1,
    ...     revenue_gross=Decimal(0),
    ...     revenue_net=Decimal(0),
    ... )
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: SellerFigures.attributed_sales must be >= 0, got -1
    """

    seller_code: str = attrs.field(validator=v.text(100))
    seller_name: str = attrs.field(validator=v.text(200))
    store_id: str = attrs.field(validator=v.text(100))
    suggested: int = attrs.field(validator=_COUNT)
    started: int = attrs.field(validator=_COUNT)
    finished: int = attrs.field(validator=_COUNT)
    attributed_sales: int = attrs.field(validator=_COUNT)
    revenue_gross: Decimal = attrs.field(validator=v.money)
    revenue_net: Decimal = attrs.field(validator=v.money)

    def __attrs_post_init__(self) -> None:
        faults = _net_fault("SellerFigures", self.revenue_gross, self.revenue_net)
        if faults:
            raise faults[0]


@attrs.frozen(kw_only=True)
class DayFigures:
    """One local day of the daily trend: the sales attributed that day and their revenue.

    ``revenue`` is attributed revenue (gross, like the totals' ``revenue_gross``).

    >>> DayFigures(day=date(2026, 11, 3), attributed_sales=2, revenue=Decimal("10.5"))
    DayFigures(day=datetime.date(2026, 11, 3), attributed_sales=2, revenue=Decimal('10.5'))
    """

    day: date = attrs.field(validator=v.local_date)
    attributed_sales: int = attrs.field(validator=_COUNT)
    revenue: Decimal = attrs.field(validator=v.money)


@attrs.frozen(kw_only=True)
class ReportFigures:
    """What the report shows: a scope, a period, its totals, its sellers and its daily trend.

    ``store_id`` is ``None`` for the whole brand, else the one store the report covers (every
    seller row is then of that store). The period is ``first_day`` to ``last_day``, both local
    days and both included. The figures must agree with each other, and every fault is
    reported at once: the sellers' codes are unique, the sellers' rows add up to the totals
    (suggested, started, finished, attributed sales, gross and net revenue), the trend's days
    are in the period in increasing order and its sales and revenue add up to the totals'
    attributed sales and gross revenue.

    >>> ReportFigures(
    ...     brand="Moda Exemplo",
    ...     first_day=date(2026, 11, 1),
    ...     last_day=date(2026, 11, 30),
    ...     totals=ReportTotals.of_sellers([]),
    ...     trend=[DayFigures(day=date(2026, 12, 1), attributed_sales=0, revenue=Decimal(0))],
    ... )
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: ReportFigures.trend[0].day must be within the period 2026-11-01 to 2026-11-30, got datetime.date(2026, 12, 1)
    """

    brand: str = attrs.field(validator=v.text(200))
    first_day: date = attrs.field(validator=v.local_date)
    last_day: date = attrs.field(validator=v.local_date)
    totals: ReportTotals = attrs.field(validator=v.instance_of(ReportTotals))
    sellers: tuple[SellerFigures, ...] = attrs.field(default=(), converter=v.list_to_tuple)
    trend: tuple[DayFigures, ...] = attrs.field(default=(), converter=v.list_to_tuple)
    store_id: str | None = attrs.field(default=None, validator=v.optional_text(100))

    def __attrs_post_init__(self) -> None:
        faults = _figures_faults(self)
        if faults:
            raise ValidationError.collect(faults)

    @property
    def ranking(self) -> tuple[SellerFigures, ...]:
        """The sellers ranked: attributed revenue (gross) first, then attributed sales, both
        descending, then seller code.

        >>> def row(code, sales, revenue):
        ...     return SellerFigures(
        ...         seller_code=code,
        ...         seller_name=code,
        ...         store_id="L01",
        ...         suggested=9,
        ...         started=5,
        ...         finished=4,
        ...         attributed_sales=sales,
        ...         revenue_gross=Decimal(revenue),
        ...         revenue_net=Decimal(revenue),
        ...     )
        >>> rows = [row("V3", 1, "50"), row("V1", 2, "50"), row("V2", 1, "50"), row("V4", 0, "90")]
        >>> figures = ReportFigures(
        ...     brand="B",
        ...     first_day=date(2026, 11, 1),
        ...     last_day=date(2026, 11, 1),
        ...     totals=ReportTotals.of_sellers(rows),
        ...     sellers=rows,
        ...     trend=[DayFigures(day=date(2026, 11, 1), attributed_sales=4, revenue=Decimal(240))],
        ... )
        >>> [s.seller_code for s in figures.ranking]
        ['V4', 'V1', 'V2', 'V3']
        """
        return tuple(
            sorted(
                self.sellers,
                key=lambda s: (-s.revenue_gross, -s.attributed_sales, s.seller_code),
            )
        )


def _net_fault(owner: str, gross: Decimal, net: Decimal) -> list[ValidationError]:
    if net > gross:
        return [ValidationError(f"{owner}.revenue_net", net, f"must be <= revenue_gross {gross}")]
    return []


_SUMMED = ("suggested", "started", "finished", "attributed_sales", "revenue_gross", "revenue_net")


def _figures_faults(f: ReportFigures) -> list[ValidationError]:
    faults: list[ValidationError] = []
    if f.last_day < f.first_day:
        faults.append(
            ValidationError(
                "ReportFigures.last_day", f.last_day, f"must be on or after first_day {f.first_day}"
            )
        )
    sellers = _items_of("ReportFigures.sellers", f.sellers, SellerFigures, faults)
    days = _items_of("ReportFigures.trend", f.trend, DayFigures, faults)
    first_index: dict[str, int] = {}
    for i, seller in sellers:
        if seller.seller_code in first_index:
            faults.append(
                ValidationError(
                    f"ReportFigures.sellers[{i}].seller_code",
                    seller.seller_code,
                    f"must be unique, already at sellers[{first_index[seller.seller_code]}]",
                )
            )
        else:
            first_index[seller.seller_code] = i
        if f.store_id is not None and seller.store_id != f.store_id:
            faults.append(
                ValidationError(
                    f"ReportFigures.sellers[{i}].store_id",
                    seller.store_id,
                    f"must be the report's store {f.store_id}",
                )
            )
    if len(sellers) == len(f.sellers) and isinstance(f.totals, ReportTotals):
        for name in _SUMMED:
            total = getattr(f.totals, name)
            added = sum((getattr(s, name) for _, s in sellers), Decimal(0))
            if total != added:
                faults.append(
                    ValidationError(
                        f"ReportFigures.totals.{name}",
                        total,
                        f"must equal the sellers' sum {added}",
                    )
                )
    previous: date | None = None
    for i, point in days:
        if not f.first_day <= point.day <= f.last_day:
            faults.append(
                ValidationError(
                    f"ReportFigures.trend[{i}].day",
                    point.day,
                    f"must be within the period {f.first_day} to {f.last_day}",
                )
            )
        if previous is not None and point.day <= previous:
            faults.append(
                ValidationError(
                    f"ReportFigures.trend[{i}].day",
                    point.day,
                    f"must come after the previous day {previous} (one point a day, in order)",
                )
            )
        previous = point.day
    if len(days) == len(f.trend) and isinstance(f.totals, ReportTotals):
        sales = sum(p.attributed_sales for _, p in days)
        revenue = sum((p.revenue for _, p in days), Decimal(0))
        if sales != f.totals.attributed_sales:
            faults.append(
                ValidationError(
                    "ReportFigures.trend",
                    sales,
                    "attributed sales must add up to totals.attributed_sales"
                    f" {f.totals.attributed_sales}",
                )
            )
        if revenue != f.totals.revenue_gross:
            faults.append(
                ValidationError(
                    "ReportFigures.trend",
                    revenue,
                    f"revenue must add up to totals.revenue_gross {f.totals.revenue_gross}",
                )
            )
    return faults


def _items_of(
    field: str, value: Any, cls: type[_T], faults: list[ValidationError]
) -> list[tuple[int, _T]]:
    if not isinstance(value, tuple):
        faults.append(ValidationError(field, value, f"must be a tuple or list of {cls.__name__}"))
        return []
    good: list[tuple[int, _T]] = []
    for i, item in enumerate(value):
        if isinstance(item, cls):
            good.append((i, item))
        else:
            faults.append(ValidationError(f"{field}[{i}]", item, f"must be a {cls.__name__}"))
    return good


# -- pt-BR formatting ------------------------------------------------------------------------


def format_brl(amount: Decimal) -> str:
    """Money as Brazilians write it: ``R$``, dots between thousands, a comma before centavos.

    >>> format_brl(Decimal("1234.5")), format_brl(Decimal("0")), format_brl(Decimal("-1000000"))
    ('R$ 1.234,50', 'R$ 0,00', '-R$ 1.000.000,00')
    """
    text = format(abs(amount), ",.2f").translate(str.maketrans(",.", ".,"))
    return f"{'-' if amount < 0 else ''}R$ {text}"


def format_count(count: int) -> str:
    """A whole number with dots between thousands.

    >>> format_count(1234567), format_count(7)
    ('1.234.567', '7')
    """
    return format(count, ",").replace(",", ".")


def format_day(day: date) -> str:
    """A local day as ``dd/mm/aaaa``.

    >>> format_day(date(2026, 11, 3))
    '03/11/2026'
    """
    return day.strftime("%d/%m/%Y")


def format_rate(numerator: int, denominator: int) -> str:
    """A rate as a percentage with one decimal (half to even); an em dash when it has no base.

    >>> format_rate(1, 3), format_rate(2, 2), format_rate(0, 0)
    ('33,3%', '100,0%', '—')
    """
    if denominator == 0:
        return "—"
    percent = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_EVEN
    )
    return f"{format(percent, ',.1f').translate(str.maketrans(',.', '.,'))}%"


def _cents(amount: Decimal) -> str:
    return str(int(amount * 100))


# -- the page -------------------------------------------------------------------------------


def render_report(figures: ReportFigures) -> str:
    """The report as one self-contained HTML page (a str): figures, tables and four charts.

    The page fetches nothing: its style sheet is inline and its charts are inline SVG. Each
    figure is shown formatted for pt-BR and carried exactly in ``data-figure``/``data-value``
    attributes (counts as integers, money in centavos, days in ISO 8601), once per figure:

    * ``brand``, ``store_id`` (when the report is of one store), ``first_day``, ``last_day``;
    * ``totals.suggested``, ``.started``, ``.finished``, ``.attributed_sales``,
      ``.revenue_gross``, ``.revenue_net`` and ``totals.conversion`` (value
      ``"numerator/denominator"``);
    * ``sellers.<code>.<field>`` for every field of :class:`SellerFigures` but the code;
    * ``ranking.<position>.seller_code``, ``.revenue_gross``, ``.attributed_sales``;
    * ``trend.<day>.attributed_sales`` and ``trend.<day>.revenue``.

    The charts are ``<figure data-chart="...">`` elements (``funnel``, ``revenue-by-seller``,
    ``ranking``, ``daily-trend``); each mark (bar or line) is an SVG group whose id contains
    ``-bar-`` or ``-line-``. The ranking's chart draws the first 15 sellers (its caption says
    so when there are more); the ranking's table lists them all. The same figures always give
    the same page, byte for byte.

    >>> from datetime import date
    >>> figures = ReportFigures(
    ...     brand="Moda Exemplo",
    ...     first_day=date(2026, 11, 1),
    ...     last_day=date(2026, 11, 30),
    ...     totals=ReportTotals.of_sellers([]),
    ... )
    >>> page = render_report(figures)
    >>> page.startswith("<!DOCTYPE html>"), page.count("<figure "), "http://cdn" in page
    (True, 4, False)
    """
    if not isinstance(figures, ReportFigures):
        raise ValidationError("figures", figures, "must be a ReportFigures")
    charts = _charts(figures)
    title = f"Vendas a partir de contatos — {figures.brand}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="pt-BR">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        _header(figures),
        _kpis(figures.totals),
        '<section class="charts">',
        *charts,
        "</section>",
        _sellers_table(figures),
        _ranking_table(figures),
        _trend_table(figures),
        _footer(),
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(parts)


_CSS = """
:root { --ink: #1f2933; --muted: #616e7c; --line: #d9e2ec; --brand: #2563eb; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1200px; padding: 24px; color: var(--ink);
  font: 15px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
h1 { margin: 0 0 4px; font-size: 26px; }
h2 { margin: 32px 0 12px; font-size: 19px; }
.scope { margin: 0; color: var(--muted); }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr)); gap: 10px;
  margin: 24px 0; }
.kpi { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
.kpi .label { display: block; color: var(--muted); font-size: 13px; }
.kpi .value { display: block; font-size: 18px; font-weight: 600; white-space: nowrap; }
.kpi .detail { display: block; color: var(--muted); font-size: 12px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 16px;
  align-items: start; }
figure { margin: 0; border: 1px solid var(--line); border-radius: 8px; padding: 12px; }
figcaption { font-weight: 600; margin-bottom: 6px; }
figure svg { display: block; width: 100%; height: auto; }
.table { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { border-bottom: 1px solid var(--line); padding: 6px 8px; text-align: left; }
th { color: var(--muted); font-weight: 600; }
th.num { text-align: right; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
footer { margin-top: 32px; color: var(--muted); font-size: 13px; }
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _figure(tag: str, key: str, value: str, text: str, *, cls: str = "") -> str:
    klass = f' class="{cls}"' if cls else ""
    return f'<{tag}{klass} data-figure="{_e(key)}" data-value="{_e(value)}">{_e(text)}</{tag}>'


def _num(key: str, value: str, text: str) -> str:
    return _figure("td", key, value, text, cls="num")


def _header(f: ReportFigures) -> str:
    scope = [_figure("span", "brand", f.brand, f.brand)]
    if f.store_id is not None:
        scope.append("loja " + _figure("span", "store_id", f.store_id, f.store_id))
    period = (
        _figure("span", "first_day", f.first_day.isoformat(), format_day(f.first_day))
        + " a "
        + _figure("span", "last_day", f.last_day.isoformat(), format_day(f.last_day))
    )
    return (
        "<header><h1>Vendas a partir de contatos</h1>"
        f'<p class="scope">{" · ".join(scope)} · {period}</p></header>'
    )


def _kpis(t: ReportTotals) -> str:
    cards = [
        ("suggested", str(t.suggested), format_count(t.suggested)),
        ("started", str(t.started), format_count(t.started)),
        ("finished", str(t.finished), format_count(t.finished)),
        ("attributed_sales", str(t.attributed_sales), format_count(t.attributed_sales)),
        ("revenue_gross", _cents(t.revenue_gross), format_brl(t.revenue_gross)),
        ("revenue_net", _cents(t.revenue_net), format_brl(t.revenue_net)),
    ]
    out = ['<section class="kpis">']
    for name, value, text in cards:
        out.append(
            f'<div class="kpi"><span class="label">{_e(LABELS[name])}</span>'
            f"{_figure('span', f'totals.{name}', value, text, cls='value')}</div>"
        )
    n, d = t.conversion_numerator, t.conversion_denominator
    out.append(
        f'<div class="kpi"><span class="label">{LABELS["conversion"]}</span>'
        f"{_figure('span', 'totals.conversion', f'{n}/{d}', format_rate(n, d), cls='value')}"
        f'<span class="detail">{format_count(n)} de {format_count(d)}</span></div>'
    )
    out.append("</section>")
    return "".join(out)


def _by_store(f: ReportFigures) -> list[SellerFigures]:
    return sorted(f.sellers, key=lambda s: (s.store_id, s.seller_code))


def _sellers_table(f: ReportFigures) -> str:
    head = ["Vendedor", "Código", "Loja"] + [LABELS[n] for n in _SUMMED]
    out = [
        '<section><h2>Por vendedor</h2><div class="table"><table><thead><tr>',
        "".join(
            f"<th{' class=num' if i >= 3 else ''}>{_e(h)}</th>".replace("class=num", 'class="num"')
            for i, h in enumerate(head)
        ),
        "</tr></thead><tbody>",
    ]
    for s in _by_store(f):
        key = f"sellers.{s.seller_code}"
        cells = [
            _figure("td", f"{key}.seller_name", s.seller_name, s.seller_name),
            f"<td>{_e(s.seller_code)}</td>",
            _figure("td", f"{key}.store_id", s.store_id, s.store_id),
            *(
                _num(f"{key}.{n}", str(getattr(s, n)), format_count(getattr(s, n)))
                for n in ("suggested", "started", "finished", "attributed_sales")
            ),
            _num(f"{key}.revenue_gross", _cents(s.revenue_gross), format_brl(s.revenue_gross)),
            _num(f"{key}.revenue_net", _cents(s.revenue_net), format_brl(s.revenue_net)),
        ]
        out.append(f"<tr>{''.join(cells)}</tr>")
    if not f.sellers:
        out.append(f'<tr><td colspan="{len(head)}">Nenhum vendedor no período.</td></tr>')
    out.append("</tbody></table></div></section>")
    return "".join(out)


def _ranking_table(f: ReportFigures) -> str:
    out = [
        '<section><h2>Ranking</h2><div class="table"><table><thead><tr>',
        '<th class="num">Posição</th><th>Vendedor</th><th>Loja</th>',
        f'<th class="num">{LABELS["revenue_gross"]}</th>',
        f'<th class="num">{LABELS["attributed_sales"]}</th>',
        "</tr></thead><tbody>",
    ]
    for position, s in enumerate(f.ranking, start=1):
        key = f"ranking.{position}"
        out.append(
            f'<tr><td class="num">{position}º</td>'
            + _figure("td", f"{key}.seller_code", s.seller_code, _seller_label(s))
            + f"<td>{_e(s.store_id)}</td>"
            + _num(f"{key}.revenue_gross", _cents(s.revenue_gross), format_brl(s.revenue_gross))
            + _num(
                f"{key}.attributed_sales", str(s.attributed_sales), format_count(s.attributed_sales)
            )
            + "</tr>"
        )
    if not f.sellers:
        out.append('<tr><td colspan="5">Nenhum vendedor no período.</td></tr>')
    out.append("</tbody></table></div></section>")
    return "".join(out)


def _trend_table(f: ReportFigures) -> str:
    out = [
        '<section><h2>Tendência diária</h2><div class="table"><table><thead><tr>',
        f'<th>Dia</th><th class="num">{LABELS["attributed_sales"]}</th>',
        f'<th class="num">{LABELS["revenue_gross"]}</th>',
        "</tr></thead><tbody>",
    ]
    for p in f.trend:
        key = f"trend.{p.day.isoformat()}"
        out.append(
            f'<tr><td><time datetime="{p.day.isoformat()}">{format_day(p.day)}</time></td>'
            + _num(
                f"{key}.attributed_sales", str(p.attributed_sales), format_count(p.attributed_sales)
            )
            + _num(f"{key}.revenue", _cents(p.revenue), format_brl(p.revenue))
            + "</tr>"
        )
    if not f.trend:
        out.append('<tr><td colspan="3">Nenhuma venda atribuída no período.</td></tr>')
    out.append("</tbody></table></div></section>")
    return "".join(out)


def _footer() -> str:
    return (
        "<footer><p>"
        f"<strong>{LABELS['revenue_net']}</strong>: receita atribuída líquida de pedidos cancelados e"
        f" devolvidos. <strong>{LABELS['conversion']}</strong>: conversas iniciadas que geraram"
        " ao menos uma venda atribuída ÷ conversas iniciadas."
        " Dias no fuso horário da marca. Gerado por otocore.</p></footer>"
    )


def _seller_label(s: SellerFigures) -> str:
    return f"{s.seller_name} ({s.seller_code})"


# -- the charts (Matplotlib, SVG inlined) ------------------------------------------------------

_BLUE, _GREEN, _ORANGE, _GREY = "#2563eb", "#16a34a", "#ea580c", "#616e7c"
_FUNNEL_COLOURS = ("#93c5fd", "#60a5fa", "#3b82f6", "#16a34a")
_RC: dict[Any, Any] = {
    "svg.hashsalt": "otocore-report",  # ids of clip paths: the same page for the same figures
    "svg.fonttype": "path",  # text as outlines: the page needs no font
    "font.family": "DejaVu Sans",  # ships with Matplotlib
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#9aa5b1",
    "axes.labelcolor": _GREY,
    "xtick.color": _GREY,
    "ytick.color": _GREY,
    "axes.titlesize": 11,
}


def _charts(f: ReportFigures) -> list[str]:
    import matplotlib as mpl

    with mpl.rc_context(_RC), warnings.catch_warnings():
        # a name in a script DejaVu Sans lacks is drawn as boxes in the charts (the tables,
        # drawn by the browser, show it): not worth a warning on every report
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font")
        return [
            _chart("funnel", "Funil: das sugestões às vendas", _funnel(f.totals)),
            _chart("daily-trend", "Tendência diária", _trend(f)),
            _chart("revenue-by-seller", _revenue_caption(len(f.sellers)), _revenue_by_seller(f)),
            _chart("ranking", _ranking_caption(len(f.sellers)), _ranking(f)),
        ]


def _chart(name: str, caption: str, fig: Figure) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": "otocore"})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.DOTALL)
    svg = re.sub(r'id="([^"]+)"', rf'id="{name}-\1"', svg)
    svg = re.sub(r'href="#([^"]+)"', rf'href="#{name}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{name}-\1)", svg)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{_e(caption)}" ', 1)
    return (
        f'<figure data-chart="{name}"><figcaption>{_e(caption)}</figcaption>\n'
        f"{svg.strip()}\n</figure>"
    )


def _new_figure(height: float) -> tuple[Figure, Axes]:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7.2, height), layout="constrained")
    return fig, fig.add_subplot()


def _money_axis(x: float, _pos: object = None) -> str:
    return f"R$ {format_count(round(x))}"


def _count_axis(x: float, _pos: object = None) -> str:
    return format_count(round(x))


def _empty(ax: Axes, message: str) -> None:
    ax.set_axis_off()
    ax.text(0.5, 0.5, message, ha="center", va="center", color=_GREY, transform=ax.transAxes)


def _tag(patches: Sequence[Any], start: int = 0) -> None:
    for i, patch in enumerate(patches, start=start):
        patch.set_gid(f"bar-{i}")


def _hbars(
    ax: Axes,
    labels: Sequence[str],
    values: Sequence[float],
    texts: Sequence[str],
    colours: Sequence[str] | str,
    *,
    formatter: Callable[[float, object], str],
) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    positions = list(range(len(labels)))
    bars = ax.barh(positions, values, color=colours, height=0.6)
    _tag(bars.patches)
    ax.set_yticks(positions, labels)
    ax.invert_yaxis()
    top = max(values, default=0.0) or 1.0
    ax.set_xlim(0, top * 1.25)
    for y, value, text in zip(positions, values, texts, strict=True):
        ax.text(value + top * 0.01, y, text, va="center", fontsize=9, color="#1f2933")
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    ax.xaxis.set_major_formatter(FuncFormatter(formatter))
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)


def _funnel(t: ReportTotals) -> Figure:
    fig, ax = _new_figure(3.2)
    names = ("suggested", "started", "finished", "attributed_sales")
    counts = [getattr(t, n) for n in names]
    texts = [
        format_count(c) if i == 0 else f"{format_count(c)} ({format_rate(c, t.suggested)})"
        for i, c in enumerate(counts)
    ]
    _hbars(
        ax,
        [LABELS[n] for n in names],
        [float(c) for c in counts],
        texts,
        _FUNNEL_COLOURS,
        formatter=_count_axis,
    )
    return fig


def _seller_height(count: int) -> float:
    return max(2.2, 0.9 + (0.5 if count <= 12 else 0.3) * count)


def _revenue_caption(sellers: int) -> str:
    if sellers > _REVENUE_CHART_TOP:
        return f"Receita por vendedor: os {_REVENUE_CHART_TOP} de maior receita, de {sellers}"
    return "Receita por vendedor"


def _revenue_rows(f: ReportFigures) -> list[SellerFigures]:
    """Every seller by store; past 30, the 30 of the highest gross revenue (then the ranking's order)."""
    rows = _by_store(f)
    if len(rows) <= _REVENUE_CHART_TOP:
        return rows
    top = {s.seller_code for s in f.ranking[:_REVENUE_CHART_TOP]}
    return [s for s in rows if s.seller_code in top]


def _revenue_by_seller(f: ReportFigures) -> Figure:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    rows = _revenue_rows(f)
    fig, ax = _new_figure(_seller_height(len(rows)))
    if not rows:
        _empty(ax, "Nenhum vendedor no período")
        return fig
    positions = list(range(len(rows)))
    gross = ax.barh(
        [p - 0.2 for p in positions],
        [float(s.revenue_gross) for s in rows],
        height=0.4,
        color=_BLUE,
        label=LABELS["revenue_gross"],
    )
    net = ax.barh(
        [p + 0.2 for p in positions],
        [float(s.revenue_net) for s in rows],
        height=0.4,
        color=_GREEN,
        label=LABELS["revenue_net"],
    )
    _tag(gross.patches)
    _tag(net.patches, start=len(rows))
    ax.set_yticks(positions, [f"{_seller_label(s)} · {s.store_id}" for s in rows])
    ax.invert_yaxis()
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5))
    ax.xaxis.set_major_formatter(FuncFormatter(_money_axis))
    top = max((float(s.revenue_gross) for s in rows), default=0.0) or 1.0
    ax.set_xlim(0, top * 1.05)
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)
    ax.legend(loc="lower right", frameon=False, fontsize=9)
    return fig


def _ranking_caption(sellers: int) -> str:
    if sellers > _RANKING_CHART_TOP:
        return f"Ranking dos vendedores: os {_RANKING_CHART_TOP} primeiros de {sellers}"
    return "Ranking dos vendedores"


def _ranking(f: ReportFigures) -> Figure:
    rows = f.ranking[:_RANKING_CHART_TOP]
    fig, ax = _new_figure(_seller_height(len(rows)))
    if not rows:
        _empty(ax, "Nenhum vendedor no período")
        return fig
    _hbars(
        ax,
        [f"{i}º {_seller_label(s)}" for i, s in enumerate(rows, start=1)],
        [float(s.revenue_gross) for s in rows],
        [
            f"{format_brl(s.revenue_gross)} · {format_count(s.attributed_sales)}"
            f" venda{'' if s.attributed_sales == 1 else 's'}"
            for s in rows
        ],
        [_ORANGE if i == 0 else _BLUE for i in range(len(rows))],
        formatter=_money_axis,
    )
    return fig


def _trend(f: ReportFigures) -> Figure:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    fig, ax = _new_figure(3.2)
    if not f.trend:
        _empty(ax, "Nenhuma venda atribuída no período")
        return fig
    days = [(p.day - f.first_day).days for p in f.trend]
    bars = ax.bar(
        days,
        [p.attributed_sales for p in f.trend],
        width=0.7,
        color="#93c5fd",
        label=LABELS["attributed_sales"],
    )
    _tag(bars.patches)
    ax.set_ylabel(LABELS["attributed_sales"])
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(FuncFormatter(_count_axis))
    span = (f.last_day - f.first_day).days
    ax.set_xlim(-0.6, span + 0.6)
    step = max(1, (span + 1) // 10)
    ticks = list(range(0, span + 1, step))
    ax.set_xticks(
        ticks,
        [(f.first_day.fromordinal(f.first_day.toordinal() + t)).strftime("%d/%m") for t in ticks],
    )
    right = ax.twinx()
    right.spines["right"].set_visible(True)
    (line,) = right.plot(
        days,
        [float(p.revenue) for p in f.trend],
        color=_ORANGE,
        marker="o",
        markersize=4,
        linewidth=2,
        label=LABELS["revenue_gross"],
    )
    line.set_gid("line-0")
    right.set_ylim(0, max(float(p.revenue) for p in f.trend) * 1.1 or 1.0)
    right.set_ylabel(LABELS["revenue_gross"])
    right.yaxis.set_major_formatter(FuncFormatter(_money_axis))
    ax.legend(
        [bars.patches[0], line],
        [LABELS["attributed_sales"], LABELS["revenue_gross"]],
        loc="upper left",
        frameon=False,
        fontsize=9,
    )
    return fig
