"""Worked examples for otocore.suggestions, in the seeds' own words.

oto-faq.txt ("O que é uma campanha?", "O que é opt-in?", "Por que eu devo registrar o
atendimento do Oto?") and oto-managers-and-campaigns.txt ("Limitador de Sugestões",
"O que é uma Quarentena?", "caso o cliente responda não, realize o Opt-out no Oto").
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest

from _support.builders import at
from otocore.blocking import BlockEvent, BlockFeature, BlockList
from otocore.campaigns import Campaign
from otocore.consent import ConsentEvent, ConsentLedger, ConsentPolicy, ConsentSource
from otocore.consent import ContactChannel as Ch
from otocore.contacts import Contact, FollowUp, SuggestionStatus
from otocore.customers import Cpf, Customer
from otocore.distribution import SuggestionLimiter
from otocore.errors import NotFound, ValidationError
from otocore.filters import (
    AllOf,
    BirthdayInMonth,
    CustomerFacts,
    Filter,
    HasPurchases,
    Not,
    VScoreBetween,
)
from otocore.orders import Order
from otocore.portfolio import AssignmentReason, PortfolioAssignment
from otocore.quarantine import QuarantinePolicy, QuarantineRule
from otocore.rfv import RfvScore
from otocore.sellers import Seller, SellerStatus, Store
from otocore.serialization import converter
from otocore.suggestions import (
    DEFAULT_FOLLOW_UP_MESSAGE,
    Explanation,
    SellerWorkload,
    Suggestion,
    SuggestionKind,
    SuggestionOutcome,
    SuggestionPlan,
    SuggestionPolicy,
    SuggestionReason,
    plan_suggestions,
    suggestion_id_for,
)

DAY = date(2026, 5, 11)
ANA_CPF = Cpf("52998224725")
EVERYONE = AllOf([])


def campaign(
    campaign_id: str,
    *,
    priority: int = 1,
    audience: Filter = EVERYONE,
    channels: Iterable[Ch] = (Ch.WHATSAPP,),
    quarantine_days: int = 30,
    first_day: date = DAY - timedelta(days=30),
    last_day: date = DAY + timedelta(days=30),
    active: bool = True,
    message: str = "Olá, {primeiro_nome}! Aqui é {vendedor}, da {loja}.",
) -> Campaign:
    return Campaign(
        campaign_id=campaign_id,
        name=f"Campanha {campaign_id}",
        priority=priority,
        first_day=first_day,
        last_day=last_day,
        audience=audience,
        channels=list(channels),
        message=message,
        quarantine_days=quarantine_days,
        active=active,
    )


def score(customer_id: str, v: int) -> RfvScore:
    return RfvScore(
        customer_id=customer_id,
        recency_days=10,
        frequency=2,
        value=Decimal("100.00"),
        r=3,
        f=3,
        v=v,
        segment="loyal_customers",
    )


@attrs.define
class Brand:
    """A small brand whose inputs the tests change one at a time."""

    sellers: list[Seller] = attrs.field(
        factory=lambda: [
            Seller(code="V01", name="Bruno", store_id="L01"),
            Seller(code="V02", name="Carla", store_id="L01"),
        ]
    )
    stores: list[Store] = attrs.field(factory=lambda: [Store(store_id="L01", name="Loja Centro")])
    customers: dict[str, Customer] = attrs.field(factory=dict)
    owners: dict[str, str | None] = attrs.field(factory=dict)
    scores: dict[str, RfvScore] = attrs.field(factory=dict)
    orders: dict[str, list[Order]] = attrs.field(factory=dict)
    campaigns: list[Campaign] = attrs.field(factory=lambda: [campaign("TODOS")])
    consents: list[ConsentEvent] = attrs.field(factory=list)
    block_events: list[BlockEvent] = attrs.field(factory=list)
    contacts: list[Contact] = attrs.field(factory=list)
    earlier: list[Suggestion] = attrs.field(factory=list)
    workloads: dict[str, SellerWorkload] = attrs.field(factory=dict)
    anonymized: set[str] = attrs.field(factory=set)
    policy: SuggestionPolicy = attrs.field(
        factory=lambda: SuggestionPolicy(limiter=SuggestionLimiter(0, 100))
    )

    def add(
        self,
        cid: str,
        *,
        name: str = "Ana Souza",
        seller: str | None = "V01",
        channels: Iterable[Ch] = (Ch.WHATSAPP,),
        v: int | None = None,
        cpf: Cpf | None = None,
    ) -> None:
        self.customers[cid] = Customer(
            customer_id=cid,
            name=name,
            registered_at=datetime(2025, 1, 1, tzinfo=UTC),
            cpf=cpf,
        )
        self.owners[cid] = seller
        if v is not None:
            self.scores[cid] = score(cid, v)
        for channel in channels:
            self.consent(cid, channel, granted=True, when=at(DAY - timedelta(days=100)))

    def consent(self, cid: str, channel: Ch, *, granted: bool, when: datetime) -> None:
        self.consents.append(
            ConsentEvent(
                customer_id=cid,
                channel=channel,
                granted=granted,
                at=when,
                source=ConsentSource.CUSTOMER_REQUEST,
                recorded_by="u-sac",
            )
        )

    def contact(
        self,
        cid: str,
        when: datetime,
        *,
        seller: str = "V01",
        channel: Ch = Ch.WHATSAPP,
        campaign_id: str | None = None,
        follow_up: date | None = None,
        note: str = "Voltar a falar do vestido azul",
    ) -> Contact:
        made = Contact(
            contact_id=f"A{len(self.contacts) + 1}",
            seller_code=seller,
            customer_id=cid,
            campaign_id=campaign_id,
            channel=channel,
            started_at=when,
            finished_at=when + timedelta(minutes=10),
            follow_up=None if follow_up is None else FollowUp(day=follow_up, note=note),
            in_portfolio=True,
        )
        self.contacts.append(made)
        return made

    def plan(self, day: date = DAY, **overrides: Any) -> SuggestionPlan:
        facts = {
            cid: CustomerFacts.build(c, self.orders.get(cid, []), day, rfv=self.scores.get(cid))
            for cid, c in self.customers.items()
        }
        assignments = [
            PortfolioAssignment(
                customer_id=cid,
                seller_code=code,
                since=DAY - timedelta(days=200),
                reason=AssignmentReason.NONE if code is None else AssignmentReason.DAILY_RULE,
            )
            for cid, code in self.owners.items()
        ]
        arguments: dict[str, Any] = {
            "sellers": self.sellers,
            "stores": self.stores,
            "assignments": assignments,
            "facts": facts,
            "campaigns": self.campaigns,
            "consent": ConsentLedger.from_events(self.consents),
            "blocks": BlockList.from_events(self.block_events),
            "contacts": self.contacts,
            "earlier_suggestions": self.earlier,
            "workloads": self.workloads,
            "anonymized": self.anonymized,
            "policy": self.policy,
        }
        arguments.update(overrides)
        return plan_suggestions(day, **arguments)


def listed(plan: SuggestionPlan, seller: str = "V01") -> list[tuple[str, str | None, str]]:
    return [(s.customer_id, s.campaign_id, s.channel.value) for s in plan.for_seller(seller)]


# Campaigns, "podendo aplicar filtros diversos para organizar e priorizar os seus contatos"


def test_a_customer_gets_the_first_campaign_by_priority_then_id() -> None:
    brand = Brand(
        campaigns=[
            campaign("B_SEGUNDA", priority=2),
            campaign("Z_PRIMEIRA", priority=1),
            campaign("A_PRIMEIRA", priority=1),
        ]
    )
    brand.add("C1")
    assert listed(brand.plan()) == [("C1", "A_PRIMEIRA", "whatsapp")]


def test_the_audience_inactive_and_out_of_period_campaigns_are_skipped() -> None:
    sale = Order(
        order_id="P1",
        customer_id="C2",
        store_id="L01",
        placed_at=at(DAY - timedelta(days=3)),
        total=Decimal("99.90"),
        seller_code="V01",
    )
    brand = Brand(
        campaigns=[
            campaign("DESLIGADA", priority=1, active=False),
            campaign("ENCERRADA", priority=1, last_day=DAY - timedelta(days=1)),
            campaign("FUTURA", priority=1, first_day=DAY + timedelta(days=1)),
            campaign("COMPRADORES", priority=2, audience=HasPurchases()),
            campaign("NOVOS", priority=3, audience=Not(HasPurchases())),
        ],
        orders={"C2": [sale]},
    )
    brand.add("C1")
    brand.add("C2")
    assert listed(brand.plan()) == [("C2", "COMPRADORES", "whatsapp"), ("C1", "NOVOS", "whatsapp")]


def test_the_message_is_rendered_with_first_name_seller_and_store() -> None:
    brand = Brand()
    brand.add("C1", name="JOSÉ DA SILVA")
    (suggestion,) = brand.plan().for_seller("V01")
    assert suggestion.message == "Olá, José! Aqui é Bruno, da Loja Centro."
    assert suggestion.suggestion_id == "2026-05-11:C1"
    assert suggestion.kind is SuggestionKind.CAMPAIGN
    assert suggestion.reason is SuggestionReason.CAMPAIGN
    assert suggestion.status is SuggestionStatus.PENDING
    assert suggestion.rank == 1
    assert suggestion.detail == (
        "campaign TODOS (Campanha TODOS, priority 1): audience matched, quarantine clear, "
        "consent on whatsapp"
    )


# Opt-in, "Caso o cliente não queira receber contatos da marca, é necessário desabilitar"


def test_the_first_channel_of_the_campaign_with_consent_is_named() -> None:
    brand = Brand(campaigns=[campaign("C", channels=[Ch.WHATSAPP, Ch.SMS, Ch.EMAIL])])
    brand.add("C1", channels=[Ch.EMAIL, Ch.SMS])
    brand.add("C2", channels=[Ch.EMAIL])
    assert listed(brand.plan()) == [("C1", "C", "sms"), ("C2", "C", "email")]


def test_an_opt_out_today_removes_the_customer_from_today() -> None:
    brand = Brand(campaigns=[campaign("C", channels=[Ch.WHATSAPP])])
    brand.add("C1")
    assert listed(brand.plan()) == [("C1", "C", "whatsapp")]
    # "caso o cliente responda não, realize o Opt-out no Oto", at 15:00 on the day
    brand.consent("C1", Ch.WHATSAPP, granted=False, when=at(DAY, 15))
    plan = brand.plan()
    assert plan.for_seller("V01") == ()
    why = plan.explain("C1")
    assert why.outcome is SuggestionOutcome.OPTED_OUT
    assert why.campaign_id == "C"
    assert why.detail == "no consent on any channel of campaign C (whatsapp)"
    # the day before, the opt-out had not happened yet
    assert listed(brand.plan(DAY - timedelta(days=1))) == [("C1", "C", "whatsapp")]


def test_a_customer_without_any_opt_in_is_never_suggested() -> None:
    brand = Brand()
    brand.add("C1", channels=[])
    assert brand.plan().explain("C1").outcome is SuggestionOutcome.OPTED_OUT


def test_a_brand_that_presumes_consent_suggests_without_events() -> None:
    brand = Brand()
    brand.add("C1", channels=[])
    ledger = ConsentLedger.from_events([], policy=ConsentPolicy(default_granted=True))
    assert listed(brand.plan(consent=ledger)) == [("C1", "TODOS", "whatsapp")]


def test_opted_out_of_the_first_campaign_gets_the_next_one() -> None:
    brand = Brand(
        campaigns=[
            campaign("ZAP", priority=1, channels=[Ch.WHATSAPP]),
            campaign("EMAIL", priority=2, channels=[Ch.EMAIL]),
        ]
    )
    brand.add("C1", channels=[Ch.EMAIL])
    assert listed(brand.plan()) == [("C1", "EMAIL", "email")]


# Blocked CPFs, "ele será excluído ou desabilitado de participar dessas funcionalidades"


def block(cpf: Cpf, when: datetime, *, blocked: bool = True) -> BlockEvent:
    return BlockEvent(
        cpf=cpf,
        features=frozenset({BlockFeature.CAMPAIGNS}),
        blocked=blocked,
        reason="pediu para não receber ofertas",
        by="u-gerente",
        at=when,
    )


def test_a_cpf_blocked_for_campaigns_is_never_suggested() -> None:
    brand = Brand()
    brand.add("C1", cpf=ANA_CPF)
    brand.add("C2")
    brand.block_events.append(block(ANA_CPF, at(DAY, 9)))
    plan = brand.plan()
    assert listed(plan) == [("C2", "TODOS", "whatsapp")]
    why = plan.explain("C1")
    assert why.outcome is SuggestionOutcome.BLOCKED
    assert why.detail == (
        "CPF ***.982.247-** is blocked for campaigns since 2026-05-11 by u-gerente: "
        "pediu para não receber ofertas"
    )
    brand.block_events.append(block(ANA_CPF, at(DAY + timedelta(days=1), 9), blocked=False))
    assert [s.customer_id for s in brand.plan(DAY + timedelta(days=1))] == ["C1", "C2"]


def test_a_block_for_another_feature_does_not_stop_suggestions() -> None:
    brand = Brand()
    brand.add("C1", cpf=ANA_CPF)
    brand.block_events.append(
        BlockEvent(
            cpf=ANA_CPF,
            features=frozenset({BlockFeature.LOYALTY}),
            blocked=True,
            reason="fraude no programa",
            by="u-gerente",
            at=at(DAY - timedelta(days=5)),
        )
    )
    assert listed(brand.plan()) == [("C1", "TODOS", "whatsapp")]


# Quarantine, "uma periodicidade configurada para que a marca seja efetiva em sua mensagem"


def test_a_customer_contacted_three_days_ago_is_quarantined_until_the_seventh_day() -> None:
    brand = Brand()
    brand.add("C1")
    brand.contact("C1", at(DAY - timedelta(days=3), 23, 59))
    why = brand.plan().explain("C1")
    assert why.outcome is SuggestionOutcome.QUARANTINED
    assert why.quarantine_rule is QuarantineRule.AFTER_CONTACT
    assert why.free_on == date(2026, 5, 15)
    assert why.detail == "in quarantine (after_contact) until 2026-05-15"
    assert brand.plan(date(2026, 5, 14)).for_seller("V01") == ()
    assert listed(brand.plan(date(2026, 5, 15))) == [("C1", "TODOS", "whatsapp")]


def test_a_campaign_in_its_own_quarantine_gives_way_to_the_next() -> None:
    brand = Brand(
        campaigns=[
            campaign("ANIVERSARIO", priority=1, quarantine_days=30),
            campaign("RECONQUISTA", priority=2, quarantine_days=0),
        ],
        policy=SuggestionPolicy(
            limiter=SuggestionLimiter(0, 100), quarantine=QuarantinePolicy(days_after_contact=0)
        ),
    )
    brand.add("C1")
    brand.contact("C1", at(date(2026, 4, 20)), campaign_id="ANIVERSARIO")
    assert listed(brand.plan()) == [("C1", "RECONQUISTA", "whatsapp")]
    brand.campaigns = brand.campaigns[:1]
    why = brand.plan().explain("C1")
    assert why.outcome is SuggestionOutcome.QUARANTINED
    assert why.quarantine_rule is QuarantineRule.CAMPAIGN
    assert (why.campaign_id, why.free_on) == ("ANIVERSARIO", date(2026, 5, 20))


def test_an_earlier_suggestion_of_a_campaign_holds_that_campaign() -> None:
    brand = Brand(
        campaigns=[
            campaign("ANIVERSARIO", priority=1, quarantine_days=10),
            campaign("RECONQUISTA", priority=2, quarantine_days=10),
        ]
    )
    brand.add("C1")
    yesterday = brand.plan(DAY - timedelta(days=1))
    assert listed(yesterday) == [("C1", "ANIVERSARIO", "whatsapp")]
    brand.earlier = list(yesterday)
    assert listed(brand.plan()) == [("C1", "RECONQUISTA", "whatsapp")]
    # generating yesterday again is not held by its own suggestion
    assert brand.plan(DAY - timedelta(days=1)) == yesterday


# Follow-ups, "as informações sobre o seu atendimento, produtos oferecidos, agendamentos"


def test_a_follow_up_comes_first_and_ignores_the_quarantine() -> None:
    brand = Brand(campaigns=[campaign("TODOS", priority=1)])
    brand.add("C1", v=1)
    brand.add("C2", v=5)
    contact = brand.contact("C1", at(DAY - timedelta(days=2)), follow_up=DAY)
    plan = brand.plan()
    first, second = plan.for_seller("V01")
    assert (first.customer_id, first.kind, first.campaign_id) == (
        "C1",
        SuggestionKind.FOLLOW_UP,
        None,
    )
    assert (first.contact_id, first.channel, first.reason) == (
        contact.contact_id,
        Ch.WHATSAPP,
        SuggestionReason.FOLLOW_UP,
    )
    assert first.message == DEFAULT_FOLLOW_UP_MESSAGE.format(
        primeiro_nome="Ana", vendedor="Bruno", loja="Loja Centro"
    )
    assert first.detail == (
        "follow-up scheduled by V01 in contact A1 on 2026-05-09: Voltar a falar do vestido azul"
    )
    assert (second.customer_id, second.campaign_id) == ("C2", "TODOS")
    # the day after, C1 is back in quarantine (the contact was 3 days before)
    assert plan.explain("C1").outcome is SuggestionOutcome.SUGGESTED
    assert (
        brand.plan(DAY + timedelta(days=1)).explain("C1").outcome is SuggestionOutcome.QUARANTINED
    )


def test_a_follow_up_needs_consent_on_the_contact_channel() -> None:
    brand = Brand(campaigns=[campaign("EMAIL", channels=[Ch.EMAIL], quarantine_days=0)])
    brand.add("C1", channels=[Ch.EMAIL])
    brand.contact("C1", at(date(2026, 4, 1)), channel=Ch.WHATSAPP, follow_up=DAY)
    why = brand.plan().explain("C1")
    assert why.outcome is SuggestionOutcome.OPTED_OUT
    assert why.channel is Ch.WHATSAPP
    assert why.detail == "no consent on whatsapp for the follow-up scheduled in contact A1"
    # the day's one chance is the follow-up: no campaign is suggested instead
    assert brand.plan().for_seller("V01") == ()


def test_a_follow_up_never_reaches_a_blocked_cpf() -> None:
    brand = Brand()
    brand.add("C1", cpf=ANA_CPF)
    brand.contact("C1", at(date(2026, 5, 2)), follow_up=DAY)
    brand.block_events.append(block(ANA_CPF, at(DAY - timedelta(days=1))))
    assert brand.plan().explain("C1").outcome is SuggestionOutcome.BLOCKED


def test_a_follow_up_goes_to_its_seller_even_outside_the_carteira() -> None:
    brand = Brand()
    brand.add("C1", seller="V01")
    brand.contact("C1", at(date(2026, 5, 2)), seller="V02", follow_up=DAY)
    plan = brand.plan()
    assert plan.for_seller("V01") == ()
    assert [(s.customer_id, s.kind) for s in plan.for_seller("V02")] == [
        ("C1", SuggestionKind.FOLLOW_UP)
    ]


def test_a_follow_up_of_an_inactive_seller_goes_to_the_customers_seller() -> None:
    brand = Brand()
    brand.sellers[1] = attrs.evolve(brand.sellers[1], status=SellerStatus.INACTIVE)
    brand.add("C1", seller="V01")
    brand.contact("C1", at(date(2026, 5, 2)), seller="V02", follow_up=DAY)
    (suggestion,) = brand.plan().for_seller("V01")
    assert suggestion.reason is SuggestionReason.FOLLOW_UP_REASSIGNED
    assert suggestion.detail.endswith("(V02 is inactive; V01 has the customer now)")
    assert brand.plan().for_seller("V02") == ()


def test_of_two_follow_ups_the_active_sellers_then_the_latest_wins() -> None:
    brand = Brand()
    brand.add("C1", channels=[Ch.WHATSAPP, Ch.SMS])
    brand.contact("C1", at(date(2026, 5, 2)), seller="V01", follow_up=DAY)
    brand.contact("C1", at(date(2026, 5, 4)), seller="V02", channel=Ch.SMS, follow_up=DAY)
    (suggestion,) = brand.plan().for_seller("V02")
    assert (suggestion.contact_id, suggestion.channel) == ("A2", Ch.SMS)
    brand.sellers[1] = attrs.evolve(brand.sellers[1], status=SellerStatus.INACTIVE)
    (suggestion,) = brand.plan().for_seller("V01")
    assert suggestion.contact_id == "A1"


# carteira: only active sellers, anonymized, no record


def test_an_inactive_sellers_carteira_gets_no_suggestion() -> None:
    brand = Brand()
    brand.sellers[0] = attrs.evolve(brand.sellers[0], status=SellerStatus.INACTIVE)
    brand.add("C1", seller="V01")
    brand.add("C2", seller=None)
    brand.add("C3", seller="V77")
    plan = brand.plan()
    assert plan.for_seller("V01") == ()
    assert "V01" not in plan.limits
    details = {cid: plan.explain(cid) for cid in ("C1", "C2", "C3", "C4")}
    assert {e.outcome for e in details.values()} == {SuggestionOutcome.NOT_IN_ACTIVE_PORTFOLIO}
    assert [e.detail for e in details.values()] == [
        "the seller of C1's carteira (V01) is inactive",
        "C2 is unassigned (in nobody's carteira)",
        "the seller of C3's carteira (V77) is unknown",
        "C4 is in no carteira",
    ]
    assert details["C1"].seller_code == "V01"


def test_an_anonymized_customer_is_never_suggested_even_for_a_follow_up() -> None:
    brand = Brand(anonymized={"C1"})
    brand.add("C1")
    brand.contact("C1", at(date(2026, 5, 2)), follow_up=DAY)
    plan = brand.plan()
    assert len(plan) == 0
    assert plan.explain("C1").outcome is SuggestionOutcome.ANONYMIZED


def test_a_customer_without_a_record_is_explained() -> None:
    brand = Brand()
    brand.owners["C9"] = "V01"
    assert brand.plan().explain("C9").outcome is SuggestionOutcome.NO_CUSTOMER_RECORD


def test_no_running_campaign_is_explained() -> None:
    brand = Brand(campaigns=[campaign("COMPRADORES", audience=HasPurchases())])
    brand.add("C1")
    why = brand.plan().explain("C1")
    assert (why.outcome, why.detail) == (
        SuggestionOutcome.NO_CAMPAIGN_MATCHED,
        "no campaign running on 2026-05-11 has the customer in its audience",
    )
    brand.campaigns = []
    assert brand.plan().explain("C1").detail == "no campaign runs on 2026-05-11"


# Order and limit, "O Limitador de Sugestões define a quantidade ideal de sugestões diárias"


def test_the_list_is_ordered_by_priority_then_value_score_then_customer_id() -> None:
    brand = Brand(
        campaigns=[
            campaign("ALTA", priority=1, audience=VScoreBetween(min=4)),
            campaign("BAIXA", priority=2),
        ]
    )
    brand.add("C5", v=5)
    brand.add("C4", v=4)
    brand.add("C6", v=4)
    brand.add("C2", v=3)
    brand.add("C1")  # no RFV score: last among equals
    brand.add("C3", v=1)
    brand.add("C0")
    brand.contact("C0", at(date(2026, 4, 1)), follow_up=DAY)
    plan = brand.plan()
    assert [(s.customer_id, s.campaign_id, s.rank) for s in plan.for_seller("V01")] == [
        ("C0", None, 1),
        ("C5", "ALTA", 2),
        ("C4", "ALTA", 3),
        ("C6", "ALTA", 4),
        ("C2", "BAIXA", 5),
        ("C3", "BAIXA", 6),
        ("C1", "BAIXA", 7),
    ]


def test_the_list_is_cut_at_the_sellers_daily_limit() -> None:
    # 1 hour, idle share 0.25, 5 minutes a conversation: floor(60 * 0.25 / 5) = 3
    brand = Brand(workloads={"V01": SellerWorkload(hours_worked=1, avg_conversation_minutes=5)})
    for n in range(1, 6):
        brand.add(f"C{n}", v=n)
    brand.add("C9", seller="V02")
    plan = brand.plan()
    assert plan.limits == {"V01": 3, "V02": 20}
    assert [s.customer_id for s in plan.for_seller("V01")] == ["C5", "C4", "C3"]
    assert plan.candidates("V01") == 5
    cut = plan.explain("C1")
    assert cut.outcome is SuggestionOutcome.CUT_BY_LIMIT
    assert (cut.seller_code, cut.campaign_id, cut.channel) == ("V01", "TODOS", Ch.WHATSAPP)
    assert cut.detail == (
        "cut by the limit: V01 gets 3 suggestions on 2026-05-11 and 5 customers were candidates"
    )
    # a cut customer does not move to another seller's list
    assert [s.customer_id for s in plan.for_seller("V02")] == ["C9"]


def test_the_limiter_clamps_the_workload() -> None:
    brand = Brand(
        policy=SuggestionPolicy(limiter=SuggestionLimiter(2, 4)),
        workloads={"V01": SellerWorkload(hours_worked=0), "V02": SellerWorkload(hours_worked=10)},
    )
    assert brand.plan().limits == {"V01": 2, "V02": 4}


def test_follow_ups_count_against_the_limit() -> None:
    brand = Brand(workloads={"V01": SellerWorkload(idle_share=0)})
    brand.policy = SuggestionPolicy(limiter=SuggestionLimiter(1, 100))
    brand.add("C1", v=5)
    brand.add("C2", v=1)
    brand.contact("C2", at(date(2026, 4, 1)), follow_up=DAY)
    plan = brand.plan()
    assert [s.customer_id for s in plan.for_seller("V01")] == ["C2"]
    assert plan.explain("C1").outcome is SuggestionOutcome.CUT_BY_LIMIT


# the plan as a value


def test_the_same_inputs_in_any_order_give_the_same_plan() -> None:
    brand = Brand(campaigns=[campaign("A", priority=1), campaign("B", priority=2)])
    for n in range(8):
        brand.add(f"C{n}", seller=("V01", "V02")[n % 2], v=n % 5 + 1)
    plan = brand.plan()
    brand.sellers.reverse()
    brand.campaigns.reverse()
    brand.consents.reverse()
    brand.customers = dict(reversed(brand.customers.items()))
    brand.owners = dict(reversed(brand.owners.items()))
    assert brand.plan() == plan


def test_a_suggestion_round_trips_through_json() -> None:
    brand = Brand()
    brand.add("C1")
    brand.add("C2")
    brand.contact("C2", at(date(2026, 4, 1)), follow_up=DAY)
    for suggestion in brand.plan():
        data = json.loads(json.dumps(converter.unstructure(suggestion)))
        assert converter.structure(data, Suggestion) == suggestion
    workload = SellerWorkload(hours_worked=Decimal("7.5"))
    assert converter.structure(converter.unstructure(workload), SellerWorkload) == workload


def test_for_seller_knows_every_seller() -> None:
    brand = Brand()
    brand.add("C1")
    plan = brand.plan()
    assert plan.for_seller("V02") == ()
    with pytest.raises(NotFound, match=r"^Seller 'V99' not found$"):
        plan.for_seller("V99")
    assert plan.suggestion_for("C1") == plan.for_seller("V01")[0]
    explained = plan.explain("C1")
    assert explained.suggested
    assert explained.suggestion == plan.suggestion_for("C1")


# bad input


def test_repeated_ids_are_refused() -> None:
    brand = Brand()
    brand.add("C1")
    with pytest.raises(
        ValidationError, match=r"^sellers\[2\]\.code must be unique, got 'V01'$"
    ) as err:
        brand.plan(sellers=[*brand.sellers, brand.sellers[0]])
    assert err.value.field == "sellers[2].code"
    with pytest.raises(
        ValidationError, match=r"^campaigns\[1\]\.campaign_id must be unique, got 'X'$"
    ) as err:
        brand.plan(campaigns=[campaign("X"), campaign("X", priority=2)])
    assert err.value.field == "campaigns[1].campaign_id"
    twin = brand.contact("C1", at(date(2026, 4, 1)))
    brand.contacts.append(attrs.evolve(twin, channel=Ch.SMS))
    with pytest.raises(
        ValidationError, match=r"^contacts\[1\]\.contact_id must be unique \(two different"
    ) as err:
        brand.plan()
    assert err.value.field == "contacts[1].contact_id"


def test_facts_must_be_for_the_day_and_the_customer() -> None:
    brand = Brand()
    brand.add("C1")
    yesterday = CustomerFacts.build(brand.customers["C1"], [], DAY - timedelta(days=1))
    with pytest.raises(
        ValidationError, match=r"^facts\['C1'\]\.on must be the planned day \(2026-05-11\), got"
    ) as err:
        brand.plan(facts={"C1": yesterday}).suggestions  # noqa: B018
    assert err.value.field == "facts['C1'].on"
    other = CustomerFacts.build(
        Customer(customer_id="C2", name="Bia", registered_at=datetime(2025, 1, 1, tzinfo=UTC)),
        [],
        DAY,
    )
    with pytest.raises(
        ValidationError, match=r"^facts\['C1'\] must be the CustomerFacts of 'C1', got"
    ) as err:
        brand.plan(facts={"C1": other})
    assert err.value.field == "facts['C1']"


def test_every_active_sellers_store_must_be_given() -> None:
    brand = Brand(stores=[])
    with pytest.raises(
        ValidationError,
        match=r"^stores must include the store of every active seller \(V01 works in L01\)",
    ):
        brand.plan()


def test_ledgers_in_another_time_zone_are_refused() -> None:
    brand = Brand()
    with pytest.raises(
        ValidationError, match=r"^consent must use the policy's time zone \('America/Sao_Paulo'\)"
    ) as err:
        brand.plan(consent=ConsentLedger(policy=ConsentPolicy(time_zone="America/Manaus")))
    assert err.value.field == "consent"
    with pytest.raises(
        ValidationError, match=r"^blocks must use the policy's time zone \('America/Sao_Paulo'\)"
    ) as err:
        brand.plan(blocks=BlockList(time_zone="America/Manaus"))
    assert err.value.field == "blocks"


@pytest.mark.parametrize(
    ("kwargs", "field", "rule"),
    [
        ({"hours_worked": 7.5}, "SellerWorkload.hours_worked", "must be an int or a decimal"),
        ({"hours_worked": -1}, "SellerWorkload.hours_worked", "must be >= 0"),
        ({"idle_share": Decimal("1.5")}, "SellerWorkload.idle_share", "must be between 0 and 1"),
        ({"idle_share": True}, "SellerWorkload.idle_share", "must be an int or a decimal"),
        (
            {"avg_conversation_minutes": Decimal("NaN")},
            "SellerWorkload.avg_conversation_minutes",
            "must be an int or a decimal",
        ),
        (
            {"avg_conversation_minutes": "5"},
            "SellerWorkload.avg_conversation_minutes",
            "must be an int or a decimal",
        ),
    ],
)
def test_a_bad_workload_names_its_field(kwargs: dict[str, Any], field: str, rule: str) -> None:
    with pytest.raises(ValidationError, match="^" + re.escape(f"{field} {rule}")) as err:
        SellerWorkload(**kwargs)
    assert err.value.field == field


def test_the_policy_needs_a_complete_default_workload() -> None:
    with pytest.raises(
        ValidationError,
        match=r"^SuggestionPolicy\.default_workload must give all three figures \(the brand's",
    ) as err:
        SuggestionPolicy(default_workload=SellerWorkload(hours_worked=8))
    assert err.value.field == "SuggestionPolicy.default_workload"


def test_a_workload_that_is_not_one_is_refused() -> None:
    brand = Brand()
    with pytest.raises(
        ValidationError, match=r"^workloads\['V01'\] must be a SellerWorkload, got \{"
    ) as err:
        brand.plan(workloads={"V01": {"hours_worked": 8}})
    assert err.value.field == "workloads['V01']"


def test_non_iterables_and_strings_are_refused() -> None:
    brand = Brand()
    with pytest.raises(
        ValidationError, match=r"^anonymized must be a set of customer ids, got 'C1'$"
    ) as err:
        brand.plan(anonymized="C1")
    assert err.value.field == "anonymized"
    with pytest.raises(ValidationError, match=r"^sellers must be an iterable, got None$") as err:
        brand.plan(sellers=None)
    assert err.value.field == "sellers"
    with pytest.raises(ValidationError, match=r"^day must be a datetime\.date") as err:
        brand.plan(day=datetime(2026, 5, 11, tzinfo=UTC))
    assert err.value.field == "day"


def test_a_suggestion_checks_its_own_consistency() -> None:
    brand = Brand()
    brand.add("C1")
    (good,) = brand.plan()
    with pytest.raises(
        ValidationError, match=r"^Suggestion\.suggestion_id must be '2026-05-11:C1', got 'S1'$"
    ) as err:
        attrs.evolve(good, suggestion_id="S1")
    assert err.value.field == "Suggestion.suggestion_id"
    with pytest.raises(
        ValidationError, match=r"^Suggestion\.reason must be a reason of kind CAMPAIGN, got"
    ) as err:
        attrs.evolve(good, reason=SuggestionReason.FOLLOW_UP)
    assert err.value.field == "Suggestion.reason"
    with pytest.raises(
        ValidationError, match=r"^Suggestion\.contact_id must be None for a CAMPAIGN suggestion"
    ) as err:
        attrs.evolve(good, contact_id="A1")
    assert err.value.field == "Suggestion.contact_id"
    with pytest.raises(ValidationError, match=r"^Suggestion\.rank must be >= 1, got 0$") as err:
        attrs.evolve(good, rank=0)
    assert err.value.field == "Suggestion.rank"
    with pytest.raises(
        ValidationError, match=r"^Suggestion\.message must not be empty, got ' '$"
    ) as err:
        attrs.evolve(good, message=" ")
    assert err.value.field == "Suggestion.message"
    assert attrs.evolve(good, message="Oi!\nTudo bem?").message == "Oi!\nTudo bem?"
    assert suggestion_id_for(DAY, "C1") == good.suggestion_id


def test_an_explanation_is_a_plain_value() -> None:
    e = Explanation(
        customer_id="C1", day=DAY, outcome=SuggestionOutcome.BLOCKED, detail="CPF bloqueado"
    )
    assert converter.structure(converter.unstructure(e), Explanation) == e


def test_the_worked_example_of_the_docs() -> None:
    """docs/suggestions.md, "Worked example"."""
    brand = Brand(
        campaigns=[
            campaign("ANIVERSARIO", priority=1, audience=BirthdayInMonth()),
            campaign("TODOS", priority=2, channels=[Ch.SMS, Ch.WHATSAPP]),
        ],
        workloads={"V01": SellerWorkload(hours_worked=1, avg_conversation_minutes=5)},
    )
    brand.add("C1", v=2)
    brand.customers["C1"] = attrs.evolve(brand.customers["C1"], birth_date=date(1990, 5, 30))
    brand.add("C2", v=5, channels=[Ch.SMS, Ch.WHATSAPP])
    brand.contact("C2", at(date(2026, 5, 9)), follow_up=DAY)
    brand.add("C3", v=4)
    brand.add("C4", v=3, channels=[Ch.SMS])
    brand.add("C5")
    brand.consent("C5", Ch.WHATSAPP, granted=False, when=at(DAY, 15))
    brand.add("C6", cpf=ANA_CPF)
    brand.block_events.append(block(ANA_CPF, at(date(2026, 5, 10))))
    brand.add("C7")
    brand.contact("C7", at(date(2026, 5, 8)))
    plan = brand.plan()
    assert plan.limits["V01"] == 3
    assert [(s.rank, s.customer_id, s.campaign_id, s.channel) for s in plan.for_seller("V01")] == [
        (1, "C2", None, Ch.WHATSAPP),
        (2, "C1", "ANIVERSARIO", Ch.WHATSAPP),
        (3, "C3", "TODOS", Ch.WHATSAPP),
    ]
    outcomes = {cid: plan.explain(cid) for cid in ("C4", "C5", "C6", "C7")}
    assert {cid: e.outcome for cid, e in outcomes.items()} == {
        "C4": SuggestionOutcome.CUT_BY_LIMIT,
        "C5": SuggestionOutcome.OPTED_OUT,
        "C6": SuggestionOutcome.BLOCKED,
        "C7": SuggestionOutcome.QUARANTINED,
    }
    assert outcomes["C7"].free_on == date(2026, 5, 15)
    assert outcomes["C4"].detail == (
        "cut by the limit: V01 gets 3 suggestions on 2026-05-11 and 4 customers were candidates"
    )


# the plan's readers and the inputs' errors, message by message


def says(message: str) -> str:
    """A ``match=`` pattern for exactly ``message``."""
    return "^" + re.escape(message) + "$"


def test_the_readers_check_their_argument() -> None:
    brand = Brand()
    brand.add("C1")
    plan = brand.plan()
    long = "x" * 101
    with pytest.raises(NotFound, match=says("Seller 'V99' not found")) as missing:
        plan.for_seller("V99")
    assert (missing.value.kind, missing.value.key) == ("Seller", "V99")
    with pytest.raises(NotFound, match=says("Seller 'V99' not found")):
        plan.candidates("V99")
    with pytest.raises(
        ValidationError, match=rf"^seller_code must be at most 100 characters, got '{long}'$"
    ):
        plan.for_seller(long)
    with pytest.raises(
        ValidationError, match=rf"^seller_code must be at most 100 characters, got '{long}'$"
    ):
        plan.candidates(long)
    with pytest.raises(
        ValidationError, match=rf"^customer_id must be at most 100 characters, got '{long}'$"
    ):
        plan.suggestion_for(long)
    with pytest.raises(
        ValidationError, match=rf"^customer_id must be at most 100 characters, got '{long}'$"
    ):
        plan.explain(long)
    with pytest.raises(ValidationError, match=says("seller_code must be a string, got 1")):
        plan.for_seller(1)  # type: ignore[arg-type]
    # an id of 100 characters is fine (and unknown)
    assert plan.suggestion_for("x" * 100) is None
    assert plan.explain("x" * 100).outcome is SuggestionOutcome.NOT_IN_ACTIVE_PORTFOLIO
    with pytest.raises(NotFound, match=r"^Seller 'x{100}' not found$"):
        plan.for_seller("x" * 100)
    with pytest.raises(NotFound, match=r"^Seller 'x{100}' not found$"):
        plan.candidates("x" * 100)
    # a known seller without candidates has none
    assert plan.candidates("V02") == 0
    assert plan.candidates("V01") == 1


def test_the_plan_reads_like_a_value() -> None:
    brand = Brand()
    brand.add("C2", seller="V02")
    brand.add("C1")
    plan = brand.plan()
    assert repr(plan) == "<SuggestionPlan for 2026-05-11: 2 suggestions, 2 active sellers>"
    assert len(plan) == 2
    assert [s.customer_id for s in plan] == ["C1", "C2"]
    assert list(plan) == list(plan.suggestions)
    assert list(plan.limits) == ["V01", "V02"]
    assert plan.day == DAY
    assert plan != brand.plan(DAY + timedelta(days=1))
    assert plan.__eq__("plan") is NotImplemented
    assert plan != "plan"
    with pytest.raises(TypeError):
        hash(plan)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"policy": "x"}, "policy must be a SuggestionPolicy, got 'x'"),
        ({"consent": "x"}, "consent must be a ConsentLedger, got 'x'"),
        (
            {"consent": ConsentLedger(policy=ConsentPolicy(time_zone="America/Manaus"))},
            "consent must use the policy's time zone ('America/Sao_Paulo'), got <ConsentLedger "
            "of 0 events, ConsentPolicy(default_granted=False, time_zone='America/Manaus')>",
        ),
        ({"blocks": "x"}, "blocks must be a BlockList, got 'x'"),
        (
            {"blocks": BlockList(time_zone="America/Manaus")},
            "blocks must use the policy's time zone ('America/Sao_Paulo'), "
            "got <BlockList of 0 events, time_zone='America/Manaus'>",
        ),
        (
            {"stores": []},
            "stores must include the store of every active seller (V01 works in L01), got 'L01'",
        ),
        ({"facts": [1]}, "facts must be a mapping of customer id to CustomerFacts, got [1]"),
        ({"anonymized": "C1"}, "anonymized must be a set of customer ids, got 'C1'"),
        ({"anonymized": b"C1"}, "anonymized must be a set of customer ids, got b'C1'"),
        ({"anonymized": 5}, "anonymized must be a set of customer ids, got 5"),
        ({"sellers": None}, "sellers must be an iterable, got None"),
        ({"sellers": ["V01"]}, "sellers[0] must be a Seller, got 'V01'"),
        ({"stores": [1]}, "stores[0] must be a Store, got 1"),
        ({"assignments": 5}, "assignments must be an iterable, got 5"),
        ({"assignments": [None]}, "assignments[0] must be a PortfolioAssignment, got None"),
        ({"campaigns": [1]}, "campaigns[0] must be a Campaign, got 1"),
        ({"contacts": 5}, "contacts must be an iterable, got 5"),
        ({"contacts": ["A1"]}, "contacts[0] must be a Contact, got 'A1'"),
        ({"earlier_suggestions": 5}, "earlier_suggestions must be an iterable, got 5"),
        ({"earlier_suggestions": ["S"]}, "earlier_suggestions[0] must be a Suggestion, got 'S'"),
        (
            {"workloads": [1]},
            "workloads must be a mapping of seller code to SellerWorkload, got [1]",
        ),
        ({"workloads": {"V01": 5}}, "workloads['V01'] must be a SellerWorkload, got 5"),
    ],
)
def test_a_bad_input_is_named_with_its_rule(overrides: dict[str, Any], message: str) -> None:
    brand = Brand()
    brand.add("C1")
    with pytest.raises(ValidationError, match=says(message)):
        brand.plan(**overrides)


def test_the_day_must_be_a_date() -> None:
    with pytest.raises(
        ValidationError,
        match=says("day must be a datetime.date (a local calendar day), got '2026-05-11'"),
    ):
        Brand().plan("2026-05-11")  # type: ignore[arg-type]


def test_repeated_ids_are_named_with_the_key() -> None:
    brand = Brand()
    brand.add("C1")
    seller = brand.sellers[0]
    assignment = PortfolioAssignment(
        customer_id="C1", seller_code="V01", since=DAY, reason=AssignmentReason.DAILY_RULE
    )
    cases = [
        ({"sellers": [seller, seller]}, "sellers[1].code must be unique, got 'V01'"),
        ({"stores": brand.stores * 2}, "stores[1].store_id must be unique, got 'L01'"),
        (
            {"assignments": [assignment, attrs.evolve(assignment, seller_code="V02")]},
            "assignments[1].customer_id must be unique, got 'C1'",
        ),
        (
            {"campaigns": [campaign("X"), campaign("Y"), campaign("X", priority=2)]},
            "campaigns[2].campaign_id must be unique, got 'X'",
        ),
    ]
    for overrides, message in cases:
        with pytest.raises(ValidationError, match=says(message)):
            brand.plan(**overrides)
    twin = brand.contact("C1", at(date(2026, 4, 1)))
    brand.contacts.append(attrs.evolve(twin, channel=Ch.SMS))
    with pytest.raises(
        ValidationError,
        match=says(
            "contacts[1].contact_id must be unique (two different contacts share it), got 'A1'"
        ),
    ):
        brand.plan()


def test_the_same_contact_given_twice_counts_once() -> None:
    brand = Brand(
        policy=SuggestionPolicy(
            limiter=SuggestionLimiter(0, 100),
            quarantine=QuarantinePolicy(days_after_contact=0, max_contacts=2, per_days=30),
        )
    )
    brand.add("C1")
    contact = brand.contact("C1", at(date(2026, 5, 1)))
    assert listed(brand.plan(contacts=[contact, contact])) == [("C1", "TODOS", "whatsapp")]
    # two different contacts reach the limit of two
    brand.contact("C1", at(date(2026, 5, 2)))
    assert brand.plan().explain("C1").outcome is SuggestionOutcome.QUARANTINED


def test_anonymized_takes_any_collection_of_ids() -> None:
    brand = Brand()
    brand.add("C1")
    brand.add("C2")
    for ids in ({"C1"}, ["C1"], ("C1",), frozenset({"C1"}), {"C1": True}):
        plan = brand.plan(anonymized=ids)
        assert [s.customer_id for s in plan] == ["C2"]
    assert [s.customer_id for s in brand.plan(anonymized=())] == ["C1", "C2"]
    with pytest.raises(
        ValidationError, match=r"^anonymized must be a set of customer ids, got <gen"
    ):
        brand.plan(anonymized=(cid for cid in ["C1"]))


def test_facts_that_are_not_a_customers_are_named() -> None:
    brand = Brand()
    brand.add("C1")
    with pytest.raises(
        ValidationError, match=says("facts['C1'] must be the CustomerFacts of 'C1', got 5")
    ):
        brand.plan(facts={"C1": 5})
    yesterday = CustomerFacts.build(brand.customers["C1"], [], DAY - timedelta(days=1))
    with pytest.raises(
        ValidationError,
        match=says(
            "facts['C1'].on must be the planned day (2026-05-11), got datetime.date(2026, 5, 10)"
        ),
    ):
        brand.plan(facts={"C1": yesterday})
    other = CustomerFacts.build(
        Customer(customer_id="C2", name="Bia", registered_at=datetime(2025, 1, 1, tzinfo=UTC)),
        [],
        DAY,
    )
    with pytest.raises(
        ValidationError,
        match=r"^facts\['C1'\] must be the CustomerFacts of 'C1', got CustomerFacts\(",
    ):
        brand.plan(facts={"C1": other})


# each outcome's explanation, field by field


def test_each_outcome_is_explained_with_its_fields() -> None:
    brand = Brand(
        campaigns=[
            campaign("COMPRADORES", priority=1, audience=HasPurchases()),
            campaign("SMS", priority=2, channels=[Ch.SMS, Ch.EMAIL], quarantine_days=20),
            campaign("ZAP", priority=3, channels=[Ch.WHATSAPP], quarantine_days=0),
        ],
        workloads={"V02": SellerWorkload(hours_worked=0)},
    )
    brand.add("C1")  # ZAP
    brand.add("C2", channels=[Ch.EMAIL])  # SMS on email
    brand.add("C3", channels=[])  # opted out of SMS, the first campaign that matched
    brand.add("C4", cpf=ANA_CPF)
    brand.block_events.append(block(ANA_CPF, at(DAY, 9)))
    brand.add("C5")
    brand.contact("C5", at(DAY - timedelta(days=2)))
    brand.add("C6", seller="V02")  # V02's limit is 0
    brand.add("C7", channels=[Ch.SMS])
    brand.contact("C7", at(DAY - timedelta(days=10)), campaign_id="SMS")
    brand.anonymized = {"C8"}
    brand.add("C8")
    brand.owners["C9"] = "V01"  # no customer record
    plan = brand.plan()

    def why(cid: str, outcome: SuggestionOutcome, detail: str, **fields: Any) -> Explanation:
        return Explanation(customer_id=cid, day=DAY, outcome=outcome, detail=detail, **fields)

    c1 = plan.suggestion_for("C1")
    assert plan.explain("C1") == why(
        "C1",
        SuggestionOutcome.SUGGESTED,
        "campaign ZAP (Campanha ZAP, priority 3): audience matched, quarantine clear, "
        "consent on whatsapp",
        seller_code="V01",
        campaign_id="ZAP",
        channel=Ch.WHATSAPP,
        suggestion=c1,
    )
    assert c1 is not None
    assert plan.explain("C2").suggestion == plan.suggestion_for("C2")
    assert plan.explain("C2").channel is Ch.EMAIL
    assert plan.explain("C3") == why(
        "C3",
        SuggestionOutcome.OPTED_OUT,
        "no consent on any channel of campaign SMS (sms, email)",
        seller_code="V01",
        campaign_id="SMS",
    )
    assert plan.explain("C4") == why(
        "C4",
        SuggestionOutcome.BLOCKED,
        "CPF ***.982.247-** is blocked for campaigns since 2026-05-11 by u-gerente: "
        "pediu para não receber ofertas",
        seller_code="V01",
    )
    assert plan.explain("C5") == why(
        "C5",
        SuggestionOutcome.QUARANTINED,
        "in quarantine (after_contact) until 2026-05-16",
        seller_code="V01",
        free_on=date(2026, 5, 16),
        quarantine_rule=QuarantineRule.AFTER_CONTACT,
    )
    assert plan.explain("C6") == why(
        "C6",
        SuggestionOutcome.CUT_BY_LIMIT,
        "cut by the limit: V02 gets 0 suggestions on 2026-05-11 and 1 customers were candidates",
        seller_code="V02",
        campaign_id="ZAP",
        channel=Ch.WHATSAPP,
    )
    assert plan.explain("C7") == why(
        "C7",
        SuggestionOutcome.QUARANTINED,
        "campaign SMS is in its own quarantine for the customer until 2026-05-21",
        seller_code="V01",
        campaign_id="SMS",
        free_on=date(2026, 5, 21),
        quarantine_rule=QuarantineRule.CAMPAIGN,
    )
    assert plan.explain("C8") == why(
        "C8", SuggestionOutcome.ANONYMIZED, "the customer's data was anonymized", seller_code="V01"
    )
    assert plan.explain("C9") == why(
        "C9",
        SuggestionOutcome.NO_CUSTOMER_RECORD,
        "C9 has no customer record (no facts for 2026-05-11)",
        seller_code="V01",
    )
    assert plan.explain("C10") == why(
        "C10", SuggestionOutcome.NOT_IN_ACTIVE_PORTFOLIO, "C10 is in no carteira"
    )
    assert plan.for_seller("V02") == ()
    assert plan.candidates("V02") == 1
    assert [s.customer_id for s in plan] == ["C2", "C1"]  # SMS (priority 2) first


def test_a_no_campaign_explanation_names_the_seller() -> None:
    brand = Brand(campaigns=[campaign("COMPRADORES", audience=HasPurchases())])
    brand.add("C1", seller="V02")
    assert brand.plan().explain("C1") == Explanation(
        customer_id="C1",
        day=DAY,
        outcome=SuggestionOutcome.NO_CAMPAIGN_MATCHED,
        detail="no campaign running on 2026-05-11 has the customer in its audience",
        seller_code="V02",
    )


def test_follow_up_explanations_name_the_seller_and_channel() -> None:
    brand = Brand(workloads={"V02": SellerWorkload(hours_worked=0)})
    brand.add("C1", channels=[Ch.SMS])
    brand.contact("C1", at(date(2026, 4, 1)), seller="V02", channel=Ch.WHATSAPP, follow_up=DAY)
    brand.add("C2", channels=[Ch.SMS])
    brand.contact("C2", at(date(2026, 4, 1)), seller="V02", channel=Ch.SMS, follow_up=DAY)
    plan = brand.plan()
    assert plan.explain("C1") == Explanation(
        customer_id="C1",
        day=DAY,
        outcome=SuggestionOutcome.OPTED_OUT,
        detail="no consent on whatsapp for the follow-up scheduled in contact A1",
        seller_code="V02",
        channel=Ch.WHATSAPP,
    )
    # V02's limit is 0: the follow-up is cut, and names no campaign
    assert plan.explain("C2") == Explanation(
        customer_id="C2",
        day=DAY,
        outcome=SuggestionOutcome.CUT_BY_LIMIT,
        detail=(
            "cut by the limit: V02 gets 0 suggestions on 2026-05-11 and 1 customers were candidates"
        ),
        seller_code="V02",
        channel=Ch.SMS,
    )


def test_explain_goes_past_two_failing_campaigns_to_the_third() -> None:
    brand = Brand(
        campaigns=[
            campaign("ZAP", priority=1, channels=[Ch.WHATSAPP]),
            campaign("SMS", priority=2, channels=[Ch.SMS], quarantine_days=20),
            campaign("EMAIL", priority=3, channels=[Ch.EMAIL]),
        ],
        policy=SuggestionPolicy(
            limiter=SuggestionLimiter(0, 100), quarantine=QuarantinePolicy(days_after_contact=0)
        ),
    )
    brand.add("C1", channels=[Ch.SMS, Ch.EMAIL])
    brand.contact("C1", at(DAY - timedelta(days=5)), campaign_id="SMS", channel=Ch.SMS)
    plan = brand.plan()
    assert listed(plan) == [("C1", "EMAIL", "email")]
    assert plan.explain("C1").outcome is SuggestionOutcome.SUGGESTED
    assert plan.explain("C1").campaign_id == "EMAIL"
    # without the third, the first failure (no consent on ZAP) is the answer
    brand.campaigns = brand.campaigns[:2]
    why = brand.plan().explain("C1")
    assert (why.outcome, why.campaign_id) == (SuggestionOutcome.OPTED_OUT, "ZAP")
    # and with the quarantined one first, the quarantine is
    brand.campaigns = [brand.campaigns[1], campaign("ZAP", priority=3, channels=[Ch.WHATSAPP])]
    why = brand.plan().explain("C1")
    assert (why.outcome, why.campaign_id, why.free_on) == (
        SuggestionOutcome.QUARANTINED,
        "SMS",
        date(2026, 5, 26),
    )


def test_a_campaign_without_its_own_quarantine_is_never_held() -> None:
    brand = Brand(
        campaigns=[campaign("SEMPRE", quarantine_days=0)],
        policy=SuggestionPolicy(
            limiter=SuggestionLimiter(0, 100), quarantine=QuarantinePolicy(days_after_contact=0)
        ),
    )
    brand.add("C1")
    brand.contact("C1", at(DAY - timedelta(days=1)), campaign_id="SEMPRE")
    yesterday = brand.plan(DAY - timedelta(days=1))
    brand.earlier = list(yesterday)
    plan = brand.plan()
    assert listed(plan) == [("C1", "SEMPRE", "whatsapp")]
    assert plan.explain("C1").outcome is SuggestionOutcome.SUGGESTED


# follow-ups: who gets them


def test_a_follow_up_reaches_a_customer_outside_every_active_carteira() -> None:
    brand = Brand()
    brand.add("C1", seller=None)
    brand.contact("C1", at(date(2026, 5, 2)), seller="V02", follow_up=DAY)
    brand.add("C2", channels=[Ch.WHATSAPP])
    del brand.owners["C2"]  # in no carteira at all
    brand.contact("C2", at(date(2026, 5, 2)), seller="V02", follow_up=DAY)
    brand.sellers.append(
        Seller(code="V03", name="Davi", store_id="L01", status=SellerStatus.INACTIVE)
    )
    brand.add("C3", seller="V03")
    brand.contact("C3", at(date(2026, 5, 2)), seller="V01", follow_up=DAY)
    plan = brand.plan()
    assert [(s.customer_id, s.reason) for s in plan.for_seller("V02")] == [
        ("C1", SuggestionReason.FOLLOW_UP),
        ("C2", SuggestionReason.FOLLOW_UP),
    ]
    assert [(s.customer_id, s.contact_id) for s in plan.for_seller("V01")] == [("C3", "A3")]


def test_a_follow_up_of_an_inactive_seller_for_a_customer_without_an_active_seller() -> None:
    brand = Brand()
    brand.sellers[1] = attrs.evolve(brand.sellers[1], status=SellerStatus.INACTIVE)
    brand.add("C1", seller=None)
    brand.contact("C1", at(date(2026, 5, 2)), seller="V02", follow_up=DAY)
    brand.add("C2", seller="V02")
    brand.contact("C2", at(date(2026, 5, 2)), seller="V02", follow_up=DAY)
    plan = brand.plan()
    assert len(plan) == 0
    assert plan.explain("C1") == Explanation(
        customer_id="C1",
        day=DAY,
        outcome=SuggestionOutcome.NOT_IN_ACTIVE_PORTFOLIO,
        detail="C1 is unassigned (in nobody's carteira)",
    )
    assert plan.explain("C2") == Explanation(
        customer_id="C2",
        day=DAY,
        outcome=SuggestionOutcome.NOT_IN_ACTIVE_PORTFOLIO,
        detail="the seller of C2's carteira (V02) is inactive",
        seller_code="V02",
    )


def test_of_two_follow_ups_finished_at_once_the_greater_contact_id_wins() -> None:
    brand = Brand()
    brand.add("C1", channels=[Ch.WHATSAPP, Ch.SMS])
    when = at(date(2026, 5, 2))
    brand.contact("C1", when, seller="V02", channel=Ch.SMS, follow_up=DAY)
    brand.contact("C1", when, seller="V01", follow_up=DAY)
    plan = brand.plan()
    (suggestion,) = plan
    assert (suggestion.seller_code, suggestion.contact_id) == ("V01", "A2")
    assert plan.explain("C1").suggestion == suggestion
    # the latest finished wins over the greater id
    brand.contacts[1] = attrs.evolve(
        brand.contacts[1], started_at=when - timedelta(hours=1), finished_at=when
    )
    brand.contacts[0] = attrs.evolve(brand.contacts[0], finished_at=when + timedelta(minutes=20))
    (suggestion,) = brand.plan()
    assert (suggestion.seller_code, suggestion.contact_id) == ("V02", "A1")


def test_the_follow_up_message_is_the_policys_template() -> None:
    brand = Brand(
        policy=SuggestionPolicy(
            limiter=SuggestionLimiter(0, 100),
            follow_up_message="{loja}: {vendedor} para {primeiro_nome}",
        )
    )
    brand.add("C1", name="MARIA CLARA")
    brand.contact("C1", at(date(2026, 5, 2)), follow_up=DAY)
    (suggestion,) = brand.plan()
    assert suggestion.message == "Loja Centro: Bruno para Maria"


# earlier suggestions


def test_only_earlier_campaign_suggestions_hold_a_campaign() -> None:
    brand = Brand(
        campaigns=[campaign("A", priority=1, quarantine_days=10), campaign("B", priority=2)]
    )
    brand.add("C1")
    tomorrow = brand.plan(DAY + timedelta(days=1))
    assert listed(tomorrow) == [("C1", "A", "whatsapp")]
    brand.earlier = list(tomorrow)  # later than the day planned: ignored
    assert listed(brand.plan()) == [("C1", "A", "whatsapp")]
    long_ago = brand.plan(DAY - timedelta(days=10))
    brand.earlier = list(long_ago)  # 10 days before, with 10 days of quarantine: free today
    assert listed(brand.plan()) == [("C1", "A", "whatsapp")]
    brand.earlier = []
    brand.earlier = list(brand.plan(DAY - timedelta(days=9)))
    assert listed(brand.plan()) == [("C1", "B", "whatsapp")]
    # an earlier follow-up suggestion holds no campaign
    brand.earlier = []
    brand.contact("C1", at(date(2026, 4, 1)), follow_up=DAY - timedelta(days=1))
    follow_up = brand.plan(DAY - timedelta(days=1))
    assert [s.kind for s in follow_up] == [SuggestionKind.FOLLOW_UP]
    brand.earlier = list(follow_up)
    assert listed(brand.plan()) == [("C1", "A", "whatsapp")]


# stores, limits and plans as values


def test_only_active_sellers_need_their_store() -> None:
    brand = Brand()
    brand.sellers.append(
        Seller(code="V03", name="Davi", store_id="L09", status=SellerStatus.INACTIVE)
    )
    brand.add("C1")
    assert listed(brand.plan()) == [("C1", "TODOS", "whatsapp")]
    brand.sellers = [
        Seller(code="V09", name="Zé", store_id="L09"),
        Seller(code="V08", name="Ivo", store_id="L08"),
    ]
    with pytest.raises(
        ValidationError,
        match=says(
            "stores must include the store of every active seller (V08 works in L08), got 'L08'"
        ),
    ):
        brand.plan()


def test_workloads_none_or_missing_use_the_brands_default() -> None:
    brand = Brand()
    assert brand.plan(workloads=None).limits == {"V01": 20, "V02": 20}
    assert brand.plan(workloads={"V01": None}).limits == {"V01": 20, "V02": 20}
    assert brand.plan(workloads={"V02": SellerWorkload(idle_share=Decimal("0.5"))}).limits == {
        "V01": 20,
        "V02": 40,
    }
    # a workload for an inactive or unknown seller is never read
    assert brand.plan(workloads={"V77": 5}).limits == {"V01": 20, "V02": 20}


def test_plans_differ_by_day_limits_or_suggestions() -> None:
    brand = Brand()
    assert brand.plan() == brand.plan()
    assert brand.plan() != brand.plan(DAY + timedelta(days=1))
    assert brand.plan() != brand.plan(workloads={"V01": SellerWorkload(hours_worked=1)})
    brand.add("C1")
    with_one = brand.plan()
    assert with_one != brand.plan(anonymized={"C1"})
    assert with_one.limits == brand.plan(anonymized={"C1"}).limits


def test_explain_counts_earlier_suggestions_in_a_campaigns_own_quarantine() -> None:
    brand = Brand(campaigns=[campaign("ANIVERSARIO", quarantine_days=10)])
    brand.add("C1")
    brand.earlier = list(brand.plan(DAY - timedelta(days=3)))
    plan = brand.plan()
    assert len(plan) == 0
    assert plan.explain("C1") == Explanation(
        customer_id="C1",
        day=DAY,
        outcome=SuggestionOutcome.QUARANTINED,
        detail="campaign ANIVERSARIO is in its own quarantine for the customer until 2026-05-18",
        seller_code="V01",
        campaign_id="ANIVERSARIO",
        free_on=date(2026, 5, 18),
        quarantine_rule=QuarantineRule.CAMPAIGN,
    )


def test_a_contacted_customer_with_an_earlier_suggestion_of_another_campaign() -> None:
    brand = Brand(
        campaigns=[
            campaign("A", priority=1, quarantine_days=10),
            campaign("B", priority=2, quarantine_days=10),
        ],
        policy=SuggestionPolicy(
            limiter=SuggestionLimiter(0, 100), quarantine=QuarantinePolicy(days_after_contact=0)
        ),
    )
    brand.add("C1")
    brand.contact("C1", at(DAY - timedelta(days=20)), campaign_id="B")
    brand.earlier = list(brand.plan(DAY - timedelta(days=2)))
    assert [s.campaign_id for s in brand.earlier] == ["A"]
    plan = brand.plan()
    assert listed(plan) == [("C1", "B", "whatsapp")]
    assert plan.explain("C1").campaign_id == "B"


def test_a_block_is_dated_in_the_brands_time_zone() -> None:
    zone = "Pacific/Kiritimati"  # UTC+14: a day ahead of most machines' clocks
    brand = Brand(
        policy=SuggestionPolicy(
            limiter=SuggestionLimiter(0, 100),
            quarantine=QuarantinePolicy(time_zone=zone),
            time_zone=zone,
        )
    )
    brand.add("C1", cpf=ANA_CPF)
    # 11:00 UTC on 10 May is 01:00 on 11 May in Kiritimati
    brand.block_events.append(block(ANA_CPF, datetime(2026, 5, 10, 11, tzinfo=UTC)))
    plan = brand.plan(
        consent=ConsentLedger.from_events(brand.consents, policy=ConsentPolicy(time_zone=zone)),
        blocks=BlockList.from_events(brand.block_events, time_zone=zone),
    )
    assert plan.explain("C1").detail == (
        "CPF ***.982.247-** is blocked for campaigns since 2026-05-11 by u-gerente: "
        "pediu para não receber ofertas"
    )


def test_a_reassigned_follow_ups_detail_in_full() -> None:
    brand = Brand()
    brand.sellers[1] = attrs.evolve(brand.sellers[1], status=SellerStatus.INACTIVE)
    brand.add("C1", seller="V01")
    brand.contact("C1", at(date(2026, 5, 2)), seller="V02", follow_up=DAY, note="Trazer o catálogo")
    (suggestion,) = brand.plan()
    assert suggestion.detail == (
        "follow-up scheduled by V02 in contact A1 on 2026-05-02: Trazer o catálogo "
        "(V02 is inactive; V01 has the customer now)"
    )
