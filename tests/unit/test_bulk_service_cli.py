"""``--as`` on the bulk commands (issue 15, round 4), on SQLite.

``otocore categories add|remove|set-discount|add-customers|remove-customers``,
``otocore customers add`` and ``otocore customers message`` act as the account ``--as``
names, through ``BulkService``: before this round they had no ``--as``, and anyone with the
database could message the whole base or regroup it, unrecorded.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from _support.cli import keyed_brand, run
from otocore.access import Action, AuditEntry, Outcome
from otocore.adapters.sql import open_database
from otocore.auth import Account, AccountState, Role, normalize_login_email
from otocore.bulk import RESPONSIBILITY_STATEMENT
from otocore.categories import CustomerCategory
from otocore.consent import ConsentEvent, ConsentSource, ContactChannel
from otocore.customers import Cpf, Customer, Mobile
from otocore.sellers import Store

ADMIN = "admin@example.com"
MANAGER = "gerente@example.com"
OLD = "antigo@example.com"
CPF = "529.982.247-25"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    path, database = keyed_brand(tmp_path, monkeypatch)
    with database.unit_of_work() as uow:
        uow.stores.add(Store(store_id="L01", name="Loja Centro"))
        for account_id, login, roles, extra in (
            ("u-admin", ADMIN, {Role.BRAND_ADMIN}, {}),
            ("u-gerente", MANAGER, {Role.STORE_MANAGER}, {"store_id": "L01"}),
            ("u-old", OLD, {Role.BRAND_ADMIN}, {"state": AccountState(active=False)}),
        ):
            uow.accounts.add(
                Account(
                    account_id=account_id, email=normalize_login_email(login), roles=roles, **extra
                )
            )
        for cid, cpf in (("C1", Cpf.parse(CPF)), ("C2", None)):
            uow.customers.add(
                Customer(
                    customer_id=cid,
                    name=f"Cliente {cid}",
                    registered_at=datetime(2026, 1, 1, tzinfo=UTC),
                    cpf=cpf,
                    mobile=Mobile.parse("11987654321"),
                )
            )
            uow.consent.append(
                ConsentEvent(
                    customer_id=cid,
                    channel=ContactChannel.SMS,
                    granted=True,
                    at=datetime(2026, 1, 1, tzinfo=UTC),
                    source=ConsentSource.SELLER_APP,
                    recorded_by="V01",
                )
            )
        uow.categories.save(CustomerCategory("VIP", "Clientes VIP", "#c0392b"))
    database.close()
    return str(path)


def _audit(db: str) -> list[AuditEntry]:
    with open_database(db) as database, database.unit_of_work() as uow:
        return list(uow.audit.iter_all())


def _members(db: str) -> list[str]:
    with open_database(db) as database, database.unit_of_work() as uow:
        return uow.categories.members("VIP")


def _message(outbox: Path, *extra: str) -> list[str]:
    return [
        "customers", "message", "--channel", "sms", "--text", "Promoção!",
        "--outbox", str(outbox), "--i-accept-responsibility", *extra,
    ]  # fmt: skip


def test_a_store_manager_may_not_regroup_the_base(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, "categories", "add-customers", "VIP", "--ids", "C1", "--as", MANAGER, "--db", db
    )
    assert (code, out) == (1, "")
    assert err == (
        "error: store_manager u-gerente may not manage_categories on account category:VIP:"
        " no role of store_manager grants manage_categories\n"
    )
    assert _members(db) == []
    (entry,) = _audit(db)
    assert (entry.actor, entry.action, entry.outcome) == (
        "u-gerente",
        Action.MANAGE_CATEGORIES,
        Outcome.DENIED,
    )


@pytest.mark.parametrize(
    "argv",
    [
        ("categories", "add", "NEW", "--name", "Nova", "--colour", "#2e86c1"),
        ("categories", "remove", "VIP"),
        ("categories", "set-discount", "VIP", "--discount", "10"),
        ("categories", "remove-customers", "VIP", "--ids", "C1"),
    ],
)
def test_every_category_change_is_refused_to_a_store_manager(
    db: str, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    code, _, err = run(capsys, *argv, "--as", MANAGER, "--db", db)
    assert code == 1
    assert err.startswith("error: store_manager u-gerente may not manage_categories")
    assert len(err.splitlines()) == 1
    with open_database(db) as database, database.unit_of_work() as uow:
        assert [(c.category_id, c.discount) for c in uow.categories.list()] == [("VIP", None)]
    assert [e.outcome for e in _audit(db)] == [Outcome.DENIED]


def test_a_bulk_message_is_the_admins_and_its_audit_entry_says_what_they_accepted(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outbox = tmp_path / "outbox.jsonl"
    code, _, err = run(capsys, *_message(outbox, "--query", CPF, "--as", MANAGER, "--db", db))
    assert code == 1
    assert err.startswith("error: store_manager u-gerente may not send_bulk_message")
    assert not outbox.exists()  # nothing sent
    code, out, err = run(capsys, *_message(outbox, "--query", CPF, "--as", ADMIN, "--db", db))
    assert code == 0, err
    assert out.splitlines()[0] == f"{ADMIN} accepted: {RESPONSIBILITY_STATEMENT}"
    assert len(outbox.read_text(encoding="utf-8").splitlines()) == 1
    denied, sent = _audit(db)
    assert (denied.actor, denied.outcome) == ("u-gerente", Outcome.DENIED)
    assert (sent.actor, sent.action, sent.outcome) == (
        "u-admin",
        Action.SEND_BULK_MESSAGE,
        Outcome.ALLOWED,
    )
    assert sent.detail == (
        "sms message (campaigns) to 1 customers selected by query '***.982.247-**':"
        f" sent 1, skipped 0; responsibility accepted: {RESPONSIBILITY_STATEMENT!r};"
        " text (9 characters): 'Promoção!'"
    )


def test_a_bulk_message_without_the_acknowledgment_is_logged_failed(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outbox = tmp_path / "outbox.jsonl"
    argv = [a for a in _message(outbox) if a != "--i-accept-responsibility"]
    code, _, err = run(capsys, *argv, "--ids", "C1", "--as", ADMIN, "--db", db)
    assert code == 1
    assert err.startswith(
        "error: a bulk message needs the sender's acknowledgment of legal responsibility"
    )
    assert not outbox.exists()
    assert [(e.action, e.outcome) for e in _audit(db)] == [
        (Action.SEND_BULK_MESSAGE, Outcome.FAILED)
    ]


def test_a_category_change_by_an_admin_records_the_selection(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, "categories", "add-customers", "VIP", "--query", CPF, "--field", "cpf",
        "--as", ADMIN, "--db", db,
    )  # fmt: skip
    assert (code, out.strip()) == (0, "category VIP: 1 added, 0 already in; 1 customers now"), err
    code, out, err = run(
        capsys, "categories", "remove-customers", "VIP", "--filter", '{"sex_in": ["female"]}',
        "--on", "2026-05-10", "--json", "--as", ADMIN, "--db", db,
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["changed"] == 0
    assert [e.detail for e in _audit(db)] == [
        "category VIP: 1 customers selected by query '***.982.247-**' (field cpf); 1 added,"
        " 0 already in; 1 members now",
        'category VIP: 0 customers selected by filter {"sex_in": ["female"]} on 2026-05-10;'
        " 0 removed, 0 not in it; 1 members now",
    ]


def test_a_store_manager_adds_a_customer_of_their_store_only(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ("customers", "add", "C9", "--name", "Duda Alves", "--as", MANAGER, "--db", db)
    code, _, err = run(capsys, *base, "--home-store", "L02")
    assert code == 1
    assert err == (
        "error: store_manager u-gerente may not add_customer on store L02, account customer:C9:"
        " store_manager acts only within its own store (L01)\n"
    )
    code, out, err = run(capsys, *base, "--home-store", "L01")
    assert (code, out.strip()) == (0, "customer C9 (Duda Alves) added"), err
    assert [(e.outcome, e.detail) for e in _audit(db)] == [
        (Outcome.DENIED, "store_manager acts only within its own store (L01)"),
        (Outcome.ALLOWED, "customer C9 added (home store L01)"),
    ]


@pytest.mark.parametrize(
    ("actor", "line"),
    [
        ("ninguem@example.com", "error: Account 'ninguem@example.com' not found"),
        (OLD, "error: brand_admin u-old may not manage_categories on account category:VIP:"
              " the acting account is inactive"),
    ],
)  # fmt: skip
def test_an_unknown_or_inactive_account_may_not_act(
    db: str, capsys: pytest.CaptureFixture[str], actor: str, line: str
) -> None:
    code, out, err = run(
        capsys, "categories", "add-customers", "VIP", "--ids", "C1", "--as", actor, "--db", db
    )
    assert (code, out, err.strip()) == (1, "", line)
    assert _members(db) == []


@pytest.mark.parametrize(
    "argv",
    [
        ("categories", "add-customers", "VIP", "--ids", "C1"),
        ("categories", "remove", "VIP"),
        ("customers", "add", "C9", "--name", "Duda"),
        ("customers", "message", "--channel", "sms", "--text", "Oi", "--outbox", "o.jsonl",
         "--ids", "C1", "--i-accept-responsibility"),
    ],
)  # fmt: skip
def test_as_is_required(db: str, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]) -> None:
    code, out, err = run(capsys, *argv, "--db", db)
    assert (code, out) == (2, "")
    assert "--as" in err
    assert _audit(db) == []


def test_bad_input_is_one_line_or_a_usage_error(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys, "categories", "add-customers", "VIP", "--ids", "C1", "--as", "not-an-email",
        "--db", db,
    )  # fmt: skip
    assert code == 1
    assert err.startswith("error: ")
    assert len(err.splitlines()) == 1
    code, _, err = run(
        capsys, "categories", "add-customers", "VIP", "--ids", "C1", "--query", "ana",
        "--as", ADMIN, "--db", db,
    )  # fmt: skip
    assert (code, "give one of --ids, --filter or --query" in err) == (2, True)
    code, _, err = run(
        capsys, "categories", "set-discount", "VIP", "--discount", "dez", "--as", ADMIN, "--db", db
    )
    assert code == 2
    assert _audit(db) == []
    assert _members(db) == []
