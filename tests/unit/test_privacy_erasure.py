"""otocore.privacy's erasure services: export, anonymize, delete, revoke consent, remove (issue 15)."""

from __future__ import annotations

import functools
import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from otocore.access import Principal
from otocore.adapters.memory import InMemoryDatabase
from otocore.auth import Role
from otocore.consent import ConsentLedger, ContactChannel
from otocore.customers import Cpf, Customer, Email, is_anonymous_id
from otocore.daily import run_daily
from otocore.errors import (
    ConfigurationError,
    NotFound,
    PermissionDenied,
    RuleViolation,
    ValidationError,
)
from otocore.history import AccessAction, HistoryChange, HistoryReason
from otocore.ledger import LogKey, LogKeyring
from otocore.orders import Order
from otocore.privacy import (
    CONFIRMATION_WORD,
    SUBJECT_DATA_SCHEMA,
    DataSubjectRequest,
    ErasureOutcome,
    RequestKind,
    anonymize_customer,
    delete_customer,
    export_subject_data,
    plan_removal,
    remove_customers,
    revoke_consent,
)
from otocore.sellers import Seller, Store
from otocore.telesales import new_cart

AT = datetime(2026, 6, 1, 12, tzinfo=UTC)
ADMIN = Principal(account_id="u-dpo", roles={Role.BRAND_ADMIN})
KEYS = LogKeyring.of(LogKey(key_id="k1", secret=bytes(range(32))))


def _repeated(byte: int, n: int) -> bytes:
    return bytes([byte]) * n


def _db() -> InMemoryDatabase:
    db = InMemoryDatabase(log_keys=KEYS)
    with db.unit_of_work() as uow:
        uow.stores.add(Store(store_id="L01", name="Loja Centro"))
        uow.sellers.add(Seller(code="V01", name="Bruno", store_id="L01"))
        uow.customers.add(
            Customer(
                customer_id="C1",
                name="Ana Souza",
                registered_at=AT,
                cpf=Cpf("52998224725"),
                email=Email.parse("ana@example.com"),
            )
        )
        uow.customers.add(Customer(customer_id="C2", name="Bia Lima", registered_at=AT))
        uow.orders.add(
            Order(
                order_id="P1",
                customer_id="C1",
                store_id="L01",
                placed_at=AT,
                total=Decimal("199.90"),
                seller_code="V01",
            )
        )
        uow.telesales.add(
            new_cart(order_id="T1", customer_id="C1", store_id="L01", built_by="u-op", at=AT)
        )
    with db.unit_of_work().writing() as uow:
        uow.customer_history.append(
            HistoryChange(
                customer_id="C1",
                field="email",
                old_value=None,
                new_value="ana@example.com",
                actor="u-sac",
                at=AT,
                reason=HistoryReason.SAC_CALL,
            )
        )
    return db


def test_the_export_holds_everything_and_is_json() -> None:
    db = _db()
    document = export_subject_data(db.unit_of_work(), "C1", principal=ADMIN, at=AT)
    text = json.dumps(document, ensure_ascii=False)
    assert json.loads(text) == document
    assert document["schema"] == SUBJECT_DATA_SCHEMA
    assert document["customer"]["cpf"] == "52998224725"
    assert [o["order_id"] for o in document["orders"]] == ["P1"]
    assert document["orders"][0]["total"] == "199.90"
    assert [o["order_id"] for o in document["telesales_orders"]] == ["T1"]
    assert document["history"][0]["new_value"] == "ana@example.com"
    assert set(document) == {
        "schema",
        "customer_id",
        "exported_at",
        "customer",
        "orders",
        "telesales_orders",
        "consent_events",
        "block_events",
        "contacts",
        "suggestions",
        "portfolio",
        "rfv",
        "categories",
        "history",
    }
    with db.unit_of_work() as uow:
        (entry,) = list(uow.access_log.iter_all())
        assert entry.action is AccessAction.SUBJECT_DATA_EXPORTED
        assert (entry.customers, entry.actor) == (1, "u-dpo")
        assert uow.audit.tail().action == "lgpd_export"  # type: ignore[union-attr]


def test_only_a_brand_admin_may_act_and_nothing_is_written() -> None:
    db = _db()
    seller = Principal(account_id="u-v01", roles={Role.SELLER}, store_id="L01", seller_code="V01")
    for call in (
        lambda: export_subject_data(db.unit_of_work(), "C1", principal=seller, at=AT),
        lambda: anonymize_customer(db.unit_of_work(), "C1", principal=seller, at=AT),
        lambda: delete_customer(db.unit_of_work(), "C2", principal=seller, at=AT),
        lambda: revoke_consent(db.unit_of_work(), "C1", principal=seller, at=AT),
        lambda: remove_customers(
            db.unit_of_work(), ["C2"], confirm="EXCLUIR", principal=seller, at=AT
        ),
    ):
        with pytest.raises(PermissionDenied, match="u-v01"):
            call()
    with db.unit_of_work() as uow:
        assert uow.customers.count() == 2
        assert uow.access_log.count() == 0


def test_without_log_keys_anonymization_refuses_and_changes_nothing() -> None:
    db = InMemoryDatabase()
    with db.unit_of_work() as uow:
        uow.customers.add(Customer(customer_id="C1", name="Ana", registered_at=AT))
    with pytest.raises(ConfigurationError, match="key"):
        anonymize_customer(db.unit_of_work(), "C1", principal=ADMIN, at=AT)
    with db.unit_of_work() as uow:
        assert uow.customers.get("C1").name == "Ana"


def test_the_anonymous_id_is_random_and_not_derived_from_the_cpf() -> None:
    ids = set()
    for seed in (1, 2):
        db = _db()
        report = anonymize_customer(
            db.unit_of_work(),
            "C1",
            principal=ADMIN,
            at=AT,
            rng_bytes=functools.partial(_repeated, seed),
        )
        assert report.anonymous_id is not None
        assert is_anonymous_id(report.anonymous_id)
        assert not any(c.isdigit() for c in report.anonymous_id)
        ids.add(report.anonymous_id)
    assert len(ids) == 2  # same customer, same CPF: the id comes from the random bytes only


def test_deleting_a_customer_with_orders_is_refused_and_says_anonymize() -> None:
    db = _db()
    with pytest.raises(RuleViolation, match="anonymization is what the law allows") as caught:
        delete_customer(db.unit_of_work(), "C1", principal=ADMIN, at=AT)
    assert "otocore lgpd anonymize C1" in str(caught.value)
    with db.unit_of_work() as uow:
        assert uow.customers.get("C1").name == "Ana Souza"
        assert uow.customer_history.for_customer("C1")[0].new_value == "ana@example.com"


def test_deleting_a_customer_without_orders_and_again() -> None:
    db = _db()
    report = delete_customer(db.unit_of_work(), "C2", principal=ADMIN, at=AT)
    assert report.outcome is ErasureOutcome.DELETED
    assert delete_customer(db.unit_of_work(), "C2", principal=ADMIN, at=AT).outcome is (
        ErasureOutcome.ALREADY_DONE
    )
    with pytest.raises(NotFound, match="C9"):
        delete_customer(db.unit_of_work(), "C9", principal=ADMIN, at=AT)


def test_consent_revocation_opts_out_of_every_channel_once_per_request() -> None:
    db = _db()
    with db.unit_of_work().writing() as uow:  # the request is stored (issue 15, round 3)
        uow.data_requests.add(
            DataSubjectRequest(
                request_id="R1",
                customer_id="C1",
                kind=RequestKind.CONSENT_REVOCATION,
                received_at=AT,
            )
        )
    revoke_consent(db.unit_of_work(), "C1", principal=ADMIN, at=AT, request_id="R1")
    with pytest.raises(ValidationError, match="already answered") as again:
        revoke_consent(db.unit_of_work(), "C1", principal=ADMIN, at=AT, request_id="R1")
    assert (again.value.field, again.value.value) == ("request_id", "R1")
    with db.unit_of_work() as uow:
        events = uow.consent.for_customer("C1")
        ledger = ConsentLedger.from_events(uow.consent.iter_all())
        assert "R1" in uow.audit.tail().detail  # type: ignore[union-attr]
    assert len(events) == len(ContactChannel)
    assert ledger.channels_by_customer(date(2026, 6, 2)).get("C1", frozenset()) == frozenset()


def test_removal_needs_the_word_and_its_dry_run_counts_first() -> None:
    db = _db()
    plan = plan_removal(db.unit_of_work(), ["C1", "C2"])
    assert (plan.count, plan.to_delete, plan.to_anonymize) == (2, ("C2",), ("C1",))
    with pytest.raises(ValidationError, match="EXCLUIR"):
        remove_customers(db.unit_of_work(), ["C1", "C2"], confirm="DELETE", principal=ADMIN, at=AT)
    with db.unit_of_work() as uow:
        assert uow.customers.count() == 2
    reports = remove_customers(
        db.unit_of_work(), ["C2", "C1"], confirm=CONFIRMATION_WORD, principal=ADMIN, at=AT
    )
    assert [(r.customer_id, r.outcome) for r in reports] == [
        ("C1", ErasureOutcome.ANONYMIZED),
        ("C2", ErasureOutcome.DELETED),
    ]
    with db.unit_of_work() as uow:
        assert uow.customers.count() == 0
        assert uow.orders.get("P1").customer_id == reports[0].anonymous_id


def test_removal_of_an_unknown_id_removes_nothing() -> None:
    db = _db()
    with pytest.raises(NotFound, match="C9"):
        remove_customers(db.unit_of_work(), ["C2", "C9"], confirm="EXCLUIR", principal=ADMIN, at=AT)
    with db.unit_of_work() as uow:
        assert uow.customers.count() == 2


def test_the_daily_job_leaves_the_anonymous_id_out_of_every_carteira() -> None:
    db = _db()
    report = anonymize_customer(db.unit_of_work(), "C1", principal=ADMIN, at=AT)
    run_daily(db.unit_of_work(), date(2026, 6, 2))
    with db.unit_of_work() as uow:
        assert uow.portfolio.get(report.anonymous_id) is None  # type: ignore[arg-type]
        assert uow.portfolio.get("C1") is None
        assert uow.portfolio.get("C2") is not None


def test_the_blocks_of_a_cpf_another_record_shares_are_kept() -> None:
    from otocore.blocking import BlockEvent, BlockFeature

    db = _db()
    cpf = Cpf("52998224725")
    with db.unit_of_work() as uow:
        uow.customers.add(Customer(customer_id="C3", name="Ana S.", registered_at=AT, cpf=cpf))
        uow.blocks.append(
            BlockEvent(
                cpf=cpf,
                features={BlockFeature.CAMPAIGNS},
                blocked=True,
                reason="pedido",
                by="u-gerente",
                at=AT,
            )
        )
    report = anonymize_customer(db.unit_of_work(), "C1", principal=ADMIN, at=AT)
    assert report.changed["deleted_block_events"] == 0
    with db.unit_of_work() as uow:
        assert len(uow.blocks.for_cpf(cpf)) == 1  # still C3's CPF
    report = anonymize_customer(db.unit_of_work(), "C3", principal=ADMIN, at=AT)
    assert report.changed["deleted_block_events"] == 1
