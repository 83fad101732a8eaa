"""Write the golden vectors of the telesales state machine (``tests/vectors/telesales``).

Run ``python tests/vectors/generate_telesales.py`` from the repository root (with otocore
importable) to rewrite ``tests/vectors/telesales/*.json``.

Like ``tests/vectors/generate_authorization.py``, this script only **builds inputs**: the
rules and items are otocore values written with ``otocore.serialization.converter``, the
steps are plain JSON. It never calls a transition of ``otocore.telesales``: every
``expected`` below (the final state, the approval and the whole history, from, to, who,
when and why) is a literal typed by hand from docs/telesales.md. The replay test
(``tests/unit/test_telesales_vectors.py``) then checks otocore agrees.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from otocore.authorization import Outcome, PriceRange
from otocore.orders import OrderItem
from otocore.serialization import converter

HERE = Path(__file__).resolve().parent / "telesales"
FORMAT = "otocore-telesales-vector/1"
ON_BEHALF = (
    "VTEX's Televendas help page, Comprar em nome do cliente: Quando o operador de televendas"
    " fecha um pedido em nome do cliente, o email do operador é registrado nas informações do"
    " pedido."
)
SHARED = (
    "VTEX's Televendas help page, Carrinho Compartilhável: Nesse caso, o email do operador não"
    " é registrado nas informações do pedido."
)
APPROVAL = (
    "VTEX's Televendas help page, Inserir preço manual: Após fechar o pedido, o preço manual"
    " precisa ser aprovado pelo administrador da loja ou por um usuário com permissão no"
    " sistema de Autorização de Pedidos. Uma vez validado o preço manual inserido, o pedido"
    " segue o fluxo de faturamento."
)
PROMISSORY = (
    "VTEX's Televendas help page: pagamento por promissória (método de pagamento aprovado"
    " imediatamente e manualmente pelo próprio operador)."
)
ANA, BIA, RUI = "ana@marca.com.br", "bia@marca.com.br", "rui@marca.com.br"
W, A, D = Outcome.WAIT, Outcome.AUTHORIZE, Outcome.DENY


def at(minute: int) -> str:
    return f"2026-05-10T12:{minute:02d}:00+00:00"


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


def item(sku: str, list_price: str, manual: str | None = None, quantity: int = 1) -> Any:
    return converter.unstructure(
        OrderItem(
            sku=sku,
            quantity=quantity,
            list_price=Decimal(list_price),
            manual_price=None if manual is None else Decimal(manual),
        )
    )


DEFAULT = [rng("every-manual-price-waits", W, None, False, "100", True)]
# raises wait; up to 10% off is authorized; above 10% is denied
BRAND = [
    rng("raise", W, None, False, "0", False),
    rng("small", A, "0", True, "10", True),
    rng("large", D, "10", False, "100", True),
]


def h(frm: str, to: str, who: str, minute: int, why: str) -> list[str]:
    return [frm, to, who, at(minute), why]


def write(  # noqa: PLR0917 - reads like the table it writes
    name: str,
    description: str,
    seed: str,
    ranges: list[PriceRange],
    cart: dict[str, Any],
    steps: list[dict[str, Any]],
    expected: dict[str, Any],
) -> None:
    vector = {
        "format": FORMAT,
        "description": description,
        "seed": seed,
        "policy": {
            "manual_price_stores": ["L01"],
            "rules": {"ranges": converter.unstructure(ranges)},
        },
        "cart": cart,
        "steps": steps,
        **expected,
    }
    HERE.mkdir(exist_ok=True)
    text = json.dumps(vector, indent=2, ensure_ascii=False) + "\n"
    (HERE / f"{name}.json").write_text(text, encoding="utf-8")


def cart(store: str = "L01", built_by: str = ANA) -> dict[str, Any]:
    return {
        "order_id": "T1",
        "customer_id": "C1",
        "store_id": store,
        "built_by": built_by,
        "at": at(0),
    }


def main() -> None:
    write(
        "01_on_behalf_manual_price_to_invoiced",
        "Ana builds a cart with a manual price (80.00 on 100.00, a divergence of 20) and places"
        " it on the customer's behalf, paid by promissory note: her e-mail is recorded. By"
        " default every manual price waits, so the rules leave it to a person; Rui (not a price"
        " setter) authorizes; Ana approves the promissory note by hand; it is made ready and"
        " invoiced. Eight history entries, the first 'cart created'.",
        APPROVAL,
        DEFAULT,
        cart(),
        [
            {"op": "put_item", "item": item("A", "100.00", "80.00"), "actor": ANA, "at": at(1)},
            {"op": "place_on_behalf", "method": "promissory_note", "actor": ANA, "at": at(2)},
            {"op": "apply_rules", "at": at(3)},
            {"op": "authorize", "actor": RUI, "reason": "cliente VIP", "at": at(4)},
            {"op": "approve_promissory_note", "actor": ANA, "at": at(5)},
            {"op": "mark_ready_for_invoicing", "actor": ANA, "at": at(6)},
            {"op": "invoice", "actor": ANA, "at": at(7)},
        ],
        {
            "expected": {
                "state": "invoiced",
                "operator_email": ANA,
                "completed_by_customer": False,
                "payment_status": "approved",
                "approval": {"decided_by": RUI, "by_rule": False, "outcome": "authorize"},
                "history": [
                    h("cart", "cart", ANA, 0, "cart created"),
                    h("cart", "cart", ANA, 1, "item A added"),
                    h(
                        "cart", "placed", ANA, 2,
                        f"placed on the customer's behalf by {ANA} (promissory_note)",
                    ),
                    h(
                        "placed", "awaiting_authorization", "rules", 3,
                        "waits: A: divergence 20% is in rule 'every-manual-price-waits'"
                        " (-inf, 100]",
                    ),
                    h("awaiting_authorization", "authorized", RUI, 4, "authorized: cliente VIP"),
                    h(
                        "authorized", "payment_approved", ANA, 5,
                        "promissory note approved by hand",
                    ),
                    h("payment_approved", "ready_for_invoicing", ANA, 6, "ready for invoicing"),
                    h("ready_for_invoicing", "invoiced", ANA, 7, "invoiced"),
                ],
            }
        },
    )  # fmt: skip
    write(
        "02_shared_cart_no_operator_email_completed_once",
        "Ana shares a cart without manual prices; the customer completes it: no operator"
        " e-mail is recorded, the cart keeps who built it. A second completion is refused,"
        " naming the state (placed).",
        SHARED,
        DEFAULT,
        cart(),
        [
            {"op": "put_item", "item": item("A", "59.90", None, 2), "actor": ANA, "at": at(1)},
            {"op": "share_cart", "actor": ANA, "at": at(2)},
            {"op": "complete_shared_cart", "method": "gateway", "customer": "C1", "at": at(3)},
            {"op": "complete_shared_cart", "method": "gateway", "customer": "C1", "at": at(4)},
        ],
        {
            "expected_error": {
                "step": 3,
                "message": "order T1 is placed: cannot complete the shared cart (already an"
                " order)",
            },
            "expected": {
                "state": "placed",
                "operator_email": None,
                "completed_by_customer": True,
                "payment_status": "pending",
                "approval": None,
                "history": [
                    h("cart", "cart", ANA, 0, "cart created"),
                    h("cart", "cart", ANA, 1, "item A added"),
                    h("cart", "cart", ANA, 2, "cart shared with the customer"),
                    h(
                        "cart", "placed", "C1", 3,
                        "shared cart completed by the customer (gateway)",
                    ),
                ],
            },
        },
    )  # fmt: skip
    write(
        "03_rules_authorize_a_small_discount_then_the_gateway_pays",
        "Brand rules: up to 10% off is authorized automatically. 95.00 on 100.00 is exactly 5,"
        " in 'small' [0, 10]: the rule authorizes, recorded as the decider; the gateway's"
        " event approves the payment (who: gateway:ev-1), the order becomes payment_approved.",
        APPROVAL,
        BRAND,
        cart(),
        [
            {"op": "put_item", "item": item("A", "100.00", "95.00"), "actor": ANA, "at": at(1)},
            {"op": "place_on_behalf", "method": "gateway", "actor": ANA, "at": at(2)},
            {"op": "apply_rules", "at": at(3)},
            {"op": "approve_by_gateway", "event_id": "ev-1", "at": at(4)},
        ],
        {
            "expected": {
                "state": "payment_approved",
                "operator_email": ANA,
                "completed_by_customer": False,
                "payment_status": "approved",
                "approval": {"decided_by": "small", "by_rule": True, "outcome": "authorize"},
                "history": [
                    h("cart", "cart", ANA, 0, "cart created"),
                    h("cart", "cart", ANA, 1, "item A added"),
                    h(
                        "cart", "placed", ANA, 2,
                        f"placed on the customer's behalf by {ANA} (gateway)",
                    ),
                    h(
                        "placed", "authorized", "rules", 3,
                        "authorized: A: divergence 5% is in rule 'small' [0, 10]",
                    ),
                    h("authorized", "payment_approved", "gateway:ev-1", 4, "gateway event ev-1"),
                ],
            }
        },
    )  # fmt: skip
    write(
        "04_rules_deny_a_free_item",
        "Brand rules: above 10% off is denied. A free item (0.00 on 100.00) is exactly 100, the"
        " last divergence of 'large' (10, 100]: denied, and the order is cancelled.",
        APPROVAL,
        BRAND,
        cart(),
        [
            {"op": "put_item", "item": item("A", "100.00", "0.00"), "actor": ANA, "at": at(1)},
            {"op": "place_on_behalf", "method": "gateway", "actor": ANA, "at": at(2)},
            {"op": "apply_rules", "at": at(3)},
        ],
        {
            "expected": {
                "state": "cancelled",
                "operator_email": ANA,
                "completed_by_customer": False,
                "payment_status": "pending",
                "approval": {"decided_by": "large", "by_rule": True, "outcome": "deny"},
                "history": [
                    h("cart", "cart", ANA, 0, "cart created"),
                    h("cart", "cart", ANA, 1, "item A added"),
                    h(
                        "cart", "placed", ANA, 2,
                        f"placed on the customer's behalf by {ANA} (gateway)",
                    ),
                    h(
                        "placed", "cancelled", "rules", 3,
                        "denied: A: divergence 100% is in rule 'large' (10, 100]",
                    ),
                ],
            }
        },
    )  # fmt: skip
    write(
        "05_price_changed_after_authorization_and_four_eyes",
        "Paid before authorization (the payment is recorded, the state stays awaiting"
        " authorization); Rui authorizes: straight to payment_approved. Bia then changes the"
        " price: back to awaiting authorization, the approval dropped. Bia set a manual price,"
        " so her own authorization is refused (four eyes).",
        APPROVAL,
        DEFAULT,
        cart(),
        [
            {"op": "put_item", "item": item("A", "100.00", "80.00"), "actor": ANA, "at": at(1)},
            {"op": "place_on_behalf", "method": "gateway", "actor": ANA, "at": at(2)},
            {"op": "apply_rules", "at": at(3)},
            {"op": "approve_by_gateway", "event_id": "ev-7", "at": at(4)},
            {"op": "authorize", "actor": RUI, "reason": "ok", "at": at(5)},
            {"op": "set_manual_price", "sku": "A", "price": "70.00", "actor": BIA, "at": at(6)},
            {"op": "authorize", "actor": BIA, "reason": "ok", "at": at(7)},
        ],
        {
            "expected_error": {
                "step": 6,
                "message": f"order T1 is awaiting_authorization: {BIA} set a manual price on"
                " it and cannot authorize it (four eyes)",
            },
            "expected": {
                "state": "awaiting_authorization",
                "operator_email": ANA,
                "completed_by_customer": False,
                "payment_status": "approved",
                "approval": None,
                "history": [
                    h("cart", "cart", ANA, 0, "cart created"),
                    h("cart", "cart", ANA, 1, "item A added"),
                    h(
                        "cart", "placed", ANA, 2,
                        f"placed on the customer's behalf by {ANA} (gateway)",
                    ),
                    h(
                        "placed", "awaiting_authorization", "rules", 3,
                        "waits: A: divergence 20% is in rule 'every-manual-price-waits'"
                        " (-inf, 100]",
                    ),
                    h(
                        "awaiting_authorization", "awaiting_authorization", "gateway:ev-7", 4,
                        "gateway event ev-7",
                    ),
                    h("awaiting_authorization", "payment_approved", RUI, 5, "authorized: ok"),
                    h(
                        "payment_approved", "awaiting_authorization", BIA, 6,
                        "item A changed after placing: back to awaiting authorization",
                    ),
                ],
            },
        },
    )  # fmt: skip
    write(
        "06_invoicing_races_an_item_change",
        "An order ready for invoicing whose items another writer changed behind its approval"
        " ('replace_items', no transition: the race the stores must survive). Invoicing"
        " computes the digest again, finds it differs from the approval's, and sends the order"
        " back to awaiting authorization instead of invoicing it.",
        APPROVAL,
        DEFAULT,
        cart(),
        [
            {"op": "put_item", "item": item("A", "100.00", "80.00"), "actor": ANA, "at": at(1)},
            {"op": "place_on_behalf", "method": "promissory_note", "actor": ANA, "at": at(2)},
            {"op": "apply_rules", "at": at(3)},
            {"op": "authorize", "actor": RUI, "reason": "ok", "at": at(4)},
            {"op": "approve_promissory_note", "actor": ANA, "at": at(5)},
            {"op": "mark_ready_for_invoicing", "actor": ANA, "at": at(6)},
            {"op": "replace_items", "items": [item("A", "100.00", "1.00")]},
            {"op": "invoice", "actor": ANA, "at": at(7)},
        ],
        {
            "expected": {
                "state": "awaiting_authorization",
                "operator_email": ANA,
                "completed_by_customer": False,
                "payment_status": "approved",
                "approval": None,
                "history": [
                    h("cart", "cart", ANA, 0, "cart created"),
                    h("cart", "cart", ANA, 1, "item A added"),
                    h(
                        "cart", "placed", ANA, 2,
                        f"placed on the customer's behalf by {ANA} (promissory_note)",
                    ),
                    h(
                        "placed", "awaiting_authorization", "rules", 3,
                        "waits: A: divergence 20% is in rule 'every-manual-price-waits'"
                        " (-inf, 100]",
                    ),
                    h("awaiting_authorization", "authorized", RUI, 4, "authorized: ok"),
                    h(
                        "authorized", "payment_approved", ANA, 5,
                        "promissory note approved by hand",
                    ),
                    h("payment_approved", "ready_for_invoicing", ANA, 6, "ready for invoicing"),
                    h(
                        "ready_for_invoicing", "awaiting_authorization", ANA, 7,
                        "not invoiced: the items changed since the approval; back to awaiting"
                        " authorization",
                    ),
                ],
            }
        },
    )  # fmt: skip
    write(
        "07_manual_price_where_the_store_has_none",
        "Store L02 has not enabled manual prices (only L01 has): setting one is refused, naming"
        " the state (cart), and the cart is unchanged.",
        APPROVAL,
        DEFAULT,
        cart(store="L02"),
        [
            {"op": "put_item", "item": item("A", "100.00", "90.00"), "actor": ANA, "at": at(1)},
        ],
        {
            "expected_error": {
                "step": 0,
                "message": "order T1 is cart: manual prices are not enabled for store L02",
            },
            "expected": {
                "state": "cart",
                "operator_email": None,
                "completed_by_customer": False,
                "payment_status": "pending",
                "approval": None,
                "history": [h("cart", "cart", ANA, 0, "cart created")],
            },
        },
    )


if __name__ == "__main__":
    main()
