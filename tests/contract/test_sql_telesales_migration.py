"""Telesales in SQL: migration 0006 (a shared cart's link, the policy) and what the rows hold.

The storage contract (otocore.testing.storage.TelesalesContract) runs the
repository on every store; these are the SQL-only checks, on an SQLite file
and PostgreSQL: a 0005 database with telesales orders upgrades to 0006 and
back keeping every order with its items and history (SQLite rebuilds the
table, and its foreign keys cascade), the link's columns are all NULL or
whole, the settings table holds one row, and a stored policy that no longer
loads is a ValidationError naming the table.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest
import sqlalchemy as sa
from alembic import command

from otocore.adapters.sql import _tables as t
from otocore.adapters.sql import current_revision, head_revision, open_database, upgrade
from otocore.adapters.sql._engine import create_engine
from otocore.adapters.sql._schema import alembic_config
from otocore.adapters.sql._telesales import _history_rows, _item_rows, _order_row
from otocore.auth import issue_token
from otocore.errors import ValidationError
from otocore.orders import OrderItem
from otocore.telesales import (
    PaymentMethod,
    TelesalesOrder,
    TelesalesPolicy,
    apply_rules,
    complete_shared_cart,
    new_cart,
    place_on_behalf,
    put_item,
    share_cart,
)

AT = datetime(2026, 5, 10, 13, 0, 0, 123456, tzinfo=UTC)
POLICY = TelesalesPolicy(manual_price_stores=frozenset({"L01"}))
ANA = "ana@marca.com.br"
LINK = ("share_token_hash", "share_issued_at", "share_expires_at", "share_used_at")


def _cart(order_id: str) -> TelesalesOrder:
    cart = new_cart(order_id=order_id, customer_id="C1", store_id="L01", built_by=ANA, at=AT)
    for n, sku in enumerate(("CAMISA-P", "CALCA-42")):
        item = OrderItem(
            sku=sku, quantity=n + 1, list_price=Decimal("100.00"), manual_price=Decimal("80.5")
        )
        cart = put_item(cart, item, policy=POLICY, actor=ANA, at=AT + timedelta(seconds=n))
    return cart


def _waiting(order_id: str) -> TelesalesOrder:
    placed = place_on_behalf(
        _cart(order_id),
        payment_method=PaymentMethod.GATEWAY,
        actor=ANA,
        at=AT + timedelta(minutes=1),
    )
    return apply_rules(placed, policy=POLICY, at=AT + timedelta(minutes=2))


def _migrate(url: str, revision: str, *, down: bool = False) -> None:
    engine = create_engine(url)
    try:
        with engine.connect() as conn, alembic_config(conn) as config:
            (command.downgrade if down else command.upgrade)(config, revision)
            if conn.in_transaction():
                conn.commit()
    finally:
        engine.dispose()


def _counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                table: conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()  # noqa: S608 - fixed names
                for table in ("telesales_orders", "telesales_items", "telesales_history")
            }
    finally:
        engine.dispose()


def _columns(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {c["name"] for c in sa.inspect(conn).get_columns("telesales_orders")}
    finally:
        engine.dispose()


def test_a_0005_database_keeps_its_orders_through_0006_and_back(empty_url: str) -> None:
    _migrate(empty_url, "0005")
    orders = [_waiting("T1"), _cart("T2")]
    engine = create_engine(empty_url)
    try:
        # rows as otocore 0005 wrote them: no share_* columns
        with engine.begin() as conn:
            for order in orders:
                row = {k: v for k, v in _order_row(order).items() if k not in LINK}
                conn.execute(sa.insert(t.telesales_orders), [row])
                conn.execute(sa.insert(t.telesales_items), _item_rows(order))
                conn.execute(sa.insert(t.telesales_history), _history_rows(order, 0))
    finally:
        engine.dispose()
    before = _counts(empty_url)
    assert before == {"telesales_orders": 2, "telesales_items": 4, "telesales_history": 8}

    assert upgrade(empty_url) == head_revision() == "0013"
    assert _counts(empty_url) == before  # SQLite's rebuild cascaded nothing away
    assert set(LINK) <= _columns(empty_url)
    with open_database(empty_url) as db, db.unit_of_work() as uow:
        assert [uow.telesales.get(o.order_id) for o in orders] == orders
        assert uow.telesales.awaiting_authorization() == [orders[0]]
        assert uow.telesales.policy() == TelesalesPolicy(manual_price_stores=frozenset())
        # the upgraded table takes a link and the settings table a policy
        _, record = issue_token(now=AT, ttl=timedelta(days=2), rng_bytes=bytes)
        read = uow.telesales.get("T2")
        shared = share_cart(read, actor=ANA, at=AT + timedelta(hours=1), link=record)
        uow.telesales.save(shared, expected_state=read.state, expected_length=len(read.history))
        uow.telesales.set_policy(POLICY)
    with open_database(empty_url) as db, db.unit_of_work() as uow:
        assert uow.telesales.get("T2") == shared
        assert uow.telesales.policy() == POLICY

    # and back: 0006's downgrade drops its columns and table, and keeps every order
    _migrate(empty_url, "0005", down=True)
    assert current_revision(empty_url) == "0005"
    assert _counts(empty_url) == {
        "telesales_orders": 2,
        "telesales_items": 4,
        "telesales_history": 9,  # T2's sharing
    }
    assert not set(LINK) & _columns(empty_url)
    engine = create_engine(empty_url)
    try:
        with engine.connect() as conn:
            assert "telesales_settings" not in sa.inspect(conn).get_table_names()
    finally:
        engine.dispose()
    assert upgrade(empty_url) == "0013"  # and up again
    with open_database(empty_url) as db, db.unit_of_work() as uow:
        assert uow.telesales.get("T1") == orders[0]
        assert uow.telesales.get("T2") == attrs.evolve(shared, share_link=None)  # 0005 had no link


def _insert_order(conn: sa.Connection, **link: Any) -> None:
    row = _order_row(_cart("T9")) | dict.fromkeys(LINK) | link
    conn.execute(sa.insert(t.telesales_orders), [row])


@pytest.mark.parametrize(
    "missing", ["share_token_hash", "share_issued_at", "share_expires_at"], ids=str
)
def test_a_link_record_is_stored_whole_or_not_at_all(empty_url: str, missing: str) -> None:
    upgrade(empty_url)
    _, record = issue_token(now=AT, ttl=timedelta(days=2), rng_bytes=bytes)
    whole = {
        "share_token_hash": record.token_hash,
        "share_issued_at": record.issued_at,
        "share_expires_at": record.expires_at,
    }
    engine = create_engine(empty_url)
    try:
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
            _insert_order(conn, **(whole | {missing: None}))
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
            _insert_order(conn, share_used_at=AT)  # a use of no link
        with engine.begin() as conn:
            _insert_order(conn, **whole)  # unused: used_at stays NULL
        with engine.connect() as conn:
            names = {c["name"] for c in sa.inspect(conn).get_check_constraints("telesales_orders")}
        assert "ck_telesales_orders_share_link_whole" in names
    finally:
        engine.dispose()


def test_the_settings_table_holds_one_row(empty_url: str) -> None:
    upgrade(empty_url)
    engine = create_engine(empty_url)
    try:
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
            conn.execute(sa.insert(t.telesales_settings), [{"id": 2, "policy": "{}"}])
    finally:
        engine.dispose()
    with open_database(empty_url) as db:
        for policy in (POLICY, TelesalesPolicy(manual_price_stores=frozenset({"L02", "L03"}))):
            with db.unit_of_work() as uow:
                uow.telesales.set_policy(policy)
            with db.unit_of_work() as uow:
                assert uow.telesales.policy() == policy
        with db.engine.connect() as conn:
            rows = conn.execute(sa.select(t.telesales_settings)).all()
    assert len(rows) == 1
    assert rows[0].id == 1
    assert rows[0].policy.startswith('{"manual_price_stores":["L02","L03"],"rules":{"ranges":[')


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("not json", r"not JSON"),
        ('{"manual_price_stores": 5}', r"TelesalesPolicy\.manual_price_stores must be"),
        ('["L01"]', r"TelesalesPolicy must be a JSON object"),
        (
            '{"manual_price_stores": [], "rules": {"ranges": []}, "x": 1}',
            r"TelesalesPolicy\.\S+ .* \(and 1 more\)",
        ),
    ],
    ids=["text", "field", "array", "several"],
)
def test_a_stored_policy_that_no_longer_loads_names_the_table(
    empty_url: str, text: str, why: str
) -> None:
    with open_database(empty_url, upgrade=True) as db:
        with db.engine.begin() as conn:
            conn.execute(sa.insert(t.telesales_settings), [{"id": 1, "policy": text}])
        with db.unit_of_work() as uow, pytest.raises(ValidationError) as info:
            uow.telesales.policy()
        assert info.value.field == "telesales_settings.policy"
        assert info.value.value == text
        assert str(info.value).startswith(
            "telesales_settings.policy does not load as a TelesalesPolicy (stored value): "
        )
        assert info.value.__cause__ is None
        assert len(str(info.value).splitlines()) == 1
        assert re.search(why, str(info.value)), str(info.value)
        with db.unit_of_work() as uow:  # and a new policy replaces it
            uow.telesales.set_policy(POLICY)
        with db.unit_of_work() as uow:
            assert uow.telesales.policy() == POLICY


def test_a_completed_link_comes_back_used(empty_url: str) -> None:
    token, record = issue_token(now=AT, ttl=timedelta(days=2), rng_bytes=bytes)
    shared = share_cart(_cart("T1"), actor=ANA, at=AT + timedelta(minutes=1), link=record)
    done = AT + timedelta(days=1, microseconds=7)
    completed = complete_shared_cart(
        shared, payment_method=PaymentMethod.GATEWAY, customer="C1", at=done, token=token
    )
    with open_database(empty_url, upgrade=True) as db:
        with db.unit_of_work() as uow:
            uow.telesales.add(completed)
        with db.engine.connect() as conn:
            row = conn.execute(sa.select(t.telesales_orders)).one()
        with db.unit_of_work() as uow:
            assert uow.telesales.get("T1") == completed
    assert row.share_token_hash == record.token_hash  # the hash, never the token
    assert token not in {str(value) for value in row}
    assert (row.share_issued_at, row.share_expires_at, row.share_used_at) == (
        record.issued_at,
        record.expires_at,
        done,
    )
