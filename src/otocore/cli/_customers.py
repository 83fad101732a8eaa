"""``otocore customers``: a customer's record, carteira and latest RFV."""

from __future__ import annotations

import json

import typer
from rich.table import Table

from otocore.cli._common import DbOption, JsonOption, console, open_uow

customers_app = typer.Typer(help="Customer records (cadastro).", no_args_is_help=True)


@customers_app.command("show")
def _customers_show(customer_id: str, db: DbOption, as_json: JsonOption = False) -> None:
    """Show a customer's record, carteira and latest RFV."""
    from otocore.serialization import converter

    uow = open_uow(db)
    with uow:
        customer = uow.customers.get(customer_id)
        assignment = uow.portfolio.get(customer_id)
        dates = uow.rfv.dates()
        score = uow.rfv.get(dates[-1]).get(customer_id) if dates else None
    data = {
        "customer": converter.unstructure(customer),
        "portfolio": converter.unstructure(assignment) if assignment else None,
        "rfv": converter.unstructure(score) if score else None,
        "rfv_as_of": dates[-1].isoformat() if dates else None,
    }
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False))
        return
    table = Table(title=f"Customer {customer_id}", show_header=False)
    for key, value in data["customer"].items():
        table.add_row(key, "" if value is None else str(value))
    if assignment is not None:
        table.add_row("seller", str(assignment.seller_code or "(unassigned)"))
        table.add_row("since", assignment.since.isoformat())
        table.add_row("reason", assignment.reason.value)
    if score is not None:
        table.add_row("RFV", f"R{score.r} F{score.f} V{score.v} ({score.segment})")
    console().print(table)
