"""The facts a filter reads about one customer on one local day. Private.

:class:`CustomerFacts` (one customer, checked) and :func:`facts_for_brand`
(a whole brand in one pass over the orders) share :func:`aggregate`, so the
two always agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import attrs

from otocore import _validate as v
from otocore._time import DEFAULT_TIME_ZONE
from otocore.consent import ContactChannel
from otocore.customers import Customer
from otocore.errors import ValidationError
from otocore.filters._aggregate import aggregate
from otocore.filters._fields import check_int, check_month
from otocore.orders import Order
from otocore.rfv import RfvScore

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


_check_flag = v.boolean_with_rule("must be a bool")


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


def _check_days(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    field = f"CustomerFacts.{attribute.name}"
    if not isinstance(value, frozenset):
        raise ValidationError(field, value, "must be a set of local days (datetime.date)")
    for day in sorted(value, key=repr):
        v.require_date(field, day)


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
        store_days: the visits (the registry's "dias de loja"): the local days
            of the purchases of channel STORE.
        purchase_days: the local days of the purchases (any channel), which the
            purchase frequency reads (:mod:`otocore.frequency`). Built facts
            always hold them; facts made by hand may leave them empty (the
            frequency filter then finds no class), and otherwise they must
            include the last purchase and the visits.

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
    store_days: frozenset[date] = attrs.field(
        default=frozenset(), converter=_to_frozenset, validator=_check_days
    )
    purchase_days: frozenset[date] = attrs.field(
        default=frozenset(), converter=_to_frozenset, validator=_check_days
    )

    def __attrs_post_init__(self) -> None:
        if self.last_purchase is None:
            if self.purchases:
                raise ValidationError(
                    "CustomerFacts.last_purchase", None, "is required when purchases > 0"
                )
            for name in (
                "purchase_months",
                "bought_online",
                "preferred_store_id",
                "store_days",
                "purchase_days",
            ):
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
        if self.store_days and max(self.store_days) > last:
            raise ValidationError(
                "CustomerFacts.store_days",
                max(self.store_days),
                f"must not be after the last purchase ({last})",
            )
        if (last.year, last.month) not in self.purchase_months:
            raise ValidationError(
                "CustomerFacts.purchase_months",
                self.purchase_months,
                f"must include the month of the last purchase ({last:%Y-%m})",
            )
        if self.purchase_days:
            self._check_purchase_days(last)

    def _check_purchase_days(self, last: date) -> None:
        days = self.purchase_days
        field = "CustomerFacts.purchase_days"
        if max(days) != last:
            raise ValidationError(field, max(days), f"must end on the last purchase ({last})")
        if len(days) > self.purchases:
            raise ValidationError(
                field, len(days), f"must not hold more days than purchases ({self.purchases})"
            )
        missing = sorted(self.store_days - days)
        if missing:
            raise ValidationError(field, missing[0], "must include every visit (store_days)")
        stray = sorted(d for d in days if (d.year, d.month) not in self.purchase_months)
        if stray:
            raise ValidationError(field, stray[0], "must fall in the purchase months")

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
        time_zone: str = DEFAULT_TIME_ZONE,
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
            store_days=frozenset() if tally is None else tally.store_days,
            purchase_days=frozenset() if tally is None else tally.purchase_days,
        )


def _channels(field: str, value: Any) -> frozenset[ContactChannel]:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise ValidationError(field, value, "must be a set of ContactChannel")
    out = frozenset(value)
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
    time_zone: str = DEFAULT_TIME_ZONE,
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
        if raw is None:
            channels = no_consent
        elif type(raw) is frozenset and raw in interned:  # a set already checked
            channels = interned[raw]
        else:
            channels = _channels(f"consents[{cid!r}]", raw)
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


_NO_MONTHS: frozenset[tuple[int, int]] = frozenset()
_NO_DAYS: frozenset[date] = frozenset()


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
    facts = _new(CustomerFacts)  # v.build_trusted, unrolled: one per customer of a brand
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
        _set(facts, "store_days", _NO_DAYS)
        _set(facts, "purchase_days", _NO_DAYS)
    else:
        _set(facts, "last_purchase", tally.last)
        _set(facts, "purchases", tally.count)
        _set(facts, "purchase_months", tally.months)
        _set(facts, "bought_online", tally.online)
        _set(facts, "preferred_store_id", tally.preferred_store)
        _set(facts, "store_days", tally.store_days)
        _set(facts, "purchase_days", tally.purchase_days)
    _set(facts, "consented", consented)
    return facts


_new = object.__new__
_set = object.__setattr__
