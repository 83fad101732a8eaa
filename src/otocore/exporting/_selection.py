"""Which customers an export holds: a :class:`Selection` read page by page. Private."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any, Protocol, runtime_checkable

import attrs

from otocore import _validate as v
from otocore._time import DEFAULT_TIME_ZONE
from otocore.consent import ConsentLedger, ConsentPolicy
from otocore.customers import Customer
from otocore.errors import ValidationError
from otocore.filters import Filter, facts_for_brand, filter_to_data
from otocore.repositories import UnitOfWork
from otocore.rfv import RfvScore
from otocore.search import CustomerQuery, SearchField

DEFAULT_PAGE_SIZE = 1000
"""Customers read from the store at a time."""


@runtime_checkable
class Selection(Protocol):
    """Which customers to export, read from a unit of work one page at a time.

    ``describe()`` is the query as the export's record and the data-access
    log keep it (text); ``total(uow)`` is how many customers at most (for a
    progress bar; ``None`` if unknown); ``pages(uow, page_size=...)`` yields
    lists of customers sorted by id, each at most ``page_size`` long, never
    the whole base at once. :class:`AllCustomers`, :class:`CustomerIds`,
    :class:`SearchSelection` (a search of the registry) and
    :class:`FilterSelection` implement it.

    >>> isinstance(AllCustomers(), Selection)
    True
    """

    def describe(self) -> str:
        """The query, as text."""
        ...

    def total(self, uow: UnitOfWork) -> int | None:
        """How many customers at most (``None``: unknown)."""
        ...

    def pages(self, uow: UnitOfWork, *, page_size: int) -> Iterator[list[Customer]]:
        """The selected customers, sorted by id, a page at a time."""
        ...


def _page_size(page_size: object) -> int:
    return v.require_int("page_size", page_size, min_value=1, max_value=100_000)


@attrs.frozen
class AllCustomers:
    """Every customer of the brand, by id (keyset pages: ``customers.page``).

    >>> from datetime import UTC, datetime
    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> uow = InMemoryUnitOfWork()
    >>> when = datetime(2026, 1, 1, tzinfo=UTC)
    >>> with uow:
    ...     uow.customers.add_many(
    ...         Customer(customer_id=f"C{n}", name="Ana", registered_at=when) for n in range(5)
    ...     )
    ...     [[c.customer_id for c in page] for page in AllCustomers().pages(uow, page_size=2)]
    [['C0', 'C1'], ['C2', 'C3'], ['C4']]
    """

    def describe(self) -> str:
        """``all customers``.

        >>> AllCustomers().describe()
        'all customers'
        """
        return "all customers"

    def total(self, uow: UnitOfWork) -> int | None:
        """How many customers are stored."""
        return uow.customers.count()

    def pages(self, uow: UnitOfWork, *, page_size: int) -> Iterator[list[Customer]]:
        """Every customer, a page at a time."""
        size = _page_size(page_size)
        after: str | None = None
        while True:
            page = uow.customers.page(after=after, limit=size)
            if not page:
                return
            yield page
            if len(page) < size:
                return
            after = page[-1].customer_id


def _ids(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValidationError("CustomerIds.customer_ids", value, "must be an iterable of ids")
    checked = [
        v.require_text(f"CustomerIds.customer_ids[{i}]", cid, max_length=100)
        for i, cid in enumerate(value)
    ]
    return tuple(sorted(set(checked)))


@attrs.frozen
class CustomerIds:
    """The customers of a selection or a search's result, given by their ids.

    Ids that name no stored customer are skipped; an id given twice counts
    once. ``description`` is the query as the log keeps it (a search's text,
    say); by default, how many ids were selected.

    >>> CustomerIds(["C2", "C1", "C2"]).describe()
    'a selection of 2 customer ids'
    """

    customer_ids: tuple[str, ...] = attrs.field(converter=_ids)
    description: str | None = attrs.field(
        default=None, kw_only=True, validator=v.optional_text(20_000, multiline=True)
    )

    def describe(self) -> str:
        """The description, or how many ids were selected."""
        if self.description is not None:
            return self.description
        return f"a selection of {len(self.customer_ids)} customer ids"

    def total(self, uow: UnitOfWork) -> int | None:
        """How many ids were selected."""
        return len(self.customer_ids)

    def pages(self, uow: UnitOfWork, *, page_size: int) -> Iterator[list[Customer]]:
        """The stored customers among the ids, a page at a time."""
        size = _page_size(page_size)
        for i in range(0, len(self.customer_ids), size):
            page = uow.customers.get_many(self.customer_ids[i : i + size])
            if page:
                yield page


def _search_text(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.require_str("SearchSelection.query", value)
    if not value.strip():
        raise ValidationError(
            "SearchSelection.query",
            value,
            "must not be empty (AllCustomers() exports every customer)",
        )


@attrs.frozen
class SearchSelection:
    """The customers of a registry search: ``query`` as typed, read as :mod:`otocore.search` reads it.

    The same customers as ``otocore.registry.search_customers(uow, query,
    field=field)`` finds on every page (free text classified, or one
    ``field``), resolved inside the export's own unit of work
    (``customer_search.matching_ids``), so the file and its count are one
    snapshot. ``describe()`` is the query as the user typed it (and the
    field, if one): the record and the data-access log keep that text (the
    log masks CPFs), not the list of ids it found. A query that cannot be
    read as ``field`` is a ValidationError naming ``query`` when the
    selection is made; an empty one is refused (:class:`AllCustomers`
    exports everyone).

    >>> SearchSelection("joao sil").describe()
    'search "joao sil"'
    >>> SearchSelection("529.982.247-25", field=SearchField.CPF).describe()
    'search cpf "529.982.247-25"'
    >>> SearchSelection(" ")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: SearchSelection.query must not be empty (AllCustomers() exports every customer), got ' '
    """

    query: str = attrs.field(validator=_search_text)
    field: SearchField | None = attrs.field(
        default=None, kw_only=True, validator=v.optional_instance_of(SearchField)
    )

    def __attrs_post_init__(self) -> None:
        self.parsed()  # a malformed query fails here, before any file is written

    def parsed(self) -> CustomerQuery:
        """The query as the search reads it (:meth:`CustomerQuery.parse`).

        >>> [c.field.value for c in SearchSelection("ana@example.com").parsed().criteria]
        ['email']
        """
        return CustomerQuery.parse(self.query, field=self.field)

    def describe(self) -> str:
        """``search "TEXT"`` (``search FIELD "TEXT"`` with a field): the text as typed."""
        text = json.dumps(self.query, ensure_ascii=False)
        return f"search {text}" if self.field is None else f"search {self.field.value} {text}"

    def total(self, uow: UnitOfWork) -> int | None:
        """How many customers the search finds."""
        return len(uow.customer_search.matching_ids(self.parsed()))

    def pages(self, uow: UnitOfWork, *, page_size: int) -> Iterator[list[Customer]]:
        """The customers the search finds, by id, a page at a time."""
        size = _page_size(page_size)
        ids = uow.customer_search.matching_ids(self.parsed())
        for i in range(0, len(ids), size):
            page = uow.customers.get_many(ids[i : i + size])
            if page:
                yield page


@attrs.frozen(kw_only=True)
class FilterSelection:
    """The customers an audience filter (:mod:`otocore.filters`) matches on the local day ``on``.

    Each page of customers is matched with the facts of its own customers:
    their orders (``orders.for_customer``), consent events
    (``consent.for_customer``, under ``consent_policy``) and the latest RFV
    snapshot on or before ``on`` (read once). Memory holds a page and the
    snapshot, not the base. ``describe()`` is the filter's JSON with the day.

    >>> from otocore.customers import Sex
    >>> from otocore.filters import SexIn
    >>> FilterSelection(filter=SexIn([Sex.FEMALE]), on=date(2026, 5, 10)).describe()
    'filter {"sex_in": ["female"]} on 2026-05-10'
    """

    filter: Filter = attrs.field()
    on: date = attrs.field(validator=v.local_date)
    time_zone: str = attrs.field(default=DEFAULT_TIME_ZONE, validator=v.time_zone)
    consent_policy: ConsentPolicy = attrs.field(
        factory=ConsentPolicy, validator=v.instance_of(ConsentPolicy)
    )

    @filter.validator
    def _check_filter(self, attribute: attrs.Attribute[Filter], value: Filter) -> None:
        filter_to_data(value)  # raises a ValidationError for anything that is not a filter

    def describe(self) -> str:
        """The filter as compact JSON, and the day."""
        data = json.dumps(filter_to_data(self.filter), ensure_ascii=False, sort_keys=True)
        return f"filter {data} on {self.on.isoformat()}"

    def total(self, uow: UnitOfWork) -> int | None:
        """How many customers are stored (an upper bound)."""
        return uow.customers.count()

    def pages(self, uow: UnitOfWork, *, page_size: int) -> Iterator[list[Customer]]:
        """The matching customers, a page of the base at a time."""
        scores = _rfv_on(uow, self.on)
        for page in AllCustomers().pages(uow, page_size=page_size):
            ids = [c.customer_id for c in page]
            orders = [o for cid in ids for o in uow.orders.for_customer(cid)]
            ledger = ConsentLedger.from_events(
                (e for cid in ids for e in uow.consent.for_customer(cid)),
                policy=self.consent_policy,
            )
            granted = ledger.channels_by_customer(self.on)
            default = ledger.default_channels
            facts = facts_for_brand(
                page,
                orders,
                self.on,
                rfv_scores={cid: scores[cid] for cid in ids if cid in scores},
                consents={cid: granted.get(cid, default) for cid in ids},
                time_zone=self.time_zone,
            )
            chosen = [f.customer for f in facts.values() if self.filter.matches(f, self.on)]
            if chosen:
                yield chosen


def _rfv_on(uow: UnitOfWork, day: date) -> dict[str, RfvScore]:
    """The latest RFV snapshot on or before ``day`` (empty if none)."""
    dates = [d for d in uow.rfv.dates() if d <= day]
    return uow.rfv.get(max(dates)) if dates else {}
