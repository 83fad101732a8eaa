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

from datetime import timedelta
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from _support import brands as shared
from _support.brands import CHANNELS, DAY
from _support.builders import at
from _support.strategies import examples
from otocore.adapters.memory import InMemoryUnitOfWork
from otocore.attendance import AttendancePolicy, explain_customer, generate_suggestions
from otocore.blocking import BlockFeature
from otocore.consent import ConsentPolicy, ContactChannel
from otocore.filters import AllOf, HasPurchases, Not, VScoreBetween
from otocore.orders import Order
from otocore.repositories import UnitOfWork
from otocore.sellers import Store
from otocore.suggestions import (
    SellerWorkload,
)

SELLERS = ("V01", "V02", "V03", "V04")
AUDIENCES = (AllOf([]), HasPurchases(), Not(HasPurchases()), VScoreBetween(min=3))

Records = dict[str, list[Any]]


@st.composite
def brands(draw: st.DrawFn) -> tuple[Records, AttendancePolicy]:
    """Every record of a small brand, by repository, and its attendance policy."""
    stores = [Store(store_id="L01", name="Loja Centro")]
    sellers = draw(shared.sellers(SELLERS, ["L01"]))
    n = draw(st.integers(0, 18))
    ids = [f"C{i:02d}" for i in range(n)]
    some_ids = st.sampled_from(ids) if ids else st.just("C99")
    customers, orders, assignments, scores = [], [], [], []
    for cid in ids:
        owner = draw(st.sampled_from([*SELLERS, *SELLERS, *SELLERS, None, "V09"]))
        if draw(st.integers(0, 7)):
            assignments.append(shared.assignment(cid, owner))
        if draw(st.integers(0, 9)) == 0:
            continue  # no customer record
        customers.append(draw(shared.customers(cid)))
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
        score = draw(shared.rfv_scores(cid))
        if score is not None:
            scores.append(score)
    campaigns = draw(
        shared.campaigns(
            st.lists(st.sampled_from("ABC"), unique=True, max_size=3),
            audiences=st.sampled_from(AUDIENCES),
            channels=st.lists(st.sampled_from(CHANNELS), unique=True, min_size=1),
            starts=st.integers(-5, 1),
            lasts=st.integers(0, 6),
            active=st.just(True),
        )
    )
    consents = draw(shared.consent_events(some_ids, max_count=3 * n + 2, days_ago=(-1, 30)))
    blocks = draw(shared.block_events(features=list(BlockFeature), days_ago=(-1, 5)))
    contacts = draw(
        shared.contacts(
            some_ids,
            seller_codes=SELLERS,
            max_count=n + 4,
            days_ago=(1, 25),
            follow_ups=st.sampled_from([None, DAY, DAY, DAY + timedelta(days=1)]),
            campaign_ids="ABC",
            campaign_one_in=3,
        )
    )
    earlier = []
    for cid in draw(st.lists(some_ids, unique=True, max_size=4)):
        day = DAY - timedelta(days=draw(st.integers(1, 12)))
        seller = draw(st.sampled_from(SELLERS))
        campaign_id = draw(st.sampled_from("ABC"))
        earlier.append(
            shared.earlier_suggestion(cid, day, seller, campaign_id, ContactChannel.WHATSAPP)
        )
    workloads = [
        (code, SellerWorkload(hours_worked=draw(st.integers(0, 2))))
        for code in SELLERS
        if draw(st.integers(0, 2)) == 0
    ]
    suggestions = draw(shared.suggestion_policies(max_hours=3, rest_days=st.integers(0, 7)))
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
