"""Pesquisa (customer search): evaluate a filter over many customers. Private."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from otocore import _validate as v
from otocore.errors import ValidationError
from otocore.filters._facts import CustomerFacts
from otocore.filters._tree import Filter


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

    >>> from otocore.filters import SexIn, facts_for_brand
    >>> from otocore.customers import Customer, Sex
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
