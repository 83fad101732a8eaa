"""``otocore import --as EMAIL``: a customers file's changes go to the customer history.

On SQLite, with the key of ``OTOCORE_LOG_KEY``: the entries' actor is the ``--as``
account's id (``import`` without ``--as``), their reason ``import``; an unknown or
deactivated account, or no key while a stored customer changes, is one ``error:`` line,
exit 1, nothing imported; a bad ``--as`` e-mail likewise.
"""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest

from _support.cli import keyed_brand
from _support.cli import run as _run
from otocore.adapters.sql import open_database
from otocore.auth import Account, AccountState, Role, normalize_login_email

IMPORTER = "backoffice@example.com"
GONE = "antigo@example.com"
BASE = "customer_id,name,registered_at,email\nC1,Ana,2026-01-05T10:00:00-03:00,\n"
CHANGED = (
    "customer_id,name,registered_at,email\n"
    "C1,Ana Souza,2026-01-05T10:00:00-03:00,ana@example.com\n"
    "C2,Bia,2026-02-01T10:00:00-03:00,\n"
)


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    path, database = keyed_brand(tmp_path, monkeypatch)
    with database.unit_of_work() as uow:
        for account_id, login, active in (("u-bo", IMPORTER, True), ("u-old", GONE, False)):
            uow.accounts.add(
                Account(
                    account_id=account_id,
                    email=normalize_login_email(login),
                    roles={Role.BRAND_ADMIN},
                    state=attrs.evolve(AccountState(), active=active),
                )
            )
    database.close()
    (tmp_path / "customers.csv").write_text(BASE, encoding="utf-8")
    (tmp_path / "changed.csv").write_text(CHANGED, encoding="utf-8")
    return str(path)


def _history(db: str) -> list[tuple[str, str, str | None, str | None, str, str]]:
    with open_database(db, log_keys=None) as database, database.unit_of_work() as uow:
        return [
            (e.customer_id, e.field, e.old_value, e.new_value, e.actor, e.reason.value)
            for e in uow.customer_history.iter_all()
        ]


def _names(db: str) -> dict[str, str]:
    with open_database(db) as database, database.unit_of_work() as uow:
        return {c.customer_id: c.name for c in uow.customers.list()}


def test_import_as_an_account(capsys: pytest.CaptureFixture[str], db: str) -> None:
    folder = Path(db).parent
    code, _, err = _run(capsys, "import", str(folder / "customers.csv"), "--db", db)
    assert code == 0, err
    assert _history(db) == []  # new customers: their own first record
    code, out, err = _run(
        capsys, "import", str(folder / "changed.csv"), "--kind", "customers",
        "--as", IMPORTER, "--db", db, "--json",
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)[0]["imported"] == 2
    assert _history(db) == [
        ("C1", "name", "Ana", "Ana Souza", "u-bo", "import"),
        ("C1", "email", None, "ana@example.com", "u-bo", "import"),
    ]
    # again: nothing changes, nothing is written
    code, _, err = _run(capsys, "import", str(folder / "changed.csv"), "--kind", "customers",
                        "--db", db)  # fmt: skip
    assert code == 0, err
    assert len(_history(db)) == 2


def test_import_without_as_records_import(capsys: pytest.CaptureFixture[str], db: str) -> None:
    folder = Path(db).parent
    assert _run(capsys, "import", str(folder / "customers.csv"), "--db", db)[0] == 0
    code, _, err = _run(capsys, "import", str(folder / "changed.csv"), "--kind", "customers",
                        "--db", db)  # fmt: skip
    assert code == 0, err
    assert {entry[4] for entry in _history(db)} == {"import"}


@pytest.mark.parametrize(
    ("login", "words"),
    [
        ("ninguem@example.com", "ninguem@example.com"),
        (GONE, "deactivated"),
        ("not an e-mail", "not an e-mail"),
    ],
)
def test_a_bad_as_is_one_error_line_and_nothing_imported(
    capsys: pytest.CaptureFixture[str], db: str, login: str, words: str
) -> None:
    folder = Path(db).parent
    code, out, err = _run(
        capsys, "import", str(folder / "customers.csv"), "--as", login, "--db", db
    )
    assert (code, out) == (1, "")
    assert err.startswith("error: ")
    assert err.count("\n") == 1
    assert words in err
    assert _names(db) == {}


def test_without_a_log_key_a_changing_import_is_refused(
    capsys: pytest.CaptureFixture[str], db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = Path(db).parent
    monkeypatch.delenv("OTOCORE_LOG_KEY", raising=False)
    code, _, err = _run(capsys, "import", str(folder / "customers.csv"), "--db", db)
    assert code == 0, err  # new customers need no key
    code, out, err = _run(capsys, "import", str(folder / "changed.csv"), "--kind", "customers",
                          "--as", IMPORTER, "--db", db)  # fmt: skip
    assert (code, out) == (1, "")
    assert err.startswith("error: changed.csv line 2 changes stored customer 'C1' (name)")
    assert "OTOCORE_LOG_KEY" in err
    assert err.count("\n") == 1
    assert _names(db) == {"C1": "Ana"}  # nothing imported, not even C2
