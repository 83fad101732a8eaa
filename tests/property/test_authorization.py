"""Properties of manual-price authorization (otocore.authorization, docs/authorization.md).

* the rules accept exactly the range sets that cover every divergence, from the range open
  below to 100 inclusive, once: an oracle checks every critical point (each bound, a point
  between each two bounds, a point below them all, and 100);
* the divergence is exact: equal prices give 0, a free item 100, and it maps back to the
  price difference without loss;
* decide_order is the documented fold of decide_item: deny dominates wait, which dominates
  authorize, whatever the order of the items;
* the items digest is equal exactly when the canonical items (sorted; prices to two places)
  are equal.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from otocore.authorization import (
    AuthorizationRules,
    Outcome,
    PriceRange,
    decide_item,
    decide_order,
    divergence,
    items_digest,
)
from otocore.errors import ValidationError
from otocore.orders import OrderItem

OUTCOMES = st.sampled_from(list(Outcome))
MONEY = st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False)
SEVERITY = [Outcome.AUTHORIZE, Outcome.WAIT, Outcome.DENY]


@st.composite
def items(draw: st.DrawFn) -> OrderItem:
    list_price = draw(MONEY)
    manual = draw(st.one_of(st.none(), MONEY, st.just(list_price), st.just(Decimal("0.00"))))
    return OrderItem(
        sku=draw(st.sampled_from(["A", "B", "CAMISA-P"])),
        quantity=draw(st.integers(1, 5)),
        list_price=list_price,
        manual_price=manual,
    )


@st.composite
def partitions(draw: st.DrawFn) -> list[PriceRange]:
    """A valid rule set: cut points below 100, each given to one side, maybe a point at 100."""
    cuts = sorted(
        draw(
            st.sets(
                st.decimals(min_value=-500, max_value="99.99", places=2, allow_nan=False),
                max_size=4,
            )
        )
    )
    point_at_100 = draw(st.booleans())
    ranges = []
    lower: Decimal | None = None
    lower_inclusive = False
    for index, cut in enumerate([*cuts, Decimal(100)]):
        last = index == len(cuts)
        upper_inclusive = (not point_at_100) if last else draw(st.booleans())
        if last and point_at_100:
            upper_inclusive = False
        ranges.append(
            PriceRange(
                rule_id=f"r{index}",
                outcome=draw(OUTCOMES),
                lower=lower,
                lower_inclusive=lower_inclusive,
                upper=cut,
                upper_inclusive=upper_inclusive,
            )
        )
        lower, lower_inclusive = cut, not upper_inclusive
    if point_at_100:
        ranges.append(
            PriceRange(
                rule_id="free",
                outcome=draw(OUTCOMES),
                lower=Decimal(100),
                lower_inclusive=True,
                upper=Decimal(100),
                upper_inclusive=True,
            )
        )
    return draw(st.permutations(ranges))


GRID = [Decimal(n) for n in (-20, -10, 0, 10, 50, 100)]


@st.composite
def any_range(draw: st.DrawFn, rule_id: str) -> PriceRange | None:
    lower = draw(st.one_of(st.none(), st.sampled_from(GRID)))
    try:
        return PriceRange(
            rule_id=rule_id,
            outcome=draw(OUTCOMES),
            lower=lower,
            lower_inclusive=lower is not None and draw(st.booleans()),
            upper=draw(st.sampled_from(GRID)),
            upper_inclusive=draw(st.booleans()),
        )
    except ValidationError:
        return None


@st.composite
def range_sets(draw: st.DrawFn) -> list[PriceRange]:
    drawn = [draw(any_range(f"r{i}")) for i in range(draw(st.integers(1, 4)))]
    return [r for r in drawn if r is not None]


def _covers_exactly_once(ranges: Sequence[PriceRange]) -> bool:
    bounds = sorted(
        {Fraction(b) for r in ranges for b in (r.lower, r.upper) if b is not None} | {Fraction(100)}
    )
    points = [bounds[0] - 1, *bounds]
    points += [(a + b) / 2 for a, b in itertools.pairwise(bounds)]
    return all(sum(r.contains(p) for r in ranges) == 1 for p in points if p <= 100)


@given(partitions())
def test_every_partition_is_accepted_and_decides_each_point_once(ranges: list[PriceRange]) -> None:
    rules = AuthorizationRules(ranges)
    assert _covers_exactly_once(rules.ranges)


@given(st.one_of(range_sets(), partitions()))
def test_rules_are_accepted_exactly_when_they_cover_every_divergence_once(
    ranges: list[PriceRange],
) -> None:
    refused: ValidationError | None = None
    try:
        AuthorizationRules(ranges)
    except ValidationError as error:
        refused = error
    accepted = refused is None
    if refused is not None:
        assert refused.field.startswith("AuthorizationRules.ranges")
    assert accepted == _covers_exactly_once(ranges)


@given(partitions(), items())
def test_an_item_is_decided_by_the_one_range_that_holds_its_divergence(
    ranges: list[PriceRange], item: OrderItem
) -> None:
    rules = AuthorizationRules(ranges)
    decided = decide_item(rules, item)
    if item.manual_price is None:
        assert (decided.outcome, decided.rule_id) == (Outcome.AUTHORIZE, None)
        return
    (rule,) = [r for r in ranges if r.rule_id == decided.rule_id]
    assert decided.outcome is rule.outcome
    if decided.divergence is None:  # a raise from a list price of 0
        assert item.list_price == 0
        assert rule.lower is None
    else:
        assert [r.rule_id for r in ranges if r.contains(decided.divergence)] == [rule.rule_id]


@given(MONEY, MONEY)
def test_divergence_is_exact(list_price: Decimal, manual: Decimal) -> None:
    if list_price == 0:
        return
    value = divergence(list_price, manual)
    assert value * Fraction(list_price) / 100 == Fraction(list_price) - Fraction(manual)
    assert (value == 0) == (manual == list_price)
    assert (value == 100) == (manual == 0)
    assert (0 <= value <= 100) == (manual <= list_price)
    assert value <= 100


@given(partitions(), st.lists(items(), max_size=6), st.randoms(use_true_random=False))
def test_decide_order_is_the_fold_of_decide_item(
    ranges: list[PriceRange], order_items: list[OrderItem], random: object
) -> None:
    rules = AuthorizationRules(ranges)
    decided = decide_order(rules, order_items)
    assert decided.items == tuple(decide_item(rules, i) for i in order_items)
    severest = max((SEVERITY.index(d.outcome) for d in decided.items), default=0)
    assert decided.outcome is SEVERITY[severest]
    shuffled = list(order_items)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    assert decide_order(rules, shuffled).outcome is decided.outcome


@given(st.lists(items(), max_size=4))
def test_deny_dominates_wait_dominates_authorize(order_items: list[OrderItem]) -> None:
    rules = AuthorizationRules(
        [
            PriceRange(
                rule_id="raise",
                outcome=Outcome.WAIT,
                lower=None,
                lower_inclusive=False,
                upper=Decimal(0),
                upper_inclusive=False,
            ),
            PriceRange(
                rule_id="discount",
                outcome=Outcome.AUTHORIZE,
                lower=Decimal(0),
                lower_inclusive=True,
                upper=Decimal(100),
                upper_inclusive=False,
            ),
            PriceRange(
                rule_id="free",
                outcome=Outcome.DENY,
                lower=Decimal(100),
                lower_inclusive=True,
                upper=Decimal(100),
                upper_inclusive=True,
            ),
        ]
    )
    base = decide_order(rules, order_items).outcome
    waiting = OrderItem(
        sku="W", quantity=1, list_price=Decimal("10.00"), manual_price=Decimal("11.00")
    )
    denied = OrderItem(
        sku="D", quantity=1, list_price=Decimal("10.00"), manual_price=Decimal("0.00")
    )
    assert decide_order(rules, [*order_items, denied]).outcome is Outcome.DENY
    with_wait = decide_order(rules, [waiting, *order_items]).outcome
    assert with_wait is (Outcome.DENY if base is Outcome.DENY else Outcome.WAIT)


SMALL_PRICES = st.sampled_from(["0", "0.0", "0.00", "1", "1.0", "1.00", "2.5", "2.50"]).map(Decimal)


@st.composite
def small_items(draw: st.DrawFn) -> OrderItem:
    return OrderItem(
        sku=draw(st.sampled_from(["A", "B"])),
        quantity=draw(st.integers(1, 2)),
        list_price=draw(SMALL_PRICES),
        manual_price=draw(st.one_of(st.none(), SMALL_PRICES)),
    )


def _canonical(order_items: list[OrderItem]) -> list[tuple[str, int, Decimal, Decimal | None]]:
    return sorted(
        ((i.sku, i.quantity, i.list_price, i.manual_price) for i in order_items),
        key=lambda t: (t[0], t[1], t[2], t[3] is not None, t[3] or 0),
    )


@given(st.lists(small_items(), max_size=3), st.lists(small_items(), max_size=3))
def test_digests_are_equal_exactly_when_the_canonical_items_are(
    one: list[OrderItem], two: list[OrderItem]
) -> None:
    # Decimal equality: 1, 1.0 and 1.00 are one price; None is no manual price
    assert (items_digest(one) == items_digest(two)) == (_canonical(one) == _canonical(two))
    assert items_digest(one) == items_digest(list(reversed(one)))
