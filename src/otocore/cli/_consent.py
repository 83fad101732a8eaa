"""``otocore consent``: a customer's opt-in and opt-out per channel, recorded and shown."""

from __future__ import annotations

import enum
import json
from typing import Annotated, Any, TypeVar

import typer
from rich.table import Table

from otocore.cli._account_service import account_service, acting_principal, login
from otocore.cli._common import (
    AsOption,
    DbOption,
    JsonOption,
    choice,
    console,
    open_db,
    open_uow,
    usage_error,
)
from otocore.errors import NotFound

_E = TypeVar("_E", bound=enum.Enum)

consent_app = typer.Typer(
    help="Opt-in and opt-out per channel (consentimento): record and show.", no_args_is_help=True
)

ChannelOption = Annotated[
    str,
    typer.Option("--channel", help="whatsapp, sms, email, phone_call or push."),
]
SourceOption = Annotated[
    str,
    typer.Option(
        "--source",
        help="Where the change came from: customer_request, seller_app, brand or import.",
    ),
]


def require_customer(uow: Any, customer_id: str) -> Any:
    """The stored customer ``customer_id``; ``customer 'C999' not found`` otherwise (exit 1).

    Call inside an open unit of work.
    """
    try:
        return uow.customers.get(customer_id)
    except NotFound:
        raise NotFound("customer", customer_id) from None


def required_choice(option: str, value: str, kind: type[_E]) -> _E:
    """The member of ``kind`` that a required option's ``value`` names, or a usage error."""
    chosen = choice(option, value, kind)
    if chosen is None:  # a required option is never None; typer checked it
        raise usage_error(f"{option} is required")
    return chosen


def _record(
    customer: str, db: str, actor: str, channel: str, source: str, *, granted: bool
) -> None:
    from otocore.consent import ConsentSource, ContactChannel

    chosen = required_choice("--channel", channel, ContactChannel)
    origin = required_choice("--source", source, ConsentSource)
    database = open_db(db)
    service = account_service(database)
    event = service.record_consent(
        acting_principal(database, service, actor),
        customer,
        chosen,
        granted=granted,
        source=origin,
    )
    change = "opt-in" if granted else "opt-out"
    console().print(
        f"{chosen.value} {change} of {customer} recorded by {login(actor)} "
        f"({origin.value}, {event.at.isoformat()})"
    )


@consent_app.command("grant")
def _grant(
    customer: str, db: DbOption, actor: AsOption, channel: ChannelOption, source: SourceOption
) -> None:
    """Record an opt-in of CUSTOMER on a channel; authorized and audited."""
    _record(customer, db, actor, channel, source, granted=True)


@consent_app.command("revoke")
def _revoke(
    customer: str, db: DbOption, actor: AsOption, channel: ChannelOption, source: SourceOption
) -> None:
    """Record an opt-out of CUSTOMER on a channel ("realize o Opt-out"); authorized and audited."""
    _record(customer, db, actor, channel, source, granted=False)


def who_recorded(uow: Any, recorded_by: str) -> str:
    """An account's login e-mail for its id; anything else (a seller code, "import") as is."""
    try:
        return str(uow.accounts.get(recorded_by).email.address)
    except NotFound:
        return recorded_by


@consent_app.command("show")
def _show(customer: str, db: DbOption, as_json: JsonOption = False) -> None:
    """CUSTOMER's consent now on each channel, and every change: when, source, who."""
    from otocore.clock import SystemClock
    from otocore.consent import ConsentLedger, ContactChannel

    now = SystemClock().now()
    uow = open_uow(db)
    with uow:
        require_customer(uow, customer)
        history = uow.consent.for_customer(customer)
        who = {e.recorded_by: who_recorded(uow, e.recorded_by) for e in history}
    ledger = ConsentLedger.from_events(history)
    current = {channel: ledger.latest(customer, channel, now) for channel in ContactChannel}
    default = ledger.policy.default_granted
    if as_json:
        from otocore.serialization import converter

        document = {
            "customer_id": customer,
            "as_of": now.isoformat(),
            "channels": {
                channel.value: {
                    "granted": default if event is None else event.granted,
                    "since": None if event is None else event.at.isoformat(),
                    "source": None if event is None else event.source.value,
                    "recorded_by": None if event is None else who[event.recorded_by],
                }
                for channel, event in current.items()
            },
            "history": converter.unstructure(history),
        }
        typer.echo(json.dumps(document, ensure_ascii=False))
        return
    out = console()
    table = Table(title=f"Consent of {customer} now")
    table.add_column("channel", no_wrap=True)
    table.add_column("status\nsince", overflow="fold")
    table.add_column("source\nby", overflow="fold")
    for channel, event in current.items():
        if event is None:
            status = "opt-in" if default else "no opt-in"
            table.add_row(channel.value, f"{status}\n(no event)", "-")
        else:
            change = "opt-in" if event.granted else "opt-out"
            table.add_row(
                channel.value,
                f"{change}\n{local_minute(event.at)}",
                f"{event.source.value}\n{who[event.recorded_by]}",
            )
    out.print(table)
    if not history:
        out.print(f"{customer} has no consent event yet")
        return
    log = Table(title="History")
    log.add_column("when", overflow="fold")
    log.add_column("channel\nchange", overflow="fold")
    log.add_column("source\nby", overflow="fold")
    for event in history:
        log.add_row(
            local_minute(event.at),
            f"{event.channel.value}\n{'opt-in' if event.granted else 'opt-out'}",
            f"{event.source.value}\n{who[event.recorded_by]}",
        )
    out.print(log)


def local_minute(at: Any) -> str:
    """An instant in the brand's zone, to the minute (``2026-11-02 10:15``)."""
    from zoneinfo import ZoneInfo

    from otocore.cli._common import BRAND_TIME_ZONE

    return str(at.astimezone(ZoneInfo(BRAND_TIME_ZONE)).strftime("%Y-%m-%d %H:%M"))
