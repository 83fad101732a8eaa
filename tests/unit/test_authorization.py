"""Worked examples of manual-price authorization (otocore.authorization, docs/authorization.md).

VTEX's Televendas help page: "Não há restrições sobre aumento e redução de preço" (an operator
may raise or lower a price without limit), and "o preço manual precisa ser aprovado pelo
administrador da loja ou por um usuário com permissão no sistema de Autorização de Pedidos".
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from fractions import Fraction

import pytest

from otocore.authorization import (
    AuthorizationRules,
    Decision,
    Outcome,
    PriceRange,
    decide_item,
    decide_order,
    divergence,
    items_digest,
)
from otocore.errors import ValidationError
from otocore.orders import OrderItem
from otocore.serialization import converter


def rng(  # noqa: PLR0917 - reads like the interval it builds
    rule_id: str,
    outcome: Outcome,
    lower: str | None,
    lower_inclusive: bool,
    upper: str,
    upper_inclusive: bool,
) -> PriceRange:
    return PriceRange(
        rule_id=rule_id,
        outcome=outcome,
        lower=None if lower is None else Decimal(lower),
        lower_inclusive=lower_inclusive,
        upper=Decimal(upper),
        upper_inclusive=upper_inclusive,
    )


# raises wait; discounts up to 10% are authorized; over 10% and under 30% wait; 30% or more,
# up to and including a free item (100%), is denied
BRAND = AuthorizationRules(
    [
        rng("raise", Outcome.WAIT, None, False, "0", False),
        rng("small", Outcome.AUTHORIZE, "0", True, "10", True),
        rng("medium", Outcome.WAIT, "10", False, "30", False),
        rng("large", Outcome.DENY, "30", True, "100", True),
    ]
)


def item(
    list_price: str, manual: str | None, *, sku: str = "CAMISA", quantity: int = 1
) -> OrderItem:
    return OrderItem(
        sku=sku,
        quantity=quantity,
        list_price=Decimal(list_price),
        manual_price=None if manual is None else Decimal(manual),
    )


# --- divergence ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("list_price", "manual", "expected"),
    [
        ("100.00", "100.00", Fraction(0)),
        ("100.00", "90.00", Fraction(10)),
        ("100.00", "0.00", Fraction(100)),
        ("100.00", "125.00", Fraction(-25)),
        ("100.00", "300.00", Fraction(-200)),
        ("29.90", "19.90", Fraction(10000, 299)),
        ("0.00", "0.00", Fraction(0)),
        ("0.03", "0.02", Fraction(100, 3)),
    ],
)
def test_divergence_is_the_exact_percent_off_the_list_price(
    list_price: str, manual: str, expected: Fraction
) -> None:
    assert divergence(Decimal(list_price), Decimal(manual)) == expected


def test_a_raise_from_a_zero_list_price_has_no_finite_divergence() -> None:
    with pytest.raises(ValidationError, match="a raise from 0 has no finite divergence"):
        divergence(Decimal("0.00"), Decimal("0.01"))


def test_a_raise_from_zero_goes_to_the_range_open_below() -> None:
    decided = decide_item(BRAND, item("0.00", "5.00"))
    assert (decided.outcome, decided.rule_id, decided.divergence) == (Outcome.WAIT, "raise", None)
    assert "list price of 0" in decided.reason


# --- the edges, exactly --------------------------------------------------------------


@pytest.mark.parametrize(
    ("manual", "rule_id", "outcome"),
    [
        ("100.01", "raise", Outcome.WAIT),  # the smallest raise on a list price of 100.00
        ("100.00", "small", Outcome.AUTHORIZE),  # 0%: the first divergence of "small"
        ("90.00", "small", Outcome.AUTHORIZE),  # 10%: the last divergence of "small"
        ("89.99", "medium", Outcome.WAIT),  # 10.01%: just after "small"
        ("70.01", "medium", Outcome.WAIT),  # 29.99%: just before 30
        ("70.00", "large", Outcome.DENY),  # 30%: the first divergence of "large"
        ("0.01", "large", Outcome.DENY),  # 99.99%
        ("0.00", "large", Outcome.DENY),  # exactly 100%: caught
    ],
)
def test_each_range_edge_is_decided_by_its_own_rule(
    manual: str, rule_id: str, outcome: Outcome
) -> None:
    decided = decide_item(BRAND, item("100.00", manual))
    assert (decided.rule_id, decided.outcome) == (rule_id, outcome)


def test_a_divergence_just_under_an_edge_is_not_rounded_onto_it() -> None:
    # 9.99 off 29.99... : 20.99 on 29.99 is 30.0100...% -> large; 21.00 is 29.9766...% -> medium
    assert decide_item(BRAND, item("29.99", "20.99")).rule_id == "large"
    assert decide_item(BRAND, item("29.99", "21.00")).rule_id == "medium"
    assert decide_item(BRAND, item("29.99", "20.99")).divergence == Fraction(900, 2999) * 100


def test_vtex_less_than_100_rule_is_refused_as_a_gap() -> None:
    # the rule set VTEX shipped: discounts "less than 100" are authorized, a free item passes
    with pytest.raises(ValidationError, match="a divergence of exactly 100") as caught:
        AuthorizationRules(
            [
                rng("raise", Outcome.WAIT, None, False, "0", False),
                rng("discount", Outcome.AUTHORIZE, "0", True, "100", False),
            ]
        )
    assert caught.value.field == "AuthorizationRules.ranges"


def test_the_right_rule_set_puts_exactly_100_in_its_own_range() -> None:
    rules = AuthorizationRules(
        [
            rng("raise", Outcome.WAIT, None, False, "0", False),
            rng("discount", Outcome.AUTHORIZE, "0", True, "100", False),
            rng("free", Outcome.DENY, "100", True, "100", True),
        ]
    )
    assert decide_item(rules, item("100.00", "0.00")).outcome is Outcome.DENY
    assert decide_item(rules, item("100.00", "0.01")).outcome is Outcome.AUTHORIZE


@pytest.mark.parametrize(
    ("ranges", "message"),
    [
        ([], "must be a non-empty list"),
        (
            [rng("a", Outcome.WAIT, "0", True, "100", True)],
            "divergences below 0 \\(raised prices\\) are in no range",
        ),
        (
            [
                rng("a", Outcome.WAIT, None, False, "10", False),
                rng("b", Outcome.WAIT, "10", False, "100", True),
            ],
            "gap between 'a' \\(-inf, 10\\) and 'b' \\(10, 100\\]: divergences from 10 to 10",
        ),
        (
            [
                rng("a", Outcome.WAIT, None, False, "10", True),
                rng("b", Outcome.WAIT, "20", True, "100", True),
            ],
            "divergences from 10 to 20 are in no range",
        ),
        (
            [
                rng("a", Outcome.WAIT, None, False, "10", True),
                rng("b", Outcome.WAIT, "10", True, "100", True),
            ],
            "overlap: 'a' \\(-inf, 10\\] and 'b' \\[10, 100\\] both hold 10",
        ),
        (
            [
                rng("a", Outcome.WAIT, None, False, "50", True),
                rng("b", Outcome.WAIT, "20", True, "100", True),
            ],
            "both hold 20 to 50",
        ),
        (
            [
                rng("a", Outcome.WAIT, None, False, "50", True),
                rng("b", Outcome.WAIT, None, False, "100", True),
            ],
            "both hold every divergence below 50",
        ),
        (
            [rng("a", Outcome.WAIT, None, False, "99.99", True)],
            "divergences above 99.99 up to 100",
        ),
        (
            [
                rng("a", Outcome.WAIT, None, False, "0", False),
                rng("a", Outcome.WAIT, "0", True, "100", True),
            ],
            "rule_id must be unique",
        ),
    ],
)
def test_rules_with_a_gap_or_an_overlap_are_refused(ranges: list[PriceRange], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        AuthorizationRules(ranges)


def test_a_range_refuses_bad_bounds() -> None:
    with pytest.raises(ValidationError, match="must be <= 100"):
        rng("a", Outcome.WAIT, "0", True, "100.01", True)
    with pytest.raises(ValidationError, match="must be False when lower is None"):
        rng("a", Outcome.WAIT, None, True, "0", True)
    with pytest.raises(ValidationError, match="above the lower bound 20"):
        rng("a", Outcome.WAIT, "20", True, "10", True)
    with pytest.raises(ValidationError, match="finite decimal"):
        PriceRange(
            rule_id="a",
            outcome=Outcome.WAIT,
            lower=None,
            lower_inclusive=False,
            upper=100.0,  # type: ignore[arg-type]
            upper_inclusive=True,
        )


def test_rules_load_from_json_data_and_are_checked() -> None:
    data = converter.unstructure(BRAND)
    assert converter.structure(data, AuthorizationRules) == BRAND
    data["ranges"][3]["upper_inclusive"] = False
    with pytest.raises(ValidationError, match="exactly 100"):
        converter.structure(data, AuthorizationRules)


# --- the default: every manual price waits ---------------------------------------------


@pytest.mark.parametrize("manual", ["0.00", "50.00", "100.00", "100.01", "99999.99"])
def test_by_default_every_manual_price_waits_for_a_person(manual: str) -> None:
    # "o preço manual precisa ser aprovado pelo administrador da loja ou por um usuário com
    # permissão no sistema de Autorização de Pedidos"
    decided = decide_item(AuthorizationRules.default(), item("100.00", manual))
    assert decided.outcome is Outcome.WAIT
    assert decided.rule_id == "every-manual-price-waits"


# --- orders -------------------------------------------------------------------------


def test_an_order_where_one_item_waits_and_one_is_denied_is_denied() -> None:
    items = [
        item("100.00", None, sku="A"),
        item("100.00", "80.00", sku="B"),  # 20%: medium, waits
        item("100.00", "50.00", sku="C"),  # 50%: large, denied
    ]
    decided = decide_order(BRAND, items)
    assert decided.outcome is Outcome.DENY
    assert [(d.item.sku, d.outcome, d.rule_id) for d in decided.items] == [
        ("A", Outcome.AUTHORIZE, None),
        ("B", Outcome.WAIT, "medium"),
        ("C", Outcome.DENY, "large"),
    ]


def test_an_order_waits_if_any_item_waits_and_none_is_denied() -> None:
    decided = decide_order(BRAND, [item("100.00", "95.00"), item("100.00", "120.00")])
    assert (decided.outcome, decided.needs_a_person) == (Outcome.WAIT, True)


def test_an_order_without_manual_prices_needs_no_authorization() -> None:
    decided = decide_order(AuthorizationRules.default(), [item("10.00", None)])
    assert (decided.outcome, decided.needs_a_person) == (Outcome.AUTHORIZE, False)
    assert decide_order(BRAND, []).outcome is Outcome.AUTHORIZE


# --- digest -------------------------------------------------------------------------


def test_the_digest_is_the_documented_sha256() -> None:
    items = [item("10.00", "9.50", sku="B", quantity=2), item("3.00", None, sku="A")]
    # the canonical text, by hand: the format line, then the sorted JSON lines
    text = 'otocore-order-items/1\n["A",1,"3.00",null]\n["B",2,"10.00","9.50"]\n'
    assert items_digest(items) == hashlib.sha256(text.encode()).hexdigest()


def test_the_digest_changes_with_any_price_quantity_or_sku() -> None:
    base = item("10.00", "9.50", sku="B", quantity=2)
    digest = items_digest([base])
    assert items_digest([item("10.0", "9.5", sku="B", quantity=2)]) == digest  # equal items
    for changed in [
        item("10.00", "9.49", sku="B", quantity=2),
        item("10.01", "9.50", sku="B", quantity=2),
        item("10.00", None, sku="B", quantity=2),
        item("10.00", "9.50", sku="B", quantity=3),
        item("10.00", "9.50", sku="b", quantity=2),
    ]:
        assert items_digest([changed]) != digest


# --- Decision -----------------------------------------------------------------------


def test_a_decision_records_who_when_what_and_why_in_utc() -> None:
    at = datetime(2026, 5, 10, 12, tzinfo=timezone(timedelta(hours=-3)))
    digest = items_digest([item("10.00", "9.00")])
    decision = Decision(
        decided_by="acct-9",
        by_rule=False,
        at=at,
        outcome=Outcome.AUTHORIZE,
        reason="cliente recorrente",
        digest=digest,
    )
    assert decision.at == datetime(2026, 5, 10, 15, tzinfo=UTC)
    assert decision.at.tzinfo is UTC
    with pytest.raises(ValidationError, match=r"Decision\.at must be timezone-aware"):
        Decision(
            decided_by="r", by_rule=True, at=datetime(2026, 5, 10), outcome=Outcome.DENY, reason="x"
        )
    with pytest.raises(ValidationError, match=r"Decision\.digest must be 64 lowercase hex"):
        Decision(decided_by="r", by_rule=True, at=at, outcome=Outcome.DENY, reason="x", digest="AB")


def test_rules_loaded_from_json_report_every_fault_with_its_path() -> None:
    data = {
        "ranges": [
            {
                "rule_id": "a",
                "outcome": "maybe",
                "lower": None,
                "upper": 100.0,
                "upper_inclusive": True,
            }
        ]
    }
    with pytest.raises(ValidationError) as refused:
        converter.structure(data, AuthorizationRules)
    assert [e.field for e in refused.value.errors] == [
        "AuthorizationRules.ranges[0].outcome",
        "AuthorizationRules.ranges[0].lower_inclusive",
        "AuthorizationRules.ranges[0].upper",
    ]
    assert "must be one of 'authorize', 'deny', 'wait', got 'maybe'" in str(refused.value)
    assert "lower_inclusive is required" in str(refused.value)


# --- every fault names its field, its value and the rule, exactly ----------------------


def _fault(call: object) -> tuple[str, object, str]:
    assert callable(call)
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.field, caught.value.value, caught.value.rule


def _open(upper: str, rule_id: str = "a", upper_inclusive: bool = False) -> PriceRange:
    return rng(rule_id, Outcome.WAIT, None, False, upper, upper_inclusive)


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (
            lambda: AuthorizationRules(5),  # type: ignore[arg-type]
            ("AuthorizationRules.ranges", 5, "must be a non-empty list of PriceRange"),
        ),
        (
            lambda: AuthorizationRules(
                [_open("0", "a"), rng("a", Outcome.WAIT, "0", True, "100", True)]
            ),
            ("AuthorizationRules.ranges[1].rule_id", "a", "must be unique"),
        ),
        (
            lambda: AuthorizationRules([rng("a", Outcome.WAIT, "10", True, "100", True)]),
            (
                "AuthorizationRules.ranges",
                "[10, 100]",
                "leave a gap: divergences below 10 (raised prices) are in no range; the lowest"
                " range must be open below (lower=None)",
            ),
        ),
        (
            lambda: AuthorizationRules(
                [_open("10"), rng("b", Outcome.WAIT, "10", False, "100", True)]
            ),
            (
                "AuthorizationRules.ranges",
                "(-inf, 10) (10, 100]",
                "leave a gap between 'a' (-inf, 10) and 'b' (10, 100]: divergences from 10 to 10"
                " are in no range",
            ),
        ),
        (
            lambda: AuthorizationRules(
                [_open("10", upper_inclusive=True), rng("b", Outcome.WAIT, "10", True, "100", True)]
            ),
            (
                "AuthorizationRules.ranges",
                "(-inf, 10] [10, 100]",
                "overlap: 'a' (-inf, 10] and 'b' [10, 100] both hold 10",
            ),
        ),
        (
            lambda: AuthorizationRules(
                [
                    _open("50", upper_inclusive=True),
                    rng("b", Outcome.WAIT, "20", False, "100", True),
                ]
            ),
            (
                "AuthorizationRules.ranges",
                "(-inf, 50] (20, 100]",
                "overlap: 'a' (-inf, 50] and 'b' (20, 100] both hold 20 to 50",
            ),
        ),
        (
            lambda: AuthorizationRules([_open("50"), _open("100", "b", upper_inclusive=True)]),
            (
                "AuthorizationRules.ranges",
                "(-inf, 50) (-inf, 100]",
                "overlap: 'a' (-inf, 50) and 'b' (-inf, 100] both hold every divergence below 50",
            ),
        ),
        (
            lambda: AuthorizationRules([_open("99.99", upper_inclusive=True)]),
            (
                "AuthorizationRules.ranges",
                "(-inf, 99.99]",
                "leave a gap: divergences above 99.99 up to 100 (a free item) are in no range;"
                " the highest range must end at 100 inclusive",
            ),
        ),
        (
            lambda: AuthorizationRules([_open("100")]),
            (
                "AuthorizationRules.ranges",
                "(-inf, 100)",
                "leave a gap: a divergence of exactly 100 (a free item) is in no range; the"
                " highest range must end at 100 inclusive",
            ),
        ),
        (
            # the inclusive start sorts first: [10, 20] then (10, 100], which overlap
            lambda: AuthorizationRules(
                [
                    _open("10"),
                    rng("c", Outcome.WAIT, "10", False, "100", True),
                    rng("b", Outcome.WAIT, "10", True, "20", True),
                ]
            ),
            (
                "AuthorizationRules.ranges",
                "[10, 20] (10, 100]",
                "overlap: 'b' [10, 20] and 'c' (10, 100] both hold 10 to 20",
            ),
        ),
        (
            lambda: AuthorizationRules([rng("a", Outcome.WAIT, "-0", True, "100", True)]),
            (
                "AuthorizationRules.ranges",
                "[0, 100]",
                "leave a gap: divergences below 0 (raised prices) are in no range; the lowest"
                " range must be open below (lower=None)",
            ),
        ),
        (
            lambda: rng("a", Outcome.WAIT, None, True, "0", True),
            (
                "PriceRange.lower_inclusive",
                True,
                "must be False when lower is None (a range open below has no lowest value)",
            ),
        ),
        (
            lambda: rng("a", Outcome.WAIT, "0", True, "100.5", True),
            (
                "PriceRange.upper",
                Decimal("100.5"),
                "must be <= 100 (a free item is a divergence of 100)",
            ),
        ),
        (
            lambda: rng("a", Outcome.WAIT, "20.5", True, "10", True),
            (
                "PriceRange.upper",
                Decimal("10"),
                "must be above the lower bound 20.5, or equal to it with both ends inclusive",
            ),
        ),
        (
            lambda: PriceRange(
                rule_id="a",
                outcome=Outcome.WAIT,
                lower=1.5,  # type: ignore[arg-type]
                lower_inclusive=True,
                upper=Decimal(100),
                upper_inclusive=True,
            ),
            ("PriceRange.lower", 1.5, "must be a finite decimal.Decimal (a percent)"),
        ),
        (
            lambda: divergence(1.5, Decimal(1)),  # type: ignore[arg-type]
            ("list_price", 1.5, "must be a decimal.Decimal (never a float)"),
        ),
        (
            lambda: divergence(Decimal(1), Decimal(-1)),
            ("manual_price", Decimal(-1), "must be >= 0 with at most 2 decimal places"),
        ),
        (
            lambda: decide_item("rules", item("1.00", None)),  # type: ignore[arg-type]
            ("rules", "rules", "must be an AuthorizationRules"),
        ),
        (
            lambda: decide_item(BRAND, "item"),  # type: ignore[arg-type]
            ("item", "item", "must be an OrderItem"),
        ),
        (
            lambda: decide_order("rules", []),  # type: ignore[arg-type]
            ("rules", "rules", "must be an AuthorizationRules"),
        ),
        (
            lambda: decide_order(BRAND, [item("1.00", None), 7]),  # type: ignore[list-item]
            ("items[1]", 7, "must be an OrderItem"),
        ),
        (
            lambda: items_digest([7]),  # type: ignore[list-item]
            ("items[0]", 7, "must be an OrderItem"),
        ),
        (
            lambda: Decision(
                decided_by="r",
                by_rule=True,
                at=datetime(2026, 1, 1, tzinfo=UTC),
                outcome=Outcome.DENY,
                reason="x",
                digest="g" * 64,
            ),
            ("Decision.digest", "g" * 64, "must be 64 lowercase hex digits (SHA-256)"),
        ),
        (
            lambda: Decision(
                decided_by="r",
                by_rule=True,
                at=datetime(2026, 1, 1, tzinfo=UTC),
                outcome=Outcome.DENY,
                reason="x",
                digest="X" * 64,
            ),
            ("Decision.digest", "X" * 64, "must be 64 lowercase hex digits (SHA-256)"),
        ),
    ],
)
def test_every_fault_names_its_field_value_and_rule(
    call: object, expected: tuple[str, object, str]
) -> None:
    assert _fault(call) == expected


def test_a_zero_list_price_with_a_zero_manual_price_is_no_change() -> None:
    zero = item("0.00", "0.00")
    decided = decide_item(BRAND, zero)
    assert (decided.rule_id, decided.divergence, decided.item) == ("small", Fraction(0), zero)
    raised = item("0.00", "1.00")
    decided = decide_item(BRAND, raised)
    assert (decided.rule_id, decided.divergence, decided.item) == ("raise", None, raised)
    assert decided.reason == "raised from a list price of 0: rule 'raise' (-inf, 0) (open below)"


def test_the_digest_keeps_non_ascii_skus_as_they_are() -> None:
    sku = item("1.00", None, sku="CAMISA-AÇAÍ")
    text = 'otocore-order-items/1\n["CAMISA-AÇAÍ",1,"1.00",null]\n'
    assert items_digest([sku]) == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_a_range_starting_at_0_sorts_before_one_starting_above_it() -> None:
    rules = AuthorizationRules(
        [
            rng("c", Outcome.DENY, "0.5", False, "100", True),
            rng("b", Outcome.AUTHORIZE, "0", True, "0.5", True),
            rng("a", Outcome.WAIT, None, False, "0", False),
        ]
    )
    assert [r.rule_id for r in rules.ranges] == ["c", "b", "a"]  # kept as given
    assert decide_item(rules, item("100.00", "99.50")).rule_id == "b"
