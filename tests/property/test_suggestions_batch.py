"""The columnar planner equals the one-by-one engine; the day's indexes equal their rules.

``plan_suggestions`` runs column-wise from ``COLUMNAR_FROM`` customers on
(``otocore.suggestions._batch``); the one-by-one :meth:`Engine.allocate_each` is the
reference. Generated brands mix every case the rule knows (follow-ups, anonymized
customers, missing records, blocked CPFs, quarantines of both kinds, earlier
suggestions, consent by default or by event, audiences of every predicate) and both
paths must give the same lists, ranks and candidate counts. The indexes the planner
reads (the consent ledger's day, contact histories built without re-validation,
``ContactHistory._rests``) are compared with the functions they stand for.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from _support import brands as shared
from _support.brands import CHANNELS, DAY
from _support.builders import at
from otocore.blocking import BlockFeature, BlockList
from otocore.campaigns import Campaign
from otocore.consent import (
    ConsentEvent,
    ConsentLedger,
    ConsentPolicy,
    ConsentSource,
    ContactChannel,
)
from otocore.customers import Customer
from otocore.errors import ValidationError
from otocore.filters import CustomerFacts
from otocore.orders import Order
from otocore.portfolio import AssignmentReason, PortfolioAssignment
from otocore.quarantine import ContactHistory, contact_histories
from otocore.sellers import Seller, Store
from otocore.suggestions import (
    SellerWorkload,
    Suggestion,
    SuggestionPolicy,
    plan_suggestions,
)
from otocore.suggestions._batch import allocate, allocate_columnar
from otocore.suggestions._engine import Engine
from otocore.testing._filters import filters

SELLERS = ("V01", "V02", "V03", "V04")
SEGMENTS = ("champions", "loyal_customers", "at_risk")


@st.composite
def days_inputs(draw: st.DrawFn) -> dict[str, Any]:
    """The keyword arguments of one day's plan, every case of the rule mixed in."""
    stores = [Store(store_id="L01", name="Loja Centro"), Store(store_id="L02", name="Loja Sul")]
    sellers = draw(shared.sellers(SELLERS, ["L01", "L02"]))
    n = draw(st.integers(0, 30))
    ids = [f"C{i:02d}" for i in range(n)]
    some_ids = st.sampled_from(ids) if ids else st.just("C99")
    facts: dict[str, CustomerFacts] = {}
    assignments = []
    for cid in ids:
        assignments.append(
            shared.assignment(cid, draw(st.sampled_from([*SELLERS, *SELLERS, None, "V09"])))
        )
        if draw(st.integers(0, 9)) == 0:
            continue  # no customer record
        customer = draw(shared.customers(cid, varied=True))
        rfv = draw(shared.rfv_scores(cid, segments=SEGMENTS))
        orders = [
            Order(
                order_id=f"P{cid}-{k}",
                customer_id=cid,
                store_id=draw(st.sampled_from(["L01", "L02"])),
                placed_at=at(DAY - timedelta(days=draw(st.integers(0, 400))), 12),
                total=Decimal("50.00"),
                seller_code=None,
            )
            for k in range(draw(st.integers(0, 2)))
        ]
        facts[cid] = CustomerFacts.build(customer, orders, DAY, rfv=rfv)
    campaigns = draw(
        shared.campaigns(
            st.lists(st.sampled_from("ABCDE"), unique=True, max_size=5),
            audiences=filters(max_leaves=4, segments=SEGMENTS),
            channels=st.lists(st.sampled_from(CHANNELS), unique=True, min_size=1),
            starts=st.integers(0, 5).flatmap(lambda k: st.integers(-5, 0) if k else st.just(1)),
            lasts=st.integers(0, 10),
            active=st.integers(0, 5).map(lambda k: k > 0),
        )
    )
    consents = draw(shared.consent_events(some_ids, max_count=2 * n + 2, days_ago=(-1, 60)))
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
            days_ago=(0, 12),
            follow_ups=st.sampled_from([DAY, None, None, None]),  # a quarter of those before
            campaign_ids="ABCDE",
            campaign_one_in=2,
        )
    )
    earlier = []
    for cid in draw(st.lists(some_ids, max_size=n // 2 + 1)) if campaigns else []:
        campaign = draw(st.sampled_from(campaigns))
        day = DAY - timedelta(days=draw(st.integers(-1, 12)))
        seller = draw(st.sampled_from(SELLERS))
        earlier.append(
            shared.earlier_suggestion(cid, day, seller, campaign.campaign_id, campaign.channels[0])
        )
    policy = draw(shared.suggestion_policies(max_hours=3, rest_days=st.integers(0, 7)))
    return {
        "sellers": sellers,
        "stores": stores,
        "assignments": assignments,
        "facts": facts,
        "campaigns": campaigns,
        "consent": ConsentLedger.from_events(
            consents, policy=ConsentPolicy(default_granted=draw(st.integers(0, 3)) == 0)
        ),
        "blocks": BlockList.from_events(blocks),
        "contacts": contacts,
        "earlier_suggestions": earlier,
        "workloads": {
            code: SellerWorkload(hours_worked=draw(st.integers(0, 2)))
            for code in SELLERS
            if draw(st.booleans())
        },
        "anonymized": frozenset(draw(st.lists(some_ids, max_size=2))),
        "policy": policy,
    }


@given(days_inputs())
def test_the_columnar_planner_gives_the_one_by_one_lists(inputs: dict[str, Any]) -> None:
    planned = allocate_columnar(Engine(day=DAY, **inputs))
    assert planned is not None  # valid input never falls back
    assert planned == Engine(day=DAY, **inputs).allocate_each()


@given(days_inputs())
def test_every_suggestion_of_a_plan_passes_the_constructor(inputs: dict[str, Any]) -> None:
    engine = Engine(day=DAY, **inputs)
    for path in (engine.allocate_each(), allocate(engine, columnar=True)):
        for listed in path[0].values():
            for s in listed:
                assert Suggestion(**attrs.asdict(s, recurse=False)) == s


@given(days_inputs(), st.data())
def test_bad_facts_raise_what_the_one_by_one_path_raises(
    inputs: dict[str, Any], data: st.DataObject
) -> None:
    facts = inputs["facts"]
    if not facts:
        return
    cid = data.draw(st.sampled_from(sorted(facts)))
    wrong = data.draw(st.sampled_from(["day", "id", "type"]))
    if wrong == "day":
        f = facts[cid]
        facts[cid] = CustomerFacts.build(f.customer, [], DAY + timedelta(days=1))
    elif wrong == "id":
        facts[cid] = next(iter(facts.values())) if len(facts) > 1 else "junk"
    else:
        facts[cid] = "junk"

    def outcome(columnar: bool) -> Any:
        try:
            return allocate(Engine(day=DAY, **inputs), columnar=columnar)
        except ValidationError as exc:
            return str(exc)

    assert outcome(True) == outcome(False)


@given(days_inputs())
def test_plan_suggestions_explains_the_same_with_either_path(inputs: dict[str, Any]) -> None:
    columnar = plan_suggestions(DAY, **inputs)
    engine = Engine(day=DAY, **inputs)
    by_seller, counts = engine.allocate_each()
    reference = type(columnar)(engine, by_seller, counts)
    assert columnar == reference
    for cid in sorted(inputs["facts"]):
        assert columnar.explain(cid) == reference.explain(cid)


def test_small_brands_plan_one_by_one_and_large_ones_column_wise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from otocore.suggestions import _batch

    calls: list[str] = []
    monkeypatch.setattr(_batch, "allocate_columnar", lambda e: calls.append("columnar"))
    engine = Engine(
        day=DAY,
        sellers=[],
        stores=[],
        assignments=[],
        facts={},
        campaigns=[],
        consent=ConsentLedger(),
        blocks=BlockList(),
        contacts=[],
        earlier_suggestions=[],
        workloads=None,
        anonymized=frozenset(),
        policy=SuggestionPolicy(),
    )
    assert allocate(engine) == ({}, {})
    assert calls == []
    monkeypatch.setattr(_batch, "COLUMNAR_FROM", 0)
    assert allocate(engine) == ({}, {})  # the columnar path said "fall back"
    assert calls == ["columnar"]


# the day's indexes ----------------------------------------------------------------------


@st.composite
def ledgers(draw: st.DrawFn) -> tuple[ConsentLedger, list[ConsentEvent]]:
    events = draw(
        st.lists(
            st.builds(
                ConsentEvent,
                customer_id=st.sampled_from(["C1", "C2", "C3"]),
                channel=st.sampled_from(ContactChannel),
                granted=st.booleans(),
                at=st.integers(0, 8).map(lambda d: at(DAY - timedelta(days=d - 3), 12)),
                source=st.sampled_from(ConsentSource),
                recorded_by=st.sampled_from(["import", "V01"]),
            ),
            max_size=12,
        )
    )
    policy = ConsentPolicy(default_granted=draw(st.booleans()))
    if draw(st.booleans()):
        return ConsentLedger.from_events(events, policy=policy), events
    ledger = ConsentLedger(policy=policy)
    for event in events:  # one at a time, in the drawn order (older ones after newer)
        ledger.record(event)
    return ledger, events


@given(ledgers(), st.integers(-4, 6))
def test_the_days_consent_index_is_channels_granted_of_each_customer(
    drawn: tuple[ConsentLedger, list[ConsentEvent]], offset: int
) -> None:
    ledger, events = drawn
    day = DAY + timedelta(days=offset)
    index = ledger.channels_by_customer(day)
    assert set(index) == {e.customer_id for e in events}
    for cid in ("C1", "C2", "C3", "C9"):
        expected = frozenset(
            ch
            for ch in ContactChannel
            if _consent_on_reference(events, cid, ch, day, ledger.policy.default_granted)
        )
        assert index.get(cid, ledger.default_channels) == expected
        assert ledger.channels_granted(cid, day) == expected
    instant = at(day, 12)
    assert ledger.channels_by_customer(instant) == {
        cid: ledger.channels_granted(cid, instant) for cid in index
    }


def _consent_on_reference(
    events: list[ConsentEvent], cid: str, channel: ContactChannel, day: date, default: bool
) -> bool:
    from otocore.consent import consent_on

    return consent_on(events, cid, channel, day, policy=ConsentPolicy(default_granted=default))


@given(days_inputs())
def test_contact_histories_equal_the_constructors_and_rests_is_in_quarantine(
    inputs: dict[str, Any],
) -> None:
    policy = inputs["policy"].quarantine
    histories = contact_histories(inputs["contacts"], policy)
    for cid, history in histories.items():
        rebuilt = ContactHistory(
            policy=policy,
            customer_id=cid,
            days=history.days,
            campaign_days=dict(history.campaign_days),
        )
        assert rebuilt == history
        assert rebuilt._by_campaign == history._by_campaign
        for offset in range(-2, 12):
            day = DAY + timedelta(days=offset)
            assert history._rests(day) == history.status(day).in_quarantine


def _vectors_module() -> Any:
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "unit" / "test_suggestions_vectors.py"
    spec = importlib.util.spec_from_file_location("_suggestions_vectors", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_golden_vectors_plan_the_same_column_wise(monkeypatch: pytest.MonkeyPatch) -> None:
    from otocore.suggestions import _batch

    vectors = _vectors_module()
    assert vectors.VECTORS
    for path in vectors.VECTORS:
        data = vectors._load(path)
        one_by_one = vectors._plan(data)
        with monkeypatch.context() as patched:
            patched.setattr(_batch, "COLUMNAR_FROM", 0)
            column_wise = vectors._plan(data)
        assert column_wise == one_by_one, path.name
        for cid in sorted({a["customer_id"] for a in data["assignments"]}):
            assert column_wise.explain(cid) == one_by_one.explain(cid)


def test_a_customer_who_revoked_every_channel_under_default_consent_is_not_suggested() -> None:
    # default consent on every channel; C1 revoked all five: an empty set, not "no event"
    from otocore.filters import AllOf

    revoked = [
        ConsentEvent(
            customer_id="C1",
            channel=channel,
            granted=False,
            at=at(DAY - timedelta(days=3), 12),
            source=ConsentSource.CUSTOMER_REQUEST,
            recorded_by="u-sac",
        )
        for channel in ContactChannel
    ]
    when = datetime(2025, 1, 1, tzinfo=UTC)
    facts = {
        cid: CustomerFacts.build(Customer(customer_id=cid, name="Ana", registered_at=when), [], DAY)
        for cid in ("C1", "C2")
    }
    engine = Engine(
        day=DAY,
        sellers=[Seller(code="V01", name="Bruno", store_id="L01")],
        stores=[Store(store_id="L01", name="Loja Centro")],
        assignments=[
            PortfolioAssignment(
                customer_id=cid, seller_code="V01", since=DAY, reason=AssignmentReason.DAILY_RULE
            )
            for cid in facts
        ],
        facts=facts,
        campaigns=[
            Campaign(
                campaign_id="TODOS",
                name="Todos",
                priority=1,
                first_day=DAY,
                last_day=DAY,
                audience=AllOf([]),
                channels=[ContactChannel.WHATSAPP],
                message="Oi, {primeiro_nome}!",
            )
        ],
        consent=ConsentLedger.from_events(revoked, policy=ConsentPolicy(default_granted=True)),
        blocks=BlockList(),
        contacts=[],
        earlier_suggestions=[],
        workloads=None,
        anonymized=frozenset(),
        policy=SuggestionPolicy(),
    )
    planned = allocate_columnar(engine)
    assert planned == engine.allocate_each()
    assert planned is not None
    assert [s.customer_id for s in planned[0]["V01"]] == ["C2"]
