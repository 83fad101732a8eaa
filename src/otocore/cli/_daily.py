"""``otocore daily``: run the daily job."""

from __future__ import annotations

import json

import typer

from otocore.cli._common import DateArg, DbOption, JsonOption, console, open_uow, parse_day


def daily(db: DbOption, as_of: DateArg, as_json: JsonOption = False) -> None:
    """Run the daily job: carteiras by preferred seller and the RFV snapshot."""
    from otocore.daily import run_daily

    day = parse_day("--as-of", as_of)  # before the database: a typo costs no connection
    run = run_daily(open_uow(db), day)
    if as_json:
        from otocore.serialization import converter

        typer.echo(json.dumps(converter.unstructure(run)))
        return
    counts = ", ".join(f"{name} {n}" for name, n in run.counts)
    console().print(f"daily job for {run.as_of}: {counts}")
