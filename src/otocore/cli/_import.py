"""``otocore import``: files in, one summary line per file; a progress bar on stderr.

``--kind`` and ``--format`` say what a file holds and how it is written when
its name does not tell (``export_vendas.csv``); ``--delimiter``,
``--decimal`` and ``--encoding`` override what is detected of a CSV file.
With ``--skip-invalid``, a file whose every row was rejected makes the
command exit 1 (after the summaries), as nothing of it was imported.

A customers file that changes a stored customer writes one customer-history
entry per changed field (reason ``import``), sealed with the key of
``OTOCORE_LOG_KEY_FILE`` or ``OTOCORE_LOG_KEY``: ``--as EMAIL`` names the
account that imports (its id is the entries' actor; default ``import``).
Without a key such a file is refused whole (one ``error:`` line, exit 1),
as ``customers edit`` is; new customers need no key.
"""

from __future__ import annotations

import codecs
import contextlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from otocore.cli._common import DbOption, JsonOption, console, open_db, usage_error

if TYPE_CHECKING:
    from rich.progress import TaskID

    from otocore.importing import FileFormat, ImportProgress, ImportSummary, RecordKind

_DELIMITERS = {",": ",", ";": ";", "|": "|", "\t": "\t", "\\t": "\t", "tab": "\t"}


def import_files(
    paths: Annotated[list[Path], typer.Argument(help="Files or directories to import.")],
    db: DbOption,
    *,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            help="What the files hold when their names do not tell: stores, sellers,"
            " customers, orders, consent, blocks, contacts, telesales (or lojas, vendedores,"
            " clientes, pedidos, consentimentos, bloqueios, contatos, televendas).",
        ),
    ] = None,
    file_format: Annotated[
        str | None,
        typer.Option("--format", help="csv, jsonl or xlsx, when the file names do not tell."),
    ] = None,
    delimiter: Annotated[
        str | None,
        typer.Option(
            "--delimiter", help="CSV separator: ',', ';', tab or '|' (default: detected)."
        ),
    ] = None,
    decimal: Annotated[
        str | None,
        typer.Option(
            "--decimal",
            help="Decimal separator of money cells: '.' or ',' (default: ',' in a"
            " ';'-separated file, else '.').",
        ),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding",
            help="CSV encoding, such as utf-8 or cp1252 (default: UTF-8, or Windows-1252"
            " when the file is not UTF-8).",
        ),
    ] = None,
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
    actor: Annotated[
        str | None,
        typer.Option(
            "--as",
            metavar="EMAIL",
            help="The importing account's login e-mail: its id is recorded in the customer"
            " history of every field a customers file changes (default: 'import').",
        ),
    ] = None,
) -> None:
    """Import stores, sellers, customers, orders, consent, blocks, contacts or telesales orders.

    From CSV, JSON Lines or .xlsx files. A change to a stored customer is written to the
    customer history (reason import, by --as).
    """
    from otocore.customers import CpfPolicy
    from otocore.importing import IMPORT_ACTOR, format_summary, import_directory, import_file

    record_kind, fmt = _kind_and_format(paths, kind, file_format)
    dialect: dict[str, Any] = {
        "delimiter": _delimiter(delimiter),
        "decimal": _decimal(decimal),
        "encoding": _encoding(encoding),
    }
    cpf_policy = CpfPolicy(
        allow_repeated_digits=cpf_allow_repeated, restore_leading_zeros=cpf_restore_zeros
    )
    database = open_db(db)
    importer = IMPORT_ACTOR if actor is None else _importer(database, actor)
    uow = database.unit_of_work()
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
                    **dialect,
                    check_references=not no_check_references,
                    actor=importer,
                )
        else:
            report_path = report / f"{path.name}.rejected.csv" if report and several else report
            with progress_bar(not as_json) as progress:
                summaries.append(
                    import_file(
                        uow,
                        path,
                        record_kind,
                        format=fmt,
                        **dialect,
                        skip_invalid=skip_invalid,
                        report_path=report_path,
                        progress=progress,
                        cpf_policy=cpf_policy,
                        check_references=not no_check_references,
                        actor=importer,
                    )
                )
    if as_json:
        from otocore.serialization import converter

        typer.echo(json.dumps(converter.unstructure(summaries), default=str))
    else:
        for summary in summaries:
            console().print(format_summary(summary))
    _fail_if_all_rejected(summaries)


def _importer(database: Any, email: str) -> str:
    """The account id of ``--as``: an active account (NotFound, or a RuleViolation if inactive)."""
    from otocore.cli._account_service import find_account
    from otocore.errors import RuleViolation

    account = find_account(database, email)
    if not account.state.active:
        raise RuleViolation(
            f"account {account.email.address} is deactivated; it cannot import (--as)"
        )
    return str(account.account_id)


def _fail_if_all_rejected(summaries: list[ImportSummary]) -> None:
    """Exit 1 when a file had rows and every one of them was rejected (``--skip-invalid``).

    A file whose rows were all duplicates (telesales orders imported before) is not a failure.
    """
    from otocore.errors import ValidationError

    for summary in summaries:
        if summary.rows_read and summary.rejected == summary.rows_read:  # read rows, all bad
            where = f" (report: {summary.report_path})" if summary.report_path else ""
            err = ValidationError("file", summary.file.name, "had every row rejected")
            err.args = (f"{summary.file.name}: every row was rejected, nothing imported{where}",)
            raise err


def _kind_and_format(
    paths: list[Path], kind: str | None, file_format: str | None
) -> tuple[RecordKind | None, FileFormat | None]:
    from otocore.errors import ValidationError
    from otocore.importing import FileFormat, RecordKind

    if (kind is not None or file_format is not None) and any(p.is_dir() for p in paths):
        option = "--kind" if kind is not None else "--format"
        raise usage_error(f"{option} applies to files; a directory's files are told by their names")
    try:
        record_kind = None if kind is None else RecordKind.from_name(kind)
    except ValidationError as exc:
        raise typer.BadParameter(f"--kind {exc.rule}, got {kind!r}") from None
    try:
        fmt = None if file_format is None else FileFormat(file_format.strip().lower())
    except ValueError:
        allowed = ", ".join(f.value for f in FileFormat)
        raise typer.BadParameter(
            f"--format must be one of {allowed}, got {file_format!r}"
        ) from None
    return record_kind, fmt


def _encoding(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        name = codecs.lookup(value).name
        name = "utf-8" if name == "utf-8-sig" else name
        kept = '\r\n,;\t|"'.encode(name) == b'\r\n,;\t|"'
    except (LookupError, UnicodeError, ValueError):
        kept = False
    if not kept:
        raise typer.BadParameter(
            "--encoding must be a text encoding that keeps ASCII as ASCII,"
            f" such as utf-8, cp1252 or latin-1, got {value!r}"
        )
    return value


def _delimiter(value: str | None) -> str | None:
    if value is None:
        return None
    if value.lower() not in _DELIMITERS:
        raise typer.BadParameter(f"--delimiter must be ',', ';', tab or '|', got {value!r}")
    return _DELIMITERS[value.lower()]


def _decimal(value: str | None) -> str | None:
    if value is not None and value not in {".", ","}:
        raise typer.BadParameter(f"--decimal must be '.' or ',', got {value!r}")
    return value


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
    terminal = bar.console.is_terminal

    def draw(progress: ImportProgress) -> None:
        if not tasks and (not terminal or not progress.rows_read or progress.done):
            # no bar off a terminal, nor before 1000 rows are read: a small file, or one
            # refused on its header, draws nothing (and leaves no blank line behind)
            return
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
