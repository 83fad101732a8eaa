"""``otocore customers``: a customer's record, carteira and latest RFV; add one by hand; a bulk message; the registry search."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from otocore.cli._categories import FieldOption, QueryOption
from otocore.cli._common import (
    AsOption,
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


# issue 15, categories: a customer added by hand; a bulk message ------------------------


@customers_app.command("add")
def _customers_add(  # noqa: PLR0917 - typer maps options to parameters
    customer_id: Annotated[str, typer.Argument(help="The new customer's id.")],
    db: DbOption,
    actor: AsOption,
    name: Annotated[str | None, typer.Option("--name", help="Full name.")] = None,
    registered_at: Annotated[
        str | None,
        typer.Option("--registered-at", help="ISO 8601 instant with its offset (default: now)."),
    ] = None,
    cpf: Annotated[str | None, typer.Option("--cpf", help="CPF, any formatting.")] = None,
    rg: Annotated[str | None, typer.Option("--rg", help="RG.")] = None,
    birth_date: Annotated[str | None, typer.Option("--birth-date", help="YYYY-MM-DD.")] = None,
    email: Annotated[str | None, typer.Option("--email", help="E-mail address.")] = None,
    mobile: Annotated[
        str | None, typer.Option("--mobile", help="Mobile, any Brazilian formatting.")
    ] = None,
    sex: Annotated[str | None, typer.Option("--sex", help="As in a customers file.")] = None,
    marital_status: Annotated[
        str | None, typer.Option("--marital-status", help="As in a customers file.")
    ] = None,
    home_store_id: Annotated[str | None, typer.Option("--home-store", help="Store id.")] = None,
    loyalty_program: Annotated[
        str | None, typer.Option("--loyalty-program", help="Loyalty program.")
    ] = None,
    loyalty_category: Annotated[
        str | None, typer.Option("--loyalty-category", help="Loyalty category.")
    ] = None,
) -> None:
    """Add one customer by hand, checked as a row of a customers import file (as --as, audited)."""
    from otocore.cli._categories import bulk_service
    from otocore.cli._common import open_db
    from otocore.clock import SystemClock

    when = registered_at if registered_at is not None else SystemClock().now().isoformat()
    cells = {
        "customer_id": customer_id,
        "name": name,
        "registered_at": when,
        "cpf": cpf,
        "rg": rg,
        "birth_date": birth_date,
        "email": email,
        "mobile": mobile,
        "sex": sex,
        "marital_status": marital_status,
        "home_store_id": home_store_id,
        "loyalty_program": loyalty_program,
        "loyalty_category": loyalty_category,
    }
    service, principal = bulk_service(open_db(db), actor)
    added = service.add_customer(principal, {k: v for k, v in cells.items() if v is not None})
    console().print(f"customer {added.customer_id} ({added.name}) added")


@customers_app.command("message")
def _customers_message(  # noqa: PLR0917 - typer maps options to parameters
    db: DbOption,
    channel: Annotated[
        str, typer.Option("--channel", help="whatsapp, sms, email, phone_call or push.")
    ],
    text: Annotated[str, typer.Option("--text", help="The message.")],
    outbox: Annotated[
        Path,
        typer.Option(
            "--outbox", help="JSON Lines file the messages are appended to (the sender reads it)."
        ),
    ],
    actor: Annotated[
        str,
        typer.Option(
            "--as",
            metavar="EMAIL",
            help="The sending account's login e-mail: it takes the responsibility, is"
            " authorized (send_bulk_message) and recorded in the audit log.",
        ),
    ],
    ids: Annotated[
        list[str] | None,
        typer.Option("--ids", help="Customer ids: repeat it, or separate them with commas."),
    ] = None,
    filter_text: Annotated[
        str | None,
        typer.Option("--filter", help="An audience filter: a JSON file or the JSON itself."),
    ] = None,
    on: Annotated[
        str | None, typer.Option("--on", help="The filter's local day (default today).")
    ] = None,
    query: QueryOption = None,
    field: FieldOption = None,
    feature: Annotated[
        str, typer.Option("--feature", help="The blocked-CPF feature the message belongs to.")
    ] = "campaigns",
    accept: Annotated[
        bool,
        typer.Option(
            "--i-accept-responsibility",
            help="Required: you take legal responsibility for the message (LGPD, channel rules).",
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Message a selection (--ids), a search (--query) or a filter's customers; skips who may not get it."""
    from otocore.adapters.messenger import JsonLinesMessenger
    from otocore.blocking import BlockFeature
    from otocore.bulk import RESPONSIBILITY_STATEMENT
    from otocore.cli._categories import bulk_service, selected_ids, selection_label
    from otocore.cli._common import open_db
    from otocore.cli._consent import required_choice
    from otocore.consent import ContactChannel

    chosen = required_choice("--channel", channel, ContactChannel)
    block_feature = required_choice("--feature", feature, BlockFeature)
    database = open_db(db)
    customer_ids = selected_ids(database.unit_of_work(), ids, filter_text, on, query, field)
    service, principal = bulk_service(database, actor)
    report = service.send_bulk(
        principal,
        JsonLinesMessenger(outbox),
        customer_ids,
        channel=chosen,
        text=text,
        acknowledgment=RESPONSIBILITY_STATEMENT if accept else None,
        feature=block_feature,
        selected_by=selection_label(filter_text, on, query, field),
    )
    if as_json:
        data = {
            "sent": list(report.sent),
            "skipped": [
                {"customer_id": s.customer_id, "reason": s.reason.value, "detail": s.detail}
                for s in report.skipped
            ],
        }
        typer.echo(json.dumps(data, ensure_ascii=False))
        return
    out = console()
    out.print(f"{actor} accepted: {RESPONSIBILITY_STATEMENT}")
    counts = report.counts()
    out.print(
        f"sent {counts['sent']} on {chosen.value} to {outbox};"
        f" skipped {len(report.skipped)}"
        + "".join(f", {n} {reason}" for reason, n in counts.items() if reason != "sent" and n)
    )
    for s in report.skipped:
        out.print(f"  {s.customer_id}: {s.reason.label} ({s.detail})")


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
