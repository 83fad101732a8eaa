"""``otocore blocks``: blocked CPFs per feature ("Cadastros bloqueados"): add, remove, list, history."""

from __future__ import annotations

import json
from typing import Annotated, Any

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
    parse_day,
    today,
)
from otocore.cli._consent import local_minute, required_choice, who_recorded

blocks_app = typer.Typer(
    help="Blocked CPFs per feature (cadastros bloqueados): add, remove, list, history.",
    no_args_is_help=True,
)

FeatureOption = Annotated[
    list[str],
    typer.Option(
        "--feature",
        help="campaigns, loyalty, conecta or boomerang; repeat it for several.",
    ),
]
ReasonOption = Annotated[
    str, typer.Option("--reason", help="Why (kept with the block, e.g. 'pedido LGPD').")
]


def _features(values: list[str]) -> list[Any]:
    from otocore.blocking import BlockFeature

    return [required_choice("--feature", value, BlockFeature) for value in values]


def _change(
    cpf: str, db: str, actor: str, feature: list[str], reason: str, *, blocked: bool
) -> None:
    from otocore.customers import Cpf

    features = _features(feature)
    parsed = Cpf.parse(cpf, field="CPF")
    database = open_db(db)
    service = account_service(database)
    principal = acting_principal(database, service, actor)
    if blocked:
        event = service.block_cpf(principal, parsed, features, reason=reason)
    else:
        event = service.unblock_cpf(principal, parsed, features, reason=reason)
    names = ", ".join(f.value for f in features)
    verb = "blocked" if blocked else "unblocked"
    console().print(
        f"CPF {parsed.masked} {verb} for {names} by {login(actor)} ({event.at.isoformat()})"
    )


@blocks_app.command("add")
def _add(
    cpf: Annotated[str, typer.Argument(help="The CPF, in any formatting (529.982.247-25).")],
    db: DbOption,
    actor: AsOption,
    feature: FeatureOption,
    reason: ReasonOption,
) -> None:
    """Block CPF for the features from now on (a brand admin); audited."""
    _change(cpf, db, actor, feature, reason, blocked=True)


@blocks_app.command("remove")
def _remove(
    cpf: Annotated[str, typer.Argument(help="The CPF, in any formatting (529.982.247-25).")],
    db: DbOption,
    actor: AsOption,
    feature: FeatureOption,
    reason: ReasonOption,
) -> None:
    """Unblock CPF for the features from now on (a brand admin); the block stays in the log."""
    _change(cpf, db, actor, feature, reason, blocked=False)


@blocks_app.command("list")
def _list(
    db: DbOption,
    day: Annotated[
        str | None, typer.Option("--date", help="The local day, YYYY-MM-DD (default today).")
    ] = None,
    feature: Annotated[
        str | None, typer.Option("--feature", help="Only the CPFs blocked for this feature.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """The CPFs blocked on a day: for which features, since when, why and by whom."""
    from otocore.blocking import BlockFeature, BlockList

    on = parse_day("--date", day) if day is not None else today()
    only = choice("--feature", feature, BlockFeature)
    uow = open_uow(db)
    with uow:
        blocks = BlockList.from_events(uow.blocks.iter_all())
        cpfs = {event.cpf.digits: event.cpf for event in blocks.events()}
        rows = []
        for digits in sorted(cpfs):
            for each in BlockFeature:
                if only is not None and each is not only:
                    continue
                event = blocks.latest(cpfs[digits], each, on)
                if event is not None and event.blocked:
                    rows.append((cpfs[digits], each, event))
        who = {event.by: who_recorded(uow, event.by) for _, _, event in rows}
    if as_json:
        document = [
            {
                "cpf": cpf.digits,
                "feature": each.value,
                "since": event.at.isoformat(),
                "reason": event.reason,
                "by": who[event.by],
            }
            for cpf, each, event in rows
        ]
        typer.echo(json.dumps(document, ensure_ascii=False))
        return
    out = console()
    if not rows:
        out.print(f"no CPF is blocked on {on}" + (f" for {only.value}" if only else ""))
        return
    table = Table(title=f"Blocked CPFs on {on}")
    table.add_column("CPF\nfeature", no_wrap=True)
    table.add_column("since\nby", overflow="fold")
    table.add_column("reason", overflow="fold", ratio=1)
    for cpf, each, event in rows:
        since = f"{local_minute(event.at)}\n{who[event.by]}"
        table.add_row(f"{cpf.formatted}\n{each.value}", since, event.reason)
    out.print(table)


@blocks_app.command("history")
def _history(
    cpf: Annotated[str, typer.Argument(help="The CPF, in any formatting (529.982.247-25).")],
    db: DbOption,
    as_json: JsonOption = False,
) -> None:
    """Every block and unblock of CPF, oldest first: when, blocked or not, features, why, by whom."""
    from otocore.customers import Cpf

    parsed = Cpf.parse(cpf, field="CPF")
    uow = open_uow(db)
    with uow:
        events = sorted(uow.blocks.for_cpf(parsed), key=lambda e: (e.at, not e.blocked))
        who = {event.by: who_recorded(uow, event.by) for event in events}
    if as_json:
        document = [
            {
                "at": event.at.isoformat(),
                "blocked": event.blocked,
                "features": sorted(f.value for f in event.features),
                "reason": event.reason,
                "by": who[event.by],
            }
            for event in events
        ]
        typer.echo(json.dumps(document, ensure_ascii=False))
        return
    out = console()
    if not events:
        out.print(f"CPF {parsed.formatted} was never blocked")
        return
    table = Table(title=f"Blocks of CPF {parsed.formatted}")
    table.add_column("when", no_wrap=True)
    table.add_column("change", no_wrap=True)
    table.add_column("features", overflow="fold")
    table.add_column("reason\nby", overflow="fold", ratio=1)
    for event in events:
        change = "blocked" if event.blocked else "unblocked"
        features = ", ".join(sorted(f.value for f in event.features))
        table.add_row(local_minute(event.at), change, features, f"{event.reason}\n{who[event.by]}")
    out.print(table)
