"""Write the golden vectors of manual-price authorization (``tests/vectors/authorization``).

Run ``python tests/vectors/generate_authorization.py`` from the repository root (with
otocore importable) to rewrite ``tests/vectors/authorization/*.json``.

Like ``tests/vectors/generate.py``, this script only **builds inputs**: it makes otocore
values (``PriceRange``, ``OrderItem``) and writes them with
``otocore.serialization.converter``. It never calls a rule function (``divergence``,
``decide_item``, ``decide_order``, ``items_digest``): every ``expected`` below is a literal
typed by hand from docs/authorization.md, with the reasoning in the ``description``; the
digest is the SHA-256 of the canonical text written out by hand (``canonical``). The replay
test (``tests/unit/test_authorization_vectors.py``) then checks otocore agrees.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from otocore.authorization import Outcome, PriceRange
from otocore.orders import OrderItem
from otocore.serialization import converter

HERE = Path(__file__).resolve().parent / "authorization"
FORMAT = "otocore-authorization-vector/1"
SEED_APPROVAL = (
    "VTEX's Televendas help page, Inserir preço manual: Após fechar o pedido, o preço manual"
    " precisa ser aprovado pelo administrador da loja ou por um usuário com permissão no"
    " sistema de Autorização de Pedidos."
)
SEED_NO_LIMIT = (
    "VTEX's Televendas help page, Inserir preço manual: Não há restrições sobre aumento e"
    " redução de preço."
)
W, A, D = Outcome.WAIT, Outcome.AUTHORIZE, Outcome.DENY


def rng(  # noqa: PLR0917 - reads like the interval it builds
    rule_id: str, outcome: Outcome, lower: str | None, li: bool, upper: str, ui: bool
) -> PriceRange:
    return PriceRange(
        rule_id=rule_id,
        outcome=outcome,
        lower=None if lower is None else Decimal(lower),
        lower_inclusive=li,
        upper=Decimal(upper),
        upper_inclusive=ui,
    )


def item(sku: str, list_price: str, manual: str | None, quantity: int = 1) -> OrderItem:
    return OrderItem(
        sku=sku,
        quantity=quantity,
        list_price=Decimal(list_price),
        manual_price=None if manual is None else Decimal(manual),
    )


# raises wait; up to 10% off is authorized; over 10% and under 30% waits; 30% to 100% is denied
BRAND = [
    rng("raise", W, None, False, "0", False),
    rng("small", A, "0", True, "10", True),
    rng("medium", W, "10", False, "30", False),
    rng("large", D, "30", True, "100", True),
]
DEFAULT = [rng("every-manual-price-waits", W, None, False, "100", True)]


def decided(outcome: Outcome, rule_id: str | None, divergence: str | None) -> dict[str, Any]:
    return {"outcome": outcome.value, "rule_id": rule_id, "divergence": divergence}


def write(  # noqa: PLR0917 - reads like the table it writes
    name: str,
    description: str,
    seed: str,
    ranges: list[PriceRange],
    items: list[OrderItem],
    expected: dict[str, Any],
) -> None:
    vector = {
        "format": FORMAT,
        "description": description,
        "seed": seed,
        "rules": {"ranges": converter.unstructure(ranges)},
        "items": converter.unstructure(items),
        **expected,
    }
    HERE.mkdir(exist_ok=True)
    text = json.dumps(vector, indent=2, ensure_ascii=False) + "\n"
    (HERE / f"{name}.json").write_text(text, encoding="utf-8")


def order(outcome: Outcome, *items: dict[str, Any], canonical: str) -> dict[str, Any]:
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return {
        "expected": {"order": outcome.value, "items": list(items)},
        "canonical": canonical,
        "digest": digest,
    }


def main() -> None:
    write(
        "01_zero_divergence",
        "A manual price equal to the list price (100.00 on 100.00) is a divergence of exactly"
        " 0: still a manual price, decided by the range holding 0. In the brand's rules that is"
        " 'small' [0, 10] (0 is its first divergence, included), so it is authorized; under"
        " the default rules it waits.",
        SEED_APPROVAL,
        BRAND,
        [item("CAMISA", "100.00", "100.00")],
        order(
            A,
            decided(A, "small", "0"),
            canonical='otocore-order-items/1\n["CAMISA",1,"100.00","100.00"]\n',
        ),
    )
    write(
        "02_first_and_last_of_small_and_medium",
        "On a list price of 100.00, 10.00 off is exactly 10: the last divergence of 'small'"
        " [0, 10] (authorized); 10.01 off is 10.01, the first cent of 'medium' (10, 30) (waits);"
        " 29.99 off is 29.99, the last cent of 'medium' before 30 (waits). One item waits and"
        " none is denied, so the order waits. The canonical lines are sorted as text.",
        SEED_APPROVAL,
        BRAND,
        [
            item("A-LAST-SMALL", "100.00", "90.00"),
            item("B-FIRST-MEDIUM", "100.00", "89.99"),
            item("C-LAST-MEDIUM", "100.00", "70.01", quantity=2),
        ],
        order(
            W,
            decided(A, "small", "10"),
            decided(W, "medium", "1001/100"),
            decided(W, "medium", "2999/100"),
            canonical="otocore-order-items/1\n"
            '["A-LAST-SMALL",1,"100.00","90.00"]\n'
            '["B-FIRST-MEDIUM",1,"100.00","89.99"]\n'
            '["C-LAST-MEDIUM",2,"100.00","70.01"]\n',
        ),
    )
    write(
        "03_first_and_last_of_large_exactly_100",
        "30.00 off 100.00 is exactly 30: the first divergence of 'large' [30, 100], denied; a"
        " free item (manual price 0.00) is exactly 100, its last divergence, and is caught"
        " (denied), not let through. Any denied item denies the order.",
        SEED_APPROVAL,
        BRAND,
        [item("A", "100.00", "70.00"), item("B", "100.00", "0.00")],
        order(
            D,
            decided(D, "large", "30"),
            decided(D, "large", "100"),
            canonical='otocore-order-items/1\n["A",1,"100.00","70.00"]\n["B",1,"100.00","0.00"]\n',
        ),
    )
    write(
        "04_exactly_100_in_its_own_range",
        "VTEX shipped a 'less than 100' rule that let a free item through. The right rule set"
        " gives exactly 100 its own point range 'free' [100, 100] (denied) after 'discount'"
        " [0, 100): 0.01 on 100.00 is 99.99 (authorized), 0.00 is 100 (denied).",
        SEED_APPROVAL,
        [
            rng("raise", W, None, False, "0", False),
            rng("discount", A, "0", True, "100", False),
            rng("free", D, "100", True, "100", True),
        ],
        [item("A", "100.00", "0.01"), item("B", "100.00", "0.00")],
        order(
            D,
            decided(A, "discount", "9999/100"),
            decided(D, "free", "100"),
            canonical='otocore-order-items/1\n["A",1,"100.00","0.01"]\n["B",1,"100.00","0.00"]\n',
        ),
    )
    write(
        "05_less_than_100_is_refused",
        "The rule set VTEX shipped: raises wait, discounts 'less than 100' [0, 100) are"
        " authorized, and nothing holds exactly 100 (a free item). The rules are refused when"
        " loaded, naming the gap.",
        SEED_APPROVAL,
        [rng("raise", W, None, False, "0", False), rng("discount", A, "0", True, "100", False)],
        [],
        {
            "expected_error": {
                "field": "AuthorizationRules.ranges",
                "message": "a divergence of exactly 100 (a free item) is in no range",
            }
        },
    )
    write(
        "06_raised_prices",
        "A raise is a negative divergence, without bound: 100.01 on 100.00 is -0.01, 125.00 is"
        " -25, 300.00 is -200 (200% above the list price). Tiers: 'raise-small' [-50, 0) is"
        " authorized, 'raise-large' (-inf, -50) waits. A manual price of 5.00 on a list price of"
        " 0.00 is a raise with no finite divergence (null): it goes to the range open below.",
        SEED_NO_LIMIT,
        [
            rng("raise-large", W, None, False, "-50", False),
            rng("raise-small", A, "-50", True, "0", False),
            rng("discount", W, "0", True, "100", True),
        ],
        [
            item("A", "100.00", "100.01"),
            item("B", "100.00", "125.00"),
            item("C", "100.00", "300.00"),
            item("D", "0.00", "5.00"),
        ],
        order(
            W,
            decided(A, "raise-small", "-1/100"),
            decided(A, "raise-small", "-25"),
            decided(W, "raise-large", "-200"),
            decided(W, "raise-large", None),
            canonical="otocore-order-items/1\n"
            '["A",1,"100.00","100.01"]\n'
            '["B",1,"100.00","125.00"]\n'
            '["C",1,"100.00","300.00"]\n'
            '["D",1,"0.00","5.00"]\n',
        ),
    )
    write(
        "07_one_waits_one_denied",
        "Three items: no manual price (needs no authorization: authorize, no rule), 20% off"
        " ('medium', waits) and 50% off ('large', denied). Deny dominates wait: the order is"
        " denied, and every item keeps its own decision.",
        SEED_APPROVAL,
        BRAND,
        [
            item("A", "59.90", None, quantity=3),
            item("B", "100.00", "80.00"),
            item("C", "100.00", "50.00"),
        ],
        order(
            D,
            decided(A, None, None),
            decided(W, "medium", "20"),
            decided(D, "large", "50"),
            canonical="otocore-order-items/1\n"
            '["A",3,"59.90",null]\n'
            '["B",1,"100.00","80.00"]\n'
            '["C",1,"100.00","50.00"]\n',
        ),
    )
    write(
        "08_default_every_manual_price_waits",
        "By default every manual price waits for a person: a raise, no change and a free item"
        " all fall in 'every-manual-price-waits' (-inf, 100]; an item without manual price"
        " needs no authorization.",
        SEED_APPROVAL,
        DEFAULT,
        [
            item("A", "10.00", "12.00"),
            item("B", "10.00", "10.00"),
            item("C", "10.00", "0.00"),
            item("D", "10.00", None),
        ],
        order(
            W,
            decided(W, "every-manual-price-waits", "-20"),
            decided(W, "every-manual-price-waits", "0"),
            decided(W, "every-manual-price-waits", "100"),
            decided(A, None, None),
            canonical="otocore-order-items/1\n"
            '["A",1,"10.00","12.00"]\n'
            '["B",1,"10.00","10.00"]\n'
            '["C",1,"10.00","0.00"]\n'
            '["D",1,"10.00",null]\n',
        ),
    )
    write(
        "09_exact_near_an_edge",
        "Divergences that do not end in decimal are compared exactly, never rounded: 20.99 on"
        " 29.99 is 900/29.99 = 90000/2999 = 30.0100...% ('large', denied); 21.00 on 29.99 is"
        " 89900/2999 = 29.9766...% ('medium', waits).",
        SEED_APPROVAL,
        BRAND,
        [item("A", "29.99", "20.99"), item("B", "29.99", "21.00")],
        order(
            D,
            decided(D, "large", "90000/2999"),
            decided(W, "medium", "89900/2999"),
            canonical='otocore-order-items/1\n["A",1,"29.99","20.99"]\n["B",1,"29.99","21.00"]\n',
        ),
    )


if __name__ == "__main__":
    main()
