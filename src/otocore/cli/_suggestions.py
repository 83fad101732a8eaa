"""``otocore suggestions`` and ``otocore explain``: who to contact today, and why (not)."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table

from otocore.cli._common import DbOption, JsonOption, console, open_uow, parse_day


def suggestions(  # noqa: PLR0917 - typer maps options to parameters
    db: DbOption,
    seller: Annotated[str, typer.Option("--seller", help="The seller's code.")],
    day: Annotated[str, typer.Option("--date", help="The local day, YYYY-MM-DD.")],
    regenerate: Annotated[
        bool,
        typer.Option(
            "--generate/--stored",
            help="Generate the day first (idempotent; keeps what sellers did), or only read it.",
        ),
    ] = True,
    campaign: Annotated[
        str | None, typer.Option("--campaign", help="Only this campaign's suggestions.")
    ] = None,
    status: Annotated[
        str | None,
        typer.Option("--status", help="Only suggestions in this status (pending, finished, ...)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """A seller's suggestions for a day: who to contact, on which channel, and why."""
    from otocore.attendance import generate_suggestions
    from otocore.contacts import SuggestionStatus

    on = parse_day("--date", day)
    try:
        wanted = SuggestionStatus(status) if status is not None else None
    except ValueError:
        allowed = ", ".join(s.value for s in SuggestionStatus)
        raise typer.BadParameter(f"--status must be one of {allowed}, got {status!r}") from None
    uow = open_uow(db)
    if regenerate:
        generate_suggestions(uow, on)
    with uow:
        uow.sellers.get(seller)
        stored = uow.suggestions.list_day(
            on, seller_code=seller, campaign_id=campaign, status=wanted
        )
    print_suggestions(stored, title=f"Suggestions for {seller} on {on}", as_json=as_json)


def print_suggestions(suggestions: Any, *, title: str, as_json: bool) -> None:
    if as_json:
        from otocore.serialization import converter

        typer.echo(json.dumps(converter.unstructure(list(suggestions)), ensure_ascii=False))
        return
    table = Table(title=title)
    for col, width in (("#", 3), ("customer", 8), ("campaign", 9), ("channel", 10), ("status", 9)):
        table.add_column(col, no_wrap=True, min_width=width)
    table.add_column("message", no_wrap=True, overflow="ellipsis", max_width=60)
    for s in suggestions:
        table.add_row(
            str(s.rank),
            s.customer_id,
            s.campaign_id or "follow-up",
            s.channel.value,
            s.status.value,
            " ".join(s.message.split()),
        )
    console().print(table)


def explain(
    customer_id: str,
    db: DbOption,
    day: Annotated[str, typer.Option("--date", help="The local day, YYYY-MM-DD.")],
    as_json: JsonOption = False,
    replan: Annotated[
        bool,
        typer.Option(
            "--replan",
            help="Plan the customer now from the stored state, even on a generated day "
            "(the stored answer is what the day decided when it was generated).",
        ),
    ] = False,
) -> None:
    """Why a customer was or was not suggested on a day."""
    from otocore.attendance import explain_customer

    on = parse_day("--date", day)  # before the database: a typo costs no connection
    explanation = explain_customer(open_uow(db), customer_id, on, replan=replan)
    if as_json:
        from otocore.serialization import converter

        typer.echo(json.dumps(converter.unstructure(explanation), ensure_ascii=False))
        return
    console().print(f"{customer_id} on {explanation.day}: {explanation.outcome.value}")
    console().print(f"  {explanation.detail}")
