"""Categorias de clientes (customer categories) and their automatic discount.

Altegio's customer database help page: "você pode conceder descontos
automaticamente aos clientes e adicionar clientes a determinadas categorias";
a category is created by typing "o nome" and choosing "a cor". otocore lets a
category carry the automatic discount, so a customer's discount follows from
the categories they are in.
Reshop's customer module help page filters the dashboard by "Categoria".

A :class:`CustomerCategory` has an id, a name, a colour (``#rrggbb``) and an
optional :class:`CategoryDiscount`: a percentage ``0 < p <= 100`` with at most
2 decimal places, valid from ``first_day`` to ``last_day`` (local days, both
included; either may be open). A :class:`CategoryMembership` says a customer
is in a category.

**The rule, exactly.** :func:`discount_for` answers which automatic discount a
customer gets on the local day ``on``. It looks only at the categories the
customer is a member of; of those, a category *applies* when it carries a
discount and ``first_day <= on <= last_day`` (an open end always holds). The
discount given is the highest percentage among the applying categories;
**ties** go to the category whose name comes first (plain code-point order of
the name, as Python's ``str`` compares), then to the smaller category id. No
two discounts add up. Without an applying category the answer has no
percentage and says why: the customer is in no category, none of their
categories carries a discount, or none is valid on that day.

Ana is in "Clientes VIP" (10%, always) and "Aniversariantes de maio" (15% in
May 2026), Bia only in "Novos clientes" (no discount):

>>> from datetime import date
>>> from decimal import Decimal
>>> vip = CustomerCategory(
...     category_id="VIP",
...     name="Clientes VIP",
...     colour="#C0392B",
...     discount=CategoryDiscount(Decimal("10")),
... )
>>> may = CustomerCategory(
...     category_id="MAIO",
...     name="Aniversariantes de maio",
...     colour="#2e86c1",
...     discount=CategoryDiscount(
...         Decimal("15"), first_day=date(2026, 5, 1), last_day=date(2026, 5, 31)
...     ),
... )
>>> new = CustomerCategory(category_id="NOVOS", name="Novos clientes", colour="#27ae60")
>>> members = [
...     CategoryMembership("VIP", "ANA"),
...     CategoryMembership("MAIO", "ANA"),
...     CategoryMembership("NOVOS", "BIA"),
... ]
>>> brand = [vip, may, new]
>>> print(discount_for("ANA", date(2026, 5, 10), categories=brand, memberships=members).detail)
15% from category 'Aniversariantes de maio' (MAIO), the best of 2 categories with a discount valid on 2026-05-10
>>> print(discount_for("ANA", date(2026, 6, 1), categories=brand, memberships=members).detail)
10% from category 'Clientes VIP' (VIP), the only category with a discount valid on 2026-06-01
>>> no = discount_for("BIA", date(2026, 5, 10), categories=brand, memberships=members)
>>> no.percentage, no.reason
(None, <DiscountReason.NO_CATEGORY_DISCOUNT: 'no_category_discount'>)

Bad values name the field and the value:

>>> CategoryDiscount(Decimal("0"))
Traceback (most recent call last):
...
otocore.errors.ValidationError: CategoryDiscount.percentage must be > 0 and <= 100 with at most 2 decimal places, got Decimal('0')
>>> CustomerCategory(category_id="X", name="X", colour="red")
Traceback (most recent call last):
...
otocore.errors.ValidationError: CustomerCategory.colour must be a hex colour such as '#c0392b' ('#' and 6 hex digits), got 'red'
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

import attrs

from otocore import _validate as v
from otocore.errors import ValidationError

__all__ = [
    "CategoryDiscount",
    "CategoryMembership",
    "CustomerCategory",
    "DiscountDecision",
    "DiscountReason",
    "discount_for",
    "tie_order",
]

_HEX = re.compile(r"#[0-9a-fA-F]{6}")
_COLOUR_RULE = "must be a hex colour such as '#c0392b' ('#' and 6 hex digits)"
_PERCENT_RULE = "must be > 0 and <= 100 with at most 2 decimal places"
_HUNDRED = Decimal(100)


def _percentage(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    field = v.field_name(instance, attribute)
    if isinstance(value, bool) or not isinstance(value, Decimal):
        raise ValidationError(field, value, "must be a decimal.Decimal (never a float)")
    exponent = value.as_tuple().exponent
    if (
        not value.is_finite()
        or not isinstance(exponent, int)
        or exponent < -2
        or not Decimal(0) < value <= _HUNDRED
    ):
        raise ValidationError(field, value, _PERCENT_RULE)


def _period(instance: CategoryDiscount, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.optional_local_date(instance, attribute, value)
    first = instance.first_day
    if value is not None and first is not None and value < first:
        raise ValidationError(
            v.field_name(instance, attribute), value, f"must be on or after first_day ({first})"
        )


@attrs.frozen
class CategoryDiscount:
    """Desconto automático (automatic discount) of a category: a percentage and its period.

    ``percentage`` is a :class:`~decimal.Decimal`, ``0 < p <= 100``, at most 2
    places. ``first_day`` and ``last_day`` are local days, both included;
    ``None`` leaves that end open.

    >>> from datetime import date
    >>> from decimal import Decimal
    >>> d = CategoryDiscount(Decimal("12.5"), last_day=date(2026, 12, 31))
    >>> d.valid_on(date(2026, 12, 31)), d.valid_on(date(2027, 1, 1))
    (True, False)
    >>> CategoryDiscount(Decimal("5"), first_day=date(2026, 5, 2), last_day=date(2026, 5, 1))
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: CategoryDiscount.last_day must be on or after first_day (2026-05-02), got datetime.date(2026, 5, 1)
    """

    percentage: Decimal = attrs.field(validator=_percentage)
    first_day: date | None = attrs.field(
        default=None, kw_only=True, validator=v.optional_local_date
    )
    last_day: date | None = attrs.field(default=None, kw_only=True, validator=_period)

    def valid_on(self, day: date) -> bool:
        """Whether ``day`` is inside the period (``first_day <= day <= last_day``).

        >>> from datetime import date
        >>> from decimal import Decimal
        >>> CategoryDiscount(Decimal("5")).valid_on(date(1999, 1, 1))
        True
        """
        day = v.require_date("day", day)
        if self.first_day is not None and day < self.first_day:
            return False
        return self.last_day is None or day <= self.last_day

    @property
    def period(self) -> str:
        """The period in words: ``"always"``, ``"from 2026-05-01"``, ``"2026-05-01 to 2026-05-31"``.

        >>> from datetime import date
        >>> from decimal import Decimal
        >>> CategoryDiscount(Decimal("5"), last_day=date(2026, 5, 31)).period
        'until 2026-05-31'
        """
        first, last = self.first_day, self.last_day
        if first is None and last is None:
            return "always"
        if last is None:
            return f"from {first}"
        if first is None:
            return f"until {last}"
        return f"{first} to {last}"


def _colour(value: Any) -> Any:
    return value.lower() if isinstance(value, str) and _HEX.fullmatch(value) else value


def _check_colour(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not _HEX.fullmatch(value):
        raise ValidationError(v.field_name(instance, attribute), value, _COLOUR_RULE)


@attrs.frozen
class CustomerCategory:
    """Categoria de clientes (customer category): a name, a colour, maybe a discount.

    ``colour`` is ``#`` and 6 hex digits, kept in lowercase (``"#C0392B"``
    becomes ``"#c0392b"``).

    >>> CustomerCategory(category_id="VIP", name="Clientes VIP", colour="#C0392B")
    CustomerCategory(category_id='VIP', name='Clientes VIP', colour='#c0392b', discount=None)
    """

    category_id: str = attrs.field(validator=v.text(100))
    name: str = attrs.field(validator=v.text(100))
    colour: str = attrs.field(converter=_colour, validator=_check_colour)
    discount: CategoryDiscount | None = attrs.field(
        default=None, kw_only=True, validator=v.optional_instance_of(CategoryDiscount)
    )


@attrs.frozen
class CategoryMembership:
    """A customer's membership of a category.

    >>> CategoryMembership("VIP", "C1")
    CategoryMembership(category_id='VIP', customer_id='C1')
    """

    category_id: str = attrs.field(validator=v.text(100))
    customer_id: str = attrs.field(validator=v.text(100))


class DiscountReason(enum.Enum):
    """Why :func:`discount_for` gave (or did not give) a discount.

    >>> DiscountReason("best_category")
    <DiscountReason.BEST_CATEGORY: 'best_category'>
    """

    BEST_CATEGORY = "best_category"
    """A category's discount applies: the best one (see the tie rule)."""
    IN_NO_CATEGORY = "in_no_category"
    """The customer is in no category."""
    NO_CATEGORY_DISCOUNT = "no_category_discount"
    """None of the customer's categories carries a discount."""
    NOT_VALID_ON_DAY = "not_valid_on_day"
    """The customer's categories' discounts are all outside their periods on that day."""


@attrs.frozen
class DiscountDecision:
    """The answer of :func:`discount_for`: the percentage, the category that gave it, and why.

    ``percentage`` and ``category`` are ``None`` unless ``reason`` is
    :attr:`DiscountReason.BEST_CATEGORY`; ``detail`` says it in a sentence.

    >>> from datetime import date
    >>> DiscountDecision(
    ...     customer_id="C1",
    ...     day=date(2026, 5, 10),
    ...     percentage=None,
    ...     category=None,
    ...     reason=DiscountReason.IN_NO_CATEGORY,
    ...     detail="C1 is in no category",
    ... ).applies
    False
    """

    customer_id: str = attrs.field(validator=v.text(100))
    day: date = attrs.field(validator=v.local_date)
    percentage: Decimal | None = attrs.field(validator=attrs.validators.optional(_percentage))
    category: CustomerCategory | None = attrs.field(
        validator=v.optional_instance_of(CustomerCategory)
    )
    reason: DiscountReason = attrs.field(validator=v.member_of(DiscountReason))
    detail: str = attrs.field(validator=v.text(500))

    @property
    def applies(self) -> bool:
        """Whether a discount is given."""
        return self.percentage is not None


def tie_order(category: CustomerCategory) -> tuple[Decimal, str, str]:
    """The sort key of the rule: best first (highest percentage, then name, then id).

    Categories without a discount sort as 0%.

    >>> from decimal import Decimal
    >>> a = CustomerCategory("B", "Ouro", "#ffd700", discount=CategoryDiscount(Decimal("10")))
    >>> b = CustomerCategory("A", "Ouro", "#ffd700", discount=CategoryDiscount(Decimal("10")))
    >>> c = CustomerCategory("C", "Diamante", "#b9f2ff", discount=CategoryDiscount(Decimal("10")))
    >>> [x.category_id for x in sorted([a, b, c], key=tie_order)]
    ['C', 'A', 'B']
    """
    v.require_instance("category", category, CustomerCategory)
    percentage = Decimal(0) if category.discount is None else category.discount.percentage
    return (-percentage, category.name, category.category_id)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word.replace('category', 'categories')}"


def discount_for(
    customer_id: str,
    on: date,
    *,
    categories: Iterable[CustomerCategory],
    memberships: Iterable[CategoryMembership],
) -> DiscountDecision:
    """Desconto automático (automatic discount): the discount ``customer_id`` gets on ``on``, and why.

    Args:
        customer_id: the customer.
        on: the local day of the sale.
        categories: the brand's categories (at least those the customer is
            in), with unique ids, in any order.
        memberships: memberships of any customers, in any order; repeats are
            harmless.

    Returns:
        A :class:`DiscountDecision`: the best applying category's percentage
        (highest; ties to the first name, then the smaller id), or none and why.

    Raises:
        ValidationError: bad arguments, a category id given twice, or a
            membership of ``customer_id`` naming a category not given.

    >>> from datetime import date
    >>> from decimal import Decimal
    >>> gold = CustomerCategory("OURO", "Ouro", "#ffd700", discount=CategoryDiscount(Decimal("10")))
    >>> silver = CustomerCategory(
    ...     "PRATA", "Prata", "#c0c0c0", discount=CategoryDiscount(Decimal("10"))
    ... )
    >>> both = [CategoryMembership("PRATA", "C1"), CategoryMembership("OURO", "C1")]
    >>> d = discount_for("C1", date(2026, 5, 10), categories=[silver, gold], memberships=both)
    >>> d.percentage, d.category.name
    (Decimal('10'), 'Ouro')
    >>> discount_for("C2", date(2026, 5, 10), categories=[gold], memberships=both).detail
    'C2 is in no category'
    >>> discount_for("C1", date(2026, 5, 10), categories=[gold], memberships=both)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: memberships[0].category_id must name one of the categories given, got 'PRATA'
    """
    customer_id = v.require_text("customer_id", customer_id, max_length=100)
    day = v.require_date("on", on)
    by_id: dict[str, CustomerCategory] = {}
    for i, category in enumerate(v.iter_instances("categories", categories, CustomerCategory)):
        if category.category_id in by_id:
            raise ValidationError(
                f"categories[{i}].category_id", category.category_id, "must not repeat a category"
            )
        by_id[category.category_id] = category
    mine: dict[str, CustomerCategory] = {}
    for i, member in enumerate(v.iter_instances("memberships", memberships, CategoryMembership)):
        if member.customer_id != customer_id:
            continue
        found = by_id.get(member.category_id)
        if found is None:
            raise ValidationError(
                f"memberships[{i}].category_id",
                member.category_id,
                "must name one of the categories given",
            )
        mine[found.category_id] = found
    return _decide(customer_id, day, mine.values())


def _decide(
    customer_id: str, day: date, categories: Iterable[CustomerCategory]
) -> DiscountDecision:
    mine = list(categories)
    with_discount = [c for c in mine if c.discount is not None]
    applying = [c for c in with_discount if c.discount is not None and c.discount.valid_on(day)]
    if applying:
        best = min(applying, key=tie_order)
        assert best.discount is not None  # noqa: S101 - applying categories have one
        n = len(applying)
        among = (
            f"the only category with a discount valid on {day}"
            if n == 1
            else f"the best of {n} categories with a discount valid on {day}"
        )
        return DiscountDecision(
            customer_id=customer_id,
            day=day,
            percentage=best.discount.percentage,
            category=best,
            reason=DiscountReason.BEST_CATEGORY,
            detail=f"{best.discount.percentage}% from category {best.name!r} ({best.category_id}), {among}",
        )
    if not mine:
        reason, detail = DiscountReason.IN_NO_CATEGORY, f"{customer_id} is in no category"
    elif not with_discount:
        reason = DiscountReason.NO_CATEGORY_DISCOUNT
        detail = f"none of {customer_id}'s {_plural(len(mine), 'category')} carries a discount"
    else:
        reason = DiscountReason.NOT_VALID_ON_DAY
        periods = "; ".join(
            f"{c.name!r}: {c.discount.period}"
            for c in sorted(with_discount, key=tie_order)
            if c.discount is not None
        )
        detail = f"no discount of {customer_id}'s categories is valid on {day} ({periods})"
    return DiscountDecision(
        customer_id=customer_id,
        day=day,
        percentage=None,
        category=None,
        reason=reason,
        detail=detail,
    )
