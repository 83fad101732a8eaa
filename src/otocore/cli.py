"""Linha de comando (the command line): ``otocore``.

A thin layer: parse the arguments, call a service, print. Tables for people,
``--json`` for programs. Exit codes: 0 on success, 1 on a validation error or
a rule violation (the message goes to stderr), 2 on usage errors.

>>> from typer.testing import CliRunner
>>> result = CliRunner().invoke(app, ["--version"])
>>> result.exit_code, result.output.startswith("otocore ")
(0, True)
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections import Counter
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

import otocore
from otocore.errors import ConfigurationError, OtocoreError

__all__ = ["app", "main", "run"]

app = typer.Typer(
    name="otocore",
    help="Exact domain rules for Brazilian retail clienteling.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Create or upgrade a database.", no_args_is_help=True)
sellers_app = typer.Typer(help="Seller management (gestão de vendedores).", no_args_is_help=True)
customers_app = typer.Typer(help="Customer records (cadastro).", no_args_is_help=True)
campaigns_app = typer.Typer(help="Campaigns (campanhas).", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(sellers_app, name="sellers")
app.add_typer(customers_app, name="customers")
app.add_typer(campaigns_app, name="campaigns")

DEMO_AS_OF = date(2026, 11, 1)
"""The day the demo runs the daily job for: the day after the bundled brand's last order."""

BRAND_TIME_ZONE = "America/Sao_Paulo"
"""The zone in which the command line reads "today" when no date is given."""

DEMO_SELLER = "V005"
"""The seller whose suggestions the demo prints."""

DbOption = Annotated[
    str,
    typer.Option(
        "--db",
        envvar="OTOCORE_DB",
        help="SQLite file path or SQLAlchemy URL (sqlite:///..., postgresql+psycopg://...).",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for programs.")]


def _parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"expected a date as YYYY-MM-DD, got {value!r}") from None


DateArg = Annotated[str, typer.Option("--as-of", help="The local day, YYYY-MM-DD.")]


def _today() -> date:
    """Today in the brand's time zone (the CLI's only read of the wall clock)."""
    from zoneinfo import ZoneInfo

    from otocore.clock import SystemClock

    return SystemClock().now().astimezone(ZoneInfo(BRAND_TIME_ZONE)).date()


def _console(*, stderr: bool = False) -> Console:
    # at least 120 columns, so tables stay readable when the output is piped
    width = max(Console(stderr=stderr).width, 120)
    return Console(stderr=stderr, highlight=False, soft_wrap=True, width=width)


def _open(db: str, *, create: bool = False) -> Any:
    from otocore.adapters.sql import open_database

    return open_database(db, upgrade=create).unit_of_work()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"otocore {otocore.__version__}")
        raise typer.Exit


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """otocore: carteiras, RFV, preferred sellers and more, on your own data."""


# db ---------------------------------------------------------------------------


@db_app.command("upgrade")
def _db_upgrade(url: Annotated[str, typer.Argument(help="SQLite path or database URL.")]) -> None:
    """Create the schema, or upgrade it to this otocore's revision."""
    from otocore.adapters.sql import upgrade

    revision = upgrade(url)
    _console().print(f"database at schema revision {revision}")


# import -----------------------------------------------------------------------


@app.command("import")
def _import(
    paths: Annotated[list[Path], typer.Argument(help="Files or directories to import.")],
    db: DbOption,
    skip_invalid: Annotated[
        bool,
        typer.Option("--skip-invalid", help="Import the good rows; report the bad ones."),
    ] = False,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report",
            help="Where to write rejected rows: a file for one file, a folder for several.",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Import stores, sellers, customers and orders from CSV or JSON Lines files."""
    from otocore.importing import format_summary, import_directory, import_file

    uow = _open(db)
    summaries: list[Any] = []
    several = len(paths) > 1 or any(p.is_dir() for p in paths)
    if report is not None and several:
        report.mkdir(parents=True, exist_ok=True)
    for path in paths:
        if path.is_dir():
            summaries += import_directory(
                uow, path, skip_invalid=skip_invalid, report_dir=report, progress=not as_json
            )
        else:
            report_path = report / f"{path.name}.rejected.csv" if report and several else report
            summaries.append(
                import_file(
                    uow,
                    path,
                    skip_invalid=skip_invalid,
                    report_path=report_path,
                    progress=not as_json,
                )
            )
    if as_json:
        from otocore.serialization import converter

        typer.echo(json.dumps(converter.unstructure(summaries), default=str))
    else:
        for summary in summaries:
            _console().print(format_summary(summary))


# daily ------------------------------------------------------------------------


@app.command("daily")
def _daily(db: DbOption, as_of: DateArg, as_json: JsonOption = False) -> None:
    """Run the daily job: carteiras by preferred seller and the RFV snapshot."""
    from otocore.daily import run_daily

    run = run_daily(_open(db), _parse_day(as_of))
    if as_json:
        from otocore.serialization import converter

        typer.echo(json.dumps(converter.unstructure(run)))
        return
    counts = ", ".join(f"{name} {n}" for name, n in run.counts)
    _console().print(f"daily job for {run.as_of}: {counts}")


# sellers ----------------------------------------------------------------------


@sellers_app.command("deactivate")
def _sellers_deactivate(  # noqa: PLR0917 - typer maps options to parameters
    code: str,
    db: DbOption,
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
    """Deactivate a seller and redistribute their carteira."""
    from otocore.distribution import Balanced, ToSeller
    from otocore.management import deactivate_seller

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
    day = _parse_day(as_of) if as_of is not None else _today()
    moved = deactivate_seller(_open(db), code, target, as_of=day)
    if as_json:
        typer.echo(json.dumps(moved, sort_keys=True))
        return
    received = Counter(moved.values())
    _console().print(f"seller {code} deactivated; {len(moved)} customers moved")
    for seller, n in sorted(received.items()):
        _console().print(f"  {seller}: {n}")


# customers --------------------------------------------------------------------


@customers_app.command("show")
def _customers_show(customer_id: str, db: DbOption, as_json: JsonOption = False) -> None:
    """Show a customer's record, carteira and latest RFV."""
    from otocore.serialization import converter

    uow = _open(db)
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
    _console().print(table)


# suggestions, explain, campaigns ----------------------------------------------------


@app.command("suggestions")
def _suggestions(  # noqa: PLR0917 - typer maps options to parameters
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

    on = _parse_day(day)
    try:
        wanted = SuggestionStatus(status) if status is not None else None
    except ValueError:
        allowed = ", ".join(s.value for s in SuggestionStatus)
        raise typer.BadParameter(f"--status must be one of {allowed}, got {status!r}") from None
    uow = _open(db)
    if regenerate:
        generate_suggestions(uow, on)
    with uow:
        uow.sellers.get(seller)
        stored = uow.suggestions.list_day(
            on, seller_code=seller, campaign_id=campaign, status=wanted
        )
    _print_suggestions(stored, title=f"Suggestions for {seller} on {on}", as_json=as_json)


def _print_suggestions(suggestions: Any, *, title: str, as_json: bool) -> None:
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
    _console().print(table)


@app.command("explain")
def _explain(
    customer_id: str,
    db: DbOption,
    day: Annotated[str, typer.Option("--date", help="The local day, YYYY-MM-DD.")],
    as_json: JsonOption = False,
) -> None:
    """Why a customer was or was not suggested on a day."""
    from otocore.attendance import explain_customer

    explanation = explain_customer(_open(db), customer_id, _parse_day(day))
    if as_json:
        from otocore.serialization import converter

        typer.echo(json.dumps(converter.unstructure(explanation), ensure_ascii=False))
        return
    _console().print(f"{customer_id} on {explanation.day}: {explanation.outcome.value}")
    _console().print(f"  {explanation.detail}")


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
    campaigns = load_campaigns_into(_open(db), text)
    if as_json:
        typer.echo(json.dumps([c.campaign_id for c in campaigns]))
        return
    _console().print(
        f"{len(campaigns)} campaigns loaded: {', '.join(c.campaign_id for c in campaigns)}"
    )


# demo -------------------------------------------------------------------------


@app.command("demo")
def _demo_command(
    db: Annotated[
        Path | None,
        typer.Option("--db", help="SQLite file to create (default: a temporary one)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Load the bundled sample brand into SQLite, run the daily job, print the results."""
    if db is None:
        with tempfile.TemporaryDirectory(prefix="otocore-demo-") as tmp:
            _demo(Path(tmp) / "demo.sqlite", as_json=as_json)
    else:
        _demo(db, as_json=as_json)


def _demo(path: Path, *, as_json: bool) -> None:
    from otocore.daily import run_daily
    from otocore.importing import import_directory
    from otocore.rfv import default_grid

    console = _console()
    uow = _open(str(path), create=True)
    summaries = import_directory(uow, _bundled_directory(), progress=not as_json)
    run = run_daily(uow, DEMO_AS_OF)
    plan = _demo_suggestions(uow)
    with uow:
        scores = uow.rfv.get(DEMO_AS_OF)
        assignments = uow.portfolio.list()
        sellers = {s.code: s for s in uow.sellers.list()}
    segments = Counter(s.segment for s in scores.values())
    sizes = Counter(a.seller_code for a in assignments if a.seller_code)
    decisions = _one_per_rule(run.changes)
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "as_of": DEMO_AS_OF.isoformat(),
                    "database": str(path),
                    "segments": dict(sorted(segments.items())),
                    "portfolio_sizes": dict(sorted(sizes.items())),
                    "counts": dict(run.counts),
                    "suggestions": len(plan.suggestions),
                    "seller": DEMO_SELLER,
                    "seller_suggestions": [s.customer_id for s in plan.for_seller(DEMO_SELLER)],
                },
                ensure_ascii=False,
            )
        )
        return
    for summary in summaries:
        console.print(f"imported {summary.file.name}: {summary.imported} rows")
    console.print(f"\ndaily job for {DEMO_AS_OF} on {path}")
    grid = default_grid()
    table = Table(title=f"RFV segments on {DEMO_AS_OF}")
    table.add_column("segment")
    table.add_column("segmento")
    table.add_column("customers", justify="right")
    for key, n in segments.most_common():
        table.add_row(grid.label(key, lang="en"), grid.label(key, lang="pt"), str(n))
    console.print(table)
    table = Table(title="Carteira sizes (portfolio per seller)")
    for col in ("seller", "name", "store", "customers"):
        table.add_column(col, justify="right" if col == "customers" else "left")
    for code, n in sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0])):
        seller = sellers[code]
        table.add_row(code, seller.name, seller.store_id, str(n))
    console.print(table)
    console.print(f"unassigned customers: {run.count('unassigned')}")
    table = Table(title="Preferred-seller decisions (one per deciding rule)")
    for col in ("customer", "from", "to", "decided by"):
        table.add_column(col)
    for change in decisions:
        table.add_row(
            change.customer_id,
            change.from_seller or "-",
            change.to_seller or "-",
            change.decided_by or "-",
        )
    console.print(table)
    console.print(
        f"\nsuggestions for {DEMO_AS_OF}: {len(plan.suggestions)} customers to contact "
        f"across {len({s.seller_code for s in plan.suggestions})} sellers"
    )
    _print_suggestions(
        plan.for_seller(DEMO_SELLER),
        title=f"Suggestions for {DEMO_SELLER} ({sellers[DEMO_SELLER].name}) on {DEMO_AS_OF}",
        as_json=False,
    )


def _demo_suggestions(uow: Any) -> Any:
    """Load the sample campaigns and opt-ins, then generate the demo day's suggestions."""
    from otocore.attendance import generate_suggestions
    from otocore.campaigns import sample_campaigns
    from otocore.sample import consent_events

    with uow:
        for campaign in sample_campaigns():
            uow.campaigns.add(campaign)
        uow.consent.append_many(consent_events(uow.customers.list()))
    return generate_suggestions(uow, DEMO_AS_OF)


def _one_per_rule(changes: Any) -> list[Any]:
    """The first change decided by each rule, so the demo shows every tie-break at work."""
    seen: dict[str | None, Any] = {}
    for change in changes:
        seen.setdefault(change.decided_by, change)
    return [seen[k] for k in sorted(seen, key=str)]


def _bundled_directory() -> Path:
    folder = resources.files("otocore") / "data" / "sample"
    if not isinstance(folder, Path):  # pragma: no cover - zipped installs only
        raise ConfigurationError("the bundled sample brand needs otocore installed as files")
    return folder


# entry point ------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 1 rule or input error, 2 usage).

    >>> main(["--version"])
    otocore ...
    0
    """
    try:
        # standalone mode: typer reports usage errors itself and exits with 2
        app(args=argv, prog_name="otocore", standalone_mode=True)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except OtocoreError as exc:
        _console(stderr=True).print(f"error: {exc}", markup=False)
        return 1
    return 0


def run() -> None:
    """Console-script entry point: ``sys.exit(main())``."""
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    run()
