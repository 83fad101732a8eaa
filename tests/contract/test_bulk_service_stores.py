"""``BulkService`` on every store (issue 15, round 4): the bulk actions are audited acts of a person.

Before this round the category changes, the bulk message and the manual add took no
principal and recorded nothing: anyone holding a unit of work could message the whole base
or regroup it. Here, on memory, SQLite (in memory and in a file) and PostgreSQL: who may do
each act (``manage_categories`` and ``send_bulk_message``: brand admins; ``add_customer``:
brand admins, the call center, a store manager for a customer of their store), that a
refused act changes nothing and is logged DENIED, and what the audit entry holds.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import attrs
import pytest

from otocore.access import Action, AuditEntry, Outcome, Principal, verify_audit_log
from otocore.adapters.messenger import InMemoryMessenger
from otocore.auth import Account, AccountState, Role, normalize_login_email
from otocore.bulk import (
    RESPONSIBILITY_STATEMENT,
    AcknowledgmentRequired,
    BulkService,
    UnknownCustomers,
)
from otocore.categories import CategoryDiscount, CustomerCategory
from otocore.clock import FixedClock
from otocore.consent import ConsentEvent, ConsentSource, ContactChannel
from otocore.customers import Cpf, Customer, Mobile
from otocore.errors import PermissionDenied
from otocore.importing import CustomerExists
from otocore.repositories import UnitOfWork
from otocore.sellers import Seller, Store

UowFactory = Callable[[], UnitOfWork]

AT = datetime(2026, 12, 6, 15, tzinfo=UTC)
CPF = "529.982.247-25"

ADMIN = Principal(account_id="u-admin", roles={Role.BRAND_ADMIN})
MANAGER = Principal(account_id="u-gerente", roles={Role.STORE_MANAGER}, store_id="L01")
SELLER = Principal(account_id="u-ana", roles={Role.SELLER}, store_id="L01", seller_code="V01")
CALL_CENTER = Principal(account_id="u-tele", roles={Role.CALL_CENTER})
APPROVER = Principal(account_id="u-aprov", roles={Role.ORDER_APPROVER})
EVERYONE = (ADMIN, MANAGER, SELLER, CALL_CENTER, APPROVER)


def _account(p: Principal, *, active: bool = True) -> Account:
    return Account(
        account_id=p.account_id,
        email=normalize_login_email(f"{p.account_id}@example.com"),
        roles=p.roles,
        store_id=p.store_id,
        seller_code=p.seller_code,
        state=AccountState(active=active),
    )


def _always(uow: UnitOfWork) -> Callable[[], UnitOfWork]:
    return lambda: uow


def _world(uow: UnitOfWork) -> None:
    with uow:
        uow.stores.add(Store(store_id="L01", name="Loja Centro"))
        uow.stores.add(Store(store_id="L02", name="Shopping Norte"))
        uow.sellers.add(Seller(code="V01", name="Ana", store_id="L01"))
        for p in EVERYONE:
            uow.accounts.add(_account(p))
        uow.accounts.add(
            _account(Principal(account_id="u-old", roles={Role.BRAND_ADMIN}), active=False)
        )
        for cid, cpf in (("C1", Cpf.parse(CPF)), ("C2", None)):
            uow.customers.add(
                Customer(
                    customer_id=cid,
                    name=f"Cliente {cid}",
                    registered_at=datetime(2026, 1, 1, tzinfo=UTC),
                    cpf=cpf,
                    mobile=Mobile.parse("11987654321"),
                    home_store_id="L01",
                )
            )
        uow.consent.append(
            ConsentEvent(
                customer_id="C1",
                channel=ContactChannel.WHATSAPP,
                granted=True,
                at=datetime(2026, 1, 1, tzinfo=UTC),
                source=ConsentSource.SELLER_APP,
                recorded_by="V01",
            )
        )
        uow.categories.save(CustomerCategory("VIP", "Clientes VIP", "#c0392b"))
        uow.categories.add_members("VIP", ["C2"])


@attrs.frozen
class Snapshot:
    customers: list[Customer]
    categories: list[CustomerCategory]
    members: list[str]


def _snapshot(uow: UnitOfWork) -> Snapshot:
    with uow:
        return Snapshot(
            uow.customers.list(),
            uow.categories.list(),
            [m for c in uow.categories.list() for m in uow.categories.members(c.category_id)],
        )


def _audit(uow: UnitOfWork) -> list[AuditEntry]:
    with uow:
        return list(uow.audit.iter_all())


def _new_customer(cid: str, home: str | None) -> dict[str, str]:
    cells = {"customer_id": cid, "name": "Duda Alves", "registered_at": "2026-05-10T15:00:00-03:00"}
    return cells if home is None else cells | {"home_store_id": home}


def _acts(messenger: InMemoryMessenger) -> dict[str, Any]:
    """Each act of the service, as a call on (service, principal)."""
    return {
        "create_category": lambda s, p: s.create_category(
            p, CustomerCategory("NEW", "Nova", "#2e86c1")
        ),
        "delete_category": lambda s, p: s.delete_category(p, "VIP"),
        "set_category_discount": lambda s, p: s.set_category_discount(
            p, "VIP", CategoryDiscount(Decimal("10"))
        ),
        "add_to_category": lambda s, p: s.add_to_category(p, "VIP", ["C1"]),
        "remove_from_category": lambda s, p: s.remove_from_category(p, "VIP", ["C2"]),
        "send_bulk": lambda s, p: s.send_bulk(
            p,
            messenger,
            ["C1", "C2"],
            channel=ContactChannel.WHATSAPP,
            text="Promoção!",
            acknowledgment=RESPONSIBILITY_STATEMENT,
        ),
        "add_customer": lambda s, p: s.add_customer(p, _new_customer("C9", "L01")),
    }


ALLOWED = {
    "create_category": {ADMIN},
    "delete_category": {ADMIN},
    "set_category_discount": {ADMIN},
    "add_to_category": {ADMIN},
    "remove_from_category": {ADMIN},
    "send_bulk": {ADMIN},
    "add_customer": {ADMIN, CALL_CENTER, MANAGER},
}
ACTION = {
    "send_bulk": Action.SEND_BULK_MESSAGE,
    "add_customer": Action.ADD_CUSTOMER,
}


@pytest.mark.parametrize("act", sorted(ALLOWED))
def test_who_may_do_each_bulk_act(make_uow: UowFactory, act: str) -> None:
    for who in EVERYONE:
        uow = make_uow()
        _world(uow)
        messenger = InMemoryMessenger()
        service = BulkService(_always(uow), clock=FixedClock(AT))
        before = _snapshot(uow)
        call = _acts(messenger)[act]
        if who in ALLOWED[act]:
            call(service, who)
            outcome = Outcome.ALLOWED
        else:
            with pytest.raises(PermissionDenied, match="may not") as denied:
                call(service, who)
            assert ACTION.get(act, Action.MANAGE_CATEGORIES).value in str(denied.value)
            assert _snapshot(uow) == before  # a refused act changes nothing
            assert messenger.sent == []
            outcome = Outcome.DENIED
        (entry,) = _audit(uow)
        assert (entry.actor, entry.action, entry.outcome) == (
            who.account_id,
            ACTION.get(act, Action.MANAGE_CATEGORIES),
            outcome,
        ), (act, who)
        assert verify_audit_log(_audit(uow)).ok


def test_a_store_manager_adds_only_customers_of_their_store(make_uow: UowFactory) -> None:
    uow = make_uow()
    _world(uow)
    service = BulkService(lambda: uow, clock=FixedClock(AT))
    assert service.add_customer(MANAGER, _new_customer("C7", "L01")).home_store_id == "L01"
    for home, reason in (
        ("L02", "store_manager acts only within its own store \\(L01\\)"),
        (None, "the target names no store"),
    ):
        with pytest.raises(PermissionDenied, match=reason):
            service.add_customer(MANAGER, _new_customer("C8", home))
    with uow:
        assert [c.customer_id for c in uow.customers.list()] == ["C1", "C2", "C7"]
    assert [(e.outcome, e.target.store_id, e.target.account_id) for e in _audit(uow)] == [
        (Outcome.ALLOWED, "L01", "customer:C7"),
        (Outcome.DENIED, "L02", "customer:C8"),
        (Outcome.DENIED, None, "customer:C8"),
    ]


def test_the_actor_is_read_from_the_store(make_uow: UowFactory) -> None:
    """A principal claiming a role its account lacks, or an inactive admin, may not act."""
    uow = make_uow()
    _world(uow)
    service = BulkService(lambda: uow, clock=FixedClock(AT))
    before = _snapshot(uow)
    forged = Principal(account_id="u-ana", roles={Role.BRAND_ADMIN})  # the account is a seller
    with pytest.raises(PermissionDenied, match="no role of seller grants manage_categories"):
        service.add_to_category(forged, "VIP", ["C1"])
    old = Principal(account_id="u-old", roles={Role.BRAND_ADMIN})
    with pytest.raises(PermissionDenied, match="the acting account is inactive"):
        service.add_to_category(old, "VIP", ["C1"])
    ghost = Principal(account_id="u-ghost", roles={Role.BRAND_ADMIN})
    with pytest.raises(PermissionDenied, match="the acting account does not exist"):
        service.delete_category(ghost, "VIP")
    assert _snapshot(uow) == before
    assert [(e.actor, e.outcome) for e in _audit(uow)] == [
        ("u-ana", Outcome.DENIED),
        ("u-old", Outcome.DENIED),
        ("u-ghost", Outcome.DENIED),
    ]


def test_the_audit_entries_say_who_did_what_to_how_many_and_never_a_cpf(
    make_uow: UowFactory,
) -> None:
    uow = make_uow()
    _world(uow)
    messenger = InMemoryMessenger()
    service = BulkService(lambda: uow, clock=FixedClock(AT))
    service.add_to_category(ADMIN, "VIP", ["C1", "C2"], selected_by=f"query '{CPF}' (field cpf)")
    service.remove_from_category(ADMIN, "VIP", ["C2", "C1"], selected_by="filter {}")
    report = service.send_bulk(
        ADMIN,
        messenger,
        ["C1", "C2"],
        channel=ContactChannel.WHATSAPP,
        text=f"Oi! Seu CPF {CPF} ganhou 10%",
        acknowledgment="Li e compreendo a responsabilidade por violação da legislação vigente",
        selected_by="query '52998224725'",
    )
    assert (report.sent, [s.customer_id for s in report.skipped]) == (("C1",), ["C2"])
    with pytest.raises(UnknownCustomers, match="'C404'"):
        service.add_to_category(ADMIN, "VIP", ["C1", "C404"])
    with pytest.raises(CustomerExists, match=re.escape(f"cpf '{CPF}' is already")):
        service.add_customer(ADMIN, _new_customer("C9", None) | {"cpf": CPF})
    details = [(e.outcome, e.detail) for e in _audit(uow)]
    assert details == [
        (
            Outcome.ALLOWED,
            "category VIP: 2 customers selected by query '***.982.247-**' (field cpf);"
            " 1 added, 1 already in; 2 members now",
        ),
        (
            Outcome.ALLOWED,
            "category VIP: 2 customers selected by filter {}; 2 removed, 0 not in it;"
            " 0 members now",
        ),
        (
            Outcome.ALLOWED,
            "whatsapp message (campaigns) to 2 customers selected by query '***982247**':"
            " sent 1, skipped 1 (no_consent 1); responsibility accepted: 'Li e compreendo a"
            " responsabilidade por violação da legislação vigente'; text (37 characters):"
            " 'Oi! Seu CPF ***.982.247-** ganhou 10%'",
        ),
        (Outcome.FAILED, "1 customer id names no customer: 'C404'; nothing was done"),
        (
            Outcome.FAILED,
            "cpf '***.982.247-**' is already in the registry; nothing was added"
            " (correcting a customer is the SAC edit)",
        ),
    ]
    everything = repr(_audit(uow))
    assert "529.982.247-25" not in everything
    assert "52998224725" not in everything
    assert "Cliente C1" not in everything  # no customer's name either
    assert verify_audit_log(_audit(uow)).ok


def test_a_message_without_the_acknowledgment_sends_nothing_and_is_logged(
    make_uow: UowFactory,
) -> None:
    uow = make_uow()
    _world(uow)
    messenger = InMemoryMessenger()
    service = BulkService(lambda: uow, clock=FixedClock(AT))
    for given in (None, "   "):
        with pytest.raises(AcknowledgmentRequired, match="acknowledgment of legal responsibility"):
            service.send_bulk(
                ADMIN,
                messenger,
                ["C1"],
                channel=ContactChannel.WHATSAPP,
                text="Oi",
                acknowledgment=given,
            )
    assert messenger.sent == []
    assert [(e.action, e.outcome) for e in _audit(uow)] == [
        (Action.SEND_BULK_MESSAGE, Outcome.FAILED)
    ] * 2
