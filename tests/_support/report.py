"""Figures for the results report's tests: a strategy, a fixed sample, and what the page must say.

:func:`expected_figures` is written apart from otocore.report (its own pt-BR formatting), so a
test comparing the page with it checks the renderer against an independent reading of the
contract in ``render_report``'s docstring.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from html.parser import HTMLParser

from hypothesis import strategies as st

from otocore.report import DayFigures, ReportFigures, ReportTotals, SellerFigures

CODES = st.text(alphabet="ABCV0123456789.-_ çã", min_size=1, max_size=8).filter(str.strip)
NAMES = st.text(
    alphabet=st.characters(codec="utf-8", categories=["L", "N", "Zs", "P"]),
    min_size=1,
    max_size=30,
).filter(str.strip)
CENTS = st.integers(min_value=0, max_value=10**9)


def money(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


@st.composite
def seller_rows(draw: st.DrawFn, *, code: str, store: str | None = None) -> SellerFigures:
    gross = draw(CENTS)
    net = draw(st.integers(min_value=0, max_value=gross))
    return SellerFigures(
        seller_code=code,
        seller_name=draw(NAMES),
        store_id=store if store is not None else draw(st.sampled_from(["L01", "L02", "Loja <3>"])),
        suggested=draw(st.integers(0, 10**6)),
        started=draw(st.integers(0, 10**6)),
        finished=draw(st.integers(0, 10**6)),
        attributed_sales=draw(st.integers(0, 10**5)),
        revenue_gross=money(gross),
        revenue_net=money(net),
    )


@st.composite
def report_figures(draw: st.DrawFn, *, max_sellers: int = 6) -> ReportFigures:
    """Valid figures: sellers with unique codes, totals that add them up, a trend that too."""
    first = draw(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 1)))
    last = first + timedelta(days=draw(st.integers(0, 40)))
    store = draw(st.none() | st.just("L01"))
    codes = draw(st.lists(CODES, max_size=max_sellers, unique=True))
    rows = [draw(seller_rows(code=c, store=store)) for c in codes]
    sales = sum(r.attributed_sales for r in rows)
    cents = sum(int(r.revenue_gross * 100) for r in rows)
    started = sum(r.started for r in rows)
    numerator = draw(st.integers(0, started))
    totals = ReportTotals.of_sellers(rows, conversion_numerator=numerator)
    span = (last - first).days + 1
    days = sorted(draw(st.sets(st.integers(0, span - 1), min_size=1, max_size=span)))
    trend = _split(draw, days, first, sales, cents) if (sales or cents) else []
    return ReportFigures(
        brand=draw(NAMES),
        store_id=store,
        first_day=first,
        last_day=last,
        totals=totals,
        sellers=rows,
        trend=trend,
    )


def _split(
    draw: st.DrawFn, days: list[int], first: date, sales: int, cents: int
) -> list[DayFigures]:
    """Cut ``sales`` and ``cents`` into one share per day (the last day takes the rest)."""
    points = []
    left_sales, left_cents = sales, cents
    for i, offset in enumerate(days):
        last = i == len(days) - 1
        s = left_sales if last else draw(st.integers(0, left_sales))
        c = left_cents if last else draw(st.integers(0, left_cents))
        left_sales, left_cents = left_sales - s, left_cents - c
        points.append(
            DayFigures(day=first + timedelta(days=offset), attributed_sales=s, revenue=money(c))
        )
    return points


def sample_figures() -> ReportFigures:
    """A small fixed report: three sellers in two stores, one with no sales, five days."""
    rows = [
        SellerFigures(
            seller_code="V01", seller_name="Ana Souza", store_id="L01", suggested=1690,
            started=713, finished=543, attributed_sales=12,
            revenue_gross=Decimal("12345.67"), revenue_net=Decimal("11000.00"),
        ),
        SellerFigures(
            seller_code="V02", seller_name="Bruno Lima", store_id="L02", suggested=80,
            started=40, finished=30, attributed_sales=5,
            revenue_gross=Decimal("12345.67"), revenue_net=Decimal("0.00"),
        ),
        SellerFigures(
            seller_code="V03", seller_name="Carla Dias", store_id="L01", suggested=12,
            started=0, finished=0, attributed_sales=0,
            revenue_gross=Decimal("0.00"), revenue_net=Decimal("0.00"),
        ),
    ]  # fmt: skip
    trend = [
        DayFigures(day=date(2026, 11, 2), attributed_sales=3, revenue=Decimal("1000.01")),
        DayFigures(day=date(2026, 11, 9), attributed_sales=0, revenue=Decimal("0.00")),
        DayFigures(day=date(2026, 11, 10), attributed_sales=7, revenue=Decimal("9999.99")),
        DayFigures(day=date(2026, 11, 20), attributed_sales=6, revenue=Decimal("13691.33")),
        DayFigures(day=date(2026, 11, 30), attributed_sales=1, revenue=Decimal("0.01")),
    ]
    return ReportFigures(
        brand="Moda Exemplo",
        first_day=date(2026, 11, 1),
        last_day=date(2026, 11, 30),
        totals=ReportTotals.of_sellers(rows),
        sellers=rows,
        trend=trend,
    )


# -- what the page must say, written apart from otocore.report ----------------------------------


def brl(cents: int) -> str:
    """``R$ 1.234,56`` from centavos (no Decimal formatting: grouping by hand)."""
    units, rest = divmod(cents, 100)
    digits = str(units)
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return f"R$ {'.'.join(groups)},{rest:02d}"


def count(n: int) -> str:
    return brl(n * 100)[3:-3]


def rate(numerator: int, denominator: int) -> str:
    if denominator == 0:
        return "—"
    tenths, remainder = divmod(numerator * 1000, denominator)
    if 2 * remainder > denominator or (2 * remainder == denominator and tenths % 2):
        tenths += 1
    return f"{count(tenths // 10)},{tenths % 10}%"


def day(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def expected_figures(f: ReportFigures) -> dict[str, tuple[str, str]]:
    """Every ``data-figure`` key of the page with its (``data-value``, text)."""

    def cents(amount: Decimal) -> int:
        whole = amount * 100
        assert whole == int(whole)
        return int(whole)

    def m(amount: Decimal) -> tuple[str, str]:
        return str(cents(amount)), brl(cents(amount))

    def n(value: int) -> tuple[str, str]:
        return str(value), count(value)

    t = f.totals
    out: dict[str, tuple[str, str]] = {
        "brand": (f.brand, f.brand),
        "first_day": (f.first_day.isoformat(), day(f.first_day)),
        "last_day": (f.last_day.isoformat(), day(f.last_day)),
        "totals.suggested": n(t.suggested),
        "totals.started": n(t.started),
        "totals.finished": n(t.finished),
        "totals.attributed_sales": n(t.attributed_sales),
        "totals.revenue_gross": m(t.revenue_gross),
        "totals.revenue_net": m(t.revenue_net),
        "totals.conversion": (
            f"{t.conversion_numerator}/{t.conversion_denominator}",
            rate(t.conversion_numerator, t.conversion_denominator),
        ),
    }
    if f.store_id is not None:
        out["store_id"] = (f.store_id, f.store_id)
    for s in f.sellers:
        key = f"sellers.{s.seller_code}"
        out[f"{key}.seller_name"] = (s.seller_name, s.seller_name)
        out[f"{key}.store_id"] = (s.store_id, s.store_id)
        for name in ("suggested", "started", "finished", "attributed_sales"):
            out[f"{key}.{name}"] = n(getattr(s, name))
        out[f"{key}.revenue_gross"] = m(s.revenue_gross)
        out[f"{key}.revenue_net"] = m(s.revenue_net)
    ranked = sorted(
        f.sellers, key=lambda s: (-cents(s.revenue_gross), -s.attributed_sales, s.seller_code)
    )
    for position, s in enumerate(ranked, start=1):
        key = f"ranking.{position}"
        out[f"{key}.seller_code"] = (s.seller_code, f"{s.seller_name} ({s.seller_code})")
        out[f"{key}.revenue_gross"] = m(s.revenue_gross)
        out[f"{key}.attributed_sales"] = n(s.attributed_sales)
    for p in f.trend:
        key = f"trend.{p.day.isoformat()}"
        out[f"{key}.attributed_sales"] = n(p.attributed_sales)
        out[f"{key}.revenue"] = m(p.revenue)
    return out


class _Figures(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []
        self._open: list[tuple[str, str, str, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if "data-figure" in a:
            self._open.append((tag, a["data-figure"] or "", a.get("data-value") or "", []))

    def handle_data(self, data: str) -> None:
        if self._open:
            self._open[-1][3].append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1][0] == tag:
            _, key, value, text = self._open.pop()
            self.found.append((key, value, "".join(text)))


def page_figures(page: str) -> list[tuple[str, str, str]]:
    """The ``(data-figure, data-value, text)`` of every figure element of ``page``, in order."""
    parser = _Figures()
    parser.feed(page)
    parser.close()
    return parser.found
