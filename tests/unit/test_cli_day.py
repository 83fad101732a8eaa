"""The seller's day from the command line (issue 12), on the bundled sample brand.

``consent grant|revoke|show``, ``blocks add|remove|list`` and ``contacts register|list`` act as
the ``--as`` account through the audited account service; ``suggestions`` that finds nothing says
why; ``explain`` of an unknown customer is one line and exit code 1; and the tables fit a narrow
terminal with the whole message.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from _support.builders import HASHER
from _support.cli import run as _run
from otocore.accounts import AccountService, SecurityPolicy
from otocore.adapters.mail import InMemoryMailer
from otocore.adapters.sql import open_database
from otocore.auth import Role, normalize_login_email
from otocore.cli import _suggestions, main
from otocore.cli._common import demo_key_beside
from otocore.cli._demo import DEMO_ADMIN
from otocore.clock import SystemClock

ADMIN = DEMO_ADMIN  # admin@example.com, made by the demo
GERENTE = "gerente@example.com"  # store manager of L01
DANIEL = "daniel@example.com"  # seller V005, store L01
HUGO = "hugo@example.com"  # seller V008, store L02
DAY = "2026-11-01"  # the day the demo generated
NEXT = "2026-11-02"


@pytest.fixture(scope="module")
def brand(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's database with its admin and three more accounts, built once; copied per test."""
    path = tmp_path_factory.mktemp("brand") / "demo.sqlite"
    assert main(["demo", "--db", str(path), "--json"]) == 0
    # the demo seals its logs with the key file it wrote beside the database
    database = open_database(str(path), log_keys=demo_key_beside(str(path)))
    service = AccountService(
        database.unit_of_work,
        mailer=InMemoryMailer(),
        clock=SystemClock(),
        policy=SecurityPolicy(app_url="https://app.example.com"),
        hasher=HASHER,
    )
    # the demo made the brand admin (DEMO_ADMIN) for its telesales order
    first = database.unit_of_work()
    with first:
        found = first.accounts.find_by_email(normalize_login_email(ADMIN))
    assert found is not None
    admin = service.principal_for(found.account_id)
    service.create_account(admin, email=GERENTE, roles=[Role.STORE_MANAGER], store_id="L01")
    service.create_account(admin, email=DANIEL, roles=[Role.SELLER], seller_code="V005")
    service.create_account(admin, email=HUGO, roles=[Role.SELLER], seller_code="V008")
    with first:
        _SET_UP.append(len(list(first.audit.iter_all())))
    return path


_SET_UP: list[int] = []  # the audit entries the brand fixture left: the tests read what follows


@pytest.fixture
def db(brand: Path, tmp_path: Path) -> str:
    copy = tmp_path / "brand.sqlite"
    with sqlite3.connect(brand) as source, sqlite3.connect(copy) as target:
        source.backup(target)  # consistent, whatever is still in the write-ahead log
    source.close()
    target.close()
    shutil.copyfile(brand.with_name("demo-log-key.json"), tmp_path / "brand-log-key.json")
    return str(copy)


def _uow(db: str) -> Any:
    return open_database(db, log_keys=demo_key_beside(db)).unit_of_work()


def _audit(db: str) -> list[tuple[str, str]]:
    uow = _uow(db)
    with uow:
        entries = list(uow.audit.iter_all())
    return [
        (str(getattr(e.action, "value", e.action)), e.outcome.value) for e in entries[_SET_UP[-1] :]
    ]


def _carteira(db: str, seller: str) -> list[str]:
    uow = _uow(db)
    with uow:
        return sorted(a.customer_id for a in uow.portfolio.list(seller_code=seller))


def _message_column(out: str) -> str:
    """The text of every table's last column, rows joined by spaces (wrapped lines undone)."""
    cells = [line.split("│")[-2].strip() for line in out.splitlines() if line.count("│") >= 2]
    return " ".join(cell for cell in cells if cell)


def _plain(text: str) -> str:
    """A usage error's text without its box, on one line."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", text).split())


# consent -----------------------------------------------------------------------------------


def test_consent_grant_revoke_and_show_with_when_source_and_who(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    customer = _carteira(db, "V005")[0]
    code, out, err = _run(capsys, "consent", "grant", customer, "--channel", "email",
                          "--source", "customer_request", "--as", DANIEL, "--db", db)  # fmt: skip
    assert code == 0, err
    assert f"email opt-in of {customer} recorded by {DANIEL} (customer_request" in out
    code, out, err = _run(capsys, "consent", "revoke", customer, "--channel", "email",
                          "--source", "brand", "--as", GERENTE, "--db", db)  # fmt: skip
    assert code == 0, err
    code, out, _ = _run(capsys, "consent", "show", customer, "--db", db, "--json")
    assert code == 0
    shown = json.loads(out)
    email = shown["channels"]["email"]
    assert (email["granted"], email["source"], email["recorded_by"]) == (False, "brand", GERENTE)
    assert [(e["channel"], e["granted"], e["source"]) for e in shown["history"][-2:]] == [
        ("email", True, "customer_request"),
        ("email", False, "brand"),
    ]
    assert set(shown["channels"]) == {"whatsapp", "sms", "email", "phone_call", "push"}
    code, out, _ = _run(capsys, "consent", "show", customer, "--db", db)
    assert code == 0
    assert f"Consent of {customer} now" in out
    email_rows = out.split("│ email ")[1].splitlines()[:2]  # the current table's email row
    assert re.fullmatch(r"\s*│ opt-out\s+│ brand\s+│", email_rows[0])
    assert re.fullmatch(rf"│\s+│ \d{{4}}-\d\d-\d\d \d\d:\d\d\s+│ {GERENTE}\s+│", email_rows[1])
    assert "History" in out
    assert _audit(db) == [("manage_consent", "allowed")] * 2


def test_consent_outside_the_sellers_carteira_is_denied_in_one_line(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    other = _carteira(db, "V008")[0]  # a customer of store L02
    for actor in (DANIEL, GERENTE):
        code, _, err = _run(capsys, "consent", "grant", other, "--channel", "sms",
                            "--source", "customer_request", "--as", actor, "--db", db)  # fmt: skip
        assert code == 1
        assert err.startswith("error: ")
        assert err.count("\n") == 1
        assert "may not manage_consent on store L02, seller V008" in err
    code, _, err = _run(capsys, "consent", "grant", other, "--channel", "sms",
                        "--source", "customer_request", "--as", HUGO, "--db", db)  # fmt: skip
    assert code == 0, err
    assert _audit(db) == [("manage_consent", "denied")] * 2 + [("manage_consent", "allowed")]


def test_consent_usage_and_unknown_customers(capsys: pytest.CaptureFixture[str], db: str) -> None:
    code, _, err = _run(capsys, "consent", "grant", "C000001", "--channel", "fax",
                        "--source", "brand", "--as", ADMIN, "--db", db)  # fmt: skip
    assert code == 2
    assert "--channel must be one of whatsapp, sms, email, phone_call, push, got 'fax'" in _plain(
        err
    )
    code, _, err = _run(capsys, "consent", "show", "C999", "--db", db)
    assert (code, err) == (1, "error: customer 'C999' not found\n")
    code, _, err = _run(capsys, "consent", "revoke", "C999", "--channel", "sms",
                        "--source", "brand", "--as", ADMIN, "--db", db)  # fmt: skip
    assert code == 1
    assert err == "error: Customer 'C999' not found\n"
    assert _audit(db) == [("manage_consent", "failed")]


# blocks ------------------------------------------------------------------------------------


def test_blocks_add_list_remove_any_cpf_formatting(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    code, out, err = _run(capsys, "blocks", "add", "529 982 247 25", "--feature", "campaigns",
                          "--feature", "loyalty", "--reason", "pedido LGPD", "--as", ADMIN,
                          "--db", db)  # fmt: skip
    assert code == 0, err
    assert f"CPF ***.982.247-** blocked for campaigns, loyalty by {ADMIN}" in out
    code, out, _ = _run(capsys, "blocks", "list", "--db", db, "--json")
    assert code == 0
    listed = json.loads(out)
    assert [(b["cpf"], b["feature"], b["reason"], b["by"]) for b in listed] == [
        ("52998224725", "campaigns", "pedido LGPD", ADMIN),
        ("52998224725", "loyalty", "pedido LGPD", ADMIN),
    ]
    code, out, _ = _run(capsys, "blocks", "list", "--feature", "loyalty", "--db", db)
    assert "529.982.247-25" in out
    assert "loyalty" in out
    assert "campaigns" not in out
    code, out, _ = _run(capsys, "blocks", "list", "--date", "2020-01-01", "--db", db)
    assert out == "no CPF is blocked on 2020-01-01\n"
    code, out, err = _run(capsys, "blocks", "remove", "529.982.247-25", "--feature", "loyalty",
                          "--reason", "engano", "--as", ADMIN, "--db", db)  # fmt: skip
    assert code == 0, err
    code, out, _ = _run(capsys, "blocks", "list", "--db", db, "--json")
    assert [b["feature"] for b in json.loads(out)] == ["campaigns"]
    assert _audit(db) == [("manage_blocks", "allowed")] * 2


def test_blocks_history_lists_every_block_and_unblock_in_order(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    code, out, _ = _run(capsys, "blocks", "history", "529.982.247-25", "--db", db)
    assert (code, out) == (0, "CPF 529.982.247-25 was never blocked\n")
    for verb, feature, reason in (
        ("add", "campaigns", "pedido LGPD"),
        ("add", "loyalty", "fraude"),
        ("remove", "campaigns", "cliente voltou a aceitar ofertas"),
    ):
        code, _, err = _run(capsys, "blocks", verb, "52998224725", "--feature", feature,
                            "--reason", reason, "--as", ADMIN, "--db", db)  # fmt: skip
        assert code == 0, err
    code, out, _ = _run(capsys, "blocks", "history", "529 982 247 25", "--db", db, "--json")
    assert code == 0
    history = json.loads(out)
    assert [(h["blocked"], h["features"], h["reason"], h["by"]) for h in history] == [
        (True, ["campaigns"], "pedido LGPD", ADMIN),
        (True, ["loyalty"], "fraude", ADMIN),
        (False, ["campaigns"], "cliente voltou a aceitar ofertas", ADMIN),
    ]
    assert [h["at"] for h in history] == sorted(h["at"] for h in history)
    code, out, _ = _run(capsys, "blocks", "history", "52998224725", "--db", db)
    assert code == 0
    assert "Blocks of CPF 529.982.247-25" in out
    assert out.index("pedido LGPD") < out.index("fraude") < out.index("cliente voltou")
    code, _, err = _run(capsys, "blocks", "history", "529.982.247-26", "--db", db)
    assert (code, err) == (1, "error: CPF has wrong check digits, got '529.982.247-26'\n")


def test_blocks_are_for_brand_admins_and_bad_input_is_one_line(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    code, _, err = _run(capsys, "blocks", "add", "52998224725", "--feature", "campaigns",
                        "--reason", "x", "--as", GERENTE, "--db", db)  # fmt: skip
    assert code == 1
    assert "no role of store_manager grants manage_blocks" in err
    code, _, err = _run(capsys, "blocks", "add", "529.982.247-26", "--feature", "campaigns",
                        "--reason", "x", "--as", ADMIN, "--db", db)  # fmt: skip
    assert (code, err) == (1, "error: CPF has wrong check digits, got '529.982.247-26'\n")
    code, _, err = _run(capsys, "blocks", "add", "52998224725", "--feature", "campanhas",
                        "--reason", "x", "--as", ADMIN, "--db", db)  # fmt: skip
    assert code == 2
    code, _, err = _run(capsys, "blocks", "remove", "111.444.777-35", "--feature", "campaigns",
                        "--reason", "x", "--as", ADMIN, "--db", db)  # fmt: skip
    assert code == 1
    assert "is not blocked for campaigns; nothing to unblock" in err
    assert _audit(db) == [("manage_blocks", "denied"), ("manage_blocks", "failed")]


# contacts ----------------------------------------------------------------------------------


def test_contacts_register_answers_a_suggestion_and_list_shows_it(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    code, out, _ = _run(capsys, "suggestions", "--seller", "V005", "--date", DAY, "--stored",
                        "--db", db, "--json")  # fmt: skip
    first = json.loads(out)[0]
    customer = first["customer_id"]
    code, out, err = _run(
        capsys, "contacts", "register", customer, "--channel", "whatsapp",
        "--suggestion", first["suggestion_id"], "--started", f"{DAY}T10:00", "--minutes", "12",
        "--opt-out", "sms", "--follow-up", "2026-11-20",
        "--follow-up-note", "Chegou o vestido azul tamanho 38", "--product", "SKU-1",
        "--id", "K1", "--as", DANIEL, "--db", db, "--json",
    )  # fmt: skip
    assert code == 0, err
    stored = json.loads(out)
    assert (stored["seller_code"], stored["campaign_id"], stored["in_portfolio"]) == (
        "V005",
        first["campaign_id"],
        True,
    )
    assert stored["finished_at"] == "2026-11-01T13:12:00+00:00"  # 10:00 in São Paulo + 12 min
    assert stored["consent_change"] == {"channel": "sms", "granted": False}
    code, out, _ = _run(capsys, "suggestions", "--seller", "V005", "--date", DAY, "--stored",
                        "--status", "finished", "--db", db, "--json")  # fmt: skip
    assert [s["customer_id"] for s in json.loads(out)] == [customer]
    code, out, _ = _run(capsys, "consent", "show", customer, "--db", db, "--json")
    assert json.loads(out)["channels"]["sms"]["granted"] is False
    code, out, _ = _run(capsys, "contacts", "list", customer, "--db", db, "--json")
    assert [c["contact_id"] for c in json.loads(out)] == ["K1"]
    code, out, _ = _run(capsys, "contacts", "list", customer, "--db", db)
    assert "2026-11-01 10:00" in out
    assert _message_column(out) == (
        "opt-out sms; follow-up 2026-11-20: Chegou o vestido azul tamanho 38"
    )
    assert _audit(db) == [("register_contact", "allowed")]


def test_contacts_register_scopes_and_usage(capsys: pytest.CaptureFixture[str], db: str) -> None:
    customer = _carteira(db, "V005")[0]
    code, _, err = _run(capsys, "contacts", "register", customer, "--channel", "sms",
                        "--as", GERENTE, "--db", db)  # fmt: skip
    assert code == 2
    assert "gerente@example.com is not a seller: name the seller with --seller CODE" in err
    code, out, err = _run(capsys, "contacts", "register", customer, "--channel", "sms",
                          "--seller", "V001", "--as", GERENTE, "--db", db)  # fmt: skip
    assert code == 0, err
    assert "registered for V001 (outside the carteira)" in out
    code, _, err = _run(capsys, "contacts", "register", customer, "--channel", "sms",
                        "--seller", "V001", "--as", DANIEL, "--db", db)  # fmt: skip
    assert code == 1
    assert "may not register_contact on store L01, seller V001" in err
    code, _, err = _run(capsys, "contacts", "register", customer, "--channel", "sms",
                        "--started", "tomorrow", "--as", DANIEL, "--db", db)  # fmt: skip
    assert code == 2
    assert "--started: expected a local time as YYYY-MM-DDTHH:MM, got 'tomorrow'" in _plain(err)
    code, _, err = _run(capsys, "contacts", "register", customer, "--channel", "sms",
                        "--opt-in", "sms", "--opt-out", "sms", "--as", DANIEL, "--db", db)  # fmt: skip
    assert code == 2
    code, _, err = _run(capsys, "contacts", "register", customer, "--channel", "sms",
                        "--suggestion", "nope", "--as", DANIEL, "--db", db)  # fmt: skip
    assert (code, err) == (1, "error: Suggestion 'nope' not found\n")
    code, out, _ = _run(capsys, "contacts", "list", "C999", "--db", db)
    assert code == 1
    assert _audit(db) == [
        ("register_contact", "allowed"),
        ("register_contact", "denied"),
        ("register_contact", "failed"),
    ]


# suggestions that find nothing, explain of an unknown customer -----------------------------


def test_no_suggestions_says_why_counted_by_reason(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    code, out, err = _run(capsys, "suggestions", "--seller", "V005", "--date", NEXT, "--db", db)
    assert code == 0, err
    uow = _uow(db)
    with uow:
        counts = Counter(
            uow.outcomes.get(date(2026, 11, 2), c).outcome.value for c in _carteira(db, "V005")
        )
    assert "suggested" not in counts
    words = {
        "quarantined": "in quarantine",
        "opted_out": "without consent",
        "no_campaign_matched": "matched no campaign",
    }
    assert set(counts) <= set(words)
    expected = ", ".join(
        f"{n} {words[reason]}"
        for reason, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    assert out == f"0 suggestions for V005 on {NEXT}: {expected}\n"
    code, out, err = _run(capsys, "suggestions", "--seller", "V005", "--date", NEXT, "--db", db,
                          "--json")  # fmt: skip
    assert (code, out) == (0, "[]\n")
    assert err == f"0 suggestions for V005 on {NEXT}: {expected}\n"
    code, out, _ = _run(capsys, "suggestions", "--seller", "V005", "--date", "2026-11-09",
                        "--stored", "--db", db)  # fmt: skip
    assert out == (
        "0 suggestions for V005 on 2026-11-09: the day was not generated "
        "(run without --stored to generate it)\n"
    )


def test_explain_of_an_unknown_customer_is_not_found(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    code, out, err = _run(capsys, "explain", "C999", "--date", NEXT, "--db", db)
    assert (code, out, err) == (1, "", "error: customer 'C999' not found\n")
    known = _carteira(db, "V005")[0]
    code, out, _ = _run(capsys, "explain", known, "--date", NEXT, "--db", db)
    assert code == 0
    assert out.startswith(f"{known} on {NEXT}: ")


# tables at a narrow width ------------------------------------------------------------------


def test_the_suggestions_message_wraps_whole_at_60_columns(
    capsys: pytest.CaptureFixture[str], db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = _run(capsys, "suggestions", "--seller", "V005", "--date", DAY, "--stored",
                        "--db", db, "--json")  # fmt: skip
    listed = json.loads(out)
    assert any(len(s["message"]) > 60 for s in listed)

    def narrow(*, stderr: bool = False) -> Console:
        return Console(stderr=stderr, highlight=False, soft_wrap=True, width=60)

    monkeypatch.setattr(_suggestions, "console", narrow)
    code, out, _ = _run(capsys, "suggestions", "--seller", "V005", "--date", DAY, "--stored",
                        "--db", db)  # fmt: skip
    assert code == 0
    assert max(len(line) for line in out.splitlines()) <= 60
    column = _message_column(out)
    for s in listed:
        assert " ".join(s["message"].split()) in column
        assert s["customer_id"] in out


def test_the_suggestions_message_is_whole_with_columns_60(
    capsys: pytest.CaptureFixture[str], db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    code, out, _ = _run(capsys, "suggestions", "--seller", "V005", "--date", DAY, "--stored",
                        "--db", db, "--json")  # fmt: skip
    listed = json.loads(out)
    code, out, _ = _run(capsys, "suggestions", "--seller", "V005", "--date", DAY, "--stored",
                        "--db", db)  # fmt: skip
    assert code == 0
    assert "…" not in out
    column = _message_column(out)
    assert all(" ".join(s["message"].split()) in column for s in listed)


def test_the_new_tables_fit_60_columns_with_their_free_text_whole(
    capsys: pytest.CaptureFixture[str], db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from otocore.cli import _blocks, _consent, _contacts

    def narrow(*, stderr: bool = False) -> Console:
        return Console(stderr=stderr, highlight=False, soft_wrap=True, width=60)

    for module in (_blocks, _consent, _contacts):
        monkeypatch.setattr(module, "console", narrow)
    customer = _carteira(db, "V005")[0]
    note = "Voltar a falar do vestido azul que chegou no tamanho 38, na cor que ela pediu"
    code, _, err = _run(capsys, "contacts", "register", customer, "--channel", "whatsapp",
                        "--follow-up", "2026-12-20", "--follow-up-note", note,
                        "--opt-in", "push", "--as", DANIEL, "--db", db)  # fmt: skip
    assert code == 0, err
    reason = "pedido do titular pelo canal de privacidade, protocolo 2026-000123"
    code, _, err = _run(capsys, "blocks", "add", "52998224725", "--feature", "conecta",
                        "--reason", reason, "--as", ADMIN, "--db", db)  # fmt: skip
    assert code == 0, err
    outputs = [
        _run(capsys, "contacts", "list", customer, "--db", db)[1],
        _run(capsys, "consent", "show", customer, "--db", db)[1],
        _run(capsys, "blocks", "list", "--db", db)[1],
    ]
    for out in outputs:
        assert out
        assert max(len(line) for line in out.splitlines()) <= 60
        assert "…" not in out
    assert note in _message_column(outputs[0])
    assert "seller_app" in outputs[1]  # the contact's opt-in, recorded by the seller app
    assert reason in _message_column(outputs[2])
