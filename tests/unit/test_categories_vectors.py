"""Replay the golden category-discount vectors in ``tests/vectors/categories``.

Each file is one JSON object that another implementation (SQL, another language) can
replay without otocore; the rule is stated in docs/categories.md. Format
``"otocore-categories-vector/1"``:

* ``format``, ``description`` (the edge the vector pins and why), ``seed``;
* ``categories``: CustomerCategory objects as otocore's converter writes them
  (``category_id``, ``name``, ``colour``, ``discount``: null or ``percentage`` as a
  decimal string, ``first_day`` and ``last_day`` as ISO days or null);
* ``memberships``: ``{"category_id", "customer_id"}`` pairs, in no particular order;
* ``questions``: ``{"customer_id", "on"}`` (a local day);
* ``expected``: per question ``{"percentage": decimal string or null, "category_id":
  str or null, "reason": "best_category" | "in_no_category" | "no_category_discount" |
  "not_valid_on_day"}``.

Every expected value was typed by hand (``tests/vectors/generate_categories.py`` only
builds the inputs).
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from otocore.categories import (
    CategoryMembership,
    CustomerCategory,
    DiscountReason,
    discount_for,
)
from otocore.serialization import converter

FORMAT = "otocore-categories-vector/1"
FOLDER = Path(__file__).resolve().parents[1] / "vectors" / "categories"
VECTORS = sorted(FOLDER.glob("*.json"))
KEYS = {"format", "description", "seed", "categories", "memberships", "questions", "expected"}


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def test_there_are_vectors() -> None:
    assert 6 <= len(VECTORS) <= 12


@pytest.mark.parametrize("path", VECTORS, ids=lambda p: p.stem)
def test_vector_is_well_formed(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    data = _load(path)
    assert text == json.dumps(data, indent=2, ensure_ascii=False) + "\n", "not canonical JSON"
    assert data["format"] == FORMAT
    assert set(data) == KEYS
    assert len(data["description"]) > 40
    assert "Altegio" in data["seed"]
    assert len(data["expected"]) == len(data["questions"]) > 0
    for question, answer in zip(data["questions"], data["expected"], strict=True):
        assert set(question) == {"customer_id", "on"}
        date.fromisoformat(question["on"])
        assert set(answer) == {"percentage", "category_id", "reason"}
        assert (answer["percentage"] is None) == (answer["category_id"] is None)
        assert (answer["reason"] == "best_category") == (answer["percentage"] is not None)


def test_descriptions_are_unique() -> None:
    descriptions = [_load(p)["description"] for p in VECTORS]
    assert len(set(descriptions)) == len(descriptions)


@pytest.mark.parametrize("path", VECTORS, ids=lambda p: p.stem)
def test_vector(path: Path) -> None:
    data = _load(path)
    categories = converter.structure(data["categories"], list[CustomerCategory])
    members = [CategoryMembership(m["category_id"], m["customer_id"]) for m in data["memberships"]]
    for question, want in zip(data["questions"], data["expected"], strict=True):
        day = date.fromisoformat(question["on"])
        got = discount_for(question["customer_id"], day, categories=categories, memberships=members)
        # the order of the inputs never matters
        again = discount_for(
            question["customer_id"],
            day,
            categories=list(reversed(categories)),
            memberships=list(reversed(members)),
        )
        assert again == got
        assert got.reason is DiscountReason(want["reason"]), question
        if want["percentage"] is None:
            assert got.percentage is None
            assert got.category is None
        else:
            assert got.percentage == Decimal(want["percentage"]), question
            assert got.category is not None
            assert got.category.category_id == want["category_id"], question
