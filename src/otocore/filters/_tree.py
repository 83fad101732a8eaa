"""The filter base class and the combinators ``all``, ``any`` and ``not``. Private.

Every node is a frozen value whose ``matches(facts, on)`` reads one
customer's :class:`~otocore.filters.CustomerFacts`; a tree nests at most
:data:`MAX_DEPTH` levels.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

import attrs

from otocore import _validate as v
from otocore._validate import list_to_tuple
from otocore.errors import ValidationError
from otocore.filters._facts import CustomerFacts

MAX_DEPTH = 32
"""The deepest a filter tree may nest (a leaf alone has depth 1)."""


# the filter base ------------------------------------------------------------------


class Filter:
    """Filtro (filter): the base of every node of the filter language.

    The nodes are a closed set: :class:`AllOf`, :class:`AnyOf`, :class:`Not`
    and the predicates of this module. Every node is a frozen value with
    ``matches(facts, on)``; it serializes with :func:`filter_to_data` and is
    read back with :func:`parse_filter`.

    >>> from otocore.filters import HasPurchases
    >>> isinstance(HasPurchases(), Filter)
    True
    >>> Filter()
    Traceback (most recent call last):
    ...
    TypeError: Filter is abstract; use one of the nodes of otocore.filters
    """

    __slots__ = ()

    _tag: ClassVar[str] = ""
    #: How the node is written in JSON: ``"object"`` (its parameters by name) or
    #: ``"list"`` (its one set parameter as a bare list).
    _shape: ClassVar[str] = "object"

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

        >>> from otocore.filters import NewCustomer
        >>> from otocore.customers import Customer
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
    """The number of levels of the tree under ``root``, ``root`` included (a leaf: 1)."""
    levels = 0
    layer: list[Filter] = [root]
    while layer:
        levels += 1
        below: list[Filter] = []
        for node in layer:
            if isinstance(node, AllOf | AnyOf):
                below.extend(node.filters)
            elif isinstance(node, Not):
                below.append(node.filter)
        layer = below
    return levels


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

    >>> from otocore.filters import AgeBetween, SexIn, filter_to_data
    >>> from otocore.customers import Sex
    >>> f = AllOf([SexIn([Sex.FEMALE]), AgeBetween(min=18, max=30)])
    >>> filter_to_data(f)
    {'all': [{'sex_in': ['female']}, {'age_between': {'min': 18, 'max': 30}}]}
    >>> AllOf([{"sex_in": ["female"]}])
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: AllOf.filters[0] must be a filter (a node of otocore.filters), got {'sex_in': ['female']}
    """

    _tag: ClassVar[str] = "all"

    filters: tuple[Filter, ...] = attrs.field(converter=list_to_tuple, validator=_check_children)

    def _test(self, facts: CustomerFacts, on: date) -> bool:
        for child in self.filters:  # noqa: SIM110 - a loop is faster than all() here
            if not child._test(facts, on):
                return False
        return True


@attrs.frozen
class AnyOf(Filter):
    """``any``: matches when at least one child matches; ``AnyOf([])`` matches no one.

    JSON: ``{"any": [filter, ...]}``.

    >>> from otocore.filters import BoughtOnline, PreferredStoreIn, filter_to_data
    >>> f = AnyOf([BoughtOnline(), PreferredStoreIn(["L01"])])
    >>> filter_to_data(f)
    {'any': [{'bought_online': {}}, {'preferred_store_in': ['L01']}]}
    """

    _tag: ClassVar[str] = "any"

    filters: tuple[Filter, ...] = attrs.field(converter=list_to_tuple, validator=_check_children)

    def _test(self, facts: CustomerFacts, on: date) -> bool:
        for child in self.filters:  # noqa: SIM110 - a loop is faster than any() here
            if child._test(facts, on):
                return True
        return False


@attrs.frozen
class Not(Filter):
    """``not``: matches when its child does not.

    JSON: ``{"not": filter}``.

    >>> from otocore.filters import HasPurchases, filter_to_data
    >>> filter_to_data(Not(HasPurchases()))
    {'not': {'has_purchases': {}}}
    """

    _tag: ClassVar[str] = "not"

    filter: Filter = attrs.field(validator=_check_operand)

    def _test(self, facts: CustomerFacts, on: date) -> bool:
        return not self.filter._test(facts, on)
