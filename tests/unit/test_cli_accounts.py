"""The command line for accounts and seller management, end to end: SQLite and a real SMTP server.

``accounts create|unlock|reset-pin|list`` and ``sellers activate|deactivate`` act as the account
named by ``--as`` through the account service, so every change is authorized and audited. The
e-mails go through a real SMTP server (aiosmtpd on 127.0.0.1): a PIN reaches only its account's
own address and never the command's output.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from _support.builders import SAMPLES
from _support.cli import run as _run
from otocore.access import Outcome, verify_audit_log
from otocore.accounts import AccountService, SecurityPolicy
from otocore.adapters.mail import InMemoryMailer
from otocore.adapters.sql import open_database
from otocore.auth import SecretHasher, normalize_login_email
from otocore.cli import app
from otocore.clock import SystemClock
from otocore.errors import AuthenticationFailed, RuleViolation, ValidationError

ADMIN = "admin@example.com"
ADMIN_PASSWORD = "cavalo correto bateria grampo"  # noqa: S105 - a test secret
ADMIN_PIN = "482913"
GERENTE = "gerente.l01@example.com"
ANA = "ana.souza@example.com"
APP_URL = "http://localhost:8000"


@pytest.fixture
def outbox(smtp_server: Any, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """SMTP settings in the environment, as an operator would set them; the server's inbox.

    ``smtp_server`` comes from tests/unit/conftest.py; the inbox holds its ``ReceivedMail``
    objects (``rcpt_tos``, ``subject``, ``body``, the parsed ``message``).
    """
    for name, value in {
        "OTOCORE_SMTP_HOST": smtp_server.host,
        "OTOCORE_SMTP_PORT": str(smtp_server.port),
        "OTOCORE_SMTP_STARTTLS": "false",
        "OTOCORE_SMTP_USER": smtp_server.user,
        "OTOCORE_SMTP_PASSWORD": smtp_server.password,
        "OTOCORE_MAIL_FROM": "oto@brisa.example.com",
        "OTOCORE_APP_URL": APP_URL,
    }.items():
        monkeypatch.setenv(name, value)
    received: list[Any] = smtp_server.received
    return received


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """docs/samples in SQLite (V01, V02 in L01; V03 and inactive V04 in L02) and a brand admin."""
    path = str(tmp_path / "brand.sqlite")
    assert _run(capsys, "db", "upgrade", path)[0] == 0
    assert _run(capsys, "import", str(SAMPLES), "--db", path)[0] == 0
    result = _bootstrap(
        path, ADMIN, f"{ADMIN_PASSWORD}\n{ADMIN_PASSWORD}\n{ADMIN_PIN}\n{ADMIN_PIN}\n"
    )
    assert result.exit_code == 0, result.output
    return path


def _bootstrap(db: str, address: str, typed: str) -> Any:
    return CliRunner().invoke(
        app, ["accounts", "create", address, "--bootstrap", "--db", db], input=typed
    )


def _accounts(capsys: pytest.CaptureFixture[str], db: str) -> dict[str, dict[str, Any]]:
    code, out, err = _run(capsys, "accounts", "list", "--db", db, "--json")
    assert code == 0, err
    assert "$argon2" not in out  # never a hash
    return {row["email"]: row for row in json.loads(out)}


def _stored(db: str, address: str) -> Any:
    uow = open_database(db).unit_of_work()
    with uow:
        return uow.accounts.find_by_email(normalize_login_email(address))


def _audit(db: str) -> list[Any]:
    uow = open_database(db).unit_of_work()
    with uow:
        return list(uow.audit.iter_all())


def _pin_in(body: str) -> str:
    found = re.findall(r"(?<!\d)\d{6}(?!\d)", body)
    assert len(found) == 1, body
    return found[0]


def _token_in(body: str, page: str) -> str:
    found = re.search(rf"{re.escape(APP_URL)}/{page}\?token=([A-Za-z0-9_\-]+)", body)
    assert found, body
    return found.group(1)


def _service(db: str) -> AccountService:
    """The library's service on the same database, for what the CLI does not do (login)."""
    return AccountService(
        open_database(db).unit_of_work,
        mailer=InMemoryMailer(),
        clock=SystemClock(),  # the command line issued its tokens at the wall clock's now
        policy=SecurityPolicy(app_url=APP_URL),
    )


def _create_gerente(capsys: pytest.CaptureFixture[str], db: str) -> tuple[int, str, str]:
    return _run(
        capsys, "accounts", "create", GERENTE, "--role", "store_manager", "--store", "L01",
        "--as", ADMIN, "--db", db,
    )  # fmt: skip


def _create_ana(capsys: pytest.CaptureFixture[str], db: str) -> tuple[int, str, str]:
    return _run(
        capsys, "accounts", "create", ANA, "--role", "seller", "--seller", "V01",
        "--as", GERENTE, "--db", db,
    )  # fmt: skip


# bootstrap --------------------------------------------------------------------------


def test_bootstrap_stores_the_first_admin_with_only_hashes_and_audits_it(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    admin = _stored(db, ADMIN)
    assert [r.value for r in admin.roles] == ["brand_admin"]
    hasher = SecretHasher()
    assert hasher.verify(admin.password_hash, ADMIN_PASSWORD)
    assert hasher.verify(admin.pin_hash, ADMIN_PIN)
    assert not hasher.needs_rehash(admin.password_hash)  # production parameters
    (entry,) = _audit(db)
    assert entry.actor == "bootstrap"
    assert entry.outcome is Outcome.ALLOWED
    row = _accounts(capsys, db)[ADMIN]
    assert row["roles"] == ["brand_admin"]
    assert row["password_set"] is True
    assert row["pin_set"] is True
    code, out, _ = _run(capsys, "accounts", "list", "--db", db)
    assert code == 0
    assert ADMIN in out
    assert "argon2" not in out


def test_bootstrap_prompts_hide_what_is_typed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(tmp_path / "fresh.sqlite")
    assert _run(capsys, "db", "upgrade", path)[0] == 0
    typed = f"{ADMIN_PASSWORD}\n{ADMIN_PASSWORD}\n{ADMIN_PIN}\n{ADMIN_PIN}\n"
    result = _bootstrap(path, "Admin@Example.COM ", typed)
    assert result.exit_code == 0, result.output
    assert "Password" in result.output
    assert "Repeat for confirmation" in result.output
    assert "PIN (6 digits)" in result.output
    assert ADMIN_PASSWORD not in result.output
    assert ADMIN_PIN not in result.output
    assert "brand admin" in result.output
    assert _stored(path, ADMIN) is not None  # the e-mail was normalised


def test_bootstrap_confirmation_must_match(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(tmp_path / "fresh.sqlite")
    assert _run(capsys, "db", "upgrade", path)[0] == 0
    typed = f"{ADMIN_PASSWORD}\noutra senha qualquer\n{ADMIN_PASSWORD}\n{ADMIN_PASSWORD}\n"
    typed += f"{ADMIN_PIN}\n{ADMIN_PIN}\n"
    result = _bootstrap(path, ADMIN, typed)
    assert result.exit_code == 0, result.output
    assert "do not match" in result.output
    assert SecretHasher().verify(_stored(path, ADMIN).password_hash, ADMIN_PASSWORD)


def test_bootstrap_refuses_bad_secrets_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(tmp_path / "fresh.sqlite")
    assert _run(capsys, "db", "upgrade", path)[0] == 0
    for password, pin in (
        ("senha", ADMIN_PIN),
        (ADMIN_PASSWORD, "12a456"),
        (ADMIN_PASSWORD, "4829"),
    ):
        result = _bootstrap(path, ADMIN, f"{password}\n{password}\n{pin}\n{pin}\n")
        assert result.exit_code == 1
        assert isinstance(result.exception, ValidationError)
        assert password not in str(result.exception)
        assert pin not in str(result.exception)
        assert _accounts(capsys, path) == {}
        assert _audit(path) == []


def test_bootstrap_only_creates_the_first_account(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    result = _bootstrap(db, "outro@example.com", "x\nx\n")
    assert result.exit_code == 1
    assert isinstance(result.exception, RuleViolation)
    assert "Password" not in result.output  # refused before asking for any secret
    assert list(_accounts(capsys, db)) == [ADMIN]
    code, _, err = _run(
        capsys, "accounts", "create", "x@example.com", "--bootstrap", "--role", "seller",
        "--db", db,
    )  # fmt: skip
    assert code == 2
    assert "--bootstrap" in err


# create, reset-pin: e-mail through a real SMTP server ---------------------------------


def test_create_sends_welcome_and_pin_only_to_the_new_account(
    capsys: pytest.CaptureFixture[str], db: str, outbox: list[Any], smtp_server: Any
) -> None:
    code, out, err = _create_gerente(capsys, db)
    assert code == 0, err
    assert {tuple(m.rcpt_tos) for m in outbox} == {(GERENTE,)}
    assert len(outbox) == 2
    # from the environment only
    assert smtp_server.logins == [(smtp_server.user, smtp_server.password)] * 2
    pin = _pin_in(next(m.body for m in outbox if f"{APP_URL}/nova-senha" not in m.body))
    _token_in(next(m.body for m in outbox if f"{APP_URL}/nova-senha" in m.body), "nova-senha")
    assert pin not in out + err
    assert smtp_server.password not in out + err
    gerente = _stored(db, GERENTE)
    assert [r.value for r in gerente.roles] == ["store_manager"]
    assert gerente.store_id == "L01"
    assert gerente.password_hash is None
    assert gerente.state.must_change_password
    assert SecretHasher().verify(gerente.pin_hash, pin)

    outbox.clear()
    code, out, err = _create_ana(capsys, db)  # --store defaults to V01's store
    assert code == 0, err
    assert {tuple(m.rcpt_tos) for m in outbox} == {(ANA,)}
    assert _pin_in(next(m.body for m in outbox if "nova-senha" not in m.body)) not in out + err
    ana = _stored(db, ANA)
    assert (ana.seller_code, ana.store_id) == ("V01", "L01")
    assert verify_audit_log(_audit(db)).ok
    assert [(e.actor, e.action.value, e.outcome) for e in _audit(db)[1:]] == [
        (_stored(db, ADMIN).account_id, "create_user", Outcome.ALLOWED),
        (gerente.account_id, "create_user", Outcome.ALLOWED),
    ]


def test_the_emailed_pin_and_password_link_let_the_seller_log_in(
    capsys: pytest.CaptureFixture[str], db: str, outbox: list[Any]
) -> None:
    assert _create_gerente(capsys, db)[0] == 0
    outbox.clear()
    assert _create_ana(capsys, db)[0] == 0
    welcome = next(m.body for m in outbox if "nova-senha" in m.body)
    first_pin = _pin_in(next(m.body for m in outbox if "nova-senha" not in m.body))
    service = _service(db)
    service.reset_password(_token_in(welcome, "nova-senha"), "minha senha de vendedora")
    assert service.login(ANA, "minha senha de vendedora", first_pin).seller_code == "V01"

    outbox.clear()
    code, out, err = _run(capsys, "accounts", "reset-pin", ANA, "--as", GERENTE, "--db", db)
    assert code == 0, err
    (sent,) = outbox
    assert sent.rcpt_tos == [ANA]
    new_pin = _pin_in(sent.body)
    assert new_pin not in out + err
    assert "reset" in out
    with pytest.raises(
        AuthenticationFailed, match=r"^login refused: wrong e-mail, password or PIN$"
    ):
        service.login(ANA, "minha senha de vendedora", first_pin)  # the old PIN stopped working
    assert service.login(ANA, "minha senha de vendedora", new_pin).account_id


def test_pin_link_delivery_sends_no_secret(
    capsys: pytest.CaptureFixture[str], db: str, outbox: list[Any]
) -> None:
    assert _create_gerente(capsys, db)[0] == 0
    assert _create_ana(capsys, db)[0] == 0
    outbox.clear()
    code, out, err = _run(
        capsys, "accounts", "reset-pin", ANA, "--as", GERENTE, "--pin-delivery", "email_link",
        "--db", db,
    )  # fmt: skip
    assert code == 0, err
    (sent,) = outbox
    assert sent.rcpt_tos == [ANA]
    _token_in(sent.body, "novo-pin")
    assert _stored(db, ANA).pin_hash is None
    assert "link" in out


def test_managers_act_only_on_their_store_and_never_on_themselves(
    capsys: pytest.CaptureFixture[str], db: str, outbox: list[Any]
) -> None:
    assert _create_gerente(capsys, db)[0] == 0
    before = len(_audit(db))
    outbox.clear()
    code, _, err = _run(
        capsys, "accounts", "create", "novo.admin@example.com", "--role", "brand_admin",
        "--as", GERENTE, "--db", db,
    )  # fmt: skip
    assert code == 1
    assert "may not" in err or "grant" in err
    code, _, err = _run(
        capsys, "accounts", "create", "carla@example.com", "--role", "seller", "--seller", "V03",
        "--as", GERENTE, "--db", db,
    )  # fmt: skip
    assert code == 1
    assert "L02" in err
    code, _, err = _run(capsys, "accounts", "reset-pin", GERENTE, "--as", GERENTE, "--db", db)
    assert code == 1
    assert "own account" in err
    assert outbox == []
    assert set(_accounts(capsys, db)) == {ADMIN, GERENTE}
    log = _audit(db)
    assert verify_audit_log(log).ok
    assert len(log) == before + 3
    assert {e.outcome for e in log[before:]} == {Outcome.DENIED}


def test_missing_smtp_settings_are_a_usage_error_and_change_nothing(
    capsys: pytest.CaptureFixture[str],
    db: str,
    outbox: list[Any],
    smtp_server: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert _create_gerente(capsys, db)[0] == 0
    outbox.clear()
    accounts, log = _accounts(capsys, db), _audit(db)
    gerente_pin = _stored(db, GERENTE).pin_hash

    monkeypatch.delenv("OTOCORE_SMTP_HOST")
    monkeypatch.delenv("OTOCORE_APP_URL")
    code, _, err = _run(capsys, "accounts", "reset-pin", GERENTE, "--as", ADMIN, "--db", db)
    assert code == 2
    assert "--smtp-host (OTOCORE_SMTP_HOST)" in err
    assert "--app-url (OTOCORE_APP_URL)" in err
    code, _, err = _create_ana(capsys, db)
    assert code == 2
    monkeypatch.setenv("OTOCORE_SMTP_HOST", smtp_server.host)
    monkeypatch.setenv("OTOCORE_APP_URL", APP_URL)

    monkeypatch.delenv("OTOCORE_SMTP_PASSWORD")
    code, _, err = _run(capsys, "accounts", "reset-pin", GERENTE, "--as", ADMIN, "--db", db)
    assert code == 2
    assert "OTOCORE_SMTP_PASSWORD" in err
    code, _, err = _run(
        capsys, "accounts", "reset-pin", GERENTE, "--as", ADMIN, "--db", db,
        "--smtp-password", smtp_server.password,
    )  # fmt: skip
    assert code == 2  # there is no such option: a password on the command line would leak
    assert "No such option" in err

    assert outbox == []
    assert _accounts(capsys, db) == accounts
    assert _audit(db) == log
    assert _stored(db, GERENTE).pin_hash == gerente_pin


def test_a_failing_smtp_server_is_reported(
    capsys: pytest.CaptureFixture[str],
    db: str,
    outbox: list[Any],
    free_port: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert _create_gerente(capsys, db)[0] == 0
    monkeypatch.setenv("OTOCORE_SMTP_PORT", str(free_port))  # nobody listens there
    code, out, err = _run(capsys, "accounts", "reset-pin", GERENTE, "--as", ADMIN, "--db", db)
    assert code == 1
    assert "could not be sent" in err
    assert "Traceback" not in out + err


# unlock -----------------------------------------------------------------------------


def test_unlock_clears_the_lock_and_requires_a_new_password(
    capsys: pytest.CaptureFixture[str], db: str, outbox: list[Any]
) -> None:
    assert _create_gerente(capsys, db)[0] == 0
    assert _create_ana(capsys, db)[0] == 0
    service = _service(db)
    welcome = next(m.body for m in outbox if m.rcpt_tos == [ANA] and "nova-senha" in m.body)
    service.reset_password(_token_in(welcome, "nova-senha"), "minha senha de vendedora")
    for _ in range(5):
        with pytest.raises(
            AuthenticationFailed,
            match=r"^login refused: (wrong e-mail, password or PIN|the account is locked)",
        ):
            service.login(ANA, "senha errada!", "000000")
    assert _accounts(capsys, db)[ANA]["locked"] is True
    code, out, _ = _run(capsys, "accounts", "list", "--store", "L01", "--db", db)
    assert code == 0
    assert "locked" in out

    code, _, err = _run(capsys, "accounts", "unlock", GERENTE, "--as", GERENTE, "--db", db)
    assert code == 1
    assert "own account" in err
    code, out, err = _run(
        capsys, "accounts", "unlock", "ANA.Souza@example.com", "--as", GERENTE, "--db", db
    )
    assert code == 0, err
    assert "esqueceu senha" in out
    row = _accounts(capsys, db)[ANA]
    assert (row["locked"], row["must_change_password"], row["password_set"]) == (False, True, False)
    with pytest.raises(AuthenticationFailed) as info:
        service.login(ANA, "minha senha de vendedora", "000000")
    assert info.value.reason == "new_password_required"
    code, _, err = _run(
        capsys, "accounts", "unlock", "ninguem@example.com", "--as", GERENTE, "--db", db
    )
    assert code == 1
    assert "not found" in err


# sellers activate / deactivate --as ----------------------------------------------------


def test_sellers_activate_and_deactivate_act_as_an_account(
    capsys: pytest.CaptureFixture[str], db: str, outbox: list[Any]
) -> None:
    assert _create_gerente(capsys, db)[0] == 0
    outbox.clear()
    code, out, err = _run(
        capsys, "sellers", "deactivate", "V02", "--to", "V01", "--as-of", "2026-06-01",
        "--as", GERENTE, "--db", db, "--json",
    )  # fmt: skip
    assert code == 0, err
    assert set(json.loads(out).values()) <= {"V01"}
    code, out, _ = _run(capsys, "sellers", "list", "--status", "inactive", "--db", db, "--json")
    assert {s["code"] for s in json.loads(out)} == {"V02", "V04"}

    code, out, err = _run(capsys, "sellers", "activate", "V02", "--as", GERENTE, "--db", db)
    assert code == 0, err
    assert "V02 activated" in out
    code, out, _ = _run(capsys, "sellers", "list", "--status", "inactive", "--db", db, "--json")
    assert {s["code"] for s in json.loads(out)} == {"V04"}

    code, _, err = _run(capsys, "sellers", "activate", "V04", "--as", GERENTE, "--db", db)
    assert code == 1  # V04 is a seller of L02
    assert "L02" in err
    code, _, err = _run(capsys, "sellers", "activate", "V99", "--as", ADMIN, "--db", db)
    assert code == 1
    assert "not found" in err
    code, _, err = _run(
        capsys, "sellers", "activate", "V04", "--as", "ninguem@example.com", "--db", db
    )
    assert code == 1
    assert "Account 'ninguem@example.com' not found" in err
    code, _, err = _run(capsys, "sellers", "activate", "V04", "--db", db)
    assert code == 2
    assert "--as" in err
    code, out, _ = _run(capsys, "sellers", "list", "--status", "inactive", "--db", db, "--json")
    assert {s["code"] for s in json.loads(out)} == {"V04"}

    log = _audit(db)
    assert verify_audit_log(log).ok
    gerente = _stored(db, GERENTE).account_id
    admin = _stored(db, ADMIN).account_id
    assert [(e.actor, e.action.value, e.outcome) for e in log[2:]] == [
        (gerente, "deactivate_seller", Outcome.ALLOWED),
        (gerente, "activate_seller", Outcome.ALLOWED),
        (gerente, "activate_seller", Outcome.DENIED),
        (admin, "activate_seller", Outcome.FAILED),
    ]
    assert outbox == []
