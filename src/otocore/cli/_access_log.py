"""``otocore audit access-log``: read the data-access log, as an account allowed to.

Goes through :class:`otocore.privacy.AccessLogService`: the ``--as`` account must hold
``read_access_log`` (brand admins); the read is audited and written to the data-access
log itself. The log is sealed with the keys of ``OTOCORE_LOG_KEY_FILE`` or
``OTOCORE_LOG_KEY``, as every command that writes to it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from otocore.cli._account_service import account_service, acting_principal, find_account
from otocore.cli._common import (
    BRAND_TIME_ZONE,
    AsOption,
    DbOption,
    JsonOption,
    choice,
    console,
    open_db,
    parse_day,
    usage_error,
)


def _start_of(day: Any) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime.combine(day, time(0), tzinfo=ZoneInfo(BRAND_TIME_ZONE)).astimezone(UTC)


def _account_id(database: Any, value: str) -> str:
    """``--account``: a login e-mail (resolved) or an account id; an unknown one is NotFound."""
    if "@" in value:
        return str(find_account(database, value).account_id)
    with database.unit_of_work() as uow:
        return str(uow.accounts.get(value).account_id)


def _row(entry: Any) -> dict[str, Any]:
    return {
        "sequence": entry.sequence,
        "at": entry.at.isoformat(),
        "actor": entry.actor,
        "action": entry.action.value,
        "query": entry.query,
        "customers": entry.customers,
        "detail": entry.detail,
    }


def read_access_log(  # noqa: PLR0917 - typer maps options to parameters
    db: DbOption,
    actor: AsOption,
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="DATE", help="From this local day (YYYY-MM-DD) on."),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(
            "--until", metavar="DATE", help="Up to this local day (YYYY-MM-DD), included."
        ),
    ] = None,
    account: Annotated[
        str | None,
        typer.Option(
            "--account", metavar="ID", help="Only what this account did (login e-mail or id)."
        ),
    ] = None,
    action: Annotated[
        str | None,
        typer.Option(
            "--action",
            metavar="NAME",
            help="export_requested, export_downloaded, export_refused, history_read,"
            " subject_data_exported or access_log_read.",
        ),
    ] = None,
    customer: Annotated[
        str | None,
        typer.Option(
            "--customer",
            metavar="ID",
            help="Only the reads naming this customer (history reads, LGPD exports).",
        ),
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", metavar="N", help="At most N entries (1-1000).")
    ] = 100,
    after: Annotated[
        int,
        typer.Option("--after", metavar="SEQ", help="Only entries after this sequence number."),
    ] = 0,
    as_json: JsonOption = False,
) -> None:
    """Who requested, downloaded or read what, and when: the data-access log, oldest first.

    Days are local days of the brand's time zone. The read itself is written to the
    data-access log and the audit log; CPFs are shown masked.
    """
    from otocore.clock import SystemClock
    from otocore.history import AccessAction
    from otocore.privacy import MAX_ACCESS_LOG_PAGE, AccessLogService

    first = None if since is None else parse_day("--since", since)
    last = None if until is None else parse_day("--until", until)
    if first is not None and last is not None and last < first:
        raise usage_error(f"--until {last.isoformat()} is before --since {first.isoformat()}")
    what = choice("--action", action, AccessAction)
    if not 1 <= limit <= MAX_ACCESS_LOG_PAGE:
        raise usage_error(f"--limit must be 1 to {MAX_ACCESS_LOG_PAGE}, got {limit}")
    if after < 0:
        raise usage_error(f"--after must be 0 or a sequence number, got {after}")
    database = open_db(db)
    principal = acting_principal(database, account_service(database), actor)
    who = None if account is None else _account_id(database, account)
    service = AccessLogService(database.unit_of_work, clock=SystemClock())
    page = service.read(
        principal,
        since=None if first is None else _start_of(first),
        until=None if last is None else _start_of(last + timedelta(days=1)),
        account=who,
        action=what,
        customer_id=customer,
        after=after,
        limit=limit,
    )
    if as_json:
        typer.echo(json.dumps([_row(e) for e in page.entries], ensure_ascii=False, indent=2))
        return
    out = console()
    if not page.entries:
        out.print("no data-access log entries match", markup=False)
        return
    table = Table(title="Data-access log")
    for column in ("#", "at (UTC)", "who", "action"):
        table.add_column(column, no_wrap=True)
    table.add_column("query", overflow="fold")  # folded, never cut: it is the evidence
    table.add_column("customers", justify="right")
    table.add_column("detail", overflow="fold")
    for e in page.entries:
        table.add_row(
            str(e.sequence),
            e.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
            Text(e.actor),
            e.action.value,
            Text(e.query),  # the log's text, never read as rich markup
            str(e.customers),
            Text(e.detail),
        )
    out.print(table)
    if page.next_after is not None:
        out.print(f"more entries: add --after {page.next_after}", markup=False)
