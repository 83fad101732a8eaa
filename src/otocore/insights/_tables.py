"""The dashboards as rows, data frames (through narwhals) and notebook HTML: the same numbers."""

from __future__ import annotations

import html
from decimal import Decimal
from typing import Any

from otocore import _html
from otocore.errors import ConfigurationError, ValidationError
from otocore.report import format_brl, format_count, format_day

_KINDS: dict[str, str] = {
    "customer_id": "str",
    "total_spent": "money",
    "discounts": "money",
    "completed_orders": "int",
    "average_ticket": "money",
    "visits": "int",
    "first_visit": "date",
    "last_visit": "date",
    "purchase_days": "int",
    "span_days": "int",
    "mean_interval_days": "interval",
    "frequency": "str",
    "store_id": "str",
    "first_day": "date",
    "last_day": "date",
    "return_window_days": "int",
    "sales": "int",
    "revenue": "money",
    "identified_sales": "int",
    "identified_revenue": "money",
    "unidentified_sales": "int",
    "unidentified_revenue": "money",
    "unidentified_share": "rate",
    "customers": "int",
    "average_sale_per_customer": "money",
    "returning_customers": "int",
    "return_rate": "rate",
    "program": "str",
    "category": "str",
    "denominator": "int",
    "share": "rate",
}

CUSTOMER_COLUMNS: tuple[str, ...] = (
    "customer_id",
    "total_spent",
    "discounts",
    "completed_orders",
    "average_ticket",
    "visits",
    "first_visit",
    "last_visit",
    "purchase_days",
    "span_days",
    "mean_interval_days",
    "frequency",
)
"""The columns of :meth:`~otocore.insights.CustomerDashboard.to_rows`, in order."""

_STORE_FIGURES = (
    "sales",
    "revenue",
    "identified_sales",
    "identified_revenue",
    "unidentified_sales",
    "unidentified_revenue",
    "unidentified_share",
    "customers",
    "average_sale_per_customer",
    "returning_customers",
    "return_rate",
)
STORE_COLUMNS: dict[str, tuple[str, ...]] = {
    "totals": ("first_day", "last_day", "return_window_days", *_STORE_FIGURES),
    "stores": ("store_id", *_STORE_FIGURES),
    "loyalty": ("store_id", "program", "category", "customers", "denominator", "share"),
}
"""The columns of each view of :class:`~otocore.insights.StoreDashboard`, in order
(``loyalty``: the brand's rows have ``store_id`` ``None``)."""


def customer_rows(dashboard: Any) -> list[dict[str, Any]]:
    """One row per customer of a :class:`~otocore.insights.CustomerDashboard`."""
    return [
        {
            "customer_id": c.customer_id,
            "total_spent": c.total_spent,
            "discounts": c.discounts,
            "completed_orders": c.completed_orders,
            "average_ticket": c.average_ticket,
            "visits": c.visits,
            "first_visit": c.first_visit,
            "last_visit": c.last_visit,
            "purchase_days": c.purchase_days,
            "span_days": c.span_days,
            "mean_interval_days": c.mean_interval_days,
            "frequency": None if c.frequency is None else c.frequency.value,
        }
        for c in dashboard.customers
    ]


def _figures(f: Any) -> dict[str, Any]:
    return {name: getattr(f, name) for name in _STORE_FIGURES}


def store_rows(d: Any, view: str) -> list[dict[str, Any]]:
    """The rows of one view of a :class:`~otocore.insights.StoreDashboard`."""
    if not isinstance(view, str) or view not in STORE_COLUMNS:
        raise ValidationError("view", view, f"must be one of {', '.join(STORE_COLUMNS)}")
    if view == "totals":
        return [
            {
                "first_day": d.first_day,
                "last_day": d.last_day,
                "return_window_days": d.return_window_days,
                **_figures(d.totals),
            }
        ]
    if view == "stores":
        return [{"store_id": s.store_id, **_figures(s.figures)} for s in d.stores]
    rows: list[dict[str, Any]] = []
    for store_id, figures in ((None, d.totals), *((s.store_id, s.figures) for s in d.stores)):
        rows.extend(
            {
                "store_id": store_id,
                "program": share.program,
                "category": share.category,
                "customers": share.customers,
                "denominator": share.denominator,
                "share": share.share,
            }
            for share in figures.loyalty
        )
    return rows


BACKENDS = ("polars", "pandas", "pyarrow")
"""The frame libraries ``to_frame`` builds."""


def to_frame(rows: list[dict[str, Any]], columns: tuple[str, ...], backend: Any) -> Any:
    """``rows`` (of ``columns``) as a native frame of ``backend``, typed exactly.

    Built as a Polars frame with a fixed schema (money ``Decimal(38, 2)``, rates
    ``Decimal(38, 4)``, the mean interval ``Decimal(38, 1)``, days ``Date``, counts
    ``Int64``), then handed to the backend through narwhals: PyArrow gets the same Arrow
    types; pandas gets Arrow-backed columns, so money stays ``Decimal`` and None stays
    missing.
    """
    if not isinstance(backend, str) or backend not in BACKENDS:
        raise ValidationError("backend", backend, f"must be one of {', '.join(BACKENDS)}")
    import narwhals as nw
    import polars as pl

    types: dict[str, Any] = {
        "int": pl.Int64,
        "str": pl.String,
        "date": pl.Date,
        "money": pl.Decimal(38, 2),
        "rate": pl.Decimal(38, 4),
        "interval": pl.Decimal(38, 1),
    }
    schema = {name: types[_KINDS[name]] for name in columns}
    data = {name: [row[name] for row in rows] for name in columns}
    frame = nw.from_native(pl.DataFrame(data, schema=schema), eager_only=True)
    if backend == "polars":
        return frame.to_native()
    try:
        if backend == "pyarrow":
            return frame.to_arrow()
        return frame.to_native().to_pandas(use_pyarrow_extension_array=True)
    except ModuleNotFoundError as missing:
        raise ConfigurationError(
            f"to_frame(backend={backend!r}) needs {missing.name} installed"
        ) from None


# -- notebook HTML ---------------------------------------------------------------------------

_HEADINGS = {
    "customer_id": "Cliente",
    "total_spent": "Valor gasto",
    "discounts": "Descontos",
    "completed_orders": "Compras",
    "average_ticket": "Ticket médio",
    "visits": "Visitas",
    "first_visit": "Primeira visita",
    "last_visit": "Última visita",
    "purchase_days": "Dias de compra (janela)",
    "span_days": "Dias entre a primeira e a última",
    "mean_interval_days": "Intervalo médio (dias)",
    "frequency": "Frequência",
    "store_id": "Loja",
    "return_window_days": "Janela de retorno (dias)",
    "sales": "Vendas",
    "revenue": "Receita",
    "identified_sales": "Vendas com cliente",
    "identified_revenue": "Receita com cliente",
    "unidentified_sales": "Vendas sem cliente",
    "unidentified_revenue": "Receita sem cliente",
    "unidentified_share": "% sem cliente",
    "customers": "Clientes",
    "average_sale_per_customer": "Média por cliente",
    "returning_customers": "Clientes que voltaram",
    "return_rate": "Percentual de retorno",
    "program": "Programa",
    "category": "Categoria",
    "denominator": "Clientes (base)",
    "share": "Participação",
}
_FREQUENCIES = {
    "weekly": "semanal",
    "fortnightly": "quinzenal",
    "monthly": "mensal",
    "less_often": "menos frequente",
}


def _text(column: str, value: Any) -> str:
    kind = _KINDS[column]
    if value is None:
        return "—"
    if column == "frequency":
        return _FREQUENCIES[value]
    if kind == "money":
        return format_brl(value)
    if kind == "rate":
        return f"{str((value * 100).quantize(Decimal('0.1'))).replace('.', ',')}%"
    if kind == "interval":
        return str(value).replace(".", ",")
    if kind == "date":
        return format_day(value)
    if kind == "int":
        return format_count(value)
    return str(value)


def html_table(title: str, rows: list[dict[str, Any]], columns: tuple[str, ...]) -> str:
    """One titled HTML table; each cell carries its exact value in ``data-value``."""
    return _html.table(
        title,
        rows,
        [c for c in columns if c not in {"first_day", "last_day"}],
        heading=_HEADINGS.__getitem__,
        left=lambda c: _KINDS[c] in {"str", "date"},
        text=lambda c, value, _row: _text(c, value),
    )


def customers_html(d: Any) -> str:
    """The notebook view of a :class:`~otocore.insights.CustomerDashboard`."""
    title = f"Clientes · até {format_day(d.as_of)}"
    return (
        f'<div class="otocore-insights"><strong>{html.escape(title)}</strong>'
        + html_table("Clientes", customer_rows(d), CUSTOMER_COLUMNS)
        + "</div>"
    )


def stores_html(d: Any) -> str:
    """The notebook view of a :class:`~otocore.insights.StoreDashboard`: totals, stores, loyalty."""
    title = (
        f"Clientes por loja · {format_day(d.first_day)} a {format_day(d.last_day)}"
        f" · retorno em até {d.return_window_days} dias"
    )
    return "".join(
        [
            f'<div class="otocore-insights"><strong>{html.escape(title)}</strong>',
            html_table("Totais", store_rows(d, "totals"), STORE_COLUMNS["totals"]),
            html_table("Por loja", store_rows(d, "stores"), STORE_COLUMNS["stores"]),
            html_table(
                "Participação (categoria)", store_rows(d, "loyalty"), STORE_COLUMNS["loyalty"]
            ),
            "</div>",
        ]
    )
