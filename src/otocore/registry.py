"""Cadastro de clientes (the customer registry): find customers, sorted and paged.

Reshop's customer module help page finds a customer in the *Cadastro* by CPF
or RG and segments the base with the dashboard's filters ("Sexo", "Estado
civil", "Faixa etária (anos)", "Programa de fidelidade", "Categoria"...);
Altegio's customer database help page searches by "nome, telefone, e-mail ou
número do cartão" and sorts its list by a column ("valores que gastaram",
"número de visitas", "data da primeira e última visita"). This module is that
search over otocore's stores:

* :func:`search_customers` reads a query (:class:`CustomerQuery`: CPF in any
  formatting, RG, name words and prefixes without accents or case, e-mail,
  mobile in any Brazilian formatting, loyalty card number), optionally keeps
  only the customers an audience filter of :mod:`otocore.filters` matches on
  a local day (the Reshop dashboard's filters), sorts by name, total spent,
  visits or last visit and returns one page with the total count;
* :func:`find_customer_ids` returns the ids of every match (what an export or
  a bulk action works on).

The query rules, the figures and the sort order are those of
:mod:`otocore.search` (re-exported here); the stores answer them from indexes
made for it (the *Customer registry* page of the documentation).

>>> from datetime import UTC, date, datetime
>>> from otocore.adapters.memory import InMemoryUnitOfWork
>>> from otocore.customers import Cpf, Customer, Sex
>>> from otocore.filters import SexIn
>>> uow = InMemoryUnitOfWork()
>>> when = datetime(2026, 1, 1, tzinfo=UTC)
>>> with uow:
...     uow.customers.add(
...         Customer(customer_id="C1", name="João da Silva", registered_at=when, sex=Sex.MALE)
...     )
...     uow.customers.add(
...         Customer(
...             customer_id="C2",
...             name="Joana Silveira",
...             registered_at=when,
...             sex=Sex.FEMALE,
...             cpf=Cpf("52998224725"),
...         )
...     )
>>> search_customers(uow, "joao sil").customer_ids
['C1']
>>> search_customers(uow, "529 982 247 25").customer_ids
['C2']
>>> found = search_customers(uow, "jo sil", filter=SexIn([Sex.FEMALE]), on=date(2026, 5, 10))
>>> found.customer_ids, found.total
(['C2'], 1)
"""

from __future__ import annotations

from datetime import date
from typing import Any

from otocore import _validate as v
from otocore._time import DEFAULT_TIME_ZONE
from otocore.consent import ConsentLedger, ConsentPolicy
from otocore.customers import Customer
from otocore.errors import ValidationError
from otocore.filters import Filter, facts_for_brand, select
from otocore.orders import Order
from otocore.repositories import UnitOfWork
from otocore.rfv import RfvScore
from otocore.search import (
    MAX_PAGE_SIZE,
    Criterion,
    CustomerQuery,
    CustomerStats,
    PageRequest,
    SearchField,
    SearchHit,
    SearchPage,
    Sort,
    SortKey,
    customer_stats,
    hits_of,
    name_key,
    name_tokens,
    rank,
    rg_key,
)

__all__ = [
    "MAX_PAGE_SIZE",
    "Criterion",
    "CustomerQuery",
    "CustomerStats",
    "PageRequest",
    "SearchField",
    "SearchHit",
    "SearchPage",
    "Sort",
    "SortKey",
    "customer_stats",
    "find_customer_ids",
    "name_key",
    "name_tokens",
    "rg_key",
    "search_customers",
]

# above this many text matches, a filtered search reads every customer and order once
_READ_ALL_ABOVE = 2_000


def _query(query: Any, field: Any) -> CustomerQuery:
    if isinstance(query, CustomerQuery):
        if field is not None:
            raise ValidationError("field", field, "must be None when query is a CustomerQuery")
        return query
    if not isinstance(query, str):
        raise ValidationError("query", query, "must be a str or a CustomerQuery")
    return CustomerQuery.parse(query, field=field)


def search_customers(
    uow: UnitOfWork,
    query: str | CustomerQuery = "",
    *,
    field: SearchField | None = None,
    filter: Filter | None = None,
    on: date | None = None,
    sort: Sort | None = None,
    page: PageRequest | None = None,
    time_zone: str = DEFAULT_TIME_ZONE,
    consent_policy: ConsentPolicy | None = None,
) -> SearchPage:
    """Pesquisa de clientes: one page of the customers matching ``query`` (and ``filter``).

    Without a filter the store answers alone (indexes, sort and paging in the
    database). With one, the text matches are narrowed to the customers the
    filter matches on the local day ``on``, with the facts the contact engine
    reads (orders, the latest RFV snapshot on or before ``on``, consent under
    ``consent_policy``), then sorted and paged by the same rules
    (:func:`otocore.search.rank`).

    Args:
        uow: the unit of work; the search opens its own block.
        query: the search line (free text, classified) or a built
            :class:`CustomerQuery`; ``""`` matches everyone.
        field: read a text ``query`` as this field only.
        filter: an audience filter (:mod:`otocore.filters`), or ``None``.
        on: the local day the filter is evaluated on; required with a filter.
        sort: the order (default: name, ascending; ties by ``customer_id``).
        page: which page (default: the first 50).
        time_zone: the brand's IANA zone, for visits and local days.
        consent_policy: the consent policy a ``consent_on`` filter reads
            (default :class:`~otocore.consent.ConsentPolicy`).

    Returns:
        The :class:`SearchPage`.

    Raises:
        ValidationError: a bad query, field, filter, day, sort or page.

    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> from otocore.filters import HasPurchases
    >>> search_customers(InMemoryUnitOfWork(), "ana", filter=HasPurchases())
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: on is required with a filter (the local day it is evaluated on), got None
    """
    q = _query(query, field)
    if sort is not None:
        v.require_instance("sort", sort, Sort)
    if page is not None:
        v.require_instance("page", page, PageRequest)
    v.zone("time_zone", time_zone)
    if filter is None:
        with uow:
            return uow.customer_search.search(q, sort=sort, page=page, time_zone=time_zone)
    if not isinstance(filter, Filter):
        raise ValidationError("filter", filter, "must be a filter (a node of otocore.filters)")
    if on is None:
        raise ValidationError(
            "on", None, "is required with a filter (the local day it is evaluated on)"
        )
    v.require_date("on", on)
    policy = ConsentPolicy() if consent_policy is None else consent_policy
    v.require_instance("consent_policy", policy, ConsentPolicy)
    with uow:
        customers, orders = _candidates(uow, q)
        ledger = ConsentLedger.from_events(uow.consent.iter_all(), policy=policy)
        rfv = _rfv_on(uow, on)
    granted = ledger.channels_by_customer(on)
    default = ledger.default_channels
    facts = facts_for_brand(
        customers,
        orders,
        on,
        rfv_scores=rfv,
        consents={c.customer_id: granted.get(c.customer_id, default) for c in customers},
        time_zone=time_zone,
    )
    chosen = set(select(filter, facts.values(), on))
    kept = [c for c in customers if c.customer_id in chosen]
    stats = customer_stats((o for o in orders if o.customer_id in chosen), time_zone=time_zone)
    return rank(hits_of(kept, stats), sort=sort, page=page)


def _candidates(uow: UnitOfWork, query: CustomerQuery) -> tuple[list[Customer], list[Order]]:
    """The customers matching the text of ``query`` and all their orders (inside a block)."""
    ids = uow.customer_search.matching_ids(query)
    if query.everyone or len(ids) > _READ_ALL_ABOVE:
        wanted = set(ids)
        customers = [c for c in uow.customers.list() if c.customer_id in wanted]
        orders = [o for o in uow.orders.iter_all() if o.customer_id in wanted]
        return customers, orders
    customers = [uow.customers.get(i) for i in ids]
    orders = [o for i in ids for o in uow.orders.for_customer(i)]
    return customers, orders


def _rfv_on(uow: UnitOfWork, day: date) -> dict[str, RfvScore]:
    dates = [d for d in uow.rfv.dates() if d <= day]
    return uow.rfv.get(max(dates)) if dates else {}


def find_customer_ids(
    uow: UnitOfWork, query: str | CustomerQuery = "", *, field: SearchField | None = None
) -> list[str]:
    """The ids of every customer matching ``query`` (no filter, no paging), sorted.

    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> find_customer_ids(InMemoryUnitOfWork(), "ana@example.com")
    []
    """
    q = _query(query, field)
    with uow:
        return uow.customer_search.matching_ids(q)
