"""Busca de clientes (customer search): how a query is read, and how results are sorted and paged.

Reshop's customer module help page searches the *Cadastro* "com base em seu
CPF (Cadastro de Pessoa Física) ou RG (Registro Geral)"; Altegio's customer
database help page searches "digitando nome, telefone, e-mail ou número do
cartão na barra de pesquisa" and sorts its list by any column ("qual cliente
não o visita há muito tempo ou qual cliente gera mais receita"). This module
holds the pure rules of that search; :mod:`otocore.registry` runs them over
the stores.

**How a query is read.** :meth:`CustomerQuery.parse` turns one line of text
into *criteria*, each a :class:`SearchField` and a normalized key; a customer
matches the query when they match at least one criterion. With ``field``
given, the text is read as that field only (and a malformed value is a
:class:`~otocore.errors.ValidationError` naming ``query``). Without it
(free text):

* an empty text (or only spaces) matches every customer;
* a text with ``@`` is an e-mail (the canonical, lower-case address);
* a text of digits and separators (spaces, ``.``, ``-``, ``/``, ``(``,
  ``)``, ``+``) is a CPF when its digits are 11 with valid check digits
  (repeated-digit placeholders included, since a brand may store them), a mobile when
  phonenumbers reads it as a Brazilian mobile (both, when both hold), and
  always an RG and a card number;
* any other text is a name (when it has a word), and also an RG and a card
  number when it has a digit.

**Keys, exactly.** CPF: the 11 digits. E-mail: :class:`~otocore.customers.Email`'s
canonical address. Mobile: E.164. RG: its ASCII letters and digits,
upper-cased (``mg-12.345.678`` is ``MG12345678``). Card number:
:meth:`Loyalty.normalize_card_number <otocore.customers.Loyalty.normalize_card_number>`.
Name: :func:`name_tokens`: the text decomposed (NFKD), case-folded, stripped of
combining marks (``ø``, ``ł``, ``æ`` and the other Latin letters Unicode does not
decompose are spelled ``o``, ``l``, ``ae``), cut into runs of letters and digits. A name criterion matches
when *every* query word is the beginning of some word of the customer's name:
"joao sil" finds "João da Silva". The other fields match exactly.

>>> q = CustomerQuery.parse("joao sil")
>>> q.criteria
(Criterion(field=<SearchField.NAME: 'name'>, key='joao sil'),)
>>> from datetime import UTC, datetime
>>> from otocore.customers import Customer
>>> joao = Customer(
...     customer_id="C1", name="João da Silva", registered_at=datetime(2026, 1, 1, tzinfo=UTC)
... )
>>> (
...     q.matches(joao),
...     CustomerQuery.parse("silva joão").matches(joao),
...     CustomerQuery.parse("joana").matches(joao),
... )
(True, True, False)
>>> [c.field.value for c in CustomerQuery.parse("529.982.247-25").criteria]
['cpf', 'rg', 'card']
>>> CustomerQuery.parse("(11) 98765-4321").criteria[0]
Criterion(field=<SearchField.MOBILE: 'mobile'>, key='+5511987654321')
>>> CustomerQuery.parse("529.982.247-26", field=SearchField.CPF)
Traceback (most recent call last):
...
otocore.errors.ValidationError: query has wrong check digits, got '529.982.247-26'

**Sorting and paging.** Results are sorted by a :class:`SortKey` (name, total
spent, visits, last visit), ascending or descending, always with
``customer_id`` ascending as the tie-break, so pages never overlap or skip.
The name sorts by :func:`name_key` (accents and case ignored), in code point
order. A customer without a visit has no last visit and comes after every
customer with one, in both directions. The shared definitions
(:class:`CustomerStats`): *total spent* is the sum of ``Order.total`` of the
customer's COMPLETED orders (any channel); *visits* is the number of distinct
local days (brand time zone) with at least one COMPLETED order of channel
STORE; *first/last visit* the earliest/latest such day. Pages are numbered
from 1 (:class:`PageRequest`); :func:`rank` is the reference every store
agrees with.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

import attrs

from otocore import _validate as v
from otocore._time import DEFAULT_TIME_ZONE, local_day
from otocore.customers import Cpf, Customer, Email, Loyalty, Mobile
from otocore.errors import ValidationError
from otocore.orders import Channel, Order, OrderStatus

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
    "hits_of",
    "name_key",
    "name_tokens",
    "rank",
    "rg_key",
    "sort_hits",
    "sort_ids",
]

MAX_PAGE_SIZE = 1000
"""The largest page a search returns."""

_QUERY = "query"
_MAX_QUERY = 200
_WORD = re.compile(r"[^\W_]+")
_NUMERIC = re.compile(r"[0-9 .\-/()+]+")


# normalization ---------------------------------------------------------------------


# Latin letters that Unicode does not decompose into a base letter and a mark, read as
# the letters people type for them (as PostgreSQL's unaccent rules do): "Łukasz" is found
# by "lukasz", "Ærø" by "aero". Applied after case folding, so lower case only.
_UNDECOMPOSED = str.maketrans(
    {"æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ħ": "h",
     "ŧ": "t", "\u0131": "i", "ŀ": "l"}
)  # fmt: skip


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).casefold().translate(_UNDECOMPOSED)
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def name_tokens(text: str) -> tuple[str, ...]:
    """The words of a name as the search compares them: no accents, no case.

    The text is decomposed (NFKD), case-folded, its Latin letters without a
    decomposition spelled as people type them (``æ`` ae, ``ø`` o, ``ł`` l,
    ``đ``/``ð`` d, ``þ`` th, ``œ`` oe, dotless i as i...), decomposed again,
    stripped of combining marks and cut into runs of letters and digits
    (``_`` and every other character separate words).

    >>> name_tokens("JOÃO  da Silva-Araújo")
    ('joao', 'da', 'silva', 'araujo')
    >>> name_tokens("D'Ávila, Ana")
    ('d', 'avila', 'ana')
    """
    v.require_str("text", text)
    return tuple(_WORD.findall(_fold(text)))


def name_key(text: str) -> str:
    """:func:`name_tokens` joined by single spaces: what the stores index and sort names by.

    >>> name_key("  Émile   ZOLA ")
    'emile zola'
    """
    return " ".join(name_tokens(text))


def rg_key(text: str) -> str:
    """The RG as the search compares it: its ASCII letters and digits, upper-cased.

    >>> rg_key("mg-12.345.678")
    'MG12345678'
    >>> rg_key("12.345.678-9")
    '123456789'
    """
    v.require_str("text", text)
    return "".join(ch for ch in text if ch.isascii() and ch.isalnum()).upper()


# the query -------------------------------------------------------------------------


class SearchField(enum.Enum):
    """A field the search looks in.

    >>> SearchField("card")
    <SearchField.CARD: 'card'>
    """

    NAME = "name"
    CPF = "cpf"
    RG = "rg"
    EMAIL = "email"
    MOBILE = "mobile"
    CARD = "card"


@attrs.frozen
class Criterion:
    """One reading of a query: look for ``key`` (normalized) in ``field``.

    >>> Criterion(SearchField.CPF, "52998224725")
    Criterion(field=<SearchField.CPF: 'cpf'>, key='52998224725')
    """

    field: SearchField = attrs.field(validator=v.instance_of(SearchField))
    key: str = attrs.field(validator=v.text(_MAX_QUERY))

    def __attrs_post_init__(self) -> None:
        if self.field is SearchField.NAME and name_key(self.key) != self.key:
            raise ValidationError(
                "Criterion.key", self.key, f"must be a name key ({name_key(self.key)!r})"
            )

    def matches(self, customer: Customer) -> bool:
        """Whether ``customer`` has ``key`` in ``field`` (a name: every word begins one of theirs).

        >>> from datetime import UTC, datetime
        >>> ana = Customer(
        ...     customer_id="C1", name="Ana Souza", registered_at=datetime(2026, 1, 1, tzinfo=UTC)
        ... )
        >>> Criterion(SearchField.NAME, "sou an").matches(ana)
        True
        """
        field, key = self.field, self.key
        if field is SearchField.NAME:
            words = name_tokens(customer.name)
            return all(any(w.startswith(part) for w in words) for part in key.split(" "))
        if field is SearchField.CPF:
            return customer.cpf is not None and customer.cpf.digits == key
        if field is SearchField.EMAIL:
            return customer.email is not None and customer.email.address == key
        if field is SearchField.MOBILE:
            return customer.mobile is not None and customer.mobile.e164 == key
        if field is SearchField.RG:
            return customer.rg is not None and rg_key(customer.rg) == key
        loyalty = customer.loyalty
        return loyalty is not None and loyalty.card_number == key


def _criteria(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _check_criteria(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value == ():
        return
    v.require_tuple_of(
        "CustomerQuery.criteria", value, Criterion, rule="must be a tuple of Criterion"
    )


@attrs.frozen
class CustomerQuery:
    """A search: the text as typed and the criteria it was read as (any of them matches).

    An empty ``text`` with no criteria matches every customer; a text that
    reads as nothing (``"!!!"``) matches no one. Build one with :meth:`parse`.

    >>> CustomerQuery.parse("")
    CustomerQuery(text='', criteria=())
    >>> CustomerQuery.parse("ana@Example.com").criteria
    (Criterion(field=<SearchField.EMAIL: 'email'>, key='ana@example.com'),)
    """

    text: str = attrs.field(validator=v.instance_of(str))
    criteria: tuple[Criterion, ...] = attrs.field(converter=_criteria, validator=_check_criteria)

    @property
    def everyone(self) -> bool:
        """Whether the query matches every customer (an empty text).

        >>> CustomerQuery.parse("  ").everyone
        True
        """
        return not self.text.strip() and not self.criteria

    def matches(self, customer: Customer) -> bool:
        """Whether ``customer`` matches: the query is empty, or one criterion matches.

        >>> from datetime import UTC, datetime
        >>> c = Customer(
        ...     customer_id="C1", name="Ana", registered_at=datetime(2026, 1, 1, tzinfo=UTC)
        ... )
        >>> CustomerQuery.parse("").matches(c), CustomerQuery.parse("bia").matches(c)
        (True, False)
        """
        if self.everyone:
            return True
        return any(c.matches(customer) for c in self.criteria)

    @classmethod
    def parse(cls, text: str, *, field: SearchField | None = None) -> CustomerQuery:
        """Read a search line, as free text or as one ``field``.

        Args:
            text: what the user typed (at most 200 characters).
            field: read the text as this field only; ``None`` classifies it
                (see the module's docstring).

        Returns:
            The :class:`CustomerQuery`.

        Raises:
            ValidationError: ``text`` is not a string or too long; with
                ``field``, a value that is not one (field ``query``).

        >>> CustomerQuery.parse("MG-12.345.678", field=SearchField.RG).criteria
        (Criterion(field=<SearchField.RG: 'rg'>, key='MG12345678'),)
        >>> CustomerQuery.parse("ana", field=SearchField.MOBILE)
        Traceback (most recent call last):
        ...
        otocore.errors.ValidationError: query is not a phone number (The string supplied did not seem to be a phone number.), got 'ana'
        """
        v.require_str(_QUERY, text)
        if len(text) > _MAX_QUERY:
            raise ValidationError(_QUERY, text, f"must be at most {_MAX_QUERY} characters")
        if field is not None:
            v.require_enum("field", field, SearchField)
            if not text.strip():
                raise ValidationError(
                    _QUERY, text, f"must not be empty when searching {field.value}"
                )
            return cls(text, (Criterion(field, _explicit_key(field, text)),))
        if not text.strip():
            return cls(text, ())
        return cls(text, _classify(text))


def _explicit_key(field: SearchField, text: str) -> str:
    if field is SearchField.CPF:
        return Cpf.parse(text, allow_repeated=True, field=_QUERY).digits
    if field is SearchField.EMAIL:
        return Email.parse(text.strip(), field=_QUERY).address
    if field is SearchField.MOBILE:
        return Mobile.parse(text, field=_QUERY).e164
    if field is SearchField.CARD:
        return Loyalty.normalize_card_number(text, field=_QUERY)
    key = _name_query_key(text) if field is SearchField.NAME else rg_key(text)[:_MAX_QUERY]
    if not key:
        rule = "must have a letter or digit"
        raise ValidationError(_QUERY, text, rule)
    return key


def _name_query_key(text: str) -> str:
    """The name key of a query, cut to 200 characters at most (a longer one finds no one)."""
    return name_key(text)[:_MAX_QUERY].rstrip()


def _maybe(parse: Any, text: str) -> str | None:
    try:
        found: str = parse(text)
    except ValidationError:
        return None
    return found


def _classify(text: str) -> tuple[Criterion, ...]:
    stripped = text.strip()
    if "@" in stripped:
        address = _maybe(lambda t: Email.parse(t, field=_QUERY).address, stripped)
        key = address if address is not None else stripped.lower()
        try:
            return (Criterion(SearchField.EMAIL, key),)
        except ValidationError:  # a control character: no stored address has one
            return ()
    found: list[Criterion] = []
    if _NUMERIC.fullmatch(stripped):
        digits = "".join(ch for ch in stripped if ch.isdigit())
        cpf = _maybe(lambda t: Cpf.parse(t, allow_repeated=True, field=_QUERY).digits, digits)
        if cpf is not None:
            found.append(Criterion(SearchField.CPF, cpf))
        mobile = _maybe(lambda t: Mobile.parse(t, field=_QUERY).e164, stripped)
        if mobile is not None:
            found.append(Criterion(SearchField.MOBILE, mobile))
    else:
        words = _name_query_key(stripped)
        if words:
            found.append(Criterion(SearchField.NAME, words))
    if any(ch.isascii() and ch.isdigit() for ch in stripped):
        rg = rg_key(stripped)
        if rg:
            found.append(Criterion(SearchField.RG, rg))
        card = _maybe(lambda t: Loyalty.normalize_card_number(t, field=_QUERY), stripped)
        if card is not None:
            found.append(Criterion(SearchField.CARD, card))
    return tuple(found)


# figures per customer ----------------------------------------------------------------


@attrs.frozen(kw_only=True)
class CustomerStats:
    """A customer's figures in the registry list: total spent, visits, first and last visit.

    ``total_spent`` sums ``Order.total`` of the COMPLETED orders (any
    channel); ``visits`` counts the distinct local days with a COMPLETED order
    of channel STORE ("dias de loja"); ``first_visit``/``last_visit`` are the
    earliest/latest such day, ``None`` without one.

    >>> CustomerStats()
    CustomerStats(total_spent=Decimal('0'), visits=0, first_visit=None, last_visit=None)
    """

    total_spent: Decimal = attrs.field(default=Decimal(0), validator=v.money)
    visits: int = attrs.field(default=0, validator=v.integer(min_value=0))
    first_visit: date | None = attrs.field(default=None, validator=v.optional_local_date)
    last_visit: date | None = attrs.field(default=None, validator=v.optional_local_date)


NO_STATS = CustomerStats()


def customer_stats(
    orders: Iterable[Order], *, time_zone: str = DEFAULT_TIME_ZONE
) -> dict[str, CustomerStats]:
    """The :class:`CustomerStats` of every customer with a COMPLETED order, by customer id.

    A customer without a COMPLETED order has no entry (their figures are
    ``CustomerStats()``).

    >>> from datetime import UTC, datetime
    >>> def sale(n, when, channel=Channel.STORE, total="10.00"):
    ...     return Order(
    ...         order_id=f"P{n}",
    ...         customer_id="C1",
    ...         store_id="L01",
    ...         placed_at=when,
    ...         total=Decimal(total),
    ...         seller_code=None,
    ...         channel=channel,
    ...     )
    >>> stats = customer_stats(
    ...     [
    ...         sale(1, datetime(2026, 5, 10, 2, tzinfo=UTC)),  # 9 May, 23:00 in São Paulo
    ...         sale(2, datetime(2026, 5, 10, 15, tzinfo=UTC)),
    ...         sale(3, datetime(2026, 5, 10, 16, tzinfo=UTC)),  # same day: one visit
    ...         sale(4, datetime(2026, 6, 1, 15, tzinfo=UTC), Channel.ONLINE, "5.50"),
    ...     ]
    ... )
    >>> stats["C1"]
    CustomerStats(total_spent=Decimal('35.50'), visits=2, first_visit=datetime.date(2026, 5, 9), last_visit=datetime.date(2026, 5, 10))
    """
    zone = v.zone("time_zone", time_zone)
    totals: dict[str, Decimal] = {}
    days: dict[str, set[date]] = {}
    for i, order in enumerate(orders):
        if type(order) is not Order:
            v.require_instance(f"orders[{i}]", order, Order)
        if order.status is not OrderStatus.COMPLETED:
            continue
        cid = order.customer_id
        totals[cid] = totals.get(cid, Decimal(0)) + order.total
        if order.channel is Channel.STORE:
            days.setdefault(cid, set()).add(local_day(order.placed_at, zone))
    out: dict[str, CustomerStats] = {}
    for cid, total in totals.items():
        visited = days.get(cid)
        out[cid] = CustomerStats(
            total_spent=total,
            visits=len(visited) if visited else 0,
            first_visit=min(visited) if visited else None,
            last_visit=max(visited) if visited else None,
        )
    return out


# sorting and paging ---------------------------------------------------------------------


class SortKey(enum.Enum):
    """The column a search is sorted by.

    >>> SortKey("last_visit")
    <SortKey.LAST_VISIT: 'last_visit'>
    """

    NAME = "name"
    TOTAL_SPENT = "total_spent"
    VISITS = "visits"
    LAST_VISIT = "last_visit"


@attrs.frozen(kw_only=True)
class Sort:
    """Sort by ``key``, descending or not; ties go to the lowest ``customer_id``.

    >>> Sort(key=SortKey.TOTAL_SPENT, descending=True)
    Sort(key=<SortKey.TOTAL_SPENT: 'total_spent'>, descending=True)
    """

    key: SortKey = attrs.field(default=SortKey.NAME, validator=v.instance_of(SortKey))
    descending: bool = attrs.field(default=False, validator=v.boolean)


@attrs.frozen(kw_only=True)
class PageRequest:
    """Which page: ``number`` from 1, ``size`` results a page (1 to :data:`MAX_PAGE_SIZE`).

    >>> PageRequest(number=2, size=20).offset
    20
    >>> PageRequest(size=0)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: PageRequest.size must be >= 1, got 0
    """

    number: int = attrs.field(default=1, validator=v.integer(min_value=1, max_value=10**9))
    size: int = attrs.field(default=50, validator=v.integer(min_value=1, max_value=MAX_PAGE_SIZE))

    @property
    def offset(self) -> int:
        """How many results come before this page.

        >>> PageRequest(number=3, size=10).offset
        20
        """
        return (self.number - 1) * self.size


@attrs.frozen(kw_only=True)
class SearchHit:
    """One customer found, with their figures.

    >>> from datetime import UTC, datetime
    >>> c = Customer(customer_id="C1", name="Ana", registered_at=datetime(2026, 1, 1, tzinfo=UTC))
    >>> SearchHit(customer=c).stats.visits
    0
    """

    customer: Customer = attrs.field(validator=v.instance_of(Customer))
    stats: CustomerStats = attrs.field(default=NO_STATS, validator=v.instance_of(CustomerStats))


@attrs.frozen(kw_only=True)
class SearchPage:
    """A page of results: the hits in order, how many match in all, and what was asked.

    >>> SearchPage(hits=(), total=0, sort=Sort(), page=PageRequest()).pages
    0
    """

    hits: tuple[SearchHit, ...] = attrs.field(converter=_criteria)
    total: int = attrs.field(validator=v.integer(min_value=0))
    sort: Sort = attrs.field(validator=v.instance_of(Sort))
    page: PageRequest = attrs.field(validator=v.instance_of(PageRequest))

    @property
    def pages(self) -> int:
        """How many pages of ``page.size`` the results fill.

        >>> SearchPage(hits=(), total=101, sort=Sort(), page=PageRequest(size=50)).pages
        3
        """
        return -(-self.total // self.page.size)

    @property
    def customer_ids(self) -> list[str]:
        """The ids of this page's customers, in order.

        >>> SearchPage(hits=(), total=0, sort=Sort(), page=PageRequest()).customer_ids
        []
        """
        return [h.customer.customer_id for h in self.hits]


def _stat(stats: CustomerStats, key: SortKey) -> Any:
    if key is SortKey.TOTAL_SPENT:
        return stats.total_spent
    if key is SortKey.VISITS:
        return stats.visits
    return stats.last_visit


def sort_ids(
    ids: Iterable[str],
    *,
    sort: Sort,
    stats: Mapping[str, CustomerStats] | None = None,
    names: Mapping[str, str] | None = None,
) -> list[str]:
    """Customer ids in the order of ``sort``: its key (descending or not), then the id.

    ``names`` maps each id to its :func:`name_key` (needed to sort by name);
    ``stats`` to its figures (an id without an entry has ``CustomerStats()``).
    Customers without a last visit come last when sorting by it, either way.

    >>> from datetime import date
    >>> stats = {"C1": CustomerStats(visits=1, last_visit=date(2026, 5, 1))}
    >>> sort_ids(
    ...     ["C3", "C2", "C1"], sort=Sort(key=SortKey.LAST_VISIT, descending=True), stats=stats
    ... )
    ['C1', 'C2', 'C3']
    """
    v.require_instance("sort", sort, Sort)
    ordered = sorted(ids)
    key = sort.key
    if key is SortKey.NAME:
        by_name = names or {}
        ordered.sort(key=lambda i: by_name[i], reverse=sort.descending)
        return ordered
    figures = stats or {}
    values = {i: _stat(figures.get(i, NO_STATS), key) for i in ordered}
    if key is SortKey.LAST_VISIT:
        seen = [i for i in ordered if values[i] is not None]
        never = [i for i in ordered if values[i] is None]
        seen.sort(key=values.__getitem__, reverse=sort.descending)
        return seen + never
    ordered.sort(key=values.__getitem__, reverse=sort.descending)
    return ordered


def sort_hits(hits: Iterable[SearchHit], sort: Sort) -> list[SearchHit]:
    """``hits`` in the order of ``sort`` (:func:`sort_ids`).

    >>> from datetime import UTC, datetime
    >>> when = datetime(2026, 1, 1, tzinfo=UTC)
    >>> hits = [
    ...     SearchHit(customer=Customer(customer_id=i, name=n, registered_at=when))
    ...     for i, n in [("C2", "Álvaro"), ("C1", "alvaro"), ("C3", "Bia")]
    ... ]
    >>> [h.customer.customer_id for h in sort_hits(hits, Sort(descending=True))]
    ['C3', 'C1', 'C2']
    """
    by_id = {h.customer.customer_id: h for h in hits}
    order = sort_ids(
        by_id,
        sort=sort,
        stats={i: h.stats for i, h in by_id.items()},
        names={i: name_key(h.customer.name) for i, h in by_id.items()}
        if sort.key is SortKey.NAME
        else None,
    )
    return [by_id[i] for i in order]


def rank(
    hits: Iterable[SearchHit], *, sort: Sort | None = None, page: PageRequest | None = None
) -> SearchPage:
    """Sort every hit (:func:`sort_hits`) and cut out one page: the reference of every store.

    >>> from datetime import UTC, datetime
    >>> when = datetime(2026, 1, 1, tzinfo=UTC)
    >>> hits = [
    ...     SearchHit(customer=Customer(customer_id=f"C{i}", name="Ana", registered_at=when))
    ...     for i in range(5)
    ... ]
    >>> found = rank(hits, page=PageRequest(number=2, size=2))
    >>> found.customer_ids, found.total, found.pages
    (['C2', 'C3'], 5, 3)
    """
    sort = Sort() if sort is None else v.require_instance("sort", sort, Sort)
    page = PageRequest() if page is None else v.require_instance("page", page, PageRequest)
    ordered = sort_hits(hits, sort)
    chosen = ordered[page.offset : page.offset + page.size]
    return SearchPage(hits=tuple(chosen), total=len(ordered), sort=sort, page=page)


def hits_of(customers: Iterable[Customer], stats: Mapping[str, CustomerStats]) -> list[SearchHit]:
    """Pair each customer with their figures (``CustomerStats()`` without an entry).

    >>> from datetime import UTC, datetime
    >>> ana = Customer(customer_id="C1", name="Ana", registered_at=datetime(2026, 1, 1, tzinfo=UTC))
    >>> hits_of([ana], {})[0].stats == CustomerStats()
    True
    """
    return [SearchHit(customer=c, stats=stats.get(c.customer_id, NO_STATS)) for c in customers]
