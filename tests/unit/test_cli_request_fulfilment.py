"""``--request ID`` on ``otocore lgpd export|anonymize|delete|revoke-consent`` and ``customers edit``
(issue 15, round 3): the action answers the stored request; a wrong, closed or foreign request is
one line, exit 1, and nothing is written; ``--json`` shows the answered request."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from _support.cli import keyed_brand
from _support.cli import run as _run
from otocore.adapters.sql import open_database
from otocore.auth import Account, Role, normalize_login_email
from otocore.customers import Cpf, Customer
from otocore.orders import Order

ADMIN = "admin@example.com"
SAC = "sac@example.com"
AT = datetime(2026, 1, 5, tzinfo=UTC)


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    path, database = keyed_brand(tmp_path, monkeypatch)
    with database.unit_of_work() as uow:
        uow.customers.add(
            Customer(customer_id="C1", name="Ana Souza", registered_at=AT, cpf=Cpf("52998224725"))
        )
        uow.customers.add(Customer(customer_id="C2", name="Bia Lima", registered_at=AT))
        uow.orders.add(
            Order(
                order_id="P1",
                customer_id="C1",
                store_id="L01",
                placed_at=AT,
                total=Decimal("50.00"),
                seller_code=None,
            )
        )
        for account_id, login, roles in (
            ("u-admin", ADMIN, {Role.BRAND_ADMIN}),
            ("u-sac", SAC, {Role.CALL_CENTER}),
        ):
            uow.accounts.add(
                Account(account_id=account_id, email=normalize_login_email(login), roles=roles)
            )
    database.close()
    return str(path)


def _open(capsys: pytest.CaptureFixture[str], db: str, customer_id: str, kind: str) -> str:
    code, out, err = _run(
        capsys, "lgpd", "request", "open", customer_id, "--kind", kind, "--as", SAC, "--db", db
    )
    assert code == 0, err
    found = re.search(r"request (LGPD-\d{6}) opened", out)
    assert found is not None, out
    return found.group(1)


def _requests(capsys: pytest.CaptureFixture[str], db: str, *flags: str) -> list[dict[str, Any]]:
    code, out, err = _run(capsys, "lgpd", "requests", *flags, "--as", ADMIN, "--db", db, "--json")
    assert code == 0, err
    found: list[dict[str, Any]] = json.loads(out)
    return found


def _state(db: str) -> tuple[Any, ...]:
    database = open_database(db)
    try:
        with database.unit_of_work() as uow:
            return (
                uow.customers.count(),
                [o.customer_id for o in uow.orders.for_customer("C1")],
                len(list(uow.consent.iter_all())),
                uow.customer_history.count(),
                uow.audit.tail(),
                len(list(uow.access_log.iter_all())),
                uow.data_requests.for_customer("C1") + uow.data_requests.for_customer("C2"),
            )
    finally:
        database.close()


def test_anonymize_with_its_request_answers_it_in_json(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    rid = _open(capsys, db, "C1", "anonymization")
    assert [r["request_id"] for r in _requests(capsys, db)] == [rid]
    code, out, err = _run(
        capsys, "lgpd", "anonymize", "C1", "--request", rid, "--db", db, "--as", ADMIN, "--json"
    )
    assert code == 0, err
    shown = json.loads(out)
    assert shown["outcome"] == "anonymized"
    assert shown["request"]["request_id"] == rid
    assert shown["request"]["outcome"] == "fulfilled"
    assert shown["request"]["kind"] == "anonymization"
    assert shown["request"]["answered_at"] is not None
    assert "anon-" not in out  # the anonymous id is never printed
    assert _requests(capsys, db) == []


def test_a_refused_deletion_leaves_the_request_open_then_anonymize_answers(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    rid = _open(capsys, db, "C1", "deletion")
    before = _state(db)
    code, out, err = _run(
        capsys, "lgpd", "delete", "C1", "--request", rid, "--db", db, "--as", ADMIN
    )
    assert (code, out) == (1, "")
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("error: customer C1 has orders")
    assert f"request {rid} stays open" in err
    assert _state(db) == before
    assert [r["request_id"] for r in _requests(capsys, db)] == [rid]
    code, out, err = _run(
        capsys, "lgpd", "anonymize", "C1", "--request", rid, "--db", db, "--as", ADMIN
    )
    assert code == 0, err
    assert out.strip().splitlines()[-1] == f"request {rid} answered: partially_fulfilled (on time)"


def test_delete_and_revoke_consent_answer_their_requests(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    revocation = _open(capsys, db, "C2", "consent_revocation")
    code, out, err = _run(
        capsys, "lgpd", "revoke-consent", "C2", "--request", revocation,
        "--db", db, "--as", ADMIN, "--json",
    )  # fmt: skip
    assert code == 0, err
    shown = json.loads(out)
    assert (shown["request"]["request_id"], shown["request"]["outcome"]) == (
        revocation,
        "fulfilled",
    )
    assert len(shown["channels"]) == 5
    deletion = _open(capsys, db, "C2", "deletion")
    code, out, err = _run(
        capsys, "lgpd", "delete", "C2", "--request", deletion, "--db", db, "--as", ADMIN
    )
    assert code == 0, err
    assert out.strip().splitlines() == [
        "customer C2 deleted with all their personal data (they had no orders)",
        f"request {deletion} answered: fulfilled (on time)",
    ]
    assert _requests(capsys, db, "--overdue") == []


def test_export_answers_access_and_keeps_stdout_the_document(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    access = _open(capsys, db, "C1", "access")
    code, out, err = _run(
        capsys, "lgpd", "export", "C1", "--request", access, "--db", db, "--as", ADMIN
    )
    assert code == 0
    assert json.loads(out)["customer_id"] == "C1"  # stdout is still the document alone
    assert err.strip() == f"request {access} answered: fulfilled (on time)"
    portability = _open(capsys, db, "C1", "portability")
    target = tmp_path / "c1.json"
    code, out, err = _run(
        capsys, "lgpd", "export", "C1", "--request", portability, "--out", str(target),
        "--db", db, "--as", ADMIN, "--json",
    )  # fmt: skip
    assert code == 0, err
    shown = json.loads(out)
    assert (shown["out"], shown["request"]["outcome"]) == (str(target), "fulfilled")
    assert json.loads(target.read_text(encoding="utf-8"))["customer_id"] == "C1"


def test_customers_edit_answers_a_correction(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    rid = _open(capsys, db, "C2", "correction")
    code, out, err = _run(
        capsys, "customers", "edit", "C2", "--field", "email", "--value", "bia@example.com",
        "--reason", "lgpd_correction", "--request", rid, "--as", SAC, "--db", db, "--json",
    )  # fmt: skip
    assert code == 0, err
    shown = json.loads(out)
    assert [c["field"] for c in shown["changed"]] == ["email"]
    assert shown["request"]["outcome"] == "fulfilled"
    assert shown["request"]["answer"] == "correction (art. 18, III): corrected email"


# bad input: one line, exit 1, nothing written ----------------------------------------------

BAD = [  # the command, and a kind of request it answers
    (["lgpd", "export", "C1", "--as", ADMIN], "access"),
    (["lgpd", "anonymize", "C1", "--as", ADMIN], "anonymization"),
    (["lgpd", "delete", "C1", "--as", ADMIN], "deletion"),
    (["lgpd", "revoke-consent", "C1", "--as", ADMIN], "consent_revocation"),
    (
        [
            "customers",
            "edit",
            "C1",
            "--field",
            "name",
            "--value",
            "Ana S.",
            "--reason",
            "sac_call",
            "--as",
            SAC,
        ],
        "correction",
    ),
]


@pytest.mark.parametrize(("argv", "kind"), BAD, ids=[b[0][1] for b in BAD])
def test_a_wrong_closed_or_foreign_request_is_one_line(
    db: str, capsys: pytest.CaptureFixture[str], argv: list[str], kind: str
) -> None:
    foreign = _open(capsys, db, "C2", "deletion")  # C2's
    wrong_kind = _open(capsys, db, "C1", "sharing_information")  # nothing answers it
    closed = _open(capsys, db, "C1", kind)
    code, _, err = _run(
        capsys, "lgpd", "request", "answer", closed, "--outcome", "fulfilled",
        "--answer", "informado por e-mail", "--as", SAC, "--db", db,
    )  # fmt: skip
    assert code == 0, err
    cases = [
        ("LGPD-999999", "error: DataSubjectRequest 'LGPD-999999' not found"),
        (foreign, "error: --request is customer C2's request, not customer C1's"),
        (wrong_kind, "error: --request is a sharing_information request (art. 18, VII)"),
        (closed, "error: --request was already answered at"),
    ]
    for request_id, message in cases:
        before = _state(db)
        code, out, err = _run(capsys, *argv, "--request", request_id, "--db", db, "--json")
        assert (code, out) == (1, ""), (request_id, out)
        assert len(err.strip().splitlines()) == 1, err
        assert err.startswith(message), (request_id, err)
        assert "Traceback" not in err
        after = _state(db)
        if argv[0] == "customers":  # the service audits the refused attempt, writes nothing else
            assert after[:4] + after[5:] == before[:4] + before[5:]
        else:
            assert after == before


def test_an_empty_request_is_one_line(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(
        capsys, "lgpd", "anonymize", "C1", "--request", "", "--db", db, "--as", ADMIN
    )
    assert (code, out) == (1, "")
    assert err.startswith("error: --request must not be")
    assert len(err.strip().splitlines()) == 1


def test_request_without_a_value_is_a_usage_error(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(capsys, "lgpd", "delete", "C2", "--db", db, "--as", ADMIN, "--request")
    assert code == 2
    assert "--request" in err
