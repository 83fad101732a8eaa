"""A brand lives through days of contacts, opt-outs, blocks and seller changes.

At every step the day's plan is regenerated and checked against the raw logs with the
slow functions of each module: no suggestion for an opted-out, blocked, anonymized or
quarantined customer (a follow-up is exempt from the quarantine only), no seller over
their limit, no customer twice in a day, and the same state (its inputs given in any
order) gives the same suggestions.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from _support.builders import at
from _support.strategies import examples
from otocore.blocking import BlockEvent, BlockFeature, BlockList, is_blocked
from otocore.campaigns import Campaign
from otocore.consent import ConsentEvent, ConsentLedger, ConsentSource, ContactChannel, consent_on
from otocore.contacts import ConsentChange, Contact, FollowUp
from otocore.customers import Cpf, Customer
from otocore.distribution import Balanced, SuggestionLimiter, redistribute
from otocore.filters import AllOf, CustomerFacts, HasPurchases, Not, VScoreBetween
from otocore.orders import Order
from otocore.portfolio import AssignmentReason, PortfolioAssignment
from otocore.quarantine import QuarantinePolicy, quarantine_status
from otocore.rfv import RfvScore
from otocore.sellers import Seller, SellerStatus, Store
from otocore.suggestions import (
    SellerWorkload,
    Suggestion,
    SuggestionKind,
    SuggestionOutcome,
    SuggestionPlan,
    SuggestionPolicy,
    plan_suggestions,
)

START = date(2026, 5, 11)
CHANNELS = (ContactChannel.WHATSAPP, ContactChannel.SMS, ContactChannel.EMAIL)
CUSTOMERS = tuple(f"C{n:02d}" for n in range(12))
CPFS = {
    "C00": Cpf("52998224725"),
    "C01": Cpf("11144477735"),
    "C02": Cpf("12345678909"),
    "C03": Cpf("98765432100"),
}
SELLERS = ("V01", "V02", "V03", "V04")
STORE_OF = {"V01": "L01", "V02": "L01", "V03": "L02", "V04": "L02"}
QUARANTINE = QuarantinePolicy(days_after_contact=2, max_contacts=2, per_days=7)
POLICY = SuggestionPolicy(
    limiter=SuggestionLimiter(0, 10),
    default_workload=SellerWorkload(
        hours_worked=1, idle_share=Decimal("0.25"), avg_conversation_minutes=5
    ),
    quarantine=QUARANTINE,
)
WORKLOADS = {
    "V01": SellerWorkload(hours_worked=2),  # 6 a day
    "V03": SellerWorkload(hours_worked=Decimal("0.5")),  # 1 a day
}
LIMITS = {"V01": 6, "V02": 3, "V03": 1, "V04": 3}


def _campaigns() -> list[Campaign]:
    def make(
        cid: str, priority: int, audience: Any, channels: Any, *, q: int, last: int
    ) -> Campaign:
        return Campaign(
            campaign_id=cid,
            name=f"Campanha {cid}",
            priority=priority,
            first_day=START - timedelta(days=5),
            last_day=START + timedelta(days=last),
            audience=audience,
            channels=list(channels),
            message="Olá, {primeiro_nome}! Aqui é {vendedor}, da {loja}.",
            quarantine_days=q,
        )

    return [
        make("VIP", 1, VScoreBetween(min=4), [ContactChannel.WHATSAPP], q=5, last=60),
        make("TODOS", 2, AllOf([]), [ContactChannel.SMS, ContactChannel.WHATSAPP], q=3, last=60),
        make("NOVOS", 2, Not(HasPurchases()), [ContactChannel.EMAIL], q=0, last=10),
        make("GERAL", 3, AllOf([]), [ContactChannel.EMAIL, ContactChannel.WHATSAPP], q=1, last=60),
    ]


class SuggestionsMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.day = START
        self.sellers = {
            code: Seller(code=code, name=f"Vendedor {code}", store_id=STORE_OF[code])
            for code in SELLERS
        }
        self.stores = [Store(store_id="L01", name="Loja Centro"), Store(store_id="L02", name="Sul")]
        self.owner: dict[str, str] = {c: SELLERS[i % len(SELLERS)] for i, c in enumerate(CUSTOMERS)}
        self.customers = {
            cid: Customer(
                customer_id=cid,
                name="Ana Souza",
                registered_at=datetime(2025, 1, 1, tzinfo=UTC),
                cpf=CPFS.get(cid),
            )
            for cid in CUSTOMERS
        }
        self.scores = {
            cid: RfvScore(
                customer_id=cid,
                recency_days=5,
                frequency=1,
                value=Decimal("10.00"),
                r=3,
                f=3,
                v=i % 5 + 1,
                segment="loyal_customers",
            )
            for i, cid in enumerate(CUSTOMERS)
            if i % 4
        }
        self.orders = {
            cid: [
                Order(
                    order_id=f"P{cid}",
                    customer_id=cid,
                    store_id="L01",
                    placed_at=at(START - timedelta(days=20), 12),
                    total=Decimal("80.00"),
                    seller_code=self.owner[cid],
                )
            ]
            for i, cid in enumerate(CUSTOMERS)
            if i % 3
        }
        self.campaigns = _campaigns()
        self.consents = [
            ConsentEvent(
                customer_id=cid,
                channel=channel,
                granted=True,
                at=at(START - timedelta(days=30), 10),
                source=ConsentSource.IMPORT,
                recorded_by="import",
            )
            for i, cid in enumerate(CUSTOMERS)
            for channel in CHANNELS[: i % 3 + 1]
        ]
        self.blocks: list[BlockEvent] = []
        self.contacts: list[Contact] = []
        self.stored: list[Suggestion] = []
        self.anonymized: set[str] = set()
        self.steps = 0

    # the day's plan --------------------------------------------------------------------

    def plan(self, rng: random.Random | None = None) -> SuggestionPlan:
        def mixed(items: Any) -> list[Any]:
            out = list(items)
            if rng is not None:
                rng.shuffle(out)
            return out

        facts = {
            cid: CustomerFacts.build(
                c, self.orders.get(cid, []), self.day, rfv=self.scores.get(cid)
            )
            for cid, c in mixed(self.customers.items())
        }
        assignments = [
            PortfolioAssignment(
                customer_id=cid,
                seller_code=code,
                since=START,
                reason=AssignmentReason.DAILY_RULE,
            )
            for cid, code in mixed(self.owner.items())
        ]
        return plan_suggestions(
            self.day,
            sellers=mixed(self.sellers.values()),
            stores=mixed(self.stores),
            assignments=assignments,
            facts=facts,
            campaigns=mixed(self.campaigns),
            consent=ConsentLedger.from_events(mixed(self.consents)),
            blocks=BlockList.from_events(mixed(self.blocks)),
            contacts=mixed(self.contacts),
            earlier_suggestions=mixed(self.stored),
            workloads=dict(mixed(WORKLOADS.items())),
            anonymized=set(mixed(self.anonymized)),
            policy=POLICY,
        )

    def when(self, hour: int) -> datetime:
        return at(self.day, hour)

    # rules -----------------------------------------------------------------------------

    @rule(days=st.sampled_from([1, 1, 1, 2, 3]))
    def next_day(self, days: int) -> None:
        """The day ends: its suggestions are stored; a new day starts."""
        self.stored += list(self.plan())
        self.day += timedelta(days=days)

    @rule(
        cid=st.sampled_from(CUSTOMERS),
        channel=st.sampled_from(CHANNELS),
        granted=st.booleans(),
        hour=st.integers(0, 23),
    )
    def change_consent(self, cid: str, channel: ContactChannel, granted: bool, hour: int) -> None:
        self.consents.append(
            ConsentEvent(
                customer_id=cid,
                channel=channel,
                granted=granted,
                at=self.when(hour),
                source=ConsentSource.CUSTOMER_REQUEST,
                recorded_by="u-sac",
            )
        )

    @rule(cid=st.sampled_from(sorted(CPFS)), blocked=st.booleans(), hour=st.integers(0, 23))
    def block(self, cid: str, blocked: bool, hour: int) -> None:
        self.blocks.append(
            BlockEvent(
                cpf=CPFS[cid],
                features=frozenset({BlockFeature.CAMPAIGNS}),
                blocked=blocked,
                reason="pedido do cliente",
                by="u-gerente",
                at=self.when(hour),
            )
        )

    @rule(code=st.sampled_from(SELLERS), active=st.booleans())
    def set_seller_status(self, code: str, active: bool) -> None:
        status = SellerStatus.ACTIVE if active else SellerStatus.INACTIVE
        self.sellers[code] = attrs.evolve(self.sellers[code], status=status)

    @precondition(
        lambda self: any(
            not s.is_active
            and any(o.is_active and o.store_id == s.store_id for o in self.sellers.values())
            and code in self.owner.values()
            for code, s in self.sellers.items()
        )
    )
    @rule(seed=st.integers(0, 100))
    def redistribute_inactive(self, seed: int) -> None:
        """'Aleatório': an inactive seller's carteira is spread over the store's active sellers."""
        for code, seller in sorted(self.sellers.items()):
            team = [s for s in self.sellers.values() if s.store_id == seller.store_id]
            if seller.is_active or not any(s.is_active for s in team):
                continue
            mine = [cid for cid, owner in self.owner.items() if owner == code]
            if mine:
                self.owner.update(redistribute(mine, seller, team, Balanced(seed)))
                return

    @rule(
        pick=st.integers(0, 100),
        hour=st.integers(8, 20),
        follow_up_in=st.sampled_from([None, 1, 1, 2]),
        opt_out=st.sampled_from([False, False, False, True]),
    )
    def register_contact(
        self, pick: int, hour: int, follow_up_in: int | None, opt_out: bool
    ) -> None:
        """A seller answers one of today's suggestions (or a walk-in), maybe schedules, maybe opts out."""
        today = list(self.plan())
        if today:
            s = today[pick % len(today)]
            seller, cid, channel = s.seller_code, s.customer_id, s.channel
            suggestion_id, campaign_id = s.suggestion_id, s.campaign_id
        else:
            cid = CUSTOMERS[pick % len(CUSTOMERS)]
            seller, channel = self.owner[cid], CHANNELS[pick % len(CHANNELS)]
            suggestion_id = campaign_id = None
        started = self.when(hour)
        contact = Contact(
            contact_id=f"A{len(self.contacts) + 1}",
            seller_code=seller,
            customer_id=cid,
            suggestion_id=suggestion_id,
            campaign_id=campaign_id,
            channel=channel,
            started_at=started,
            finished_at=started + timedelta(minutes=15),
            follow_up=None
            if follow_up_in is None
            else FollowUp(day=self.day + timedelta(days=follow_up_in), note="Retomar"),
            consent_change=ConsentChange(channel=channel, granted=False) if opt_out else None,
            in_portfolio=self.owner[cid] == seller,
        )
        self.contacts.append(contact)
        if contact.consent_change is not None:
            # "caso o cliente responda não, realize o Opt-out no Oto"
            self.consents.append(
                ConsentEvent(
                    customer_id=cid,
                    channel=contact.consent_change.channel,
                    granted=contact.consent_change.granted,
                    at=contact.finished_at,
                    source=ConsentSource.SELLER_APP,
                    recorded_by=seller,
                )
            )

    @rule(cid=st.sampled_from(CUSTOMERS))
    def anonymize(self, cid: str) -> None:
        self.anonymized.add(cid)

    # invariants ------------------------------------------------------------------------

    @invariant()
    def every_suggestion_respects_the_rules(self) -> None:
        plan = self.plan()
        day = self.day
        customers = [s.customer_id for s in plan]
        assert len(customers) == len(set(customers)), "a customer twice in a day"
        for code, seller in self.sellers.items():
            mine = plan.for_seller(code)
            if not seller.is_active:
                assert mine == ()
                continue
            assert plan.limits[code] == LIMITS[code]
            assert len(mine) <= LIMITS[code], f"{code} over their limit"
        for s in plan:
            cid = s.customer_id
            assert self.sellers[s.seller_code].is_active
            assert cid not in self.anonymized
            assert consent_on(self.consents, cid, s.channel, day), "opted out"
            cpf = CPFS.get(cid)
            assert cpf is None or not is_blocked(self.blocks, cpf, BlockFeature.CAMPAIGNS, day)
            mine = [c for c in self.contacts if c.customer_id == cid]
            if s.kind is SuggestionKind.FOLLOW_UP:
                due = [c for c in mine if c.follow_up is not None and c.follow_up.day == day]
                assert s.contact_id in {c.contact_id for c in due}
                assert s.channel is next(c.channel for c in due if c.contact_id == s.contact_id)
                continue
            assert not quarantine_status(mine, day, QUARANTINE).in_quarantine, "quarantined"
            campaign = next(c for c in self.campaigns if c.campaign_id == s.campaign_id)
            assert campaign.runs_on(day)
            earlier = [
                e.day
                for e in self.stored
                if e.customer_id == cid and e.campaign_id == s.campaign_id
            ]
            held = quarantine_status(mine, day, QUARANTINE, campaign=campaign, suggested_on=earlier)
            assert not held.in_quarantine, "campaign quarantine"

    @invariant()
    def the_same_state_gives_the_same_plan(self) -> None:
        self.steps += 1
        plan = self.plan()
        assert self.plan(random.Random(self.steps)) == plan
        for cid in CUSTOMERS:
            why = plan.explain(cid)
            assert (why.outcome is SuggestionOutcome.SUGGESTED) == (
                plan.suggestion_for(cid) is not None
            )


SuggestionsMachine.TestCase.settings = settings(
    max_examples=examples(0.25), stateful_step_count=20, deadline=None
)
TestSuggestionsMachine = SuggestionsMachine.TestCase
pytestmark = pytest.mark.slow  # the whole suggestions service over many days
