"""``otocore lgpd export|anonymize|delete|revoke-consent`` and ``otocore customers remove``.

The LGPD's data-subject requests worked from the command line (issue 15), each
as the acting account (``--as``, a brand administrator) and each audited. The
database needs log keys (``OTOCORE_LOG_KEY_FILE`` or ``OTOCORE_LOG_KEY``): the
customer history and the data-access log are sealed with them. ``--request ID``
names the stored data-subject request the action fulfils: it is checked and
answered with the action, in one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from otocore.cli._account_service import account_service, acting_principal
from otocore.cli._common import AsOption, DbOption, JsonOption, console, open_db, usage_error
from otocore.cli._customers import customers_app
from otocore.cli._privacy_sac import request_json

_T = TypeVar("_T")

lgpd_app = typer.Typer(
    help="LGPD requests: export a customer's data (access, portability), anonymize, delete,"
    " revoke consent.",
    no_args_is_help=True,
)

IdArg = Annotated[str, typer.Argument(metavar="ID", help="The customer's id.")]
RequestOption = Annotated[
    str | None,
    typer.Option(
        "--request",
        metavar="REQUEST_ID",
        help="The stored data-subject request this fulfils (LGPD-...): answered with the action.",
    ),
]


def _now() -> Any:
    from otocore.clock import SystemClock

    return SystemClock().now()


def _principal(db: str, actor: str) -> tuple[Any, Any]:
    database = open_db(db)
    return database, acting_principal(database, account_service(database), actor)


def _checked(work: Callable[[], _T]) -> _T:
    """``work()``, a wrong ``request_id`` reported as the ``--request`` option's."""
    from otocore.errors import ValidationError

    try:
        return work()
    except ValidationError as error:
        if error.field != "request_id":
            raise
        raise ValidationError("--request", error.value, error.rule) from None


def _request(request: Any) -> dict[str, Any] | None:
    """The answered request as ``lgpd requests --json`` shows it, or None."""
    if request is None:
        return None
    from otocore.privacy import due_at

    return request_json(request, due_at(request))


def _answered(request: Any) -> str:
    from otocore.privacy import answered_late

    if request is None:
        return ""
    late = " (late)" if answered_late(request) else " (on time)"
    return f"request {request.request_id} answered: {request.outcome.value}{late}"


def _report(report: Any, as_json: bool) -> None:
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "customer_id": report.customer_id,
                    "outcome": report.outcome.value,
                    "message": report.message,
                    "changed": dict(report.changed),
                    "request": _request(report.request),
                },
                ensure_ascii=False,
            )
        )
        return
    console().print(report.message, markup=False)
    if report.request is not None:
        console().print(_answered(report.request), markup=False)


@lgpd_app.command("export")
def _export(  # noqa: PLR0917 - typer maps options to parameters
    customer_id: IdArg,
    db: DbOption,
    actor: AsOption,
    out: Annotated[
        Path | None,
        typer.Option("--out", metavar="FILE", help="Write the JSON here (default: print it)."),
    ] = None,
    request: RequestOption = None,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help="With --out: print the file and the answered request as JSON (without"
            " --out the data is printed as JSON anyway).",
        ),
    ] = False,
) -> None:
    """Everything otocore holds on the customer, as JSON (LGPD art. 18 II and V); logged.

    With --request, the confirmation, access or portability request is answered.
    """
    from otocore.privacy import export_subject_data

    if out is not None and out.exists():
        raise usage_error(f"--out {out} exists; give a new file's path (nothing was exported)")
    database, principal = _principal(db, actor)
    at = _now()
    document = _checked(
        lambda: export_subject_data(
            database.unit_of_work(), customer_id, principal=principal, at=at, request_id=request
        )
    )
    answered = None
    if request is not None:
        with database.unit_of_work() as uow:
            answered = uow.data_requests.get(request)
    text = json.dumps(document, ensure_ascii=False, indent=2)
    if out is None:
        typer.echo(text)
        if answered is not None:  # stdout stays the document: the answer goes to stderr
            console(stderr=True).print(_answered(answered), markup=False)
        return
    try:
        with out.open("x", encoding="utf-8") as handle:
            handle.write(text + "\n")
    except OSError as exc:
        from otocore.errors import OtocoreError

        raise OtocoreError(f"--out {out}: cannot write it ({exc.strerror})") from None
    if as_json:
        typer.echo(
            json.dumps(
                {"customer_id": customer_id, "out": str(out), "request": _request(answered)},
                ensure_ascii=False,
            )
        )
        return
    console().print(f"wrote the data of customer {customer_id} to {out}", markup=False)
    if answered is not None:
        console().print(_answered(answered), markup=False)


@lgpd_app.command("anonymize")
def _anonymize(
    customer_id: IdArg,
    db: DbOption,
    actor: AsOption,
    request: RequestOption = None,
    as_json: JsonOption = False,
) -> None:
    """Remove the customer's personal data; orders stay under an anonymous id (art. 16, 18 IV).

    With --request, the anonymization request (or a deletion request, partially) is answered.
    """
    from otocore.privacy import anonymize_customer

    database, principal = _principal(db, actor)
    at = _now()
    report = _checked(
        lambda: anonymize_customer(
            database.unit_of_work(), customer_id, principal=principal, at=at, request_id=request
        )
    )
    _report(report, as_json)


@lgpd_app.command("delete")
def _delete(
    customer_id: IdArg,
    db: DbOption,
    actor: AsOption,
    request: RequestOption = None,
    as_json: JsonOption = False,
) -> None:
    """Delete a customer without orders and all their data (art. 18 VI); with orders: refused.

    With --request, the deletion (or anonymization) request is answered; a refusal leaves it open.
    """
    from otocore.privacy import delete_customer

    database, principal = _principal(db, actor)
    at = _now()
    report = _checked(
        lambda: delete_customer(
            database.unit_of_work(), customer_id, principal=principal, at=at, request_id=request
        )
    )
    _report(report, as_json)


@lgpd_app.command("revoke-consent")
def _revoke(
    customer_id: IdArg,
    db: DbOption,
    actor: AsOption,
    request: RequestOption = None,
    as_json: JsonOption = False,
) -> None:
    """Opt the customer out of every channel (art. 18 IX); --request answers the revocation request."""
    from otocore.privacy import revoke_consent

    database, principal = _principal(db, actor)
    at = _now()
    done = _checked(
        lambda: revoke_consent(
            database.unit_of_work(), customer_id, principal=principal, at=at, request_id=request
        )
    )
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "customer_id": done.customer_id,
                    "at": done.at.isoformat(),
                    "channels": [c.value for c in done.channels],
                    "request": _request(done.request),
                },
                ensure_ascii=False,
            )
        )
        return
    channels = ", ".join(c.value for c in done.channels)
    console().print(f"customer {customer_id} opted out of every channel ({channels})", markup=False)
    if done.request is not None:
        console().print(_answered(done.request), markup=False)


def _remove(  # noqa: PLR0917 - typer maps options to parameters
    db: DbOption,
    actor: AsOption,
    query: Annotated[
        str | None,
        typer.Argument(metavar="QUERY", help="A registry search: every customer it finds."),
    ] = None,
    ids: Annotated[
        str | None,
        typer.Option("--ids", metavar="ID,ID,...", help="The selected customers' ids."),
    ] = None,
    confirm: Annotated[
        str | None,
        typer.Option(
            "--confirm",
            metavar="WORD",
            help="Type EXCLUIR to remove; without it, only the count is shown (a dry run).",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Remove customers from the database (a selection or a search): first a dry run, then --confirm EXCLUIR."""
    from otocore.privacy import CONFIRMATION_WORD, plan_removal, remove_customers
    from otocore.registry import find_customer_ids

    if (query is None) == (ids is None):
        raise usage_error("give either --ids or a QUERY (a registry search)")
    database, principal = _principal(db, actor)
    if ids is not None:
        chosen = [i.strip() for i in ids.split(",") if i.strip()]
        if not chosen:
            raise usage_error("--ids names no customer")
    else:
        chosen = find_customer_ids(database.unit_of_work(), query or "")
    plan = plan_removal(database.unit_of_work(), chosen)
    if confirm is None:
        if as_json:
            typer.echo(
                json.dumps(
                    {
                        "count": plan.count,
                        "to_delete": list(plan.to_delete),
                        "to_anonymize": list(plan.to_anonymize),
                        "unknown": list(plan.unknown),
                    }
                )
            )
            return
        console().print(
            f"{plan.count} customers would be removed: {len(plan.to_delete)} deleted,"
            f" {len(plan.to_anonymize)} anonymized (they have orders, which the law keeps)"
            + (f"; {len(plan.unknown)} unknown ids" if plan.unknown else "")
            + f". Nothing was removed: repeat with --confirm {CONFIRMATION_WORD} to remove them.",
            markup=False,
        )
        return
    reports = remove_customers(
        database.unit_of_work(), chosen, confirm=confirm, principal=principal, at=_now()
    )
    deleted = sum(r.outcome.value == "deleted" for r in reports)
    anonymized = sum(r.outcome.value == "anonymized" for r in reports)
    if as_json:
        typer.echo(
            json.dumps({"removed": len(reports), "deleted": deleted, "anonymized": anonymized})
        )
        return
    console().print(
        f"removed {len(reports)} customers: {deleted} deleted, {anonymized} anonymized",
        markup=False,
    )


def register() -> None:
    """Add ``remove`` to ``otocore customers`` (once)."""
    names = {command.name for command in customers_app.registered_commands}
    if "remove" not in names:
        customers_app.command("remove")(_remove)
