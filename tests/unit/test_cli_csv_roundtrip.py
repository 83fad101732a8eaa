"""``otocore customers export --out FILE.csv`` then ``otocore import FILE``: the same customers.

On SQLite, through the command line: customers whose free text and e-mail start with formula
triggers and quotes are exported to CSV (each such cell quoted in the file) and imported into
a new database, which then holds records equal to the originals (docs/exports.md's claim).
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest

from _support.cli import keyed_brand, run
from otocore.adapters.sql import open_database
from otocore.auth import Account, Role, normalize_login_email
from otocore.customers import Customer, Email, Loyalty, Mobile

ADMIN = "admin@example.com"
AT = datetime(2025, 1, 2, tzinfo=UTC)
PEOPLE = [
    Customer(customer_id="C1", name='=HYPERLINK("http://evil.example";"x")', registered_at=AT),
    Customer(
        customer_id="'C2",
        name="'Zé",
        registered_at=AT,
        email=Email.parse("'ana@example.com"),
        mobile=Mobile("+16502530000"),
    ),
    Customer(
        customer_id="-3",
        name="''=1+1",
        registered_at=AT,
        email=Email.parse("=cmd|'/ccalc'!a0@example.com"),
        home_store_id="@L01",
        loyalty=Loyalty(program="'", category="+Ouro"),
    ),
    Customer(customer_id="C4", name="Ana D'Ávila", registered_at=AT, home_store_id="'=L02"),
]


def test_a_csv_export_imports_back_through_the_command_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, database = keyed_brand(tmp_path, monkeypatch)
    with database.unit_of_work() as uow:
        uow.customers.add_many(PEOPLE)
        uow.accounts.add(
            Account(
                account_id="u-admin", email=normalize_login_email(ADMIN), roles={Role.BRAND_ADMIN}
            )
        )
    database.close()
    exports, mail = tmp_path / "exports", tmp_path / "mail"
    exports.mkdir()
    mail.mkdir()
    code, _, err = run(
        capsys, "customers", "export", "--db", str(source), "--as", ADMIN,
        "--export-dir", str(exports), "--mail-to-dir", str(mail),
        "--mail-from", "oto@example.com", "--app-url", "https://admin.example.com",
        "--out", "clientes.csv",
    )  # fmt: skip
    assert code == 0, err
    [written] = exports.iterdir()
    with written.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    assert [row[:2] for row in rows[1:]] == [  # by id: 'C2, -3, C1, C4; quoted where need be
        ["''C2", "''Zé"],
        ["'-3", "'''=1+1"],
        ["C1", '\'=HYPERLINK("http://evil.example";"x")'],
        ["C4", "Ana D'Ávila"],
    ]
    target = tmp_path / "again.sqlite"
    assert run(capsys, "db", "upgrade", str(target))[0] == 0
    code, out, err = run(capsys, "import", str(written), "--kind", "customers", "--db", str(target))
    assert code == 0, err
    assert "4 imported" in out
    again = open_database(str(target))
    with again.unit_of_work() as uow:
        back = uow.customers.list()
    again.close()
    assert sorted(back, key=lambda c: c.customer_id) == sorted(PEOPLE, key=lambda c: c.customer_id)
