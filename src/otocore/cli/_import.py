"""``otocore import``: files in, one summary line per file; a progress bar on stderr."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from otocore.cli._common import DbOption, JsonOption, console, open_uow

if TYPE_CHECKING:
    from rich.progress import TaskID

    from otocore.importing import ImportProgress


def import_files(
    paths: Annotated[list[Path], typer.Argument(help="Files or directories to import.")],
    db: DbOption,
    *,
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
    cpf_restore_zeros: Annotated[
        bool,
        typer.Option(
            "--cpf-restore-zeros",
            help="Pad CPFs a spreadsheet shortened (1234567890 is 012.345.678-90).",
        ),
    ] = False,
    cpf_allow_repeated: Annotated[
        bool,
        typer.Option(
            "--cpf-allow-repeated",
            help="Accept repeated-digit CPFs such as 111.111.111-11.",
        ),
    ] = False,
    no_check_references: Annotated[
        bool,
        typer.Option(
            "--no-check-references",
            help="Accept rows naming a store, seller or customer that is not known.",
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Import stores, sellers, customers and orders from CSV or JSON Lines files."""
    from otocore.customers import CpfPolicy
    from otocore.importing import format_summary, import_directory, import_file

    cpf_policy = CpfPolicy(
        allow_repeated_digits=cpf_allow_repeated, restore_leading_zeros=cpf_restore_zeros
    )
    uow = open_uow(db)
    summaries: list[Any] = []
    several = len(paths) > 1 or any(p.is_dir() for p in paths)
    if report is not None and several:
        report.mkdir(parents=True, exist_ok=True)
    for path in paths:
        if path.is_dir():
            with progress_bar(not as_json) as progress:
                summaries += import_directory(
                    uow,
                    path,
                    skip_invalid=skip_invalid,
                    report_dir=report,
                    progress=progress,
                    cpf_policy=cpf_policy,
                    check_references=not no_check_references,
                )
        else:
            report_path = report / f"{path.name}.rejected.csv" if report and several else report
            with progress_bar(not as_json) as progress:
                summaries.append(
                    import_file(
                        uow,
                        path,
                        skip_invalid=skip_invalid,
                        report_path=report_path,
                        progress=progress,
                        cpf_policy=cpf_policy,
                        check_references=not no_check_references,
                    )
                )
    if as_json:
        from otocore.serialization import converter

        typer.echo(json.dumps(converter.unstructure(summaries), default=str))
    else:
        for summary in summaries:
            console().print(format_summary(summary))


@contextlib.contextmanager
def progress_bar(enabled: bool) -> Iterator[Callable[[ImportProgress], None] | None]:
    """A transient progress bar on stderr, drawn from an import's progress reports; or none.

    The bar appears with the first report, so an import refused before it
    reads a row (a missing file, a bad argument) draws nothing.
    """
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    tasks: dict[tuple[Path, str], TaskID] = {}

    def draw(progress: ImportProgress) -> None:
        if not tasks:
            bar.start()
        key = (progress.file, progress.stage.value)  # one bar per pass over a file
        total = max(progress.bytes_total, 1)
        if key not in tasks:
            tasks[key] = bar.add_task(f"{progress.stage.value} {progress.file.name}", total=total)
        bar.update(tasks[key], completed=total if progress.done else progress.bytes_read)

    try:
        yield draw
    finally:
        if tasks:
            bar.stop()
