"""Write the golden vectors of attribution (``tests/vectors/attribution``).

Run ``python tests/vectors/generate_attribution.py`` from the repository root (with
otocore importable) to rewrite ``tests/vectors/attribution/*.json``.

Like ``tests/vectors/generate.py``, this script only **builds inputs**: it makes otocore
values (``Order``, ``Contact``) and writes them with ``otocore.serialization.converter``.
It never calls ``otocore.attribution.attribute``: every ``expected`` below is a literal
typed by hand from docs/attribution.md, with the reasoning in the ``description``. The
replay test (``tests/unit/test_attribution_vectors.py``) then checks otocore agrees, on
the reference rule and on every engine of ``otocore.frames``.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from otocore.consent import ContactChannel
from otocore.contacts import Contact
from otocore.orders import Channel, Order, OrderStatus
from otocore.serialization import converter

HERE = Path(__file__).resolve().parent / "attribution"
FORMAT = "otocore-attribution-vector/1"
SEED = (
    "Oto's help page for managers and campaigns, Visão de resultados para Vendedores de"
    " Loja: Sempre que o vendedor realizar uma venda, após o contato no Oto, é possível"
    " visualizá-la diretamente no app."
)
SP = ZoneInfo("America/Sao_Paulo")
DEFAULT = {"window_days": 7, "model": "last_contact"}
FIRST = {"window_days": 7, "model": "first_contact"}


def at(day: int, hour: int, minute: int = 0, second: int = 0, micro: int = 0) -> datetime:
    """An instant of May 2026 in São Paulo (UTC-3 all year)."""
    return datetime(2026, 5, day, hour, minute, second, micro, tzinfo=SP)


def talk(contact_id: str, seller: str, customer: str, started: datetime) -> Contact:
    return Contact(
        contact_id=contact_id,
        seller_code=seller,
        customer_id=customer,
        channel=ContactChannel.WHATSAPP,
        started_at=started,
        finished_at=started + timedelta(minutes=10),
        in_portfolio=True,
    )


def sale(  # noqa: PLR0917 - reads like the row it writes
    order_id: str,
    customer: str,
    placed: datetime,
    total: str = "100.00",
    seller: str | None = None,
    channel: Channel = Channel.STORE,
    status: OrderStatus = OrderStatus.COMPLETED,
) -> Order:
    return Order(
        order_id=order_id,
        customer_id=customer,
        store_id="L01",
        placed_at=placed,
        total=Decimal(total),
        seller_code=seller,
        channel=channel,
        status=status,
    )


def credit(  # noqa: PLR0917 - reads like the row it expects
    order_id: str, contact_id: str, seller: str, contact_day: str, purchase_day: str, total: str
) -> dict[str, Any]:
    return {
        "order_id": order_id,
        "contact_id": contact_id,
        "seller_code": seller,
        "contact_day": contact_day,
        "purchase_day": purchase_day,
        "total": total,
    }


def none(order_id: str, reason: str) -> dict[str, Any]:
    return {"order_id": order_id, "reason": reason}


def write(  # noqa: PLR0917 - reads like the table it writes
    name: str,
    description: str,
    policy: dict[str, Any],
    orders: list[Order],
    contacts: list[Contact],
    attributed: list[dict[str, Any]],
    cancelled: list[dict[str, Any]],
    unattributed: list[dict[str, Any]],
) -> None:
    vector = {
        "format": FORMAT,
        "description": description,
        "seed": SEED,
        "policy": policy,
        "orders": converter.unstructure(orders),
        "contacts": converter.unstructure(contacts),
        "expected": {
            "attributed": attributed,
            "cancelled": cancelled,
            "unattributed": unattributed,
        },
    }
    HERE.mkdir(exist_ok=True)
    text = json.dumps(vector, indent=2, ensure_ascii=False) + "\n"
    (HERE / f"{name}.json").write_text(text, encoding="utf-8")


def main() -> None:
    c10 = at(1, 10)
    write(
        "order_one_second_before_the_contact",
        "Ana's contact A1 started at 10:00:00 on 1 May; order P1 was placed at 09:59:59, one"
        " second before it. A contact must start strictly before the order, so A1 cannot"
        " have brought P1 and P1 is not attributed. P2, placed one second after the contact,"
        " is A1's.",
        DEFAULT,
        [
            sale("P1", "ANA", c10 - timedelta(seconds=1)),
            sale("P2", "ANA", c10 + timedelta(seconds=1)),
        ],
        [talk("A1", "V01", "ANA", c10)],
        [credit("P2", "A1", "V01", "2026-05-01", "2026-05-01", "100.00")],
        [],
        [none("P1", "no_contact_in_window")],
    )
    write(
        "order_at_the_same_instant_as_the_contact",
        "Order P1 was placed at 10:00:00.000000, the very instant contact A1 started. The"
        " contact must start strictly before the order: a sale at the same instant did not"
        " come from it, so P1 is not attributed.",
        DEFAULT,
        [sale("P1", "ANA", c10)],
        [talk("A1", "V01", "ANA", c10)],
        [],
        [],
        [none("P1", "no_contact_in_window")],
    )
    write(
        "order_exactly_at_the_end_of_the_window",
        "The window is 7 days of elapsed time, ends included: P1 placed at 10:00 on 8 May is"
        " exactly 168 hours after A1 started (10:00 on 1 May) and is A1's; P2, one"
        " microsecond later, and P3, one second later, are past the window and not"
        " attributed.",
        DEFAULT,
        [
            sale("P1", "ANA", at(8, 10)),
            sale("P2", "ANA", at(8, 10, 0, 0, 1)),
            sale("P3", "ANA", at(8, 10, 0, 1)),
        ],
        [talk("A1", "V01", "ANA", c10)],
        [credit("P1", "A1", "V01", "2026-05-01", "2026-05-08", "100.00")],
        [],
        [none("P2", "no_contact_in_window"), none("P3", "no_contact_in_window")],
    )
    two_sellers = [talk("A1", "V01", "ANA", at(1, 10)), talk("B7", "V02", "ANA", at(3, 16))]
    write(
        "two_sellers_contact_the_same_customer_last_contact",
        "V01 talked to Ana on 1 May (A1), V02 on 3 May (B7); she bought on 5 May (P1). Under"
        " the default model, LAST_CONTACT, the latest contact before the order gets the sale:"
        " B7, so V02. On 9 May (P2) A1 is past the window (8 days) but B7 is not (5 days"
        " 18 hours): V02 again.",
        DEFAULT,
        [sale("P1", "ANA", at(5, 12), "250.00"), sale("P2", "ANA", at(9, 10), "80.00")],
        two_sellers,
        [
            credit("P1", "B7", "V02", "2026-05-03", "2026-05-05", "250.00"),
            credit("P2", "B7", "V02", "2026-05-03", "2026-05-09", "80.00"),
        ],
        [],
        [],
    )
    write(
        "two_sellers_contact_the_same_customer_first_contact",
        "The same contacts and orders under FIRST_CONTACT: P1 on 5 May has both A1 (V01) and"
        " B7 (V02) in its window and the earliest, A1, gets it. P2 on 9 May has only B7 in"
        " its window (A1 is 8 days before): V02.",
        FIRST,
        [sale("P1", "ANA", at(5, 12), "250.00"), sale("P2", "ANA", at(9, 10), "80.00")],
        two_sellers,
        [
            credit("P1", "A1", "V01", "2026-05-01", "2026-05-05", "250.00"),
            credit("P2", "B7", "V02", "2026-05-03", "2026-05-09", "80.00"),
        ],
        [],
        [],
    )
    write(
        "two_contacts_at_the_same_instant",
        "Two sellers registered contacts with Ana at the same instant (A2 by V02, A10 by V10)."
        " Ties on the instant go to the lowest contact_id in code-point order: 'A10' < 'A2'"
        " (the character '1' comes before '2'), so A10 and V10 get the sale, under either"
        " model.",
        DEFAULT,
        [sale("P1", "ANA", at(2, 10))],
        [talk("A2", "V02", "ANA", c10), talk("A10", "V10", "ANA", c10)],
        [credit("P1", "A10", "V10", "2026-05-01", "2026-05-02", "100.00")],
        [],
        [],
    )
    late = at(3, 23, 59)
    write(
        "contact_at_23_59_local_time",
        "A1 started at 23:59 on 3 May in São Paulo (02:59 UTC on the 4th). Its day of contact"
        " is 3 May, the local day. The window is elapsed time, not local days: it ends at"
        " 23:59 on 10 May, so P1 at 00:01 on 4 May (two minutes later, the next local day)"
        " and P2 at 23:59 on 10 May are A1's, and P3 at 00:00 on 11 May (one minute past"
        " the 168 hours) is not, though it is 'the 8th day' only by a minute.",
        DEFAULT,
        [
            sale("P1", "ANA", at(4, 0, 1)),
            sale("P2", "ANA", at(10, 23, 59)),
            sale("P3", "ANA", at(11, 0, 0)),
        ],
        [talk("A1", "V01", "ANA", late)],
        [
            credit("P1", "A1", "V01", "2026-05-03", "2026-05-04", "100.00"),
            credit("P2", "A1", "V01", "2026-05-03", "2026-05-10", "100.00"),
        ],
        [],
        [none("P3", "no_contact_in_window")],
    )
    write(
        "online_order_with_a_seller_code",
        "Ana talked to V01 (A1, 1 May) and to V02 (B7, 3 May), then bought online with V01's"
        " seller code (P1, 5 May). The code names the seller: only V01's contacts can earn"
        " it, and A1 does, though B7 is later. P2, online without a code, and P3, in a store"
        " with V01 at the till, follow the plain rule: the last contact, B7 (V02).",
        DEFAULT,
        [
            sale("P1", "ANA", at(5, 12), "300.00", "V01", Channel.ONLINE),
            sale("P2", "ANA", at(5, 13), "40.00", None, Channel.ONLINE),
            sale("P3", "ANA", at(5, 14), "60.00", "V01", Channel.STORE),
        ],
        two_sellers,
        [
            credit("P1", "A1", "V01", "2026-05-01", "2026-05-05", "300.00"),
            credit("P2", "B7", "V02", "2026-05-03", "2026-05-05", "40.00"),
            credit("P3", "B7", "V02", "2026-05-03", "2026-05-05", "60.00"),
        ],
        [],
        [],
    )
    write(
        "online_order_with_the_code_of_a_seller_who_made_no_contact",
        "Ana bought online with V09's seller code (P1), but only V01 and V02 talked to her in"
        " the window. The code says the sale is V09's, not V01's or V02's, and V09 made no"
        " contact: P1 is not a sale from a contact (it stays credited to V09 by its code"
        " alone). Its reason says so.",
        DEFAULT,
        [sale("P1", "ANA", at(5, 12), "300.00", "V09", Channel.ONLINE)],
        two_sellers,
        [],
        [],
        [none("P1", "seller_code_without_contact")],
    )
    write(
        "cancelled_order_does_not_count",
        "P1 and P2 both follow A1 within the window, but P2 was cancelled: P1 counts, P2 does"
        " not. P2 is reported apart with the contact it would have had, for gross and net"
        " revenue side by side. P3, cancelled with no contact, is simply unattributed.",
        DEFAULT,
        [
            sale("P1", "ANA", at(2, 10), "100.00"),
            sale("P2", "ANA", at(2, 11), "50.00", status=OrderStatus.CANCELLED),
            sale("P3", "BIA", at(2, 12), "70.00", status=OrderStatus.CANCELLED),
        ],
        [talk("A1", "V01", "ANA", c10)],
        [credit("P1", "A1", "V01", "2026-05-01", "2026-05-02", "100.00")],
        [credit("P2", "A1", "V01", "2026-05-01", "2026-05-02", "50.00")],
        [none("P3", "no_contact_in_window")],
    )
    write(
        "one_contact_earns_several_orders_and_other_customers_none",
        "One contact can earn several orders: P1 and P2 (Ana, 2 and 6 May) both go to A1."
        " Bia's order P3 is not attributed to Ana's contact: the contact must be with the"
        " same customer.",
        DEFAULT,
        [
            sale("P1", "ANA", at(2, 10), "10.00"),
            sale("P2", "ANA", at(6, 10), "20.00"),
            sale("P3", "BIA", at(3, 10), "30.00"),
        ],
        [talk("A1", "V01", "ANA", c10)],
        [
            credit("P1", "A1", "V01", "2026-05-01", "2026-05-02", "10.00"),
            credit("P2", "A1", "V01", "2026-05-01", "2026-05-06", "20.00"),
        ],
        [],
        [none("P3", "no_contact_in_window")],
    )
    write(
        "a_window_of_30_days",
        "With window_days=30, P1 placed at 10:00 on 31 May, exactly 30 days after A1, is"
        " A1's; under the default 7 days it would not be. P2 one second later is not.",
        {"window_days": 30, "model": "last_contact"},
        [sale("P1", "ANA", at(31, 10)), sale("P2", "ANA", at(31, 10, 0, 1))],
        [talk("A1", "V01", "ANA", c10)],
        [credit("P1", "A1", "V01", "2026-05-01", "2026-05-31", "100.00")],
        [],
        [none("P2", "no_contact_in_window")],
    )


if __name__ == "__main__":
    main()
