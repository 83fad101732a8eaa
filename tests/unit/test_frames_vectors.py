"""The golden RFV and preferred-seller vectors, replayed through otocore.frames on every engine.

The vectors (tests/vectors/rfv, tests/vectors/preferred_seller) are the
reference rules' own; see tests/unit/test_rfv_vectors.py and
tests/unit/test_preferred_seller_vectors.py for their format. Here the orders
become a frame of each engine (``placed_at`` shown in São Paulo time, so the
engine converts zones itself) and the result must be the vector's expected
answer, to the centavo and the tie-break.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from _support.frames import ENGINES, expected_preferred, expected_rfv, order_frame, rows
from otocore import frames
from otocore.distribution import Preference, PreferredSellerPolicy, preferred_sellers
from otocore.orders import Order
from otocore.rfv import RfvPolicy, RfvScore
from otocore.serialization import converter

VECTORS = Path(__file__).resolve().parents[1] / "vectors"
RFV = sorted((VECTORS / "rfv").glob("*.json"))
PREFERRED = sorted((VECTORS / "preferred_seller").glob("*.json"))


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def test_there_are_vectors() -> None:
    assert len(RFV) >= 5
    assert len(PREFERRED) >= 12


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("path", RFV, ids=lambda p: p.stem)
def test_rfv_vector(path: Path, engine: str) -> None:
    data = _load(path)
    policy = converter.structure(data["policy"], RfvPolicy)
    history = converter.structure(data["orders"], list[Order])
    expected = converter.structure(data["expected"], list[RfvScore])
    frame = order_frame(history, engine, zone="America/Sao_Paulo")

    got = frames.rfv_scores(frame, date.fromisoformat(data["as_of"]), policy=policy)

    assert rows(got) == expected_rfv({s.customer_id: s for s in expected})


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("path", PREFERRED, ids=lambda p: p.stem)
def test_preferred_seller_vector(path: Path, engine: str) -> None:
    case = _load(path)
    history = converter.structure(case["orders"], list[Order])
    policy = converter.structure(case["policy"], PreferredSellerPolicy)
    eligible = None if case["eligible"] is None else set(case["eligible"])
    as_of = date.fromisoformat(case["as_of"])
    if "expected_error" in case:
        # The error is preferred_seller's (one customer's orders); a frame is a whole
        # brand, so the vector's orders are compared with the reference's brand answer.
        assert case["expected_error"]["field"] == "orders"
        expected = preferred_sellers(history, as_of, policy=policy, eligible=eligible)
    elif case["function"] == "preferred_sellers":
        expected = converter.structure(case["expected"], dict[str, Preference])
    elif case["expected"] is None:
        expected = {}
    else:
        one = converter.structure(case["expected"], Preference)
        expected = {one.customer_id: one}
    frame = order_frame(history, engine, zone="America/Sao_Paulo")

    got = frames.preferred_sellers(frame, as_of, policy=policy, eligible=eligible)

    assert rows(got) == expected_preferred(expected)
