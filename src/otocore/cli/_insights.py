"""``otocore insights``: the customer dashboard, per customer and per store and period."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

import typer
from rich.table import Table

from otocore.cli._common import (
    DbOption,
    JsonOption,
    console,
    open_uow,
    parse_day,
    today,
    usage_error,
)

insights_app = typer.Typer(
    help="The customer dashboard: a customer's figures; a period's figures by store.",
    no_args_is_help=True,
)

AnonymousOption = Annotated[
    list[str] | None,
    typer.Option(
        "--anonymous-id",
        help="A customer id the tills use for an unidentified sale (repeatable).",
    ),
]

_FREQUENCIES = {
    "weekly": "semanal (weekly)",
    "fortnightly": "quinzenal (fortnightly)",
    "monthly": "mensal (monthly)",
    "less_often": "menos frequente (less often)",
}


def _policy(anonymous: list[str] | None) -> Any:
    from otocore.insights import InsightsPolicy

    return InsightsPolicy(anonymous_customer_ids=frozenset(anonymous or ()))


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _money(amount: Decimal | None) -> str:
    from otocore.report import format_brl

    return "—" if amount is None else format_brl(amount)


def _day(day: date | None) -> str:
    from otocore.report import format_day

    return "—" if day is None else format_day(day)


def _rate(numerator: int, denominator: int) -> str:
    from otocore.report import format_count, format_rate

    return f"{format_rate(numerator, denominator)} ({format_count(numerator)} de {format_count(denominator)})"


@insights_app.command("customer")
def customer(
    customer_id: Annotated[str, typer.Argument(help="The customer's id.")],
    db: DbOption,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="The local day, YYYY-MM-DD (default today)."),
    ] = None,
    anonymous: AnonymousOption = None,
    as_json: JsonOption = False,
) -> None:
    """One customer's figures: spent, discounts, visits, average ticket, frequency."""
    from otocore.insights import load_customer

    day = today() if as_of is None else parse_day("--as-of", as_of)
    found = load_customer(open_uow(db), customer_id, as_of=day, policy=_policy(anonymous))
    row = {
        "customer_id": found.customer_id,
        "as_of": day,
        "total_spent": found.total_spent,
        "discounts": found.discounts,
        "completed_orders": found.completed_orders,
        "average_ticket": found.average_ticket,
        "visits": found.visits,
        "first_visit": found.first_visit,
        "last_visit": found.last_visit,
        "purchase_days": found.purchase_days,
        "span_days": found.span_days,
        "mean_interval_days": found.mean_interval_days,
        "frequency": None if found.frequency is None else found.frequency.value,
    }
    if as_json:
        typer.echo(json.dumps({k: _plain(v) for k, v in row.items()}, ensure_ascii=False))
        return
    table = Table(title=f"Cliente {found.customer_id}, até {_day(day)}")
    table.add_column("figure")
    table.add_column("value", justify="right")
    interval = found.mean_interval_days
    frequency = (
        "— (menos de 2 dias de compra)"
        if found.frequency is None
        else f"{_FREQUENCIES[found.frequency.value]}, a cada {str(interval).replace('.', ',')} dias"
    )
    for label, value in (
        ("Valor gasto (total spent)", _money(found.total_spent)),
        ("Descontos (discounts)", _money(found.discounts)),
        ("Compras (completed orders)", str(found.completed_orders)),
        ("Ticket médio (average ticket)", _money(found.average_ticket)),
        ("Visitas (store days)", str(found.visits)),
        ("Primeira visita (first visit)", _day(found.first_visit)),
        ("Última visita (last visit)", _day(found.last_visit)),
        ("Frequência (frequency)", frequency),
    ):
        table.add_row(label, value)
    console().print(table)


@insights_app.command("store")
def store(  # noqa: PLR0917 - typer maps options to parameters
    db: DbOption,
    first: Annotated[str, typer.Option("--from", help="The period's first local day, YYYY-MM-DD.")],
    last: Annotated[
        str, typer.Option("--to", help="The period's last local day (included), YYYY-MM-DD.")
    ],
    store_id: Annotated[str | None, typer.Option("--store", help="Only this store.")] = None,
    return_window: Annotated[
        int,
        typer.Option(
            "--return-window",
            help="Days after a customer's first purchase in the period to count a return (1-3650).",
        ),
    ] = 30,
    anonymous: AnonymousOption = None,
    as_json: JsonOption = False,
) -> None:
    """A period's figures by store: sales without a customer, average per customer, return
    rate, loyalty participation."""
    from otocore.insights import load_store_insights

    first_day = parse_day("--from", first)
    last_day = parse_day("--to", last)
    if last_day < first_day:
        raise usage_error(f"--to ({last_day}) must be on or after --from ({first_day})")
    if not 1 <= return_window <= 3650:
        raise usage_error(f"--return-window must be 1 to 3650 days, got {return_window}")
    found = load_store_insights(
        open_uow(db),
        first_day,
        last_day,
        store_id=store_id,
        return_window_days=return_window,
        policy=_policy(anonymous),
    )
    views = {view: found.to_rows(view) for view in ("totals", "stores", "loyalty")}
    if as_json:
        data = {
            view: [{k: _plain(v) for k, v in row.items()} for row in rows]
            for view, rows in views.items()
        }
        typer.echo(json.dumps(data, ensure_ascii=False))
        return
    out = console()
    scope = "brand" if store_id is None else f"store {store_id}"
    table = Table(
        title=f"Clientes por loja: {scope}, {first_day} to {last_day}"
        f" (return window {return_window} days)"
    )
    table.add_column("store")
    for heading in ("vendas", "sem cliente", "receita", "clientes", "média", "retorno"):
        table.add_column(heading, justify="right", overflow="fold")
    rows = [("total", views["totals"][0]), *((r["store_id"], r) for r in views["stores"])]
    for label, row in rows:
        table.add_row(
            label,
            str(row["sales"]),
            str(row["unidentified_sales"]),
            _money(row["revenue"]),
            str(row["customers"]),
            _money(row["average_sale_per_customer"]),
            _rate(row["returning_customers"], row["customers"]),
        )
    out.print(table)
    loyalty = Table(title="Participação (categoria): the period's customers by loyalty category")
    for heading in ("store", "program", "category", "customers", "share"):
        loyalty.add_column(
            heading, justify="right" if heading in {"customers", "share"} else "left"
        )
    for row in views["loyalty"]:
        loyalty.add_row(
            "total" if row["store_id"] is None else row["store_id"],
            row["program"] or "(sem programa)",
            row["category"] or ("—" if row["program"] is None else "(sem categoria)"),
            str(row["customers"]),
            _rate(row["customers"], row["denominator"]),
        )
    if not views["loyalty"]:
        loyalty.add_row("—", "—", "—", "0", "—")
    out.print(loyalty)
