"""The account service the ``accounts`` and ``sellers`` commands call, with its SMTP settings."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import attrs
import typer

from otocore.cli._common import choice, usage_error
from otocore.errors import ConfigurationError, NotFound, OtocoreError

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
MailToDirOption = Annotated[
    Path | None,
    typer.Option(
        "--mail-to-dir",
        envvar="OTOCORE_MAIL_TO_DIR",
        metavar="DIR",
        help="Write each e-mail as an .eml file in DIR instead of sending it (no SMTP server "
        "needed): for trying otocore; the files hold PINs and links in clear.",
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
class Mail:
    """Where the commands that send e-mail send it: an SMTP server, or a folder of files.

    The SMTP password stays out of repr.
    """

    host: str | None
    port: int
    username: str | None
    password: str | None = attrs.field(repr=False)
    starttls: bool
    sender: str
    app_url: str
    directory: Path | None = None


def mail_settings(
    *,
    host: str | None,
    port: int,
    username: str | None,
    starttls: bool,
    sender: str | None,
    app_url: str | None,
    directory: Path | None = None,
) -> Mail:
    """The mail settings, or a usage error (exit 2) naming every missing one.

    With ``directory`` (``--mail-to-dir``) the e-mails become files there and
    no SMTP setting is needed; the sender and the app's address still are.
    """
    password = os.environ.get("OTOCORE_SMTP_PASSWORD") or None
    needed = [
        ("--mail-from (OTOCORE_MAIL_FROM)", sender),
        ("--app-url (OTOCORE_APP_URL)", app_url),
    ]
    if directory is None:
        needed.insert(0, ("--smtp-host (OTOCORE_SMTP_HOST), or --mail-to-dir", host))
    missing = [name for name, value in needed if not value]
    if directory is None and username and password is None:
        missing.append("OTOCORE_SMTP_PASSWORD (for --smtp-user)")
    if directory is None and password is not None and not username:
        missing.append("--smtp-user (OTOCORE_SMTP_USER), since OTOCORE_SMTP_PASSWORD is set")
    if missing or sender is None or app_url is None:
        raise usage_error(
            "this command sends e-mail and needs " + ", ".join(missing) + "; nothing was changed"
        )
    return Mail(
        host=host,
        port=port,
        username=username or None,
        password=password,
        starttls=starttls,
        sender=sender,
        app_url=app_url,
        directory=directory,
    )


def mailed(mail: Mail, address: str) -> str:
    """Where the commands say an e-mail went: the address, and the folder of its file."""
    if mail.directory is None:
        return f"e-mailed to {address}"
    return f"e-mailed to {address} (written as a file in {mail.directory})"


def ask_secret(label: str) -> str:
    """A secret asked twice on stderr, until both entries match.

    At a terminal the input is hidden. With piped input (``printf ... |``) the
    lines are read from standard input, and each prompt ends its line, so what
    is printed next starts on a line of its own.
    """
    if sys.stdin.isatty():  # pragma: no cover - the tests have no terminal
        secret: str = typer.prompt(label, hide_input=True, confirmation_prompt=True, err=True)
        return secret
    while True:
        first = _piped_line(label)
        if first == _piped_line("Repeat for confirmation"):
            return first
        typer.echo("Error: The two entered values do not match.", err=True)


def _piped_line(label: str) -> str:
    typer.echo(f"{label}:", err=True)
    line = sys.stdin.readline()
    if not line:
        raise usage_error(
            f"standard input ended before the answer to {label!r}; nothing was created"
        )
    return line.removesuffix("\n").removesuffix("\r")


def pin_policy(length: int, delivery: str) -> Any:
    from otocore.auth import PinDelivery, PinPolicy

    chosen = choice("--pin-delivery", delivery, PinDelivery)
    return PinPolicy(length=length, delivery=chosen or PinDelivery.EMAIL_PIN)


class _NoMail:
    """The mailer of commands that send no e-mail: sending is a bug, so it refuses loudly."""

    def send(self, message: Any) -> None:
        raise ConfigurationError("this command sends no e-mail, but an e-mail was about to be sent")


def account_service(
    database: Any, *, mail: Mail | None = None, pin: Any = None, app_url: str | None = None
) -> Any:
    """The account service over ``database``: SMTP when ``mail`` is given, else no e-mail.

    ``app_url`` is the brand app's address for links that are printed rather
    than e-mailed (a shared cart's); ``mail``'s wins when both are given.
    """
    from otocore.accounts import AccountService, SecurityPolicy
    from otocore.clock import SystemClock

    url = mail.app_url if mail is not None else (app_url or NO_LINK_APP_URL)
    policy_args: dict[str, Any] = {"app_url": url}
    if pin is not None:
        policy_args["pin"] = pin
    policy = SecurityPolicy(**policy_args)
    mailer: Any = _NoMail()
    if mail is not None and mail.directory is not None:
        from otocore.adapters.mail import DirectoryMailer

        mailer = DirectoryMailer(mail.directory, sender=mail.sender)
    elif mail is not None and mail.host is not None:
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


def login(email: str) -> str:
    from otocore.auth import normalize_login_email

    return normalize_login_email(email).address


def find_account(database: Any, email: str) -> Any:
    """The account whose login e-mail is ``email``; NotFound if none."""
    from otocore.auth import normalize_login_email

    address = normalize_login_email(email)
    uow = database.unit_of_work()
    with uow:
        account = uow.accounts.find_by_email(address)
    if account is None:
        raise NotFound("Account", address.address)
    return account


def acting_principal(database: Any, service: Any, email: str) -> Any:
    """The principal of the acting account (``--as``).

    The service checks, and audits, that it may act at all (an inactive
    account is denied).
    """
    return service.principal_for(find_account(database, email).account_id)


def send_failed(exc: Exception, done: str, then: str) -> OtocoreError:
    """The error for a change that was committed but whose e-mail the SMTP server refused."""
    return OtocoreError(
        f"{done}, but the e-mail could not be sent ({type(exc).__name__}: {exc}); "
        f"check the SMTP settings, then {then}"
    )
