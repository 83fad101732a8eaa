"""The category services: add and remove customers, the customers of a filter, a customer's discount. Private."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import attrs

from otocore import _validate as v
from otocore._time import DEFAULT_TIME_ZONE
from otocore.categories import (
    CategoryDiscount,
    CategoryMembership,
    CustomerCategory,
    DiscountDecision,
    discount_for,
)
from otocore.consent import ConsentLedger, ConsentPolicy
from otocore.errors import NotFound, ValidationError
from otocore.filters import Filter, facts_for_brand, select
from otocore.repositories import UnitOfWork

MAX_NAMED = 20
"""How many unknown ids an :class:`UnknownCustomers` names (the rest are counted)."""


class UnknownCustomers(NotFound):
    """Customer ids that name no customer of the registry; nothing was written or sent.

    ``customer_ids`` holds every unknown id, sorted; the message names the
    first :data:`MAX_NAMED`.

    >>> err = UnknownCustomers(["C9", "C7"])
    >>> print(err)
    2 customer ids name no customer: 'C7', 'C9'; nothing was done
    >>> err.customer_ids, err.kind
    (('C7', 'C9'), 'Customer')
    """

    customer_ids: tuple[str, ...]

    def __init__(self, customer_ids: Iterable[str]) -> None:
        ids = tuple(sorted(set(customer_ids)))
        super().__init__("Customer", ids)
        self.customer_ids = ids
        named = ", ".join(repr(c) for c in ids[:MAX_NAMED])
        more = f" and {len(ids) - MAX_NAMED} more" if len(ids) > MAX_NAMED else ""
        noun = "customer id names" if len(ids) == 1 else "customer ids name"
        self.args = (f"{len(ids)} {noun} no customer: {named}{more}; nothing was done",)


@attrs.frozen
class CategoryChange:
    """What :func:`add_to_category` or :func:`remove_from_category` did.

    ``changed`` counts the customers added (or removed); ``unchanged`` those
    already in (or already out of) the category; ``members`` the category's
    size afterwards.

    >>> CategoryChange(category_id="VIP", changed=2, unchanged=1, members=5)
    CategoryChange(category_id='VIP', changed=2, unchanged=1, members=5)
    """

    category_id: str = attrs.field(validator=v.text(100))
    changed: int = attrs.field(validator=v.integer(min_value=0))
    unchanged: int = attrs.field(validator=v.integer(min_value=0))
    members: int = attrs.field(validator=v.integer(min_value=0))


def selection(customer_ids: Any) -> list[str]:
    """The distinct ids of a selection, in their first order; ValidationError naming a bad one.

    >>> selection(["C2", "C1", "C2"])
    ['C2', 'C1']
    >>> selection("C1")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: customer_ids must be an iterable of customer ids (a list, not one string), got 'C1'
    """
    items = v.require_iterable(
        "customer_ids",
        customer_ids,
        rule="must be an iterable of customer ids (a list, not one string)",
    )
    seen: dict[str, None] = {}
    for i, item in enumerate(items):
        seen.setdefault(v.require_text(f"customer_ids[{i}]", item, max_length=100), None)
    return list(seen)


def require_known(uow: UnitOfWork, customer_ids: Iterable[str]) -> None:
    """Raise :class:`UnknownCustomers` unless every id names a stored customer (inside a block)."""
    unknown = []
    for customer_id in customer_ids:
        try:
            uow.customers.get(customer_id)
        except NotFound:
            unknown.append(customer_id)
    if unknown:
        raise UnknownCustomers(unknown)


def add_to_category(
    uow: UnitOfWork, category_id: str, customer_ids: Iterable[str]
) -> CategoryChange:
    """Put a selection of customers in a category, all of them or none.

    An unaudited building block (no principal, nothing recorded): a person's act goes
    through :class:`~otocore.bulk.BulkService`, which authorizes and audits it.

    Every id must name a stored customer: otherwise :class:`UnknownCustomers`
    names the unknown ones and nothing is written. Customers already in the
    category stay (counted as ``unchanged``). ``customer_ids`` may come from
    a list, from :func:`customers_of_filter`, or from any search.

    Raises:
        NotFound: no such category.
        UnknownCustomers: ids that name no customer.
        ValidationError: a malformed id or selection.

    >>> from datetime import UTC, datetime
    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> from otocore.customers import Customer
    >>> uow = InMemoryUnitOfWork()
    >>> when = datetime(2026, 1, 1, tzinfo=UTC)
    >>> with uow:
    ...     uow.customers.add(Customer(customer_id="C1", name="Ana", registered_at=when))
    ...     uow.categories.save(CustomerCategory("VIP", "Clientes VIP", "#c0392b"))
    >>> add_to_category(uow, "VIP", ["C1", "C1"])
    CategoryChange(category_id='VIP', changed=1, unchanged=0, members=1)
    >>> try:
    ...     add_to_category(uow, "VIP", ["C1", "C8", "C9"])
    ... except UnknownCustomers as err:
    ...     print(err)
    2 customer ids name no customer: 'C8', 'C9'; nothing was done
    """
    ids = selection(customer_ids)
    with uow:
        return add_members(uow, category_id, ids)


def add_members(uow: UnitOfWork, category_id: str, ids: list[str]) -> CategoryChange:
    """:func:`add_to_category`'s work inside an open block (``ids`` from :func:`selection`)."""
    uow.categories.get(category_id)
    require_known(uow, ids)
    added = uow.categories.add_members(category_id, ids)
    members = uow.categories.count_members(category_id)
    return CategoryChange(
        category_id=category_id, changed=added, unchanged=len(ids) - added, members=members
    )


def remove_from_category(
    uow: UnitOfWork, category_id: str, customer_ids: Iterable[str]
) -> CategoryChange:
    """Take a selection of customers out of a category (ids not in it are ``unchanged``).

    An unaudited building block (no principal, nothing recorded): a person's act goes
    through :class:`~otocore.bulk.BulkService`, which authorizes and audits it.

    The customers stay in the registry: removing a customer from the database
    is the LGPD deletion, not this.

    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> uow = InMemoryUnitOfWork()
    >>> with uow:
    ...     uow.categories.save(CustomerCategory("VIP", "Clientes VIP", "#c0392b"))
    ...     uow.categories.add_members("VIP", ["C1", "C2"])
    2
    >>> remove_from_category(uow, "VIP", ["C2", "C3"])
    CategoryChange(category_id='VIP', changed=1, unchanged=1, members=1)
    """
    ids = selection(customer_ids)
    with uow:
        return remove_members(uow, category_id, ids)


def remove_members(uow: UnitOfWork, category_id: str, ids: list[str]) -> CategoryChange:
    """:func:`remove_from_category`'s work inside an open block (``ids`` from :func:`selection`)."""
    removed = uow.categories.remove_members(category_id, ids)
    members = uow.categories.count_members(category_id)
    return CategoryChange(
        category_id=category_id, changed=removed, unchanged=len(ids) - removed, members=members
    )


def set_category_discount(
    uow: UnitOfWork, category_id: str, discount: CategoryDiscount | None
) -> CustomerCategory:
    """Give a category an automatic discount (``None``: take it away); return the category saved.

    An unaudited building block (no principal, nothing recorded): a person's act goes
    through :class:`~otocore.bulk.BulkService`, which authorizes and audits it.

    >>> from decimal import Decimal
    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> uow = InMemoryUnitOfWork()
    >>> with uow:
    ...     uow.categories.save(CustomerCategory("VIP", "Clientes VIP", "#c0392b"))
    >>> set_category_discount(uow, "VIP", CategoryDiscount(Decimal("10"))).discount.percentage
    Decimal('10')
    """
    require_discount(discount)
    with uow:
        return save_discount(uow, category_id, discount)


def require_discount(discount: object) -> CategoryDiscount | None:
    """``discount`` if it is a :class:`~otocore.categories.CategoryDiscount` or ``None``, else ValidationError."""
    if discount is not None and not isinstance(discount, CategoryDiscount):
        raise ValidationError("discount", discount, "must be a CategoryDiscount or None")
    return discount


def save_discount(
    uow: UnitOfWork, category_id: str, discount: CategoryDiscount | None
) -> CustomerCategory:
    """:func:`set_category_discount`'s work inside an open block."""
    changed = attrs.evolve(uow.categories.get(category_id), discount=discount)
    uow.categories.save(changed)
    return changed


def category_discount(uow: UnitOfWork, customer_id: str, on: date) -> DiscountDecision:
    """:func:`otocore.categories.discount_for` of a stored customer, from the stored categories.

    Raises:
        NotFound: no such customer.

    >>> from datetime import UTC, date, datetime
    >>> from decimal import Decimal
    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> from otocore.customers import Customer
    >>> uow = InMemoryUnitOfWork()
    >>> with uow:
    ...     uow.customers.add(
    ...         Customer(
    ...             customer_id="C1", name="Ana", registered_at=datetime(2026, 1, 1, tzinfo=UTC)
    ...         )
    ...     )
    ...     uow.categories.save(
    ...         CustomerCategory(
    ...             "VIP", "Clientes VIP", "#c0392b", discount=CategoryDiscount(Decimal("10"))
    ...         )
    ...     )
    ...     uow.categories.add_members("VIP", ["C1"])
    1
    >>> category_discount(uow, "C1", date(2026, 5, 10)).detail
    "10% from category 'Clientes VIP' (VIP), the only category with a discount valid on 2026-05-10"
    """
    v.require_date("on", on)
    with uow:
        uow.customers.get(customer_id)
        mine = uow.categories.for_customer(customer_id)
    members = [CategoryMembership(c.category_id, customer_id) for c in mine]
    return discount_for(customer_id, on, categories=mine, memberships=members)


def customers_of_filter(
    uow: UnitOfWork,
    audience: Filter,
    on: date,
    *,
    consent_policy: ConsentPolicy | None = None,
    time_zone: str = DEFAULT_TIME_ZONE,
) -> list[str]:
    """Pesquisa (search): the ids of the stored customers an audience filter matches on ``on``.

    The facts are built as the daily suggestions build them: every stored
    customer and order, the latest RFV snapshot on or before ``on``, and each
    customer's consent on ``on`` under ``consent_policy``. This is the search
    of :mod:`otocore.filters` over the whole registry; the registry's own
    search (``otocore.registry``) gives ids the same way, and either feeds
    :func:`add_to_category` and :func:`send_bulk`.

    >>> from datetime import UTC, date, datetime
    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> from otocore.customers import Customer, Sex
    >>> from otocore.filters import SexIn
    >>> uow = InMemoryUnitOfWork()
    >>> when = datetime(2026, 1, 1, tzinfo=UTC)
    >>> with uow:
    ...     uow.customers.add(
    ...         Customer(customer_id="C1", name="Ana", registered_at=when, sex=Sex.FEMALE)
    ...     )
    ...     uow.customers.add(
    ...         Customer(customer_id="C2", name="Caio", registered_at=when, sex=Sex.MALE)
    ...     )
    >>> customers_of_filter(uow, SexIn([Sex.FEMALE]), date(2026, 5, 10))
    ['C1']
    """
    if not isinstance(audience, Filter):
        raise ValidationError("audience", audience, "must be a filter (a node of otocore.filters)")
    v.require_date("on", on)
    policy = ConsentPolicy() if consent_policy is None else consent_policy
    v.require_instance("consent_policy", policy, ConsentPolicy)
    with uow:
        customers = uow.customers.list()
        consent = ConsentLedger.from_events(uow.consent.iter_all(), policy=policy)
        snapshots = [d for d in uow.rfv.dates() if d <= on]
        scores = uow.rfv.get(max(snapshots)) if snapshots else {}
        facts = facts_for_brand(
            customers,
            uow.orders.iter_all(),
            on,
            rfv_scores=scores,
            consents={
                c.customer_id: consent.channels_granted(c.customer_id, on) for c in customers
            },
            time_zone=time_zone,
        )
    return select(audience, facts.values(), on)
