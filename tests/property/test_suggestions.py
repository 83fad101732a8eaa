"""Invariants of the daily suggestions, checked against a naive reference model.

The model re-states the rule of :mod:`otocore.suggestions` with the slow, obviously
correct functions of each module (``consent_on`` over the raw events, ``is_blocked``
over the raw block events, ``quarantine_status`` over one customer's raw contacts) and
must give exactly the same lists.
"""

from __future__ import annotations

import contextlib
import json
import random
from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import given
from hypothesis import strategies as st

from _support import brands as shared
from _support.brands import CHANNELS, DAY
from _support.builders import at
from _support.strategies import json_values
from otocore.blocking import BlockEvent, BlockFeature, BlockList, is_blocked
from otocore.campaigns import Campaign
from otocore.consent import ConsentEvent, ConsentLedger, ConsentSource, ContactChannel, consent_on
from otocore.contacts import Contact
from otocore.distribution import SuggestionLimiter
from otocore.errors import ValidationError
from otocore.filters import AllOf, CustomerFacts, HasPurchases, Not, VScoreBetween
from otocore.orders import Order
from otocore.portfolio import PortfolioAssignment
from otocore.quarantine import quarantine_status
from otocore.sellers import Seller, Store
from otocore.serialization import converter
from otocore.suggestions import (
    SellerWorkload,
    Suggestion,
    SuggestionKind,
    SuggestionOutcome,
    SuggestionPlan,
    SuggestionPolicy,
    plan_suggestions,
)

SELLERS = ("V01", "V02", "V03")
AUDIENCES = (
    AllOf([]),
    AllOf([]),
    HasPurchases(),
    Not(HasPurchases()),
    VScoreBetween(min=3),
    Not(VScoreBetween(min=4)),
)


@attrs.frozen
class Brand:
    """Every input of one day's plan, as plain lists."""

    sellers: list[Seller]
    stores: list[Store]
    assignments: list[PortfolioAssignment]
    facts: dict[str, CustomerFacts]
    campaigns: list[Campaign]
    consents: list[ConsentEvent]
    blocks: list[BlockEvent]
    contacts: list[Contact]
    workloads: dict[str, SellerWorkload]
    anonymized: frozenset[str]
    policy: SuggestionPolicy

    def plan(self, rng: random.Random | None = None, **overrides: Any) -> SuggestionPlan:
        def mixed(items: Iterable[Any]) -> list[Any]:
            out = list(items)
            if rng is not None:
                rng.shuffle(out)
            return out

        facts = dict(mixed(self.facts.items()))
        arguments: dict[str, Any] = {
            "sellers": mixed(self.sellers),
            "stores": mixed(self.stores),
            "assignments": mixed(self.assignments),
            "facts": facts,
            "campaigns": mixed(self.campaigns),
            "consent": ConsentLedger.from_events(mixed(self.consents)),
            "blocks": BlockList.from_events(mixed(self.blocks)),
            "contacts": mixed(self.contacts),
            "workloads": dict(mixed(self.workloads.items())),
            "anonymized": set(mixed(self.anonymized)),
            "policy": self.policy,
        }
        arguments.update(overrides)
        return plan_suggestions(DAY, **arguments)

    @property
    def customer_ids(self) -> set[str]:
        return {a.customer_id for a in self.assignments} | set(self.facts)


@st.composite
def brands(draw: st.DrawFn) -> Brand:
    stores = [Store(store_id="L01", name="Loja Centro"), Store(store_id="L02", name="Loja Sul")]
    sellers = draw(shared.sellers(SELLERS, ["L01", "L02"]))
    n = draw(st.integers(0, 12))
    ids = [f"C{i:02d}" for i in range(n)]
    facts: dict[str, CustomerFacts] = {}
    assignments = []
    for cid in ids:
        assignments.append(
            shared.assignment(cid, draw(st.sampled_from([*SELLERS, *SELLERS, None, "V09"])))
        )
        if draw(st.integers(0, 9)) == 0:
            continue  # no customer record
        customer = draw(shared.customers(cid))
        rfv = draw(shared.rfv_scores(cid))
        orders = []
        if draw(st.booleans()):
            orders.append(
                Order(
                    order_id=f"P{cid}",
                    customer_id=cid,
                    store_id="L01",
                    placed_at=at(DAY - timedelta(days=10), 12),
                    total=Decimal("50.00"),
                    seller_code=None,
                )
            )
        facts[cid] = CustomerFacts.build(customer, orders, DAY, rfv=rfv)
    campaigns = draw(
        shared.campaigns(
            st.lists(st.sampled_from("ABCD"), unique=True, min_size=1, max_size=4),
            audiences=st.sampled_from(AUDIENCES),
            channels=st.permutations(CHANNELS).map(list).flatmap(_prefixes),
            starts=st.integers(0, 4).flatmap(lambda k: st.integers(-5, 0) if k else st.just(1)),
            lasts=st.integers(0, 10),
            active=st.integers(0, 4).map(lambda k: k > 0),
        )
    )
    some_ids = st.sampled_from(ids) if ids else st.just("C99")
    consents = [
        ConsentEvent(
            customer_id=cid,
            channel=channel,
            granted=True,
            at=at(DAY - timedelta(days=60), 12),
            source=ConsentSource.IMPORT,
            recorded_by="import",
        )
        for cid in ids
        for channel in draw(
            st.lists(st.sampled_from(CHANNELS), unique=True, min_size=1, max_size=2)
        )
    ]
    consents += draw(shared.consent_events(some_ids, max_count=n + 2, days_ago=(0, 5)))
    blocks = draw(
        shared.block_events(
            features=[BlockFeature.CAMPAIGNS, BlockFeature.LOYALTY], days_ago=(0, 5)
        )
    )
    contacts = draw(
        shared.contacts(
            some_ids,
            seller_codes=SELLERS,
            max_count=n + 4,
            days_ago=(0, 10),
            follow_ups=st.none() | st.just(DAY),  # half of the contacts before the day
            campaign_ids="ABCD",
            campaign_one_in=3,
        )
    )
    workloads = {
        code: SellerWorkload(hours_worked=draw(st.integers(0, 3)))
        for code in SELLERS
        if draw(st.booleans())
    }
    policy = draw(
        shared.suggestion_policies(
            max_hours=4,
            rest_days=st.booleans().flatmap(lambda b: st.integers(0, 7) if b else st.just(7)),
        )
    )
    anonymized = frozenset(draw(st.lists(some_ids, max_size=1)))
    return Brand(
        sellers, stores, assignments, facts, campaigns, consents, blocks, contacts, workloads,
        anonymized, policy,
    )  # fmt: skip


def _prefixes(channels: list[ContactChannel]) -> st.SearchStrategy[list[ContactChannel]]:
    return st.integers(1, len(channels)).map(lambda k: channels[:k])


# the reference model ------------------------------------------------------------------


Row = tuple[str, str | None, ContactChannel]


def model(brand: Brand) -> dict[str, list[Row]]:
    """Each active seller's list, computed the slow, obvious way."""
    active = {s.code for s in brand.sellers if s.is_active}
    chosen = [_choose(brand, cid, active) for cid in sorted(brand.customer_ids)]
    lists: dict[str, list[Row]] = {}
    for code in sorted(active):
        workload = brand.workloads.get(code, SellerWorkload())
        hours = workload.hours_worked
        if hours is None:
            hours = brand.policy.default_workload.hours_worked
        assert hours is not None
        limit = brand.policy.limiter.daily_limit(hours, Decimal("0.25"), 15)
        mine = sorted((got[1], got[2]) for got in chosen if got is not None and got[0] == code)
        rows = [row for _, row in mine[:limit]]
        if rows:
            lists[code] = rows
    return lists


def _choose(brand: Brand, cid: str, active: set[str]) -> tuple[str, tuple[Any, ...], Row] | None:
    """The customer's (seller, sort key, row) before the cut, or None."""
    if cid in brand.anonymized:
        return None
    due = [
        c
        for c in brand.contacts
        if c.customer_id == cid and c.follow_up is not None and c.follow_up.day == DAY
    ]
    follow_up = max(
        due, key=lambda c: (c.seller_code in active, c.finished_at, c.contact_id), default=None
    )
    seller = next((a.seller_code for a in brand.assignments if a.customer_id == cid), None)
    if follow_up is not None:
        if follow_up.seller_code in active:
            seller = follow_up.seller_code
        elif seller not in active:
            follow_up = None
    if seller is None or seller not in active or cid not in brand.facts:
        return None
    facts = brand.facts[cid]
    cpf = facts.customer.cpf
    if cpf is not None and is_blocked(brand.blocks, cpf, BlockFeature.CAMPAIGNS, DAY):
        return None
    rank_v = (1, 0) if facts.rfv is None else (0, -facts.rfv.v)
    if follow_up is not None:
        if consent_on(brand.consents, cid, follow_up.channel, DAY):
            return seller, (0, *rank_v, cid), (cid, None, follow_up.channel)
        return None
    mine = [c for c in brand.contacts if c.customer_id == cid]
    qpolicy = brand.policy.quarantine
    if quarantine_status(mine, DAY, qpolicy).in_quarantine:
        return None
    for campaign in sorted(brand.campaigns, key=lambda c: (c.priority, c.campaign_id)):
        if not campaign.runs_on(DAY) or not campaign.audience.matches(facts, DAY):
            continue
        if quarantine_status(mine, DAY, qpolicy, campaign=campaign).in_quarantine:
            continue
        channel = next(
            (ch for ch in campaign.channels if consent_on(brand.consents, cid, ch, DAY)), None
        )
        if channel is not None:
            key = (campaign.priority, *rank_v, cid)
            return seller, key, (cid, campaign.campaign_id, channel)
    return None


def listed(plan: SuggestionPlan) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = {}
    for s in plan:
        out.setdefault(s.seller_code, []).append((s.customer_id, s.campaign_id, s.channel))
    return out


# properties ------------------------------------------------------------------------------


@given(brands())
def test_the_plan_is_the_reference_models(brand: Brand) -> None:
    assert listed(brand.plan()) == model(brand)


@given(brands())
def test_each_list_is_ranked_unique_and_within_the_limit(brand: Brand) -> None:
    plan = brand.plan()
    customers = [s.customer_id for s in plan]
    assert len(customers) == len(set(customers))
    active = {s.code for s in brand.sellers if s.is_active}
    assert set(plan.limits) == active
    for code in active:
        mine = plan.for_seller(code)
        assert len(mine) <= plan.limits[code]
        assert [s.rank for s in mine] == list(range(1, len(mine) + 1))
        assert all(s.day == DAY and s.seller_code == code for s in mine)
        priorities = [
            0 if s.kind is SuggestionKind.FOLLOW_UP else _priority(brand, s) for s in mine
        ]
        assert priorities == sorted(priorities)


def _priority(brand: Brand, suggestion: Suggestion) -> int:
    return next(c.priority for c in brand.campaigns if c.campaign_id == suggestion.campaign_id)


@given(brands(), st.integers(0, 2**32 - 1))
def test_the_order_of_the_inputs_never_matters(brand: Brand, seed: int) -> None:
    assert brand.plan(random.Random(seed)) == brand.plan()


@given(brands())
def test_explain_agrees_with_the_plan(brand: Brand) -> None:
    plan = brand.plan()
    for cid in sorted(brand.customer_ids | {"C99"}):
        why = plan.explain(cid)
        suggestion = plan.suggestion_for(cid)
        assert why.customer_id == cid
        assert why.day == DAY
        assert (why.outcome is SuggestionOutcome.SUGGESTED) == (suggestion is not None)
        assert why.suggestion == suggestion
        if why.outcome is SuggestionOutcome.CUT_BY_LIMIT:
            assert why.seller_code is not None
            assert len(plan.for_seller(why.seller_code)) == plan.limits[why.seller_code]
        if why.outcome is SuggestionOutcome.QUARANTINED:
            assert why.free_on is not None
            assert why.free_on > DAY
        if why.outcome is SuggestionOutcome.ANONYMIZED:
            assert cid in brand.anonymized


@given(brands())
def test_more_room_only_lengthens_the_lists(brand: Brand) -> None:
    small = brand.plan()
    roomy = brand.plan(
        workloads={},
        policy=attrs.evolve(brand.policy, limiter=SuggestionLimiter(100, 100)),
    )
    for code in small.limits:
        short, long = small.for_seller(code), roomy.for_seller(code)
        assert long[: len(short)] == short
        assert len(long) == small.candidates(code)
    cut = {
        cid
        for cid in brand.customer_ids
        if small.explain(cid).outcome is SuggestionOutcome.CUT_BY_LIMIT
    }
    assert {s.customer_id for s in roomy} == {s.customer_id for s in small} | cut


@given(brands())
def test_suggestions_round_trip_through_json(brand: Brand) -> None:
    for suggestion in brand.plan():
        data = json.loads(json.dumps(converter.unstructure(suggestion)))
        assert converter.structure(data, Suggestion) == suggestion


JSON = json_values(floats=False, text_size=12, max_leaves=10)


@given(
    st.fixed_dictionaries(
        {
            "suggestion_id": JSON,
            "day": st.just("2026-05-11") | JSON,
            "seller_code": st.just("V01") | JSON,
            "customer_id": st.just("C1") | JSON,
            "kind": st.sampled_from(["campaign", "follow_up"]) | JSON,
            "campaign_id": st.none() | JSON,
            "channel": st.just("sms") | JSON,
            "message": st.just("Oi") | JSON,
            "reason": st.sampled_from(["campaign", "follow_up"]) | JSON,
            "detail": st.just("x") | JSON,
            "rank": st.integers(-1, 3) | JSON,
        }
    )
)
def test_junk_only_raises_validation_error(data: dict[str, Any]) -> None:
    with contextlib.suppress(ValidationError):
        converter.structure(data, Suggestion)
