"""``otocore customers edit|history`` and ``otocore lgpd requests|request open|answer`` (issue 15,
SAC), on SQLite: the SAC edit with its history, the history read, the data-subject requests."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from _support.cli import keyed_brand
from _support.cli import run as _run
from otocore.adapters.sql import open_database
from otocore.auth import Account, Role, normalize_login_email
from otocore.customers import Customer
from otocore.history import AccessAction
from otocore.sellers import Store

ADMIN = "admin@example.com"
SAC = "sac@example.com"
MANAGER = "gerente@example.com"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    path, database = keyed_brand(tmp_path, monkeypatch)
    with database.unit_of_work() as uow:
        uow.stores.add(Store(store_id="L01", name="Loja Centro"))
        uow.customers.add(
            Customer(
                customer_id="C1", name="Ana Souza", registered_at=datetime(2025, 1, 1, tzinfo=UTC)
            )
        )
        for account_id, login, roles, extra in (
            ("u-admin", ADMIN, {Role.BRAND_ADMIN}, {}),
            ("u-sac", SAC, {Role.CALL_CENTER}, {}),
            ("u-gerente", MANAGER, {Role.STORE_MANAGER}, {"store_id": "L01"}),
        ):
            uow.accounts.add(
                Account(
                    account_id=account_id,
                    email=normalize_login_email(login),
                    roles=roles,
                    **extra,
                )
            )
    database.close()
    return str(path)


def _edit(db: str, field: str, value: str, *, actor: str = SAC) -> list[str]:
    return [
        "customers", "edit", "C1", "--field", field, "--value", value,
        "--reason", "sac_call", "--as", actor, "--db", db,
    ]  # fmt: skip


def test_an_edit_then_the_history(capsys: pytest.CaptureFixture[str], db: str) -> None:
    code, out, err = _run(capsys, *_edit(db, "mobile", "(11) 98765-4321"))
    assert code == 0, err
    assert out.strip() == (
        "customer C1: mobile (none) -> '+5511987654321' (reason sac_call, by sac@example.com, "
        "history entry 1)"
    )
    code, out, err = _run(capsys, *_edit(db, "mobile", "+55 11 98765-4321"))
    assert (code, out.strip()) == (0, "customer C1: mobile unchanged (already that value)")
    code, out, err = _run(capsys, "customers", "history", "C1", "--as", ADMIN, "--db", db, "--json")
    assert code == 0, err
    (entry,) = json.loads(out)
    assert {k: entry[k] for k in ("field", "old_value", "new_value", "actor", "reason")} == {
        "field": "mobile",
        "old_value": None,
        "new_value": "+5511987654321",
        "actor": "u-sac",
        "reason": "sac_call",
    }
    code, out, err = _run(capsys, "customers", "history", "C1", "--as", SAC, "--db", db)
    assert code == 0, err
    assert "+5511987654321" in out
    with open_database(db) as database, database.unit_of_work() as uow:
        reads = [e.action for e in uow.access_log.iter_all()]
    assert reads == [AccessAction.HISTORY_READ] * 2


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("cpf", "529.982.247-24", "error: cpf "),
        ("email", "ana@", "error: email "),
        ("birth_date", "2999-01-01", "error: birth_date must not be in the future"),
        ("nome", "Ana", "error: field must be one of the editable fields"),
    ],
)
def test_a_bad_value_is_one_line_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], db: str, field: str, value: str, named: str
) -> None:
    code, out, err = _run(capsys, *_edit(db, field, value))
    assert (code, out) == (1, "")
    assert err.startswith(named)
    assert err.count("\n") == 1
    code, out, _ = _run(capsys, "customers", "history", "C1", "--as", SAC, "--db", db)
    assert out.strip() == "customer C1: no history"


def test_a_store_manager_is_refused_in_one_line(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    code, _, err = _run(capsys, *_edit(db, "email", "a@example.com", actor=MANAGER))
    assert code == 1
    assert err.startswith("error: ")
    assert "edit_customer" in err
    assert err.count("\n") == 1


def test_a_bad_reason_is_a_usage_error(capsys: pytest.CaptureFixture[str], db: str) -> None:
    argv = _edit(db, "email", "a@example.com")
    argv[argv.index("sac_call")] = "porque sim"
    code, _, err = _run(capsys, *argv)
    assert code == 2
    assert "--reason" in err


def test_requests_opened_listed_and_answered(capsys: pytest.CaptureFixture[str], db: str) -> None:
    code, out, err = _run(
        capsys, "lgpd", "request", "open", "C1", "--kind", "access", "--form", "simplified",
        "--detail", "quer uma cópia", "--as", SAC, "--db", db,
    )  # fmt: skip
    assert code == 0, err
    assert out.startswith("request LGPD-000001 opened for customer C1: access (art. 18, II)")
    code, out, err = _run(capsys, "lgpd", "requests", "--as", ADMIN, "--db", db, "--json")
    assert code == 0, err
    (listed,) = json.loads(out)
    assert (listed["request_id"], listed["form"], listed["detail"]) == (
        "LGPD-000001",
        "simplified",
        "quer uma cópia",
    )
    code, out, err = _run(capsys, "lgpd", "requests", "--overdue", "--as", ADMIN, "--db", db)
    assert (code, out.strip()) == (0, "no overdue requests")
    code, out, err = _run(
        capsys, "lgpd", "request", "answer", "LGPD-000001", "--outcome", "refused",
        "--as", SAC, "--db", db,
    )  # fmt: skip
    assert code == 1
    assert err.startswith("error: DataSubjectRequest.answer must give the reasons")
    code, out, err = _run(
        capsys, "lgpd", "request", "answer", "LGPD-000001", "--outcome", "fulfilled",
        "--answer", "cópia enviada", "--as", SAC, "--db", db,
    )  # fmt: skip
    assert (code, out.strip()) == (0, "request LGPD-000001 answered: fulfilled (on time)")
    code, out, err = _run(
        capsys, "lgpd", "request", "answer", "LGPD-000001", "--outcome", "fulfilled",
        "--as", SAC, "--db", db,
    )  # fmt: skip
    assert code == 1
    assert "already answered" in err
    code, out, err = _run(capsys, "lgpd", "requests", "--as", ADMIN, "--db", db)
    assert (code, out.strip()) == (0, "no open requests")


def test_a_simplified_deletion_and_an_unknown_customer_are_one_line(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    code, _, err = _run(
        capsys, "lgpd", "request", "open", "C1", "--kind", "deletion", "--form", "simplified",
        "--as", SAC, "--db", db,
    )  # fmt: skip
    assert code == 1
    assert err.startswith("error: DataSubjectRequest.form may be SIMPLIFIED only")
    code, _, err = _run(
        capsys, "lgpd", "request", "open", "C9", "--kind", "deletion", "--as", SAC, "--db", db
    )
    assert (code, err.strip()) == (1, "error: Customer 'C9' not found")


def test_the_search_follows_an_edit_on_sqlite(capsys: pytest.CaptureFixture[str], db: str) -> None:
    from otocore.search import CustomerQuery

    for field, value in (("name", "Beatriz Lima"), ("cpf", "529.982.247-25")):
        code, _, err = _run(capsys, *_edit(db, field, value))
        assert code == 0, err
    with open_database(db) as database, database.unit_of_work() as uow:
        found = uow.customer_search.matching_ids(CustomerQuery.parse("beat lim"))
        gone = uow.customer_search.matching_ids(CustomerQuery.parse("ana souza"))
        by_cpf = uow.customer_search.matching_ids(CustomerQuery.parse("52998224725"))
    assert (found, gone, by_cpf) == (["C1"], [], ["C1"])


def test_without_log_keys_an_edit_is_refused_in_one_line(
    capsys: pytest.CaptureFixture[str], db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OTOCORE_LOG_KEY", raising=False)
    code, out, err = _run(capsys, *_edit(db, "email", "ana@example.com"))
    assert (code, out) == (1, "")
    assert err.startswith("error: ")
    assert err.count("\n") == 1
    with open_database(db) as database, database.unit_of_work() as uow:
        assert uow.customers.get("C1").email is None
