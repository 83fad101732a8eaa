"""``BulkService`` in the library (issue 15, round 4): what the store contract tests do not.

A messenger that fails mid-way, refusals counted by reason, arguments checked before
anything is authorized or written, the unaudited building blocks still working for
library callers, and the permission table's new actions.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from otocore.access import (
    PERMISSIONS,
    Action,
    AuditEntry,
    Outcome,
    Principal,
    Scope,
    Target,
    is_allowed,
)
from otocore.adapters.memory import InMemoryDatabase
from otocore.adapters.messenger import InMemoryMessenger
from otocore.auth import Account, Role, normalize_login_email
from otocore.bulk import (
    RESPONSIBILITY_STATEMENT,
    BulkService,
    SendOutcome,
    add_to_category,
    set_category_discount,
)
from otocore.categories import CategoryDiscount, CustomerCategory
from otocore.clock import FixedClock
from otocore.consent import ConsentEvent, ConsentSource, ContactChannel
from otocore.customers import Customer, Mobile
from otocore.errors import PermissionDenied, ValidationError
from otocore.ledger import LogKey, LogKeyring

AT = datetime(2026, 12, 6, 15, tzinfo=UTC)
ADMIN = Principal(account_id="u-admin", roles={Role.BRAND_ADMIN})
IDS = ["C1", "C2", "C3"]


class Broken:
    """A messenger whose provider fails at its second message."""

    def __init__(self) -> None:
        self.calls = 0

    def send(self, customer: Customer, channel: ContactChannel, text: str) -> SendOutcome:
        self.calls += 1
        if self.calls == 2:
            raise ConnectionError("provider down")
        return SendOutcome(accepted=True)


@pytest.fixture
def db() -> InMemoryDatabase:
    database = InMemoryDatabase(log_keys=LogKeyring.of(LogKey(key_id="k1", secret=bytes(32))))
    with database.unit_of_work() as uow:
        uow.accounts.add(
            Account(
                account_id="u-admin",
                email=normalize_login_email("admin@example.com"),
                roles={Role.BRAND_ADMIN},
            )
        )
        for cid in IDS:
            uow.customers.add(
                Customer(
                    customer_id=cid,
                    name=cid,
                    registered_at=datetime(2026, 1, 1, tzinfo=UTC),
                    mobile=Mobile.parse("11987654321"),
                )
            )
            uow.consent.append(
                ConsentEvent(
                    customer_id=cid,
                    channel=ContactChannel.SMS,
                    granted=True,
                    at=datetime(2026, 1, 1, tzinfo=UTC),
                    source=ConsentSource.SELLER_APP,
                    recorded_by="V01",
                )
            )
        uow.categories.save(CustomerCategory("VIP", "Clientes VIP", "#c0392b"))
    return database


def _audit(db: InMemoryDatabase) -> list[AuditEntry]:
    with db.unit_of_work() as uow:
        return list(uow.audit.iter_all())


def test_a_messenger_that_fails_midway_leaves_a_failed_entry_with_the_count(
    db: InMemoryDatabase,
) -> None:
    service = BulkService(db.unit_of_work, clock=FixedClock(AT))
    with pytest.raises(ConnectionError, match="provider down"):
        service.send_bulk(
            ADMIN,
            Broken(),
            IDS,
            channel=ContactChannel.SMS,
            text="Oi",
            acknowledgment=RESPONSIBILITY_STATEMENT,
        )
    (entry,) = _audit(db)
    assert (entry.action, entry.outcome, entry.detail) == (
        Action.SEND_BULK_MESSAGE,
        Outcome.FAILED,
        "the messenger raised ConnectionError (provider down) after accepting 1 messages;"
        " the rest were not sent",
    )


class Wrong:
    """A messenger that answers ``True`` instead of a SendOutcome."""

    def send(self, customer: Customer, channel: ContactChannel, text: str) -> object:
        return True


def test_a_messenger_breaking_the_protocol_is_a_failed_entry_too(db: InMemoryDatabase) -> None:
    service = BulkService(db.unit_of_work, clock=FixedClock(AT))
    with pytest.raises(ValidationError, match=r"Messenger\.send must return a SendOutcome"):
        service.send_bulk(
            ADMIN,
            Wrong(),  # type: ignore[arg-type]
            IDS,
            channel=ContactChannel.SMS,
            text="Oi",
            acknowledgment=RESPONSIBILITY_STATEMENT,
        )
    (entry,) = _audit(db)
    assert (entry.outcome, entry.detail) == (
        Outcome.FAILED,
        "the messenger raised ValidationError (Messenger.send must return a SendOutcome, got"
        " True) after accepting 0 messages; the rest were not sent",
    )


def test_refusals_are_counted_by_reason(db: InMemoryDatabase) -> None:
    service = BulkService(db.unit_of_work, clock=FixedClock(AT))
    report = service.send_bulk(
        ADMIN,
        InMemoryMessenger(refuse={"C3": "invalid number"}),
        IDS,
        channel=ContactChannel.SMS,
        text="Oi",
        acknowledgment="Li e compreendo",
    )
    assert report.counts()["refused"] == 1
    (entry,) = _audit(db)
    assert entry.detail.startswith(
        "sms message (campaigns) to 3 customers selected by ids: sent 2, skipped 1 (refused 1);"
        " responsibility accepted: 'Li e compreendo'"
    )


def test_bad_arguments_are_refused_before_anything_is_written(db: InMemoryDatabase) -> None:
    service = BulkService(db.unit_of_work, clock=FixedClock(AT))
    with pytest.raises(ValidationError, match="customer_ids must be an iterable"):
        service.add_to_category(ADMIN, "VIP", "C1")
    with pytest.raises(ValidationError, match="selected_by must not be blank"):
        service.add_to_category(ADMIN, "VIP", ["C1"], selected_by=" ")
    with pytest.raises(ValidationError, match="text"):
        service.send_bulk(
            ADMIN,
            InMemoryMessenger(),
            IDS,
            channel=ContactChannel.SMS,
            text="",
            acknowledgment=RESPONSIBILITY_STATEMENT,
        )
    with pytest.raises(ValidationError, match="discount must be a CategoryDiscount"):
        service.set_category_discount(ADMIN, "VIP", Decimal("10"))  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="name is required"):
        service.add_customer(ADMIN, {"customer_id": "C9", "registered_at": "2026-01-01T10:00Z"})
    with pytest.raises(ValidationError, match="actor"):
        service.delete_category("u-admin", "VIP")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="clock"):
        BulkService(db.unit_of_work, clock=object())  # type: ignore[arg-type]
    assert _audit(db) == []


def test_a_long_selection_is_recorded_clipped(db: InMemoryDatabase) -> None:
    service = BulkService(db.unit_of_work, clock=FixedClock(AT))
    long_filter = "filter " + json.dumps({"customer_id_in": [f"C{i}" for i in range(200)]})
    assert service.add_to_category(ADMIN, "VIP", ["C1"], selected_by=long_filter).changed == 1
    (entry,) = _audit(db)
    shown = entry.detail.split(" selected by ")[1].split("; 1 added")[0]
    assert (len(shown), shown[:20], shown[-3:]) == (300, long_filter[:20], "...")


def test_a_customer_id_that_is_a_cpf_is_masked_in_the_entry(db: InMemoryDatabase) -> None:
    service = BulkService(db.unit_of_work, clock=FixedClock(AT))
    cells = {"customer_id": "52998224725", "name": "Ana", "registered_at": "2026-01-01T10:00Z"}
    assert service.add_customer(ADMIN, cells).customer_id == "52998224725"
    (entry,) = _audit(db)
    assert (entry.target.account_id, entry.detail) == (
        "customer:***982247**",
        "customer ***982247** added",
    )


def test_the_building_blocks_still_work_unaudited(db: InMemoryDatabase) -> None:
    uow = db.unit_of_work()
    assert add_to_category(uow, "VIP", ["C1"]).members == 1
    assert set_category_discount(uow, "VIP", CategoryDiscount(Decimal("5"))).discount is not None
    assert _audit(db) == []  # what an integrator exposing them to people must not rely on


def test_the_new_actions_in_the_permission_table() -> None:
    holders = {
        action: {
            role: actions[action] for role, actions in PERMISSIONS.items() if action in actions
        }
        for action in (Action.MANAGE_CATEGORIES, Action.SEND_BULK_MESSAGE, Action.ADD_CUSTOMER)
    }
    assert holders == {
        Action.MANAGE_CATEGORIES: {Role.BRAND_ADMIN: Scope.BRAND},
        Action.SEND_BULK_MESSAGE: {Role.BRAND_ADMIN: Scope.BRAND},
        Action.ADD_CUSTOMER: {
            Role.BRAND_ADMIN: Scope.BRAND,
            Role.CALL_CENTER: Scope.BRAND,
            Role.STORE_MANAGER: Scope.STORE,
        },
    }


ROLE_SETS = st.sets(st.sampled_from(Role), min_size=1, max_size=3)
ACTS = st.sampled_from(["add_to_category", "send_bulk", "add_customer"])


@settings(max_examples=60, deadline=None)
@given(roles=ROLE_SETS, act=ACTS, home=st.sampled_from(["L01", "L02", None]))
def test_an_act_is_done_iff_the_table_allows_it_and_a_refusal_changes_nothing(
    roles: set[Role], act: str, home: str | None
) -> None:
    database = InMemoryDatabase(log_keys=LogKeyring.of(LogKey(key_id="k1", secret=bytes(32))))
    store = "L01" if roles & {Role.STORE_MANAGER, Role.SELLER} else None
    seller = "V01" if Role.SELLER in roles else None
    actor = Principal(account_id="u-x", roles=roles, store_id=store, seller_code=seller)
    with database.unit_of_work() as uow:
        uow.accounts.add(
            Account(
                account_id="u-x",
                email=normalize_login_email("x@example.com"),
                roles=roles,
                store_id=store,
                seller_code=seller,
            )
        )
        uow.customers.add(
            Customer(
                customer_id="C1",
                name="C1",
                registered_at=datetime(2026, 1, 1, tzinfo=UTC),
                mobile=Mobile.parse("11987654321"),
            )
        )
        uow.categories.save(CustomerCategory("VIP", "Clientes VIP", "#c0392b"))
    service = BulkService(database.unit_of_work, clock=FixedClock(AT))
    messenger = InMemoryMessenger()
    action, target, call = {
        "add_to_category": (
            Action.MANAGE_CATEGORIES,
            Target(account_id="category:VIP"),
            lambda: service.add_to_category(actor, "VIP", ["C1"]),
        ),
        "send_bulk": (
            Action.SEND_BULK_MESSAGE,
            Target(account_id="bulk_message:sms"),
            lambda: service.send_bulk(
                actor,
                messenger,
                ["C1"],
                channel=ContactChannel.SMS,
                text="Oi",
                acknowledgment=RESPONSIBILITY_STATEMENT,
            ),
        ),
        "add_customer": (
            Action.ADD_CUSTOMER,
            Target(store_id=home, account_id="customer:C2"),
            lambda: service.add_customer(
                actor,
                {"customer_id": "C2", "name": "Duda", "registered_at": "2026-01-01T10:00Z"}
                | ({} if home is None else {"home_store_id": home}),
            ),
        ),
    }[act]
    if is_allowed(actor, action, target):
        call()
        outcome = Outcome.ALLOWED
    else:
        with pytest.raises(PermissionDenied, match=f"may not {action.value}"):
            call()
        outcome = Outcome.DENIED
        with database.unit_of_work() as uow:
            assert uow.categories.members("VIP") == []
            assert [c.customer_id for c in uow.customers.list()] == ["C1"]
        assert messenger.sent == []
    (entry,) = _audit(database)
    assert (entry.actor, entry.action, entry.outcome) == ("u-x", action, outcome)
