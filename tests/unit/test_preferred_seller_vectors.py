"""Replay the golden preferred-seller vectors in tests/vectors/preferred_seller/.

Each JSON file is a self-contained case that another implementation (SQL, a
service in another language) can replay: ``as_of`` (a local date), ``policy``
(``time_zone``, ``window`` as years/months/weeks/days, ``cap``), ``eligible``
(a list of seller codes or null), ``orders`` (otocore's JSON form of
:class:`~otocore.orders.Order`), ``function`` (``preferred_seller`` for one
customer or ``preferred_sellers`` for a brand), and either ``expected`` (a
:class:`~otocore.distribution.Preference` in JSON, null, or for a brand a map
of customer id to Preference) or ``expected_error`` (``type`` and ``field``).
Instants in ``expected`` are written in UTC; compare them as instants.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from otocore.distribution import (
    Preference,
    PreferredSellerPolicy,
    preferred_seller,
    preferred_sellers,
)
from otocore.errors import OtocoreError
from otocore.orders import Order
from otocore.serialization import converter

VECTORS = Path(__file__).resolve().parents[1] / "vectors" / "preferred_seller"
CASES = sorted(VECTORS.glob("*.json"))
KEYS = {"description", "seed", "rule", "function", "as_of", "policy", "eligible", "orders"}


def _run(case: dict[str, Any]) -> Any:
    orders = converter.structure(case["orders"], list[Order])
    policy = converter.structure(case["policy"], PreferredSellerPolicy)
    eligible = None if case["eligible"] is None else set(case["eligible"])
    as_of = date.fromisoformat(case["as_of"])
    fn = {"preferred_seller": preferred_seller, "preferred_sellers": preferred_sellers}[
        case["function"]
    ]
    return fn(orders, as_of, policy=policy, eligible=eligible)


def test_there_are_vectors_for_every_seed_bullet() -> None:
    rules = {json.loads(p.read_text(encoding="utf-8"))["rule"] for p in CASES}
    for bullet in [
        "São considerados pedidos realizados pelo cliente nos últimos 12 meses",
        "São considerados os últimos 5 pedidos com o mesmo vendedor",
        "O primeiro critério de desempate é a venda mais recente",
        "Se o empate persistir, o critério será o código do vendedor",
        "O vendedor será contabilizado somente uma vez para pedidos feitos no mesmo dia e na mesma loja",
    ]:
        assert bullet in rules


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_vector(path: Path) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    assert set(case) >= KEYS, f"{path.name} misses {KEYS - set(case)}"
    assert ("expected" in case) != ("expected_error" in case)
    if "expected_error" in case:
        with pytest.raises(OtocoreError) as info:
            _run(case)
        assert type(info.value).__name__ == case["expected_error"]["type"]
        assert getattr(info.value, "field", None) == case["expected_error"]["field"]
        return
    result = _run(case)
    expected = case["expected"]
    if case["function"] == "preferred_sellers":
        assert result == converter.structure(expected, dict[str, Preference])
        assert converter.unstructure(result) == expected
    elif expected is None:
        assert result is None
    else:
        assert result == converter.structure(expected, Preference)
        assert converter.unstructure(result) == expected
