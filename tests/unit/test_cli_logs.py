"""``otocore audit``: log keys (new and rotated), head export, verification, one-line errors."""

from __future__ import annotations

import json
import sqlite3
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from _support.cli import run
from otocore.access import Action, Outcome, Target, append_entry
from otocore.adapters.sql import open_database
from otocore.cli import app
from otocore.cli._keys import read_key_file
from otocore.history import AccessAction, AccessEvent, HistoryChange, HistoryReason

ADMIN = "admin@example.com"
SECRET = "cavalo correto bateria grampo"  # noqa: S105 - a test account's password
PIN = "482913"
AT = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def keyed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[str, Path]:
    """A database whose logs hold keyed entries (a bootstrap, a history change, an access)."""
    monkeypatch.delenv("OTOCORE_LOG_KEY", raising=False)
    keys = tmp_path / "keys.json"
    db = str(tmp_path / "brand.sqlite")
    assert run(capsys, "audit", "new-key", "2026-01", "--key-file", str(keys))[0] == 0
    monkeypatch.setenv("OTOCORE_LOG_KEY_FILE", str(keys))
    assert run(capsys, "db", "upgrade", db)[0] == 0
    typed = f"{SECRET}\n{SECRET}\n{PIN}\n{PIN}\n"
    result = CliRunner().invoke(
        app, ["accounts", "create", ADMIN, "--bootstrap", "--db", db], input=typed
    )
    assert result.exit_code == 0, result.output
    with (
        open_database(db, log_keys=read_key_file(keys)) as database,
        database.unit_of_work().writing() as uow,
    ):
        uow.customer_history.append(
            HistoryChange(
                customer_id="C1",
                field="email",
                old_value=None,
                new_value="a@b.co",
                actor="u-sac",
                at=AT,
                reason=HistoryReason.SAC_CALL,
            )
        )
        uow.access_log.append(AccessEvent(actor="u-sac", at=AT, action=AccessAction.HISTORY_READ))
    return db, keys


def _append_audit(db: str, keys: Path) -> None:
    with (
        open_database(db, log_keys=read_key_file(keys)) as database,
        database.unit_of_work().writing() as uow,
    ):
        uow.audit.append(
            append_entry(
                uow.audit.tail(),
                at=AT,
                actor="u-admin",
                action=Action.CREATE_USER,
                target=Target(store_id="L01"),
                outcome=Outcome.ALLOWED,
            )
        )


def _tamper(db: str, *statements: str) -> None:
    """What someone with write access to the file can do: drop the triggers, then write."""
    with sqlite3.connect(db) as conn:
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        ).fetchall():
            conn.execute(f'DROP TRIGGER "{name}"')
        for statement in statements:
            conn.execute(statement)


def test_new_key_creates_a_private_key_file_and_rotates_keeping_old_keys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keys = tmp_path / "keys.json"
    code, out, _ = run(capsys, "audit", "new-key", "2026-01", "--key-file", str(keys))
    assert code == 0
    assert "2026-01 is now current" in out
    assert stat.S_IMODE(keys.stat().st_mode) == 0o600
    code, out, _ = run(capsys, "audit", "new-key", "2026-06", "--key-file", str(keys))
    assert code == 0
    assert "keeping 1 older key" in out
    ring = read_key_file(keys)
    assert (ring.current, sorted(ring.keys)) == ("2026-06", ["2026-01", "2026-06"])
    assert "secret" not in out
    assert json.loads(keys.read_text())["current"] == "2026-06"
    code, _, err = run(capsys, "audit", "new-key", "2026-06", "--key-file", str(keys))
    assert code == 2
    assert "already has a key '2026-06'" in err
    assert read_key_file(keys) == ring  # unchanged


def test_verify_and_head_of_keyed_logs(
    keyed: tuple[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, keys = keyed
    head = tmp_path / "audit.head"
    code, out, err = run(capsys, "audit", "head", "--db", db, "--out", str(head))
    assert code == 0, err
    assert json.loads(head.read_text())["log"] == "audit"
    history_head = tmp_path / "history.head"
    assert run(capsys, "audit", "head", "--db", db, "--out", str(history_head),
               "--log", "customer_history")[0] == 0  # fmt: skip
    code, out, err = run(capsys, "audit", "verify", "--db", db, "--head", str(head),
                         "--head", str(history_head))  # fmt: skip
    assert code == 0, err
    assert out.splitlines()[0].startswith("audit: ok and its head, ")
    assert "customer_history: ok and its head, 1 entries" in out
    assert "data_access: ok, 1 entries" in out
    # rotate, append with the new key: the log still verifies, against the old head too
    assert run(capsys, "audit", "new-key", "2026-06", "--key-file", str(keys))[0] == 0
    _append_audit(db, keys)
    code, out, err = run(capsys, "audit", "verify", "--db", db, "--head", str(head))
    assert code == 0, err


def test_a_rewritten_log_fails_verification_in_one_line(
    keyed: tuple[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    db, _ = keyed
    _tamper(db, "UPDATE audit_log SET actor = 'u-outro' WHERE sequence = 1")
    code, _out, err = run(capsys, "audit", "verify", "--db", db)
    assert code == 1
    assert err.startswith("error: the audit log does not verify: entry 1:")
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_a_truncated_log_fails_against_its_head(
    keyed: tuple[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, keys = keyed
    _append_audit(db, keys)
    head = tmp_path / "audit.head"
    assert run(capsys, "audit", "head", "--db", db, "--out", str(head))[0] == 0
    _tamper(db, "DELETE FROM audit_log WHERE sequence = (SELECT max(sequence) FROM audit_log)")
    assert run(capsys, "audit", "verify", "--db", db)[0] == 0  # a shorter chain is valid...
    code, _, err = run(capsys, "audit", "verify", "--db", db, "--head", str(head))
    assert code == 1
    assert "entries were cut from the end" in err


def test_errors_are_one_line(
    keyed: tuple[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db, keys = keyed
    monkeypatch.delenv("OTOCORE_LOG_KEY_FILE")
    code, _, err = run(capsys, "audit", "verify", "--db", db)
    assert code == 1
    assert err.startswith("error: no log keys are configured")
    # a keyed audit log refuses an audited command run without its keys
    code, _, err = run(capsys, "accounts", "create", "x@example.com", "--role", "brand_admin",
                       "--as", ADMIN, "--db", db, "--mail-to-dir", str(tmp_path),
                       "--mail-from", "otocore@example.com", "--app-url", "https://app.example.com")  # fmt: skip
    assert code == 1
    assert "opened without log keys" in err
    monkeypatch.setenv("OTOCORE_LOG_KEY_FILE", str(keys))
    monkeypatch.setenv("OTOCORE_LOG_KEY", "k1:" + "A" * 44)
    code, _, err = run(capsys, "audit", "verify", "--db", db)
    assert code == 1
    assert "set only one" in err
    monkeypatch.delenv("OTOCORE_LOG_KEY")
    code, _, err = run(capsys, "audit", "verify", "--db", db, "--head", str(tmp_path / "none"))
    assert code == 1
    assert err.startswith("error: cannot read the head file")
    empty = str(tmp_path / "empty.sqlite")
    assert run(capsys, "db", "upgrade", empty)[0] == 0
    code, _, err = run(capsys, "audit", "head", "--db", empty, "--out", str(tmp_path / "h"))
    assert code == 1
    assert err.strip() == "error: the audit log is empty: there is no head to export"
