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

import contextlib
import enum
import json
import os
import smtplib
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import attrs
import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table

import otocore
from otocore.errors import ConfigurationError, NotFound, OtocoreError

if TYPE_CHECKING:
    from otocore.importing import ImportProgress

__all__ = ["app", "main", "run"]

_E = TypeVar("_E", bound=enum.Enum)

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
accounts_app = typer.Typer(
    help="Login accounts (usuários e permissões): create, unlock, reset PIN, list.",
    no_args_is_help=True,
)
seller_code_app = typer.Typer(
    help="Seller codes (código do vendedor): links and QR codes.", no_args_is_help=True
)
app.add_typer(db_app, name="db")
app.add_typer(sellers_app, name="sellers")
app.add_typer(accounts_app, name="accounts")
app.add_typer(seller_code_app, name="seller-code")
app.add_typer(customers_app, name="customers")
app.add_typer(campaigns_app, name="campaigns")

DEMO_AS_OF = date(2026, 11, 1)
"""The day the demo runs the daily job for: the day after the bundled brand's last order."""

BRAND_TIME_ZONE = "America/Sao_Paulo"
"""The zone in which the command line reads "today" when no date is given."""

DEMO_SELLER = "V005"
"""The seller whose suggestions, seller link and QR code the demo prints."""

DEMO_STORE_URL = "https://loja.example.com.br/?utm_source=oto&utm_medium=qrcode"
"""The online store address of the demo's seller link (the sample brand has none of its own)."""

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


def _database(db: str, *, create: bool = False) -> Any:
    """The open database; its ``unit_of_work`` is the factory the services take."""
    from otocore.adapters.sql import open_database

    return open_database(db, upgrade=create)


def _open(db: str, *, create: bool = False) -> Any:
    return _database(db, create=create).unit_of_work()


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
            with _progress_bar(not as_json) as progress:
                summaries += import_directory(
                    uow, path, skip_invalid=skip_invalid, report_dir=report, progress=progress
                )
        else:
            report_path = report / f"{path.name}.rejected.csv" if report and several else report
            with _progress_bar(not as_json) as progress:
                summaries.append(
                    import_file(
                        uow,
                        path,
                        skip_invalid=skip_invalid,
                        report_path=report_path,
                        progress=progress,
                    )
                )
    if as_json:
        from otocore.serialization import converter

        typer.echo(json.dumps(converter.unstructure(summaries), default=str))
    else:
        for summary in summaries:
            _console().print(format_summary(summary))


@contextlib.contextmanager
def _progress_bar(enabled: bool) -> Iterator[Callable[[ImportProgress], None] | None]:
    """A transient progress bar on stderr, drawn from an import's progress reports; or none."""
    if not enabled:
        yield None
        return
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
        key = (progress.file, progress.stage.value)  # one bar per pass over a file
        total = max(progress.bytes_total, 1)
        if key not in tasks:
            tasks[key] = bar.add_task(f"{progress.stage.value} {progress.file.name}", total=total)
        bar.update(tasks[key], completed=total if progress.done else progress.bytes_read)

    with bar:
        yield draw


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

AsOption = Annotated[
    str,
    typer.Option(
        "--as",
        metavar="EMAIL",
        help="The acting account's login e-mail: authorized, and recorded in the audit log.",
    ),
]


def _usage_error(message: str) -> typer.Exit:
    """Report a usage error on stderr; raise the result to exit with code 2."""
    typer.echo(f"Error: {message}", err=True)
    return typer.Exit(code=2)


def _choice(option: str, value: str | None, kind: type[_E]) -> _E | None:
    if value is None:
        return None
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(str(m.value) for m in kind)
        raise typer.BadParameter(f"{option} must be one of {allowed}, got {value!r}") from None


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

    wanted = _choice("--status", status, SellerStatus)
    uow = _open(db)
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
    _console().print(table)


@sellers_app.command("activate")
def _sellers_activate(code: str, db: DbOption, actor: AsOption) -> None:
    """Activate a seller (a store manager: own store; a brand admin: any); audited."""
    database = _database(db)
    service = _account_service(database)
    service.activate_seller(_principal(database, service, actor), code)
    _console().print(f"seller {code} activated by {_login(actor)}")


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
    day = _parse_day(as_of) if as_of is not None else _today()
    database = _database(db)
    service = _account_service(database)
    moved = service.deactivate_seller(_principal(database, service, actor), code, target, as_of=day)
    if as_json:
        typer.echo(json.dumps(moved, sort_keys=True))
        return
    received = Counter(moved.values())
    _console().print(f"seller {code} deactivated; {len(moved)} customers moved")
    for seller, n in sorted(received.items()):
        _console().print(f"  {seller}: {n}")


# accounts ---------------------------------------------------------------------

NO_LINK_APP_URL = "http://localhost"
"""The ``app_url`` of commands that send no e-mail (so build no link): never shown to anyone."""

SmtpHostOption = Annotated[
    str | None,
    typer.Option("--smtp-host", envvar="OTOCORE_SMTP_HOST", help="SMTP server that sends e-mail."),
]
SmtpPortOption = Annotated[
    int, typer.Option("--smtp-port", envvar="OTOCORE_SMTP_PORT", help="SMTP port.")
]
SmtpUserOption = Annotated[
    str | None,
    typer.Option(
        "--smtp-user",
        envvar="OTOCORE_SMTP_USER",
        help="SMTP login; its password is read only from OTOCORE_SMTP_PASSWORD.",
    ),
]
StartTlsOption = Annotated[
    bool,
    typer.Option(
        "--smtp-starttls/--smtp-no-starttls",
        envvar="OTOCORE_SMTP_STARTTLS",
        help="Encrypt the SMTP connection with STARTTLS (turn off only for a local relay).",
    ),
]
MailFromOption = Annotated[
    str | None,
    typer.Option("--mail-from", envvar="OTOCORE_MAIL_FROM", help="Sender of the e-mails."),
]
AppUrlOption = Annotated[
    str | None,
    typer.Option(
        "--app-url",
        envvar="OTOCORE_APP_URL",
        help="The brand app's address, for the links in e-mails (https://...).",
    ),
]
PinLengthOption = Annotated[
    int,
    typer.Option("--pin-length", envvar="OTOCORE_PIN_LENGTH", help="The brand's PIN length, 4-8."),
]
PinDeliveryOption = Annotated[
    str,
    typer.Option(
        "--pin-delivery",
        envvar="OTOCORE_PIN_DELIVERY",
        help="email_pin: e-mail the new PIN; email_link: e-mail a link to set it.",
    ),
]


@attrs.frozen(kw_only=True)
class _Mail:
    """SMTP settings of the commands that send e-mail (the password stays out of repr)."""

    host: str
    port: int
    username: str | None
    password: str | None = attrs.field(repr=False)
    starttls: bool
    sender: str
    app_url: str


def _mail_settings(
    *,
    host: str | None,
    port: int,
    username: str | None,
    starttls: bool,
    sender: str | None,
    app_url: str | None,
) -> _Mail:
    """The SMTP settings, or a usage error (exit 2) naming every missing one."""
    password = os.environ.get("OTOCORE_SMTP_PASSWORD") or None
    missing = [
        name
        for name, value in (
            ("--smtp-host (OTOCORE_SMTP_HOST)", host),
            ("--mail-from (OTOCORE_MAIL_FROM)", sender),
            ("--app-url (OTOCORE_APP_URL)", app_url),
        )
        if not value
    ]
    if username and password is None:
        missing.append("OTOCORE_SMTP_PASSWORD (for --smtp-user)")
    if password is not None and not username:
        missing.append("--smtp-user (OTOCORE_SMTP_USER), since OTOCORE_SMTP_PASSWORD is set")
    if missing or host is None or sender is None or app_url is None:
        raise _usage_error(
            "this command sends e-mail and needs " + ", ".join(missing) + "; nothing was changed"
        )
    return _Mail(
        host=host,
        port=port,
        username=username or None,
        password=password,
        starttls=starttls,
        sender=sender,
        app_url=app_url,
    )


def _pin_policy(length: int, delivery: str) -> Any:
    from otocore.auth import PinDelivery, PinPolicy

    chosen = _choice("--pin-delivery", delivery, PinDelivery)
    return PinPolicy(length=length, delivery=chosen or PinDelivery.EMAIL_PIN)


class _NoMail:
    """The mailer of commands that send no e-mail: sending is a bug, so it refuses loudly."""

    def send(self, message: Any) -> None:
        raise ConfigurationError("this command sends no e-mail, but an e-mail was about to be sent")


def _account_service(database: Any, *, mail: _Mail | None = None, pin: Any = None) -> Any:
    """The account service over ``database``: SMTP when ``mail`` is given, else no e-mail."""
    from otocore.accounts import AccountService, SecurityPolicy
    from otocore.clock import SystemClock

    policy_args: dict[str, Any] = {"app_url": NO_LINK_APP_URL if mail is None else mail.app_url}
    if pin is not None:
        policy_args["pin"] = pin
    policy = SecurityPolicy(**policy_args)
    mailer: Any = _NoMail()
    if mail is not None:
        from otocore.adapters.mail import SmtpMailer

        mailer = SmtpMailer(
            mail.host,
            mail.port,
            sender=mail.sender,
            username=mail.username,
            password=mail.password,
            starttls=mail.starttls,
        )
    return AccountService(database.unit_of_work, mailer=mailer, clock=SystemClock(), policy=policy)


def _login(email: str) -> str:
    from otocore.auth import normalize_login_email

    return normalize_login_email(email).address


def _find_account(database: Any, email: str) -> Any:
    """The account whose login e-mail is ``email``; NotFound if none."""
    from otocore.auth import normalize_login_email

    address = normalize_login_email(email)
    uow = database.unit_of_work()
    with uow:
        account = uow.accounts.find_by_email(address)
    if account is None:
        raise NotFound("Account", address.address)
    return account


def _principal(database: Any, service: Any, email: str) -> Any:
    """The principal of the acting account (``--as``).

    The service checks, and audits, that it may act at all (an inactive
    account is denied).
    """
    return service.principal_for(_find_account(database, email).account_id)


def _send_failed(exc: Exception, done: str, then: str) -> OtocoreError:
    """The error for a change that was committed but whose e-mail the SMTP server refused."""
    return OtocoreError(
        f"{done}, but the e-mail could not be sent ({type(exc).__name__}: {exc}); "
        f"check the SMTP settings, then {then}"
    )


def _account_row(account: Any) -> dict[str, Any]:
    """What ``accounts list`` shows of an account: never a hash, only whether one is set."""
    state = account.state
    return {
        "account_id": account.account_id,
        "email": account.email.address,
        "roles": sorted(r.value for r in account.roles),
        "store_id": account.store_id,
        "seller_code": account.seller_code,
        "active": state.active,
        "locked": state.locked,
        "must_change_password": state.must_change_password,
        "failures": state.failures,
        "password_set": account.password_hash is not None,
        "pin_set": account.pin_hash is not None,
    }


def _status(row: dict[str, Any]) -> str:
    if not row["active"]:
        return "inactive"
    if row["locked"]:
        return "locked"
    if row["must_change_password"] or not row["password_set"]:
        return "new password required"
    return "active"


@accounts_app.command("create")
def _accounts_create(  # noqa: PLR0917 - typer maps options to parameters
    email: Annotated[str, typer.Argument(help="The new account's login e-mail.")],
    db: DbOption,
    roles: Annotated[
        list[str] | None,
        typer.Option(
            "--role",
            help="seller, store_manager, brand_admin, call_center or order_approver (repeatable).",
        ),
    ] = None,
    seller: Annotated[
        str | None, typer.Option("--seller", help="The seller code of a seller account.")
    ] = None,
    store: Annotated[
        str | None, typer.Option("--store", help="The store (default: the seller's store).")
    ] = None,
    actor: Annotated[
        str | None,
        typer.Option("--as", metavar="EMAIL", help="The acting account's login e-mail."),
    ] = None,
    bootstrap: Annotated[
        bool,
        typer.Option(
            "--bootstrap",
            help="Create the brand's first admin (no account exists yet); asks for the "
            "password and PIN.",
        ),
    ] = False,
    smtp_host: SmtpHostOption = None,
    smtp_port: SmtpPortOption = 587,
    smtp_user: SmtpUserOption = None,
    smtp_starttls: StartTlsOption = True,
    mail_from: MailFromOption = None,
    app_url: AppUrlOption = None,
    pin_length: PinLengthOption = 6,
    pin_delivery: PinDeliveryOption = "email_pin",
    as_json: JsonOption = False,
) -> None:
    """Create a login account ("Novo usuário"); the welcome link and the PIN go by e-mail.

    With --bootstrap, create the brand's first admin instead: the password and
    PIN are asked here (hidden, twice) and nothing is e-mailed.
    """
    from otocore.auth import Role

    pin = _pin_policy(pin_length, pin_delivery)
    if bootstrap:
        if actor is not None or roles or seller is not None or store is not None:
            raise _usage_error(
                "--bootstrap creates the first brand admin; it takes no --as, --role, "
                "--seller or --store"
            )
        _bootstrap(db, email, pin=pin, as_json=as_json)
        return
    if actor is None:
        raise _usage_error("give --as EMAIL (the acting account), or --bootstrap")
    if not roles:
        raise _usage_error("give at least one --role")
    granted = [_choice("--role", role, Role) for role in roles]
    mail = _mail_settings(
        host=smtp_host,
        port=smtp_port,
        username=smtp_user,
        starttls=smtp_starttls,
        sender=mail_from,
        app_url=app_url,
    )
    database = _database(db)
    service = _account_service(database, mail=mail, pin=pin)
    principal = _principal(database, service, actor)
    try:
        account = service.create_account(
            principal,
            email=email,
            roles=[r for r in granted if r is not None],
            seller_code=seller,
            store_id=store,
        )
    except (OSError, smtplib.SMTPException) as exc:
        raise _send_failed(
            exc,
            f"the account for {_login(email)} was created",
            "send its PIN with `otocore accounts reset-pin` and have its owner set a password "
            'with "esqueceu senha"',
        ) from None
    row = _account_row(account)
    if as_json:
        typer.echo(json.dumps(row, ensure_ascii=False))
        return
    delivery = "a link to set the PIN" if pin.delivery.value == "email_link" else "the PIN"
    _console().print(
        f"account {account.account_id} created for {row['email']} ({', '.join(row['roles'])}); "
        f"e-mailed to {row['email']}: a link to set the password and {delivery}"
    )


def _bootstrap(db: str, email: str, *, pin: Any, as_json: bool) -> None:
    from otocore.errors import RuleViolation

    database = _database(db)
    uow = database.unit_of_work()
    with uow:
        existing = len(uow.accounts.list())
    if existing:  # checked again by the service; asked first so nobody types secrets for nothing
        raise RuleViolation(
            f"the brand already has {existing} accounts; --bootstrap only creates the first one"
        )
    service = _account_service(database, pin=pin)
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    new_pin: str = typer.prompt(
        f"PIN ({pin.length} digits)", hide_input=True, confirmation_prompt=True
    )
    account = service.create_first_admin(email=email, password=password, pin=new_pin)
    row = _account_row(account)
    if as_json:
        typer.echo(json.dumps(row, ensure_ascii=False))
        return
    _console().print(f"brand admin {account.account_id} created for {row['email']}")


@accounts_app.command("unlock")
def _accounts_unlock(
    email: Annotated[str, typer.Argument(help="The locked account's login e-mail.")],
    db: DbOption,
    actor: AsOption,
) -> None:
    """Unlock an account ("desbloquear"); its owner must then set a new password."""
    database = _database(db)
    service = _account_service(database)
    account = _find_account(database, email)
    service.unlock(_principal(database, service, actor), account.account_id)
    _console().print(
        f"account {account.email.address} unlocked; the old password no longer works: "
        'its owner sets a new one with "esqueceu senha"'
    )


@accounts_app.command("reset-pin")
def _accounts_reset_pin(  # noqa: PLR0917 - typer maps options to parameters
    email: Annotated[str, typer.Argument(help="The account whose PIN is reset.")],
    db: DbOption,
    actor: AsOption,
    smtp_host: SmtpHostOption = None,
    smtp_port: SmtpPortOption = 587,
    smtp_user: SmtpUserOption = None,
    smtp_starttls: StartTlsOption = True,
    mail_from: MailFromOption = None,
    app_url: AppUrlOption = None,
    pin_length: PinLengthOption = 6,
    pin_delivery: PinDeliveryOption = "email_pin",
) -> None:
    """Reset an account's PIN: the new PIN (or a link to set it) goes to its own e-mail only."""
    pin = _pin_policy(pin_length, pin_delivery)
    mail = _mail_settings(
        host=smtp_host,
        port=smtp_port,
        username=smtp_user,
        starttls=smtp_starttls,
        sender=mail_from,
        app_url=app_url,
    )
    database = _database(db)
    service = _account_service(database, mail=mail, pin=pin)
    account = _find_account(database, email)
    principal = _principal(database, service, actor)
    try:
        service.reset_pin(principal, account.account_id)
    except (OSError, smtplib.SMTPException) as exc:
        raise _send_failed(
            exc,
            f"the PIN of {account.email.address} was reset",
            "run the command again (a new PIN replaces the one that was not delivered)",
        ) from None
    what = "a link to set a new PIN" if pin.delivery.value == "email_link" else "a new PIN"
    _console().print(
        f"PIN of {account.email.address} reset; {what} was e-mailed to {account.email.address} "
        "(the old PIN no longer works)"
    )


@accounts_app.command("list")
def _accounts_list(
    db: DbOption,
    store: Annotated[
        str | None, typer.Option("--store", help="Only this store's accounts.")
    ] = None,
    role: Annotated[
        str | None, typer.Option("--role", help="Only accounts with this role.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List the login accounts with their roles and status (never a password or PIN hash)."""
    from otocore.auth import Role

    wanted = _choice("--role", role, Role)
    uow = _open(db)
    with uow:
        rows = [_account_row(a) for a in uow.accounts.list(store_id=store, role=wanted)]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    table = Table(title="Accounts")
    for col in ("account", "e-mail", "roles", "store", "seller", "status", "failures"):
        table.add_column(col)
    for row in rows:
        table.add_row(
            row["account_id"],
            row["email"],
            ", ".join(row["roles"]),
            row["store_id"] or "-",
            row["seller_code"] or "-",
            _status(row),
            str(row["failures"]),
        )
    _console().print(table)


# seller codes -----------------------------------------------------------------


def _active_seller(db: str, code: str) -> Any:
    """The active seller whose code is ``code`` (as written, else in canonical form)."""
    from otocore.errors import RuleViolation, ValidationError
    from otocore.seller_codes import normalize_code

    uow = _open(db)
    with uow:
        try:
            seller = uow.sellers.get(code)
        except NotFound:
            try:
                canonical = normalize_code(code)
            except ValidationError:
                raise NotFound("Seller", code) from None
            seller = uow.sellers.get(canonical)
    if not seller.is_active:
        raise RuleViolation(
            f"seller {seller.code} is inactive: online orders with this code would not be "
            "credited to anyone, so no QR code is made for it"
        )
    return seller


def _code_as_given(code: str) -> str:
    """A code in canonical form when it is one of the brand's issued kind, else as written."""
    from otocore.errors import ValidationError
    from otocore.seller_codes import normalize_code

    try:
        return normalize_code(code)
    except ValidationError:
        return code  # a code carried over from an older system (say V01)


@seller_code_app.command("qr")
def _seller_code_qr(  # noqa: PLR0917 - typer maps options to parameters
    code: Annotated[str, typer.Argument(help="The seller's code.")],
    store_url: Annotated[
        str, typer.Option("--store-url", help="The brand's online store address (https://...).")
    ],
    out: Annotated[
        Path, typer.Option("--out", help="The image to write: FILE.png, or FILE.svg for SVG.")
    ],
    parameter: Annotated[
        str, typer.Option("--parameter", help="The query parameter that carries the code.")
    ] = "vendedor",
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="OTOCORE_DB",
            help="Check first that the code names an active seller of this database's brand.",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Write the QR code of a seller's link to the online store (PNG or SVG)."""
    from otocore.seller_codes import seller_link, seller_qr_png, seller_qr_svg

    kind = out.suffix.lower()
    if kind not in {".png", ".svg"}:
        raise typer.BadParameter(f"--out must end in .png or .svg, got {str(out)!r}")
    canonical = _active_seller(db, code).code if db is not None else _code_as_given(code)
    link = seller_link(canonical, store_url, parameter=parameter)
    image = seller_qr_svg(link).encode("utf-8") if kind == ".svg" else seller_qr_png(link)
    try:
        out.write_bytes(image)
    except OSError as exc:
        raise typer.BadParameter(f"cannot write {out}: {exc.strerror}") from None
    if as_json:
        typer.echo(json.dumps({"code": canonical, "link": link, "out": str(out)}))
        return
    _console().print(f"seller {canonical}: {link}")
    _console().print(f"QR code written to {out}")


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
        # the database goes with its temporary folder; the small QR image is kept
        qr_path = Path(tempfile.gettempdir()) / f"otocore-demo-seller-{DEMO_SELLER}-qr.png"
        with tempfile.TemporaryDirectory(prefix="otocore-demo-") as tmp:
            _demo(Path(tmp) / "demo.sqlite", as_json=as_json, qr_path=qr_path)
    else:
        _demo(db, as_json=as_json, qr_path=db.with_name(f"{db.stem}-seller-{DEMO_SELLER}-qr.png"))


def _demo(path: Path, *, as_json: bool, qr_path: Path) -> None:
    from otocore.daily import run_daily
    from otocore.importing import import_directory
    from otocore.rfv import default_grid
    from otocore.seller_codes import seller_link, seller_qr_png

    console = _console()
    uow = _open(str(path), create=True)
    with _progress_bar(not as_json) as progress:
        summaries = import_directory(uow, _bundled_directory(), progress=progress)
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
    seller = sellers[DEMO_SELLER]
    console.print(f"\nseller code of {seller.name} (store {seller.store_id}): {seller.code}")
    console.print(f"seller link: {link}")
    console.print(f"QR code of the link: {qr_path}")


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
