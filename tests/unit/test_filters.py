"""Audience filters: worked examples from the seed's "Pesquisa" filters, edges and errors."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import attrs
import pytest

from _support.builders import SP
from otocore.consent import ContactChannel
from otocore.customers import Cpf, Customer, Email, Loyalty, MaritalStatus, Mobile, Sex
from otocore.errors import ValidationError
from otocore.filters import (
    DEFAULT_REQUIRED_FIELDS,
    MAX_DEPTH,
    AgeBetween,
    AllOf,
    AnyOf,
    BirthdayInMonth,
    BirthdayWithin,
    BoughtInNotIn,
    BoughtOnline,
    ConsentOn,
    CustomerFacts,
    DaysSinceLastPurchase,
    Filter,
    FrequencyBetween,
    FScoreBetween,
    HasPurchases,
    IncompleteRegistration,
    LastPurchaseBetween,
    LoyaltyProgram,
    MaritalStatusIn,
    NewCustomer,
    Not,
    PreferredStoreIn,
    PurchaseFrequencyIn,
    RecencyBetween,
    RegistrationField,
    RScoreBetween,
    SegmentIn,
    SexIn,
    StoreIn,
    StoreVisitsBetween,
    ValueBetween,
    VScoreBetween,
    check_segments,
    facts_for_brand,
    filter_to_data,
    parse_filter,
    select,
)
from otocore.frequency import FrequencyClass
from otocore.orders import Channel, Order, OrderStatus
from otocore.rfv import RfvScore, default_grid
from otocore.serialization import _filters as _hooks_filters
from otocore.serialization import make_converter

DAY = date(2026, 5, 10)


def person(cid: str = "C1", **fields: Any) -> Customer:
    fields.setdefault("registered_at", datetime(2024, 3, 1, 15, tzinfo=UTC))
    return Customer(customer_id=cid, name="Ana Souza", **fields)


_counter = iter(range(1, 1_000_000))


def sale(
    day: tuple[int, int, int],
    *,
    cid: str = "C1",
    store: str = "L01",
    hour: int = 12,
    channel: Channel = Channel.STORE,
    status: OrderStatus = OrderStatus.COMPLETED,
) -> Order:
    return Order(
        order_id=f"P{next(_counter)}",
        customer_id=cid,
        store_id=store,
        placed_at=datetime(*day, hour, tzinfo=SP),
        total=Decimal("100.00"),
        seller_code="V01",
        status=status,
        channel=channel,
    )


def facts(
    customer: Customer | None = None, orders: list[Order] | None = None, on: date = DAY, **kw: Any
) -> CustomerFacts:
    return CustomerFacts.build(customer or person(), orders or [], on, **kw)


def score(cid: str = "C1", **kw: Any) -> RfvScore:
    values: dict[str, Any] = {
        "recency_days": 12,
        "frequency": 4,
        "value": Decimal("1150.00"),
        "r": 5,
        "f": 4,
        "v": 3,
        "segment": "champions",
    }
    values.update(kw)
    return RfvScore(customer_id=cid, **values)


def born(day: date, on: date, f: Filter) -> bool:
    return f.matches(facts(person(birth_date=day), on=on), on)


# Aniversariante ------------------------------------------------------------------


def test_aniversariante_in_the_coming_week() -> None:
    week = BirthdayWithin(days_after=7)
    assert born(date(1990, 5, 10), DAY, week)  # today
    assert born(date(1990, 5, 17), DAY, week)  # the 7th day after, included
    assert not born(date(1990, 5, 18), DAY, week)
    assert not born(date(1990, 5, 9), DAY, week)  # yesterday: days_before is 0
    assert born(date(1990, 5, 9), DAY, BirthdayWithin(days_before=1))


def test_birthday_period_wraps_the_year_end() -> None:
    on = date(2025, 12, 28)
    week = BirthdayWithin(days_after=6)  # 28 December to 3 January
    assert born(date(1990, 1, 2), on, week)
    assert born(date(1990, 1, 3), on, week)
    assert not born(date(1990, 1, 4), on, week)
    assert born(date(1990, 12, 31), on, week)
    back = BirthdayWithin(days_before=5)  # 28 December to 2 January
    assert born(date(1980, 12, 28), date(2026, 1, 2), back)
    assert not born(date(1980, 12, 27), date(2026, 1, 2), back)


def test_29_february_falls_on_28_february_in_common_years() -> None:
    leapling = date(2000, 2, 29)
    today = BirthdayWithin()
    assert born(leapling, date(2027, 2, 28), today)
    assert not born(leapling, date(2027, 3, 1), today)
    assert not born(leapling, date(2028, 2, 28), today)  # 2028 is a leap year
    assert born(leapling, date(2028, 2, 29), today)
    assert born(leapling, date(2027, 3, 1), BirthdayWithin(days_before=1))


def test_without_a_birth_date_no_birthday_filter_matches() -> None:
    nobody = facts(person())
    assert not BirthdayWithin(days_before=366, days_after=366).matches(nobody, DAY)
    assert not BirthdayInMonth().matches(nobody, DAY)
    assert not AgeBetween(min=0).matches(nobody, DAY)


def test_aniversariante_do_mes_is_the_month_of_the_day() -> None:
    of_the_month = BirthdayInMonth()
    assert born(date(1990, 5, 31), DAY, of_the_month)
    assert not born(date(1990, 6, 1), DAY, of_the_month)
    assert born(date(1990, 6, 1), date(2026, 6, 30), of_the_month)
    assert born(date(1992, 2, 29), date(2027, 2, 1), of_the_month)
    december = BirthdayInMonth(month=12)
    assert born(date(1990, 12, 25), DAY, december)
    assert not born(date(1990, 5, 25), DAY, december)


# Novos clientes ---------------------------------------------------------------------


def test_novos_clientes_registered_within_30_local_days() -> None:
    new = NewCustomer(days=30)

    def registered(at: datetime) -> bool:
        return new.matches(facts(person(registered_at=at)), DAY)

    assert registered(datetime(2026, 4, 11, 12, tzinfo=SP))  # the 30th day back
    assert registered(datetime(2026, 5, 10, 23, 59, tzinfo=SP))  # today
    assert not registered(datetime(2026, 4, 10, 12, tzinfo=SP))
    assert not registered(datetime(2026, 5, 11, 9, tzinfo=SP))  # after the day
    # 02:00 UTC on 11 April is 23:00 on 10 April in São Paulo: 31 local days ago
    assert not registered(datetime(2026, 4, 11, 2, tzinfo=UTC))


# Clientes loja online ----------------------------------------------------------------


def test_clientes_loja_online() -> None:
    online = BoughtOnline()
    assert online.matches(facts(orders=[sale((2025, 1, 5), channel=Channel.ONLINE)]), DAY)
    assert not online.matches(facts(orders=[sale((2025, 1, 5))]), DAY)
    assert not online.matches(facts(orders=[sale((2025, 1, 5), channel=Channel.TELESALES)]), DAY)
    cancelled = sale((2025, 1, 5), channel=Channel.ONLINE, status=OrderStatus.CANCELLED)
    assert not online.matches(facts(orders=[cancelled]), DAY)
    later = sale((2026, 5, 11), channel=Channel.ONLINE)
    assert not online.matches(facts(orders=[later]), DAY)


# Fidelidade, Programa de fidelidade, Categoria ---------------------------------------


def test_programa_de_fidelidade_e_categoria() -> None:
    gold = facts(person(loyalty=Loyalty(program="Clube Brisa", category="Ouro")))
    plain = facts(person(loyalty=Loyalty(program="Clube Brisa")))
    other = facts(person(loyalty=Loyalty(program="Mais Brisa", category="Ouro")))
    member = LoyaltyProgram(program="Clube Brisa")
    assert member.matches(gold, DAY)
    assert member.matches(plain, DAY)
    assert not member.matches(other, DAY)
    assert not member.matches(facts(), DAY)
    top = LoyaltyProgram(program="Clube Brisa", categories=["Ouro", "Diamante"])
    assert top.matches(gold, DAY)
    assert not top.matches(plain, DAY)  # no category yet
    assert not LoyaltyProgram(program="Clube Brisa", categories=["ouro"]).matches(gold, DAY)


# Cadastro incompleto ----------------------------------------------------------------


def test_cadastro_incompleto_default_fields() -> None:
    assert [f.value for f in DEFAULT_REQUIRED_FIELDS] == ["birth_date", "cpf", "email", "mobile"]
    complete = person(
        cpf=Cpf.parse("529.982.247-25"),
        email=Email.parse("ana@example.com"),
        mobile=Mobile.parse("(11) 98765-4321"),
        birth_date=date(1990, 5, 14),
    )
    incomplete = IncompleteRegistration()
    assert not incomplete.matches(facts(complete), DAY)
    for missing in ("cpf", "email", "mobile", "birth_date"):
        assert incomplete.matches(facts(attrs.evolve(complete, **{missing: None})), DAY), missing
    # sex and RG are not required by default
    assert complete.sex is None
    assert complete.rg is None
    only_sex = IncompleteRegistration(fields=[RegistrationField.SEX])
    assert only_sex.matches(facts(complete), DAY)
    assert not only_sex.matches(facts(attrs.evolve(complete, sex=Sex.FEMALE)), DAY)


# Última compra, dias desde a última compra, somente clientes com compras -------------


def test_ultima_compra_between_dates() -> None:
    history = [sale((2025, 11, 3)), sale((2026, 1, 20))]
    first_quarter = LastPurchaseBetween(start=date(2026, 1, 1), end=date(2026, 3, 31))
    assert first_quarter.matches(facts(orders=history), DAY)
    assert not first_quarter.matches(facts(orders=history[:1]), DAY)
    assert LastPurchaseBetween(end=date(2026, 1, 20)).matches(facts(orders=history), DAY)
    assert not LastPurchaseBetween(end=date(2026, 1, 19)).matches(facts(orders=history), DAY)
    assert not LastPurchaseBetween(start=date(2000, 1, 1)).matches(facts(), DAY)


def test_post_sale_follow_up_exactly_30_days_after_the_purchase() -> None:
    follow_up = DaysSinceLastPurchase.exactly(30)
    assert follow_up.matches(facts(orders=[sale((2026, 4, 10))]), DAY)
    assert not follow_up.matches(facts(orders=[sale((2026, 4, 11))]), DAY)
    # a later purchase resets the count
    assert not follow_up.matches(facts(orders=[sale((2026, 4, 10)), sale((2026, 5, 1))]), DAY)
    # 23:30 in São Paulo on 10 April is already 11 April in UTC; the local day counts
    late = sale((2026, 4, 10), hour=23)
    assert follow_up.matches(facts(orders=[late]), DAY)
    assert not follow_up.matches(facts(orders=[late], time_zone="UTC"), DAY)
    assert DaysSinceLastPurchase(min=0, max=0).matches(facts(orders=[sale((2026, 5, 10))]), DAY)
    assert not DaysSinceLastPurchase(min=0).matches(facts(), DAY)


def test_somente_clientes_com_compras() -> None:
    assert HasPurchases().matches(facts(orders=[sale((2020, 1, 1))]), DAY)
    assert not HasPurchases().matches(facts(), DAY)
    cancelled = sale((2026, 1, 1), status=OrderStatus.CANCELLED)
    assert not HasPurchases().matches(facts(orders=[cancelled]), DAY)
    assert not HasPurchases().matches(facts(orders=[sale((2026, 5, 11))]), DAY)


# Comprou em mês A e não comprou em mês B ---------------------------------------------


def test_comprou_em_dezembro_e_nao_em_janeiro() -> None:
    f = BoughtInNotIn(bought_in=(2025, 12), not_in=(2026, 1))
    assert f.matches(facts(orders=[sale((2025, 12, 20))]), DAY)
    assert not f.matches(facts(orders=[sale((2025, 12, 20)), sale((2026, 1, 15))]), DAY)
    assert not f.matches(facts(orders=[sale((2026, 2, 1))]), DAY)
    # 01:00 UTC on 1 January is 31 December in São Paulo
    new_year = Order(
        order_id="P-NY",
        customer_id="C1",
        store_id="L01",
        placed_at=datetime(2026, 1, 1, 1, tzinfo=UTC),
        total=Decimal("10.00"),
        seller_code=None,
    )
    assert f.matches(facts(orders=[new_year]), DAY)
    assert not f.matches(facts(orders=[new_year], time_zone="UTC"), DAY)
    assert filter_to_data(f) == {"bought_in_not_in": {"bought_in": "2025-12", "not_in": "2026-01"}}


# Loja preferida (últimos 12 meses), Loja ---------------------------------------------


def test_loja_preferida_counts_store_days() -> None:
    history = [
        sale((2026, 3, 2), store="L02", hour=10),
        sale((2026, 3, 2), store="L02", hour=18),  # same store, same day: one visit
        sale((2026, 2, 1), store="L01"),
        sale((2026, 4, 1), store="L01"),
    ]
    assert facts(orders=history).preferred_store_id == "L01"
    assert PreferredStoreIn(["L01"]).matches(facts(orders=history), DAY)
    assert not PreferredStoreIn(["L02"]).matches(facts(orders=history), DAY)


def test_loja_preferida_ties_go_to_the_latest_visit_then_the_lowest_store_id() -> None:
    latest = [sale((2026, 3, 2), store="L01"), sale((2026, 3, 3), store="L02")]
    assert facts(orders=latest).preferred_store_id == "L02"
    same_day = [sale((2026, 3, 3), store="L02"), sale((2026, 3, 3), store="L01")]
    assert facts(orders=same_day).preferred_store_id == "L01"


def test_loja_preferida_looks_at_the_last_12_months_only() -> None:
    # the window of 2026-05-10 is 2025-05-11 .. 2026-05-10
    old = [sale((2025, 5, 10), store="L09"), sale((2025, 5, 10), store="L09", hour=20)]
    assert facts(orders=old).preferred_store_id is None
    assert facts(orders=[*old, sale((2025, 5, 11), store="L03")]).preferred_store_id == "L03"
    assert not PreferredStoreIn(["L09"]).matches(facts(orders=old), DAY)
    many_old = [sale((2024, m, 1), store="L09") for m in range(1, 13)]
    assert facts(orders=[*many_old, sale((2026, 1, 1), store="L01")]).preferred_store_id == "L01"


def test_loja_is_the_home_store() -> None:
    assert StoreIn(["L01", "L02"]).matches(facts(person(home_store_id="L02")), DAY)
    assert not StoreIn(["L01"]).matches(facts(person(home_store_id="L02")), DAY)
    assert not StoreIn(["L01"]).matches(facts(person()), DAY)


# Sexo, Estado civil, Faixa etária ---------------------------------------------------


def test_sexo_e_estado_civil() -> None:
    ana = facts(person(sex=Sex.FEMALE, marital_status=MaritalStatus.STABLE_UNION))
    unknown = facts(person())
    assert SexIn([Sex.FEMALE]).matches(ana, DAY)
    assert not SexIn([Sex.MALE, Sex.OTHER]).matches(ana, DAY)
    assert not SexIn(list(Sex)).matches(unknown, DAY)
    assert Not(SexIn(list(Sex))).matches(unknown, DAY)  # "não informado"
    couples = MaritalStatusIn([MaritalStatus.MARRIED, MaritalStatus.STABLE_UNION])
    assert couples.matches(ana, DAY)
    assert not couples.matches(unknown, DAY)


def test_faixa_etaria_on_the_birthday() -> None:
    young = AgeBetween(min=18, max=30)
    assert not born(date(2008, 5, 11), DAY, young)  # turns 18 tomorrow
    assert born(date(2008, 5, 10), DAY, young)  # 18 today
    assert born(date(1995, 5, 11), DAY, young)  # 30 until tomorrow
    assert not born(date(1995, 5, 10), DAY, young)  # 31 today
    sixty_plus = AgeBetween(min=60)
    assert born(date(1900, 1, 1), DAY, sixty_plus)


def test_faixa_etaria_29_february_turns_older_on_1_march() -> None:
    adult = AgeBetween(min=18)
    assert not born(date(2008, 2, 29), date(2026, 2, 28), adult)
    assert born(date(2008, 2, 29), date(2026, 3, 1), adult)
    assert born(date(2008, 2, 29), date(2028, 2, 29), AgeBetween(min=20, max=20))


# RFV ---------------------------------------------------------------------------------


def test_rfv_segment_and_scores() -> None:
    scored = facts(rfv=score())
    unscored = facts()
    assert SegmentIn(["champions", "loyal_customers"]).matches(scored, DAY)
    assert not SegmentIn(["at_risk"]).matches(scored, DAY)
    assert RScoreBetween(min=5).matches(scored, DAY)
    assert FScoreBetween(min=4, max=4).matches(scored, DAY)
    assert not VScoreBetween(min=4).matches(scored, DAY)
    assert RecencyBetween(max=12).matches(scored, DAY)
    assert not RecencyBetween(max=11).matches(scored, DAY)
    assert FrequencyBetween(min=3).matches(scored, DAY)
    assert ValueBetween(min=Decimal("1150")).matches(scored, DAY)
    assert not ValueBetween(min=Decimal("1150.01")).matches(scored, DAY)
    for f in (
        SegmentIn(["champions"]),
        RScoreBetween(min=1),
        FScoreBetween(min=1),
        VScoreBetween(min=1),
        RecencyBetween(min=0),
        FrequencyBetween(min=0),
        ValueBetween(min=Decimal(0)),
    ):
        assert not f.matches(unscored, DAY), f


def test_win_back_at_risk_campaign() -> None:
    audience = AllOf([SegmentIn(["at_risk"]), ConsentOn([ContactChannel.WHATSAPP])])
    at_risk = score(segment="at_risk", r=2, f=3)
    assert audience.matches(facts(rfv=at_risk, consented={ContactChannel.WHATSAPP}), DAY)
    assert not audience.matches(facts(rfv=at_risk, consented={ContactChannel.SMS}), DAY)
    assert not audience.matches(facts(rfv=at_risk), DAY)


def test_consent_on_any_of_the_channels() -> None:
    f = ConsentOn([ContactChannel.SMS, ContactChannel.EMAIL])
    assert f.matches(facts(consented=[ContactChannel.EMAIL]), DAY)
    assert not f.matches(facts(consented=[ContactChannel.PUSH]), DAY)
    assert not f.matches(facts(), DAY)


# combinators ---------------------------------------------------------------------------


def test_empty_all_matches_everyone_and_empty_any_no_one() -> None:
    assert AllOf([]).matches(facts(), DAY)
    assert not AnyOf([]).matches(facts(), DAY)
    assert parse_filter({"all": []}) == AllOf([])


def test_combinators() -> None:
    ana = facts(person(sex=Sex.FEMALE), orders=[sale((2026, 4, 10))])
    assert AllOf([SexIn([Sex.FEMALE]), HasPurchases()]).matches(ana, DAY)
    assert not AllOf([SexIn([Sex.FEMALE]), BoughtOnline()]).matches(ana, DAY)
    assert AnyOf([BoughtOnline(), HasPurchases()]).matches(ana, DAY)
    assert not AnyOf([BoughtOnline(), SexIn([Sex.MALE])]).matches(ana, DAY)
    assert Not(BoughtOnline()).matches(ana, DAY)


def test_sets_ignore_order_and_repeats() -> None:
    assert SegmentIn(["b", "a", "a"]) == SegmentIn(("a", "b"))
    assert SexIn({Sex.MALE, Sex.FEMALE}).sexes == (Sex.FEMALE, Sex.MALE)
    assert hash(StoreIn(["L2", "L1"])) == hash(StoreIn(["L1", "L2"]))


# JSON form -------------------------------------------------------------------------------

EXAMPLES: list[tuple[dict[str, Any], Filter]] = [
    ({"all": [{"has_purchases": {}}]}, AllOf([HasPurchases()])),
    ({"any": [{"bought_online": {}}]}, AnyOf([BoughtOnline()])),
    ({"not": {"has_purchases": {}}}, Not(HasPurchases())),
    ({"segment_in": ["champions", "loyal_customers"]}, SegmentIn(["loyal_customers", "champions"])),
    ({"r_score_between": {"min": 4, "max": 5}}, RScoreBetween(min=4, max=5)),
    ({"f_score_between": {"min": 1, "max": 2}}, FScoreBetween(min=1, max=2)),
    ({"v_score_between": {"min": 5}}, VScoreBetween(min=5)),
    ({"recency_between": {"min": 90, "max": 180}}, RecencyBetween(min=90, max=180)),
    ({"frequency_between": {"min": 3}}, FrequencyBetween(min=3)),
    ({"value_between": {"min": "1000.00"}}, ValueBetween(min=Decimal("1000.00"))),
    ({"birthday_within": {"days_before": 0, "days_after": 7}}, BirthdayWithin(days_after=7)),
    ({"birthday_in_month": {}}, BirthdayInMonth()),
    ({"birthday_in_month": {"month": 12}}, BirthdayInMonth(month=12)),
    ({"new_customer": {"days": 30}}, NewCustomer(days=30)),
    (
        {"loyalty_program": {"program": "Clube Brisa", "categories": ["Ouro"]}},
        LoyaltyProgram(program="Clube Brisa", categories=["Ouro"]),
    ),
    (
        {"incomplete_registration": {"fields": ["cpf", "email"]}},
        IncompleteRegistration(fields=[RegistrationField.EMAIL, RegistrationField.CPF]),
    ),
    (
        {"last_purchase_between": {"start": "2026-01-01", "end": "2026-03-31"}},
        LastPurchaseBetween(start=date(2026, 1, 1), end=date(2026, 3, 31)),
    ),
    (
        {"bought_in_not_in": {"bought_in": "2025-12", "not_in": "2026-01"}},
        BoughtInNotIn(bought_in=(2025, 12), not_in=(2026, 1)),
    ),
    ({"preferred_store_in": ["L01"]}, PreferredStoreIn(["L01"])),
    ({"store_in": ["L01", "L02"]}, StoreIn(["L02", "L01"])),
    ({"sex_in": ["female"]}, SexIn([Sex.FEMALE])),
    ({"marital_status_in": ["married", "stable_union"]}, MaritalStatusIn(list(MaritalStatus)[1:3])),
    ({"age_between": {"min": 18, "max": 30}}, AgeBetween(min=18, max=30)),
    ({"has_purchases": {}}, HasPurchases()),
    ({"bought_online": {}}, BoughtOnline()),
    ({"days_since_last_purchase": {"min": 30, "max": 30}}, DaysSinceLastPurchase.exactly(30)),
    ({"consent_on": ["whatsapp", "sms"]}, ConsentOn([ContactChannel.SMS, ContactChannel.WHATSAPP])),
    ({"store_visits_between": {"min": 4, "days": 28}}, StoreVisitsBetween(min=4, days=28)),
    (
        {"purchase_frequency_in": {"classes": ["fortnightly", "weekly"], "window_days": 90}},
        PurchaseFrequencyIn(
            classes=[FrequencyClass.WEEKLY, FrequencyClass.FORTNIGHTLY], window_days=90
        ),
    ),
]


@pytest.mark.parametrize(("data", "expected"), EXAMPLES, ids=[next(iter(d)) for d, _ in EXAMPLES])
def test_json_form_of_every_node(data: dict[str, Any], expected: Filter) -> None:
    assert parse_filter(data) == expected
    canonical = filter_to_data(expected)
    assert parse_filter(canonical) == expected
    assert list(canonical) == list(data)


def test_every_node_class_has_a_json_example() -> None:
    import otocore.filters as module

    nodes = {
        getattr(module, name)
        for name in module.__all__
        if isinstance(getattr(module, name), type)
        and issubclass(getattr(module, name), Filter)
        and getattr(module, name) is not Filter
    }
    assert nodes == {type(f) for _, f in EXAMPLES}


def test_json_shorthands_read_as_documented() -> None:
    assert parse_filter({"incomplete_registration": {}}) == IncompleteRegistration()
    assert parse_filter({"birthday_within": {}}) == BirthdayWithin(days_before=0, days_after=0)
    assert parse_filter({"value_between": {"max": 500}}) == ValueBetween(max=Decimal(500))
    assert parse_filter({"age_between": {"min": 18, "max": None}}) == AgeBetween(min=18)


# errors ----------------------------------------------------------------------------------


def faults(data: Any, **kw: Any) -> list[str]:
    with pytest.raises(ValidationError) as info:
        parse_filter(data, **kw)
    return [e.field for e in info.value.errors]


def test_the_issue_example_path() -> None:
    data = {"all": [{"has_purchases": {}}, {"sex_in": ["female"]}, {"age_between": {"min": -1}}]}
    assert faults(data, path="audience") == ["audience.all[2].age_between.min"]


def test_every_fault_is_reported_with_its_path() -> None:
    data = {
        "all": [
            {"age_between": {"min": 40, "max": 30}},
            {"any": [{"sex_in": ["female", "woman"]}, {"segment_in": "champions"}]},
            {"not": {"new_customer": {}}},
            {"value_between": {"min": 10.5, "currency": "BRL"}},
            {"bought_in_not_in": {"bought_in": "2025-12", "not_in": "2025-12"}},
            {"last_purchase_between": {"start": "2026-05-10", "end": "2026-01-01"}},
            {"agebetween": {"min": 1}},
            {"has_purchases": {}, "bought_online": {}},
            "has_purchases",
        ]
    }
    assert faults(data, path="audience") == [
        "audience.all[0].age_between.min",
        "audience.all[1].any[0].sex_in[1]",
        "audience.all[1].any[1].segment_in",
        "audience.all[2].not.new_customer.days",
        "audience.all[3].value_between.currency",
        "audience.all[3].value_between.min",
        "audience.all[4].bought_in_not_in.not_in",
        "audience.all[5].last_purchase_between.start",
        "audience.all[6].agebetween",
        "audience.all[7]",
        "audience.all[8]",
    ]


def test_error_messages_say_what_would_be_valid() -> None:
    with pytest.raises(ValidationError) as info:
        parse_filter({"agebetween": {"min": 1}}, path="audience")
    assert str(info.value) == (
        "audience.agebetween is not a known filter (did you mean 'age_between'?), got {'min': 1}"
    )
    with pytest.raises(ValidationError, match=r"audience.age_between.min must be <= max \(30\)"):
        parse_filter({"age_between": {"min": 40, "max": 30}}, path="audience")
    with pytest.raises(ValidationError, match=r"^audience.age_between needs min, max or both"):
        parse_filter({"age_between": {}}, path="audience")
    with pytest.raises(ValidationError, match=r"must not be empty, got \[\]"):
        parse_filter({"segment_in": []})


def test_root_faults_and_paths_without_a_root_name() -> None:
    assert faults(42) == ["filter"]
    assert faults({}, path="") == ["$"]
    assert faults({"not": {"age_between": {"min": -1}}}, path="") == ["not.age_between.min"]


def test_segment_names_are_checked_against_a_grid_when_one_is_given() -> None:
    data = {"any": [{"segment_in": ["champions", "campeoes"]}, {"segment_in": ["vip"]}]}
    assert parse_filter(data) == AnyOf([SegmentIn(["champions", "campeoes"]), SegmentIn(["vip"])])
    assert faults(data, grid=default_grid()) == [
        "filter.any[0].segment_in[1]",
        "filter.any[1].segment_in[0]",
    ]
    check_segments(parse_filter({"segment_in": ["at_risk"]}), default_grid())
    with pytest.raises(ValidationError) as info:
        check_segments(parse_filter(data), default_grid(), path="audience")
    assert [e.field for e in info.value.errors] == [
        "audience.any[0].segment_in[0]",  # sorted: ('campeoes', 'champions')
        "audience.any[1].segment_in[0]",
    ]


def test_nesting_is_limited() -> None:
    deep: dict[str, Any] = {"has_purchases": {}}
    for _ in range(MAX_DEPTH - 1):
        deep = {"not": deep}
    tree = parse_filter(deep)
    assert isinstance(tree, Not)
    assert faults({"not": deep}) == ["filter" + ".not" * MAX_DEPTH]
    with pytest.raises(ValidationError, match=r"Not.filter must not nest deeper than 32"):
        Not(tree)
    abyss: Any = {"has_purchases": {}}
    for _ in range(5000):
        abyss = {"all": [abyss]}
    assert len(faults(abyss)) == 1


def test_constructors_validate() -> None:
    with pytest.raises(ValidationError, match=r"AgeBetween.max must be <= 150, got 151"):
        AgeBetween(max=151)
    with pytest.raises(ValidationError, match=r"AgeBetween.min must be an integer, got True"):
        AgeBetween(min=True)
    with pytest.raises(ValidationError, match=r"NewCustomer.days must be an integer"):
        NewCustomer(days="30")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"BirthdayWithin.days_after must be <= 366"):
        BirthdayWithin(days_after=367)
    with pytest.raises(ValidationError, match=r"BirthdayInMonth.month must be <= 12"):
        BirthdayInMonth(month=13)
    with pytest.raises(ValidationError, match=r"LastPurchaseBetween needs start, end or both"):
        LastPurchaseBetween()
    with pytest.raises(ValidationError, match=r"LastPurchaseBetween.start must be a datetime.date"):
        LastPurchaseBetween(start=datetime(2026, 1, 1, tzinfo=UTC))
    with pytest.raises(ValidationError, match=r"ValueBetween.min must be >= 0"):
        ValueBetween(min=Decimal(-1))
    with pytest.raises(ValidationError, match=r"BoughtInNotIn.bought_in must be a \(year, month\)"):
        BoughtInNotIn(bought_in=(2026, 13), not_in=(2026, 1))
    with pytest.raises(ValidationError, match=r"LoyaltyProgram.program must not be empty"):
        LoyaltyProgram(program=" ")
    with pytest.raises(
        ValidationError, match=r"IncompleteRegistration.fields\[0\] must be a RegistrationField"
    ):
        IncompleteRegistration(fields=["cpf"])
    with pytest.raises(ValidationError, match=r"StoreIn.store_ids must be a non-empty list"):
        StoreIn("L01")
    with pytest.raises(ValidationError, match=r"ConsentOn.channels\[0\] must be a ContactChannel"):
        ConsentOn(["whatsapp"])
    with pytest.raises(ValidationError, match=r"AllOf.filters must be a list of filters"):
        AllOf(HasPurchases())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="abstract"):
        Filter()


def test_facts_must_be_for_the_day() -> None:
    with pytest.raises(ValidationError, match=r"^on must be the day the facts were built for"):
        HasPurchases().matches(facts(), date(2026, 5, 11))
    with pytest.raises(ValidationError, match=r"^facts must be a CustomerFacts"):
        HasPurchases().matches(person(), DAY)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"^on must be a datetime.date"):
        HasPurchases().matches(facts(), datetime(2026, 5, 10, tzinfo=UTC))  # type: ignore[arg-type]


def test_a_birth_date_after_the_day_does_not_match_age_filters() -> None:
    later = facts(person(birth_date=date(2026, 6, 1)))
    assert not AgeBetween(min=0).matches(later, DAY)
    june = date(2026, 6, 1)
    assert AgeBetween(min=0, max=0).matches(facts(person(birth_date=june), on=june), june)


# hooks -------------------------------------------------------------------------------------


@attrs.frozen
class Campaign:
    name: str
    audience: Filter


def test_hooks_structure_a_field_annotated_filter() -> None:
    conv = make_converter()
    _hooks_filters.configure(conv)
    campaign = Campaign(
        "Aniversariantes", AllOf([BirthdayInMonth(), ConsentOn([ContactChannel.SMS])])
    )
    data = conv.unstructure(campaign)
    assert data["audience"] == {"all": [{"birthday_in_month": {}}, {"consent_on": ["sms"]}]}
    assert conv.structure(data, Campaign) == campaign
    bad = {"name": "x", "audience": {"all": [{"sex_in": ["f"]}, {"not": 3}]}}
    with pytest.raises(ValidationError) as info:
        conv.structure(bad, Campaign)
    assert [e.field for e in info.value.errors] == [
        "Campaign.audience.all[0].sex_in[0]",
        "Campaign.audience.all[1].not",
    ]
    with pytest.raises(ValidationError) as info:
        conv.structure({"name": "x", "audience": []}, Campaign)
    assert [e.field for e in info.value.errors] == ["Campaign.audience"]
    assert conv.structure({"age_between": {"min": 1}}, AgeBetween) == AgeBetween(min=1)
    with pytest.raises(ValidationError, match="must be a filter of kind 'age_between'"):
        conv.structure({"has_purchases": {}}, AgeBetween)


def test_filter_to_data_refuses_what_is_not_a_filter() -> None:
    with pytest.raises(ValidationError, match=r"^filter must be a filter"):
        filter_to_data({"has_purchases": {}})  # type: ignore[arg-type]


# facts -------------------------------------------------------------------------------------


def test_build_counts_completed_purchases_up_to_the_day() -> None:
    history = [
        sale((2025, 12, 20)),
        sale((2026, 1, 15), channel=Channel.ONLINE),
        sale((2026, 2, 1), status=OrderStatus.CANCELLED),
        sale((2026, 5, 11)),  # after the day
    ]
    f = facts(orders=history)
    assert (f.purchases, f.last_purchase) == (2, date(2026, 1, 15))
    assert f.purchase_months == frozenset({(2025, 12), (2026, 1)})
    assert f.bought_online
    assert f.registered_on == date(2024, 3, 1)


def test_build_refuses_orders_of_another_customer_and_repeated_orders() -> None:
    with pytest.raises(
        ValidationError, match=r"^orders\[0\].customer_id must be the customer's id"
    ):
        facts(orders=[sale((2026, 1, 1), cid="C2")])
    twice = sale((2026, 1, 1))
    with pytest.raises(ValidationError, match=r"^orders\[1\].order_id must be unique"):
        facts(orders=[twice, twice])
    with pytest.raises(
        ValidationError, match=r"^CustomerFacts.rfv must be the score of the same customer"
    ):
        facts(rfv=score("C2"))
    with pytest.raises(ValidationError, match=r"^consented must be a ContactChannel"):
        facts(consented=["sms"])
    with pytest.raises(ValidationError, match=r"^time_zone must be an IANA time zone"):
        facts(time_zone="Brasília")


def test_the_constructor_checks_that_facts_agree() -> None:
    base: dict[str, Any] = {"customer": person(), "on": DAY, "registered_on": date(2024, 3, 1)}
    with pytest.raises(ValidationError, match=r"^CustomerFacts.last_purchase must not be after on"):
        CustomerFacts(
            **base, last_purchase=date(2026, 5, 11), purchases=1, purchase_months={(2026, 5)}
        )
    with pytest.raises(ValidationError, match=r"^CustomerFacts.purchase_months must include"):
        CustomerFacts(
            **base, last_purchase=date(2026, 5, 1), purchases=1, purchase_months={(2026, 4)}
        )
    with pytest.raises(
        ValidationError, match=r"^CustomerFacts.bought_online must be empty without"
    ):
        CustomerFacts(**base, bought_online=True)
    with pytest.raises(ValidationError, match=r"^CustomerFacts.purchases must be >= 0"):
        CustomerFacts(**base, purchases=-1)
    ok = CustomerFacts(
        **base,
        last_purchase=date(2026, 5, 1),
        purchases=2,
        purchase_months=[(2026, 5)],
        preferred_store_id="L01",
        store_days={date(2026, 5, 1)},
        purchase_days={date(2026, 5, 1)},
    )
    assert ok == facts(orders=[sale((2026, 5, 1)), sale((2026, 5, 1), hour=15)])
    assert attrs.evolve(ok, purchase_days=frozenset()).purchase_days == frozenset()  # by hand
    for wrong, rule in [
        ({date(2026, 4, 30)}, "must end on the last purchase"),
        ({date(2026, 4, 1), date(2026, 4, 30), date(2026, 5, 1)}, "must not hold more days"),
    ]:
        with pytest.raises(ValidationError, match=rf"^CustomerFacts.purchase_days {rule}"):
            attrs.evolve(ok, purchase_days=wrong)
    with pytest.raises(ValidationError, match=r"^CustomerFacts.purchase_days must include every"):
        attrs.evolve(
            ok, store_days={date(2026, 4, 30), date(2026, 5, 1)}, purchase_days={date(2026, 5, 1)}
        )
    with pytest.raises(ValidationError, match=r"^CustomerFacts.purchase_days must fall in the"):
        attrs.evolve(ok, purchase_days={date(2026, 4, 30), date(2026, 5, 1)})
    with pytest.raises(ValidationError, match=r"^CustomerFacts.purchase_days must be empty"):
        CustomerFacts(**base, purchase_days={date(2026, 5, 1)})


def test_facts_for_brand_builds_everyone_in_one_pass() -> None:
    people = [person("C2"), person("C1"), person("C3")]
    history = [sale((2026, 4, 1), cid="C1"), sale((2026, 4, 2), cid="C9")]  # C9 is not listed
    found = facts_for_brand(
        people,
        history,
        DAY,
        rfv_scores={"C1": score("C1"), "C9": score("C9")},
        consents={"C3": [ContactChannel.PUSH]},
    )
    assert list(found) == ["C1", "C2", "C3"]
    assert found["C1"] == facts(people[1], history[:1], rfv=score("C1"))
    assert found["C3"].consented == frozenset({ContactChannel.PUSH})
    assert found["C2"] == facts(people[0])


def test_facts_for_brand_errors() -> None:
    with pytest.raises(ValidationError, match=r"^customers\[1\].customer_id must be unique"):
        facts_for_brand([person("C1"), person("C1")], [], DAY)
    with pytest.raises(
        ValidationError, match=r"^rfv_scores\['C1'\] must be the RfvScore of customer"
    ):
        facts_for_brand([person("C1")], [], DAY, rfv_scores={"C1": score("C2")})
    with pytest.raises(ValidationError, match=r"^orders\[0\] must be an otocore.orders.Order"):
        facts_for_brand([person("C1")], ["P1"], DAY)  # type: ignore[list-item]
    with pytest.raises(ValidationError, match=r"^consents must be a mapping"):
        facts_for_brand([person("C1")], [], DAY, consents=[ContactChannel.SMS])  # type: ignore[arg-type]


def test_select_is_the_customer_search() -> None:
    people = [
        person("C3", sex=Sex.FEMALE, birth_date=date(1990, 5, 12)),
        person("C1", sex=Sex.FEMALE, birth_date=date(1990, 8, 1)),
        person("C2", sex=Sex.MALE, birth_date=date(1991, 5, 20)),
    ]
    history = [sale((2026, 4, 10), cid="C3"), sale((2026, 4, 10), cid="C2")]
    found = facts_for_brand(people, history, DAY)
    search = AllOf([BirthdayInMonth(), HasPurchases()])
    assert select(search, found.values(), DAY) == ["C2", "C3"]
    assert select(AllOf([search, SexIn([Sex.FEMALE])]), found.values(), DAY) == ["C3"]
    with pytest.raises(ValidationError, match=r"for a dict, pass .values\(\)"):
        select(search, found, DAY)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"^facts\[1\].customer_id must not repeat"):
        select(search, [found["C1"], found["C1"]], DAY)
    with pytest.raises(ValidationError, match=r"^facts\[0\].on must be the day of the search"):
        select(search, found.values(), date(2026, 5, 11))


def test_instants_without_a_local_day_are_validation_errors() -> None:
    dawn = datetime(1, 1, 1, 1, tzinfo=UTC)  # 31 December of year 0 in São Paulo
    with pytest.raises(ValidationError, match=r"^customer.registered_at has no local day"):
        facts(person(registered_at=dawn))
    ancient = Order(
        order_id="P0",
        customer_id="C1",
        store_id="L01",
        placed_at=dawn,
        total=Decimal("1.00"),
        seller_code=None,
    )
    with pytest.raises(ValidationError, match=r"^orders\[0\].placed_at has no local day"):
        facts(orders=[ancient])
    assert facts(orders=[ancient], on=date(1, 1, 1), time_zone="UTC").purchases == 1
