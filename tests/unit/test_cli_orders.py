"""``otocore orders`` (issue 13): telesales from the command line, on SQLite.

Every command acts as the ``--as`` account through the audited telesales service (``complete``
and ``gateway-paid`` excepted: the link's token and the gateway's event are their credentials);
bad input, an unknown order, an illegal transition and a denied permission are one line on
stderr and exit code 1; usage errors exit 2; and the whole flow runs end to end, the invoiced
order landing in the orders RFV reads.
"""

from __future__ import annotations

import json
import re
import shlex
import sqlite3
import subprocess
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from _support.builders import HASHER
from _support.cli import run as _run
from otocore.access import verify_audit_log
from otocore.accounts import AccountService, SecurityPolicy
from otocore.adapters.mail import InMemoryMailer
from otocore.adapters.sql import open_database
from otocore.auth import Role, normalize_login_email
from otocore.cli._orders import DEFAULT_AUTHORIZE_REASON
from otocore.clock import SystemClock
from otocore.customers import Customer
from otocore.orders import Channel
from otocore.sellers import Seller, Store

ADMIN = "admin@example.com"
TELE = "tele@example.com"  # call center, seller record V01
TELE2 = "tele2@example.com"  # call center, no seller record
APROV = "aprov@example.com"  # order approver
ANA = "ana@example.com"  # a store seller: no telesales at all


@pytest.fixture(scope="module")
def brand(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Stores L01 and L02, customers C1 and C2, five accounts; built once, copied per test."""
    path = tmp_path_factory.mktemp("orders") / "brand.sqlite"
    database = open_database(str(path), upgrade=True)
    with database.unit_of_work() as uow:
        uow.stores.add(Store(store_id="L01", name="Loja Centro"))
        uow.stores.add(Store(store_id="L02", name="Loja Norte"))
        uow.sellers.add(Seller(code="V01", name="Televendas", store_id="L01"))
        uow.sellers.add(Seller(code="V02", name="Ana", store_id="L01"))
        for customer_id in ("C1", "C2"):
            uow.customers.add(
                Customer(
                    customer_id=customer_id,
                    name="Cliente",
                    registered_at=datetime(2025, 1, 1, tzinfo=UTC),
                    home_store_id="L01",
                )
            )
    service = AccountService(
        database.unit_of_work,
        mailer=InMemoryMailer(),
        clock=SystemClock(),
        policy=SecurityPolicy(app_url="https://app.example.com"),
        hasher=HASHER,
    )
    first = service.create_first_admin(
        email=ADMIN,
        password="cavalo correto bateria grampo",  # noqa: S106 - a test secret
        pin="482913",
    )
    admin = service.principal_for(first.account_id)
    service.create_account(admin, email=TELE, roles=[Role.CALL_CENTER], seller_code="V01")
    service.create_account(admin, email=TELE2, roles=[Role.CALL_CENTER], store_id="L01")
    service.create_account(admin, email=APROV, roles=[Role.ORDER_APPROVER], store_id="L01")
    service.create_account(admin, email=ANA, roles=[Role.SELLER], seller_code="V02")
    database.close()
    return path


@pytest.fixture
def db(brand: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """A copy of the brand with manual prices enabled in L01 (the default rules: all wait)."""
    copy = tmp_path / "brand.sqlite"
    with sqlite3.connect(brand) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    source.close()
    target.close()
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"manual_price_stores": ["L01"]}), encoding="utf-8")
    code, _, err = _run(capsys, "orders", "policy", "set", str(policy), "--as", ADMIN,
                        "--db", str(copy))  # fmt: skip
    assert code == 0, err
    return str(copy)


def _ok(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code, out, err = _run(capsys, *argv)
    assert code == 0, err
    assert err == ""
    return out


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    return json.loads(_ok(capsys, *argv, "--json"))


def _fails(capsys: pytest.CaptureFixture[str], *argv: str, code: int = 1) -> str:
    """The one line an error prints (exit code ``code``, nothing on stdout, no traceback)."""
    got, out, err = _run(capsys, *argv)
    assert got == code, (out, err)
    assert "Traceback" not in err
    if code == 1:
        assert out == ""
        assert err.startswith("error: ")
        assert err.count("\n") == 1, err
    return " ".join(err.split())


def _cart(capsys: pytest.CaptureFixture[str], db: str, *, manual: str | None = "90,00") -> str:
    """A cart for C1 at L01 by TELE: 2 x A at 100.00 (manual ``manual``) and 1 x B at 50.00."""
    cart = _json(capsys, "orders", "cart", "--customer", "C1", "--store", "L01",
                 "--as", TELE, "--db", db)  # fmt: skip
    order_id = str(cart["order_id"])
    argv = ["orders", "item", order_id, "--sku", "A", "--quantity", "2", "--list-price", "100"]
    if manual is not None:
        argv += ["--manual-price", manual]
    _ok(capsys, *argv, "--as", TELE, "--db", db)
    _ok(capsys, "orders", "item", order_id, "--sku", "B", "--quantity", "1",
        "--list-price", "50.00", "--as", TELE, "--db", db)  # fmt: skip
    return order_id


def _audit(db: str) -> list[tuple[str, str, str]]:
    database = open_database(db)
    try:
        with database.unit_of_work() as uow:
            entries = list(uow.audit.iter_all())
    finally:
        database.close()
    verify_audit_log(entries)
    return [(e.actor, str(getattr(e.action, "value", e.action)), e.outcome.value) for e in entries]


# the whole flow ------------------------------------------------------------------------------


def test_the_whole_flow_places_authorizes_pays_and_invoices_into_the_orders(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    order_id = _cart(capsys, db)
    assert order_id == "T000001"
    out = _ok(capsys, "orders", "place", order_id, "--payment", "promissory_note",
              "--as", TELE, "--db", db)  # fmt: skip
    assert out == (
        "order T000001: awaiting_authorization (customer C1, store L01, 3 items, total 230.00)\n"
    )
    queue = _json(capsys, "orders", "queue", "--as", APROV, "--db", db)
    assert [o["order_id"] for o in queue] == [order_id]
    assert queue[0]["operator_email"] == TELE
    _ok(capsys, "orders", "pay", order_id, "--as", TELE, "--db", db)
    out = _ok(capsys, "orders", "authorize", order_id, "--as", APROV, "--db", db)
    assert "ready_for_invoicing" in out
    invoiced = _json(capsys, "orders", "invoice", order_id, "--as", TELE, "--db", db)
    assert invoiced["state"] == "invoiced"
    assert invoiced["total"] == "230.00"
    assert invoiced["approval"]["decided_by"] == APROV
    assert invoiced["approval"]["reason"] == DEFAULT_AUTHORIZE_REASON
    assert "token_hash" not in json.dumps(invoiced)
    database = open_database(db)
    with database.unit_of_work() as uow:
        completed = uow.orders.get(order_id)
    database.close()
    assert completed.channel is Channel.TELESALES
    assert completed.total == Decimal("230.00")
    assert completed.seller_code == "V01"  # the operator's account names its seller record
    # the history, in the table: from, to, who, when, why
    out = _ok(capsys, "orders", "show", order_id, "--as", APROV, "--db", db)
    assert "order T000001: invoiced (customer C1, store L01, 3 items, total 230.00)" in out
    assert f"approval: authorize by {APROV}" in out
    assert "(these items): manual prices authorized" in out
    for state in ("cart", "placed", "awaiting_authorization", "ready_for_invoicing", "invoiced"):
        assert state in out
    shown = _json(capsys, "orders", "show", order_id, "--as", APROV, "--db", db)
    moves = [(h["from_state"], h["to_state"], h["who"]) for h in shown["history"]]
    assert moves == [
        ("cart", "cart", TELE),  # opened
        ("cart", "cart", TELE),  # item A, manual price
        ("cart", "cart", TELE),  # item B
        ("cart", "placed", TELE),
        ("placed", "awaiting_authorization", "rules"),
        ("awaiting_authorization", "awaiting_authorization", TELE),  # the promissory note
        ("awaiting_authorization", "payment_approved", APROV),  # authorized, and paid
        ("payment_approved", "ready_for_invoicing", "rules"),
        ("ready_for_invoicing", "invoiced", TELE),
    ]
    # every step authorized and audited, in a chain that verifies
    actions = [(actor_action, outcome) for _, actor_action, outcome in _audit(db)]
    for action in ("sell_on_behalf", "view_orders", "approve_order", "invoice_order"):
        assert (action, "allowed") in actions


def test_a_shared_cart_is_completed_by_the_customer_with_no_operator_and_a_gateway_pays_it(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    order_id = _cart(capsys, db, manual=None)
    _fails(capsys, "orders", "share", order_id, "--as", TELE, "--db", db, code=2)  # no app url
    out = _ok(capsys, "orders", "share", order_id, "--app-url", "https://app.example.com",
              "--valid-hours", "24", "--as", TELE, "--db", db)  # fmt: skip
    link = out.splitlines()[1]
    assert out.splitlines()[0].startswith(f"cart {order_id} shared; send the customer this link")
    # sharing again kills the first link; the JSON has the new one and its expiry
    again = _json(capsys, "orders", "share", order_id, "--app-url", "https://app.example.com",
                  "--valid-hours", "24", "--as", TELE, "--db", db)  # fmt: skip
    assert again["link"] != link
    assert again["expires_at"].endswith("+00:00")
    stale = parse_qs(urlsplit(link).query)["token"][0]
    assert _fails(capsys, "orders", "complete", order_id, "--token", stale,
                  "--payment", "gateway", "--db", db) == (
        "error: the link is invalid or has expired; ask for a new one"
    )  # fmt: skip
    link = again["link"]
    assert link.startswith(f"https://app.example.com/carrinho/{order_id}?token=")
    token = parse_qs(urlsplit(link).query)["token"][0]
    assert token not in _ok(capsys, "orders", "show", order_id, "--as", TELE, "--db", db)
    wrong = _fails(capsys, "orders", "complete", order_id, "--token", "x" * 43,
                   "--payment", "gateway", "--db", db)  # fmt: skip
    assert wrong == "error: the link is invalid or has expired; ask for a new one"
    done = _json(capsys, "orders", "complete", order_id, "--token", token,
                 "--payment", "gateway", "--db", db)  # fmt: skip
    assert done["operator_email"] is None
    assert done["built_by"] == TELE
    assert done["state"] == "authorized"  # no manual price: nothing to authorize
    again = _fails(capsys, "orders", "complete", order_id, "--token", token,
                   "--payment", "gateway", "--db", db)  # fmt: skip
    assert again == (
        f"error: order {order_id} is authorized: cannot complete the shared cart (already an order)"
    )
    paid = _json(capsys, "orders", "gateway-paid", order_id, "--event", "evt_1", "--db", db)
    assert (paid["state"], paid["payment_status"]) == ("ready_for_invoicing", "approved")
    assert ("gateway:evt_1", "approve_payment", "allowed") in _audit(db)
    assert ("customer:C1", "complete_shared_cart", "allowed") in _audit(db)


def test_items_prices_and_removal_change_the_cart(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    order_id = _cart(capsys, db)
    order = _json(capsys, "orders", "price", order_id, "--sku", "B", "--price", "1.234,56",
                  "--as", TELE, "--db", db)  # fmt: skip
    prices = {i["sku"]: i["manual_price"] for i in order["items"]}
    assert prices == {"A": "90.00", "B": "1234.56"}
    order = _json(capsys, "orders", "price", order_id, "--sku", "A", "--clear",
                  "--as", TELE, "--db", db)  # fmt: skip
    assert {i["sku"]: i["manual_price"] for i in order["items"]}["A"] is None
    order = _json(capsys, "orders", "remove-item", order_id, "--sku", "B",
                  "--as", TELE, "--db", db)  # fmt: skip
    assert [i["sku"] for i in order["items"]] == ["A"]
    assert order["total"] == "200.00"
    out = _ok(capsys, "orders", "show", order_id, "--as", TELE, "--db", db)
    assert "Items of T000001" in out


def test_reject_cancels_and_cancel_needs_a_reason(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    first = _cart(capsys, db)
    _ok(capsys, "orders", "place", first, "--payment", "gateway", "--as", TELE, "--db", db)
    _fails(capsys, "orders", "reject", first, "--as", APROV, "--db", db, code=2)  # no --reason
    rejected = _json(capsys, "orders", "reject", first, "--reason", "desconto alto demais",
                     "--as", APROV, "--db", db)  # fmt: skip
    assert rejected["state"] == "cancelled"
    assert rejected["history"][-1]["why"].endswith("desconto alto demais")
    assert "no order awaits authorization" in _ok(
        capsys, "orders", "queue", "--as", APROV, "--db", db
    )
    second = _cart(capsys, db)
    _fails(capsys, "orders", "cancel", second, "--as", TELE, "--db", db, code=2)
    cancelled = _json(capsys, "orders", "cancel", second, "--reason", "cliente desistiu",
                      "--as", TELE, "--db", db)  # fmt: skip
    assert cancelled["state"] == "cancelled"


def test_list_filters_by_state_operator_customer_store_and_local_days(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    first = _cart(capsys, db)
    second = _cart(capsys, db)
    _ok(capsys, "orders", "place", first, "--payment", "gateway", "--as", TELE, "--db", db)
    listed = _json(capsys, "orders", "list", "--as", APROV, "--db", db)
    # newest first: placed, or opened for a cart
    assert [o["order_id"] for o in listed] == [first, second]
    by_state = _json(capsys, "orders", "list", "--state", "cart", "--as", APROV, "--db", db)
    assert [o["order_id"] for o in by_state] == [second]
    mine = _json(capsys, "orders", "list", "--operator", "TELE@example.com ",
                 "--as", APROV, "--db", db)  # fmt: skip
    assert [o["order_id"] for o in mine] == [first]
    assert _json(capsys, "orders", "list", "--customer", "C2", "--as", APROV, "--db", db) == []
    assert _json(capsys, "orders", "list", "--store", "L02", "--as", APROV, "--db", db) == []
    assert len(_json(capsys, "orders", "list", "--limit", "1", "--offset", "1",
                     "--as", APROV, "--db", db)) == 1  # fmt: skip
    placed = datetime.fromisoformat(listed[0]["placed_at"])
    from zoneinfo import ZoneInfo

    day = placed.astimezone(ZoneInfo("America/Sao_Paulo")).date().isoformat()
    period = _json(capsys, "orders", "list", "--from", day, "--to", day, "--as", APROV,
                   "--db", db)  # fmt: skip
    assert [o["order_id"] for o in period] == [first]  # a cart has no placement
    assert _json(capsys, "orders", "list", "--to", "2000-01-01", "--as", APROV, "--db", db) == []
    out = _ok(capsys, "orders", "list", "--as", APROV, "--db", db)
    assert "Todos os pedidos" in out
    assert first in out
    assert "no order matches" in _ok(
        capsys, "orders", "list", "--store", "L02", "--as", APROV, "--db", db
    )
    out = _ok(capsys, "orders", "queue", "--as", APROV, "--db", db)
    assert "Awaiting authorization (oldest first)" in out
    assert first in out
    assert second not in out


def test_the_policy_shows_and_sets_from_a_json_file(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    shown = _json(capsys, "orders", "policy", "show", "--db", db)
    assert shown["manual_price_stores"] == ["L01"]
    assert shown["rules"]["ranges"][0]["rule_id"] == "every-manual-price-waits"
    rules = {
        "manual_price_stores": ["L01", "L02"],
        "rules": {
            "ranges": [
                {"rule_id": "raise", "outcome": "wait", "lower": None,
                 "lower_inclusive": False, "upper": "0", "upper_inclusive": False},
                {"rule_id": "small", "outcome": "authorize", "lower": "0",
                 "lower_inclusive": True, "upper": "10", "upper_inclusive": True},
                {"rule_id": "big", "outcome": "deny", "lower": "10",
                 "lower_inclusive": False, "upper": "100", "upper_inclusive": True},
            ]
        },
    }  # fmt: skip
    file = tmp_path / "rules.json"
    file.write_text(json.dumps(rules), encoding="utf-8")
    out = _ok(capsys, "orders", "policy", "set", str(file), "--as", ADMIN, "--db", db)
    assert "manual prices enabled in: L01, L02" in out
    assert _json(capsys, "orders", "policy", "show", "--db", db) == rules
    # the stored rules decide at once: 5% off is authorized, 50% off denied
    small = _cart(capsys, db, manual="95.00")
    placed = _json(capsys, "orders", "place", small, "--payment", "promissory_note",
                   "--as", TELE, "--db", db)  # fmt: skip
    assert placed["state"] == "authorized"
    assert placed["approval"]["decided_by"] == "small"
    big = _cart(capsys, db, manual="50")
    assert _json(capsys, "orders", "place", big, "--payment", "promissory_note",
                 "--as", TELE, "--db", db)["state"] == "cancelled"  # fmt: skip
    # the file shown is a file `set` takes back
    again = tmp_path / "again.json"
    again.write_text(_ok(capsys, "orders", "policy", "show", "--db", db, "--json"), "utf-8")
    _ok(capsys, "orders", "policy", "set", str(again), "--as", ADMIN, "--db", db)


# bad input: one line, exit code 1 ------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "is not JSON"),
        ("[]", "must be a JSON object with manual_price_stores and rules, got 'list'"),
        ('{"manual_price_stores": "L01"}', "manual_price_stores must be a list of store ids"),
        ('{"manual_price_stores": [], "colour": 1}', "only manual_price_stores and rules"),
        ('{"manual_price_stores": [], "rules": "x"}', "rules"),
        (
            '{"manual_price_stores": [], "rules": {"ranges": [{"rule_id": "x", "outcome": '
            '"wait", "lower": null, "lower_inclusive": false, "upper": "99", '
            '"upper_inclusive": true}]}}',
            "leave a gap",
        ),
        (
            '{"manual_price_stores": [], "rules": {"ranges": [{"rule_id": "x"}]}}',
            "ranges[0].outcome is required (and 4 more: ",
        ),
    ],
)
def test_a_bad_policy_file_is_one_line_naming_the_problem(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path, content: str, expected: str
) -> None:
    file = tmp_path / "bad.json"
    file.write_text(content, encoding="utf-8")
    line = _fails(capsys, "orders", "policy", "set", str(file), "--as", ADMIN, "--db", db)
    assert line.startswith(f"error: policy file {file}")
    assert expected in line
    assert _json(capsys, "orders", "policy", "show", "--db", db)["manual_price_stores"] == ["L01"]


def test_a_missing_policy_file_is_one_line(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    line = _fails(capsys, "orders", "policy", "set", str(tmp_path / "none.json"),
                  "--as", ADMIN, "--db", db)  # fmt: skip
    assert (
        line
        == f"error: policy file {tmp_path / 'none.json'} cannot be read as UTF-8 text, got 'FileNotFoundError'"
    )


@pytest.mark.parametrize(
    ("money", "expected"),
    [
        ("abc", "must be an amount such as 199.90 or 199,90"),
        ("-1", "must be >= 0 with at most 2 decimal places"),
        ("10.999", "must be >= 0 with at most 2 decimal places"),
        ("1,2,3", "must be an amount"),
        ("NaN", "must be an amount"),
        ("1e3", "must be an amount"),
    ],
)
def test_bad_money_is_one_line_naming_the_option(
    capsys: pytest.CaptureFixture[str], db: str, money: str, expected: str
) -> None:
    order_id = _cart(capsys, db)
    line = _fails(capsys, "orders", "item", order_id, "--sku", "C", "--quantity", "1",
                  "--list-price", money, "--as", TELE, "--db", db)  # fmt: skip
    assert line.startswith("error: --list-price ")
    assert expected in line
    line = _fails(capsys, "orders", "price", order_id, "--sku", "A", "--price", money,
                  "--as", TELE, "--db", db)  # fmt: skip
    assert line.startswith("error: --price ")


def test_unknown_orders_illegal_transitions_and_denials_are_one_line(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    assert "not found" in _fails(capsys, "orders", "show", "T999", "--as", APROV, "--db", db)
    assert "not found" in _fails(capsys, "orders", "authorize", "T999", "--as", APROV, "--db", db)
    assert "not found" in _fails(
        capsys, "orders", "gateway-paid", "T999", "--event", "e", "--db", db
    )
    order_id = _cart(capsys, db)
    # an illegal transition names the current state and changes nothing
    line = _fails(capsys, "orders", "invoice", order_id, "--as", TELE, "--db", db)
    assert f"order {order_id} is cart" in line
    line = _fails(capsys, "orders", "pay", order_id, "--as", TELE, "--db", db)
    assert "is cart" in line
    # a seller is not in the call center; an operator is not an approver
    assert "may not sell_on_behalf" in _fails(capsys, "orders", "cart", "--customer", "C1",
                                              "--store", "L01", "--as", ANA, "--db", db)  # fmt: skip
    assert "may not view_orders" in _fails(capsys, "orders", "list", "--as", ANA, "--db", db)
    _ok(capsys, "orders", "place", order_id, "--payment", "gateway", "--as", TELE, "--db", db)
    assert "may not approve_order" in _fails(capsys, "orders", "authorize", order_id,
                                             "--as", TELE, "--db", db)  # fmt: skip
    assert "may not invoice_order" in _fails(capsys, "orders", "invoice", order_id,
                                             "--as", APROV, "--db", db)  # fmt: skip
    policy = Path(db).with_name("policy.json")  # the fixture's: a good file
    assert "may not configure_telesales" in _fails(capsys, "orders", "policy", "set",
                                                   str(policy), "--as", TELE, "--db", db)  # fmt: skip
    # a manual price in a store without them is a rule violation
    other = _json(capsys, "orders", "cart", "--customer", "C1", "--store", "L02",
                  "--as", TELE, "--db", db)["order_id"]  # fmt: skip
    line = _fails(capsys, "orders", "item", other, "--sku", "A", "--quantity", "1",
                  "--list-price", "10", "--manual-price", "9", "--as", TELE, "--db", db)  # fmt: skip
    assert "L02" in line
    assert _json(capsys, "orders", "show", other, "--as", TELE, "--db", db)["items"] == []
    # an unknown customer and an unknown account
    assert "not found" in _fails(capsys, "orders", "cart", "--customer", "C9", "--store", "L01",
                                 "--as", TELE, "--db", db)  # fmt: skip
    assert "not found" in _fails(capsys, "orders", "queue", "--as", "ninguem@example.com",
                                 "--db", db)  # fmt: skip
    outcomes = {(action, outcome) for _, action, outcome in _audit(db)}
    assert ("sell_on_behalf", "denied") in outcomes
    assert ("approve_order", "denied") in outcomes
    assert ("view_orders", "failed") in outcomes  # the unknown order, logged FAILED


def test_four_eyes_the_operator_who_set_a_price_cannot_authorize_it(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    # the four-eyes case needs an account that both sells and approves: made on this copy
    database = open_database(db)
    service = AccountService(
        database.unit_of_work,
        mailer=InMemoryMailer(),
        clock=SystemClock(),
        policy=SecurityPolicy(app_url="https://app.example.com"),
        hasher=HASHER,
    )
    with database.unit_of_work() as uow:
        admin = uow.accounts.find_by_email(normalize_login_email(ADMIN))
    assert admin is not None
    service.create_account(
        service.principal_for(admin.account_id),
        email="both@example.com",
        roles=[Role.CALL_CENTER, Role.ORDER_APPROVER],
        store_id="L01",
    )
    database.close()
    cart = _json(capsys, "orders", "cart", "--customer", "C1", "--store", "L01",
                 "--as", "both@example.com", "--db", db)["order_id"]  # fmt: skip
    _ok(capsys, "orders", "item", cart, "--sku", "A", "--quantity", "1", "--list-price", "10",
        "--manual-price", "8", "--as", "both@example.com", "--db", db)  # fmt: skip
    _ok(capsys, "orders", "place", cart, "--payment", "gateway", "--as", "both@example.com",
        "--db", db)  # fmt: skip
    line = _fails(capsys, "orders", "authorize", cart, "--reason", "ok",
                  "--as", "both@example.com", "--db", db)  # fmt: skip
    assert "both@example.com" in line
    shown = _json(capsys, "orders", "show", cart, "--as", APROV, "--db", db)
    assert shown["state"] == "awaiting_authorization"


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], db: str) -> None:
    order_id = _cart(capsys, db)
    _fails(capsys, "orders", "list", "--state", "shipped", "--as", APROV, "--db", db, code=2)
    _fails(capsys, "orders", "list", "--from", "01/11/2026", "--as", APROV, "--db", db, code=2)
    _fails(capsys, "orders", "list", "--from", "2026-11-02", "--to", "2026-11-01",
           "--as", APROV, "--db", db, code=2)  # fmt: skip
    _fails(capsys, "orders", "place", order_id, "--payment", "cash", "--as", TELE, "--db", db,
           code=2)  # fmt: skip
    _fails(capsys, "orders", "price", order_id, "--sku", "A", "--as", TELE, "--db", db, code=2)
    _fails(capsys, "orders", "price", order_id, "--sku", "A", "--price", "1", "--clear",
           "--as", TELE, "--db", db, code=2)  # fmt: skip
    _fails(capsys, "orders", "share", order_id, "--valid-hours", "0", "--app-url",
           "https://a.example.com", "--as", TELE, "--db", db, code=2)  # fmt: skip
    _fails(capsys, "orders", "authorize", "--as", APROV, "--db", db, code=2)


# the docs' walk runs as written ------------------------------------------------------------


def _docs_walk() -> list[str]:
    text = (Path(__file__).resolve().parents[2] / "docs" / "cli.md").read_text("utf-8")
    section = text[text.index("## A walk from cart to invoice") : text.index("## The commands")]
    blocks = re.findall(r"```bash\n(.*?)```", section, re.S)
    return [
        line
        for block in blocks
        for line in block.splitlines()
        if line.strip() and not line.startswith("#")
    ]


@pytest.mark.source_tree
def test_the_docs_walk_runs_as_written_and_prints_what_it_says(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("OTOCORE_SMTP_HOST", "OTOCORE_SMTP_USER", "OTOCORE_SMTP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OTOCORE_MAIL_TO_DIR", "mail")
    monkeypatch.setenv("OTOCORE_MAIL_FROM", "oto@example.com")
    monkeypatch.setenv("OTOCORE_APP_URL", "https://app.example.com")
    # the README's set-up, without the 30,000 orders
    _ok(capsys, "sample", "write", "sample")
    _ok(capsys, "db", "upgrade", "brand.sqlite")
    _ok(capsys, "import", "sample/stores.csv", "sample/sellers.csv", "sample/customers.csv",
        "--db", "brand.sqlite")  # fmt: skip
    database = open_database("brand.sqlite")
    AccountService(
        database.unit_of_work,
        mailer=InMemoryMailer(),
        clock=SystemClock(),
        policy=SecurityPolicy(app_url="https://app.example.com"),
        hasher=HASHER,
    ).create_first_admin(
        email=ADMIN,
        password="cavalo correto bateria grampo",  # noqa: S106 - a test secret
        pin="482913",
    )
    database.close()
    text = (Path(__file__).resolve().parents[2] / "docs" / "cli.md").read_text("utf-8")
    printed = ""
    for line in _docs_walk():
        if line.startswith("echo "):
            subprocess.run(["bash", "-c", line], check=True)  # noqa: S603, S607 - the docs' line
            continue
        argv = shlex.split(line)
        assert argv[0] == "otocore", line
        out = _ok(capsys, *argv[1:])
        if "orders" in argv and argv[2] in ("cart", "place", "authorize"):
            printed = out.strip()
            assert f"\n# {printed}\n" in text, printed  # the comment under the line is true
    assert printed.startswith("order T000001: ready_for_invoicing")
    shown = _json(capsys, "orders", "show", "T000001", "--as", ADMIN, "--db", "brand.sqlite")
    assert (shown["state"], shown["total"]) == ("invoiced", "759.70")


def test_the_tables_fit_sixty_columns_and_keep_every_reason_whole(
    capsys: pytest.CaptureFixture[str], db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    order_id = _cart(capsys, db)
    _ok(capsys, "orders", "place", order_id, "--payment", "gateway", "--as", TELE, "--db", db)
    _cart(capsys, db)  # a second order, left awaiting authorization for the queue
    _ok(capsys, "orders", "place", "T000002", "--payment", "gateway", "--as", TELE, "--db", db)
    reason = "a cliente compra todo mês e pediu o desconto de sempre na camisa"
    _ok(capsys, "orders", "reject", order_id, "--reason", reason, "--as", APROV, "--db", db)
    for argv in (["list"], ["queue"], ["show", order_id], ["policy", "show"]):
        extra = [] if argv[0] == "policy" else ["--as", APROV]
        out = _ok(capsys, "orders", *argv, *extra, "--db", db)
        table = [line for line in out.splitlines() if line[:1] in "┏┃┡│└"]
        assert table, out
        assert max(len(line) for line in table) <= 60, out  # lines of text stay whole
    out = _ok(capsys, "orders", "show", order_id, "--as", APROV, "--db", db)
    cells = [line.split("│")[-2].strip() for line in out.splitlines() if line.count("│") >= 3]
    assert f"rejected: {reason}" in " ".join(cell for cell in cells if cell)


def test_an_approver_binds_the_decision_to_the_items_shown_with_seen(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    order_id = _cart(capsys, db)
    _ok(capsys, "orders", "place", order_id, "--payment", "gateway", "--as", TELE, "--db", db)
    shown = _ok(capsys, "orders", "show", order_id, "--as", APROV, "--db", db)
    seen = shown.split("items digest: ")[1].split()[0]
    assert len(seen) == 12
    # the operator reprices while the approver reads
    _ok(capsys, "orders", "price", order_id, "--sku", "A", "--price", "80", "--as", TELE,
        "--db", db)  # fmt: skip
    line = _fails(capsys, "orders", "authorize", order_id, "--seen", seen, "--as", APROV,
                  "--db", db)  # fmt: skip
    assert "its items changed since they were seen" in line
    line = _fails(capsys, "orders", "reject", order_id, "--reason", "x", "--seen", "abc",
                  "--as", APROV, "--db", db, code=2)  # fmt: skip
    assert "--seen must be at least 12 hex digits" in line
    shown = _ok(capsys, "orders", "show", order_id, "--as", APROV, "--db", db)
    again = shown.split("items digest: ")[1].split()[0]
    out = _ok(capsys, "orders", "authorize", order_id, "--seen", again, "--as", APROV,
              "--db", db)  # fmt: skip
    assert "authorized" in out
