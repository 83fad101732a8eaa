"""Autorização de pedidos (order authorization): which manual prices a person must approve.

A telesales operator may type any price ("Não há restrições sobre aumento e
redução de preço"), and then "o preço manual precisa ser aprovado pelo
administrador da loja ou por um usuário com permissão no sistema de
Autorização de Pedidos" (VTEX's Televendas help page). The rules follow VTEX's
Order Authorization model: the brand splits the **divergence** of a manual
price from the list price into ranges, and gives each range an
:class:`Outcome`: authorize automatically, deny automatically (the order is
cancelled) or wait for a person.

The divergence scale (one signed axis, in percent of the list price):

    divergence = (list_price - manual_price) / list_price * 100

* a lowered price is a **discount** from 0 to 100: 80.00 on a list price of
  100.00 is 20; a free item (manual price 0) is exactly 100;
* a raised price is a **negative** divergence, without bound: 125.00 on a list
  price of 100.00 is -25 (25% above the list price);
* a manual price equal to the list price is 0;
* the value is the exact rational number (a :class:`~fractions.Fraction`),
  never rounded, so an item can never be moved across a range's edge by
  rounding (10.00 off 29.90 is 1000/29.9 = 33.4448...%);
* a list price of 0: a manual price of 0 is a divergence of 0; any other manual
  price is a raise with no finite divergence (``divergence`` refuses it), and
  :func:`decide_item` gives it to the range open below (the largest raises).

So the ranges must cover the whole axis from "open below" to 100 inclusive,
without gap or overlap; :class:`AuthorizationRules` checks it when built.

>>> from decimal import Decimal
>>> from otocore.orders import OrderItem
>>> rules = AuthorizationRules(
...     ranges=[
...         PriceRange(
...             rule_id="raise",
...             outcome=Outcome.WAIT,
...             lower=None,
...             lower_inclusive=False,
...             upper=Decimal(0),
...             upper_inclusive=False,
...         ),
...         PriceRange(
...             rule_id="small",
...             outcome=Outcome.AUTHORIZE,
...             lower=Decimal(0),
...             lower_inclusive=True,
...             upper=Decimal(10),
...             upper_inclusive=True,
...         ),
...         PriceRange(
...             rule_id="medium",
...             outcome=Outcome.WAIT,
...             lower=Decimal(10),
...             lower_inclusive=False,
...             upper=Decimal(30),
...             upper_inclusive=False,
...         ),
...         PriceRange(
...             rule_id="large",
...             outcome=Outcome.DENY,
...             lower=Decimal(30),
...             lower_inclusive=True,
...             upper=Decimal(100),
...             upper_inclusive=True,
...         ),
...     ]
... )
>>> item = OrderItem(
...     sku="A", quantity=1, list_price=Decimal("100.00"), manual_price=Decimal("90.00")
... )
>>> decide_item(rules, item).outcome, decide_item(rules, item).rule_id
(<Outcome.AUTHORIZE: 'authorize'>, 'small')
>>> free = OrderItem(
...     sku="B", quantity=1, list_price=Decimal("100.00"), manual_price=Decimal("0.00")
... )
>>> decide_order(rules, [item, free]).outcome
<Outcome.DENY: 'deny'>
"""

from __future__ import annotations

import enum
import hashlib
import itertools
import json
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from otocore import _validate as v
from otocore.errors import ValidationError
from otocore.orders import OrderItem

__all__ = [
    "AuthorizationRules",
    "Decision",
    "ItemDecision",
    "OrderDecision",
    "Outcome",
    "PriceRange",
    "decide_item",
    "decide_order",
    "divergence",
    "items_digest",
]

HUNDRED = Decimal(100)
_CENT = Decimal("0.01")
_DIGEST_FORMAT = "otocore-order-items/1"


class Outcome(enum.Enum):
    """What a range does with a manual price: authorize, deny (cancel the order) or wait.

    They are ordered by severity: DENY dominates WAIT, which dominates AUTHORIZE
    (see :func:`decide_order`).

    >>> Outcome("wait")
    <Outcome.WAIT: 'wait'>
    """

    AUTHORIZE = "authorize"
    DENY = "deny"
    WAIT = "wait"


_SEVERITY = {Outcome.AUTHORIZE: 0, Outcome.WAIT: 1, Outcome.DENY: 2}


def divergence(list_price: Decimal, manual_price: Decimal) -> Fraction:
    """The exact divergence of ``manual_price`` from ``list_price``, in percent (see the module).

    ``(list_price - manual_price) / list_price * 100``: a discount is 0 to 100,
    a raise is negative.

    >>> from decimal import Decimal
    >>> divergence(Decimal("100.00"), Decimal("80.00"))
    Fraction(20, 1)
    >>> divergence(Decimal("100.00"), Decimal("125.00"))
    Fraction(-25, 1)
    >>> divergence(Decimal("29.90"), Decimal("19.90"))
    Fraction(10000, 299)
    >>> divergence(Decimal("0.00"), Decimal("0.00"))
    Fraction(0, 1)
    >>> divergence(Decimal("0.00"), Decimal("5.00"))
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: list_price must be > 0 when the manual price is not 0 (a raise from 0 has no finite divergence), got Decimal('0.00')
    """
    listed = Fraction(v.require_money("list_price", list_price))
    manual = Fraction(v.require_money("manual_price", manual_price))
    if listed == 0:
        if manual == 0:
            return Fraction(0)
        raise ValidationError(
            "list_price",
            list_price,
            "must be > 0 when the manual price is not 0 (a raise from 0 has no finite divergence)",
        )
    return (listed - manual) * 100 / listed


def _bound(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    field = v.field_name(instance, attribute)
    if isinstance(value, bool) or not isinstance(value, Decimal) or not value.is_finite():
        raise ValidationError(field, value, "must be a finite decimal.Decimal (a percent)")


def _optional_bound(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        _bound(instance, attribute, value)


def _show(value: Decimal) -> str:
    return format(value.normalize(), "f") if value else "0"


@attrs.frozen(kw_only=True)
class PriceRange:
    """One authorization rule: a range of divergences and its outcome.

    The bounds are percents on the divergence scale (see the module), each with
    an explicit inclusivity, so an edge belongs to exactly the range that says
    so. ``lower=None`` is the range open below (every larger raise); it takes
    ``lower_inclusive=False``. ``upper`` is at most 100 (a free item). A single
    point is ``lower == upper`` with both ends inclusive (e.g. exactly 100).

    Attributes:
        rule_id: the rule's name, recorded in each decision it makes.
        outcome: what the range does: :class:`Outcome`.
        lower: the lower bound, or ``None`` (open below).
        lower_inclusive: whether a divergence equal to ``lower`` is in.
        upper: the upper bound, at most 100.
        upper_inclusive: whether a divergence equal to ``upper`` is in.

    >>> from decimal import Decimal
    >>> small = PriceRange(
    ...     rule_id="small",
    ...     outcome=Outcome.AUTHORIZE,
    ...     lower=Decimal(0),
    ...     lower_inclusive=True,
    ...     upper=Decimal(10),
    ...     upper_inclusive=False,
    ... )
    >>> small.interval, small.contains(Fraction(10)), small.contains(Fraction(0))
    ('[0, 10)', False, True)
    >>> PriceRange(
    ...     rule_id="r",
    ...     outcome=Outcome.WAIT,
    ...     lower=Decimal(10),
    ...     lower_inclusive=False,
    ...     upper=Decimal(10),
    ...     upper_inclusive=True,
    ... )
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: PriceRange.upper must be above the lower bound 10, or equal to it with both ends inclusive, got Decimal('10')
    """

    rule_id: str = attrs.field(validator=v.text(100))
    outcome: Outcome = attrs.field(validator=v.member_of(Outcome))
    lower: Decimal | None = attrs.field(validator=_optional_bound)
    lower_inclusive: bool = attrs.field(validator=v.boolean)
    upper: Decimal = attrs.field(validator=_bound)
    upper_inclusive: bool = attrs.field(validator=v.boolean)

    def __attrs_post_init__(self) -> None:
        if self.lower is None and self.lower_inclusive:
            raise ValidationError(
                "PriceRange.lower_inclusive",
                True,
                "must be False when lower is None (a range open below has no lowest value)",
            )
        if self.upper > HUNDRED:
            raise ValidationError(
                "PriceRange.upper",
                self.upper,
                "must be <= 100 (a free item is a divergence of 100)",
            )
        if self.lower is not None and (
            self.upper < self.lower
            or (self.upper == self.lower and not (self.lower_inclusive and self.upper_inclusive))
        ):
            raise ValidationError(
                "PriceRange.upper",
                self.upper,
                f"must be above the lower bound {_show(self.lower)}, or equal to it with both"
                " ends inclusive",
            )

    @property
    def interval(self) -> str:
        """The range in interval notation: ``[`` / ``]`` include the bound, ``(`` / ``)`` do not.

        >>> from decimal import Decimal
        >>> PriceRange(
        ...     rule_id="raise",
        ...     outcome=Outcome.WAIT,
        ...     lower=None,
        ...     lower_inclusive=False,
        ...     upper=Decimal(0),
        ...     upper_inclusive=False,
        ... ).interval
        '(-inf, 0)'
        """
        low = "(-inf" if self.lower is None else "[("[not self.lower_inclusive] + _show(self.lower)
        return f"{low}, {_show(self.upper)}{'])'[not self.upper_inclusive]}"

    def contains(self, value: Fraction) -> bool:
        """Whether the exact divergence ``value`` is in this range.

        >>> from decimal import Decimal
        >>> top = PriceRange(
        ...     rule_id="free",
        ...     outcome=Outcome.DENY,
        ...     lower=Decimal(100),
        ...     lower_inclusive=True,
        ...     upper=Decimal(100),
        ...     upper_inclusive=True,
        ... )
        >>> top.contains(Fraction(100)), top.contains(Fraction(9999, 100))
        (True, False)
        """
        upper = Fraction(self.upper)
        if value > upper or (value == upper and not self.upper_inclusive):
            return False
        if self.lower is None:
            return True
        lower = Fraction(self.lower)
        return value > lower or (value == lower and self.lower_inclusive)


def _start(rule: PriceRange) -> tuple[bool, Decimal, bool]:
    # open below first; then by lower bound; an inclusive bound starts before an exclusive one
    lower = Decimal(0) if rule.lower is None else rule.lower  # open below: first anyway
    return (rule.lower is not None, lower, not rule.lower_inclusive)


def _cover(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    field = v.field_name(instance, attribute)
    ranges = v.require_tuple_of(
        field, value, PriceRange, rule="must be a non-empty list of PriceRange"
    )
    seen: set[str] = set()
    for index, rule in enumerate(ranges):
        if rule.rule_id in seen:
            raise ValidationError(f"{field}[{index}].rule_id", rule.rule_id, "must be unique")
        seen.add(rule.rule_id)
    ordered = sorted(ranges, key=_start)
    first = ordered[0]
    if first.lower is not None:
        raise ValidationError(
            field,
            first.interval,
            f"leave a gap: divergences below {_show(first.lower)} (raised prices) are in no"
            " range; the lowest range must be open below (lower=None)",
        )
    for before, after in itertools.pairwise(ordered):
        both = f"'{before.rule_id}' {before.interval} and '{after.rule_id}' {after.interval}"
        if after.lower is None:  # two ranges open below
            raise ValidationError(
                field,
                f"{before.interval} {after.interval}",
                f"overlap: {both} both hold every divergence below"
                f" {_show(min(before.upper, after.upper))}",
            )
        end, start = before.upper, after.lower
        if end < start or (
            end == start and not before.upper_inclusive and not after.lower_inclusive
        ):
            raise ValidationError(
                field,
                f"{before.interval} {after.interval}",
                f"leave a gap between {both}: divergences from {_show(end)} to {_show(start)}"
                " are in no range",
            )
        if end > start or (end == start and before.upper_inclusive and after.lower_inclusive):
            held = _show(start) if end == start else f"{_show(start)} to {_show(end)}"
            raise ValidationError(
                field,
                f"{before.interval} {after.interval}",
                f"overlap: {both} both hold {held}",
            )
    last = ordered[-1]
    if last.upper == HUNDRED and not last.upper_inclusive:
        raise ValidationError(
            field,
            last.interval,
            "leave a gap: a divergence of exactly 100 (a free item) is in no range; the"
            " highest range must end at 100 inclusive",
        )
    if last.upper != HUNDRED:
        raise ValidationError(
            field,
            last.interval,
            f"leave a gap: divergences above {_show(last.upper)} up to 100 (a free item) are"
            " in no range; the highest range must end at 100 inclusive",
        )


def _ranges(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


@attrs.frozen
class AuthorizationRules:
    """A brand's manual-price rules: ranges that cover every divergence exactly once.

    Checked when built (and so when loaded from JSON through otocore's
    converter): the ranges must cover the whole scale, from the range open
    below (the largest raises) to exactly 100 inclusive (a free item), with no
    gap and no overlap; rule ids are unique. A fault is a
    :class:`~otocore.errors.ValidationError` naming the gap or the overlap.

    Attributes:
        ranges: the rules, as a tuple (a list is accepted).

    VTEX has shipped a "less than 100" rule that let a free item through; here
    it is a gap, refused:

    >>> from decimal import Decimal
    >>> AuthorizationRules(
    ...     [
    ...         PriceRange(
    ...             rule_id="raise",
    ...             outcome=Outcome.WAIT,
    ...             lower=None,
    ...             lower_inclusive=False,
    ...             upper=Decimal(0),
    ...             upper_inclusive=False,
    ...         ),
    ...         PriceRange(
    ...             rule_id="discount",
    ...             outcome=Outcome.AUTHORIZE,
    ...             lower=Decimal(0),
    ...             lower_inclusive=True,
    ...             upper=Decimal(100),
    ...             upper_inclusive=False,
    ...         ),
    ...     ]
    ... )
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: AuthorizationRules.ranges leave a gap: a divergence of exactly 100 (a free item) is in no range; the highest range must end at 100 inclusive, got '[0, 100)'
    """

    ranges: tuple[PriceRange, ...] = attrs.field(converter=_ranges, validator=_cover)

    @classmethod
    def default(cls) -> AuthorizationRules:
        """Every manual price waits for a person, as VTEX's Televendas help page says.

        >>> (rule,) = AuthorizationRules.default().ranges
        >>> rule.rule_id, rule.outcome, rule.interval
        ('every-manual-price-waits', <Outcome.WAIT: 'wait'>, '(-inf, 100]')
        """
        return cls(
            (
                PriceRange(
                    rule_id="every-manual-price-waits",
                    outcome=Outcome.WAIT,
                    lower=None,
                    lower_inclusive=False,
                    upper=HUNDRED,
                    upper_inclusive=True,
                ),
            )
        )

    def range_for(self, value: Fraction | None) -> PriceRange:
        """The one range holding divergence ``value``; ``None`` is a raise from a list price of 0.

        >>> AuthorizationRules.default().range_for(Fraction(-1000)).rule_id
        'every-manual-price-waits'
        """
        if value is None:
            return next(r for r in self.ranges if r.lower is None)
        return next(r for r in self.ranges if r.contains(value))


@attrs.frozen(kw_only=True)
class ItemDecision:
    """How the rules decided one item: the outcome, the rule and the divergence.

    Attributes:
        item: the item decided.
        outcome: :class:`Outcome`; AUTHORIZE for an item without a manual price.
        rule_id: the rule that decided, or ``None`` (no manual price: no rule needed).
        divergence: the exact divergence, or ``None`` (no manual price, or a
            raise from a list price of 0).
        reason: one line saying why.

    >>> from decimal import Decimal
    >>> plain = OrderItem(sku="A", quantity=1, list_price=Decimal("5.00"))
    >>> decide_item(AuthorizationRules.default(), plain).reason
    'no manual price'
    """

    item: OrderItem
    outcome: Outcome
    rule_id: str | None
    divergence: Fraction | None
    reason: str


def _percent(value: Fraction) -> str:
    if value.denominator == 1:
        return f"{value.numerator}%"
    return f"{value.numerator}/{value.denominator}% (about {float(value):.4f}%)"


def decide_item(rules: AuthorizationRules, item: OrderItem) -> ItemDecision:
    """Decide one item: no manual price needs no authorization; else the range of its divergence.

    A manual price equal to the list price is still a manual price: it is
    decided by the range holding 0.

    >>> from decimal import Decimal
    >>> item = OrderItem(
    ...     sku="A", quantity=1, list_price=Decimal("100.00"), manual_price=Decimal("100.00")
    ... )
    >>> decision = decide_item(AuthorizationRules.default(), item)
    >>> decision.outcome, decision.divergence, decision.reason
    (<Outcome.WAIT: 'wait'>, Fraction(0, 1), "divergence 0% is in rule 'every-manual-price-waits' (-inf, 100]")
    """
    v.require_instance("rules", rules, AuthorizationRules)
    v.require_instance("item", item, OrderItem)
    if item.manual_price is None:
        return ItemDecision(
            item=item, outcome=Outcome.AUTHORIZE, rule_id=None, divergence=None,
            reason="no manual price",
        )  # fmt: skip
    if item.list_price == 0 and item.manual_price != 0:
        rule = rules.range_for(None)
        why = f"raised from a list price of 0: rule '{rule.rule_id}' {rule.interval} (open below)"
        return ItemDecision(
            item=item, outcome=rule.outcome, rule_id=rule.rule_id, divergence=None, reason=why
        )
    value = divergence(item.list_price, item.manual_price)
    rule = rules.range_for(value)
    why = f"divergence {_percent(value)} is in rule '{rule.rule_id}' {rule.interval}"
    return ItemDecision(
        item=item, outcome=rule.outcome, rule_id=rule.rule_id, divergence=value, reason=why
    )


@attrs.frozen(kw_only=True)
class OrderDecision:
    """The rules' decision on an order, with the decision on each item (in the items' order).

    Attributes:
        outcome: DENY if any item is denied, else WAIT if any item waits,
            else AUTHORIZE (also for an order with no manual price, or no item).
        items: one :class:`ItemDecision` per item.

    >>> OrderDecision(outcome=Outcome.AUTHORIZE, items=()).needs_a_person
    False
    """

    outcome: Outcome
    items: tuple[ItemDecision, ...]

    @property
    def needs_a_person(self) -> bool:
        """Whether the order waits for an order approver or a brand admin.

        >>> OrderDecision(outcome=Outcome.WAIT, items=()).needs_a_person
        True
        """
        return self.outcome is Outcome.WAIT


def decide_order(rules: AuthorizationRules, items: Iterable[OrderItem]) -> OrderDecision:
    """Decide every item, then the order: deny dominates wait, which dominates authorize.

    Items without a manual price need no authorization (AUTHORIZE), so an
    order without manual prices is authorized.

    >>> from decimal import Decimal
    >>> items = [
    ...     OrderItem(sku="A", quantity=1, list_price=Decimal("10.00")),
    ...     OrderItem(
    ...         sku="B", quantity=2, list_price=Decimal("10.00"), manual_price=Decimal("9.00")
    ...     ),
    ... ]
    >>> decision = decide_order(AuthorizationRules.default(), items)
    >>> decision.outcome, [d.outcome.value for d in decision.items]
    (<Outcome.WAIT: 'wait'>, ['authorize', 'wait'])
    """
    v.require_instance("rules", rules, AuthorizationRules)
    decided = tuple(
        decide_item(rules, item) for item in v.iter_instances("items", items, OrderItem)
    )
    outcome = max(
        (d.outcome for d in decided), key=_SEVERITY.__getitem__, default=Outcome.AUTHORIZE
    )
    return OrderDecision(outcome=outcome, items=decided)


def _cents(value: Decimal) -> str:
    # equal Decimals give equal text: 12.3, 12.30 and -0.00 / 0.00 are one value each
    return str(abs(value.quantize(_CENT)))


def items_digest(items: Iterable[OrderItem]) -> str:
    """A SHA-256 (64 lowercase hex digits) of the items' sku, quantity, list and manual prices.

    An approval stores it, and invoicing computes it again: any change of a
    sku, a quantity or a price after the approval gives another digest. The
    canonical text, hashed as UTF-8, is the line ``otocore-order-items/1``
    followed by one line per item, the items **sorted** (the order of the lines
    of an order does not change what was approved), each line the compact
    JSON array ``["sku",quantity,"list","manual"]`` with the prices written
    with exactly two places and a missing manual price as ``null``; lines end
    with ``\\n``.

    >>> from decimal import Decimal
    >>> one = OrderItem(
    ...     sku="A", quantity=2, list_price=Decimal("10.00"), manual_price=Decimal("9.5")
    ... )
    >>> two = OrderItem(sku="B", quantity=1, list_price=Decimal("3.00"))
    >>> items_digest([one, two]) == items_digest([two, one])
    True
    >>> items_digest([]) == hashlib.sha256(b"otocore-order-items/1\\n").hexdigest()
    True
    """
    lines = sorted(
        json.dumps(
            [
                item.sku,
                item.quantity,
                _cents(item.list_price),
                None if item.manual_price is None else _cents(item.manual_price),
            ],
            ensure_ascii=False,
            separators=(",", ":"),
        )
        for item in v.iter_instances("items", items, OrderItem)
    )
    text = "".join(f"{line}\n" for line in [_DIGEST_FORMAT, *lines])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _digest(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if not (
        isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)
    ):
        raise ValidationError(
            v.field_name(instance, attribute), value, "must be 64 lowercase hex digits (SHA-256)"
        )


@attrs.frozen(kw_only=True)
class Decision:
    """One authorization decision, for the order's history: who, when, what and why.

    Attributes:
        decided_by: the rule id (``by_rule``) or the account id of the person.
        by_rule: ``True`` for an automatic decision of a rule, ``False`` for a person's.
        at: when, an explicit timezone-aware instant, kept in UTC.
        outcome: AUTHORIZE or DENY (a person authorizes or rejects; a rule may
            also authorize or deny; waiting is not a decision).
        reason: why, free text (a person's reason, or the rule's).
        digest: the :func:`items_digest` of the items the decision saw, or ``None``.

    >>> from datetime import UTC, datetime
    >>> Decision(
    ...     decided_by="acct-7",
    ...     by_rule=False,
    ...     at=datetime(2026, 5, 10, 15, tzinfo=UTC),
    ...     outcome=Outcome.AUTHORIZE,
    ...     reason="cliente VIP",
    ... ).outcome
    <Outcome.AUTHORIZE: 'authorize'>
    >>> Decision(
    ...     decided_by="acct-7",
    ...     by_rule=False,
    ...     at=datetime(2026, 5, 10, 15, tzinfo=UTC),
    ...     outcome=Outcome.WAIT,
    ...     reason="?",
    ... )
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: Decision.outcome must be authorize or deny (waiting is not a decision), got <Outcome.WAIT: 'wait'>
    """

    decided_by: str = attrs.field(validator=v.text(100))
    by_rule: bool = attrs.field(validator=v.boolean)
    at: datetime = attrs.field(converter=v.instant)  # type: ignore[misc]
    outcome: Outcome = attrs.field(validator=v.member_of(Outcome))
    reason: str = attrs.field(validator=v.text(500, multiline=True))
    digest: str | None = attrs.field(default=None, validator=_digest)

    @outcome.validator
    def _decides(self, attribute: attrs.Attribute[Any], value: Outcome) -> None:
        if value is Outcome.WAIT:
            raise ValidationError(
                v.field_name(self, attribute),
                value,
                "must be authorize or deny (waiting is not a decision)",
            )
