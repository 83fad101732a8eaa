"""Write the golden vectors of the results views (``tests/vectors/results``).

Run ``python tests/vectors/generate_results.py`` from the repository root (with otocore
importable) to rewrite ``tests/vectors/results/*.json``.

Like ``generate_attribution.py``, this script only **builds inputs** (otocore values written
with ``otocore.serialization.converter``). It never calls ``otocore.results``: every
``expected`` below is a literal typed by hand from docs/results.md, with the reasoning in the
``description``. The replay test (``tests/unit/test_results_vectors.py``) checks that otocore
agrees.

Each vector pins a rule of the views' own, not of attribution: what the conversion counts,
gross against net, the period's local days, the seller's store, the ranking's tie-breaks, and
what counts as started and finished.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from otocore.consent import ContactChannel
from otocore.contacts import Contact, ContactOutcome
from otocore.orders import Channel, Order, OrderStatus
from otocore.sellers import Seller
from otocore.serialization import converter
from otocore.suggestions import Suggestion, SuggestionKind, SuggestionReason

HERE = Path(__file__).resolve().parent / "results"
FORMAT = "otocore-results-vector/1"
SEED = (
    "Oto's help page for managers and campaigns, Visão de Resultados para Gerentes de Loja:"
    " Em cada período é possível visualizar: Atividades sugeridas; Conversas iniciadas;"
    " Conversas finalizadas; Vendas atribuídas; Receita atribuída; Taxa de conversão; Receita"
    " gerando saldo."
)
SP = ZoneInfo("America/Sao_Paulo")
DEFAULT = {"window_days": 7, "model": "last_contact"}
PERIOD = {"first_day": "2026-11-02", "last_day": "2026-11-08"}
SELLERS = [
    Seller(code="V01", name="Ana Souza", store_id="L01"),
    Seller(code="V02", name="Bruno Lima", store_id="L01"),
    Seller(code="V03", name="Carla Dias", store_id="L02"),
]


def at(month: int, day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """An instant of 2026 in São Paulo (UTC-3 all year)."""
    return datetime(2026, month, day, hour, minute, second, tzinfo=SP)


def talk(
    contact_id: str, seller: str, customer: str, started: datetime, *, dismissed: bool = False
) -> Contact:
    extra: dict[str, Any] = {}
    if dismissed:
        extra = {
            "outcome": ContactOutcome.DISMISSED,
            "dismiss_reason": "Cliente não respondeu",
            "suggestion_id": f"{started.astimezone(SP).date().isoformat()}:{customer}",
        }
    return Contact(
        contact_id=contact_id,
        seller_code=seller,
        customer_id=customer,
        channel=ContactChannel.WHATSAPP,
        started_at=started,
        finished_at=started + timedelta(minutes=10),
        in_portfolio=True,
        **extra,
    )


def sale(  # noqa: PLR0917 - reads like the row it writes
    order_id: str,
    customer: str,
    placed: datetime,
    total: str,
    store: str = "L01",
    cancelled: bool = False,
    channel: Channel = Channel.STORE,
) -> Order:
    return Order(
        order_id=order_id,
        customer_id=customer,
        store_id=store,
        placed_at=placed,
        total=Decimal(total),
        seller_code=None,
        channel=channel,
        status=OrderStatus.CANCELLED if cancelled else OrderStatus.COMPLETED,
    )


def suggest(day: date, seller: str, customer: str) -> Suggestion:
    return Suggestion(
        suggestion_id=f"{day.isoformat()}:{customer}",
        day=day,
        seller_code=seller,
        customer_id=customer,
        kind=SuggestionKind.CAMPAIGN,
        campaign_id="POS_VENDA_30",
        channel=ContactChannel.WHATSAPP,
        message="Olá!",
        reason=SuggestionReason.CAMPAIGN,
        detail="campaign POS_VENDA_30",
        rank=1,
    )


def figures(  # noqa: PLR0917 - the figures in the order of the page
    suggested: int,
    started: int,
    finished: int,
    sales: int,
    cancelled: int,
    gross: str,
    net: str,
    numerator: int,
) -> dict[str, Any]:
    """A Figures object; the conversion's denominator is always ``started``."""
    return {
        "suggested": suggested,
        "started": started,
        "finished": finished,
        "attributed_sales": sales,
        "cancelled_sales": cancelled,
        "revenue_gross": gross,
        "revenue_net": net,
        "conversion_numerator": numerator,
        "conversion_denominator": started,
    }


ZERO = figures(0, 0, 0, 0, 0, "0.00", "0.00", 0)


def row(  # noqa: PLR0917 - reads like the row it expects
    order_id: str, seller: str, contact_day: str, purchase_day: str, total: str, cancelled: bool
) -> dict[str, Any]:
    return {
        "order_id": order_id,
        "seller_code": seller,
        "contact_day": contact_day,
        "purchase_day": purchase_day,
        "total": total,
        "cancelled": cancelled,
    }


def write(  # noqa: PLR0917 - one vector, every part named
    name: str,
    description: str,
    inputs: dict[str, Any],
    totals: dict[str, Any],
    stores: dict[str, dict[str, Any]],
    sellers: dict[str, dict[str, Any]],
    ranking: list[str],
    sales: list[dict[str, Any]],
    *,
    policy: dict[str, Any] = DEFAULT,
    period: dict[str, str] = PERIOD,
) -> None:
    data = {
        "format": FORMAT,
        "description": description,
        "seed": SEED,
        "time_zone": "America/Sao_Paulo",
        "period": period,
        "policy": policy,
        "sellers": converter.unstructure(SELLERS),
        "suggestions": converter.unstructure(inputs.get("suggestions", [])),
        "contacts": converter.unstructure(inputs.get("contacts", [])),
        "orders": converter.unstructure(inputs.get("orders", [])),
        "expected": {
            "totals": totals,
            "stores": [{"store_id": k, "figures": v} for k, v in stores.items()],
            "sellers": [{"seller_code": k, "figures": v} for k, v in sellers.items()],
            "ranking": ranking,
            "sales": sales,
        },
    }
    HERE.mkdir(exist_ok=True)
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    (HERE / f"{name}.json").write_text(text, encoding="utf-8")


def main() -> None:
    idle = {"V01": ZERO, "V02": ZERO, "V03": ZERO}
    write(
        "conversion_counts_the_conversations_that_sold",
        "Ana's conversation A1 earns two orders (P1, P2); Bia's conversation A2 earns none."
        " Two attributed sales, but the conversion is 1 of 2: the conversations that sold"
        " over the conversations started, never above 100%.",
        {
            "contacts": [
                talk("A1", "V01", "ANA", at(11, 2, 10)),
                talk("A2", "V01", "BIA", at(11, 3, 10)),
            ],
            "orders": [
                sale("P1", "ANA", at(11, 3, 12), "100.00"),
                sale("P2", "ANA", at(11, 6, 12), "20.00"),
            ],
        },
        figures(0, 2, 2, 2, 0, "120.00", "120.00", 1),
        {"L01": figures(0, 2, 2, 2, 0, "120.00", "120.00", 1), "L02": ZERO},
        {**idle, "V01": figures(0, 2, 2, 2, 0, "120.00", "120.00", 1)},
        ["V01", "V02", "V03"],
        [
            row("P1", "V01", "2026-11-02", "2026-11-03", "100.00", False),
            row("P2", "V01", "2026-11-02", "2026-11-06", "20.00", False),
        ],
    )
    write(
        "a_contact_before_the_period_sells_but_is_not_the_periods_conversation",
        "A4 started on 30 October, before the period; P3 on 2 November is within its 7 days:"
        " a sale of the period (attributed sales and revenue), but A4 is not one of the"
        " period's conversations, so neither the conversion's numerator nor its denominator"
        " counts it.",
        {
            "contacts": [talk("A4", "V03", "CAIO", at(10, 30, 18))],
            "orders": [sale("P3", "CAIO", at(11, 2, 11), "80.00", store="L02")],
        },
        figures(0, 0, 0, 1, 0, "80.00", "80.00", 0),
        {"L01": ZERO, "L02": figures(0, 0, 0, 1, 0, "80.00", "80.00", 0)},
        {**idle, "V03": figures(0, 0, 0, 1, 0, "80.00", "80.00", 0)},
        ["V03", "V01", "V02"],
        [row("P3", "V03", "2026-10-30", "2026-11-02", "80.00", False)],
    )
    write(
        "a_cancelled_sale_is_in_the_gross_not_in_the_net",
        "A5 earns P4 (R$ 500.00, cancelled since: a return is recorded so) and P5 (R$ 50.00)."
        " Both are attributed sales; Receita atribuída (gross) is 550.00, Receita gerando saldo"
        " (net) 50.00, and one sale is counted as cancelled. A5 sold, so the conversion is 1"
        " of 1.",
        {
            "contacts": [talk("A5", "V03", "DANI", at(11, 5, 23, 59))],
            "orders": [
                sale("P4", "DANI", at(11, 6, 0, 30), "500.00", store="L02", cancelled=True),
                sale("P5", "DANI", at(11, 7, 15), "50.00", store="L02"),
            ],
        },
        figures(0, 1, 1, 2, 1, "550.00", "50.00", 1),
        {"L01": ZERO, "L02": figures(0, 1, 1, 2, 1, "550.00", "50.00", 1)},
        {**idle, "V03": figures(0, 1, 1, 2, 1, "550.00", "50.00", 1)},
        ["V03", "V01", "V02"],
        [
            row("P4", "V03", "2026-11-05", "2026-11-06", "500.00", True),
            row("P5", "V03", "2026-11-05", "2026-11-07", "50.00", False),
        ],
    )
    write(
        "the_period_is_of_local_days",
        "The period is 2 to 8 November in São Paulo. A1 started at 23:59 on 1 November (local),"
        " 2 November in UTC: not a conversation of the period, though its sale P1 on 2"
        " November is a sale of the period. A2 started at 23:59 on 8 November (local), 9"
        " November in UTC: it is one of the period's conversations, and P2 at 23:59:59 on 8"
        " November (local) is a sale of the period that it earned. P3 at 00:00 on 9 November"
        " is after the period.",
        {
            "contacts": [
                talk("A1", "V01", "ANA", at(11, 1, 23, 59)),
                talk("A2", "V02", "BIA", at(11, 8, 23, 59)),
            ],
            "orders": [
                sale("P1", "ANA", at(11, 2, 10), "10.00"),
                sale("P2", "BIA", at(11, 8, 23, 59, 59), "20.00"),
                sale("P3", "BIA", at(11, 9, 0), "40.00"),
            ],
        },
        figures(0, 1, 1, 2, 0, "30.00", "30.00", 1),
        {"L01": figures(0, 1, 1, 2, 0, "30.00", "30.00", 1), "L02": ZERO},
        {
            **idle,
            "V01": figures(0, 0, 0, 1, 0, "10.00", "10.00", 0),
            "V02": figures(0, 1, 1, 1, 0, "20.00", "20.00", 1),
        },
        ["V02", "V01", "V03"],
        [
            row("P1", "V01", "2026-11-01", "2026-11-02", "10.00", False),
            row("P2", "V02", "2026-11-08", "2026-11-08", "20.00", False),
        ],
    )
    write(
        "a_sale_counts_for_the_sellers_store",
        "Ana (V01, store L01) talked to Eva; Eva bought online, booked to store L02. The sale"
        " is Ana's, and it counts for Ana's store, L01, so sellers add up to stores and"
        " stores to the brand. The sale's row still says the order's store.",
        {
            "contacts": [talk("A1", "V01", "EVA", at(11, 3, 9))],
            "orders": [
                sale("P1", "EVA", at(11, 4, 9), "250.00", store="L02", channel=Channel.ONLINE)
            ],
        },
        figures(0, 1, 1, 1, 0, "250.00", "250.00", 1),
        {"L01": figures(0, 1, 1, 1, 0, "250.00", "250.00", 1), "L02": ZERO},
        {**idle, "V01": figures(0, 1, 1, 1, 0, "250.00", "250.00", 1)},
        ["V01", "V02", "V03"],
        [row("P1", "V01", "2026-11-03", "2026-11-04", "250.00", False)],
    )
    write(
        "the_ranking_breaks_ties_by_sales_then_code",
        "V03 and V01 both have R$ 100.00 of attributed revenue; V03 has two sales, V01 one:"
        " V03 first. V02 has R$ 100.00 in one sale too: V01 before V02 by code. Revenue is"
        " gross: V02's sale was returned, and V02 still ranks by its 100.00.",
        {
            "contacts": [
                talk("A1", "V01", "ANA", at(11, 2, 9)),
                talk("A2", "V02", "BIA", at(11, 2, 9)),
                talk("A3", "V03", "CAIO", at(11, 2, 9)),
            ],
            "orders": [
                sale("P1", "ANA", at(11, 3, 9), "100.00"),
                sale("P2", "BIA", at(11, 3, 9), "100.00", cancelled=True),
                sale("P3", "CAIO", at(11, 3, 9), "60.00", store="L02"),
                sale("P4", "CAIO", at(11, 4, 9), "40.00", store="L02"),
            ],
        },
        figures(0, 3, 3, 4, 1, "300.00", "200.00", 3),
        {
            "L01": figures(0, 2, 2, 2, 1, "200.00", "100.00", 2),
            "L02": figures(0, 1, 1, 2, 0, "100.00", "100.00", 1),
        },
        {
            "V01": figures(0, 1, 1, 1, 0, "100.00", "100.00", 1),
            "V02": figures(0, 1, 1, 1, 1, "100.00", "0.00", 1),
            "V03": figures(0, 1, 1, 2, 0, "100.00", "100.00", 1),
        },
        ["V03", "V01", "V02"],
        [
            row("P1", "V01", "2026-11-02", "2026-11-03", "100.00", False),
            row("P2", "V02", "2026-11-02", "2026-11-03", "100.00", True),
            row("P3", "V03", "2026-11-02", "2026-11-03", "60.00", False),
            row("P4", "V03", "2026-11-02", "2026-11-04", "40.00", False),
        ],
    )
    write(
        "suggested_started_and_finished",
        "Ana had three suggestions in the period (2 and 3 November) and one after it (9"
        " November, not counted). She started two conversations: one finished, one dismissed"
        " ('Cliente não respondeu'). A dismissed contact started a conversation but did not"
        " finish it.",
        {
            "suggestions": [
                suggest(date(2026, 11, 2), "V01", "ANA"),
                suggest(date(2026, 11, 2), "V01", "BIA"),
                suggest(date(2026, 11, 3), "V01", "CAIO"),
                suggest(date(2026, 11, 9), "V01", "DANI"),
            ],
            "contacts": [
                talk("A1", "V01", "ANA", at(11, 2, 10)),
                talk("A2", "V01", "BIA", at(11, 2, 11), dismissed=True),
            ],
        },
        figures(3, 2, 1, 0, 0, "0.00", "0.00", 0),
        {"L01": figures(3, 2, 1, 0, 0, "0.00", "0.00", 0), "L02": ZERO},
        {**idle, "V01": figures(3, 2, 1, 0, 0, "0.00", "0.00", 0)},
        ["V01", "V02", "V03"],
        [],
    )


if __name__ == "__main__":
    main()
