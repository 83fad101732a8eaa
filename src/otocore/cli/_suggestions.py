"""``otocore suggestions`` and ``otocore explain``: who to contact today, and why (not)."""

from __future__ import annotations

import json
from collections import Counter
from typing import Annotated, Any

import typer
from rich.table import Table

from otocore.cli._common import DbOption, JsonOption, console, open_uow, parse_day
from otocore.errors import NotFound

_WIDE = 100
"""From this many columns on, the suggestions table gives each field its own column."""


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
        why = None if stored else why_none(uow, on, seller, filtered=bool(campaign or status))
    if why is not None and not as_json:
        console().print(why)
        return
    print_suggestions(stored, title=f"Suggestions for {seller} on {on}", as_json=as_json)
    if why is not None:
        console(stderr=True).print(why)


# How each outcome reads in "0 suggestions for V005 on 2026-11-02: 61 in quarantine, ..."
_REASONS = {
    "suggested": "suggested but not matching --campaign/--status",
    "cut_by_limit": "cut by the daily limit",
    "opted_out": "without consent",
    "blocked": "blocked",
    "quarantined": "in quarantine",
    "no_campaign_matched": "matched no campaign",
    "not_in_active_portfolio": "not in an active carteira",
    "anonymized": "anonymized",
    "no_customer_record": "without a customer record",
}


def why_none(uow: Any, day: Any, seller: str, *, filtered: bool) -> str:
    """Why ``seller`` has no suggestion on ``day``: the day's stored outcomes of its carteira.

    Counted by reason, most first, then by the outcome's name ("0 suggestions for V005 on 2026-11-02: 61 in
    quarantine, 14 without consent, 8 matched no campaign"); call inside an
    open unit of work.
    """
    head = f"0 suggestions for {seller} on {day}"
    if day not in uow.outcomes.days():
        return f"{head}: the day was not generated (run without --stored to generate it)"
    carteira = [a.customer_id for a in uow.portfolio.list(seller_code=seller)]
    if not carteira:
        return f"{head}: {seller} has no customer in its carteira"
    counts: Counter[str] = Counter()
    for customer_id in carteira:
        explanation = uow.outcomes.get(day, customer_id)
        counts["not planned" if explanation is None else explanation.outcome.value] += 1
    labels = dict(_REASONS)
    if not filtered:  # a customer of the carteira in another seller's list: a follow-up
        labels["suggested"] = "suggested to another seller (a follow-up)"
    parts = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))  # most first, then by name
    return f"{head}: " + ", ".join(f"{n} {labels.get(reason, reason)}" for reason, n in parts)


def print_suggestions(suggestions: Any, *, title: str, as_json: bool) -> None:
    """The suggestions as a table that fits the terminal (the message wraps), or JSON."""
    if as_json:
        from otocore.serialization import converter

        typer.echo(json.dumps(converter.unstructure(list(suggestions)), ensure_ascii=False))
        return
    out = console()
    table = Table(title=title)
    table.add_column("#", justify="right", no_wrap=True)
    wide = out.width >= _WIDE
    if wide:
        table.add_column("customer", no_wrap=True)
        for col in ("campaign", "channel", "status"):
            table.add_column(col, overflow="fold")
    else:  # a narrow terminal: one column for what identifies the suggestion
        table.add_column("customer\ncampaign\nchannel, status", overflow="fold")
    table.add_column("message", overflow="fold", ratio=1)
    for s in suggestions:
        about = (s.customer_id, s.campaign_id or "follow-up", s.channel.value, s.status.value)
        message = " ".join(s.message.split())
        if wide:
            table.add_row(str(s.rank), *about, message)
        else:
            table.add_row(str(s.rank), f"{about[0]}\n{about[1]}\n{about[2]}, {about[3]}", message)
    out.print(table)


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
    uow = open_uow(db)
    with uow:
        known = (
            _has_record(uow, customer_id)
            or uow.portfolio.get(customer_id) is not None
            or uow.outcomes.get(on, customer_id) is not None
        )
    if not known:
        raise NotFound("customer", customer_id)
    explanation = explain_customer(uow, customer_id, on, replan=replan)
    if as_json:
        from otocore.serialization import converter

        typer.echo(json.dumps(converter.unstructure(explanation), ensure_ascii=False))
        return
    console().print(f"{customer_id} on {explanation.day}: {explanation.outcome.value}")
    console().print(f"  {explanation.detail}")


def _has_record(uow: Any, customer_id: str) -> bool:
    try:
        uow.customers.get(customer_id)
    except NotFound:
        return False
    return True
