"""Filtros de público (audience filters): who a campaign or a customer search is for.

The seed ``reshop-customers-module.txt`` (Dashboard de clientes, *Pesquisa*)
lists the filters a brand searches its customers by: "Aniversariante", "Novos
clientes", "Clientes loja online", "Fidelidade", "Cadastro incompleto",
"Última compra", "Comprou em mês A e não comprou em mês B", "Programa de
fidelidade", "Categoria", "Loja preferida (últimos 12 meses)", "Sexo",
"Estado civil", "Faixa etária (anos)" and "Somente clientes com compras";
``altegio-customer-database.txt`` shows the same idea ("uma lista de clientes
que atendem a determinados requisitos usando vários filtros"). otocore adds the
RFV segment and scores, days since the last purchase (post-sale follow-up) and
consent on a channel, and combines them with ``all``, ``any`` and ``not``.

**The rule, exactly.** A filter is a tree of frozen values. Each node answers
``matches(facts, on)`` for one customer's :class:`CustomerFacts` on the local
day ``on`` (the day the facts were built for); it is pure and reads no clock.
:class:`AllOf` matches when every child does (an empty one matches everyone),
:class:`AnyOf` when at least one does (an empty one matches no one),
:class:`Not` when its child does not. A predicate about something the customer
does not have (no birth date, no RFV score, no purchase) does not match. Trees
nest at most :data:`MAX_DEPTH` levels. docs/filters.md states every predicate
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

import enum
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar
from zoneinfo import ZoneInfo

import attrs

from otocore import _validate as v
from otocore._filters_fields import (
    check_bound,
    check_date_bound,
    check_int,
    check_member,
    check_money_bound,
    check_month,
    check_segment_key,
    check_set,
    check_text,
    dump_date,
    dump_enum,
    dump_list,
    dump_month,
    dump_same,
    dump_str,
    load_date,
    load_decimal,
    load_enum,
    load_int,
    load_list,
    load_month,
    load_optional_int,
    load_optional_list,
    load_str,
    meta,
    sorted_set,
    to_tuple,
    validator,
)
from otocore.consent import ContactChannel
from otocore.customers import Customer, MaritalStatus, Sex
from otocore.errors import ValidationError
from otocore.orders import Order
from otocore.rfv import MAX_BINS, RfvScore

if TYPE_CHECKING:
    from otocore.rfv import SegmentGrid

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
    "RScoreBetween",
    "RecencyBetween",
    "RegistrationField",
    "SegmentIn",
    "SexIn",
    "StoreIn",
    "VScoreBetween",
    "ValueBetween",
    "check_segments",
    "facts_for_brand",
    "filter_to_data",
    "parse_filter",
    "select",
]

MAX_DEPTH = 32
"""The deepest a filter tree may nest (a leaf alone has depth 1)."""

_DEFAULT_ZONE = "America/Sao_Paulo"


# facts ----------------------------------------------------------------------------


def _check_customer(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, Customer):
        raise ValidationError("CustomerFacts.customer", value, "must be an otocore Customer")


def _check_rfv(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, RfvScore):
        raise ValidationError("CustomerFacts.rfv", value, "must be an RfvScore or None")
    customer = instance.customer
    if value.customer_id != customer.customer_id:
        raise ValidationError(
            "CustomerFacts.rfv",
            value.customer_id,
            f"must be the score of the same customer ({customer.customer_id!r})",
        )


def _check_count(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    check_int(0)(f"CustomerFacts.{attribute.name}", value, CustomerFacts)


def _check_flag(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, bool):
        raise ValidationError(f"CustomerFacts.{attribute.name}", value, "must be a bool")


def _check_months(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    field = "CustomerFacts.purchase_months"
    if not isinstance(value, frozenset):
        raise ValidationError(field, value, "must be a set of (year, month) pairs")
    for month in sorted(value, key=repr):
        check_month(field, month, CustomerFacts)


def _check_consented(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    field = "CustomerFacts.consented"
    if not isinstance(value, frozenset):
        raise ValidationError(field, value, "must be a set of ContactChannel")
    for channel in value:
        v.require_enum(field, channel, ContactChannel)


def _to_frozenset(value: Any) -> Any:
    if isinstance(value, list | tuple | set):
        try:
            return frozenset(value)
        except TypeError:
            return value
    return value


@attrs.frozen(kw_only=True)
class CustomerFacts:
    """What the filters know about one customer on one local day.

    Build it with :meth:`build` (one customer) or :func:`facts_for_brand`
    (a whole brand in one pass over the orders); the constructor is for
    values you already have and checks that they agree with each other.

    Purchases are the customer's COMPLETED orders whose local day (their
    ``placed_at`` in the brand's time zone) is on or before ``on``.

    Attributes:
        customer: the customer record.
        on: the local day the facts are for; filters are evaluated on this day.
        registered_on: the local day of ``customer.registered_at``.
        rfv: the customer's RFV score on ``on``, or ``None`` (not scored).
        last_purchase: the local day of the last purchase, or ``None``.
        purchases: the number of purchases (orders, all history up to ``on``).
        purchase_months: the ``(year, month)`` pairs with at least one purchase.
        bought_online: whether any purchase has channel ``Channel.ONLINE``.
        preferred_store_id: the store with most visits over the 12 months
            ending on ``on`` (see :meth:`build`), or ``None`` without any.
        consented: the channels the customer has consent on, on ``on``.

    >>> from datetime import UTC, date, datetime
    >>> ana = Customer(customer_id="C1", name="Ana", registered_at=datetime(2026, 5, 1, tzinfo=UTC))
    >>> facts = CustomerFacts.build(ana, [], date(2026, 5, 10))
    >>> (
    ...     facts.registered_on,
    ...     facts.purchases,
    ...     facts.last_purchase,
    ... )  # 1 May 00:00 UTC is 30 April in SP
    (datetime.date(2026, 4, 30), 0, None)
    >>> CustomerFacts(
    ...     customer=ana, on=date(2026, 5, 10), registered_on=date(2026, 4, 30), purchases=1
    ... )
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: CustomerFacts.last_purchase is required when purchases > 0, got None
    """

    customer: Customer = attrs.field(validator=_check_customer)
    on: date = attrs.field(validator=v.local_date)
    registered_on: date = attrs.field(validator=v.local_date)
    rfv: RfvScore | None = attrs.field(default=None, validator=_check_rfv)
    last_purchase: date | None = attrs.field(default=None, validator=v.optional_local_date)
    purchases: int = attrs.field(default=0, validator=_check_count)
    purchase_months: frozenset[tuple[int, int]] = attrs.field(
        default=frozenset(), converter=_to_frozenset, validator=_check_months
    )
    bought_online: bool = attrs.field(default=False, validator=_check_flag)
    preferred_store_id: str | None = attrs.field(default=None, validator=v.optional_text(100))
    consented: frozenset[ContactChannel] = attrs.field(
        default=frozenset(), converter=_to_frozenset, validator=_check_consented
    )

    def __attrs_post_init__(self) -> None:
        if self.last_purchase is None:
            if self.purchases:
                raise ValidationError(
                    "CustomerFacts.last_purchase", None, "is required when purchases > 0"
                )
            for name in ("purchase_months", "bought_online", "preferred_store_id"):
                if getattr(self, name):
                    raise ValidationError(
                        f"CustomerFacts.{name}",
                        getattr(self, name),
                        "must be empty without purchases",
                    )
            return
        last = self.last_purchase
        if last > self.on:
            raise ValidationError(
                "CustomerFacts.last_purchase", last, f"must not be after on ({self.on})"
            )
        if self.purchases < 1 or self.purchases < len(self.purchase_months):
            raise ValidationError(
                "CustomerFacts.purchases",
                self.purchases,
                "must be at least 1 and at least the number of purchase months",
            )
        if (last.year, last.month) not in self.purchase_months:
            raise ValidationError(
                "CustomerFacts.purchase_months",
                self.purchase_months,
                f"must include the month of the last purchase ({last:%Y-%m})",
            )

    @property
    def customer_id(self) -> str:
        """The customer's id.

        >>> from datetime import UTC, date, datetime
        >>> c = Customer(
        ...     customer_id="C9", name="Bia", registered_at=datetime(2026, 1, 1, tzinfo=UTC)
        ... )
        >>> CustomerFacts.build(c, [], date(2026, 5, 10)).customer_id
        'C9'
        """
        return self.customer.customer_id

    @classmethod
    def build(
        cls,
        customer: Customer,
        orders: Iterable[Order],
        on: date,
        *,
        rfv: RfvScore | None = None,
        consented: Iterable[ContactChannel] = frozenset(),
        time_zone: str = _DEFAULT_ZONE,
    ) -> CustomerFacts:
        """Build the facts of one customer on the local day ``on``.

        The *preferred store* counts the customer's visits over the 12 months
        ending on ``on`` (local days ``d`` with ``on - 12 months < d <= on``):
        a visit is a distinct (store, local day) pair of a purchase. The store
        with most visits wins; a tie goes to the store visited most recently,
        then to the lowest store id in plain string order.

        Args:
            customer: the customer.
            orders: the customer's orders, any status and any day; each must
                belong to ``customer`` and order ids must be unique.
            on: the local day.
            rfv: the customer's RFV score on ``on``, if scored.
            consented: the channels the customer has consent on, on ``on``.
            time_zone: the brand's IANA time zone, for local days.

        Returns:
            The :class:`CustomerFacts`.

        Raises:
            ValidationError: bad input, an order of another customer, a
                repeated order id, or a score of another customer.

        >>> from datetime import UTC, date, datetime
        >>> from decimal import Decimal
        >>> ana = Customer(
        ...     customer_id="C1", name="Ana", registered_at=datetime(2025, 1, 1, tzinfo=UTC)
        ... )
        >>> def sale(n, store, day):
        ...     return Order(
        ...         order_id=f"P{n}",
        ...         customer_id="C1",
        ...         store_id=store,
        ...         placed_at=datetime(2026, *day, 15, tzinfo=UTC),
        ...         total=Decimal("50.00"),
        ...         seller_code=None,
        ...     )
        >>> orders = [sale(1, "L02", (3, 2)), sale(2, "L02", (3, 2)), sale(3, "L01", (4, 9))]
        >>> facts = CustomerFacts.build(ana, orders, date(2026, 5, 10))
        >>> facts.purchases, facts.last_purchase, sorted(facts.purchase_months)
        (3, datetime.date(2026, 4, 9), [(2026, 3), (2026, 4)])
        >>> facts.preferred_store_id  # one visit each (two sales on one day are one visit); L01 is later
        'L01'
        """
        from otocore._filters_facts import aggregate

        if not isinstance(customer, Customer):
            raise ValidationError("customer", customer, "must be an otocore Customer")
        v.require_date("on", on)
        zone = v.zone("time_zone", time_zone)
        if isinstance(orders, str | bytes | Mapping) or not isinstance(orders, Iterable):
            raise ValidationError("orders", orders, "must be an iterable of Order")
        listed = list(orders)
        cid = customer.customer_id
        for i, order in enumerate(listed):
            if isinstance(order, Order) and order.customer_id != cid:
                raise ValidationError(
                    f"orders[{i}].customer_id",
                    order.customer_id,
                    f"must be the customer's id ({cid!r}); use facts_for_brand() for a whole brand",
                )
        tallies = aggregate(listed, frozenset([cid]), on, zone)
        channels = _channels("consented", consented)
        tally = tallies.get(cid)
        return cls(
            customer=customer,
            on=on,
            registered_on=_registered_on(customer, zone, "customer.registered_at"),
            rfv=rfv,
            last_purchase=None if tally is None else tally.last,
            purchases=0 if tally is None else tally.count,
            purchase_months=frozenset() if tally is None else tally.months,
            bought_online=False if tally is None else tally.online,
            preferred_store_id=None if tally is None else tally.preferred_store,
            consented=channels,
        )


def _channels(field: str, value: Any) -> frozenset[ContactChannel]:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise ValidationError(field, value, "must be a set of ContactChannel")
    out = frozenset(value) if not isinstance(value, frozenset) else value
    for channel in out:
        v.require_enum(field, channel, ContactChannel)
    return out


def facts_for_brand(
    customers: Iterable[Customer],
    orders: Iterable[Order],
    on: date,
    *,
    rfv_scores: Mapping[str, RfvScore] | None = None,
    consents: Mapping[str, Iterable[ContactChannel]] | None = None,
    time_zone: str = _DEFAULT_ZONE,
) -> dict[str, CustomerFacts]:
    """Build the :class:`CustomerFacts` of many customers in one pass over the orders.

    The result for each customer equals ``CustomerFacts.build`` with that
    customer's orders, score and consent. Orders, scores and consents of
    customers not in ``customers`` are ignored (so a portfolio can be
    searched with the brand's whole order history); order ids must be unique
    among all ``orders``.

    Args:
        customers: the customers, with unique ids.
        orders: the brand's orders, any status, any day, in any order.
        on: the local day.
        rfv_scores: scores by customer id, as :func:`otocore.rfv.rfv_scores`
            returns them; a customer without one has ``rfv=None``.
        consents: by customer id, the channels with consent on ``on``; a
            customer without an entry has consent on no channel.
        time_zone: the brand's IANA time zone, for local days.

    Returns:
        The facts keyed by customer id, sorted by id.

    Raises:
        ValidationError: bad input, repeated customer or order ids, a score
            filed under another customer's id.

    >>> from datetime import UTC, date, datetime
    >>> from decimal import Decimal
    >>> from otocore.consent import ContactChannel
    >>> when = datetime(2025, 1, 1, tzinfo=UTC)
    >>> people = [Customer(customer_id=c, name=c, registered_at=when) for c in ("C2", "C1")]
    >>> sale = Order(
    ...     order_id="P1",
    ...     customer_id="C1",
    ...     store_id="L01",
    ...     placed_at=datetime(2026, 5, 2, 15, tzinfo=UTC),
    ...     total=Decimal("80.00"),
    ...     seller_code=None,
    ... )
    >>> facts = facts_for_brand(
    ...     people, [sale], date(2026, 5, 10), consents={"C2": {ContactChannel.WHATSAPP}}
    ... )
    >>> for cid, f in facts.items():
    ...     print(cid, f.purchases, sorted(ch.value for ch in f.consented))
    C1 1 []
    C2 0 ['whatsapp']
    """
    from otocore._filters_facts import aggregate

    v.require_date("on", on)
    zone = v.zone("time_zone", time_zone)
    if isinstance(customers, str | bytes | Mapping) or not isinstance(customers, Iterable):
        raise ValidationError("customers", customers, "must be an iterable of Customer")
    people = list(customers)
    by_id: dict[str, Customer] = {}
    for i, customer in enumerate(people):
        if not isinstance(customer, Customer):
            raise ValidationError(f"customers[{i}]", customer, "must be an otocore Customer")
        if customer.customer_id in by_id:
            raise ValidationError(
                f"customers[{i}].customer_id", customer.customer_id, "must be unique"
            )
        by_id[customer.customer_id] = customer
    scores = _mapping("rfv_scores", rfv_scores)
    consent_map = _mapping("consents", consents)
    if isinstance(orders, str | bytes | Mapping) or not isinstance(orders, Iterable):
        raise ValidationError("orders", orders, "must be an iterable of Order")
    tallies = aggregate(orders, frozenset(by_id), on, zone)
    interned: dict[frozenset[ContactChannel], frozenset[ContactChannel]] = {}
    no_consent: frozenset[ContactChannel] = frozenset()
    out: dict[str, CustomerFacts] = {}
    for cid in sorted(by_id):
        customer = by_id[cid]
        score = scores.get(cid)
        if score is not None and (not isinstance(score, RfvScore) or score.customer_id != cid):
            raise ValidationError(
                f"rfv_scores[{cid!r}]", score, f"must be the RfvScore of customer {cid!r}"
            )
        raw = consent_map.get(cid)
        channels = no_consent if raw is None else _channels(f"consents[{cid!r}]", raw)
        channels = interned.setdefault(channels, channels)
        tally = tallies.get(cid)
        out[cid] = _trusted_facts(
            customer,
            on,
            registered_on=_registered_on(customer, zone, f"customers[{cid!r}].registered_at"),
            rfv=score,
            tally=tally,
            consented=channels,
        )
    return out


def _registered_on(customer: Customer, zone: ZoneInfo, field: str) -> date:
    try:
        return customer.registered_at.astimezone(zone).date()
    except OverflowError:
        raise ValidationError(
            field, customer.registered_at, "has no local day in the time zone (too near year 1)"
        ) from None


def _mapping(field: str, value: Any) -> Mapping[Any, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ValidationError(field, value, "must be a mapping from customer id")
    return value


_new = object.__new__
_set = object.__setattr__
_NO_MONTHS: frozenset[tuple[int, int]] = frozenset()


def _trusted_facts(
    customer: Customer,
    on: date,
    *,
    registered_on: date,
    rfv: RfvScore | None,
    tally: Any,
    consented: frozenset[ContactChannel],
) -> CustomerFacts:
    """Build facts from values that agree by construction, skipping the validators.

    Everything comes from validated Customers, Orders and RfvScores through
    the aggregation, which is what :meth:`CustomerFacts.build` checks; at a
    million customers, validating again costs more than the aggregation.
    """
    facts: CustomerFacts = _new(CustomerFacts)
    _set(facts, "customer", customer)
    _set(facts, "on", on)
    _set(facts, "registered_on", registered_on)
    _set(facts, "rfv", rfv)
    if tally is None:
        _set(facts, "last_purchase", None)
        _set(facts, "purchases", 0)
        _set(facts, "purchase_months", _NO_MONTHS)
        _set(facts, "bought_online", False)
        _set(facts, "preferred_store_id", None)
    else:
        _set(facts, "last_purchase", tally.last)
        _set(facts, "purchases", tally.count)
        _set(facts, "purchase_months", tally.months)
        _set(facts, "bought_online", tally.online)
        _set(facts, "preferred_store_id", tally.preferred_store)
    _set(facts, "consented", consented)
    return facts


# the filter base ------------------------------------------------------------------


class Filter:
    """Filtro (filter): the base of every node of the filter language.

    The nodes are a closed set: :class:`AllOf`, :class:`AnyOf`, :class:`Not`
    and the predicates of this module. Every node is a frozen value with
    ``matches(facts, on)``; it serializes with :func:`filter_to_data` and is
    read back with :func:`parse_filter`.

    >>> isinstance(HasPurchases(), Filter)
    True
    >>> Filter()
    Traceback (most recent call last):
    ...
    TypeError: Filter is abstract; use one of the nodes of otocore.filters
    """

    __slots__ = ()

    _tag: ClassVar[str] = ""

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        if cls is Filter:
            raise TypeError("Filter is abstract; use one of the nodes of otocore.filters")
        return super().__new__(cls)

    def matches(self, facts: CustomerFacts, on: date) -> bool:
        """Whether the customer of ``facts`` matches this filter on the local day ``on``.

        Args:
            facts: the customer's facts, built for ``on``.
            on: the local day; it must be the day the facts were built for.

        Raises:
            ValidationError: ``facts`` is not a :class:`CustomerFacts`, or was
                built for another day.

        >>> from datetime import UTC, date, datetime
        >>> c = Customer(
        ...     customer_id="C1", name="Ana", registered_at=datetime(2026, 5, 1, 15, tzinfo=UTC)
        ... )
        >>> facts = CustomerFacts.build(c, [], date(2026, 5, 10))
        >>> NewCustomer(days=30).matches(facts, date(2026, 5, 10))
        True
        >>> NewCustomer(days=30).matches(facts, date(2026, 5, 11))
        Traceback (most recent call last):
        ...
        otocore.errors.ValidationError: on must be the day the facts were built for (2026-05-10), got datetime.date(2026, 5, 11)
        """
        if type(facts) is not CustomerFacts or type(on) is not date or facts.on != on:
            _check_day(facts, on)  # the slow path names the fault
        return self._test(facts, on)

    def _test(self, facts: CustomerFacts, on: date) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError


def _check_day(facts: Any, on: Any) -> None:
    if not isinstance(facts, CustomerFacts):
        raise ValidationError("facts", facts, "must be a CustomerFacts")
    v.require_date("on", on)
    if facts.on != on:
        raise ValidationError("on", on, f"must be the day the facts were built for ({facts.on})")


def _depth(root: Filter) -> int:
    deepest = 0
    stack = [(root, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        if isinstance(node, AllOf | AnyOf):
            stack.extend((child, level + 1) for child in node.filters)
        elif isinstance(node, Not):
            stack.append((node.filter, level + 1))
    return deepest


def _check_children(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    field = f"{type(instance).__name__}.filters"
    if not isinstance(value, tuple):
        raise ValidationError(field, value, "must be a list of filters")
    for i, child in enumerate(value):
        _check_child(f"{field}[{i}]", child)


def _check_child(field: str, child: Any) -> None:
    if not isinstance(child, Filter) or type(child) is Filter:
        raise ValidationError(field, child, "must be a filter (a node of otocore.filters)")
    if _depth(child) >= MAX_DEPTH:
        raise ValidationError(field, child._tag, f"must not nest deeper than {MAX_DEPTH} levels")


def _check_operand(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    _check_child("Not.filter", value)


# combinators ----------------------------------------------------------------------


@attrs.frozen
class AllOf(Filter):
    """``all``: matches when every child matches; ``AllOf([])`` matches everyone.

    JSON: ``{"all": [filter, ...]}``. Children are kept in the order given;
    the order never changes the result.

    >>> f = AllOf([SexIn([Sex.FEMALE]), AgeBetween(min=18, max=30)])
    >>> filter_to_data(f)
    {'all': [{'sex_in': ['female']}, {'age_between': {'min': 18, 'max': 30}}]}
    >>> AllOf([{"sex_in": ["female"]}])
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: AllOf.filters[0] must be a filter (a node of otocore.filters), got {'sex_in': ['female']}
    """

    _tag: ClassVar[str] = "all"

    filters: tuple[Filter, ...] = attrs.field(converter=to_tuple, validator=_check_children)

    def _test(self, facts: CustomerFacts, on: date) -> bool:
        for child in self.filters:  # noqa: SIM110 - a loop is faster than all() here
            if not child._test(facts, on):
                return False
        return True


@attrs.frozen
class AnyOf(Filter):
    """``any``: matches when at least one child matches; ``AnyOf([])`` matches no one.

    JSON: ``{"any": [filter, ...]}``.

    >>> f = AnyOf([BoughtOnline(), PreferredStoreIn(["L01"])])
    >>> filter_to_data(f)
    {'any': [{'bought_online': {}}, {'preferred_store_in': ['L01']}]}
    """

    _tag: ClassVar[str] = "any"

    filters: tuple[Filter, ...] = attrs.field(converter=to_tuple, validator=_check_children)

    def _test(self, facts: CustomerFacts, on: date) -> bool:
        for child in self.filters:  # noqa: SIM110 - a loop is faster than any() here
            if child._test(facts, on):
                return True
        return False


@attrs.frozen
class Not(Filter):
    """``not``: matches when its child does not.

    JSON: ``{"not": filter}``.

    >>> filter_to_data(Not(HasPurchases()))
    {'not': {'has_purchases': {}}}
    """

    _tag: ClassVar[str] = "not"

    filter: Filter = attrs.field(validator=_check_operand)

    def _test(self, facts: CustomerFacts, on: date) -> bool:
        return not self.filter._test(facts, on)


# ranges -----------------------------------------------------------------------------


def _check_range(node: Any) -> None:
    name = type(node).__name__
    lo, hi = node.min, node.max
    if lo is None and hi is None:
        raise ValidationError(name, None, "needs min, max or both")
    if lo is not None and hi is not None and lo > hi:
        raise ValidationError(f"{name}.min", lo, f"must be <= max ({hi})")


@attrs.frozen(kw_only=True)
class _IntRange(Filter):
    """An inclusive range ``min <= x <= max`` of an integer; either bound may be left out."""

    _lowest: ClassVar[int] = 0
    _highest: ClassVar[int | None] = None

    min: int | None = attrs.field(
        default=None,
        validator=validator(check_bound),
        metadata=meta(check_bound, load_optional_int, dump_same),
    )
    max: int | None = attrs.field(
        default=None,
        validator=validator(check_bound),
        metadata=meta(check_bound, load_optional_int, dump_same),
    )

    def __attrs_post_init__(self) -> None:
        _check_range(self)

    def _test(self, facts: CustomerFacts, on: date) -> bool:
        x = self._value(facts, on)
        if x is None:
            return False
        lo, hi = self.min, self.max
        return (lo is None or x >= lo) and (hi is None or x <= hi)

    def _value(self, facts: CustomerFacts, on: date) -> int | None:  # pragma: no cover
        raise NotImplementedError


@attrs.frozen(kw_only=True)
class RScoreBetween(_IntRange):
    """R score (recency, 1..bins, higher is more recent) in ``min..max``.

    JSON: ``{"r_score_between": {"min": 4, "max": 5}}``. Bounds are 1..10;
    a customer without an RFV score does not match.

    >>> filter_to_data(RScoreBetween(min=4))
    {'r_score_between': {'min': 4}}
    >>> RScoreBetween(min=0)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: RScoreBetween.min must be >= 1, got 0
    """

    _tag: ClassVar[str] = "r_score_between"
    _lowest: ClassVar[int] = 1
    _highest: ClassVar[int | None] = MAX_BINS

    def _value(self, facts: CustomerFacts, on: date) -> int | None:
        rfv = facts.rfv
        return None if rfv is None else rfv.r


@attrs.frozen(kw_only=True)
class FScoreBetween(_IntRange):
    """F score (frequency, 1..bins) in ``min..max``.

    JSON: ``{"f_score_between": {"min": 1, "max": 2}}``.

    >>> filter_to_data(FScoreBetween(min=1, max=2))
    {'f_score_between': {'min': 1, 'max': 2}}
    """

    _tag: ClassVar[str] = "f_score_between"
    _lowest: ClassVar[int] = 1
    _highest: ClassVar[int | None] = MAX_BINS

    def _value(self, facts: CustomerFacts, on: date) -> int | None:
        rfv = facts.rfv
        return None if rfv is None else rfv.f


@attrs.frozen(kw_only=True)
class VScoreBetween(_IntRange):
    """V score (value, 1..bins) in ``min..max``.

    JSON: ``{"v_score_between": {"min": 5}}``.

    >>> VScoreBetween(min=5, max=4)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: VScoreBetween.min must be <= max (4), got 5
    """

    _tag: ClassVar[str] = "v_score_between"
    _lowest: ClassVar[int] = 1
    _highest: ClassVar[int | None] = MAX_BINS

    def _value(self, facts: CustomerFacts, on: date) -> int | None:
        rfv = facts.rfv
        return None if rfv is None else rfv.v


@attrs.frozen(kw_only=True)
class RecencyBetween(_IntRange):
    """RFV recency (days since the last purchase, from the RFV score) in ``min..max``.

    JSON: ``{"recency_between": {"min": 90, "max": 180}}``. Reads
    ``facts.rfv.recency_days``; without a score it does not match (use
    :class:`DaysSinceLastPurchase` to read the orders instead).

    >>> filter_to_data(RecencyBetween(min=90, max=180))
    {'recency_between': {'min': 90, 'max': 180}}
    """

    _tag: ClassVar[str] = "recency_between"

    def _value(self, facts: CustomerFacts, on: date) -> int | None:
        rfv = facts.rfv
        return None if rfv is None else rfv.recency_days


@attrs.frozen(kw_only=True)
class FrequencyBetween(_IntRange):
    """RFV frequency (purchases in the RFV window) in ``min..max``.

    JSON: ``{"frequency_between": {"min": 3}}``.

    >>> FrequencyBetween()
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: FrequencyBetween needs min, max or both, got None
    """

    _tag: ClassVar[str] = "frequency_between"

    def _value(self, facts: CustomerFacts, on: date) -> int | None:
        rfv = facts.rfv
        return None if rfv is None else rfv.frequency


@attrs.frozen(kw_only=True)
class AgeBetween(_IntRange):
    """Faixa etária (age range): completed years on ``on`` in ``min..max``.

    JSON: ``{"age_between": {"min": 18, "max": 30}}``. Bounds are 0..150.
    The age is :meth:`Customer.age_on <otocore.customers.Customer.age_on>`:
    someone turns a year older on their birthday, and one born on 29
    February on 1 March in common years. Without a birth date, or with a
    birth date after ``on``, it does not match.

    >>> from datetime import UTC, date, datetime
    >>> c = Customer(
    ...     customer_id="C1",
    ...     name="Ana",
    ...     registered_at=datetime(2026, 1, 1, tzinfo=UTC),
    ...     birth_date=date(1996, 5, 10),
    ... )
    >>> for d in (date(2026, 5, 9), date(2026, 5, 10)):  # 29, then 30 years old
    ...     print(d, AgeBetween(min=18, max=29).matches(CustomerFacts.build(c, [], d), d))
    2026-05-09 True
    2026-05-10 False
    """

    _tag: ClassVar[str] = "age_between"
    _highest: ClassVar[int | None] = 150

    def _value(self, facts: CustomerFacts, on: date) -> int | None:
        born = facts.customer.birth_date
        if born is None or born > on:
            return None
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


@attrs.frozen(kw_only=True)
class DaysSinceLastPurchase(_IntRange):
    """Days since the last purchase (``on`` minus its local day) in ``min..max``.

    JSON: ``{"days_since_last_purchase": {"min": 30, "max": 30}}``, the
    post-sale follow-up "exactly 30 days after the purchase"
    (:meth:`exactly` builds it). Without purchases it does not match.

    >>> DaysSinceLastPurchase.exactly(30)
    DaysSinceLastPurchase(min=30, max=30)
    """

    _tag: ClassVar[str] = "days_since_last_purchase"

    @classmethod
    def exactly(cls, days: int) -> DaysSinceLastPurchase:
        """The filter for exactly ``days`` days since the last purchase.

        >>> filter_to_data(DaysSinceLastPurchase.exactly(7))
        {'days_since_last_purchase': {'min': 7, 'max': 7}}
        """
        return cls(min=days, max=days)

    def _value(self, facts: CustomerFacts, on: date) -> int | None:
        last = facts.last_purchase
        return None if last is None else (on - last).days


@attrs.frozen(kw_only=True)
class ValueBetween(Filter):
    """RFV value (money spent in the RFV window) in ``min..max``, exact Decimals.

    JSON: ``{"value_between": {"min": "1000.00"}}``; amounts are decimal
    strings (an integer is accepted when reading), never floats. Without an
    RFV score it does not match.

    >>> from decimal import Decimal
    >>> filter_to_data(ValueBetween(min=Decimal("1000.00")))
    {'value_between': {'min': '1000.00'}}
    >>> ValueBetween(min=1000.0)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: ValueBetween.min must be a decimal.Decimal (never a float), got 1000.0
    """

    _tag: ClassVar[str] = "value_between"

    min: Decimal | None = attrs.field(
        default=None,
        validator=validator(check_money_bound),
        metadata=meta(check_money_bound, load_decimal, dump_str),
    )
    max: Decimal | None = attrs.field(
        default=None,
        validator=validator(check_money_bound),
        metadata=meta(check_money_bound, load_decimal, dump_str),
    )

    def __attrs_post_init__(self) -> None:
        _check_range(self)

    def _test(self, facts: CustomerFacts, on: date) -> bool:
        rfv = facts.rfv
        if rfv is None:
            return False
        x, lo, hi = rfv.value, self.min, self.max
        return (lo is None or x >= lo) and (hi is None or x <= hi)


@attrs.frozen(kw_only=True)
class LastPurchaseBetween(Filter):
    """Última compra (last purchase): its local day is within ``start..end``, both included.

    JSON: ``{"last_purchase_between": {"start": "2026-01-01", "end": "2026-03-31"}}``;
    either bound may be left out. Without purchases it does not match.

    >>> from datetime import date
    >>> filter_to_data(LastPurchaseBetween(end=date(2025, 12, 31)))
    {'last_purchase_between': {'end': '2025-12-31'}}
    """

    _tag: ClassVar[str] = "last_purchase_between"

    start: date | None = attrs.field(
        default=None,
        validator=validator(check_date_bound),
        metadata=meta(check_date_bound, load_date, dump_date),
    )
    end: date | None = attrs.field(
        default=None,
        validator=validator(check_date_bound),
        metadata=meta(check_date_bound, load_date, dump_date),
    )

    def __attrs_post_init__(self) -> None:
        if self.start is None and self.end is None:
            raise ValidationError("LastPurchaseBetween", None, "needs start, end or both")
        if self.start is not None and self.end is not None and self.start > self.end:
            raise ValidationError(
                "LastPurchaseBetween.start", self.start, f"must be on or before end ({self.end})"
            )

    def _test(self, facts: CustomerFacts, on: date) -> bool:
        last = facts.last_purchase
        if last is None:
            return False
        lo, hi = self.start, self.end
        return (lo is None or last >= lo) and (hi is None or last <= hi)


# RFV segment ------------------------------------------------------------------------


@attrs.frozen
class SegmentIn(Filter):
    """RFV segment: the customer's segment key is one of ``segments``.

    JSON: ``{"segment_in": ["champions", "loyal_customers"]}``. Keys are the
    brand's grid keys (:class:`otocore.rfv.SegmentGrid`); only their shape is
    checked here; :func:`check_segments` (or ``parse_filter(..., grid=)``)
    checks them against a grid. Without an RFV score it does not match.

    >>> SegmentIn(["loyal_customers", "champions", "champions"])
    SegmentIn(segments=('champions', 'loyal_customers'))
    >>> SegmentIn(["Campeões"])
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: SegmentIn.segments[0] must be a segment key such as 'cant_lose' (a-z, 0-9, _; max 50), got 'Campeões'
    """

    _tag: ClassVar[str] = "segment_in"
    _shape: ClassVar[str] = "list"

    segments: tuple[str, ...] = attrs.field(
        converter=sorted_set,
        validator=validator(check_set(check_segment_key)),
        metadata=meta(check_set(check_segment_key), load_list(load_str), dump_list(dump_same)),
    )

    def _test(self, facts: CustomerFacts, on: date) -> bool:
        rfv = facts.rfv
        return rfv is not None and rfv.segment in self.segments


# customer record -----------------------------------------------------------------


def _anniversary(year: int, month: int, day: int) -> date:
    if month == 2 and day == 29 and not _is_leap(year):
        return date(year, 2, 28)
    return date(year, month, day)


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _shift(day: date, days: int) -> date:
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


@attrs.frozen(kw_only=True)
class BirthdayWithin(Filter):
    """Aniversariante: the customer's birthday falls in ``on - days_before .. on + days_after``.

    JSON: ``{"birthday_within": {"days_before": 0, "days_after": 7}}``; both
    default to 0 (birthday today) and are 0..366. The period is of local
    days, both ends included, and may cross the year end. The birthday in
    year ``y`` is the birth date's month and day in ``y``; for someone born
    on 29 February it is 28 February in common years.

    >>> from datetime import UTC, date, datetime
    >>> c = Customer(
    ...     customer_id="C1",
    ...     name="Ana",
    ...     registered_at=datetime(2025, 1, 1, tzinfo=UTC),
    ...     birth_date=date(1990, 1, 2),
    ... )
    >>> day = date(2025, 12, 28)
    >>> BirthdayWithin(days_after=6).matches(CustomerFacts.build(c, [], day), day)
    True
    """

    _tag: ClassVar[str] = "birthday_within"

    days_before: int = attrs.field(
        default=0,
        validator=validator(check_int(0, 366)),
        metadata=meta(check_int(0, 366), load_int, dump_same),
    )
    days_after: int = attrs.field(
        default=0,
        validator=validator(check_int(0, 366)),
        metadata=meta(check_int(0, 366), load_int, dump_same),
    )

    def _test(self, facts: CustomerFacts, on: date) -> bool:
        born = facts.customer.birth_date
        if born is None:
            return False
        start = _shift(on, -self.days_before)
        end = _shift(on, self.days_after)
        month, day = born.month, born.day
        for year in range(start.year, end.year + 1):
            if start <= _anniversary(year, month, day) <= end:
                return True
        return False


@attrs.frozen(kw_only=True)
class BirthdayInMonth(Filter):
    """Aniversariante do mês: the birth date's month is ``month``, or the month of ``on``.

    JSON: ``{"birthday_in_month": {"month": 12}}``, or
    ``{"birthday_in_month": {}}`` for "the month of the day the filter runs"
    (the "birthday of the month" campaign). Without a birth date it does not
    match.

    >>> from datetime import UTC, date, datetime
    >>> c = Customer(
    ...     customer_id="C1",
    ...     name="Ana",
    ...     registered_at=datetime(2025, 1, 1, tzinfo=UTC),
    ...     birth_date=date(1992, 2, 29),
    ... )
    >>> day = date(2027, 2, 1)
    >>> facts = CustomerFacts.build(c, [], day)
    >>> BirthdayInMonth().matches(facts, day), BirthdayInMonth(month=3).matches(facts, day)
    (True, False)
    """

    _tag: ClassVar[str] = "birthday_in_month"

    month: int | None = attrs.field(
        default=None,
        validator=validator(check_int(1, 12, optional=True)),
        metadata=meta(check_int(1, 12, optional=True), load_optional_int, dump_same),
    )

    def _test(self, facts: CustomerFacts, on: date) -> bool:
        born = facts.customer.birth_date
        if born is None:
            return False
        return born.month == (on.month if self.month is None else self.month)


@attrs.frozen(kw_only=True)
class NewCustomer(Filter):
    """Novos clientes: registered within the last ``days`` local days, ``on`` included.

    JSON: ``{"new_customer": {"days": 30}}``. Matches when the local day of
    ``registered_at`` is ``r`` with ``on - days < r <= on`` (30 days on
    2026-05-10: registered 2026-04-11 to 2026-05-10).

    >>> NewCustomer(days=0)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: NewCustomer.days must be >= 1, got 0
    """

    _tag: ClassVar[str] = "new_customer"

    days: int = attrs.field(
        validator=validator(check_int(1, 36600)),
        metadata=meta(check_int(1, 36600), load_int, dump_same),
    )

    def _test(self, facts: CustomerFacts, on: date) -> bool:
        return 0 <= (on - facts.registered_on).days < self.days


class RegistrationField(enum.Enum):
    """A field of the customer record that :class:`IncompleteRegistration` can require.

    The value is the :class:`~otocore.customers.Customer` attribute's name.

    >>> RegistrationField("birth_date").name
    'BIRTH_DATE'
    """

    CPF = "cpf"
    RG = "rg"
    BIRTH_DATE = "birth_date"
    EMAIL = "email"
    MOBILE = "mobile"
    SEX = "sex"
    MARITAL_STATUS = "marital_status"
    HOME_STORE_ID = "home_store_id"


DEFAULT_REQUIRED_FIELDS: tuple[RegistrationField, ...] = (
    RegistrationField.BIRTH_DATE,
    RegistrationField.CPF,
    RegistrationField.EMAIL,
    RegistrationField.MOBILE,
)
"""The fields a complete registration has by default: CPF, birth date, e-mail and mobile.

The seed's SAC desk corrects "data de nascimento, e-mail e número de celular"
and customers are searched by CPF. Sorted by value, as the filter stores them.
"""


@attrs.frozen(kw_only=True)
class IncompleteRegistration(Filter):
    """Cadastro incompleto: at least one of ``fields`` is missing from the customer record.

    JSON: ``{"incomplete_registration": {"fields": ["cpf", "email"]}}``, or
    ``{"incomplete_registration": {}}`` for :data:`DEFAULT_REQUIRED_FIELDS`
    (CPF, birth date, e-mail, mobile). The name and registration time are
    always present.

    >>> from datetime import UTC, date, datetime
    >>> c = Customer(customer_id="C1", name="Ana", registered_at=datetime(2025, 1, 1, tzinfo=UTC))
    >>> facts = CustomerFacts.build(c, [], date(2026, 5, 10))
    >>> IncompleteRegistration().matches(facts, date(2026, 5, 10))
    True
    >>> filter_to_data(IncompleteRegistration(fields=[RegistrationField.EMAIL]))
    {'incomplete_registration': {'fields': ['email']}}
    """

    _tag: ClassVar[str] = "incomplete_registration"

    fields: tuple[RegistrationField, ...] = attrs.field(
        default=DEFAULT_REQUIRED_FIELDS,
        converter=sorted_set,
        validator=validator(check_set(check_member(RegistrationField))),
        metadata=meta(
            check_set(check_member(RegistrationField)),
            load_list(load_enum(RegistrationField)),
            dump_list(dump_enum),
        ),
    )

    def _test(self, facts: CustomerFacts, on: date) -> bool:
        customer = facts.customer
        for field in self.fields:  # noqa: SIM110 - a loop is faster than any() here
            if getattr(customer, field.value) is None:
                return True
        return False


@attrs.frozen(kw_only=True)
class LoyaltyProgram(Filter):
    """Programa de fidelidade e categoria: member of ``program``, in one of ``categories``.

    JSON: ``{"loyalty_program": {"program": "Clube Brisa", "categories": ["Ouro"]}}``;
    leave ``categories`` out for any member of the program. Names are compared
    exactly (case and accents count). A member without a category matches
    only when ``categories`` is left out.

    >>> filter_to_data(LoyaltyProgram(program="Clube Brisa", categories=["Ouro", "Diamante"]))
    {'loyalty_program': {'program': 'Clube Brisa', 'categories': ['Diamante', 'Ouro']}}
    """

    _tag: ClassVar[str] = "loyalty_program"

    program: str = attrs.field(
        validator=validator(check_text), metadata=meta(check_text, load_str, dump_same)
    )
    categories: tuple[str, ...] | None = attrs.field(
        default=None,
        converter=sorted_set,
        validator=validator(check_set(check_text, optional=True)),
        metadata=meta(
            check_set(check_text, optional=True), load_optional_list(load_str), dump_list(dump_same)
        ),
    )

    def _test(self, facts: CustomerFacts, on: date) -> bool:
        loyalty = facts.customer.loyalty
        if loyalty is None or loyalty.program != self.program:
            return False
        return self.categories is None or loyalty.category in self.categories


@attrs.frozen
class StoreIn(Filter):
    """Loja (store): the customer's home store (``home_store_id``) is one of ``store_ids``.

    JSON: ``{"store_in": ["L01", "L02"]}``.

    >>> StoreIn(["L02", "L01"])
    StoreIn(store_ids=('L01', 'L02'))
    """

    _tag: ClassVar[str] = "store_in"
    _shape: ClassVar[str] = "list"

    store_ids: tuple[str, ...] = attrs.field(
        converter=sorted_set,
        validator=validator(check_set(check_text)),
        metadata=meta(check_set(check_text), load_list(load_str), dump_list(dump_same)),
    )

    def _test(self, facts: CustomerFacts, on: date) -> bool:
        return facts.customer.home_store_id in self.store_ids


@attrs.frozen
class SexIn(Filter):
    """Sexo: the customer's declared :class:`~otocore.customers.Sex` is one of ``sexes``.

    JSON: ``{"sex_in": ["female"]}``. "Não informado" (``None``) never
    matches; ``{"not": {"sex_in": ["female", "male", "other"]}}`` finds it.

    >>> SexIn(["female"])
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: SexIn.sexes[0] must be a Sex ('female', 'male', 'other'), got 'female'
    """

    _tag: ClassVar[str] = "sex_in"
    _shape: ClassVar[str] = "list"

    sexes: tuple[Sex, ...] = attrs.field(
        converter=sorted_set,
        validator=validator(check_set(check_member(Sex))),
        metadata=meta(
            check_set(check_member(Sex)), load_list(load_enum(Sex)), dump_list(dump_enum)
        ),
    )

    def _test(self, facts: CustomerFacts, on: date) -> bool:
        return facts.customer.sex in self.sexes


@attrs.frozen
class MaritalStatusIn(Filter):
    """Estado civil: the customer's :class:`~otocore.customers.MaritalStatus` is one of ``statuses``.

    JSON: ``{"marital_status_in": ["married", "stable_union"]}``.

    >>> filter_to_data(MaritalStatusIn([MaritalStatus.STABLE_UNION, MaritalStatus.MARRIED]))
    {'marital_status_in': ['married', 'stable_union']}
    """

    _tag: ClassVar[str] = "marital_status_in"
    _shape: ClassVar[str] = "list"

    statuses: tuple[MaritalStatus, ...] = attrs.field(
        converter=sorted_set,
        validator=validator(check_set(check_member(MaritalStatus))),
        metadata=meta(
            check_set(check_member(MaritalStatus)),
            load_list(load_enum(MaritalStatus)),
            dump_list(dump_enum),
        ),
    )

    def _test(self, facts: CustomerFacts, on: date) -> bool:
        return facts.customer.marital_status in self.statuses


# purchases ----------------------------------------------------------------------------


@attrs.frozen
class HasPurchases(Filter):
    """Somente clientes com compras: at least one purchase on or before ``on``.

    JSON: ``{"has_purchases": {}}``.

    >>> from datetime import UTC, date, datetime
    >>> c = Customer(customer_id="C1", name="Ana", registered_at=datetime(2025, 1, 1, tzinfo=UTC))
    >>> HasPurchases().matches(CustomerFacts.build(c, [], date(2026, 5, 10)), date(2026, 5, 10))
    False
    """

    _tag: ClassVar[str] = "has_purchases"

    def _test(self, facts: CustomerFacts, on: date) -> bool:
        return facts.purchases > 0


@attrs.frozen
class BoughtOnline(Filter):
    """Clientes loja online: at least one purchase with channel ``online``.

    JSON: ``{"bought_online": {}}``.

    >>> filter_to_data(BoughtOnline())
    {'bought_online': {}}
    """

    _tag: ClassVar[str] = "bought_online"

    def _test(self, facts: CustomerFacts, on: date) -> bool:
        return facts.bought_online


@attrs.frozen(kw_only=True)
class BoughtInNotIn(Filter):
    """Comprou em mês A e não comprou em mês B: a purchase in ``bought_in``, none in ``not_in``.

    JSON: ``{"bought_in_not_in": {"bought_in": "2025-12", "not_in": "2026-01"}}``.
    Months are calendar months of local days, written ``YYYY-MM``; in Python,
    ``(year, month)`` pairs. They must differ; either may come first.

    >>> BoughtInNotIn(bought_in=(2025, 12), not_in=(2026, 1))
    BoughtInNotIn(bought_in=(2025, 12), not_in=(2026, 1))
    >>> BoughtInNotIn(bought_in=(2025, 12), not_in=(2025, 12))
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: BoughtInNotIn.not_in must differ from bought_in, got (2025, 12)
    """

    _tag: ClassVar[str] = "bought_in_not_in"

    bought_in: tuple[int, int] = attrs.field(
        converter=to_tuple,
        validator=validator(check_month),
        metadata=meta(check_month, load_month, dump_month),
    )
    not_in: tuple[int, int] = attrs.field(
        converter=to_tuple,
        validator=validator(check_month),
        metadata=meta(check_month, load_month, dump_month),
    )

    def __attrs_post_init__(self) -> None:
        if self.bought_in == self.not_in:
            raise ValidationError("BoughtInNotIn.not_in", self.not_in, "must differ from bought_in")

    def _test(self, facts: CustomerFacts, on: date) -> bool:
        months = facts.purchase_months
        return self.bought_in in months and self.not_in not in months


@attrs.frozen
class PreferredStoreIn(Filter):
    """Loja preferida (últimos 12 meses): the preferred store is one of ``store_ids``.

    JSON: ``{"preferred_store_in": ["L01"]}``. The preferred store is the one
    with most (store, local day) visits over the 12 months ending on ``on``,
    ties to the latest visit, then the lowest store id (see
    :meth:`CustomerFacts.build`). Without a visit in those months it does
    not match.

    >>> filter_to_data(PreferredStoreIn(["L01"]))
    {'preferred_store_in': ['L01']}
    """

    _tag: ClassVar[str] = "preferred_store_in"
    _shape: ClassVar[str] = "list"

    store_ids: tuple[str, ...] = attrs.field(
        converter=sorted_set,
        validator=validator(check_set(check_text)),
        metadata=meta(check_set(check_text), load_list(load_str), dump_list(dump_same)),
    )

    def _test(self, facts: CustomerFacts, on: date) -> bool:
        return facts.preferred_store_id in self.store_ids


# consent ------------------------------------------------------------------------------


@attrs.frozen
class ConsentOn(Filter):
    """Opt-in: the customer has consent, on ``on``, on at least one of ``channels``.

    JSON: ``{"consent_on": ["whatsapp", "sms"]}``.

    >>> from otocore.consent import ContactChannel
    >>> filter_to_data(ConsentOn([ContactChannel.WHATSAPP]))
    {'consent_on': ['whatsapp']}
    """

    _tag: ClassVar[str] = "consent_on"
    _shape: ClassVar[str] = "list"

    channels: tuple[ContactChannel, ...] = attrs.field(
        converter=sorted_set,
        validator=validator(check_set(check_member(ContactChannel))),
        metadata=meta(
            check_set(check_member(ContactChannel)),
            load_list(load_enum(ContactChannel)),
            dump_list(dump_enum),
        ),
    )

    def _test(self, facts: CustomerFacts, on: date) -> bool:
        return not facts.consented.isdisjoint(self.channels)


# functions ----------------------------------------------------------------------------


def select(filter: Filter, facts: Iterable[CustomerFacts], on: date) -> list[str]:
    """Pesquisa (customer search): the ids of the customers that match ``filter`` on ``on``.

    Args:
        filter: the filter.
        facts: one :class:`CustomerFacts` per customer, built for ``on``
            (for a dict from :func:`facts_for_brand`, pass ``.values()``).
        on: the local day.

    Returns:
        The matching customer ids, sorted.

    Raises:
        ValidationError: a bad filter or facts, facts built for another day,
            or one customer given twice.

    >>> from datetime import UTC, date, datetime
    >>> when = datetime(2025, 1, 1, tzinfo=UTC)
    >>> people = [
    ...     Customer(customer_id="C2", name="Bia", registered_at=when, sex=Sex.FEMALE),
    ...     Customer(customer_id="C1", name="Caio", registered_at=when, sex=Sex.MALE),
    ...     Customer(customer_id="C3", name="Duda", registered_at=when, sex=Sex.FEMALE),
    ... ]
    >>> facts = facts_for_brand(people, [], date(2026, 5, 10))
    >>> select(SexIn([Sex.FEMALE]), facts.values(), date(2026, 5, 10))
    ['C2', 'C3']
    """
    if not isinstance(filter, Filter):
        raise ValidationError("filter", filter, "must be a filter (a node of otocore.filters)")
    v.require_date("on", on)
    if isinstance(facts, str | bytes | Mapping) or not isinstance(facts, Iterable):
        raise ValidationError(
            "facts", facts, "must be an iterable of CustomerFacts (for a dict, pass .values())"
        )
    seen: set[str] = set()
    found: list[str] = []
    test = filter._test
    for i, item in enumerate(facts):
        if not isinstance(item, CustomerFacts):
            raise ValidationError(f"facts[{i}]", item, "must be a CustomerFacts")
        if item.on != on:
            raise ValidationError(
                f"facts[{i}].on", item.on, f"must be the day of the search ({on})"
            )
        cid = item.customer.customer_id
        if cid in seen:
            raise ValidationError(f"facts[{i}].customer_id", cid, "must not repeat a customer")
        seen.add(cid)
        if test(item, on):
            found.append(cid)
    found.sort()
    return found


def parse_filter(data: Any, *, path: str = "filter", grid: SegmentGrid | None = None) -> Filter:
    """Read a filter from its JSON form (parsed JSON: dicts, lists, strings, numbers).

    Every fault is reported at once, each named by its JSON path from
    ``path`` (``audience.all[2].age_between.min``).

    Args:
        data: the JSON value.
        path: the name of the root in fault paths (``"$"`` when empty).
        grid: when given, every ``segment_in`` key must be a segment of it.

    Returns:
        The :class:`Filter`.

    Raises:
        ValidationError: the filter is malformed; ``errors`` lists every fault.

    >>> parse_filter({"not": {"segment_in": ["champions"]}})
    Not(filter=SegmentIn(segments=('champions',)))
    >>> from otocore.rfv import default_grid
    >>> parse_filter({"segment_in": ["champions", "vips"]}, path="audience", grid=default_grid())
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: audience.segment_in[1] must be a segment of the grid (about_to_sleep, at_risk, cant_lose, champions, hibernating, loyal_customers, need_attention, new_customers, potential_loyalists, promising), got 'vips'
    """
    from otocore._filters_json import parse

    if not isinstance(path, str):
        raise ValidationError("path", path, "must be a string")
    keys = _grid_keys(grid)
    node, faults = parse(data, keys)
    if faults:
        root = path or "$"
        raise ValidationError.collect([_rooted(root, e) for e in faults])
    assert node is not None  # noqa: S101 - no faults means a node
    return node


def _rooted(root: str, fault: ValidationError) -> ValidationError:
    rel = fault.field
    if rel.startswith(".") and root == "$":
        return ValidationError(rel[1:], fault.value, fault.rule)
    return ValidationError(root + rel, fault.value, fault.rule)


def _grid_keys(grid: Any) -> frozenset[str] | None:
    from otocore.rfv import SegmentGrid

    if grid is None:
        return None
    if not isinstance(grid, SegmentGrid):
        raise ValidationError("grid", grid, "must be an otocore.rfv.SegmentGrid or None")
    return frozenset(s.key for s in grid.segments)


def filter_to_data(filter: Filter) -> dict[str, Any]:
    """Write a filter in its JSON form (dicts, lists, strings and integers only).

    Sets are written sorted and optional parameters left out when unset, so
    the output is the same on every run and ``parse_filter`` reads it back
    to an equal filter.

    >>> filter_to_data(AnyOf([SegmentIn(["at_risk"]), DaysSinceLastPurchase.exactly(30)]))
    {'any': [{'segment_in': ['at_risk']}, {'days_since_last_purchase': {'min': 30, 'max': 30}}]}
    """
    from otocore._filters_json import dump

    if not isinstance(filter, Filter):
        raise ValidationError("filter", filter, "must be a filter (a node of otocore.filters)")
    return dump(filter)


def check_segments(filter: Filter, grid: SegmentGrid, *, path: str = "filter") -> None:
    """Check that every ``segment_in`` key of ``filter`` is a segment of ``grid``.

    Paths name positions in :func:`filter_to_data`'s output (keys sorted).

    Raises:
        ValidationError: every unknown key, each with its path.

    >>> from otocore.rfv import default_grid
    >>> check_segments(AllOf([SegmentIn(["champions"])]), default_grid())
    >>> check_segments(AllOf([Not(SegmentIn(["vip"]))]), default_grid())
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: filter.all[0].not.segment_in[0] must be a segment of the grid (about_to_sleep, at_risk, cant_lose, champions, hibernating, loyal_customers, need_attention, new_customers, potential_loyalists, promising), got 'vip'
    """
    from otocore._filters_json import parse

    if not isinstance(filter, Filter):
        raise ValidationError("filter", filter, "must be a filter (a node of otocore.filters)")
    keys = _grid_keys(grid)
    if keys is None:
        raise ValidationError("grid", grid, "must be an otocore.rfv.SegmentGrid")
    _, faults = parse(filter_to_data(filter), keys)
    if faults:
        root = path or "$"
        raise ValidationError.collect([_rooted(root, e) for e in faults])
