"""Filtros de público (audience filters): who a campaign or a customer search is for.

Reshop's customer module help page (Dashboard de clientes, *Pesquisa*)
lists the filters a brand searches its customers by: "Aniversariante", "Novos
clientes", "Clientes loja online", "Fidelidade", "Cadastro incompleto",
"Última compra", "Comprou em mês A e não comprou em mês B", "Programa de
fidelidade", "Categoria", "Loja preferida (últimos 12 meses)", "Sexo",
"Estado civil", "Faixa etária (anos)" and "Somente clientes com compras";
Altegio's customer database help page shows the same idea ("uma lista de clientes
que atendem a determinados requisitos usando vários filtros"). otocore adds the
RFV segment and scores, days since the last purchase (post-sale follow-up),
consent on a channel and the number of store visits in a window (the
dashboard's "Frequência de clientes"), and combines them with ``all``, ``any``
and ``not``.

**The rule, exactly.** A filter is a tree of frozen values. Each node answers
``matches(facts, on)`` for one customer's :class:`CustomerFacts` on the local
day ``on`` (the day the facts were built for); it is pure and reads no clock.
:class:`AllOf` matches when every child does (an empty one matches everyone),
:class:`AnyOf` when at least one does (an empty one matches no one),
:class:`Not` when its child does not. A predicate about something the customer
does not have (no birth date, no RFV score, no purchase) does not match. Trees
nest at most :data:`MAX_DEPTH` levels. The *Audience filters* page states every predicate
with an example.

>>> from datetime import UTC, date, datetime
>>> from decimal import Decimal
>>> from otocore.customers import Customer
>>> from otocore.orders import Order
>>> ana = Customer(
...     customer_id="C1",
...     name="Ana Souza",
...     registered_at=datetime(2024, 3, 1, 15, tzinfo=UTC),
...     birth_date=date(1990, 5, 14),
... )
>>> sale = Order(
...     order_id="P1",
...     customer_id="C1",
...     store_id="L01",
...     placed_at=datetime(2026, 4, 10, 15, tzinfo=UTC),
...     total=Decimal("199.90"),
...     seller_code="V01",
... )
>>> day = date(2026, 5, 10)
>>> facts = CustomerFacts.build(ana, [sale], day)
>>> audience = AllOf([BirthdayWithin(days_after=7), DaysSinceLastPurchase(min=30)])
>>> audience.matches(facts, day)
True
>>> filter_to_data(audience)
{'all': [{'birthday_within': {'days_before': 0, 'days_after': 7}}, {'days_since_last_purchase': {'min': 30}}]}
>>> parse_filter(filter_to_data(audience)) == audience
True

A malformed filter is a :class:`~otocore.errors.ValidationError` that names
the JSON path of every fault:

>>> parse_filter(
...     {"all": [{"sex_in": ["female"]}, {"age_between": {"min": -1}}, {"bought": {}}]},
...     path="audience",
... )
Traceback (most recent call last):
...
otocore.errors.ValidationError: 2 errors:
  audience.all[1].age_between.min must be >= 0, got -1
  audience.all[2].bought is not a known filter (did you mean 'bought_online'?), got {}
"""

from __future__ import annotations

from otocore.filters._evaluate import select
from otocore.filters._facts import CustomerFacts, facts_for_brand
from otocore.filters._json import check_segments, filter_to_data, parse_filter
from otocore.filters._predicates import (
    DEFAULT_REQUIRED_FIELDS,
    AgeBetween,
    BirthdayInMonth,
    BirthdayWithin,
    BoughtInNotIn,
    BoughtOnline,
    ConsentOn,
    DaysSinceLastPurchase,
    FrequencyBetween,
    FScoreBetween,
    HasPurchases,
    IncompleteRegistration,
    LastPurchaseBetween,
    LoyaltyProgram,
    MaritalStatusIn,
    NewCustomer,
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
)
from otocore.filters._tree import MAX_DEPTH, AllOf, AnyOf, Filter, Not

__all__ = [
    "DEFAULT_REQUIRED_FIELDS",
    "MAX_DEPTH",
    "AgeBetween",
    "AllOf",
    "AnyOf",
    "BirthdayInMonth",
    "BirthdayWithin",
    "BoughtInNotIn",
    "BoughtOnline",
    "ConsentOn",
    "CustomerFacts",
    "DaysSinceLastPurchase",
    "FScoreBetween",
    "Filter",
    "FrequencyBetween",
    "HasPurchases",
    "IncompleteRegistration",
    "LastPurchaseBetween",
    "LoyaltyProgram",
    "MaritalStatusIn",
    "NewCustomer",
    "Not",
    "PreferredStoreIn",
    "PurchaseFrequencyIn",
    "RScoreBetween",
    "RecencyBetween",
    "RegistrationField",
    "SegmentIn",
    "SexIn",
    "StoreIn",
    "StoreVisitsBetween",
    "VScoreBetween",
    "ValueBetween",
    "check_segments",
    "facts_for_brand",
    "filter_to_data",
    "parse_filter",
    "select",
]
