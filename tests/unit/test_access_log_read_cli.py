"""``otocore audit access-log`` on SQLite (issue 15, "Exports with an access log"): the table
and ``--json`` rows, the filters (local days of the brand), paging, the read logged and the
chain verifying, CPFs masked, the roles refused, and bad input as one line."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from _support.cli import run as _run
from otocore.adapters.sql import open_database
from otocore.auth import Account, Role, normalize_login_email
from otocore.customers import Customer
from otocore.history import AccessAction, AccessEvent
from otocore.ledger import LogKey, LogKeyring
from otocore.sellers import Store

ADMIN = "admin@example.com"
SAC = "sac@example.com"
MANAGER = "gerente@example.com"
SECRET = "A" * 43 + "="
KEYS = LogKeyring.of(LogKey(key_id="k1", secret=base64.b64decode(SECRET)))
CPF = "529.982.247-25"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.delenv("OTOCORE_LOG_KEY_FILE", raising=False)
    monkeypatch.setenv("OTOCORE_LOG_KEY", f"k1:{SECRET}")
    monkeypatch.setenv("COLUMNS", "200")
    path = tmp_path / "brand.sqlite"
    database = open_database(str(path), upgrade=True, log_keys=KEYS)
    with database.unit_of_work().writing() as uow:
        uow.stores.add(Store(store_id="L01", name="Loja Centro"))
        uow.customers.add(
            Customer(
                customer_id="C1", name="Ana Souza", registered_at=datetime(2025, 1, 1, tzinfo=UTC)
            )
        )
        for account_id, login, role, store in (
            ("u-admin", ADMIN, Role.BRAND_ADMIN, None),
            ("u-sac", SAC, Role.CALL_CENTER, None),
            ("u-gerente", MANAGER, Role.STORE_MANAGER, "L01"),
        ):
            uow.accounts.add(
                Account(
                    account_id=account_id,
                    email=normalize_login_email(login),
                    roles={role},
                    store_id=store,
                )
            )
        for at, action, query in (
            # 07:00 in São Paulo on June 1st
            (datetime(2026, 6, 1, 10, tzinfo=UTC), AccessAction.EXPORT_REQUESTED, f"cpf = {CPF}"),
            # 23:00 in São Paulo, still June 1st there
            (datetime(2026, 6, 2, 2, tzinfo=UTC), AccessAction.EXPORT_DOWNLOADED, "name = ana"),
            # 01:00 on June 2nd in São Paulo
            (datetime(2026, 6, 2, 4, tzinfo=UTC), AccessAction.HISTORY_READ, "customer C1"),
        ):
            uow.access_log.append(
                AccessEvent(actor="u-sac", at=at, action=action, query=query, customers=1)
            )
    database.close()
    return str(path)


def _read(db: str, *args: str, actor: str = ADMIN) -> list[str]:
    return ["audit", "access-log", "--as", actor, "--db", db, *args]


def _json(capsys: pytest.CaptureFixture[str], db: str, *args: str) -> list[dict[str, object]]:
    code, out, err = _run(capsys, *_read(db, *args, "--json"))
    assert code == 0, err
    rows: list[dict[str, object]] = json.loads(out)
    return rows


def test_the_table_shows_the_log_with_cpfs_masked(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    code, out, err = _run(capsys, *_read(db))
    assert (code, err) == (0, "")
    assert "Data-access log" in out
    for shown in ("export_requested", "export_downloaded", "history_read", "***.982.247-**"):
        assert shown in out
    assert CPF not in out
    assert "52998224725" not in out


def test_json_rows_and_each_filter(capsys: pytest.CaptureFixture[str], db: str) -> None:
    rows = _json(capsys, db)
    assert rows[0] == {
        "sequence": 1,
        "at": "2026-06-01T10:00:00+00:00",
        "actor": "u-sac",
        "action": "export_requested",
        "query": "cpf = ***.982.247-**",
        "customers": 1,
        "detail": "",
    }
    assert [r["sequence"] for r in rows] == [1, 2, 3]

    def seqs(*args: str) -> list[object]:
        return [r["sequence"] for r in _json(capsys, db, *args)]

    # local days of the brand (America/Sao_Paulo): 02:00 UTC on the 2nd is still the 1st
    assert seqs("--since", "2026-06-01", "--until", "2026-06-01") == [1, 2]
    assert seqs("--since", "2026-06-02", "--until", "2026-06-30") == [3]
    assert seqs("--action", "history_read", "--customer", "C1") == [3]
    assert seqs("--account", SAC, "--action", "export_downloaded") == [2]
    assert seqs("--account", "u-sac", "--until", "2026-06-30") == [1, 2, 3]
    assert seqs("--account", "u-gerente") == []


def test_pages_and_the_hint_for_the_next_one(capsys: pytest.CaptureFixture[str], db: str) -> None:
    code, out, _ = _run(capsys, *_read(db, "--limit", "2", "--until", "2026-06-30"))
    assert code == 0
    assert out.rstrip().endswith("more entries: add --after 2")
    assert [r["sequence"] for r in _json(capsys, db, "--after", "2", "--until", "2026-06-30")] == [
        3
    ]
    code, out, _ = _run(capsys, *_read(db, "--since", "2027-01-01"))
    assert (code, out.strip()) == (0, "no data-access log entries match")


def test_each_read_is_logged_and_the_chain_verifies(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    _json(capsys, db, "--customer", "529.982.247-25")
    reads = _json(capsys, db, "--action", "access_log_read")
    assert [(r["actor"], r["query"], r["customers"], r["detail"]) for r in reads] == [
        ("u-admin", "customer_id=***.982.247-**; after=0 limit=100", 1, "0 entries read")
    ]
    code, out, err = _run(capsys, "audit", "verify", "--db", db)
    assert code == 0, err
    assert "data_access: ok, 5 entries" in out
    database = open_database(db, log_keys=KEYS)
    with database.unit_of_work() as uow:
        audit = [
            (e.actor, getattr(e.action, "value", e.action), e.outcome.value, e.detail)
            for e in uow.audit.iter_all()
        ]
    database.close()
    assert [a[:3] for a in audit] == [("u-admin", "read_access_log", "allowed")] * 2
    assert CPF not in audit[0][3]


@pytest.mark.parametrize("who", [SAC, MANAGER])
def test_the_call_center_and_a_manager_are_refused(
    capsys: pytest.CaptureFixture[str], db: str, who: str
) -> None:
    code, out, err = _run(capsys, *_read(db, actor=who))
    assert (code, out) == (1, "")
    assert err.startswith("error: ")
    assert "may not read_access_log" in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (("--since", "2026-13-01"), 2, "--since: expected YYYY-MM-DD"),
        (("--until", "junho"), 2, "--until: expected YYYY-MM-DD"),
        (("--since", "2026-06-02", "--until", "2026-06-01"), 2, "is before --since"),
        (("--action", "export"), 2, "--action must be one of"),
        (("--limit", "0"), 2, "--limit must be 1 to 1000"),
        (("--limit", "1001"), 2, "--limit must be 1 to 1000"),
        (("--after", "-1"), 2, "--after must be 0 or a sequence number"),
        (("--account", "ninguem@example.com"), 1, "error: "),
        (("--account", "u-ninguem"), 1, "error: "),
    ],
)
def test_bad_input_is_one_line(
    capsys: pytest.CaptureFixture[str], db: str, args: tuple[str, ...], code: int, says: str
) -> None:
    got, out, err = _run(capsys, *_read(db, *args))
    assert got == code
    assert out == ""
    assert says in " ".join(err.split())
    if code == 1:
        assert len(err.strip().splitlines()) == 1
        assert "not found" in err.lower() or "no account" in err.lower()
    reads = _json(capsys, db, "--action", "access_log_read")
    assert reads == []  # nothing was read, so nothing was logged


def test_an_unknown_acting_account_is_one_line(capsys: pytest.CaptureFixture[str], db: str) -> None:
    code, _out, err = _run(capsys, *_read(db, actor="ninguem@example.com"))
    assert code == 1
    assert err.startswith("error: ")
    assert len(err.strip().splitlines()) == 1


def test_without_a_log_key_the_read_fails_as_one_line(
    capsys: pytest.CaptureFixture[str], db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OTOCORE_LOG_KEY")
    code, out, err = _run(capsys, *_read(db))
    assert (code, out) == (1, "")
    assert err.startswith("error: ")
    assert "key" in err
    assert len(err.strip().splitlines()) == 1
