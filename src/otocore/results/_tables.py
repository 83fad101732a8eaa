"""The results as rows, data frames (through narwhals) and notebook HTML: the same numbers."""

from __future__ import annotations

import html
from decimal import Decimal
from typing import Any

from otocore import _html
from otocore.errors import ConfigurationError, ValidationError
from otocore.report import format_brl, format_count, format_day, format_rate
from otocore.results._values import FIGURE_FIELDS, Figures

# the kind of every column a view can have: how it is typed in a frame
_FIGURE_KINDS: dict[str, str] = {
    **dict.fromkeys(FIGURE_FIELDS, "int"),
    "revenue_gross": "money",
    "revenue_net": "money",
}
_KINDS: dict[str, str] = {
    **_FIGURE_KINDS,
    "seller_code": "str",
    "seller_name": "str",
    "store_id": "str",
    "order_id": "str",
    "customer_id": "str",
    "contact_id": "str",
    "scope": "str",
    "position": "int",
    "day": "date",
    "first_day": "date",
    "last_day": "date",
    "contact_day": "date",
    "purchase_day": "date",
    "product_quantity": "int",
    "total": "money",
    "cancelled": "bool",
    "conversion_rate": "rate",
    "window_days": "int",
    "model": "str",
    "window_days_base": "int",
    "window_days_other": "int",
    "model_base": "str",
    "model_other": "str",
}
_DAY_FIELDS = (
    "suggested",
    "started",
    "finished",
    "attributed_sales",
    "cancelled_sales",
    "revenue_gross",
    "revenue_net",
)
_SALE_FIELDS = (
    "seller_code",
    "order_id",
    "customer_id",
    "store_id",
    "contact_id",
    "contact_day",
    "purchase_day",
    "product_quantity",
    "total",
    "cancelled",
)
_FIGURE_COLUMNS = (*FIGURE_FIELDS, "conversion_rate")
RESULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "totals": ("scope", "first_day", "last_day", "window_days", "model", *_FIGURE_COLUMNS),
    "stores": ("store_id", *_FIGURE_COLUMNS),
    "sellers": ("store_id", "seller_code", "seller_name", *_FIGURE_COLUMNS),
    "ranking": ("position", "seller_code", "seller_name", "store_id", *_FIGURE_COLUMNS),
    "days": ("day", *_DAY_FIELDS),
    "sales": _SALE_FIELDS,
}
"""The columns of each view of :class:`~otocore.results.Results`, in order."""

_COMPARED = tuple(
    f"{name}_{side}" for name in _FIGURE_COLUMNS for side in ("base", "other", "delta")
)
COMPARISON_COLUMNS: dict[str, tuple[str, ...]] = {
    "totals": (
        "scope",
        "first_day",
        "last_day",
        "window_days_base",
        "model_base",
        "window_days_other",
        "model_other",
        *_COMPARED,
    ),
    "sellers": ("store_id", "seller_code", "seller_name", *_COMPARED),
}
"""The columns of each view of :class:`~otocore.results.Comparison`, in order."""


def _kind(column: str) -> str:
    for suffix in ("_base", "_other", "_delta"):
        if column.endswith(suffix) and column[: -len(suffix)] in _KINDS:
            kind = _KINDS[column[: -len(suffix)]]
            return "signed_money" if kind == "money" and suffix == "_delta" else kind
    return _KINDS[column]


def _figures(f: Figures) -> dict[str, Any]:
    row: dict[str, Any] = {name: getattr(f, name) for name in FIGURE_FIELDS}
    row["conversion_rate"] = f.conversion_rate
    return row


def _view(view: Any, allowed: dict[str, tuple[str, ...]]) -> str:
    if not isinstance(view, str) or view not in allowed:
        raise ValidationError("view", view, f"must be one of {', '.join(allowed)}")
    return view


def result_rows(r: Any, view: str) -> list[dict[str, Any]]:
    """The rows of one view of a :class:`~otocore.results.Results`."""
    view = _view(view, RESULT_COLUMNS)
    if view == "totals":
        return [
            {
                "scope": r.scope.label,
                "first_day": r.first_day,
                "last_day": r.last_day,
                "window_days": r.policy.window_days,
                "model": r.policy.model.value,
                **_figures(r.totals),
            }
        ]
    if view == "stores":
        return [{"store_id": s.store_id, **_figures(s.figures)} for s in r.stores]
    if view == "sellers":
        return [
            {
                "store_id": s.store_id,
                "seller_code": s.seller_code,
                "seller_name": s.seller_name,
                **_figures(s.figures),
            }
            for s in r.sellers
        ]
    if view == "ranking":
        return [
            {
                "position": i,
                "seller_code": s.seller_code,
                "seller_name": s.seller_name,
                "store_id": s.store_id,
                **_figures(s.figures),
            }
            for i, s in enumerate(r.ranking, start=1)
        ]
    if view == "days":
        return [{"day": d.day, **{n: getattr(d, n) for n in _DAY_FIELDS}} for d in r.days]
    return [{n: getattr(s, n) for n in _SALE_FIELDS} for s in r.sales]


def _side_by_side(base: Figures, other: Figures) -> dict[str, Any]:
    b, o = _figures(base), _figures(other)
    row: dict[str, Any] = {}
    for name in _FIGURE_COLUMNS:
        row[f"{name}_base"] = b[name]
        row[f"{name}_other"] = o[name]
        if b[name] is None or o[name] is None:
            row[f"{name}_delta"] = None
        else:
            row[f"{name}_delta"] = o[name] - b[name]
    return row


def comparison_rows(c: Any, view: str) -> list[dict[str, Any]]:
    """The rows of one view of a :class:`~otocore.results.Comparison`."""
    view = _view(view, COMPARISON_COLUMNS)
    if view == "totals":
        return [
            {
                "scope": c.base.scope.label,
                "first_day": c.base.first_day,
                "last_day": c.base.last_day,
                "window_days_base": c.base.policy.window_days,
                "model_base": c.base.policy.model.value,
                "window_days_other": c.other.policy.window_days,
                "model_other": c.other.policy.model.value,
                **_side_by_side(c.base.totals, c.other.totals),
            }
        ]
    return [
        {
            "store_id": s.store_id,
            "seller_code": s.seller_code,
            "seller_name": s.seller_name,
            **_side_by_side(s.base, s.other),
        }
        for s in c.sellers
    ]


BACKENDS = ("polars", "pandas", "pyarrow")
"""The frame libraries :meth:`~otocore.results.Results.to_frame` builds."""


def to_frame(rows: list[dict[str, Any]], columns: tuple[str, ...], backend: Any) -> Any:
    """``rows`` (of ``columns``) as a native frame of ``backend``, typed exactly.

    Built as a Polars frame with a fixed schema (money ``Decimal(38, 2)``, the rate
    ``Decimal(38, 4)``, days ``Date``, counts ``Int64``), then handed to the backend through
    narwhals: PyArrow gets the same Arrow types; pandas gets Arrow-backed columns
    (``pd.ArrowDtype``), so money stays ``Decimal`` and a missing quantity stays missing.
    """
    if not isinstance(backend, str) or backend not in BACKENDS:
        raise ValidationError("backend", backend, f"must be one of {', '.join(BACKENDS)}")
    import narwhals as nw
    import polars as pl

    types: dict[str, Any] = {
        "int": pl.Int64,
        "str": pl.String,
        "date": pl.Date,
        "bool": pl.Boolean,
        "money": pl.Decimal(38, 2),
        "signed_money": pl.Decimal(38, 2),
        "rate": pl.Decimal(38, 4),
    }
    schema = {name: types[_kind(name)] for name in columns}
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
    "suggested": "Atividades sugeridas",
    "started": "Conversas iniciadas",
    "finished": "Conversas finalizadas",
    "attributed_sales": "Vendas atribuídas",
    "cancelled_sales": "Canceladas ou devolvidas",
    "revenue_gross": "Receita atribuída",
    "revenue_net": "Receita gerando saldo",
    "conversion_rate": "Taxa de conversão",
    "conversion_numerator": "Conversas com venda",
    "conversion_denominator": "Conversas iniciadas (base)",
    "store_id": "Loja",
    "seller_code": "Código",
    "seller_name": "Vendedor",
    "position": "Posição",
    "day": "Dia",
    "order_id": "Pedido",
    "customer_id": "Cliente",
    "contact_id": "Contato",
    "contact_day": "Dia do contato",
    "purchase_day": "Dia da compra",
    "product_quantity": "Quantidade de produtos",
    "total": "Valor total da compra",
    "cancelled": "Cancelada ou devolvida",
}


def _text(column: str, value: Any, row: dict[str, Any]) -> str:
    kind = _kind(column)
    if value is None:
        return "—"
    if column == "conversion_rate_delta":
        points = (value * 100).quantize(Decimal("0.1"))
        return f"{'+' if points > 0 else ''}{str(points).replace('.', ',')} p.p."
    if column.startswith("conversion_rate"):
        return format_rate(
            row[column.replace("rate", "numerator")], row[column.replace("rate", "denominator")]
        )
    if kind in {"money", "signed_money"}:
        text = format_brl(value)
        return f"+{text}" if column.endswith("_delta") and value > 0 else text
    if kind == "date":
        return format_day(value)
    if kind == "bool":
        return "sim" if value else "não"
    if kind == "int" and not isinstance(value, bool):
        text = format_count(value)
        return f"+{text}" if column.endswith("_delta") and value > 0 else text
    return str(value)


def html_table(title: str, rows: list[dict[str, Any]], columns: tuple[str, ...]) -> str:
    """One titled HTML table; each cell carries its exact value in ``data-value``."""
    return _html.table(
        title,
        rows,
        [c for c in columns if c not in {"scope", "first_day", "last_day"}],
        heading=_heading,
        left=lambda c: _kind(c) in {"str", "date"},
        text=_text,
    )


def _heading(column: str) -> str:
    for suffix, label in (("_base", "atual"), ("_other", "alternativa"), ("_delta", "diferença")):
        if column.endswith(suffix) and column[: -len(suffix)] in _HEADINGS:
            return f"{_HEADINGS[column[: -len(suffix)]]} ({label})"
    return _HEADINGS.get(column, column)


def _period(r: Any) -> str:
    return f"{format_day(r.first_day)} a {format_day(r.last_day)}"


def results_html(r: Any) -> str:
    """The notebook view of a :class:`~otocore.results.Results`: totals, stores, ranking."""
    title = (
        f"Vendas a partir de contatos · {r.scope.label} · {_period(r)}"
        f" · janela de {r.policy.window_days} dias ({r.policy.model.value})"
    )
    parts = [
        f'<div class="otocore-results"><strong>{html.escape(title)}</strong>',
        html_table("Totais", result_rows(r, "totals"), RESULT_COLUMNS["totals"]),
        html_table("Por loja", result_rows(r, "stores"), RESULT_COLUMNS["stores"]),
        html_table("Ranking dos vendedores", result_rows(r, "ranking"), RESULT_COLUMNS["ranking"]),
        "</div>",
    ]
    return "".join(parts)


def comparison_html(c: Any) -> str:
    """The notebook view of a :class:`~otocore.results.Comparison`: totals and sellers."""
    title = (
        f"E se? · {c.base.scope.label} · {_period(c.base)} · janela de"
        f" {c.base.policy.window_days} dias ({c.base.policy.model.value}) contra"
        f" {c.other.policy.window_days} dias ({c.other.policy.model.value})"
    )
    return "".join(
        [
            f'<div class="otocore-comparison"><strong>{html.escape(title)}</strong>',
            html_table("Totais", comparison_rows(c, "totals"), COMPARISON_COLUMNS["totals"]),
            html_table(
                "Por vendedor", comparison_rows(c, "sellers"), COMPARISON_COLUMNS["sellers"]
            ),
            "</div>",
        ]
    )
