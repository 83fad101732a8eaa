"""``otocore results`` and ``otocore report``: sales from contacts, as tables and as a report."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from otocore.cli._common import DbOption, JsonOption, console, open_uow, parse_day, usage_error

FromOption = Annotated[
    str, typer.Option("--from", help="The period's first local day, YYYY-MM-DD.")
]
ToOption = Annotated[
    str, typer.Option("--to", help="The period's last local day (included), YYYY-MM-DD.")
]
StoreOption = Annotated[str | None, typer.Option("--store", help="Only this store's sellers.")]
WindowOption = Annotated[
    int | None,
    typer.Option("--window", help="The attribution window in days (default 7)."),
]
ModelOption = Annotated[
    str | None,
    typer.Option("--model", help="The attribution model: last_contact (default) or first_contact."),
]

_LABELS = (
    ("suggested", "Atividades sugeridas", "suggested"),
    ("started", "Conversas iniciadas", "started"),
    ("finished", "Conversas finalizadas", "finished"),
    ("attributed_sales", "Vendas atribuídas", "attributed sales"),
    ("cancelled_sales", "  canceladas ou devolvidas", "  cancelled or returned"),
    ("revenue_gross", "Receita atribuída", "attributed revenue (gross)"),
    ("revenue_net", "Receita gerando saldo", "revenue still standing (net)"),
    ("conversion_rate", "Taxa de conversão", "conversion"),
)


# the by-store table's columns: short headings, so it fits 80 columns
_SHORT = (
    ("suggested", "sugeridas"),
    ("started", "iniciadas"),
    ("finished", "finaliz."),
    ("attributed_sales", "vendas"),
    ("revenue_gross", "receita"),
    ("revenue_net", "saldo"),
    ("conversion_rate", "conversão"),
)


def _short_cell(name: str, row: dict[str, Any]) -> str:
    from otocore.report import format_rate

    if name == "conversion_rate":
        return format_rate(row["conversion_numerator"], row["conversion_denominator"])
    return _cell(name, row)


def _period(first: str, last: str) -> tuple[date, date]:
    first_day = parse_day("--from", first)
    last_day = parse_day("--to", last)
    if last_day < first_day:
        raise usage_error(f"--to ({last_day}) must be on or after --from ({first_day})")
    return first_day, last_day


def _policy(window: int | None, model: str | None, *, window_option: str, model_option: str) -> Any:
    from otocore.attribution import MAX_WINDOW_DAYS, AttributionModel, AttributionPolicy

    if window is not None and not 1 <= window <= MAX_WINDOW_DAYS:
        raise usage_error(f"{window_option} must be 1 to {MAX_WINDOW_DAYS} days, got {window}")
    chosen = AttributionModel.LAST_CONTACT
    if model is not None:
        try:
            chosen = AttributionModel(model)
        except ValueError:
            allowed = ", ".join(m.value for m in AttributionModel)
            raise usage_error(f"{model_option} must be one of {allowed}, got {model!r}") from None
    return AttributionPolicy(window_days=7 if window is None else window, model=chosen)


def results(  # noqa: PLR0917 - typer maps options to parameters
    db: DbOption,
    first: FromOption,
    last: ToOption,
    store: StoreOption = None,
    seller: Annotated[
        str | None, typer.Option("--seller", help="Only this seller (its sales, one per row).")
    ] = None,
    window: WindowOption = None,
    model: ModelOption = None,
    compare_window: Annotated[
        int | None,
        typer.Option(
            "--compare-window",
            help="What if: the same period under this window too, side by side.",
        ),
    ] = None,
    compare_model: Annotated[
        str | None,
        typer.Option("--compare-model", help="What if: the same period under this model too."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Sales from contacts for a period: the figures, by store, the ranking, the sales."""
    from otocore.results import load_comparison, load_results

    first_day, last_day = _period(first, last)
    if store is not None and seller is not None:
        raise usage_error("give --store or --seller, not both")
    policy = _policy(window, model, window_option="--window", model_option="--model")
    if compare_window is not None or compare_model is not None:
        other = _policy(
            compare_window if compare_window is not None else policy.window_days,
            compare_model if compare_model is not None else policy.model.value,
            window_option="--compare-window",
            model_option="--compare-model",
        )
        comparison = load_comparison(
            open_uow(db),
            first_day,
            last_day,
            base=policy,
            other=other,
            store_id=store,
            seller_code=seller,
        )
        _print_comparison(comparison, as_json=as_json)
        return
    found = load_results(
        open_uow(db), first_day, last_day, store_id=store, seller_code=seller, policy=policy
    )
    _print_results(found, as_json=as_json)


def report(  # noqa: PLR0917 - typer maps options to parameters
    db: DbOption,
    first: FromOption,
    last: ToOption,
    out: Annotated[Path, typer.Option("--out", help="Where to write the HTML file.")],
    store: StoreOption = None,
    window: WindowOption = None,
    model: ModelOption = None,
    brand: Annotated[
        str, typer.Option("--brand", help="The brand's name, shown as the report's title.")
    ] = "otocore",
) -> None:
    """Write the results report: one self-contained HTML file (figures, tables, charts)."""
    first_day, last_day = _period(first, last)
    policy = _policy(window, model, window_option="--window", model_option="--model")
    found = write_report(open_uow(db), first_day, last_day, out, store=store, policy=policy,
                         brand=brand)  # fmt: skip
    t = found.totals
    console().print(
        f"wrote {out} ({found.scope.label}, {first_day} to {last_day}:"
        f" {t.attributed_sales} attributed sales, {_money(t.revenue_gross)} gross,"
        f" {_money(t.revenue_net)} net)"
    )


def write_report(
    uow: Any,
    first_day: date,
    last_day: date,
    out: Path,
    *,
    store: str | None = None,
    policy: Any = None,
    brand: str = "otocore",
) -> Any:
    """Write the report of ``first_day`` to ``last_day`` to ``out``; the results it shows.

    ``otocore report`` and ``otocore demo`` both write their report through here.
    """
    from otocore.attribution import AttributionPolicy
    from otocore.report import render_report
    from otocore.results import load_results, report_figures

    found = load_results(
        uow, first_day, last_day, store_id=store, policy=policy or AttributionPolicy()
    )
    _write(out, render_report(report_figures(found, brand=brand)))
    return found


def _write(path: Path, page: str) -> None:
    """Write ``page`` whole or not at all (a temporary file renamed into place)."""
    from otocore.errors import ValidationError

    partial = path.with_name(f".{path.name}.partial")
    try:
        partial.write_text(page, encoding="utf-8")
        partial.replace(path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ValidationError(
            "--out", str(path), f"must be a file that can be written ({exc.strerror})"
        ) from None


def _money(amount: Decimal) -> str:
    from otocore.report import format_brl

    return format_brl(amount)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _json(rows: dict[str, list[dict[str, Any]]]) -> None:
    data = {
        view: [{k: _plain(x) for k, x in row.items()} for row in got] for view, got in rows.items()
    }
    typer.echo(json.dumps(data, ensure_ascii=False))


def _cell(name: str, row: dict[str, Any]) -> str:
    from otocore.report import format_count, format_rate

    value = row[name]
    if name == "conversion_rate":
        n, d = row["conversion_numerator"], row["conversion_denominator"]
        return f"{format_rate(n, d)} ({format_count(n)} de {format_count(d)})"
    if isinstance(value, Decimal):
        return _money(value)
    return format_count(value)


def _print_results(found: Any, *, as_json: bool) -> None:
    seller_scope = found.scope.seller_code is not None
    views = ["totals", "stores", "ranking"] + (["sales"] if seller_scope else [])
    rows = {view: found.to_rows(view) for view in views}
    if as_json:
        _json(rows)
        return
    out = console()
    policy = found.policy
    title = (
        f"Vendas a partir de contatos: {found.scope.label}, {found.first_day} to {found.last_day}"
        f" (window {policy.window_days} days, {policy.model.value})"
    )
    totals = Table(title=title)
    totals.add_column("figure")
    totals.add_column("", style="dim")
    totals.add_column("value", justify="right")
    for name, pt, en in _LABELS:
        totals.add_row(pt, en, _cell(name, rows["totals"][0]))
    out.print(totals)
    if not seller_scope:
        stores = Table(title="Por loja (by store)")
        stores.add_column("store")
        for _, short in _SHORT:
            stores.add_column(short, justify="right", overflow="fold")
        for row in rows["stores"]:
            stores.add_row(row["store_id"], *(_short_cell(name, row) for name, _ in _SHORT))
        out.print(stores)
    ranking = Table(title="Ranking dos vendedores (sellers' ranking)")
    for heading in ("#", "seller", "store"):
        ranking.add_column(heading, justify="right" if heading == "#" else "left")
    for name in ("attributed_sales", "revenue_gross", "revenue_net", "conversion_rate"):
        ranking.add_column({n: pt for n, pt, _ in _LABELS}[name], justify="right")
    for row in rows["ranking"]:
        ranking.add_row(
            f"{row['position']}º",
            f"{row['seller_name']} ({row['seller_code']})",
            row["store_id"],
            *(_cell(n, row) for n in ("attributed_sales", "revenue_gross", "revenue_net")),
            _cell("conversion_rate", row),
        )
    out.print(ranking)
    if seller_scope:
        _print_sales(rows["sales"])


def _print_sales(rows: list[dict[str, Any]]) -> None:
    from otocore.report import format_day

    table = Table(title="Vendas atribuídas: dia do contato, dia da compra (one row per sale)")
    headings = ("contato", "compra", "pedido", "cliente", "produtos", "total", "")
    for heading in headings:
        right = heading in {"produtos", "total"}
        fold = heading in {"pedido", "cliente"}
        table.add_column(
            heading,
            justify="right" if right else "left",
            no_wrap=not fold,
            overflow="fold" if fold else "ellipsis",
        )
    for row in rows:
        quantity = "—" if row["product_quantity"] is None else str(row["product_quantity"])
        table.add_row(
            format_day(row["contact_day"]),
            format_day(row["purchase_day"]),
            row["order_id"],
            row["customer_id"],
            quantity,
            _money(row["total"]),
            "cancelada" if row["cancelled"] else "",
        )
    if not rows:
        table.add_row("—", "—", "—", "—", "—", "—", "")
    console().print(table)


def _signed(value: Any, name: str) -> str:
    if value is None:
        return "—"
    if name == "conversion_rate":
        points = (value * 100).quantize(Decimal("0.1"))
        return f"{'+' if points > 0 else ''}{points} p.p."
    text = _money(value) if isinstance(value, Decimal) else str(value)
    return f"+{text}" if value > 0 else text


def _print_comparison(comparison: Any, *, as_json: bool) -> None:
    rows = {view: comparison.to_rows(view) for view in ("totals", "sellers")}
    if as_json:
        _json(rows)
        return
    base, other = comparison.base.policy, comparison.other.policy
    a = f"{base.window_days} days, {base.model.value}"
    b = f"{other.window_days} days, {other.model.value}"
    out = console()
    totals = Table(
        title=f"E se? (what if): {comparison.base.scope.label},"
        f" {comparison.base.first_day} to {comparison.base.last_day}"
    )
    totals.add_column("figure")
    for heading in (f"A: {a}", f"B: {b}", "Δ (B - A)"):
        totals.add_column(heading, justify="right")
    row = rows["totals"][0]
    for name, pt, _en in _LABELS:
        side = {"base": dict(row), "other": dict(row)}
        for key in ("base", "other"):
            for n in ("conversion_numerator", "conversion_denominator"):
                side[key][n] = row[f"{n}_{key}"]
            side[key][name] = row[f"{name}_{key}"]
        totals.add_row(
            pt,
            _cell(name, side["base"]),
            _cell(name, side["other"]),
            _signed(row[f"{name}_delta"], name),
        )
    out.print(totals)
    sellers = Table(title=f"Por vendedor (by seller): A = {a}; B = {b}")
    sellers.add_column("seller")
    for heading in ("vendas", "receita"):
        for column in ("A", "B", "Δ"):
            sellers.add_column(f"{heading} {column}", justify="right", overflow="fold")
    for seller in rows["sellers"]:
        cells = []
        for name in ("attributed_sales", "revenue_gross"):
            cells += [
                _cell(name, {name: seller[f"{name}_base"]}),
                _cell(name, {name: seller[f"{name}_other"]}),
                _signed(seller[f"{name}_delta"], name),
            ]
        sellers.add_row(seller["seller_code"], *cells)
    out.print(sellers)
