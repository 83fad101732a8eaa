"""``explain_customer`` answers exactly as the whole brand's plan, stored or planned for one customer.

A generated brand is put in a store; the whole brand is planned (``generate_suggestions``);
then, for every customer of the brand and an unknown one, three answers must equal the
whole plan's ``explain``: the stored one, the one planned for that customer alone on the
same state (``replan=True``), and the one of a copy of the store where the day was never
generated. The brands are built so that the per-customer plan has something to get wrong:
few sellers whose carteiras are cut by a small daily limit, follow-ups due from a seller
other than the customer's (active or not), customers without a record, sellers that are
inactive or unknown, consent and block events around the day, contacts inside and outside
the quarantine look-back and earlier suggestions that hold a campaign.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from _support.builders import at
from _support.strategies import examples
from otocore.adapters.memory import InMemoryUnitOfWork
from otocore.attendance import AttendancePolicy, explain_customer, generate_suggestions
from otocore.blocking import BlockEvent, BlockFeature
from otocore.campaigns import Campaign
from otocore.consent import ConsentEvent, ConsentPolicy, ConsentSource, ContactChannel
from otocore.contacts import Contact, FollowUp
from otocore.customers import Cpf, Customer
from otocore.distribution import SuggestionLimiter
from otocore.filters import AllOf, HasPurchases, Not, VScoreBetween
from otocore.orders import Order
from otocore.portfolio import AssignmentReason, PortfolioAssignment
from otocore.quarantine import QuarantinePolicy
from otocore.repositories import UnitOfWork
from otocore.rfv import RfvScore
from otocore.sellers import Seller, SellerStatus, Store
from otocore.suggestions import (
    SellerWorkload,
    Suggestion,
    SuggestionKind,
    SuggestionPolicy,
    SuggestionReason,
)

DAY = date(2026, 5, 11)
CHANNELS = (ContactChannel.WHATSAPP, ContactChannel.SMS, ContactChannel.EMAIL)
SELLERS = ("V01", "V02", "V03", "V04")
CPFS = ("52998224725", "11144477735", "12345678909", "98765432100")
AUDIENCES = (AllOf([]), HasPurchases(), Not(HasPurchases()), VScoreBetween(min=3))

Records = dict[str, list[Any]]


@st.composite
def brands(draw: st.DrawFn) -> tuple[Records, AttendancePolicy]:
    """Every record of a small brand, by repository, and its attendance policy."""
    stores = [Store(store_id="L01", name="Loja Centro")]
    sellers = [
        Seller(
            code=code,
            name=f"Vendedor {code}",
            store_id="L01",
            status=SellerStatus.INACTIVE if draw(st.integers(0, 4)) == 0 else SellerStatus.ACTIVE,
        )
        for code in SELLERS
    ]
    n = draw(st.integers(0, 18))
    ids = [f"C{i:02d}" for i in range(n)]
    some_ids = st.sampled_from(ids) if ids else st.just("C99")
    customers, orders, assignments, scores = [], [], [], []
    for cid in ids:
        owner = draw(st.sampled_from([*SELLERS, *SELLERS, *SELLERS, None, "V09"]))
        if draw(st.integers(0, 7)):
            assignments.append(
                PortfolioAssignment(
                    customer_id=cid,
                    seller_code=owner,
                    since=DAY - timedelta(days=30),
                    reason=AssignmentReason.NONE if owner is None else AssignmentReason.DAILY_RULE,
                )
            )
        if draw(st.integers(0, 9)) == 0:
            continue  # no customer record
        customers.append(
            Customer(
                customer_id=cid,
                name=draw(st.sampled_from(["Ana Souza", "JOSÉ DA SILVA", "maria"])),
                registered_at=datetime(2025, 1, 1, tzinfo=UTC),
                cpf=draw(st.none() | st.sampled_from(CPFS).map(Cpf)),
            )
        )
        if draw(st.booleans()):
            orders.append(
                Order(
                    order_id=f"P{cid}",
                    customer_id=cid,
                    store_id="L01",
                    placed_at=at(DAY - timedelta(days=draw(st.integers(1, 40)))),
                    total=Decimal("50.00"),
                    seller_code=None,
                )
            )
        v = draw(st.none() | st.integers(1, 5))
        if v is not None:
            scores.append(
                RfvScore(
                    customer_id=cid,
                    recency_days=10,
                    frequency=1,
                    value=Decimal("10.00"),
                    r=3,
                    f=3,
                    v=v,
                    segment="loyal_customers",
                )
            )
    campaigns = []
    for campaign_id in draw(st.lists(st.sampled_from("ABC"), unique=True, max_size=3)):
        first_day = DAY + timedelta(days=draw(st.integers(-5, 1)))
        campaigns.append(
            Campaign(
                campaign_id=campaign_id,
                name=f"Campanha {campaign_id}",
                priority=draw(st.integers(1, 3)),
                first_day=first_day,
                last_day=first_day + timedelta(days=draw(st.integers(0, 6))),
                audience=draw(st.sampled_from(AUDIENCES)),
                channels=draw(st.lists(st.sampled_from(CHANNELS), unique=True, min_size=1)),
                message="Olá, {primeiro_nome}! {vendedor}, {loja}.",
                quarantine_days=draw(st.integers(0, 10)),
            )
        )
    consents = [
        ConsentEvent(
            customer_id=draw(some_ids),
            channel=draw(st.sampled_from(CHANNELS)),
            granted=draw(st.integers(0, 3)) > 0,
            at=at(DAY - timedelta(days=draw(st.integers(-1, 30))), draw(st.integers(0, 23))),
            source=ConsentSource.IMPORT,
            recorded_by="import",
        )
        for _ in range(draw(st.integers(0, 3 * n + 2)))
    ]
    blocks = [
        BlockEvent(
            cpf=Cpf(draw(st.sampled_from(CPFS))),
            features=frozenset({draw(st.sampled_from(list(BlockFeature)))}),
            blocked=draw(st.booleans()),
            reason="pedido do cliente",
            by="u-gerente",
            at=at(DAY - timedelta(days=draw(st.integers(-1, 5))), draw(st.integers(0, 23))),
        )
        for _ in range(draw(st.integers(0, 3)))
    ]
    contacts = []
    for k in range(draw(st.integers(0, n + 4))):
        ago = draw(st.integers(1, 25))
        when = at(DAY - timedelta(days=ago), draw(st.integers(8, 20)))
        due = draw(st.sampled_from([None, DAY, DAY, DAY + timedelta(days=1)]))
        contacts.append(
            Contact(
                contact_id=f"A{k}",
                seller_code=draw(st.sampled_from(SELLERS)),
                customer_id=draw(some_ids),
                campaign_id=draw(st.sampled_from("ABC")) if draw(st.integers(0, 2)) == 0 else None,
                channel=draw(st.sampled_from(CHANNELS)),
                started_at=when,
                finished_at=when + timedelta(minutes=5),
                follow_up=None if due is None else FollowUp(day=due, note="Retomar a conversa"),
                in_portfolio=True,
            )
        )
    earlier = []
    for cid in draw(st.lists(some_ids, unique=True, max_size=4)):
        day = DAY - timedelta(days=draw(st.integers(1, 12)))
        earlier.append(
            Suggestion(
                suggestion_id=f"{day.isoformat()}:{cid}",
                day=day,
                seller_code=draw(st.sampled_from(SELLERS)),
                customer_id=cid,
                kind=SuggestionKind.CAMPAIGN,
                campaign_id=draw(st.sampled_from("ABC")),
                channel=ContactChannel.WHATSAPP,
                message="Olá!",
                reason=SuggestionReason.CAMPAIGN,
                detail="earlier",
                rank=1,
            )
        )
    workloads = [
        (code, SellerWorkload(hours_worked=draw(st.integers(0, 2))))
        for code in SELLERS
        if draw(st.integers(0, 2)) == 0
    ]
    max_contacts = draw(st.none() | st.integers(1, 3))
    suggestions = SuggestionPolicy(
        limiter=SuggestionLimiter(0, 100),
        default_workload=SellerWorkload(
            hours_worked=draw(st.integers(1, 3)),
            idle_share=Decimal("0.25"),
            avg_conversation_minutes=15,
        ),
        quarantine=QuarantinePolicy(
            days_after_contact=draw(st.integers(0, 7)),
            max_contacts=max_contacts,
            per_days=None if max_contacts is None else 10,
        ),
    )
    policy = AttendancePolicy(
        suggestions=suggestions, consent=ConsentPolicy(default_granted=draw(st.booleans()))
    )
    records: Records = {
        "stores": stores,
        "sellers": sellers,
        "customers": customers,
        "orders": orders,
        "assignments": assignments,
        "scores": scores,
        "campaigns": campaigns,
        "consents": consents,
        "blocks": blocks,
        "contacts": contacts,
        "earlier": earlier,
        "workloads": workloads,
    }
    return records, policy


def _store(records: Records) -> UnitOfWork:
    uow = InMemoryUnitOfWork()
    with uow:
        for store in records["stores"]:
            uow.stores.add(store)
        for seller in records["sellers"]:
            uow.sellers.add(seller)
        for customer in records["customers"]:
            uow.customers.add(customer)
        uow.orders.add_many(records["orders"])
        uow.portfolio.set_many(records["assignments"])
        uow.rfv.save(DAY - timedelta(days=1), {s.customer_id: s for s in records["scores"]})
        for campaign in records["campaigns"]:
            uow.campaigns.add(campaign)
        uow.consent.append_many(records["consents"])
        uow.blocks.append_many(records["blocks"])
        uow.contacts.add_many(records["contacts"])
        for suggestion in records["earlier"]:
            uow.suggestions.save_day(suggestion.day, [suggestion])
        for code, workload in records["workloads"]:
            uow.workloads.set(code, workload)
    return uow


@settings(max_examples=examples(1))
@given(brands())
def test_every_answer_is_the_whole_plans(brand: tuple[Records, AttendancePolicy]) -> None:
    records, policy = brand
    never_generated = _store(records)
    uow = _store(records)
    plan = generate_suggestions(uow, DAY, policy)
    with uow:
        stored = uow.outcomes.count(DAY)
    known = {c.customer_id for c in records["customers"]}
    known |= {a.customer_id for a in records["assignments"]}
    known |= {
        c.customer_id
        for c in records["contacts"]
        if c.follow_up is not None and c.follow_up.day == DAY
    }
    assert stored == len(known)  # one row per customer the day's plan knew
    for cid in sorted(known | {"C99"}):
        expected = plan.explain(cid)
        assert explain_customer(uow, cid, DAY, policy) == expected
        assert explain_customer(uow, cid, DAY, policy, replan=True) == expected
        assert explain_customer(never_generated, cid, DAY, policy) == expected
