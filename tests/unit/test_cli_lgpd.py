"""``otocore lgpd export|anonymize|delete|revoke-consent`` and ``otocore customers remove`` (issue 15)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from _support.cli import keyed_brand
from _support.cli import run as _run
from otocore.auth import Account, Role, normalize_login_email
from otocore.customers import Cpf, Customer
from otocore.orders import Order

ADMIN = "admin@example.com"
SELLER = "seller@example.com"
AT = datetime(2026, 1, 5, tzinfo=UTC)


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    path, database = keyed_brand(tmp_path, monkeypatch)
    with database.unit_of_work() as uow:
        uow.customers.add(
            Customer(customer_id="C1", name="Ana Souza", registered_at=AT, cpf=Cpf("52998224725"))
        )
        uow.customers.add(Customer(customer_id="C2", name="Ana Lima", registered_at=AT))
        uow.customers.add(Customer(customer_id="C3", name="Carla Dias", registered_at=AT))
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
        for account_id, login, roles, extra in (
            ("u-admin", ADMIN, {Role.BRAND_ADMIN}, {}),
            ("u-seller", SELLER, {Role.SELLER}, {"seller_code": "V01", "store_id": "L01"}),
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


def test_export_prints_or_writes_the_json(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(capsys, "lgpd", "export", "C1", "--db", db, "--as", ADMIN)
    assert (code, err) == (0, "")
    assert json.loads(out)["customer"]["cpf"] == "52998224725"
    target = tmp_path / "c1.json"
    code, out, _ = _run(
        capsys, "lgpd", "export", "C1", "--db", db, "--as", ADMIN, "--out", str(target)
    )
    assert code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["orders"][0]["order_id"] == "P1"


def test_anonymize_then_again_and_delete_is_refused_with_orders(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(capsys, "lgpd", "delete", "C1", "--db", db, "--as", ADMIN)
    assert code == 1
    assert err.startswith("error: ")
    assert "anonymization is what the law allows" in err
    assert len(err.strip().splitlines()) == 1
    code, out, _ = _run(capsys, "lgpd", "anonymize", "C1", "--db", db, "--as", ADMIN)
    assert code == 0
    assert "anonymized" in out
    assert "anon-" not in out  # the anonymous id is never printed
    code, out, _ = _run(capsys, "lgpd", "anonymize", "C1", "--db", db, "--as", ADMIN)
    assert (code, out.strip()) == (0, "customer C1 was already anonymized; nothing to do")
    code, out, _ = _run(capsys, "customers", "search", "52998224725", "--db", db, "--json")
    assert code == 0
    assert "C1" not in out


def test_a_seller_may_not(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "lgpd", "anonymize", "C1", "--db", db, "--as", SELLER)
    assert code == 1
    assert "may not anonymize" in err


def test_revoke_consent(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "lgpd", "revoke-consent", "C2", "--db", db, "--as", ADMIN)
    assert code == 0
    assert "opted out of every channel" in out
    # a request id is checked against the stored requests (issue 15, round 3)
    code, _, err = _run(
        capsys, "lgpd", "revoke-consent", "C2", "--db", db, "--as", ADMIN, "--request", "R1"
    )
    assert (code, err.strip()) == (1, "error: DataSubjectRequest 'R1' not found")


def test_remove_shows_the_count_then_needs_the_word(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, "customers", "remove", "ana", "--db", db, "--as", ADMIN)
    assert code == 0
    assert out.startswith("2 customers would be removed: 1 deleted, 1 anonymized")
    assert "--confirm EXCLUIR" in out
    code, _, err = _run(
        capsys, "customers", "remove", "ana", "--db", db, "--as", ADMIN, "--confirm", "sim"
    )
    assert code == 1
    assert "EXCLUIR" in err
    code, out, _ = _run(
        capsys, "customers", "remove", "--ids", "C3", "--db", db, "--as", ADMIN, "--json"
    )
    assert json.loads(out) == {"count": 1, "to_delete": ["C3"], "to_anonymize": [], "unknown": []}
    code, out, _ = _run(
        capsys, "customers", "remove", "ana", "--db", db, "--as", ADMIN, "--confirm", "EXCLUIR"
    )
    assert (code, out.strip()) == (0, "removed 2 customers: 1 deleted, 1 anonymized")
    code, out, _ = _run(capsys, "customers", "remove", "ana", "--db", db, "--as", ADMIN)
    assert out.startswith("0 customers would be removed")


def test_remove_needs_ids_or_a_query(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "customers", "remove", "--db", db, "--as", ADMIN)
    assert code == 2
    assert "--ids or a QUERY" in err
