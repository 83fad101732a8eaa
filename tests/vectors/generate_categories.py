"""Write the golden vectors of category discounts (``tests/vectors/categories``).

Run ``python tests/vectors/generate_categories.py`` from the repository root (with
otocore importable) to rewrite ``tests/vectors/categories/*.json``.

Like ``tests/vectors/generate.py``, this script only **builds inputs**: it makes
``CustomerCategory`` values and writes them with ``otocore.serialization.converter``. It
never calls ``otocore.categories.discount_for``: every ``expected`` below is a literal
typed by hand from docs/categories.md (the best applying category's percentage; ties to
the first name in code-point order, then the smaller id), with the reasoning in the
``description``. The replay test (``tests/unit/test_categories_vectors.py``) checks
otocore agrees.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from otocore.categories import CategoryDiscount, CustomerCategory
from otocore.serialization import converter

HERE = Path(__file__).resolve().parent / "categories"
FORMAT = "otocore-categories-vector/1"
SEED = (
    "Altegio's customer database help page: você pode conceder descontos automaticamente"
    " aos clientes e adicionar clientes a determinadas categorias."
)


def cat(
    cid: str,
    name: str,
    percentage: str | None = None,
    first: date | None = None,
    last: date | None = None,
) -> CustomerCategory:
    discount = (
        None
        if percentage is None
        else CategoryDiscount(Decimal(percentage), first_day=first, last_day=last)
    )
    return CustomerCategory(cid, name, "#336699", discount=discount)


def yes(percentage: str, category_id: str) -> dict[str, Any]:
    return {"percentage": percentage, "category_id": category_id, "reason": "best_category"}


def no(reason: str) -> dict[str, Any]:
    return {"percentage": None, "category_id": None, "reason": reason}


MAY = (date(2026, 5, 1), date(2026, 5, 31))

VECTORS: list[tuple[str, str, list[CustomerCategory], list[list[str]], list[Any], list[Any]]] = [
    (
        "01_the_best_percentage_wins",
        "ANA is in VIP (10%) and OURO (15%), both always valid: the highest percentage, 15%"
        " from OURO, applies; discounts never add up (not 25%).",
        [cat("VIP", "Clientes VIP", "10"), cat("OURO", "Ouro", "15")],
        [["VIP", "ANA"], ["OURO", "ANA"]],
        [{"customer_id": "ANA", "on": "2026-05-10"}],
        [yes("15", "OURO")],
    ),
    (
        "02_a_tie_goes_to_the_first_name",
        "ANA's categories K1 'Ouro' and K2 'Diamante' both give 10%: the tie goes to the"
        " name that comes first in code-point order, 'Diamante', although its id is larger.",
        [cat("K2", "Diamante", "10"), cat("K1", "Ouro", "10")],
        [["K1", "ANA"], ["K2", "ANA"]],
        [{"customer_id": "ANA", "on": "2026-05-10"}],
        [yes("10", "K2")],
    ),
    (
        "03_a_tie_on_name_goes_to_the_smaller_id",
        "Two categories named 'Ouro' (ids K1 and K10) both give 12.5% (one written 12.50:"
        " the same number): the smaller id in code-point order, 'K1', gives it. A third"
        " category, 12.49%, is lower and loses.",
        [cat("K10", "Ouro", "12.50"), cat("K1", "Ouro", "12.5"), cat("K2", "Ouro", "12.49")],
        [["K10", "ANA"], ["K1", "ANA"], ["K2", "ANA"]],
        [{"customer_id": "ANA", "on": "2026-05-10"}],
        [yes("12.5", "K1")],
    ),
    (
        "04_the_period_includes_both_ends",
        "MAIO gives 20% from 2026-05-01 to 2026-05-31, both days included: it applies on"
        " both ends and not on the day before or after, when only VIP's 5% (always) does.",
        [cat("MAIO", "Aniversariantes de maio", "20", *MAY), cat("VIP", "Clientes VIP", "5")],
        [["MAIO", "ANA"], ["VIP", "ANA"]],
        [
            {"customer_id": "ANA", "on": "2026-04-30"},
            {"customer_id": "ANA", "on": "2026-05-01"},
            {"customer_id": "ANA", "on": "2026-05-31"},
            {"customer_id": "ANA", "on": "2026-06-01"},
        ],
        [yes("5", "VIP"), yes("20", "MAIO"), yes("20", "MAIO"), yes("5", "VIP")],
    ),
    (
        "05_open_ends",
        "DESDE gives 30% from 2026-05-15 on (no last day), ATE gives 25% until 2026-05-14"
        " (no first day): on 2026-05-14 only ATE applies, from 2026-05-15 on only DESDE.",
        [
            cat("DESDE", "Desde maio", "30", date(2026, 5, 15), None),
            cat("ATE", "Até maio", "25", None, date(2026, 5, 14)),
        ],
        [["DESDE", "ANA"], ["ATE", "ANA"]],
        [
            {"customer_id": "ANA", "on": "2020-01-01"},
            {"customer_id": "ANA", "on": "2026-05-14"},
            {"customer_id": "ANA", "on": "2026-05-15"},
            {"customer_id": "ANA", "on": "2099-12-31"},
        ],
        [yes("25", "ATE"), yes("25", "ATE"), yes("30", "DESDE"), yes("30", "DESDE")],
    ),
    (
        "06_only_the_customers_own_categories_count",
        "BIA is in ATACADO (40%), ANA is not: ANA gets only her VIP's 10%, and CAIO, in no"
        " category, gets nothing (in_no_category) although ATACADO exists.",
        [cat("ATACADO", "Atacado", "40"), cat("VIP", "Clientes VIP", "10")],
        [["ATACADO", "BIA"], ["VIP", "ANA"]],
        [
            {"customer_id": "ANA", "on": "2026-05-10"},
            {"customer_id": "BIA", "on": "2026-05-10"},
            {"customer_id": "CAIO", "on": "2026-05-10"},
        ],
        [yes("10", "VIP"), yes("40", "ATACADO"), no("in_no_category")],
    ),
    (
        "07_no_discount_and_expired_discounts",
        "BIA is only in NOVOS, which has no discount (no_category_discount); ANA is only in"
        " categories whose periods ended before 2026-06-01 or start after it"
        " (not_valid_on_day); on 2026-05-10 MAIO's 20% applies to ANA.",
        [
            cat("NOVOS", "Novos clientes"),
            cat("MAIO", "Aniversariantes de maio", "20", *MAY),
            cat("NATAL", "Natal", "50", date(2026, 12, 1), date(2026, 12, 25)),
        ],
        [["NOVOS", "BIA"], ["MAIO", "ANA"], ["NATAL", "ANA"], ["NOVOS", "ANA"]],
        [
            {"customer_id": "BIA", "on": "2026-05-10"},
            {"customer_id": "ANA", "on": "2026-06-01"},
            {"customer_id": "ANA", "on": "2026-05-10"},
        ],
        [no("no_category_discount"), no("not_valid_on_day"), yes("20", "MAIO")],
    ),
    (
        "08_a_hundred_percent_and_the_smallest_step",
        "TOTAL gives 100% (the maximum) and wins over 99.99%; another customer's 0.01%"
        " (the smallest percentage) still applies to him.",
        [
            cat("TOTAL", "Cortesia", "100"),
            cat("QUASE", "Quase", "99.99"),
            cat("MIN", "Mínimo", "0.01"),
        ],
        [["TOTAL", "ANA"], ["QUASE", "ANA"], ["MIN", "EDU"]],
        [{"customer_id": "ANA", "on": "2026-05-10"}, {"customer_id": "EDU", "on": "2026-05-10"}],
        [yes("100", "TOTAL"), yes("0.01", "MIN")],
    ),
]


def main() -> None:
    HERE.mkdir(exist_ok=True)
    for old in HERE.glob("*.json"):
        old.unlink()
    for name, description, categories, members, questions, expected in VECTORS:
        data = {
            "format": FORMAT,
            "description": description,
            "seed": SEED,
            "categories": converter.unstructure(categories),
            "memberships": [{"category_id": c, "customer_id": m} for c, m in members],
            "questions": questions,
            "expected": expected,
        }
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        (HERE / f"{name}.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
