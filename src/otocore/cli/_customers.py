"""``otocore customers``: a customer's record, carteira and latest RFV; the registry search."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from otocore.cli._common import (
    DbOption,
    JsonOption,
    choice,
    console,
    open_uow,
    parse_day,
    today,
    usage_error,
)

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


def _read_filter(value: str) -> Any:
    """The audience filter in ``value``: inline JSON (starting with ``{``) or a JSON file's path."""
    from otocore.errors import ValidationError
    from otocore.filters import parse_filter

    text = value.strip()
    where = "--filter"
    if not text.startswith("{"):
        where = f"filter file {value}"
        try:
            text = Path(value).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ValidationError(
                where, type(exc).__name__, "cannot be read as UTF-8 text"
            ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            where, f"line {exc.lineno} column {exc.colno}", f"is not JSON ({exc.msg})"
        ) from None
    return parse_filter(data, path=where)


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


@customers_app.command("search")
def _customers_search(  # noqa: PLR0917 - typer maps options to parameters
    db: DbOption,
    query: Annotated[str, typer.Argument(help="CPF, RG, name words, e-mail, mobile or card.")] = "",
    field: Annotated[
        str | None,
        typer.Option(
            "--field", help="Read QUERY as one field: name, cpf, rg, email, mobile or card."
        ),
    ] = None,
    sort: Annotated[
        str,
        typer.Option("--sort", help="Sort by name, total_spent, visits or last_visit."),
    ] = "name",
    desc: Annotated[bool, typer.Option("--desc", help="Sort in descending order.")] = False,
    page: Annotated[int, typer.Option("--page", min=1, help="The page, from 1.")] = 1,
    page_size: Annotated[
        int, typer.Option("--page-size", min=1, max=1000, help="Customers per page.")
    ] = 50,
    filter_: Annotated[
        str | None,
        typer.Option(
            "--filter",
            metavar="FILE_OR_JSON",
            help='An audience filter (JSON, or a JSON file): {"sex_in": ["female"]}.',
        ),
    ] = None,
    on: Annotated[
        str | None,
        typer.Option("--on", help="The local day a --filter is evaluated on (default: today)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Find customers by CPF, RG, name, e-mail, mobile or card number; sorted and paged."""
    from otocore.registry import PageRequest, SearchField, Sort, SortKey, search_customers

    chosen_field = choice("--field", field, SearchField)
    key = choice("--sort", sort, SortKey)
    assert key is not None  # noqa: S101 - the option has a default
    audience = None if filter_ is None else _read_filter(filter_)
    day = None
    if audience is not None:
        day = today() if on is None else parse_day("--on", on)
    elif on is not None:
        raise usage_error("--on needs --filter")
    found = search_customers(
        open_uow(db),
        query,
        field=chosen_field,
        filter=audience,
        on=day,
        sort=Sort(key=key, descending=desc),
        page=PageRequest(number=page, size=page_size),
    )
    if as_json:
        from otocore.serialization import converter

        data = {
            "query": query,
            "total": found.total,
            "page": found.page.number,
            "page_size": found.page.size,
            "pages": found.pages,
            "sort": found.sort.key.value,
            "descending": found.sort.descending,
            "customers": [
                {
                    "customer": converter.unstructure(hit.customer),
                    "total_spent": _money(hit.stats.total_spent),
                    "visits": hit.stats.visits,
                    "first_visit": _day(hit.stats.first_visit),
                    "last_visit": _day(hit.stats.last_visit),
                }
                for hit in found.hits
            ],
        }
        typer.echo(json.dumps(data, ensure_ascii=False))
        return
    title = (
        f"{found.total} customer(s) — page {found.page.number} of {max(found.pages, 1)},"
        f" by {found.sort.key.value}{' (desc)' if found.sort.descending else ''}"
    )
    table = Table(title=title)
    for column in ("id", "name", "CPF", "e-mail", "mobile", "spent", "visits", "last visit"):
        table.add_column(column)
    for hit in found.hits:
        c = hit.customer
        table.add_row(
            c.customer_id,
            c.name,
            "" if c.cpf is None else c.cpf.masked,
            "" if c.email is None else c.email.address,
            "" if c.mobile is None else c.mobile.formatted,
            _money(hit.stats.total_spent),
            str(hit.stats.visits),
            _day(hit.stats.last_visit) or "",
        )
    console().print(table)


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()
