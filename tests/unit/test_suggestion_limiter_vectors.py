"""Replay the golden suggestion-limiter vectors in ``tests/vectors/suggestion_limiter``.

Each file is one JSON object that another implementation (SQL, another language) can
replay without otocore; the rule is stated in docs/rules/suggestion-limiter.md:
``clamp(floor(hours_worked x 60 x idle_share / avg_conversation_minutes), minimum,
maximum)`` in exact decimal arithmetic. Format ``"otocore-suggestion-limiter-vector/1"``:

* ``format``: ``"otocore-suggestion-limiter-vector/1"``;
* ``description``: the edge the vector pins and why the expected answers are right;
* ``seed``: the passage of the seeds the rule comes from;
* ``limiter``: ``{"minimum": int, "maximum": int}``;
* ``default_workload``: null, or the brand's complete SellerWorkload; a ``null`` figure of
  a workload is taken from it;
* ``workloads``: SellerWorkload objects as otocore's converter writes them:
  ``{"hours_worked", "idle_share", "avg_conversation_minutes"}``, each a decimal string
  (``"7.5"``), or null when ``default_workload`` fills it. A JSON number with a fraction
  is a float and is refused (a vector says so);
* ``expected``: the daily limit (an int) of each workload, in order;
* or, instead of ``expected``, ``expected_error``: ``{"type": "ValidationError", "field":
  ...}`` raised while building the limiter or computing the limit.

Every expected value was derived by hand from docs/rules/suggestion-limiter.md (the
reasoning is in the description), then checked against otocore here;
``tests/vectors/generate.py`` builds the inputs.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from otocore.distribution import SuggestionLimiter
from otocore.errors import OtocoreError
from otocore.serialization import converter
from otocore.suggestions import SellerWorkload

FORMAT = "otocore-suggestion-limiter-vector/1"
FOLDER = Path(__file__).resolve().parents[1] / "vectors" / "suggestion_limiter"
VECTORS = sorted(FOLDER.glob("*.json"))
KEYS = {"format", "description", "seed", "limiter", "default_workload", "workloads"}
FIGURES = ("hours_worked", "idle_share", "avg_conversation_minutes")
ERRORS = [p for p in VECTORS if "expected_error" in json.loads(p.read_text(encoding="utf-8"))]


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _number(value: Any) -> Any:
    """A decimal string becomes a Decimal; anything else (an int, a float) is passed as is."""
    return Decimal(value) if isinstance(value, str) else value


def _limits(data: dict[str, Any]) -> list[int]:
    """The rule from the JSON alone: fill the missing figures, then ``daily_limit``."""
    limiter = converter.structure(data["limiter"], SuggestionLimiter)
    default = data["default_workload"] or {}
    limits = []
    for workload in data["workloads"]:
        figures = [
            _number(default[name] if workload[name] is None else workload[name]) for name in FIGURES
        ]
        limits.append(limiter.daily_limit(*figures))
    return limits


def test_there_are_vectors() -> None:
    assert 6 <= len(VECTORS) <= 12


@pytest.mark.parametrize("path", VECTORS, ids=lambda p: p.stem)
def test_vector_is_well_formed(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    data = _load(path)
    assert text == json.dumps(data, indent=2, ensure_ascii=False) + "\n", "not canonical JSON"
    assert data["format"] == FORMAT
    assert set(data) - KEYS in ({"expected"}, {"expected_error"})
    assert isinstance(data["description"], str)
    assert len(data["description"]) > 40
    assert ".txt" in data["seed"]
    assert set(data["limiter"]) == {"minimum", "maximum"}
    default = data["default_workload"]
    if default is not None:
        assert set(default) == set(FIGURES)
        assert all(isinstance(default[name], str) for name in FIGURES)
    assert data["workloads"]
    for workload in data["workloads"]:
        assert set(workload) == set(FIGURES)
        assert default is not None or None not in workload.values()
    if "expected_error" in data:
        assert len(data["workloads"]) == 1
        assert set(data["expected_error"]) == {"type", "field"}
    else:
        assert len(data["expected"]) == len(data["workloads"])
        assert all(type(limit) is int for limit in data["expected"])


def test_descriptions_are_unique() -> None:
    descriptions = [_load(p)["description"] for p in VECTORS]
    assert len(set(descriptions)) == len(descriptions)


@pytest.mark.parametrize("path", VECTORS, ids=lambda p: p.stem)
def test_vector(path: Path) -> None:
    data = _load(path)
    if "expected_error" in data:
        with pytest.raises(OtocoreError) as info:
            _limits(data)
        assert type(info.value).__name__ == data["expected_error"]["type"]
        assert getattr(info.value, "field", None) == data["expected_error"]["field"]
        return
    assert _limits(data) == data["expected"]
    # the same limits through the types the daily suggestions use
    limiter = converter.structure(data["limiter"], SuggestionLimiter)
    default = data["default_workload"]
    for workload, want in zip(data["workloads"], data["expected"], strict=True):
        seller = converter.structure(workload, SellerWorkload)
        if default is not None:
            seller = seller.with_defaults(converter.structure(default, SellerWorkload))
        assert seller.daily_limit(limiter) == want


def _as_workload(data: dict[str, Any]) -> int:
    limiter = converter.structure(data["limiter"], SuggestionLimiter)
    (workload,) = data["workloads"]
    return converter.structure(workload, SellerWorkload).daily_limit(limiter)


@pytest.mark.parametrize("path", ERRORS, ids=lambda p: p.stem)
def test_error_vectors_are_refused_as_workloads_too(path: Path) -> None:
    data = _load(path)
    with pytest.raises(OtocoreError) as raised:
        _as_workload(data)
    assert type(raised.value).__name__ == data["expected_error"]["type"]
    assert str(raised.value.field).endswith(data["expected_error"]["field"])
