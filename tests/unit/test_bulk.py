"""Bulk actions: categories' members and the bulk message, on the memory store and SQLite."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from otocore.adapters.memory import InMemoryUnitOfWork
from otocore.adapters.messenger import InMemoryMessenger
from otocore.adapters.sql import open_database
from otocore.blocking import BlockEvent, BlockFeature
from otocore.bulk import (
    AcknowledgmentRequired,
    ResponsibilityAcknowledgment,
    SkipReason,
    UnknownCustomers,
    add_to_category,
    category_discount,
    customers_of_filter,
    remove_from_category,
    send_bulk,
    set_category_discount,
)
from otocore.categories import CategoryDiscount, CustomerCategory, DiscountReason
from otocore.consent import ConsentEvent, ConsentPolicy, ConsentSource, ContactChannel
from otocore.customers import Cpf, Customer, Email, Mobile, Sex
from otocore.errors import NotFound, ValidationError
from otocore.filters import SexIn
from otocore.repositories import UnitOfWork

AT = datetime(2026, 5, 10, 15, 0, tzinfo=UTC)
ACK = ResponsibilityAcknowledgment(by="gerente@loja.com.br", at=AT)
CPF = Cpf.parse("529.982.247-25")
VIP = CustomerCategory("VIP", "Clientes VIP", "#c0392b", discount=CategoryDiscount(Decimal(10)))


def _sqlite() -> UnitOfWork:
    return open_database(":memory:", upgrade=True).unit_of_work()


STORES: list[Callable[[], UnitOfWork]] = [InMemoryUnitOfWork, _sqlite]


@pytest.fixture(params=STORES, ids=["memory", "sqlite"])
def uow(request: pytest.FixtureRequest) -> UnitOfWork:
    uow: UnitOfWork = request.param()
    with uow:
        uow.customers.add(
            Customer(
                customer_id="ANA",
                name="Ana Souza",
                registered_at=AT,
                cpf=CPF,
                mobile=Mobile.parse("(11) 98765-4321"),
                sex=Sex.FEMALE,
            )
        )
        uow.customers.add(
            Customer(
                customer_id="BIA",
                name="Bia Lima",
                registered_at=AT,
                email=Email("bia@example.com"),
                mobile=Mobile.parse("(11) 91234-5678"),
                sex=Sex.FEMALE,
            )
        )
        uow.customers.add(Customer(customer_id="CAIO", name="Caio", registered_at=AT, sex=Sex.MALE))
        uow.categories.save(VIP)
        for cid in ("ANA", "BIA", "CAIO"):
            uow.consent.append(_consent(cid, granted=True))
    return uow


def _consent(
    cid: str, *, granted: bool, at: datetime = datetime(2026, 1, 1, tzinfo=UTC)
) -> ConsentEvent:
    return ConsentEvent(
        customer_id=cid,
        channel=ContactChannel.WHATSAPP,
        granted=granted,
        at=at,
        source=ConsentSource.SELLER_APP,
        recorded_by="V01",
    )


# categories -----------------------------------------------------------------------------


def test_unknown_ids_are_named_and_nothing_is_added(uow: UnitOfWork) -> None:
    with pytest.raises(
        UnknownCustomers, match="2 customer ids name no customer: 'X1', 'X2'"
    ) as info:
        add_to_category(uow, "VIP", ["ANA", "X2", "BIA", "X1", "X2"])
    assert info.value.customer_ids == ("X1", "X2")
    with uow:
        assert uow.categories.members("VIP") == []  # ANA and BIA were not added either


def test_a_selection_is_added_once_and_removed(uow: UnitOfWork) -> None:
    change = add_to_category(uow, "VIP", ["BIA", "ANA", "BIA"])
    assert (change.changed, change.unchanged, change.members) == (2, 0, 2)
    assert add_to_category(uow, "VIP", ["ANA"]).unchanged == 1
    removed = remove_from_category(uow, "VIP", ["ANA", "CAIO"])
    assert (removed.changed, removed.unchanged, removed.members) == (1, 1, 1)
    with uow:
        assert uow.categories.members("VIP") == ["BIA"]
        assert uow.customers.get("ANA").name == "Ana Souza"  # still in the registry


def test_the_customers_of_a_filter_join_a_category(uow: UnitOfWork) -> None:
    women = customers_of_filter(uow, SexIn([Sex.FEMALE]), date(2026, 5, 10))
    assert women == ["ANA", "BIA"]
    assert add_to_category(uow, "VIP", women).members == 2


def test_an_unknown_category_or_a_bad_selection_is_an_error(uow: UnitOfWork) -> None:
    with pytest.raises(NotFound, match="CustomerCategory 'NOPE' not found"):
        add_to_category(uow, "NOPE", ["ANA"])
    with pytest.raises(ValidationError, match="customer_ids must be an iterable"):
        add_to_category(uow, "VIP", "ANA")
    with pytest.raises(ValidationError, match=r"customer_ids\[1\] must not be empty"):
        add_to_category(uow, "VIP", ["ANA", ""])
    with pytest.raises(ValidationError, match="audience must be a filter"):
        customers_of_filter(uow, {"sex_in": ["female"]}, date(2026, 5, 10))  # type: ignore[arg-type]


def test_a_customers_discount_comes_from_the_stored_categories(uow: UnitOfWork) -> None:
    add_to_category(uow, "VIP", ["ANA"])
    assert category_discount(uow, "ANA", date(2026, 5, 10)).percentage == Decimal(10)
    assert category_discount(uow, "BIA", date(2026, 5, 10)).reason is DiscountReason.IN_NO_CATEGORY
    may = CategoryDiscount(Decimal(15), first_day=date(2026, 5, 1), last_day=date(2026, 5, 31))
    assert set_category_discount(uow, "VIP", may).discount == may
    assert category_discount(uow, "ANA", date(2026, 6, 1)).reason is DiscountReason.NOT_VALID_ON_DAY
    set_category_discount(uow, "VIP", None)
    got = category_discount(uow, "ANA", date(2026, 5, 10))
    assert got.reason is DiscountReason.NO_CATEGORY_DISCOUNT
    with pytest.raises(NotFound, match="Customer 'X' not found"):
        category_discount(uow, "X", date(2026, 5, 10))


# the bulk message -----------------------------------------------------------------------


def _send(
    uow: UnitOfWork, messenger: InMemoryMessenger, ids: list[str], **options: object
) -> object:
    kwargs: dict[str, object] = {
        "channel": ContactChannel.WHATSAPP,
        "text": "Promoção de maio!",
        "at": AT,
        "acknowledgment": ACK,
    }
    kwargs.update(options)
    return send_bulk(uow, messenger, ids, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("acknowledgment", [None, True, "yes", "I accept"])
def test_without_the_acknowledgment_nothing_is_sent(
    uow: UnitOfWork, acknowledgment: object
) -> None:
    messenger = InMemoryMessenger()
    with pytest.raises(AcknowledgmentRequired, match="nothing was sent"):
        _send(uow, messenger, ["ANA", "BIA"], acknowledgment=acknowledgment)
    assert messenger.sent == []


def test_who_lacks_consent_is_blocked_or_has_no_address_is_skipped(uow: UnitOfWork) -> None:
    with uow:
        uow.consent.append(_consent("BIA", granted=False, at=datetime(2026, 5, 1, tzinfo=UTC)))
        uow.blocks.append(
            BlockEvent(
                cpf=CPF,
                features=[BlockFeature.CAMPAIGNS],
                blocked=True,
                reason="pedido do cliente",
                by="u-gerente",
                at=datetime(2026, 5, 2, tzinfo=UTC),
            )
        )
    messenger = InMemoryMessenger()
    report = _send(uow, messenger, ["CAIO", "BIA", "ANA"])
    assert report.sent == ()  # type: ignore[attr-defined]
    reasons = [(s.customer_id, s.reason) for s in report.skipped]  # type: ignore[attr-defined]
    assert reasons == [
        ("CAIO", SkipReason.NO_ADDRESS),
        ("BIA", SkipReason.NO_CONSENT),
        ("ANA", SkipReason.BLOCKED),
    ]
    assert messenger.sent == []
    # blocked for loyalty only: the campaign message goes
    loyalty = _send(uow, messenger, ["ANA"], feature=BlockFeature.LOYALTY)
    assert loyalty.sent == ("ANA",)  # type: ignore[attr-defined]


def test_the_messenger_is_called_once_per_customer_and_a_refusal_is_reported(
    uow: UnitOfWork,
) -> None:
    messenger = InMemoryMessenger(refuse={"BIA": "número inválido"})
    report = _send(uow, messenger, ["ANA", "BIA", "ANA"])
    assert report.sent == ("ANA",)  # type: ignore[attr-defined]
    [refused] = report.skipped  # type: ignore[attr-defined]
    assert (refused.customer_id, refused.reason, refused.detail) == (
        "BIA",
        SkipReason.REFUSED,
        "número inválido",
    )
    assert [(m.customer_id, m.text) for m in messenger.sent] == [("ANA", "Promoção de maio!")]
    assert report.counts() == {  # type: ignore[attr-defined]
        "sent": 1,
        "no_consent": 0,
        "blocked": 0,
        "no_address": 0,
        "refused": 1,
    }


def test_an_unknown_id_or_bad_text_sends_nothing(uow: UnitOfWork) -> None:
    messenger = InMemoryMessenger()
    with pytest.raises(UnknownCustomers, match="'X9'"):
        _send(uow, messenger, ["ANA", "X9"])
    with pytest.raises(ValidationError, match="text must not be empty"):
        _send(uow, messenger, ["ANA"], text="")
    with pytest.raises(ValidationError, match="at must be"):
        _send(uow, messenger, ["ANA"], at=datetime(2026, 5, 10, 15))
    assert messenger.sent == []


def test_presumed_consent_and_the_email_channel(uow: UnitOfWork) -> None:
    messenger = InMemoryMessenger()
    report = _send(
        uow,
        messenger,
        ["ANA", "BIA"],
        channel=ContactChannel.EMAIL,
        consent_policy=ConsentPolicy(default_granted=True),
    )
    assert report.sent == ("BIA",)  # type: ignore[attr-defined]
    assert [(s.customer_id, s.detail) for s in report.skipped] == [  # type: ignore[attr-defined]
        ("ANA", "no e-mail for email")
    ]
