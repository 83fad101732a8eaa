"""The audited clienteling part of AccountService: consent, blocked CPFs and contacts.

Issue 12: nothing outside the demo could record an opt-in, a block or a contact through the
services; each now is authorized with otocore.access's table and written to the hash-chained
audit log in the same transaction (ALLOWED, DENIED or FAILED).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from _support.builders import HASHER
from otocore.access import Principal, verify_audit_log
from otocore.accounts import AccountService, SecurityPolicy
from otocore.adapters.mail import InMemoryMailer
from otocore.adapters.memory import InMemoryDatabase
from otocore.attendance import register_contact
from otocore.auth import Account, Role, normalize_login_email
from otocore.blocking import BlockFeature
from otocore.clock import FixedClock
from otocore.consent import ConsentSource, ContactChannel
from otocore.contacts import ConsentChange, Contact, FollowUp, SuggestionStatus
from otocore.customers import Cpf, Customer
from otocore.errors import NotFound, PermissionDenied, RuleViolation, ValidationError
from otocore.portfolio import AssignmentReason, PortfolioAssignment
from otocore.sellers import Seller, SellerStatus, Store
from otocore.suggestions import Suggestion, SuggestionKind, SuggestionReason

NOW = datetime(2026, 11, 2, 13, 0, tzinfo=UTC)
CPF = Cpf.parse("529.982.247-25")


def _account(account_id: str, roles: set[Role], **kw: str) -> Account:
    return Account(
        account_id=account_id,
        email=normalize_login_email(f"{account_id}@example.com"),
        roles=frozenset(roles),
        **kw,
    )


@pytest.fixture
def db() -> InMemoryDatabase:
    """L01 (V01 Ana, V02 Bruno), L02 (V03 Carla); C1 in V01's carteira, C2 in V03's,
    C3 in none (home store L02), C4 in none and no home store; one account per role."""
    database = InMemoryDatabase()
    with database.unit_of_work() as uow:
        uow.stores.add(Store(store_id="L01", name="Loja Centro"))
        uow.stores.add(Store(store_id="L02", name="Loja Norte"))
        for code, name, store in (
            ("V01", "Ana", "L01"),
            ("V02", "Bruno", "L01"),
            ("V03", "Carla", "L02"),
        ):
            uow.sellers.add(Seller(code=code, name=name, store_id=store))
        for cid, home in (("C1", "L01"), ("C2", "L02"), ("C3", "L02"), ("C4", None)):
            uow.customers.add(
                Customer(
                    customer_id=cid,
                    name=f"Cliente {cid}",
                    registered_at=datetime(2025, 1, 1, tzinfo=UTC),
                    cpf=CPF if cid == "C1" else None,
                    home_store_id=home,
                )
            )
        for cid, code in (("C1", "V01"), ("C2", "V03")):
            uow.portfolio.set(
                PortfolioAssignment(
                    customer_id=cid,
                    seller_code=code,
                    since=date(2026, 1, 1),
                    reason=AssignmentReason.DAILY_RULE,
                )
            )
        uow.accounts.add(_account("u-admin", {Role.BRAND_ADMIN}))
        uow.accounts.add(_account("u-gerente", {Role.STORE_MANAGER}, store_id="L01"))
        uow.accounts.add(_account("u-ana", {Role.SELLER}, seller_code="V01", store_id="L01"))
        uow.accounts.add(_account("u-bruno", {Role.SELLER}, seller_code="V02", store_id="L01"))
        uow.accounts.add(_account("u-tele", {Role.CALL_CENTER}))
    return database


@pytest.fixture
def service(db: InMemoryDatabase) -> AccountService:
    return AccountService(
        db.unit_of_work,
        mailer=InMemoryMailer(),
        clock=FixedClock(NOW),
        policy=SecurityPolicy(app_url="https://app.example.com"),
        hasher=HASHER,
    )


def _p(service: AccountService, account_id: str) -> Principal:
    return service.principal_for(account_id)


def _audit(db: InMemoryDatabase) -> list[tuple[str, str, str]]:
    with db.unit_of_work() as uow:
        entries = list(uow.audit.iter_all())
    assert verify_audit_log(entries).ok
    return [(str(getattr(e.action, "value", e.action)), e.outcome.value, e.actor) for e in entries]


def _contact(**kw: object) -> Contact:
    fields: dict[str, object] = {
        "contact_id": "K1",
        "seller_code": "V01",
        "customer_id": "C1",
        "channel": ContactChannel.WHATSAPP,
        "started_at": NOW - timedelta(minutes=10),
        "finished_at": NOW,
        "in_portfolio": False,
    }
    fields.update(kw)
    return Contact(**fields)  # type: ignore[arg-type]


# Consent --------------------------------------------------------------------------------


def test_a_seller_records_consent_of_their_own_customer_with_who_and_when(
    db: InMemoryDatabase, service: AccountService
) -> None:
    event = service.record_consent(
        _p(service, "u-ana"),
        "C1",
        ContactChannel.WHATSAPP,
        granted=True,
        source=ConsentSource.CUSTOMER_REQUEST,
    )
    with db.unit_of_work() as uow:
        stored = uow.consent.for_customer("C1")
        entry = list(uow.audit.iter_all())[-1]
    assert stored == [event]
    assert (event.at, event.recorded_by, event.source) == (
        NOW,
        "u-ana",
        ConsentSource.CUSTOMER_REQUEST,
    )
    assert (entry.target.store_id, entry.target.seller_code) == ("L01", "V01")
    assert entry.detail == "customer C1: whatsapp granted (customer_request)"
    assert _audit(db) == [("manage_consent", "allowed", "u-ana")]


def test_consent_of_another_sellers_customer_is_denied_and_audited(
    db: InMemoryDatabase, service: AccountService
) -> None:
    with pytest.raises(
        PermissionDenied, match=r"seller u-bruno may not manage_consent on store L01, seller V01"
    ):
        service.record_consent(
            _p(service, "u-bruno"),
            "C1",
            ContactChannel.SMS,
            granted=False,
            source=ConsentSource.CUSTOMER_REQUEST,
        )
    with db.unit_of_work() as uow:
        assert uow.consent.for_customer("C1") == []
    assert _audit(db) == [("manage_consent", "denied", "u-bruno")]


@pytest.mark.parametrize(
    ("account", "customer", "allowed"),
    [
        ("u-gerente", "C1", True),  # a customer of a seller of the manager's store
        ("u-gerente", "C2", False),  # another store's carteira
        ("u-gerente", "C3", False),  # no carteira, home store L02
        ("u-tele", "C2", True),  # call center: any customer
        ("u-tele", "C4", True),
        ("u-admin", "C4", True),
        ("u-ana", "C3", False),  # not in Ana's carteira
        ("u-ana", "C4", False),  # in nobody's: only brand-wide roles
    ],
)
def test_consent_scope_follows_the_customers_carteira(
    db: InMemoryDatabase, service: AccountService, account: str, customer: str, allowed: bool
) -> None:
    def record() -> None:
        service.record_consent(
            _p(service, account),
            customer,
            ContactChannel.EMAIL,
            granted=False,
            source=ConsentSource.BRAND,
        )

    if allowed:
        record()
    else:
        with pytest.raises(PermissionDenied, match=rf"^\S+ {account} may not manage_consent"):
            record()
    with db.unit_of_work() as uow:
        assert len(uow.consent.for_customer(customer)) == int(allowed)
    assert _audit(db) == [("manage_consent", "allowed" if allowed else "denied", account)]


def test_consent_of_an_unknown_customer_fails_and_is_audited(
    db: InMemoryDatabase, service: AccountService
) -> None:
    with pytest.raises(NotFound, match=r"^Customer 'C999' not found$"):
        service.record_consent(
            _p(service, "u-admin"),
            "C999",
            ContactChannel.SMS,
            granted=True,
            source=ConsentSource.BRAND,
        )
    assert _audit(db) == [("manage_consent", "failed", "u-admin")]


def test_consent_arguments_are_checked_before_anything_is_written(
    db: InMemoryDatabase, service: AccountService
) -> None:
    with pytest.raises(ValidationError, match=r"^channel must be a ContactChannel"):
        service.record_consent(
            _p(service, "u-admin"),
            "C1",
            "whatsapp",  # type: ignore[arg-type]
            granted=True,
            source=ConsentSource.BRAND,
        )
    with pytest.raises(ValidationError, match=r"^granted must be True or False, got 'yes'$"):
        service.record_consent(
            _p(service, "u-admin"),
            "C1",
            ContactChannel.SMS,
            granted="yes",  # type: ignore[arg-type]
            source=ConsentSource.BRAND,
        )
    assert _audit(db) == []


# Blocks ---------------------------------------------------------------------------------


def test_a_brand_admin_blocks_and_unblocks_a_cpf_and_the_audit_log_keeps_it_masked(
    db: InMemoryDatabase, service: AccountService
) -> None:
    admin = _p(service, "u-admin")
    block = service.block_cpf(
        admin, CPF, [BlockFeature.CAMPAIGNS, BlockFeature.LOYALTY], reason="pedido LGPD"
    )
    unblock = service.unblock_cpf(admin, CPF, [BlockFeature.LOYALTY], reason="engano")
    with db.unit_of_work() as uow:
        assert uow.blocks.for_cpf(CPF) == [block, unblock]
        entries = list(uow.audit.iter_all())
    assert (block.by, block.at, block.blocked, unblock.blocked) == ("u-admin", NOW, True, False)
    assert [e.target.account_id for e in entries] == ["cpf:***.982.247-**"] * 2
    assert all(CPF.digits not in repr(e) and CPF.formatted not in repr(e) for e in entries)
    assert entries[0].detail == "blocked for campaigns, loyalty: pedido LGPD"
    assert _audit(db) == [("manage_blocks", "allowed", "u-admin")] * 2


@pytest.mark.parametrize("account", ["u-gerente", "u-ana", "u-tele"])
def test_only_brand_admins_manage_blocks(
    db: InMemoryDatabase, service: AccountService, account: str
) -> None:
    with pytest.raises(PermissionDenied, match=r"no role of \S+ grants manage_blocks$"):
        service.block_cpf(_p(service, account), CPF, [BlockFeature.CAMPAIGNS], reason="x")
    with db.unit_of_work() as uow:
        assert uow.blocks.for_cpf(CPF) == []
    assert _audit(db) == [("manage_blocks", "denied", account)]


def test_unblocking_a_cpf_that_is_not_blocked_fails_and_writes_nothing(
    db: InMemoryDatabase, service: AccountService
) -> None:
    other = Cpf.parse("111.444.777-35")
    with pytest.raises(
        RuleViolation, match=r"^CPF \*\*\*\.444\.777-\*\* is not blocked for campaigns"
    ):
        service.unblock_cpf(_p(service, "u-admin"), other, [BlockFeature.CAMPAIGNS], reason="x")
    with db.unit_of_work() as uow:
        assert uow.blocks.for_cpf(other) == []
    assert _audit(db) == [("manage_blocks", "failed", "u-admin")]


def test_block_arguments_are_checked(service: AccountService) -> None:
    admin = _p(service, "u-admin")
    with pytest.raises(ValidationError, match=r"^cpf must be a Cpf \(build it with Cpf.parse\)"):
        service.block_cpf(admin, "52998224725", [BlockFeature.CAMPAIGNS], reason="x")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"^features must not be empty"):
        service.block_cpf(admin, CPF, [], reason="x")
    with pytest.raises(ValidationError, match=r"^reason must not be empty"):
        service.block_cpf(admin, CPF, [BlockFeature.CAMPAIGNS], reason=" ")


# Contacts -------------------------------------------------------------------------------


def _suggest(db: InMemoryDatabase, customer: str = "C1") -> Suggestion:
    suggestion = Suggestion(
        suggestion_id=f"2026-11-02:{customer}",
        day=date(2026, 11, 2),
        seller_code="V01",
        customer_id=customer,
        kind=SuggestionKind.CAMPAIGN,
        campaign_id="BOAS_VINDAS",
        channel=ContactChannel.WHATSAPP,
        message="Olá!",
        reason=SuggestionReason.CAMPAIGN,
        detail="campaign BOAS_VINDAS",
        rank=1,
    )
    with db.unit_of_work() as uow:
        uow.suggestions.save_day(date(2026, 11, 2), [suggestion])
    return suggestion


def test_a_seller_registers_their_contact_and_its_effects_are_stored(
    db: InMemoryDatabase, service: AccountService
) -> None:
    suggestion = _suggest(db)
    stored = service.register_contact(
        _p(service, "u-ana"),
        _contact(
            suggestion_id=suggestion.suggestion_id,
            campaign_id="BOAS_VINDAS",
            consent_change=ConsentChange(channel=ContactChannel.SMS, granted=False),
            follow_up=FollowUp(day=date(2026, 11, 20), note="Chegou o tamanho 38"),
        ),
    )
    with db.unit_of_work() as uow:
        assert uow.contacts.get("K1") == stored
        assert uow.suggestions.get(suggestion.suggestion_id).status is SuggestionStatus.FINISHED
        [opt_out] = uow.consent.for_customer("C1")
        entry = list(uow.audit.iter_all())[-1]
    assert stored.in_portfolio  # C1 is in V01's carteira
    assert (opt_out.channel, opt_out.granted, opt_out.at) == (ContactChannel.SMS, False, NOW)
    assert (entry.target.store_id, entry.target.seller_code, entry.target.account_id) == (
        "L01",
        "V01",
        "u-ana",
    )
    assert entry.detail == (
        "contact K1 with customer C1: finished; sms revoked; follow-up on 2026-11-20"
    )
    assert _audit(db) == [("register_contact", "allowed", "u-ana")]


@pytest.mark.parametrize(
    ("account", "seller", "allowed"),
    [
        ("u-ana", "V01", True),
        ("u-ana", "V02", False),  # a seller registers only their own contacts
        ("u-gerente", "V02", True),  # a manager: the sellers of the store (issue 12)
        ("u-gerente", "V03", False),
        ("u-tele", "V03", True),
        ("u-admin", "V03", True),
    ],
)
def test_contact_scope_is_the_contacts_seller(
    db: InMemoryDatabase, service: AccountService, account: str, seller: str, allowed: bool
) -> None:
    def register() -> None:
        service.register_contact(_p(service, account), _contact(seller_code=seller))

    if allowed:
        register()
    else:
        with pytest.raises(PermissionDenied, match=rf"^\S+ {account} may not register_contact"):
            register()
    with db.unit_of_work() as uow:
        assert len(uow.contacts.for_customer("C1")) == int(allowed)
    assert _audit(db) == [("register_contact", "allowed" if allowed else "denied", account)]


def test_a_failing_contact_leaves_nothing_behind_but_its_failed_audit_entry(
    db: InMemoryDatabase, service: AccountService
) -> None:
    suggestion = _suggest(db, customer="C2")  # another customer's suggestion
    with pytest.raises(RuleViolation, match=r"^suggestion '2026-11-02:C2' is for customer 'C2'"):
        service.register_contact(
            _p(service, "u-ana"),
            _contact(
                suggestion_id=suggestion.suggestion_id,
                consent_change=ConsentChange(channel=ContactChannel.SMS, granted=True),
            ),
        )
    with pytest.raises(NotFound, match=r"^Customer 'C999' not found$"):
        service.register_contact(_p(service, "u-ana"), _contact(customer_id="C999"))
    with pytest.raises(NotFound, match=r"^Seller 'V99' not found$"):
        service.register_contact(_p(service, "u-admin"), _contact(seller_code="V99"))
    with db.unit_of_work() as uow:
        assert uow.contacts.count() == 0
        assert uow.consent.for_customer("C1") == []
        assert uow.suggestions.get(suggestion.suggestion_id).status is SuggestionStatus.PENDING
    assert _audit(db) == [
        ("register_contact", "failed", "u-ana"),
        ("register_contact", "failed", "u-ana"),
        ("register_contact", "failed", "u-admin"),
    ]


def test_an_inactive_acting_account_is_denied(
    db: InMemoryDatabase, service: AccountService
) -> None:
    ana = _p(service, "u-ana")
    with db.unit_of_work() as uow:
        uow.sellers.add(
            Seller(code="V01", name="Ana", store_id="L01", status=SellerStatus.INACTIVE)
        )
    with pytest.raises(PermissionDenied, match=r"the acting account is inactive$"):
        service.register_contact(ana, _contact())
    assert _audit(db) == [("register_contact", "denied", "u-ana")]


def test_the_unaudited_register_contact_still_works(db: InMemoryDatabase) -> None:
    stored = register_contact(db.unit_of_work(), _contact(seller_code="V02"))
    assert not stored.in_portfolio
    assert _audit(db) == []
