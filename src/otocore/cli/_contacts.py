"""``otocore contacts``: register an attendance ("registro do atendimento") and list them."""

from __future__ import annotations

import contextlib
import json
import secrets
from datetime import datetime, timedelta
from typing import Annotated, Any

import typer
from rich.table import Table

from otocore.cli._account_service import account_service, acting_principal, login
from otocore.cli._common import (
    BRAND_TIME_ZONE,
    AsOption,
    DbOption,
    JsonOption,
    console,
    open_db,
    open_uow,
    parse_day,
    usage_error,
)
from otocore.cli._consent import local_minute, require_customer, required_choice
from otocore.errors import NotFound

contacts_app = typer.Typer(
    help="The contact log (registro do atendimento): register and list.", no_args_is_help=True
)


def parse_instant(option: str, value: str) -> datetime:
    """``2026-11-02T14:05`` (the brand's local time) or with an offset; else a usage error."""
    from zoneinfo import ZoneInfo

    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{option}: expected a local time as YYYY-MM-DDTHH:MM, got {value!r}"
        ) from None
    if at.tzinfo is None:
        at = at.replace(tzinfo=ZoneInfo(BRAND_TIME_ZONE))
    return at


def _consent_change(opt_in: str | None, opt_out: str | None) -> Any:
    from otocore.consent import ContactChannel
    from otocore.contacts import ConsentChange

    if opt_in is not None and opt_out is not None:
        raise usage_error("give --opt-in CHANNEL or --opt-out CHANNEL, not both")
    if opt_in is not None:
        return ConsentChange(
            channel=required_choice("--opt-in", opt_in, ContactChannel), granted=True
        )
    if opt_out is not None:
        return ConsentChange(
            channel=required_choice("--opt-out", opt_out, ContactChannel), granted=False
        )
    return None


def _times(started: str | None, finished: str | None, minutes: int | None) -> tuple[Any, Any]:
    from otocore.clock import SystemClock

    if finished is not None and minutes is not None:
        raise usage_error("give --finished or --minutes, not both")
    if minutes is not None and minutes < 0:
        raise typer.BadParameter(f"--minutes must be 0 or more, got {minutes}")
    start = parse_instant("--started", started) if started is not None else SystemClock().now()
    if finished is not None:
        return start, parse_instant("--finished", finished)
    return start, start + timedelta(minutes=minutes or 0)


@contacts_app.command("register")
def _register(  # noqa: PLR0917 - typer maps options to parameters
    customer: str,
    db: DbOption,
    actor: AsOption,
    channel: Annotated[
        str, typer.Option("--channel", help="whatsapp, sms, email, phone_call or push.")
    ],
    seller: Annotated[
        str | None,
        typer.Option("--seller", help="The seller who attended (default: the --as account's)."),
    ] = None,
    outcome: Annotated[
        str, typer.Option("--outcome", help="finished, or dismissed (needs --suggestion).")
    ] = "finished",
    dismiss_reason: Annotated[
        str | None, typer.Option("--dismiss-reason", help="Why the suggestion was dismissed.")
    ] = None,
    started: Annotated[
        str | None,
        typer.Option("--started", help="When it started, YYYY-MM-DDTHH:MM local (default now)."),
    ] = None,
    finished: Annotated[
        str | None, typer.Option("--finished", help="When it finished, YYYY-MM-DDTHH:MM local.")
    ] = None,
    minutes: Annotated[
        int | None, typer.Option("--minutes", help="Or how long it took (default 0).")
    ] = None,
    suggestion: Annotated[
        str | None, typer.Option("--suggestion", help="The suggestion it answers (its id).")
    ] = None,
    campaign: Annotated[
        str | None,
        typer.Option("--campaign", help="The campaign it was about (default: the suggestion's)."),
    ] = None,
    opt_in: Annotated[
        str | None, typer.Option("--opt-in", help="The customer opted in on this channel.")
    ] = None,
    opt_out: Annotated[
        str | None, typer.Option("--opt-out", help="The customer opted out of this channel.")
    ] = None,
    follow_up: Annotated[
        str | None, typer.Option("--follow-up", help="Talk again on this day, YYYY-MM-DD.")
    ] = None,
    follow_up_note: Annotated[
        str | None, typer.Option("--follow-up-note", help="What to talk about then.")
    ] = None,
    product: Annotated[
        list[str] | None, typer.Option("--product", help="A SKU offered; repeat it.")
    ] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="The seller's notes.")] = None,
    contact_id: Annotated[
        str | None, typer.Option("--id", help="The contact's id (default: a new random one).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Register a contact with CUSTOMER; authorized and audited.

    The suggestion it answers moves to finished or dismissed, an opt-in or
    opt-out takes effect at once, and the contact starts the customer's
    quarantine.
    """
    from otocore.consent import ContactChannel
    from otocore.contacts import Contact, ContactOutcome, FollowUp

    how = required_choice("--channel", channel, ContactChannel)
    ended = required_choice("--outcome", outcome, ContactOutcome)
    change = _consent_change(opt_in, opt_out)
    if (follow_up is None) != (follow_up_note is None):
        raise usage_error("a follow-up needs both --follow-up DATE and --follow-up-note TEXT")
    start, end = _times(started, finished, minutes)
    database = open_db(db)
    service = account_service(database)
    principal = acting_principal(database, service, actor)
    code = seller if seller is not None else principal.seller_code
    if code is None:
        raise usage_error(f"{login(actor)} is not a seller: name the seller with --seller CODE")
    if suggestion is not None and campaign is None:
        uow = database.unit_of_work()
        # an unknown suggestion is left to the service, which refuses it and audits the attempt
        with uow, contextlib.suppress(NotFound):
            campaign = uow.suggestions.get(suggestion).campaign_id
    contact = Contact(
        contact_id=contact_id if contact_id is not None else f"K{secrets.token_hex(6)}",
        seller_code=code,
        customer_id=customer,
        suggestion_id=suggestion,
        campaign_id=campaign,
        channel=how,
        started_at=start,
        finished_at=end,
        products_offered=product or (),
        follow_up=(
            FollowUp(day=parse_day("--follow-up", follow_up), note=follow_up_note)
            if follow_up is not None and follow_up_note is not None
            else None
        ),
        consent_change=change,
        notes=notes,
        outcome=ended,
        dismiss_reason=dismiss_reason,
        in_portfolio=False,  # the service sets it from the carteira
        time_zone=BRAND_TIME_ZONE,
    )
    stored = service.register_contact(principal, contact)
    if as_json:
        from otocore.serialization import converter

        typer.echo(json.dumps(converter.unstructure(stored), ensure_ascii=False))
        return
    where = "in the carteira" if stored.in_portfolio else "outside the carteira"
    console().print(
        f"contact {stored.contact_id} with {customer} registered for {code} ({where}) "
        f"by {login(actor)}"
    )


@contacts_app.command("list")
def _list(customer: str, db: DbOption, as_json: JsonOption = False) -> None:
    """CUSTOMER's registered contacts, oldest first."""
    uow = open_uow(db)
    with uow:
        require_customer(uow, customer)
        contacts = uow.contacts.for_customer(customer)
    if as_json:
        from otocore.serialization import converter

        typer.echo(json.dumps(converter.unstructure(contacts), ensure_ascii=False))
        return
    out = console()
    if not contacts:
        out.print(f"{customer} has no registered contact")
        return
    table = Table(title=f"Contacts with {customer}")
    table.add_column("when\nseller, channel", overflow="fold")
    table.add_column("outcome\nabout", overflow="fold")
    table.add_column("then", overflow="fold", ratio=1)
    for c in contacts:
        about = c.campaign_id or ("suggestion " + c.suggestion_id if c.suggestion_id else "-")
        then = []
        if c.consent_change is not None:
            verb = "opt-in" if c.consent_change.granted else "opt-out"
            then.append(f"{verb} {c.consent_change.channel.value}")
        if c.follow_up is not None:
            then.append(f"follow-up {c.follow_up.day}: {' '.join(c.follow_up.note.split())}")
        if c.dismiss_reason is not None:
            then.append(f"dismissed: {' '.join(c.dismiss_reason.split())}")
        if c.notes is not None:
            then.append(" ".join(c.notes.split()))
        table.add_row(
            f"{local_minute(c.started_at)}\n{c.seller_code}, {c.channel.value}",
            f"{c.outcome.value}\n{about}",
            "; ".join(then) or "-",
        )
    out.print(table)
