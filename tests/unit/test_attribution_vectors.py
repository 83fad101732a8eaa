"""Replay the golden attribution vectors in ``tests/vectors/attribution``.

Each file is one JSON object that another implementation can replay without otocore; the
rule is stated in docs/attribution.md. Format ``"otocore-attribution-vector/1"``:

* ``format``: ``"otocore-attribution-vector/1"``;
* ``description``: the edge the vector pins (the file is named after it) and why the
  expected answers are right;
* ``seed``: the passage of Oto's help page for managers and campaigns the rule serves;
* ``policy``: ``{"window_days": int, "model": "last_contact" | "first_contact"}``;
* ``orders``: Order objects (``placed_at`` ISO 8601 with offset, ``total`` a decimal
  string, ``status``, ``channel``, ``seller_code`` or null);
* ``contacts``: Contact objects (``contact_id``, ``seller_code``, ``customer_id``,
  ``started_at``; the other fields do not matter to attribution);
* ``expected``: ``attributed`` and ``cancelled``, lists of ``{"order_id", "contact_id",
  "seller_code", "contact_day", "purchase_day", "total"}`` sorted by the order's instant
  (days are local days in America/Sao_Paulo), and ``unattributed``, a list of
  ``{"order_id", "reason"}``.

Every expected value was derived by hand (the reasoning is in the description), then
checked against otocore here, on the reference rule and on every engine of
``otocore.frames``; ``tests/vectors/generate_attribution.py`` builds the inputs.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from _support.attribution import contact_frame, order_frame
from _support.frames import ENGINES, rows
from otocore import frames
from otocore.attribution import AttributionModel, AttributionPolicy, attribute
from otocore.contacts import Contact
from otocore.orders import Order
from otocore.serialization import converter

FORMAT = "otocore-attribution-vector/1"
FOLDER = Path(__file__).resolve().parents[1] / "vectors" / "attribution"
VECTORS = sorted(FOLDER.glob("*.json"))


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _inputs(data: dict[str, Any]) -> tuple[list[Order], list[Contact], AttributionPolicy]:
    policy = AttributionPolicy(
        window_days=data["policy"]["window_days"],
        model=AttributionModel(data["policy"]["model"]),
    )
    orders = converter.structure(data["orders"], list[Order])
    contacts = converter.structure(data["contacts"], list[Contact])
    return orders, contacts, policy


def test_there_are_vectors_with_unique_descriptions() -> None:
    assert len(VECTORS) >= 12
    descriptions = [_load(p)["description"] for p in VECTORS]
    assert len(set(descriptions)) == len(descriptions)


@pytest.mark.parametrize("path", VECTORS, ids=lambda p: p.stem)
def test_the_file_is_well_formed(path: Path) -> None:
    data = _load(path)
    assert data["format"] == FORMAT
    assert data["seed"].startswith("Oto's help page for managers and campaigns")
    assert ".txt" not in data["seed"]
    assert path.read_text(encoding="utf-8") == json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    assert set(data) == {
        "format",
        "description",
        "seed",
        "policy",
        "orders",
        "contacts",
        "expected",
    }
    assert set(data["expected"]) == {"attributed", "cancelled", "unattributed"}


@pytest.mark.parametrize("path", VECTORS, ids=lambda p: p.stem)
def test_otocore_agrees(path: Path) -> None:
    data = _load(path)
    orders, contacts, policy = _inputs(data)
    result = attribute(orders, contacts, policy=policy)

    def credits(found: Any) -> list[dict[str, Any]]:
        return [
            {
                "order_id": a.order_id,
                "contact_id": a.contact_id,
                "seller_code": a.seller_code,
                "contact_day": a.contact_day().isoformat(),
                "purchase_day": a.purchase_day().isoformat(),
                "total": str(a.total),
            }
            for a in found
        ]

    expected = data["expected"]
    assert credits(result.attributed) == expected["attributed"]
    assert credits(result.cancelled) == expected["cancelled"]
    assert [
        {"order_id": u.order.order_id, "reason": u.reason.value} for u in result.unattributed
    ] == expected["unattributed"]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("path", VECTORS, ids=lambda p: p.stem)
def test_every_engine_agrees(path: Path, engine: str) -> None:
    data = _load(path)
    orders, contacts, policy = _inputs(data)
    got = frames.attribute(
        order_frame(orders, engine, zone="America/Sao_Paulo"),
        contact_frame(contacts, engine),
        policy=policy,
        include_cancelled=True,
    )
    expected = data["expected"]
    wanted = sorted(
        (*expected["attributed"], *expected["cancelled"]),
        key=lambda e: [o.placed_at for o in orders if o.order_id == e["order_id"]],
    )
    assert [(r[0], r[7], r[8], r[5]) for r in rows(got)] == [
        (e["order_id"], e["contact_id"], e["seller_code"], int(Decimal(e["total"]) * 100))
        for e in wanted
    ]
