"""``otocore sample``: the bundled sample brand as files, to try every command on."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Annotated

import typer

from otocore.cli._common import JsonOption, console, usage_error

sample_app = typer.Typer(
    help="The bundled sample brand (marca de exemplo) as files.", no_args_is_help=True
)

SAMPLE_FILES = (
    "stores.csv",
    "sellers.csv",
    "customers.csv",
    "orders.csv",
    "consent.csv",
    "contacts.csv",
    "campaigns.json",
)
"""What ``otocore sample write`` writes: the brand's six import files and its campaigns."""


@sample_app.command("write")
def _sample_write(
    directory: Annotated[
        Path, typer.Argument(help="The folder to write the files in (created if needed).")
    ],
    force: Annotated[
        bool, typer.Option("--force", help="Replace files of the same names already there.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Write the bundled sample brand: stores, sellers, customers, orders, consent, contacts, campaigns.

    The first four CSV files and contacts.csv are the ones ``otocore demo``
    imports (6 stores, 42 sellers, 3,000 customers, 30,000 orders, the last on
    2026-10-31; 316 contacts of September 2026) and consent.csv holds the
    seeded opt-ins the demo records, all for ``otocore import``; campaigns.json
    holds the three sample campaigns, for ``otocore campaigns load``. Files
    already there are left alone unless --force is given.
    """
    from otocore.campaigns import sample_campaigns
    from otocore.cli._demo import bundled_directory
    from otocore.serialization import dump_campaigns

    targets = [directory / name for name in SAMPLE_FILES]
    existing = [str(path) for path in targets if path.exists()]
    if existing and not force:
        raise usage_error(
            f"{', '.join(existing)} already exist; pass --force to replace them "
            "(nothing was written)"
        )
    if directory.exists() and not directory.is_dir():
        raise usage_error(f"{directory} is not a folder (nothing was written)")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        source = bundled_directory()
        for path in [*targets[:4], targets[5]]:
            shutil.copyfile(source / path.name, path)
        _write_consent(targets[4])
        targets[-1].write_text(dump_campaigns(sample_campaigns()), encoding="utf-8")
    except OSError as exc:
        raise usage_error(f"cannot write in {directory}: {exc.strerror or exc}") from None
    if as_json:
        typer.echo(json.dumps([str(path) for path in targets]))
        return
    console().print(f"wrote the sample brand in {directory}: {', '.join(SAMPLE_FILES)}")


def _write_consent(path: Path) -> None:
    """The bundled brand's seeded opt-ins (:func:`otocore.sample.consent_events`) as a CSV file."""
    import csv

    from otocore.importing import RecordKind, to_cells
    from otocore.sample import consent_events, load_bundled_brand

    columns = RecordKind.CONSENT.columns
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(columns)
        for event in consent_events(load_bundled_brand().customers):
            cells = to_cells(event)
            writer.writerow([cells.get(column) or "" for column in columns])
