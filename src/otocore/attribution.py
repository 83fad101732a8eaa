"""Vendas a partir de contatos (sales from contacts): which order came from which contact.

Oto's help page for managers and campaigns shows, for each period, "Vendas atribuídas" and
"Receita atribuída" (attributed sales and revenue), and tells sellers: "Sempre que o
vendedor realizar uma venda, após o contato no Oto, é possível visualizá-la diretamente no
app." This module is the rule that decides which sale came "after a contact", and whose.

**The rule.** A completed order is attributed to one registered contact
(:class:`~otocore.contacts.Contact`) with the same customer that started *strictly before*
the order was placed and *no longer ago than the window* (``placed_at - started_at <=
window``, both instants, so exactly ``window_days * 24`` hours is still in), whatever the
order's channel; the contact's seller gets the sale. Among those contacts the policy's model
picks one: the latest (:attr:`AttributionModel.LAST_CONTACT`, the default) or the earliest
(:attr:`AttributionModel.FIRST_CONTACT`); two contacts that started at the same instant are
told apart by the lowest ``contact_id`` (code-point order). An order is attributed at most
once; a contact can earn several orders. An *online* order that carries a seller code (see
:func:`otocore.seller_codes.attribute_online_order`) is attributed only to a contact of
*that* seller: the code names the seller, the contact makes it a sale from a contact.
Orders that are not COMPLETED (cancelled) do not count: they are reported apart, with the
contact they would have had, so gross and net revenue can be shown side by side.

>>> from datetime import datetime
>>> from decimal import Decimal
>>> from zoneinfo import ZoneInfo
>>> from otocore.consent import ContactChannel
>>> from otocore.orders import Order
>>> SP = ZoneInfo("America/Sao_Paulo")
>>> def contact(contact_id, seller, day, hour):
...     at = datetime(2026, 5, day, hour, tzinfo=SP)
...     return Contact(
...         contact_id=contact_id,
...         seller_code=seller,
...         customer_id="ANA",
...         channel=ContactChannel.WHATSAPP,
...         started_at=at,
...         finished_at=at,
...         in_portfolio=True,
...     )
>>> contacts = [contact("A1", "V01", 2, 10), contact("A2", "V02", 4, 10)]
>>> order = Order(
...     order_id="P1",
...     customer_id="ANA",
...     store_id="L01",
...     seller_code="V01",
...     placed_at=datetime(2026, 5, 8, 15, tzinfo=SP),
...     total=Decimal("199.90"),
... )
>>> [
...     (a.order_id, a.contact_id, a.seller_code, a.total)
...     for a in attribute([order], contacts).attributed
... ]
[('P1', 'A2', 'V02', Decimal('199.90'))]
>>> first = AttributionPolicy(model=AttributionModel.FIRST_CONTACT)
>>> [a.contact_id for a in attribute([order], contacts, policy=first).attributed]
['A1']
>>> [
...     (u.order.order_id, u.reason.value)
...     for u in attribute([order], contacts, policy=AttributionPolicy(window_days=3)).unattributed
... ]
[('P1', 'no_contact_in_window')]

A bad policy or input is a :class:`~otocore.errors.ValidationError`:

>>> AttributionPolicy(window_days=0)
Traceback (most recent call last):
...
otocore.errors.ValidationError: AttributionPolicy.window_days must be >= 1, got 0
>>> attribute([order, order], contacts)
Traceback (most recent call last):
...
otocore.errors.ValidationError: orders[1].order_id must be unique; the same order was given twice, got 'P1'
"""

from __future__ import annotations

import bisect
import enum
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs

from otocore import _validate as v
from otocore._time import DEFAULT_TIME_ZONE, local_day
from otocore.contacts import Contact
from otocore.errors import ValidationError
from otocore.orders import Channel, Order, OrderStatus

__all__ = [
    "MAX_WINDOW_DAYS",
    "Attribution",
    "AttributionModel",
    "AttributionPolicy",
    "AttributionResult",
    "NotAttributedReason",
    "Unattributed",
    "attribute",
]

MAX_WINDOW_DAYS = 365
"""The longest attribution window a brand may choose, in days."""


class AttributionModel(enum.Enum):
    """Modelo de atribuição (attribution model): which contact in the window gets the sale.

    * ``LAST_CONTACT`` (default): the latest contact that started before the
      order (the conversation that closed the sale).
    * ``FIRST_CONTACT``: the earliest contact in the window (the conversation
      that opened it).

    Either way, contacts that started at the same instant are told apart by
    the lowest ``contact_id``.

    >>> AttributionModel("first_contact")
    <AttributionModel.FIRST_CONTACT: 'first_contact'>
    """

    LAST_CONTACT = "last_contact"
    FIRST_CONTACT = "first_contact"


@attrs.frozen(kw_only=True)
class AttributionPolicy:
    """Política de atribuição (attribution policy) of a brand.

    Attributes:
        window_days: the attribution window, whole days from 1 to
            :data:`MAX_WINDOW_DAYS` (default 7). It is elapsed time:
            ``window_days * 24`` hours between the contact's start and the
            order, whatever the time zone, the local day or a daylight-saving
            change.
        model: the :class:`AttributionModel` (default ``LAST_CONTACT``).

    >>> AttributionPolicy()
    AttributionPolicy(window_days=7, model=<AttributionModel.LAST_CONTACT: 'last_contact'>)
    >>> AttributionPolicy(window_days=30).window
    datetime.timedelta(days=30)
    >>> AttributionPolicy(window_days=366)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: AttributionPolicy.window_days must be <= 365, got 366
    >>> AttributionPolicy(model="last_contact")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: AttributionPolicy.model must be a AttributionModel ('last_contact', 'first_contact'), got 'last_contact'
    """

    window_days: int = attrs.field(
        default=7, validator=v.integer(min_value=1, max_value=MAX_WINDOW_DAYS)
    )
    model: AttributionModel = attrs.field(
        default=AttributionModel.LAST_CONTACT, validator=v.member_of(AttributionModel)
    )

    @property
    def window(self) -> timedelta:
        """The window as a :class:`~datetime.timedelta` of ``window_days`` days."""
        return timedelta(days=self.window_days)


class NotAttributedReason(enum.Enum):
    """Why an order was not attributed to any contact.

    * ``NO_CONTACT_IN_WINDOW``: no registered contact with the customer started
      before the order and within the window.
    * ``SELLER_CODE_WITHOUT_CONTACT``: an online order carrying a seller code;
      other sellers contacted the customer within the window, but not the
      seller the code names (the code decides whose sale it is).

    >>> NotAttributedReason("seller_code_without_contact")
    <NotAttributedReason.SELLER_CODE_WITHOUT_CONTACT: 'seller_code_without_contact'>
    """

    NO_CONTACT_IN_WINDOW = "no_contact_in_window"
    SELLER_CODE_WITHOUT_CONTACT = "seller_code_without_contact"


def _before_order(instance: Any, attribute: attrs.Attribute[Any], value: datetime) -> None:
    if not value < instance.placed_at:
        raise ValidationError(
            v.field_name(instance, attribute),
            value,
            f"must be before the order's placed_at ({instance.placed_at.isoformat()})",
        )


@attrs.frozen(kw_only=True)
class Attribution:
    """Venda atribuída (an attributed sale): one order and the contact that earned it.

    Not :class:`otocore.seller_codes.Attribution`, the record of how an online
    order's seller code was checked when the order arrived.

    Attributes:
        order_id: the order.
        customer_id: the customer of both the order and the contact.
        store_id: the order's store (the store the sale belongs to).
        channel: the order's :class:`~otocore.orders.Channel`.
        placed_at: when the order was placed (UTC).
        total: the order's total, ``Decimal`` with 2 places.
        status: the order's :class:`~otocore.orders.OrderStatus`: COMPLETED in
            :attr:`AttributionResult.attributed`, CANCELLED in
            :attr:`AttributionResult.cancelled`.
        contact_id: the contact that earned the order.
        seller_code: the contact's seller, who gets the sale.
        contact_started_at: when that contact started (UTC), strictly before
            ``placed_at``.

    >>> from datetime import UTC
    >>> sale = Attribution(
    ...     order_id="P1",
    ...     customer_id="ANA",
    ...     store_id="L01",
    ...     channel=Channel.STORE,
    ...     placed_at=datetime(2026, 5, 11, 2, 59, tzinfo=UTC),
    ...     total=Decimal("10.00"),
    ...     status=OrderStatus.COMPLETED,
    ...     contact_id="A1",
    ...     seller_code="V01",
    ...     contact_started_at=datetime(2026, 5, 4, 2, 59, tzinfo=UTC),
    ... )
    >>> sale.elapsed, sale.contact_day(), sale.purchase_day()
    (datetime.timedelta(days=7), datetime.date(2026, 5, 3), datetime.date(2026, 5, 10))
    >>> attrs.evolve(sale, contact_started_at=sale.placed_at)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: Attribution.contact_started_at must be before the order's placed_at (2026-05-11T02:59:00+00:00), got datetime.datetime(2026, 5, 11, 2, 59, tzinfo=datetime.timezone.utc)
    """

    order_id: str = attrs.field(validator=v.text(100))
    customer_id: str = attrs.field(validator=v.text(100))
    store_id: str = attrs.field(validator=v.text(100))
    channel: Channel = attrs.field(validator=v.member_of(Channel))
    placed_at: datetime = attrs.field(converter=v.instant)  # type: ignore[misc]
    total: Decimal = attrs.field(validator=v.money)
    status: OrderStatus = attrs.field(validator=v.member_of(OrderStatus))
    contact_id: str = attrs.field(validator=v.text(100))
    seller_code: str = attrs.field(validator=v.text(100))
    contact_started_at: datetime = attrs.field(
        converter=v.instant,  # type: ignore[misc]
        validator=_before_order,
    )

    @property
    def elapsed(self) -> timedelta:
        """How long after the contact started the order was placed (always positive)."""
        return self.placed_at - self.contact_started_at

    def contact_day(self, *, time_zone: str = DEFAULT_TIME_ZONE) -> date:
        """O dia do contato: the local day (in ``time_zone``) the contact started on.

        >>> from datetime import UTC
        >>> late = Attribution(
        ...     order_id="P1",
        ...     customer_id="C",
        ...     store_id="L",
        ...     channel=Channel.ONLINE,
        ...     placed_at=datetime(2026, 5, 11, 12, tzinfo=UTC),
        ...     total=Decimal("1.00"),
        ...     status=OrderStatus.COMPLETED,
        ...     contact_id="A",
        ...     seller_code="V",
        ...     contact_started_at=datetime(2026, 5, 11, 2, 59, tzinfo=UTC),
        ... )
        >>> late.contact_day(), late.contact_day(time_zone="UTC")
        (datetime.date(2026, 5, 10), datetime.date(2026, 5, 11))
        """
        return local_day(self.contact_started_at, v.zone("time_zone", time_zone))

    def purchase_day(self, *, time_zone: str = DEFAULT_TIME_ZONE) -> date:
        """O dia da compra: the local day (in ``time_zone``) the order was placed on.

        >>> from datetime import UTC
        >>> Attribution(
        ...     order_id="P1",
        ...     customer_id="C",
        ...     store_id="L",
        ...     channel=Channel.ONLINE,
        ...     placed_at=datetime(2026, 5, 11, 2, 0, tzinfo=UTC),
        ...     total=Decimal("1.00"),
        ...     status=OrderStatus.COMPLETED,
        ...     contact_id="A",
        ...     seller_code="V",
        ...     contact_started_at=datetime(2026, 5, 10, 12, tzinfo=UTC),
        ... ).purchase_day()
        datetime.date(2026, 5, 10)
        """
        return local_day(self.placed_at, v.zone("time_zone", time_zone))


@attrs.frozen(kw_only=True)
class Unattributed:
    """An order no contact earned, and why.

    Attributes:
        order: the order as given (any status).
        reason: the :class:`NotAttributedReason`.

    >>> from datetime import UTC
    >>> lone = Order(
    ...     order_id="P9",
    ...     customer_id="BIA",
    ...     store_id="L01",
    ...     seller_code=None,
    ...     placed_at=datetime(2026, 5, 1, tzinfo=UTC),
    ...     total=Decimal("5.00"),
    ... )
    >>> Unattributed(order=lone, reason=NotAttributedReason.NO_CONTACT_IN_WINDOW).reason.value
    'no_contact_in_window'
    """

    order: Order = attrs.field(validator=v.instance_of(Order))
    reason: NotAttributedReason = attrs.field(validator=v.member_of(NotAttributedReason))


def _tuple_of(cls: type) -> Any:
    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        field = v.field_name(instance, attribute)
        if not isinstance(value, tuple):
            raise ValidationError(field, value, f"must be a tuple of {cls.__name__}")
        for i, item in enumerate(value):
            if not isinstance(item, cls):
                raise ValidationError(f"{field}[{i}]", item, f"must be {v.a_or_an(cls.__name__)}")

    return check


@attrs.frozen(kw_only=True)
class AttributionResult:
    """What :func:`attribute` found: every order given lands in exactly one of three tuples.

    Attributes:
        policy: the :class:`AttributionPolicy` applied.
        attributed: the attributed sales: COMPLETED orders, each with the
            contact that earned it, sorted by ``placed_at`` then ``order_id``.
            These are the sales that count.
        cancelled: orders that are not COMPLETED (cancelled) but had a contact
            in the window: the :class:`Attribution` they would have had, same
            order. They do not count; they are kept so gross and net revenue
            can be shown side by side.
        unattributed: every order (any status) with no contact for it, as an
            :class:`Unattributed` with the reason, same order.

    >>> AttributionResult(policy=AttributionPolicy(), attributed=(), cancelled=(), unattributed=())
    AttributionResult(policy=AttributionPolicy(window_days=7, model=<AttributionModel.LAST_CONTACT: 'last_contact'>), attributed=(), cancelled=(), unattributed=())
    """

    policy: AttributionPolicy = attrs.field(validator=v.instance_of(AttributionPolicy))
    attributed: tuple[Attribution, ...] = attrs.field(
        converter=v.list_to_tuple, validator=_tuple_of(Attribution)
    )
    cancelled: tuple[Attribution, ...] = attrs.field(
        converter=v.list_to_tuple, validator=_tuple_of(Attribution)
    )
    unattributed: tuple[Unattributed, ...] = attrs.field(
        converter=v.list_to_tuple, validator=_tuple_of(Unattributed)
    )

    @property
    def revenue(self) -> Decimal:
        """The sum of the attributed (COMPLETED) orders' totals: the revenue that still stands.

        :mod:`otocore.results` shows it as "Receita gerando saldo" (net), beside "Receita
        atribuída" (gross), which adds the totals of :attr:`cancelled`.

        >>> AttributionResult(
        ...     policy=AttributionPolicy(), attributed=(), cancelled=(), unattributed=()
        ... ).revenue
        Decimal('0.00')
        """
        return sum((a.total for a in self.attributed), Decimal("0.00"))


_DEFAULT_POLICY = AttributionPolicy()


def attribute(
    orders: Iterable[Order],
    contacts: Iterable[Contact],
    *,
    policy: AttributionPolicy = _DEFAULT_POLICY,
) -> AttributionResult:
    """Attribute each order to the contact that earned it (module docstring: the rule).

    For each order, the candidates are the contacts with the order's
    customer whose ``started_at`` satisfies ``placed_at - window <= started_at
    < placed_at``; for an ONLINE order with a ``seller_code``, only that
    seller's contacts. ``LAST_CONTACT`` picks the latest ``started_at``,
    ``FIRST_CONTACT`` the earliest; a tie on the instant goes to the lowest
    ``contact_id``. Each order is decided on its own, so the result does not
    depend on the order of the inputs, and other orders never take a contact
    away.

    Args:
        orders: the brand's orders (``order_id`` unique).
        contacts: the registered contacts (``contact_id`` unique), any
            outcome: a dismissed suggestion's contact was registered too.
        policy: the brand's :class:`AttributionPolicy`.

    Returns:
        An :class:`AttributionResult`.

    Raises:
        ValidationError: ``policy`` is not an AttributionPolicy, an item is not
            an Order / a Contact, or an ``order_id`` / ``contact_id`` repeats.

    Examples:
        The window's edges, with a contact at 10:00 on 1 May (São Paulo):

        >>> from datetime import datetime, timedelta
        >>> from decimal import Decimal
        >>> from zoneinfo import ZoneInfo
        >>> from otocore.consent import ContactChannel
        >>> at = datetime(2026, 5, 1, 10, tzinfo=ZoneInfo("America/Sao_Paulo"))
        >>> talk = Contact(
        ...     contact_id="A1",
        ...     seller_code="V01",
        ...     customer_id="ANA",
        ...     channel=ContactChannel.WHATSAPP,
        ...     started_at=at,
        ...     finished_at=at,
        ...     in_portfolio=True,
        ... )
        >>> def sale(order_id, when):
        ...     return Order(
        ...         order_id=order_id,
        ...         customer_id="ANA",
        ...         store_id="L01",
        ...         seller_code=None,
        ...         placed_at=when,
        ...         total=Decimal("50.00"),
        ...     )
        >>> result = attribute(
        ...     [
        ...         sale("before", at - timedelta(seconds=1)),
        ...         sale("same-instant", at),
        ...         sale("end-of-window", at + timedelta(days=7)),
        ...         sale("one-second-late", at + timedelta(days=7, seconds=1)),
        ...     ],
        ...     [talk],
        ... )
        >>> [a.order_id for a in result.attributed]
        ['end-of-window']
        >>> [u.order.order_id for u in result.unattributed]
        ['before', 'same-instant', 'one-second-late']
        >>> attribute([], [talk], policy=None)
        Traceback (most recent call last):
        ...
        otocore.errors.ValidationError: policy must be an AttributionPolicy, got None
    """
    policy = v.require_instance("policy", policy, AttributionPolicy)
    listed = _unique("orders", list(v.iter_instances("orders", orders, Order)), "order_id")
    talks = _unique("contacts", list(v.iter_instances("contacts", contacts, Contact)), "contact_id")
    by_customer = _index(talks)
    window = policy.window
    attributed: list[Attribution] = []
    cancelled: list[Attribution] = []
    unattributed: list[Unattributed] = []
    for order in sorted(listed, key=_order_key):
        winner = _pick(order, by_customer.get(order.customer_id), window, policy.model)
        if isinstance(winner, NotAttributedReason):
            unattributed.append(Unattributed(order=order, reason=winner))
            continue
        credit = Attribution(
            order_id=order.order_id,
            customer_id=order.customer_id,
            store_id=order.store_id,
            channel=order.channel,
            placed_at=order.placed_at,
            total=order.total,
            status=order.status,
            contact_id=winner.contact_id,
            seller_code=winner.seller_code,
            contact_started_at=winner.started_at,
        )
        (attributed if order.status is OrderStatus.COMPLETED else cancelled).append(credit)
    return AttributionResult(
        policy=policy,
        attributed=tuple(attributed),
        cancelled=tuple(cancelled),
        unattributed=tuple(unattributed),
    )


# private helpers ---------------------------------------------------------------------


def _order_key(order: Order) -> tuple[datetime, str]:
    return order.placed_at, order.order_id


def _unique(field: str, items: list[Any], key: str) -> list[Any]:
    seen: set[str] = set()
    kind = "order" if key == "order_id" else "contact"
    for i, item in enumerate(items):
        value = getattr(item, key)
        if value in seen:
            raise ValidationError(
                f"{field}[{i}].{key}", value, f"must be unique; the same {kind} was given twice"
            )
        seen.add(value)
    return items


class _Contacts:
    """One customer's contacts sorted by (started_at, contact_id), with their instants apart."""

    __slots__ = ("contacts", "starts")

    def __init__(self, contacts: list[Contact]) -> None:
        contacts.sort(key=lambda c: (c.started_at, c.contact_id))
        self.contacts: Sequence[Contact] = contacts
        self.starts: Sequence[datetime] = [c.started_at for c in contacts]


def _index(contacts: list[Contact]) -> dict[str, _Contacts]:
    grouped: dict[str, list[Contact]] = defaultdict(list)
    for contact in contacts:
        grouped[contact.customer_id].append(contact)
    return {customer: _Contacts(found) for customer, found in grouped.items()}


def _pick(
    order: Order, found: _Contacts | None, window: timedelta, model: AttributionModel
) -> Contact | NotAttributedReason:
    """The contact that earns ``order``, or why none does."""
    if found is None:
        return NotAttributedReason.NO_CONTACT_IN_WINDOW
    placed = order.placed_at
    low = bisect.bisect_left(found.starts, placed - window)  # started_at >= placed - window
    high = bisect.bisect_left(found.starts, placed)  # started_at < placed
    candidates = found.contacts[low:high]
    if not candidates:
        return NotAttributedReason.NO_CONTACT_IN_WINDOW
    code = order.seller_code
    if order.channel is Channel.ONLINE and code is not None:
        candidates = [c for c in candidates if c.seller_code == code]
        if not candidates:
            return NotAttributedReason.SELLER_CODE_WITHOUT_CONTACT
    # sorted by (started_at, contact_id): FIRST_CONTACT's winner is the first candidate,
    # LAST_CONTACT's the first of those that share the last instant.
    if model is AttributionModel.FIRST_CONTACT:
        return candidates[0]
    last = candidates[-1].started_at
    return candidates[bisect.bisect_left([c.started_at for c in candidates], last)]
