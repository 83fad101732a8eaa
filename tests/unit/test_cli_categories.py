"""``otocore categories``, ``otocore customers add|message`` and ``otocore import customers.xlsx``."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest

from _support.cli import run
from otocore.adapters.sql import open_database
from otocore.auth import Account, Role, normalize_login_email
from otocore.consent import ConsentEvent, ConsentSource, ContactChannel

ADMIN = "admin@example.com"


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    path = str(tmp_path / "brand.sqlite")
    assert run(capsys, "db", "upgrade", path)[0] == 0
    with open_database(path) as database, database.unit_of_work() as uow:
        uow.accounts.add(
            Account(
                account_id="u-admin", email=normalize_login_email(ADMIN), roles={Role.BRAND_ADMIN}
            )
        )
    for argv in (
        (
            "C1",
            "--name",
            "Ana Souza",
            "--cpf",
            "529.982.247-25",
            "--mobile",
            "(11) 98765-4321",
            "--sex",
            "female",
        ),
        ("C2", "--name", "Bia Lima", "--email", "bia@example.com", "--sex", "female"),
        ("C3", "--name", "Caio Reis", "--mobile", "11 91234-5678", "--sex", "male"),
    ):
        code, out, err = run(
            capsys,
            "customers",
            "add",
            *argv,
            "--registered-at",
            "2026-01-01T10:00:00-03:00",
            "--as",
            ADMIN,
            "--db",
            path,
        )
        assert (code, err) == (0, ""), err
        assert f"customer {argv[0]} ({argv[2]}) added" in out
    return path


def test_categories_are_created_filled_and_give_their_discount(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        run(
            capsys,
            "categories",
            "add",
            "VIP",
            "--name",
            "Clientes VIP",
            "--colour",
            "#C0392B",
            "--discount",
            "10",
            "--as",
            ADMIN,
            "--db",
            db,
        )[0]
        == 0
    )
    code, _, _ = run(
        capsys, "categories", "add", "MAIO", "--name", "Aniversariantes de maio", "--colour", "#2e86c1",
        "--discount", "15", "--from", "2026-05-01", "--until", "2026-05-31", "--as", ADMIN, "--db", db,
    )  # fmt: skip
    assert code == 0
    code, out, _ = run(
        capsys,
        "categories",
        "add-customers",
        "VIP",
        "--ids",
        "C1,C2",
        "--ids",
        "C1",
        "--as",
        ADMIN,
        "--db",
        db,
    )
    assert (code, out.strip()) == (0, "category VIP: 2 added, 0 already in; 2 customers now")
    code, out, _ = run(
        capsys, "categories", "add-customers", "MAIO", "--filter", '{"sex_in": ["female"]}', "--on", "2026-05-10", "--as", ADMIN, "--db", db
    )  # fmt: skip
    assert (code, out.strip()) == (0, "category MAIO: 2 added, 0 already in; 2 customers now")
    code, out, _ = run(capsys, "categories", "list", "--json", "--db", db)
    listed = json.loads(out)
    assert [(c["category_id"], c["colour"], c["members"]) for c in listed] == [
        ("MAIO", "#2e86c1", 2),
        ("VIP", "#c0392b", 2),
    ]
    code, out, _ = run(
        capsys, "categories", "discount", "C1", "--on", "2026-05-10", "--json", "--db", db
    )
    assert json.loads(out) | {"detail": ""} == {
        "customer_id": "C1",
        "on": "2026-05-10",
        "percentage": "15",
        "category_id": "MAIO",
        "reason": "best_category",
        "detail": "",
    }
    code, out, _ = run(capsys, "categories", "discount", "C1", "--on", "2026-06-01", "--db", db)
    assert out.strip() == (
        "C1 on 2026-06-01: 10% from category 'Clientes VIP' (VIP), the only category with a"
        " discount valid on 2026-06-01"
    )
    assert (
        run(capsys, "categories", "set-discount", "VIP", "--none", "--as", ADMIN, "--db", db)[0]
        == 0
    )
    code, out, _ = run(capsys, "categories", "show", "VIP", "--json", "--db", db)
    shown = json.loads(out)
    assert (shown["discount"], shown["customer_ids"]) == (None, ["C1", "C2"])
    code, out, _ = run(
        capsys, "categories", "remove-customers", "VIP", "--ids", "C2", "--as", ADMIN, "--db", db
    )
    assert out.strip() == "category VIP: 1 removed, 0 not in it; 1 customers now"
    code, out, _ = run(capsys, "categories", "remove", "MAIO", "--as", ADMIN, "--db", db)
    assert out.strip() == "category MAIO removed (2 customers were in it)"
    code, out, _ = run(capsys, "categories", "discount", "C2", "--on", "2026-05-10", "--db", db)
    assert out.strip() == "C2 on 2026-05-10: C2 is in no category"


def test_category_errors_are_one_line(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        run(
            capsys,
            "categories",
            "add",
            "VIP",
            "--name",
            "VIP",
            "--colour",
            "#000000",
            "--as",
            ADMIN,
            "--db",
            db,
        )[0]
        == 0
    )
    cases = [
        (("categories", "add", "VIP", "--name", "Outra", "--colour", "#000000"), "error: category 'VIP' already exists; nothing was changed"),
        (("categories", "add", "X", "--name", "X", "--colour", "red"), "error: CustomerCategory.colour must be a hex colour such as '#c0392b' ('#' and 6 hex digits), got 'red'"),
        (("categories", "set-discount", "VIP", "--discount", "0"), "error: CategoryDiscount.percentage must be > 0 and <= 100 with at most 2 decimal places, got Decimal('0')"),
        (("categories", "add-customers", "VIP", "--ids", "C1,C8,C9"), "error: 2 customer ids name no customer: 'C8', 'C9'; nothing was done"),
        (("categories", "add-customers", "NOPE", "--ids", "C1"), "error: CustomerCategory 'NOPE' not found"),
        (("categories", "add-customers", "VIP", "--filter", '{"bought": {}}'), "error: filter.bought is not a known filter"),
        (("categories", "discount", "C9", "--on", "2026-05-10"), "error: Customer 'C9' not found"),
    ]  # fmt: skip
    for argv, line in cases:
        code, out, err = run(capsys, *argv, *mutating(argv), "--db", db)
        assert code == 1, argv
        assert err.startswith(line), (argv, err)
        assert "Traceback" not in err
    code, out, _ = run(capsys, "categories", "show", "VIP", "--json", "--db", db)
    assert json.loads(out)["customer_ids"] == []  # C1 was not added with C8 and C9
    code, _, err = run(capsys, "categories", "add-customers", "VIP", "--as", ADMIN, "--db", db)
    assert code == 2
    assert "give one of --ids, --filter or --query" in err


def test_a_customer_added_by_hand_is_checked_as_an_import_row(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys,
        "customers",
        "add",
        "C9",
        "--name",
        "",
        "--cpf",
        "123",
        "--email",
        "x@",
        "--as",
        ADMIN,
        "--db",
        db,
    )
    assert code == 1
    assert err.splitlines() == [
        "error: 3 errors:",
        "  name is required, got ''",
        "  cpf must be 11 ASCII digits (0-9), optionally written as 000.000.000-00, got '123'",
        "  email is not a valid e-mail address (There must be something after the @-sign.), got 'x@'",
    ]
    code, _, err = run(
        capsys, "customers", "add", "C1", "--name", "Outra Ana", "--as", ADMIN, "--db", db
    )
    assert (code, err.strip()) == (
        1,
        "error: customer_id 'C1' is already in the registry; nothing was added (correcting a customer is the SAC edit)",
    )
    code, _, err = run(
        capsys,
        "customers",
        "add",
        "C8",
        "--name",
        "X",
        "--cpf",
        "52998224725",
        "--as",
        ADMIN,
        "--db",
        db,
    )
    assert "cpf '529.982.247-25' is already in the registry" in err
    code, _out, _ = run(capsys, "customers", "show", "C9", "--db", db)
    assert code == 1


def mutating(argv: tuple[str, ...]) -> tuple[str, ...]:
    """``--as ADMIN`` for a command that changes something (the others take no --as)."""
    return () if argv[1] in {"discount", "list", "show"} else ("--as", ADMIN)


def _grant(db: str, *customer_ids: str) -> None:
    with open_database(db) as database, database.unit_of_work() as uow:
        for cid in customer_ids:
            uow.consent.append(
                ConsentEvent(
                    customer_id=cid,
                    channel=ContactChannel.WHATSAPP,
                    granted=True,
                    at=datetime(2026, 1, 1, tzinfo=UTC),
                    source=ConsentSource.SELLER_APP,
                    recorded_by="V01",
                )
            )


def test_a_bulk_message_needs_the_acknowledgment_and_skips_who_lacks_consent(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outbox = tmp_path / "outbox.jsonl"
    _grant(db, "C1", "C2")
    base = ("customers", "message", "--channel", "whatsapp", "--text", "Promoção!", "--as", ADMIN, "--outbox", str(outbox))  # fmt: skip
    code, _, err = run(capsys, *base, "--ids", "C1,C2,C3", "--db", db)
    assert code == 1
    assert err.startswith(
        "error: a bulk message needs the sender's acknowledgment of legal responsibility"
    )
    assert not outbox.exists()  # nothing sent
    code, out, _ = run(
        capsys, *base, "--ids", "C1,C2,C3", "--i-accept-responsibility", "--json", "--db", db
    )
    assert code == 0
    assert json.loads(out) == {
        "sent": ["C1"],
        "skipped": [
            {"customer_id": "C2", "reason": "no_address", "detail": "no mobile for whatsapp"},
            {
                "customer_id": "C3",
                "reason": "no_consent",
                "detail": json.loads(out)["skipped"][1]["detail"],
            },
        ],
    }
    lines = [json.loads(line) for line in outbox.read_text(encoding="utf-8").splitlines()]
    assert lines == [
        {"customer_id": "C1", "channel": "whatsapp", "to": "+5511987654321", "text": "Promoção!"}
    ]
    code, out, _ = run(
        capsys, *base, "--filter", '{"sex_in": ["male"]}', "--i-accept-responsibility", "--db", db
    )
    assert code == 0
    assert "sent 0 on whatsapp" in out
    assert "C3: no consent on the channel" in out


def test_customers_import_from_an_xlsx_workbook(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["customer_id", "name", "registered_at", "cpf", "email"])
    sheet.append(
        ["C10", "Duda Alves", "2026-05-10T15:00:00-03:00", "390.533.447-05", "duda@example.com"]
    )
    sheet.append(["C11", None, "2026-05-10T15:00:00-03:00", "390.533.447-06", None])
    path = tmp_path / "customers.xlsx"
    book.save(path)
    code, _, err = run(capsys, "import", str(path), "--db", db)
    assert code == 1
    assert "customers.xlsx line 3: name is required, got ''" in err
    assert "customers.xlsx line 3: cpf has wrong check digits, got '390.533.447-06'" in err
    assert run(capsys, "customers", "show", "C10", "--db", db)[0] == 1  # all or nothing
    sheet.delete_rows(3)
    book.save(path)
    assert run(capsys, "import", str(path), "--db", db)[0] == 0
    code, out, _ = run(capsys, "customers", "show", "C10", "--json", "--db", db)
    assert json.loads(out)["customer"]["name"] == "Duda Alves"
