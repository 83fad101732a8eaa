"""Filters over a whole brand at once: one boolean per customer, as Polars Series. Private.

:func:`matches_many` answers ``node.matches(facts[i], on)`` for every ``i``
and every node, equal to asking one customer at a time, at a fraction of the
cost: a predicate reads one fact of the customer (a birth date, a last
purchase, an RFV segment...), and a brand has few distinct values of it. So
each fact is read once for all customers and encoded as a small integer per
customer; the predicate runs once per distinct value, on a customer who has
that value, through the node's own test (so the rule is never written twice);
Polars spreads the answers to every customer and combines ``all``, ``any`` and
``not`` column-wise. A node whose fact is not listed in :data:`_READS` (or
whose values cannot be hashed) is asked customer by customer.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from operator import attrgetter
from typing import Any

import polars as pl

from otocore.filters._facts import CustomerFacts
from otocore.filters._predicates import (
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
    LastPurchaseBetween,
    LoyaltyProgram,
    MaritalStatusIn,
    NewCustomer,
    PreferredStoreIn,
    PurchaseFrequencyIn,
    RecencyBetween,
    RScoreBetween,
    SegmentIn,
    SexIn,
    StoreIn,
    StoreVisitsBetween,
    ValueBetween,
    VScoreBetween,
)
from otocore.filters._tree import AllOf, AnyOf, Filter, Not

# The one fact each predicate's test reads besides the day: (where, attribute).
# "rfv" is an attribute of the RFV score (None without a score: every RFV
# predicate is False then), "customer" of the customer record, "facts" of the
# CustomerFacts. tests/property/test_filters_batch.py checks every node against
# its own test.
_READS: dict[type[Filter], tuple[str, str]] = {
    RScoreBetween: ("rfv", "r"),
    FScoreBetween: ("rfv", "f"),
    VScoreBetween: ("rfv", "v"),
    RecencyBetween: ("rfv", "recency_days"),
    FrequencyBetween: ("rfv", "frequency"),
    ValueBetween: ("rfv", "value"),
    SegmentIn: ("rfv", "segment"),
    AgeBetween: ("customer", "birth_date"),
    BirthdayWithin: ("customer", "birth_date"),
    BirthdayInMonth: ("customer", "birth_date"),
    LoyaltyProgram: ("customer", "loyalty"),
    StoreIn: ("customer", "home_store_id"),
    SexIn: ("customer", "sex"),
    MaritalStatusIn: ("customer", "marital_status"),
    DaysSinceLastPurchase: ("facts", "last_purchase"),
    LastPurchaseBetween: ("facts", "last_purchase"),
    NewCustomer: ("facts", "registered_on"),
    HasPurchases: ("facts", "purchases"),
    BoughtOnline: ("facts", "bought_online"),
    BoughtInNotIn: ("facts", "purchase_months"),
    PreferredStoreIn: ("facts", "preferred_store_id"),
    ConsentOn: ("facts", "consented"),
    StoreVisitsBetween: ("facts", "store_days"),
    PurchaseFrequencyIn: ("facts", "purchase_days"),
}


def matches_many(
    filters: Sequence[Filter], facts: Sequence[CustomerFacts], on: date
) -> list[pl.Series]:
    """For each filter, a Boolean Series whose ``i``-th value is ``filter.matches(facts[i], on)``.

    The caller has checked that every item of ``facts`` is a
    :class:`CustomerFacts` built for ``on`` (``matches`` would raise
    otherwise). Equal filters (and shared sub-trees) are evaluated once.

    >>> from datetime import UTC, date, datetime
    >>> from otocore.customers import Customer, Sex
    >>> from otocore.filters import facts_for_brand
    >>> when = datetime(2025, 1, 1, tzinfo=UTC)
    >>> people = [
    ...     Customer(customer_id="C1", name="Bia", registered_at=when, sex=Sex.FEMALE),
    ...     Customer(customer_id="C2", name="Caio", registered_at=when, sex=Sex.MALE),
    ... ]
    >>> day = date(2026, 5, 10)
    >>> facts = list(facts_for_brand(people, [], day).values())
    >>> [m.to_list() for m in matches_many([SexIn([Sex.FEMALE]), Not(HasPurchases())], facts, day)]
    [[True, False], [True, True]]
    """
    batch = _Batch(facts, on)
    return [batch.mask(node) for node in filters]


class _Batch:
    """The facts of many customers on one day, with each fact encoded once."""

    def __init__(self, facts: Sequence[CustomerFacts], on: date) -> None:
        self.facts = facts
        self.on = on
        self.size = len(facts)
        self._bases: dict[str, list[Any]] = {}
        self._codes: dict[tuple[str, str], tuple[pl.Series, list[CustomerFacts]] | None] = {}
        self._masks: dict[Filter, pl.Series] = {}

    def mask(self, node: Filter) -> pl.Series:
        try:
            found = self._masks.get(node)
        except TypeError:  # a node holding an unhashable value: not remembered
            return self._evaluate(node)
        if found is None:
            found = self._masks[node] = self._evaluate(node)
        return found

    def _evaluate(self, node: Filter) -> pl.Series:
        kind = type(node)
        if kind is AllOf or kind is AnyOf:
            children: tuple[Filter, ...] = node.filters  # type: ignore[attr-defined]
            if not children:
                return self._constant(kind is AllOf)
            masks = [self.mask(child) for child in children]
            out = masks[0]
            for more in masks[1:]:
                out = (out & more) if kind is AllOf else (out | more)
            return out
        if kind is Not:
            return ~self.mask(node.filter)  # type: ignore[attr-defined]
        reads = _READS.get(kind)
        encoded = None if reads is None else self._encoded(reads)
        test = node._test
        on = self.on
        if encoded is None:  # customer by customer
            return pl.Series([test(f, on) for f in self.facts], dtype=pl.Boolean)
        codes, holders = encoded
        return pl.Series([test(f, on) for f in holders], dtype=pl.Boolean).gather(codes)

    def _constant(self, value: bool) -> pl.Series:
        return pl.Series([value], dtype=pl.Boolean).gather(
            pl.Series([0] * self.size, dtype=pl.UInt32)
        )

    def _encoded(self, reads: tuple[str, str]) -> tuple[pl.Series, list[CustomerFacts]] | None:
        """Per customer, the number of their value of the fact; per number, a customer who has it."""
        if reads in self._codes:
            return self._codes[reads]
        where, name = reads
        keys = self._keys(where, name)
        try:
            holders = dict(zip(keys, self.facts, strict=True))  # the last customer with each value
        except TypeError:  # an unhashable value
            self._codes[reads] = None
            return None
        number = {key: i for i, key in enumerate(holders)}
        codes = pl.Series(list(map(number.__getitem__, keys)), dtype=pl.UInt32)
        found = self._codes[reads] = (codes, list(holders.values()))
        return found

    def _keys(self, where: str, name: str) -> list[Any]:
        if where == "facts":
            return list(map(attrgetter(name), self.facts))
        base = self._base(where)
        return list(map(attrgetter(name), base))

    def _base(self, where: str) -> list[Any]:
        found = self._bases.get(where)
        if found is None:
            found = list(map(attrgetter(where), self.facts))
            if where == "rfv":  # no score: every attribute None (and every RFV test False)
                found = [_NO_SCORE if score is None else score for score in found]
            self._bases[where] = found
        return found


class _NoScore:
    """Stands for a missing RFV score when reading an attribute of everyone's score at once.

    Every attribute of a score that :data:`_READS` names is None here.
    """

    __slots__ = ()
    r = f = v = recency_days = frequency = value = segment = None


_NO_SCORE = _NoScore()
