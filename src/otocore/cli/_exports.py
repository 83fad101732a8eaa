"""``otocore customers export`` and ``otocore customers download``: a file of customers, by link.

The export writes the file under the brand's export directory and e-mails the
requester a link (never printed: only its delivery is); the download redeems
the token for the same account and copies the file out.
"""

from __future__ import annotations

import contextlib
import json
import shutil
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

import typer

from otocore.cli._account_service import (
    NO_LINK_APP_URL,
    AppUrlOption,
    MailFromOption,
    MailToDirOption,
    SmtpHostOption,
    SmtpPortOption,
    SmtpUserOption,
    StartTlsOption,
    account_service,
    acting_principal,
    mail_settings,
    mailed,
)
from otocore.cli._categories import FieldOption, QueryOption, search_options
from otocore.cli._common import (
    AsOption,
    DbOption,
    JsonOption,
    console,
    open_db,
    parse_day,
    today,
    usage_error,
)
from otocore.cli._consent import local_minute
from otocore.cli._customers import customers_app

ExportDirOption = Annotated[
    Path | None,
    typer.Option(
        "--export-dir",
        envvar="OTOCORE_EXPORT_DIR",
        metavar="DIR",
        help="The brand's export directory: exported files are written here and nowhere else.",
    ),
]


def _export_dir(directory: Path | None) -> Path:
    if directory is None:
        raise usage_error(
            "exports are written to the brand's export directory: pass --export-dir DIR"
            " (OTOCORE_EXPORT_DIR); nothing was exported"
        )
    if not directory.is_dir():
        raise usage_error(f"--export-dir {directory} is not a directory; nothing was exported")
    return directory


def _filter(text: str) -> Any:
    """The audience filter of ``--filter``: a JSON file's path, or the JSON itself."""
    from otocore.filters import parse_filter

    path = Path(text)
    source = text
    try:
        if path.is_file():
            source = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise usage_error(f"--filter {text}: cannot read it ({exc.strerror})") from None
    try:
        data = json.loads(source)
    except json.JSONDecodeError as exc:
        raise usage_error(
            f"--filter must be a JSON filter or the path of a file holding one ({exc.msg})"
        ) from None
    return parse_filter(data, path="--filter")


def _mailer(mail: Any) -> Any:
    """The mailer of ``mail``'s settings: a folder of .eml files, or the SMTP server."""
    if mail.directory is not None:
        from otocore.adapters.mail import DirectoryMailer

        return DirectoryMailer(mail.directory, sender=mail.sender)
    from otocore.adapters.mail import SmtpMailer

    return SmtpMailer(
        mail.host,
        mail.port,
        sender=mail.sender,
        username=mail.username,
        password=mail.password,
        starttls=mail.starttls,
    )


def _token_of(text: str) -> str:
    """The token of a pasted link (its ``token`` parameter), or the text itself."""
    from urllib.parse import parse_qs, urlsplit

    if "token=" not in text:
        return text
    found = parse_qs(urlsplit(text.strip()).query).get("token", [])
    return found[0] if len(found) == 1 else text


def _service(
    database: Any,
    *,
    app_url: str,
    mailer: Any,
    directory: Path,
    hours: int,
    writer_process: bool | None = None,
) -> Any:
    from otocore.clock import SystemClock
    from otocore.exporting import ExportService
    from otocore.exports import ExportPolicy

    return ExportService(
        database.unit_of_work,
        mailer=mailer,
        clock=SystemClock(),
        policy=ExportPolicy(base_url=app_url, link_ttl=timedelta(hours=hours)),
        directory=directory,
        writer_process=writer_process,
    )


@contextlib.contextmanager
def _progress(
    enabled: bool,
) -> Iterator[tuple[Callable[[int], None], Callable[[int | None], None]]]:
    """A transient progress bar on stderr (at a terminal), fed with rows written."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    bar = Progress(
        TextColumn("exporting"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task = bar.add_task("exporting", total=None)
    shown = enabled and bar.console.is_terminal

    def total(count: int | None) -> None:
        bar.update(task, total=count)

    def advance(done: int) -> None:
        bar.update(task, completed=done)

    if shown:
        bar.start()
    try:
        yield advance, total
    finally:
        if shown:
            bar.stop()


def _export(  # noqa: PLR0917 - typer maps options to parameters
    db: DbOption,
    actor: AsOption,
    out: Annotated[
        str,
        typer.Option(
            "--out",
            metavar="FILE.xlsx|FILE.csv",
            help="The file's name and format (.csv or .xlsx); it is written in --export-dir.",
        ),
    ],
    filter_text: Annotated[
        str | None,
        typer.Option(
            "--filter",
            metavar="FILE_OR_JSON",
            help="An audience filter (JSON, or a JSON file); all customers without it.",
        ),
    ] = None,
    on: Annotated[
        str | None,
        typer.Option("--on", metavar="YYYY-MM-DD", help="The filter's local day (default today)."),
    ] = None,
    query: QueryOption = None,
    field: FieldOption = None,
    export_dir: ExportDirOption = None,
    valid_hours: Annotated[
        int, typer.Option("--valid-hours", min=1, max=168, help="How long the link works.")
    ] = 24,
    smtp_host: SmtpHostOption = None,
    smtp_port: SmtpPortOption = 587,
    smtp_user: SmtpUserOption = None,
    smtp_starttls: StartTlsOption = True,
    mail_to_dir: MailToDirOption = None,
    mail_from: MailFromOption = None,
    app_url: AppUrlOption = None,
    one_process: Annotated[
        bool,
        typer.Option(
            "--one-process",
            help=(
                "Write a .xlsx file in this process only (by default a large one is written"
                " by a second process, on two CPUs or more)."
            ),
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Export customers (all, a search: --query, or a filter: --filter) to CSV or .xlsx.

    The download link is e-mailed to you, never printed.
    """
    from otocore.exporting import AllCustomers, FilterSelection, SearchSelection
    from otocore.exports import ExportFormat

    file_format = ExportFormat.from_file_name(out, field="--out")
    search = search_options(query, field)
    if search is not None and filter_text is not None:
        raise usage_error("give --query or --filter, not both (nothing was exported)")
    directory = _export_dir(export_dir)
    if on is not None and filter_text is None:
        raise usage_error("--on is the filter's day: give it with --filter")
    selection: Any = AllCustomers()
    if search is not None:
        selection = SearchSelection(search[0], field=search[1])
    if filter_text is not None:
        day = today() if on is None else parse_day("--on", on)
        selection = FilterSelection(filter=_filter(filter_text), on=day)
    mail = mail_settings(
        host=smtp_host,
        port=smtp_port,
        username=smtp_user,
        starttls=smtp_starttls,
        sender=mail_from,
        app_url=app_url,
        directory=mail_to_dir,
    )
    database = open_db(db)
    accounts = account_service(database, mail=mail)
    principal = acting_principal(database, accounts, actor)
    service = _service(
        database,
        app_url=mail.app_url,
        mailer=_mailer(mail),
        directory=directory,
        hours=valid_hours,
        writer_process=False if one_process else None,
    )
    with _progress(not as_json) as (advance, total):
        receipt = service.request(
            principal,
            selection,
            file_format=file_format,
            name=Path(out).name,
            on_progress=advance,
            on_total=total,
        )
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "export_id": receipt.export_id,
                    "count": receipt.count,
                    "file": str(receipt.path),
                    "sent_to": receipt.sent_to.address,
                    "expires_at": receipt.expires_at.isoformat(),
                },
                ensure_ascii=False,
            )
        )
        return
    console().print(
        f"exported {receipt.count} customers to {receipt.path}; the download link was"
        f" {mailed(mail, receipt.sent_to.address)}; it works for you only, until"
        f" {local_minute(receipt.expires_at)}",
        markup=False,
    )


def _download(  # noqa: PLR0917 - typer maps options to parameters
    token: Annotated[
        str,
        typer.Argument(
            metavar="LINK_OR_TOKEN",
            help="The e-mailed link (quoted), or its token (after token=; put -- before a token"
            " that starts with -).",
        ),
    ],
    db: DbOption,
    actor: AsOption,
    out: Annotated[Path, typer.Option("--out", metavar="PATH", help="Where to copy the file.")],
    export_dir: ExportDirOption = None,
    as_json: JsonOption = False,
) -> None:
    """Download an export whose link was e-mailed to you (--as): copies the file to --out."""
    from otocore.cli._account_service import _NoMail

    directory = _export_dir(export_dir)
    if out.exists():
        raise usage_error(f"--out {out} exists; give a new file's path (nothing was copied)")
    database = open_db(db)
    accounts = account_service(database)
    principal = acting_principal(database, accounts, actor)
    service = _service(
        database, app_url=NO_LINK_APP_URL, mailer=_NoMail(), directory=directory, hours=24
    )
    path = service.download(_token_of(token), principal)
    try:
        shutil.copyfile(path, out)
    except OSError as exc:
        from otocore.errors import OtocoreError

        raise OtocoreError(f"--out {out}: cannot write it ({exc.strerror})") from None
    if as_json:
        typer.echo(json.dumps({"file": str(out)}, ensure_ascii=False))
        return
    console().print(f"downloaded the export to {out}", markup=False)


def register() -> None:
    """Add ``export`` and ``download`` to ``otocore customers`` (once)."""
    names = {command.name for command in customers_app.registered_commands}
    if "export" not in names:
        customers_app.command("export")(_export)
        customers_app.command("download")(_download)
