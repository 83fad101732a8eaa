"""``otocore customers edit|history`` and ``otocore lgpd requests|request``: the SAC desk.

The SAC edit of a customer's registry field with its reason, the customer's history
(each read written to the data-access log), and the LGPD's data-subject requests
(opened, answered once, listed while open or overdue). Every command acts ``--as`` an
account and goes through the audited :class:`otocore.privacy.PrivacyService`; the
history and the data-access log are sealed with the keys of ``OTOCORE_LOG_KEY_FILE`` or
``OTOCORE_LOG_KEY``.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table

from otocore.cli._account_service import account_service, acting_principal, login
from otocore.cli._common import AsOption, DbOption, JsonOption, choice, console, open_db
from otocore.cli._consent import required_choice

request_app = typer.Typer(
    help="One data-subject request (LGPD art. 18): open or answer it.", no_args_is_help=True
)


def _service(db: str, actor: str) -> tuple[Any, Any]:
    """The privacy service over the database, and the acting principal."""
    from otocore.clock import SystemClock
    from otocore.privacy import PrivacyService

    database = open_db(db)
    principal = acting_principal(database, account_service(database), actor)
    return PrivacyService(database.unit_of_work, clock=SystemClock()), principal


def _shown(value: str | None) -> str:
    return "(none)" if value is None else repr(value)


# customers edit / history ----------------------------------------------------------


def _customers_edit(  # noqa: PLR0917 - typer maps options to parameters
    customer_id: Annotated[str, typer.Argument(help="The customer's id.")],
    db: DbOption,
    actor: AsOption,
    field: Annotated[
        str,
        typer.Option(
            "--field",
            help="The registry field: name, cpf, rg, birth_date, email, mobile, sex, "
            "marital_status, home_store_id, loyalty_program, loyalty_category, "
            "loyalty_card_number.",
        ),
    ],
    value: Annotated[
        str,
        typer.Option(
            "--value", help="The new value, written as in a customers file ('' clears it)."
        ),
    ],
    reason: Annotated[
        str,
        typer.Option(
            "--reason",
            help="Why: sac_call, customer_request, import, lgpd_correction or anonymization.",
        ),
    ],
    request: Annotated[
        str | None,
        typer.Option(
            "--request",
            metavar="REQUEST_ID",
            help="The stored correction request this edit fulfils (LGPD-...): answered with it.",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Change one registry field of a customer (the SAC edit), written to the customer's history."""
    from otocore.errors import ValidationError
    from otocore.history import HistoryReason
    from otocore.privacy import answered_late, due_at

    why = required_choice("--reason", reason, HistoryReason)
    service, principal = _service(db, actor)
    try:
        edit = service.edit_customer(
            principal, customer_id, field, value or None, reason=why, request_id=request
        )
    except ValidationError as error:
        if error.field != "request_id":
            raise
        raise ValidationError("--request", error.value, error.rule) from None
    answered = edit.request
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "customer_id": customer_id,
                    "changed": [
                        {
                            "field": e.field,
                            "old_value": e.old_value,
                            "new_value": e.new_value,
                            "sequence": e.sequence,
                        }
                        for e in edit.entries
                    ],
                    "request": None
                    if answered is None
                    else request_json(answered, due_at(answered, policy=service.privacy_policy)),
                },
                ensure_ascii=False,
            )
        )
        return
    if answered is not None and answered.outcome is not None:
        late = answered_late(answered, policy=service.privacy_policy)
        console().print(
            f"request {answered.request_id} answered: {answered.outcome.value}"
            f"{' (late)' if late else ' (on time)'}",
            markup=False,
        )
    if not edit.changed:
        console().print(f"customer {customer_id}: {field} unchanged (already that value)")
        return
    for entry in edit.entries:
        console().print(
            f"customer {customer_id}: {entry.field} {_shown(entry.old_value)} -> "
            f"{_shown(entry.new_value)} (reason {why.value}, by {login(actor)}, "
            f"history entry {entry.sequence})"
        )


def _customers_history(
    customer_id: Annotated[str, typer.Argument(help="The customer's id.")],
    db: DbOption,
    actor: AsOption,
    as_json: JsonOption = False,
) -> None:
    """A customer's history, oldest first; the read is written to the data-access log."""
    service, principal = _service(db, actor)
    entries = service.customer_history(principal, customer_id)
    if as_json:
        typer.echo(
            json.dumps(
                [
                    {
                        "sequence": e.sequence,
                        "at": e.at.isoformat(),
                        "field": e.field,
                        "old_value": e.old_value,
                        "new_value": e.new_value,
                        "actor": e.actor,
                        "reason": e.reason.value,
                        "redacted": e.redacted,
                    }
                    for e in entries
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    if not entries:
        console().print(f"customer {customer_id}: no history")
        return
    table = Table(title=f"History of customer {customer_id}")
    for column in ("#", "at (UTC)", "field", "old", "new", "who", "why"):
        table.add_column(column)
    for e in entries:
        old, new = (
            ("(redacted)", "(redacted)")
            if e.redacted
            else (_shown(e.old_value), _shown(e.new_value))
        )
        table.add_row(
            str(e.sequence),
            e.at.isoformat(timespec="seconds"),
            e.field,
            old,
            new,
            e.actor,
            e.reason.value,
        )
    console().print(table)


# lgpd requests / request open|answer ----------------------------------------------


def request_json(request: Any, due: Any) -> dict[str, Any]:
    """A data-subject request as the ``--json`` of ``lgpd requests`` and the actions shows it."""
    return {
        "request_id": request.request_id,
        "customer_id": request.customer_id,
        "kind": request.kind.value,
        "article": request.kind.article,
        "form": request.form.value,
        "received_at": request.received_at.isoformat(),
        "due_at": due.isoformat(),
        "detail": request.detail,
        "answered_at": None if request.answered_at is None else request.answered_at.isoformat(),
        "outcome": None if request.outcome is None else request.outcome.value,
        "answer": request.answer,
    }


def _lgpd_requests(
    db: DbOption,
    actor: AsOption,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only the open requests past their deadline.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """The open data-subject requests with their deadlines (LGPD art. 19), oldest first."""
    from otocore.privacy import due_at

    service, principal = _service(db, actor)
    found = service.overdue_requests(principal) if overdue else service.open_requests(principal)
    policy = service.privacy_policy
    if as_json:
        typer.echo(
            json.dumps(
                [request_json(r, due_at(r, policy=policy)) for r in found],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    which = "overdue" if overdue else "open"
    if not found:
        console().print(f"no {which} requests")
        return
    table = Table(title=f"{which.capitalize()} data-subject requests")
    for column in ("request", "customer", "kind", "form", "received (UTC)", "due (UTC)"):
        table.add_column(column)
    for r in found:
        table.add_row(
            r.request_id,
            r.customer_id,
            f"{r.kind.value} ({r.kind.article})",
            r.form.value,
            r.received_at.isoformat(timespec="seconds"),
            due_at(r, policy=policy).isoformat(timespec="seconds"),
        )
    console().print(table)


@request_app.command("open")
def _request_open(  # noqa: PLR0917 - typer maps options to parameters
    customer_id: Annotated[str, typer.Argument(help="The customer who asked.")],
    db: DbOption,
    actor: AsOption,
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            help="confirmation, access, correction, anonymization, portability, deletion, "
            "sharing_information, consent_information or consent_revocation.",
        ),
    ],
    form: Annotated[
        str | None,
        typer.Option(
            "--form", help="complete (default) or simplified (confirmation and access only)."
        ),
    ] = None,
    detail: Annotated[str | None, typer.Option("--detail", help="What the customer said.")] = None,
) -> None:
    """Record a customer's data-subject request, received now; prints its id and deadline."""
    from otocore.privacy import AnswerForm, RequestKind, due_at

    what = required_choice("--kind", kind, RequestKind)
    how = choice("--form", form, AnswerForm) or AnswerForm.COMPLETE
    service, principal = _service(db, actor)
    request = service.open_request(principal, customer_id, what, form=how, detail=detail)
    due = due_at(request, policy=service.privacy_policy)
    console().print(
        f"request {request.request_id} opened for customer {customer_id}: {what.value} "
        f"({what.article}), {how.value} answer due before {due.isoformat()}"
    )


@request_app.command("answer")
def _request_answer(
    request_id: Annotated[str, typer.Argument(help="The request's id (LGPD-...).")],
    db: DbOption,
    actor: AsOption,
    outcome: Annotated[
        str,
        typer.Option("--outcome", help="fulfilled, partially_fulfilled or refused."),
    ],
    answer: Annotated[
        str | None,
        typer.Option("--answer", help="What was answered (a refusal must say why)."),
    ] = None,
) -> None:
    """Answer an open data-subject request, once; says whether it was late."""
    from otocore.privacy import RequestOutcome, answered_late

    result = required_choice("--outcome", outcome, RequestOutcome)
    service, principal = _service(db, actor)
    done = service.answer_request(principal, request_id, outcome=result, answer=answer)
    late = answered_late(done, policy=service.privacy_policy)
    console().print(
        f"request {done.request_id} answered: {result.value}{' (late)' if late else ' (on time)'}"
    )


def register(customers_app: typer.Typer, lgpd_app: typer.Typer) -> None:
    """Add ``customers edit|history`` and ``lgpd requests`` / ``lgpd request ...``."""
    customers_app.command("edit")(_customers_edit)
    customers_app.command("history")(_customers_history)
    lgpd_app.command("requests")(_lgpd_requests)
    lgpd_app.add_typer(request_app, name="request")
