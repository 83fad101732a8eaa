"""``otocore sellers``: list, activate and deactivate sellers."""

from __future__ import annotations

import json
from collections import Counter
from typing import Annotated

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

sellers_app = typer.Typer(help="Seller management (gestão de vendedores).", no_args_is_help=True)


@sellers_app.command("list")
def _sellers_list(
    db: DbOption,
    store: Annotated[str | None, typer.Option("--store", help="Only this store's sellers.")] = None,
    status: Annotated[
        str | None, typer.Option("--status", help="Only sellers in this status: active, inactive.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List the sellers with their store and status (ativo, inativo)."""
    from otocore.sellers import SellerStatus

    wanted = choice("--status", status, SellerStatus)
    uow = open_uow(db)
    with uow:
        sellers = uow.sellers.list(store_id=store, status=wanted)
    if as_json:
        from otocore.serialization import converter

        typer.echo(json.dumps(converter.unstructure(sellers), ensure_ascii=False))
        return
    table = Table(title="Sellers")
    for col in ("code", "name", "store", "status"):
        table.add_column(col)
    for seller in sellers:
        table.add_row(seller.code, seller.name, seller.store_id, seller.status.value)
    console().print(table)


@sellers_app.command("activate")
def _sellers_activate(code: str, db: DbOption, actor: AsOption) -> None:
    """Activate a seller (a store manager: own store; a brand admin: any); audited."""
    database = open_db(db)
    service = account_service(database)
    service.activate_seller(acting_principal(database, service, actor), code)
    console().print(f"seller {code} activated by {login(actor)}")


@sellers_app.command("deactivate")
def _sellers_deactivate(  # noqa: PLR0917 - typer maps options to parameters
    code: str,
    db: DbOption,
    actor: AsOption,
    to: Annotated[
        str | None, typer.Option("--to", help="Move the carteira to this seller.")
    ] = None,
    balanced: Annotated[
        bool, typer.Option("--balanced", help='Spread it over the store ("Aleatório").')
    ] = False,
    seed: Annotated[int | None, typer.Option("--seed", help="Seed of --balanced.")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Day the assignments start (default today).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Deactivate a seller and redistribute their carteira; authorized and audited."""
    from otocore.distribution import Balanced, ToSeller

    if to is not None and balanced:
        raise typer.BadParameter("give --to CODE or --balanced, not both")
    if balanced and seed is None:
        raise typer.BadParameter("--balanced needs --seed N, so the draw can be repeated")
    target = (
        ToSeller(to)
        if to is not None
        else Balanced(seed)
        if balanced and seed is not None
        else None
    )
    day = parse_day("--as-of", as_of) if as_of is not None else today()
    database = open_db(db)
    service = account_service(database)
    moved = service.deactivate_seller(
        acting_principal(database, service, actor), code, target, as_of=day
    )
    if as_json:
        typer.echo(json.dumps(moved, sort_keys=True))
        return
    received = Counter(moved.values())
    console().print(f"seller {code} deactivated; {len(moved)} customers moved")
    for seller, n in sorted(received.items()):
        console().print(f"  {seller}: {n}")
