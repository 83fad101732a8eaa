"""``otocore campaigns``: load campaigns from JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from otocore.cli._common import DbOption, JsonOption, console, open_uow

campaigns_app = typer.Typer(help="Campaigns (campanhas).", no_args_is_help=True)


@campaigns_app.command("load")
def _campaigns_load(
    path: Annotated[Path, typer.Argument(help="A JSON file with a list of campaigns.")],
    db: DbOption,
    as_json: JsonOption = False,
) -> None:
    """Validate and store campaigns (upsert by id); every fault is reported with its path."""
    from otocore.attendance import load_campaigns_into

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise typer.BadParameter(f"cannot read {path}: {exc.strerror}") from None
    campaigns = load_campaigns_into(open_uow(db), text)
    if as_json:
        typer.echo(json.dumps([c.campaign_id for c in campaigns]))
        return
    console().print(
        f"{len(campaigns)} campaigns loaded: {', '.join(c.campaign_id for c in campaigns)}"
    )
