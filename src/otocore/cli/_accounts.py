"""``otocore accounts``: create, unlock, reset a PIN, list."""

from __future__ import annotations

import json
import smtplib
from typing import Annotated, Any

import typer
from rich.table import Table

from otocore.cli._account_service import (
    AppUrlOption,
    MailFromOption,
    MailToDirOption,
    PinDeliveryOption,
    PinLengthOption,
    SmtpHostOption,
    SmtpPortOption,
    SmtpUserOption,
    StartTlsOption,
    account_service,
    acting_principal,
    ask_secret,
    find_account,
    login,
    mail_settings,
    mailed,
    pin_policy,
    send_failed,
)
from otocore.cli._common import (
    AsOption,
    DbOption,
    JsonOption,
    choice,
    console,
    open_db,
    open_uow,
    usage_error,
)

accounts_app = typer.Typer(
    help="Login accounts (usuários e permissões): create, unlock, reset PIN, list.",
    no_args_is_help=True,
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
    mail_to_dir: MailToDirOption = None,
    pin_length: PinLengthOption = 6,
    pin_delivery: PinDeliveryOption = "email_pin",
    as_json: JsonOption = False,
) -> None:
    """Create a login account ("Novo usuário"); the welcome link and the PIN go by e-mail.

    With --bootstrap, create the brand's first admin instead: the password and
    PIN are asked here (hidden, twice) and nothing is e-mailed. Piped input
    answers the prompts line by line: password, password again, PIN, PIN again.
    """
    from otocore.auth import Role

    pin = pin_policy(pin_length, pin_delivery)
    if bootstrap:
        if actor is not None or roles or seller is not None or store is not None:
            raise usage_error(
                "--bootstrap creates the first brand admin; it takes no --as, --role, "
                "--seller or --store"
            )
        _bootstrap(db, email, pin=pin, as_json=as_json)
        return
    if actor is None:
        raise usage_error("give --as EMAIL (the acting account), or --bootstrap")
    if not roles:
        raise usage_error("give at least one --role")
    granted = [choice("--role", role, Role) for role in roles]
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
    service = account_service(database, mail=mail, pin=pin)
    principal = acting_principal(database, service, actor)
    try:
        account = service.create_account(
            principal,
            email=email,
            roles=[r for r in granted if r is not None],
            seller_code=seller,
            store_id=store,
        )
    except (OSError, smtplib.SMTPException) as exc:
        raise send_failed(
            exc,
            f"the account for {login(email)} was created",
            "send its PIN with `otocore accounts reset-pin` and have its owner set a password "
            'with "esqueceu senha"',
        ) from None
    row = _account_row(account)
    if as_json:
        typer.echo(json.dumps(row, ensure_ascii=False))
        return
    delivery = "a link to set the PIN" if pin.delivery.value == "email_link" else "the PIN"
    console().print(
        f"account {account.account_id} created for {row['email']} ({', '.join(row['roles'])}); "
        f"{mailed(mail, row['email'])}: a link to set the password and {delivery}"
    )


def _bootstrap(db: str, email: str, *, pin: Any, as_json: bool) -> None:
    from otocore.errors import RuleViolation

    login(email)  # a bad e-mail is refused before anyone types a secret
    database = open_db(db)
    uow = database.unit_of_work()
    with uow:
        existing = len(uow.accounts.list())
    if existing:  # checked again by the service; asked first so nobody types secrets for nothing
        raise RuleViolation(
            f"the brand already has {existing} accounts; --bootstrap only creates the first one"
        )
    service = account_service(database, pin=pin)
    password = ask_secret("Password")
    new_pin = ask_secret(f"PIN ({pin.length} digits)")
    account = service.create_first_admin(email=email, password=password, pin=new_pin)
    row = _account_row(account)
    if as_json:
        typer.echo(json.dumps(row, ensure_ascii=False))
        return
    console().print(f"brand admin {account.account_id} created for {row['email']}")


@accounts_app.command("unlock")
def _accounts_unlock(
    email: Annotated[str, typer.Argument(help="The locked account's login e-mail.")],
    db: DbOption,
    actor: AsOption,
) -> None:
    """Unlock an account ("desbloquear"); its owner must then set a new password."""
    database = open_db(db)
    service = account_service(database)
    account = find_account(database, email)
    service.unlock(acting_principal(database, service, actor), account.account_id)
    console().print(
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
    mail_to_dir: MailToDirOption = None,
    pin_length: PinLengthOption = 6,
    pin_delivery: PinDeliveryOption = "email_pin",
) -> None:
    """Reset an account's PIN: the new PIN (or a link to set it) goes to its own e-mail only."""
    pin = pin_policy(pin_length, pin_delivery)
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
    service = account_service(database, mail=mail, pin=pin)
    account = find_account(database, email)
    principal = acting_principal(database, service, actor)
    try:
        service.reset_pin(principal, account.account_id)
    except (OSError, smtplib.SMTPException) as exc:
        raise send_failed(
            exc,
            f"the PIN of {account.email.address} was reset",
            "run the command again (a new PIN replaces the one that was not delivered)",
        ) from None
    what = "a link to set a new PIN" if pin.delivery.value == "email_link" else "a new PIN"
    console().print(
        f"PIN of {account.email.address} reset (the old PIN no longer works); {what} was "
        f"{mailed(mail, account.email.address)}"
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

    wanted = choice("--role", role, Role)
    uow = open_uow(db)
    with uow:
        rows = [_account_row(a) for a in uow.accounts.list(store_id=store, role=wanted)]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    # the e-mail names the account in every command (the id is in --json); a narrow
    # terminal folds an e-mail onto two lines rather than cutting it
    table = Table(title="Accounts")
    table.add_column("e-mail", overflow="fold", no_wrap=True)
    for col in ("roles", "store", "seller", "status", "fails"):
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(
            row["email"],
            ", ".join(row["roles"]),
            row["store_id"] or "-",
            row["seller_code"] or "-",
            _status(row),
            str(row["failures"]),
        )
    console().print(table)
