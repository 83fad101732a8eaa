"""``otocore demo``: the bundled sample brand, end to end."""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from otocore.cli._common import JsonOption, console, open_uow
from otocore.cli._import import progress_bar
from otocore.cli._suggestions import print_suggestions
from otocore.errors import ConfigurationError

DEMO_AS_OF = date(2026, 11, 1)
"""The day the demo runs the daily job for: the day after the bundled brand's last order."""

DEMO_SELLER = "V005"
"""The seller whose suggestions, seller link and QR code the demo prints."""

DEMO_STORE_URL = "https://loja.example.com.br/?utm_source=oto&utm_medium=qrcode"
"""The online store address of the demo's seller link (the sample brand has none of its own)."""


def demo(
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            help="SQLite file to create and keep (default: a temporary one, deleted at the end).",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Where to write the seller link's QR code (PNG; default: next to --db, "
            "else in the temporary folder).",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Load the bundled sample brand into SQLite, run the daily job, print the results."""
    if db is None:
        # the database goes with its temporary folder; the small QR image is kept
        qr_path = out or Path(tempfile.gettempdir()) / f"otocore-demo-seller-{DEMO_SELLER}-qr.png"
        with tempfile.TemporaryDirectory(prefix="otocore-demo-") as tmp:
            _demo(Path(tmp) / "demo.sqlite", as_json=as_json, qr_path=qr_path)
        if not as_json:
            console().print(
                "\nthe database was a temporary file, deleted; "
                "pass --db brand.sqlite to keep it and try the other commands on it"
            )
    else:
        qr_path = out or db.with_name(f"{db.stem}-seller-{DEMO_SELLER}-qr.png")
        _demo(db, as_json=as_json, qr_path=qr_path)
        if not as_json:
            console().print(
                f"\nthe database is kept in {db}: try "
                f"`otocore suggestions --seller {DEMO_SELLER} --date {DEMO_AS_OF} --db {db}`"
            )


def _demo(path: Path, *, as_json: bool, qr_path: Path) -> None:
    from otocore.daily import run_daily
    from otocore.importing import import_directory
    from otocore.rfv import default_grid
    from otocore.seller_codes import seller_link, seller_qr_png

    out = console()
    uow = open_uow(str(path), create=True)
    with progress_bar(not as_json) as progress:
        summaries = import_directory(uow, bundled_directory(), progress=progress)
    run = run_daily(uow, DEMO_AS_OF)
    plan = _demo_suggestions(uow)
    with uow:
        scores = uow.rfv.get(DEMO_AS_OF)
        assignments = uow.portfolio.list()
        sellers = {s.code: s for s in uow.sellers.list()}
    segments = Counter(s.segment for s in scores.values())
    sizes = Counter(a.seller_code for a in assignments if a.seller_code)
    decisions = _one_per_rule(run.changes)
    link = seller_link(DEMO_SELLER, DEMO_STORE_URL)
    qr_path.write_bytes(seller_qr_png(link))
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
                    "seller_link": link,
                    "seller_qr_code": str(qr_path),
                },
                ensure_ascii=False,
            )
        )
        return
    for summary in summaries:
        out.print(f"imported {summary.file.name}: {summary.imported} rows")
    out.print(f"\ndaily job for {DEMO_AS_OF} on {path}")
    grid = default_grid()
    table = Table(title=f"RFV segments on {DEMO_AS_OF}")
    table.add_column("segment")
    table.add_column("segmento")
    table.add_column("customers", justify="right")
    for key, n in segments.most_common():
        table.add_row(grid.label(key, lang="en"), grid.label(key, lang="pt"), str(n))
    out.print(table)
    table = Table(title="Carteira sizes (portfolio per seller)")
    for col in ("seller", "name", "store", "customers"):
        table.add_column(col, justify="right" if col == "customers" else "left")
    for code, n in sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0])):
        seller = sellers[code]
        table.add_row(code, seller.name, seller.store_id, str(n))
    out.print(table)
    out.print(
        f"unassigned customers: {run.count('unassigned')} (no completed order with an active "
        f"seller in the 12 months before {DEMO_AS_OF})"
    )
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
    out.print(table)
    out.print(
        f"\nsuggestions for {DEMO_AS_OF}: {len(plan.suggestions)} customers to contact "
        f"across {len({s.seller_code for s in plan.suggestions})} sellers"
    )
    print_suggestions(
        plan.for_seller(DEMO_SELLER),
        title=f"Suggestions for {DEMO_SELLER} ({sellers[DEMO_SELLER].name}) on {DEMO_AS_OF}",
        as_json=False,
    )
    seller = sellers[DEMO_SELLER]
    out.print(f"\nseller code of {seller.name} (store {seller.store_id}): {seller.code}")
    out.print(f"seller link: {link}")
    out.print(f"QR code of the link: {qr_path}")


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


def bundled_directory() -> Path:
    """The folder of the bundled sample brand's four CSV files."""
    folder = resources.files("otocore") / "data" / "sample"
    if not isinstance(folder, Path):  # pragma: no cover - zipped installs only
        raise ConfigurationError("the bundled sample brand needs otocore installed as files")
    return folder
