"""Replay the golden vectors of the results views in ``tests/vectors/results``.

Each file is one JSON object another implementation can replay without otocore; the rules are
stated in docs/results.md. Format ``"otocore-results-vector/1"``:

* ``format``, ``description`` (the rule the vector pins, the file is named after it, and why
  the expected figures are right), ``seed`` (the passage of Oto's help page it serves);
* ``time_zone``: the brand's IANA zone; ``period``: ``{"first_day", "last_day"}`` (ISO local
  days, both included); ``policy``: ``{"window_days", "model"}`` (see the attribution vectors);
* ``sellers``, ``suggestions``, ``contacts``, ``orders``: otocore's JSON of each value;
* ``expected``: ``totals`` (a figures object: ``suggested``, ``started``, ``finished``,
  ``attributed_sales``, ``cancelled_sales``, ``revenue_gross``, ``revenue_net`` as decimal
  strings, ``conversion_numerator``, ``conversion_denominator``), ``stores`` (by store id:
  ``{"store_id", "figures"}``), ``sellers`` (by store, then code: ``{"seller_code",
  "figures"}``), ``ranking`` (seller codes, first first) and ``sales`` (by day of purchase, then
  order id: ``{"order_id", "seller_code", "contact_day", "purchase_day", "total",
  "cancelled"}``).

Every expected value was derived by hand; ``tests/vectors/generate_results.py`` builds the
inputs and never calls ``otocore.results``.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from otocore.attribution import AttributionModel, AttributionPolicy
from otocore.contacts import Contact
from otocore.orders import Order
from otocore.results import FIGURE_FIELDS, Figures, Results, compute_results
from otocore.sellers import Seller
from otocore.serialization import converter
from otocore.suggestions import Suggestion

FORMAT = "otocore-results-vector/1"
FOLDER = Path(__file__).resolve().parents[1] / "vectors" / "results"
VECTORS = sorted(FOLDER.glob("*.json"))


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _figures(f: Figures) -> dict[str, Any]:
    return {
        name: str(getattr(f, name)) if "revenue" in name else getattr(f, name)
        for name in FIGURE_FIELDS
    }


def _replay(data: dict[str, Any]) -> Results:
    return compute_results(
        first_day=date.fromisoformat(data["period"]["first_day"]),
        last_day=date.fromisoformat(data["period"]["last_day"]),
        suggestions=converter.structure(data["suggestions"], list[Suggestion]),
        contacts=converter.structure(data["contacts"], list[Contact]),
        orders=converter.structure(data["orders"], list[Order]),
        sellers=converter.structure(data["sellers"], list[Seller]),
        policy=AttributionPolicy(
            window_days=data["policy"]["window_days"],
            model=AttributionModel(data["policy"]["model"]),
        ),
        time_zone=data["time_zone"],
    )


def test_there_are_vectors_with_unique_descriptions() -> None:
    assert len(VECTORS) >= 7
    descriptions = [_load(p)["description"] for p in VECTORS]
    assert len(set(descriptions)) == len(descriptions)


@pytest.mark.parametrize("path", VECTORS, ids=[p.stem for p in VECTORS])
def test_otocore_agrees(path: Path) -> None:
    data = _load(path)
    assert data["format"] == FORMAT
    r = _replay(data)
    expected = data["expected"]
    assert _figures(r.totals) == expected["totals"]
    assert [{"store_id": s.store_id, "figures": _figures(s.figures)} for s in r.stores] == (
        expected["stores"]
    )
    assert [{"seller_code": s.seller_code, "figures": _figures(s.figures)} for s in r.sellers] == (
        expected["sellers"]
    )
    assert [s.seller_code for s in r.ranking] == expected["ranking"]
    assert [
        {
            "order_id": s.order_id,
            "seller_code": s.seller_code,
            "contact_day": s.contact_day.isoformat(),
            "purchase_day": s.purchase_day.isoformat(),
            "total": str(s.total),
            "cancelled": s.cancelled,
        }
        for s in r.sales
    ] == expected["sales"]


@pytest.mark.parametrize("path", VECTORS, ids=[p.stem for p in VECTORS])
def test_the_file_is_well_formed(path: Path) -> None:
    data = _load(path)
    assert set(data) == {
        "format",
        "description",
        "seed",
        "time_zone",
        "period",
        "policy",
        "sellers",
        "suggestions",
        "contacts",
        "orders",
        "expected",
    }
    assert data["seed"].startswith("Oto's help page for managers and campaigns")
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    assert path.read_text(encoding="utf-8") == text
