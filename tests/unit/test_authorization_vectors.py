"""Replay the golden authorization vectors in ``tests/vectors/authorization``.

Each file is one JSON object that another implementation can replay without otocore; the
rule is stated in docs/authorization.md. Format ``"otocore-authorization-vector/1"``:

* ``format``: ``"otocore-authorization-vector/1"``;
* ``description``: the edge the vector pins and why the expected answers are right;
* ``seed``: the passage of VTEX's Televendas help page the rule comes from;
* ``rules``: an AuthorizationRules, ``{"ranges": [...]}``, each range ``rule_id``,
  ``outcome`` (``authorize``, ``deny``, ``wait``), ``lower`` (a decimal string, or null:
  open below), ``lower_inclusive``, ``upper`` (a decimal string, at most 100),
  ``upper_inclusive``;
* ``items``: OrderItem objects, ``sku``, ``quantity``, ``list_price``, ``manual_price``
  (decimal strings; null: no manual price);
* either ``expected``: ``{"order": outcome, "items": [{"outcome", "rule_id",
  "divergence"}]}``, one per item in order, the divergence the exact rational as text
  (``"20"``, ``"1001/100"``; null without a manual price or for a raise from a list price of
  0); ``canonical``: the canonical text of the items (docs/authorization.md, "The digest");
  ``digest``: its SHA-256, hex;
* or ``expected_error``: ``{"field", "message"}``, the rules refused when loaded.

Every expected value was derived by hand (the reasoning is in the description), then
checked against otocore here; ``tests/vectors/generate_authorization.py`` builds the inputs.
"""

from __future__ import annotations

import hashlib
import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from otocore.authorization import AuthorizationRules, decide_order, items_digest
from otocore.errors import ValidationError
from otocore.orders import OrderItem
from otocore.serialization import converter

FORMAT = "otocore-authorization-vector/1"
FOLDER = Path(__file__).resolve().parents[1] / "vectors" / "authorization"
VECTORS = sorted(FOLDER.glob("*.json"))


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def test_there_are_vectors_with_unique_descriptions() -> None:
    assert len(VECTORS) >= 9
    descriptions = [_load(p)["description"] for p in VECTORS]
    assert len(set(descriptions)) == len(descriptions)


@pytest.mark.parametrize("path", VECTORS, ids=lambda p: p.stem)
def test_the_file_is_well_formed(path: Path) -> None:
    data = _load(path)
    assert data["format"] == FORMAT
    assert data["seed"].startswith("VTEX's Televendas help page")
    assert ".txt" not in data["seed"]
    assert path.read_text(encoding="utf-8") == json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    keys = {"format", "description", "seed", "rules", "items"}
    assert set(data) in (keys | {"expected", "canonical", "digest"}, keys | {"expected_error"})


@pytest.mark.parametrize("path", VECTORS, ids=lambda p: p.stem)
def test_otocore_agrees(path: Path) -> None:
    data = _load(path)
    if "expected_error" in data:
        with pytest.raises(ValidationError) as refused:
            converter.structure(data["rules"], AuthorizationRules)
        assert refused.value.field == data["expected_error"]["field"]
        assert data["expected_error"]["message"] in str(refused.value)
        return
    rules = converter.structure(data["rules"], AuthorizationRules)
    items = converter.structure(data["items"], list[OrderItem])
    decision = decide_order(rules, items)
    expected = data["expected"]
    assert decision.outcome.value == expected["order"]
    got = [
        {
            "outcome": d.outcome.value,
            "rule_id": d.rule_id,
            "divergence": None if d.divergence is None else str(d.divergence),
        }
        for d in decision.items
    ]
    assert got == expected["items"]
    for answer in expected["items"]:
        if answer["divergence"] is not None:
            assert str(Fraction(answer["divergence"])) == answer["divergence"]  # in lowest terms
    assert hashlib.sha256(data["canonical"].encode("utf-8")).hexdigest() == data["digest"]
    assert items_digest(items) == data["digest"]
