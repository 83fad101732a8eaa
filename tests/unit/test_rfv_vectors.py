"""Replay the golden RFV vectors in ``tests/vectors/rfv``.

Each vector is a JSON object that another implementation (SQL, another
language) can replay without otocore:

* ``format``: ``"otocore-rfv-vector/1"``;
* ``as_of``: the local day, ISO 8601;
* ``policy``: an RfvPolicy as otocore's converter writes it; absent fields take
  their defaults (America/Sao_Paulo, 12 months, 5 bins, quantile scoring,
  the default grid);
* ``orders``: Order objects, ``placed_at`` with its UTC offset, ``total`` a
  decimal string;
* ``expected``: one RfvScore per scored customer, sorted by ``customer_id``,
  ``value`` a decimal string, ``segment`` the segment key.

The expected numbers were produced by the brute-force reference of
``tests/property/test_rfv.py`` and checked by hand (see each description).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from otocore.orders import Order
from otocore.rfv import RawRfv, RfvPolicy, RfvScore, rfv_scores, score_raw
from otocore.serialization import converter

VECTORS = sorted((Path(__file__).resolve().parents[1] / "vectors" / "rfv").glob("*.json"))


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def test_there_are_vectors() -> None:
    assert len(VECTORS) >= 5


@pytest.mark.parametrize("path", VECTORS, ids=lambda p: p.stem)
def test_vector(path: Path) -> None:
    data = _load(path)
    assert data["format"] == "otocore-rfv-vector/1"
    assert data["name"] == path.stem
    policy = converter.structure(data["policy"], RfvPolicy)
    history = converter.structure(data["orders"], list[Order])
    as_of = date.fromisoformat(data["as_of"])
    expected = converter.structure(data["expected"], list[RfvScore])
    assert [s.customer_id for s in expected] == sorted(s.customer_id for s in expected)

    got = rfv_scores(history, as_of, policy=policy)
    assert list(got.values()) == expected
    # the same scores through the lower-level step, from the raw values alone
    raws = [
        RawRfv(
            customer_id=s.customer_id,
            recency_days=s.recency_days,
            frequency=s.frequency,
            value=s.value,
        )
        for s in expected
    ]
    assert list(score_raw(raws, policy=policy).values()) == expected
    # and the JSON is exactly what the converter writes for the scores
    assert [converter.unstructure(s) for s in got.values()] == data["expected"]
