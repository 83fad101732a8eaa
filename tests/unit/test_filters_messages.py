"""Every audience filter error says exactly what it says: the field path, the rule and the value.

Each case is one bad input and the whole message of the ValidationError it raises
(``str(error)``): the JSON path or attribute named, the rule that would make the
value valid, and the value as given. They pin the messages the doctests and
docs/filters.md show, so a change to any part of one is a deliberate change.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from otocore.consent import ContactChannel
from otocore.customers import Customer
from otocore.errors import ValidationError
from otocore.filters import (
    AgeBetween,
    AllOf,
    AnyOf,
    BirthdayInMonth,
    BirthdayWithin,
    BoughtInNotIn,
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
    RecencyBetween,
    RScoreBetween,
    SegmentIn,
    SexIn,
    StoreIn,
    ValueBetween,
    VScoreBetween,
    check_segments,
    facts_for_brand,
    filter_to_data,
    parse_filter,
    select,
)
from otocore.orders import Order
from otocore.rfv import RfvScore, default_grid

DAY = date(2026, 5, 10)
REG = date(2024, 3, 1)


def person(cid: str = "C1", **fields: Any) -> Customer:
    fields.setdefault("registered_at", datetime(2024, 3, 1, 15, tzinfo=UTC))
    return Customer(customer_id=cid, name="Ana Souza", **fields)


def sale(day: tuple[int, int, int], *, cid: str = "C1", order_id: str = "P1") -> Order:
    return Order(
        order_id=order_id,
        customer_id=cid,
        store_id="L01",
        placed_at=datetime(*day, 12, tzinfo=UTC),
        total=Decimal("100.00"),
        seller_code="V01",
    )


def score(cid: str = "C1") -> RfvScore:
    return RfvScore(
        customer_id=cid,
        recency_days=12,
        frequency=4,
        value=Decimal("1150.00"),
        r=5,
        f=4,
        v=3,
        segment="champions",
    )


DAWN = datetime(1, 1, 1, 1, tzinfo=UTC)  # 31 December of year 0 in São Paulo
ONE = sale((2026, 4, 1))
ANCIENT = Order(
    order_id="P0",
    customer_id="C1",
    store_id="L01",
    placed_at=DAWN,
    total=Decimal("1.00"),
    seller_code=None,
)
F = CustomerFacts.build(person(), [], DAY)
GRID = (
    "must be a segment of the grid (about_to_sleep, at_risk, cant_lose, champions, hibernating,"
    " loyal_customers, need_attention, new_customers, potential_loyalists, promising)"
)
ONE_KEY = (
    'must be a JSON object with one key naming the filter, such as {"has_purchases": {}}'
    ' or {"all": [...]}'
)
KNOWN = (
    "is not a known filter (expected one of: age_between, all, any, birthday_in_month,"
    " birthday_within, bought_in_not_in, bought_online, consent_on, days_since_last_purchase,"
    " f_score_between, frequency_between, has_purchases, incomplete_registration,"
    " last_purchase_between, loyalty_program, marital_status_in, new_customer, not,"
    " preferred_store_in, purchase_frequency_in, r_score_between, recency_between, segment_in, sex_in, store_in,"
    " v_score_between, value_between)"
)


def nest(levels: int) -> dict[str, Any]:
    """``{"not": {"not": ... {"has_purchases": {}}}}``, ``levels`` deep."""
    data: dict[str, Any] = {"has_purchases": {}}
    for _ in range(levels - 1):
        data = {"not": data}
    return data


def nested_tree(levels: int) -> Filter:
    tree: Filter = HasPurchases()
    for _ in range(levels - 1):
        tree = Not(tree)
    return tree


def says(call: Callable[[], object]) -> str:
    with pytest.raises(ValidationError) as info:
        call()
    return str(info.value)


PARSED: list[tuple[Any, str]] = [
    ({"age_between": {"min": "1"}}, "f.age_between.min must be an integer, got '1'"),
    ({"age_between": {"min": 1.5}}, "f.age_between.min must be an integer, got 1.5"),
    ({"age_between": {"max": True}}, "f.age_between.max must be an integer, got True"),
    ({"age_between": {"min": 200}}, "f.age_between.min must be <= 150, got 200"),
    ({"age_between": {"min": 5, "max": 4}}, "f.age_between.min must be <= max (4), got 5"),
    ({"age_between": {"min": None, "max": None}}, "f.age_between needs min, max or both, got None"),
    (
        {"age_between": {"mn": 1}},
        "f.age_between.mn is not a parameter of age_between (expected: min, max), got 1",
    ),
    ({"r_score_between": {"min": 0}}, "f.r_score_between.min must be >= 1, got 0"),
    ({"v_score_between": {"max": 11}}, "f.v_score_between.max must be <= 10, got 11"),
    (
        {"value_between": {"min": 10.5}},
        "f.value_between.min must be a decimal string such as '1000.00' (never a float), got 10.5",
    ),
    (
        {"value_between": {"min": "abc"}},
        "f.value_between.min must be a decimal string such as '1000.00' (never a float), got 'abc'",
    ),
    (
        {"value_between": {"min": "NaN"}},
        "f.value_between.min must be a decimal string such as '1000.00' (never a float), got 'NaN'",
    ),
    (
        {"value_between": {"max": "-Infinity"}},
        "f.value_between.max must be a decimal string such as '1000.00' (never a float), got '-Infinity'",
    ),
    (
        {"value_between": {"min": True}},
        "f.value_between.min must be a decimal string such as '1000.00' (never a float), got True",
    ),
    (
        {"value_between": {"min": [1]}},
        "f.value_between.min must be a decimal string such as '1000.00' (never a float), got [1]",
    ),
    (
        {"value_between": {"min": "1.555"}},
        "f.value_between.min must be >= 0 with at most 2 decimal places, got '1.555'",
    ),
    (
        {"value_between": {"min": "-1"}},
        "f.value_between.min must be >= 0 with at most 2 decimal places, got '-1'",
    ),
    (
        {"value_between": {"min": "10", "max": 5}},
        "f.value_between.min must be <= max (5), got Decimal('10')",
    ),
    (
        {"last_purchase_between": {"start": "2026-02-30"}},
        "f.last_purchase_between.start must be an ISO 8601 date such as '2026-05-10', got '2026-02-30'",
    ),
    (
        {"last_purchase_between": {"start": "2026-5-1"}},
        "f.last_purchase_between.start must be an ISO 8601 date such as '2026-05-10', got '2026-5-1'",
    ),
    (
        {"last_purchase_between": {"end": 20260501}},
        "f.last_purchase_between.end must be an ISO 8601 date such as '2026-05-10', got 20260501",
    ),
    (
        {"last_purchase_between": {"start": None, "end": None}},
        "f.last_purchase_between needs start, end or both, got None",
    ),
    (
        {"last_purchase_between": {"start": "2026-05-10", "end": "2026-05-09"}},
        "f.last_purchase_between.start must be on or before end (2026-05-09), got datetime.date(2026, 5, 10)",
    ),
    (
        {"bought_in_not_in": {"bought_in": "2025-13", "not_in": "2026-01"}},
        "f.bought_in_not_in.bought_in must be a month written 'YYYY-MM' such as '2026-05', got '2025-13'",
    ),
    (
        {"bought_in_not_in": {"bought_in": "0000-05", "not_in": "2026-01"}},
        "f.bought_in_not_in.bought_in must be a month written 'YYYY-MM' such as '2026-05', got '0000-05'",
    ),
    (
        {"bought_in_not_in": {"bought_in": "2025-00", "not_in": "2026-01"}},
        "f.bought_in_not_in.bought_in must be a month written 'YYYY-MM' such as '2026-05', got '2025-00'",
    ),
    (
        {"bought_in_not_in": {"bought_in": "2025-1", "not_in": 202601}},
        "2 errors:\n  f.bought_in_not_in.bought_in must be a month written 'YYYY-MM' such as '2026-05', got '2025-1'\n  f.bought_in_not_in.not_in must be a month written 'YYYY-MM' such as '2026-05', got 202601",
    ),
    (
        {"bought_in_not_in": {"bought_in": "2025-12"}},
        "f.bought_in_not_in.not_in is required, got <missing>",
    ),
    (
        {"bought_in_not_in": {"bought_in": "2025-12", "not_in": "2025-12"}},
        "f.bought_in_not_in.not_in must differ from bought_in, got (2025, 12)",
    ),
    ({"loyalty_program": {"program": 5}}, "f.loyalty_program.program must be a string, got 5"),
    (
        {"loyalty_program": {"program": "Clube", "categories": "Ouro"}},
        "f.loyalty_program.categories must be a JSON array, got 'Ouro'",
    ),
    (
        {"loyalty_program": {"program": "Clube", "categories": ["Ouro", 3, None]}},
        "2 errors:\n  f.loyalty_program.categories[1] must be a string, got 3\n  f.loyalty_program.categories[2] must be a string, got None",
    ),
    (
        {"loyalty_program": {"program": "Clube", "categories": []}},
        "f.loyalty_program.categories must not be empty, got []",
    ),
    (
        {"loyalty_program": {"program": "Clube", "categories": ["Ouro", " "]}},
        "f.loyalty_program.categories[1] must not be empty, got ' '",
    ),
    (
        {"loyalty_program": {"categories": ["Ouro"]}},
        "f.loyalty_program.program is required, got <missing>",
    ),
    (
        {"sex_in": ["female", "woman", 3]},
        "2 errors:\n  f.sex_in[1] must be one of 'female', 'male', 'other', got 'woman'\n  f.sex_in[2] must be one of 'female', 'male', 'other', got 3",
    ),
    ({"sex_in": "female"}, "f.sex_in must be a JSON array, got 'female'"),
    (
        {"marital_status_in": ["casado"]},
        "f.marital_status_in[0] must be one of 'single', 'married', 'stable_union', 'divorced', 'widowed', 'separated', got 'casado'",
    ),
    ({"consent_on": []}, "f.consent_on must not be empty, got []"),
    (
        {"consent_on": ["whatsapp", "telegram"]},
        "f.consent_on[1] must be one of 'whatsapp', 'sms', 'email', 'phone_call', 'push', got 'telegram'",
    ),
    (
        {"incomplete_registration": {"fields": ["cpf", "nome"]}},
        "f.incomplete_registration.fields[1] must be one of 'cpf', 'rg', 'birth_date', 'email', 'mobile', 'sex', 'marital_status', 'home_store_id', got 'nome'",
    ),
    (
        {"incomplete_registration": {"fields": []}},
        "f.incomplete_registration.fields must not be empty, got []",
    ),
    (
        {"segment_in": ["Champions", "at_risk"]},
        "f.segment_in[0] must be a segment key such as 'cant_lose' (a-z, 0-9, _; max 50), got 'Champions'",
    ),
    (
        {"segment_in": ["a" * 51]},
        "f.segment_in[0] must be a segment key such as 'cant_lose' (a-z, 0-9, _; max 50), got 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'",
    ),
    ({"segment_in": [1]}, "f.segment_in[0] must be a string, got 1"),
    ({"store_in": ["L01", ""]}, "f.store_in[1] must not be empty, got ''"),
    (
        {"preferred_store_in": ["L" * 101]},
        "f.preferred_store_in[0] must be at most 100 characters, got 'LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLL'",
    ),
    (
        {"has_purchases": []},
        "f.has_purchases must be a JSON object of the filter's parameters (none), got []",
    ),
    (
        {"has_purchases": {"x": 1}},
        "f.has_purchases.x is not a parameter of has_purchases (expected: none), got 1",
    ),
    (
        {"bought_online": None},
        "f.bought_online must be a JSON object of the filter's parameters (none), got None",
    ),
    ({"new_customer": {}}, "f.new_customer.days is required, got <missing>"),
    ({"new_customer": {"days": 0}}, "f.new_customer.days must be >= 1, got 0"),
    ({"new_customer": {"days": 36601}}, "f.new_customer.days must be <= 36600, got 36601"),
    (
        {"birthday_within": {"days_before": -1}},
        "f.birthday_within.days_before must be >= 0, got -1",
    ),
    ({"birthday_in_month": {"month": 0}}, "f.birthday_in_month.month must be >= 1, got 0"),
    (
        {"birthday_in_month": {"month": "5"}},
        "f.birthday_in_month.month must be an integer, got '5'",
    ),
    (
        {"days_since_last_purchase": {}},
        "f.days_since_last_purchase needs min, max or both, got None",
    ),
    (
        {"all": {"has_purchases": {}}},
        "f.all must be a JSON array of filters, got {'has_purchases': {}}",
    ),
    (
        {"any": [{"has_purchases": {}}, 3]},
        'f.any[1] must be a JSON object with one key naming the filter, such as {"has_purchases": {}} or {"all": [...]}, got 3',
    ),
    (
        {"not": 3},
        'f.not must be a JSON object with one key naming the filter, such as {"has_purchases": {}} or {"all": [...]}, got 3',
    ),
    (
        {},
        'f must be a JSON object with one key naming the filter, such as {"has_purchases": {}} or {"all": [...]}, got {}',
    ),
    (
        [],
        'f must be a JSON object with one key naming the filter, such as {"has_purchases": {}} or {"all": [...]}, got []',
    ),
    (
        {"has_purchases": {}, "bought_online": {}},
        "f must have exactly one key; combine filters with {\"all\": [...]} or {\"any\": [...]}, got ['bought_online', 'has_purchases']",
    ),
    (
        {"has_purchases": {}, "zzz": {}},
        "2 errors:\n  f must have exactly one key; combine filters with {\"all\": [...]} or {\"any\": [...]}, got ['has_purchases', 'zzz']\n  f.zzz is not a known filter (expected one of: age_between, all, any, birthday_in_month, birthday_within, bought_in_not_in, bought_online, consent_on, days_since_last_purchase, f_score_between, frequency_between, has_purchases, incomplete_registration, last_purchase_between, loyalty_program, marital_status_in, new_customer, not, preferred_store_in, purchase_frequency_in, r_score_between, recency_between, segment_in, sex_in, store_in, store_visits_between, v_score_between, value_between), got {}",
    ),
    ({1: {}}, "f[1] is not a known filter, got {}"),
    (
        {"zzzzzz": {}},
        "f.zzzzzz is not a known filter (expected one of: age_between, all, any, birthday_in_month, birthday_within, bought_in_not_in, bought_online, consent_on, days_since_last_purchase, f_score_between, frequency_between, has_purchases, incomplete_registration, last_purchase_between, loyalty_program, marital_status_in, new_customer, not, preferred_store_in, purchase_frequency_in, r_score_between, recency_between, segment_in, sex_in, store_in, store_visits_between, v_score_between, value_between), got {}",
    ),
    (
        {"Has Purchases": {}},
        "f['Has Purchases'] is not a known filter (did you mean 'has_purchases'?), got {}",
    ),
]


@pytest.mark.parametrize(("data", "message"), PARSED)
def test_parse_filter_names_the_json_path_the_rule_and_the_value(data: Any, message: str) -> None:
    assert says(lambda: parse_filter(data, path="f")) == message


CALLS: list[tuple[Callable[[], object], str]] = [
    (
        lambda: parse_filter({"segment_in": ["champions", "vips"]}, grid=default_grid()),
        "filter.segment_in[1] must be a segment of the grid (about_to_sleep, at_risk, cant_lose, champions, hibernating, loyal_customers, need_attention, new_customers, potential_loyalists, promising), got 'vips'",
    ),
    (
        lambda: parse_filter({"segment_in": ["vip", "campeoes"]}, grid=default_grid()),
        "2 errors:\n  filter.segment_in[0] must be a segment of the grid (about_to_sleep, at_risk, cant_lose, champions, hibernating, loyal_customers, need_attention, new_customers, potential_loyalists, promising), got 'vip'\n  filter.segment_in[1] must be a segment of the grid (about_to_sleep, at_risk, cant_lose, champions, hibernating, loyal_customers, need_attention, new_customers, potential_loyalists, promising), got 'campeoes'",
    ),
    (
        lambda: parse_filter({"has_purchases": {}}, grid="RFV"),
        "grid must be an otocore.rfv.SegmentGrid or None, got 'RFV'",
    ),
    (lambda: parse_filter({"has_purchases": {}}, path=3), "path must be a string, got 3"),
    (
        lambda: parse_filter({"not": {"age_between": {"min": -1}}}, path=""),
        "not.age_between.min must be >= 0, got -1",
    ),
    (
        lambda: parse_filter({"age_between": {"min": -1}}, path=""),
        "age_between.min must be >= 0, got -1",
    ),
    (
        lambda: parse_filter(3, path=""),
        '$ must be a JSON object with one key naming the filter, such as {"has_purchases": {}} or {"all": [...]}, got 3',
    ),
    (
        lambda: parse_filter(nest(33), path="audience"),
        "audience.not.not.not.not.not.not.not.not.not.not.not.not.not.not.not.not.not.not.not.not.not.not.not.not.not.not.not.not.not.not.not.not must not nest deeper than 32 levels, got <nested filter>",
    ),
    (lambda: AgeBetween(min="1"), "AgeBetween.min must be an integer, got '1'"),
    (lambda: AgeBetween(min=-1), "AgeBetween.min must be >= 0, got -1"),
    (lambda: AgeBetween(max=151), "AgeBetween.max must be <= 150, got 151"),
    (lambda: AgeBetween(min=5, max=4), "AgeBetween.min must be <= max (4), got 5"),
    (AgeBetween, "AgeBetween needs min, max or both, got None"),
    (lambda: RScoreBetween(max=11), "RScoreBetween.max must be <= 10, got 11"),
    (lambda: FScoreBetween(min=0), "FScoreBetween.min must be >= 1, got 0"),
    (lambda: VScoreBetween(min=None), "VScoreBetween needs min, max or both, got None"),
    (lambda: RecencyBetween(min=-1), "RecencyBetween.min must be >= 0, got -1"),
    (lambda: FrequencyBetween(max=1.0), "FrequencyBetween.max must be an integer, got 1.0"),
    (lambda: DaysSinceLastPurchase.exactly(-1), "DaysSinceLastPurchase.min must be >= 0, got -1"),
    (
        lambda: ValueBetween(min=1.5),
        "ValueBetween.min must be a decimal.Decimal (never a float), got 1.5",
    ),
    (
        lambda: ValueBetween(min=True),
        "ValueBetween.min must be a decimal.Decimal (never a float), got True",
    ),
    (
        lambda: ValueBetween(max=Decimal("1.555")),
        "ValueBetween.max must be >= 0 with at most 2 decimal places, got Decimal('1.555')",
    ),
    (
        lambda: ValueBetween(min=Decimal("NaN")),
        "ValueBetween.min must be >= 0 with at most 2 decimal places, got Decimal('NaN')",
    ),
    (ValueBetween, "ValueBetween needs min, max or both, got None"),
    (
        lambda: ValueBetween(min=Decimal(5), max=Decimal(4)),
        "ValueBetween.min must be <= max (4), got Decimal('5')",
    ),
    (
        lambda: LastPurchaseBetween(start="2026-01-01"),
        "LastPurchaseBetween.start must be a datetime.date (a local calendar day), got '2026-01-01'",
    ),
    (
        lambda: LastPurchaseBetween(end=datetime(2026, 1, 1, tzinfo=UTC)),
        "LastPurchaseBetween.end must be a datetime.date (a local calendar day), got datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)",
    ),
    (
        lambda: LastPurchaseBetween(start=date(2026, 2, 1), end=date(2026, 1, 1)),
        "LastPurchaseBetween.start must be on or before end (2026-01-01), got datetime.date(2026, 2, 1)",
    ),
    (LastPurchaseBetween, "LastPurchaseBetween needs start, end or both, got None"),
    (lambda: SegmentIn([]), "SegmentIn.segments must not be empty, got ()"),
    (
        lambda: SegmentIn("champions"),
        "SegmentIn.segments must be a non-empty list, got 'champions'",
    ),
    (
        lambda: SegmentIn(["Campeoes", "ok", 3]),
        "2 errors:\n  SegmentIn.segments[0] must be a segment key such as 'cant_lose' (a-z, 0-9, _; max 50), got 'Campeoes'\n  SegmentIn.segments[2] must be a segment key such as 'cant_lose' (a-z, 0-9, _; max 50), got 3",
    ),
    (lambda: SegmentIn(None), "SegmentIn.segments must be a non-empty list, got None"),
    (lambda: BirthdayWithin(days_before=-1), "BirthdayWithin.days_before must be >= 0, got -1"),
    (
        lambda: BirthdayWithin(days_after=True),
        "BirthdayWithin.days_after must be an integer, got True",
    ),
    (lambda: BirthdayWithin(days_after=367), "BirthdayWithin.days_after must be <= 366, got 367"),
    (lambda: BirthdayInMonth(month=0), "BirthdayInMonth.month must be >= 1, got 0"),
    (lambda: BirthdayInMonth(month="5"), "BirthdayInMonth.month must be an integer, got '5'"),
    (lambda: NewCustomer(days=0), "NewCustomer.days must be >= 1, got 0"),
    (lambda: NewCustomer(days=36601), "NewCustomer.days must be <= 36600, got 36601"),
    (lambda: LoyaltyProgram(program=""), "LoyaltyProgram.program must not be empty, got ''"),
    (
        lambda: LoyaltyProgram(program="x" * 101),
        "LoyaltyProgram.program must be at most 100 characters, got 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'",
    ),
    (lambda: LoyaltyProgram(program=3), "LoyaltyProgram.program must be a string, got 3"),
    (
        lambda: LoyaltyProgram(program="Clube", categories=[]),
        "LoyaltyProgram.categories must not be empty, got ()",
    ),
    (
        lambda: LoyaltyProgram(program="Clube", categories=["", "Ouro"]),
        "LoyaltyProgram.categories[0] must not be empty, got ''",
    ),
    (
        lambda: LoyaltyProgram(program="Clube", categories="Ouro"),
        "LoyaltyProgram.categories must be a non-empty list, got 'Ouro'",
    ),
    (
        lambda: IncompleteRegistration(fields=[]),
        "IncompleteRegistration.fields must not be empty, got ()",
    ),
    (
        lambda: IncompleteRegistration(fields=["cpf"]),
        "IncompleteRegistration.fields[0] must be a RegistrationField ('cpf', 'rg', 'birth_date', 'email', 'mobile', 'sex', 'marital_status', 'home_store_id'), got 'cpf'",
    ),
    (
        lambda: IncompleteRegistration(fields=None),
        "IncompleteRegistration.fields must be a non-empty list, got None",
    ),
    (lambda: StoreIn([]), "StoreIn.store_ids must not be empty, got ()"),
    (lambda: StoreIn(["L01", ""]), "StoreIn.store_ids[0] must not be empty, got ''"),
    (lambda: StoreIn([1]), "StoreIn.store_ids[0] must be a string, got 1"),
    (lambda: StoreIn("L01"), "StoreIn.store_ids must be a non-empty list, got 'L01'"),
    (lambda: PreferredStoreIn([" "]), "PreferredStoreIn.store_ids[0] must not be empty, got ' '"),
    (
        lambda: SexIn(["female"]),
        "SexIn.sexes[0] must be a Sex ('female', 'male', 'other'), got 'female'",
    ),
    (lambda: SexIn([]), "SexIn.sexes must not be empty, got ()"),
    (
        lambda: MaritalStatusIn(["married"]),
        "MaritalStatusIn.statuses[0] must be a MaritalStatus ('single', 'married', 'stable_union', 'divorced', 'widowed', 'separated'), got 'married'",
    ),
    (lambda: ConsentOn([]), "ConsentOn.channels must not be empty, got ()"),
    (
        lambda: ConsentOn(["sms", "email"]),
        "2 errors:\n  ConsentOn.channels[0] must be a ContactChannel ('whatsapp', 'sms', 'email', 'phone_call', 'push'), got 'email'\n  ConsentOn.channels[1] must be a ContactChannel ('whatsapp', 'sms', 'email', 'phone_call', 'push'), got 'sms'",
    ),
    (
        lambda: BoughtInNotIn(bought_in=(2025, 12), not_in=(2025, 12)),
        "BoughtInNotIn.not_in must differ from bought_in, got (2025, 12)",
    ),
    (
        lambda: BoughtInNotIn(bought_in=(2025, 0), not_in=(2026, 1)),
        "BoughtInNotIn.bought_in must be a (year, month) pair such as (2026, 5), got (2025, 0)",
    ),
    (
        lambda: BoughtInNotIn(bought_in="2025-12", not_in=(2026, 1)),
        "BoughtInNotIn.bought_in must be a (year, month) pair such as (2026, 5), got '2025-12'",
    ),
    (
        lambda: BoughtInNotIn(bought_in=(2025, 12, 1), not_in=(2026, 1)),
        "BoughtInNotIn.bought_in must be a (year, month) pair such as (2026, 5), got (2025, 12, 1)",
    ),
    (
        lambda: BoughtInNotIn(bought_in=(True, 1), not_in=(2026, 1)),
        "BoughtInNotIn.bought_in must be a (year, month) pair such as (2026, 5), got (True, 1)",
    ),
    (
        lambda: BoughtInNotIn(bought_in=(0, 5), not_in=(2026, 1)),
        "BoughtInNotIn.bought_in must be a (year, month) pair such as (2026, 5), got (0, 5)",
    ),
    (
        lambda: BoughtInNotIn(bought_in=(10000, 1), not_in=(2026, 1)),
        "BoughtInNotIn.bought_in must be a (year, month) pair such as (2026, 5), got (10000, 1)",
    ),
    (
        lambda: BoughtInNotIn(bought_in=(2025, 13), not_in=(2026, 1)),
        "BoughtInNotIn.bought_in must be a (year, month) pair such as (2026, 5), got (2025, 13)",
    ),
    (
        lambda: BoughtInNotIn(bought_in=[2025, 12], not_in=[2025, 12]),
        "BoughtInNotIn.not_in must differ from bought_in, got (2025, 12)",
    ),
    (
        lambda: AllOf([HasPurchases(), 1]),
        "AllOf.filters[1] must be a filter (a node of otocore.filters), got 1",
    ),
    (lambda: AnyOf("x"), "AnyOf.filters must be a list of filters, got 'x'"),
    (
        lambda: AnyOf([{"has_purchases": {}}]),
        "AnyOf.filters[0] must be a filter (a node of otocore.filters), got {'has_purchases': {}}",
    ),
    (lambda: Not(3), "Not.filter must be a filter (a node of otocore.filters), got 3"),
    (lambda: Not(nested_tree(32)), "Not.filter must not nest deeper than 32 levels, got 'not'"),
    (
        lambda: AllOf([nested_tree(32)]),
        "AllOf.filters[0] must not nest deeper than 32 levels, got 'not'",
    ),
    (
        lambda: CustomerFacts(customer="C1", on=DAY, registered_on=REG),
        "CustomerFacts.customer must be an otocore Customer, got 'C1'",
    ),
    (
        lambda: CustomerFacts(
            customer=person(), on=datetime(2026, 5, 10, tzinfo=UTC), registered_on=REG
        ),
        "CustomerFacts.on must be a datetime.date (a local calendar day), got datetime.datetime(2026, 5, 10, 0, 0, tzinfo=datetime.timezone.utc)",
    ),
    (
        lambda: CustomerFacts(customer=person(), on=DAY, registered_on="2024-03-01"),
        "CustomerFacts.registered_on must be a datetime.date (a local calendar day), got '2024-03-01'",
    ),
    (
        lambda: CustomerFacts(customer=person(), on=DAY, registered_on=REG, rfv="x"),
        "CustomerFacts.rfv must be an RfvScore or None, got 'x'",
    ),
    (
        lambda: CustomerFacts(customer=person(), on=DAY, registered_on=REG, rfv=score("C2")),
        "CustomerFacts.rfv must be the score of the same customer ('C1'), got 'C2'",
    ),
    (
        lambda: CustomerFacts(customer=person(), on=DAY, registered_on=REG, purchases=-1),
        "CustomerFacts.purchases must be >= 0, got -1",
    ),
    (
        lambda: CustomerFacts(customer=person(), on=DAY, registered_on=REG, purchases=True),
        "CustomerFacts.purchases must be an integer, got True",
    ),
    (
        lambda: CustomerFacts(customer=person(), on=DAY, registered_on=REG, purchases=1),
        "CustomerFacts.last_purchase is required when purchases > 0, got None",
    ),
    (
        lambda: CustomerFacts(
            customer=person(), on=DAY, registered_on=REG, purchase_months="2026-05"
        ),
        "CustomerFacts.purchase_months must be a set of (year, month) pairs, got '2026-05'",
    ),
    (
        lambda: CustomerFacts(
            customer=person(), on=DAY, registered_on=REG, purchase_months=[(2026, 13)]
        ),
        "CustomerFacts.purchase_months must be a (year, month) pair such as (2026, 5), got (2026, 13)",
    ),
    (
        lambda: CustomerFacts(
            customer=person(), on=DAY, registered_on=REG, purchase_months=[(2026, 5)]
        ),
        "CustomerFacts.purchase_months must be empty without purchases, got frozenset({(2026, 5)})",
    ),
    (
        lambda: CustomerFacts(customer=person(), on=DAY, registered_on=REG, bought_online="yes"),
        "CustomerFacts.bought_online must be a bool, got 'yes'",
    ),
    (
        lambda: CustomerFacts(customer=person(), on=DAY, registered_on=REG, bought_online=True),
        "CustomerFacts.bought_online must be empty without purchases, got True",
    ),
    (
        lambda: CustomerFacts(
            customer=person(), on=DAY, registered_on=REG, preferred_store_id="L01"
        ),
        "CustomerFacts.preferred_store_id must be empty without purchases, got 'L01'",
    ),
    (
        lambda: CustomerFacts(customer=person(), on=DAY, registered_on=REG, preferred_store_id=""),
        "CustomerFacts.preferred_store_id must not be empty, got ''",
    ),
    (
        lambda: CustomerFacts(customer=person(), on=DAY, registered_on=REG, consented="sms"),
        "CustomerFacts.consented must be a set of ContactChannel, got 'sms'",
    ),
    (
        lambda: CustomerFacts(customer=person(), on=DAY, registered_on=REG, consented=["sms"]),
        "CustomerFacts.consented must be a ContactChannel ('whatsapp', 'sms', 'email', 'phone_call', 'push'), got 'sms'",
    ),
    (
        lambda: CustomerFacts(customer=person(), on=DAY, registered_on=REG, consented=[[1]]),
        "CustomerFacts.consented must be a set of ContactChannel, got [[1]]",
    ),
    (
        lambda: CustomerFacts(
            customer=person(), on=DAY, registered_on=REG, last_purchase=date(2026, 5, 1)
        ),
        "CustomerFacts.purchases must be at least 1 and at least the number of purchase months, got 0",
    ),
    (
        lambda: CustomerFacts(
            customer=person(),
            on=DAY,
            registered_on=REG,
            last_purchase=date(2026, 5, 1),
            purchases=1,
            purchase_months=[(2026, 4), (2026, 5)],
        ),
        "CustomerFacts.purchases must be at least 1 and at least the number of purchase months, got 1",
    ),
    (
        lambda: CustomerFacts(
            customer=person(),
            on=DAY,
            registered_on=REG,
            last_purchase=date(2026, 5, 11),
            purchases=1,
            purchase_months=[(2026, 5)],
        ),
        "CustomerFacts.last_purchase must not be after on (2026-05-10), got datetime.date(2026, 5, 11)",
    ),
    (
        lambda: CustomerFacts(
            customer=person(),
            on=DAY,
            registered_on=REG,
            last_purchase=date(2026, 5, 1),
            purchases=1,
            purchase_months=[(2026, 4)],
        ),
        "CustomerFacts.purchase_months must include the month of the last purchase (2026-05), got frozenset({(2026, 4)})",
    ),
    (lambda: CustomerFacts.build("C1", [], DAY), "customer must be an otocore Customer, got 'C1'"),
    (
        lambda: CustomerFacts.build(person(), [], datetime(2026, 5, 10, tzinfo=UTC)),
        "on must be a datetime.date (a local calendar day), got datetime.datetime(2026, 5, 10, 0, 0, tzinfo=datetime.timezone.utc)",
    ),
    (
        lambda: CustomerFacts.build(person(), "P1", DAY),
        "orders must be an iterable of Order, got 'P1'",
    ),
    (
        lambda: CustomerFacts.build(person(), {"P1": 1}, DAY),
        "orders must be an iterable of Order, got {'P1': 1}",
    ),
    (lambda: CustomerFacts.build(person(), 3, DAY), "orders must be an iterable of Order, got 3"),
    (
        lambda: CustomerFacts.build(person(), ["P1"], DAY),
        "orders[0] must be an otocore.orders.Order, got 'P1'",
    ),
    (
        lambda: CustomerFacts.build(person(), [sale((2026, 1, 1), cid="C2")], DAY),
        "orders[0].customer_id must be the customer's id ('C1'); use facts_for_brand() for a whole brand, got 'C2'",
    ),
    (
        lambda: CustomerFacts.build(person(), [], DAY, consented="sms"),
        "consented must be a set of ContactChannel, got 'sms'",
    ),
    (
        lambda: CustomerFacts.build(person(), [], DAY, consented=3),
        "consented must be a set of ContactChannel, got 3",
    ),
    (
        lambda: CustomerFacts.build(
            person(), [], DAY, consented={ContactChannel.SMS: 1, "email": 2}
        ),
        "consented must be a set of ContactChannel, got {<ContactChannel.SMS: 'sms'>: 1, 'email': 2}",
    ),
    (
        lambda: CustomerFacts.build(person(), [], DAY, time_zone="Mars/Olympus"),
        "time_zone must be an IANA time zone name such as 'America/Sao_Paulo', got 'Mars/Olympus'",
    ),
    (
        lambda: CustomerFacts.build(person(), [], DAY, rfv=score("C2")),
        "CustomerFacts.rfv must be the score of the same customer ('C1'), got 'C2'",
    ),
    (lambda: facts_for_brand("C1", [], DAY), "customers must be an iterable of Customer, got 'C1'"),
    (
        lambda: facts_for_brand({"C1": person()}, [], DAY),
        "customers must be an iterable of Customer, got {'C1': Customer(customer_id='C1', name='Ana Souza', registered_at=datetime.datetime(2024, 3, 1, 15, 0, tzinfo=datetime.timezone.utc), cpf=None, rg=None, birth_date=None, email=None, mobile=None, sex=None, marital_status=None, home_store_id=None, loyalty=None)}",
    ),
    (
        lambda: facts_for_brand([person(), "C2"], [], DAY),
        "customers[1] must be an otocore Customer, got 'C2'",
    ),
    (
        lambda: facts_for_brand([person("C1"), person("C1")], [], DAY),
        "customers[1].customer_id must be unique, got 'C1'",
    ),
    (
        lambda: facts_for_brand([person()], [], "2026-05-10"),
        "on must be a datetime.date (a local calendar day), got '2026-05-10'",
    ),
    (
        lambda: facts_for_brand([person()], [], DAY, time_zone=""),
        "time_zone must be an IANA time zone name such as 'America/Sao_Paulo', got ''",
    ),
    (
        lambda: facts_for_brand([person()], "P1", DAY),
        "orders must be an iterable of Order, got 'P1'",
    ),
    (
        lambda: facts_for_brand([person()], {"P1": 1}, DAY),
        "orders must be an iterable of Order, got {'P1': 1}",
    ),
    (
        lambda: facts_for_brand([person()], [], DAY, rfv_scores=[score()]),
        "rfv_scores must be a mapping from customer id, got [RfvScore(customer_id='C1', recency_days=12, frequency=4, value=Decimal('1150.00'), r=5, f=4, v=3, segment='champions')]",
    ),
    (
        lambda: facts_for_brand([person()], [], DAY, rfv_scores={"C1": "x"}),
        "rfv_scores['C1'] must be the RfvScore of customer 'C1', got 'x'",
    ),
    (
        lambda: facts_for_brand([person()], [], DAY, rfv_scores={"C1": score("C2")}),
        "rfv_scores['C1'] must be the RfvScore of customer 'C1', got RfvScore(customer_id='C2', recency_days=12, frequency=4, value=Decimal('1150.00'), r=5, f=4, v=3, segment='champions')",
    ),
    (
        lambda: facts_for_brand([person()], [], DAY, consents=[ContactChannel.SMS]),
        "consents must be a mapping from customer id, got [<ContactChannel.SMS: 'sms'>]",
    ),
    (
        lambda: facts_for_brand([person()], [], DAY, consents={"C1": "sms"}),
        "consents['C1'] must be a set of ContactChannel, got 'sms'",
    ),
    (
        lambda: facts_for_brand([person()], [], DAY, consents={"C1": ["sms"]}),
        "consents['C1'] must be a ContactChannel ('whatsapp', 'sms', 'email', 'phone_call', 'push'), got 'sms'",
    ),
    (
        lambda: facts_for_brand([person()], [ONE, ONE], DAY),
        "orders[1].order_id must be unique; the same order was given twice, got 'P1'",
    ),
    (
        lambda: facts_for_brand([person()], [ONE, 3], DAY),
        "orders[1] must be an otocore.orders.Order, got 3",
    ),
    (
        lambda: facts_for_brand([person(registered_at=DAWN)], [], DAY),
        "customers['C1'].registered_at has no local day in the time zone (too near year 1), got datetime.datetime(1, 1, 1, 1, 0, tzinfo=datetime.timezone.utc)",
    ),
    (
        lambda: facts_for_brand([person()], [ANCIENT], DAY),
        "orders[0].placed_at has no local day in the time zone (too near year 1 or 9999), got datetime.datetime(1, 1, 1, 1, 0, tzinfo=datetime.timezone.utc)",
    ),
    (
        lambda: select({"has_purchases": {}}, [], DAY),
        "filter must be a filter (a node of otocore.filters), got {'has_purchases': {}}",
    ),
    (
        lambda: select(HasPurchases(), [], "2026-05-10"),
        "on must be a datetime.date (a local calendar day), got '2026-05-10'",
    ),
    (
        lambda: select(HasPurchases(), "C1", DAY),
        "facts must be an iterable of CustomerFacts (for a dict, pass .values()), got 'C1'",
    ),
    (
        lambda: select(HasPurchases(), {"C1": F}, DAY),
        "facts must be an iterable of CustomerFacts (for a dict, pass .values()), got {'C1': CustomerFacts(customer=Customer(customer_id='C1', name='Ana Souza', registered_at=datetime.datetime(2024, 3, 1, 15, 0, tzinfo=datetime.timezone.utc), cpf=None, rg=None, birth_date=None, email=None, mobile=None, sex=None, marital_status=None, home_store_id=None, loyalty=None), on=datetime.date(2026, 5, 10), registered_on=datetime.date(2024, 3, 1), rfv=None, last_purchase=None, purchases=0, purchase_months=frozenset(), bought_online=False, preferred_store_id=None, consented=frozenset(), store_days=frozenset(), purchase_days=frozenset())}",
    ),
    (
        lambda: select(HasPurchases(), 3, DAY),
        "facts must be an iterable of CustomerFacts (for a dict, pass .values()), got 3",
    ),
    (lambda: select(HasPurchases(), [F, "C2"], DAY), "facts[1] must be a CustomerFacts, got 'C2'"),
    (
        lambda: select(HasPurchases(), [F, F], DAY),
        "facts[1].customer_id must not repeat a customer, got 'C1'",
    ),
    (
        lambda: select(HasPurchases(), [F], date(2026, 5, 11)),
        "facts[0].on must be the day of the search (2026-05-11), got datetime.date(2026, 5, 10)",
    ),
    (
        lambda: HasPurchases().matches(person(), DAY),
        "facts must be a CustomerFacts, got Customer(customer_id='C1', name='Ana Souza', registered_at=datetime.datetime(2024, 3, 1, 15, 0, tzinfo=datetime.timezone.utc), cpf=None, rg=None, birth_date=None, email=None, mobile=None, sex=None, marital_status=None, home_store_id=None, loyalty=None)",
    ),
    (
        lambda: HasPurchases().matches(F, "2026-05-10"),
        "on must be a datetime.date (a local calendar day), got '2026-05-10'",
    ),
    (
        lambda: HasPurchases().matches(F, date(2026, 5, 11)),
        "on must be the day the facts were built for (2026-05-10), got datetime.date(2026, 5, 11)",
    ),
    (
        lambda: filter_to_data({"has_purchases": {}}),
        "filter must be a filter (a node of otocore.filters), got {'has_purchases': {}}",
    ),
    (
        lambda: check_segments({"segment_in": ["x"]}, default_grid()),
        "filter must be a filter (a node of otocore.filters), got {'segment_in': ['x']}",
    ),
    (
        lambda: check_segments(SegmentIn(["vip"]), None),
        "grid must be an otocore.rfv.SegmentGrid, got None",
    ),
    (
        lambda: check_segments(SegmentIn(["vip"]), "grid"),
        "grid must be an otocore.rfv.SegmentGrid or None, got 'grid'",
    ),
    (
        lambda: check_segments(
            AllOf([SegmentIn(["vip", "b"]), Not(SegmentIn(["champions"]))]), default_grid(), path=""
        ),
        "2 errors:\n  all[0].segment_in[0] must be a segment of the grid (about_to_sleep, at_risk, cant_lose, champions, hibernating, loyal_customers, need_attention, new_customers, potential_loyalists, promising), got 'b'\n  all[0].segment_in[1] must be a segment of the grid (about_to_sleep, at_risk, cant_lose, champions, hibernating, loyal_customers, need_attention, new_customers, potential_loyalists, promising), got 'vip'",
    ),
    (
        lambda: check_segments(SegmentIn(["vip"]), default_grid(), path="audience"),
        "audience.segment_in[0] must be a segment of the grid (about_to_sleep, at_risk, cant_lose, champions, hibernating, loyal_customers, need_attention, new_customers, potential_loyalists, promising), got 'vip'",
    ),
    (
        lambda: check_segments(SegmentIn(["vip"]), default_grid()),
        "filter.segment_in[0] must be a segment of the grid (about_to_sleep, at_risk, cant_lose, champions, hibernating, loyal_customers, need_attention, new_customers, potential_loyalists, promising), got 'vip'",
    ),
]


@pytest.mark.parametrize(("call", "message"), CALLS)
def test_every_error_names_the_field_the_rule_and_the_value(
    call: Callable[[], object], message: str
) -> None:
    assert says(call) == message
