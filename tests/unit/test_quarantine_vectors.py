"""Replay the golden quarantine vectors in ``tests/vectors/quarantine``.

Each file is one JSON object that another implementation (SQL, another language) can
replay without otocore; the rule is stated in docs/quarantine.md. Format
``"otocore-quarantine-vector/1"``:

* ``format``: ``"otocore-quarantine-vector/1"``;
* ``description``: the edge the vector pins and why the expected answer is right;
* ``seed``: the passage of the seeds the rule comes from;
* ``policy``: a QuarantinePolicy: ``days_after_contact`` (int), ``max_contacts`` and
  ``per_days`` (both int or both null), ``time_zone`` (IANA name of the local days);
* ``contacts``: one customer's registered contacts, Contact objects as otocore's converter
  writes them; only ``started_at`` (an ISO 8601 instant with its offset, here UTC),
  ``customer_id`` and ``campaign_id`` matter. Their order never matters;
* ``questions``: a list of ``{"on": day, "campaign": null | {"campaign_id": str,
  "quarantine_days": int}, "suggested_on": [day, ...]}``, days as ISO 8601 dates;
* ``expected``: one QuarantineStatus per question, in order: ``{"on": day,
  "in_quarantine": bool, "rule": null | "after_contact" | "max_contacts" | "campaign",
  "free_on": null | day}``;
* or, instead of ``expected``, ``expected_error``: ``{"type": "ValidationError", "field":
  ...}``, raised by the (only) question.

Every expected value was derived by hand from docs/quarantine.md (the reasoning is in the
description), then checked against otocore here; ``tests/vectors/generate.py`` builds the
inputs.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from otocore.contacts import Contact
from otocore.errors import OtocoreError
from otocore.quarantine import (
    CampaignQuarantine,
    ContactHistory,
    QuarantinePolicy,
    QuarantineStatus,
    contact_histories,
    quarantine_status,
)
from otocore.serialization import converter

FORMAT = "otocore-quarantine-vector/1"
FOLDER = Path(__file__).resolve().parents[1] / "vectors" / "quarantine"
VECTORS = sorted(FOLDER.glob("*.json"))
KEYS = {"format", "description", "seed", "policy", "contacts", "questions"}
RULES = {None, "after_contact", "max_contacts", "campaign"}


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _ask(
    contacts: list[Contact], policy: QuarantinePolicy, question: dict[str, Any]
) -> QuarantineStatus:
    campaign = question["campaign"]
    return quarantine_status(
        contacts,
        date.fromisoformat(question["on"]),
        policy,
        campaign=None if campaign is None else converter.structure(campaign, CampaignQuarantine),
        suggested_on=[date.fromisoformat(d) for d in question["suggested_on"]],
    )


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
    questions = data["questions"]
    assert questions
    for question in questions:
        assert set(question) == {"on", "campaign", "suggested_on"}
        date.fromisoformat(question["on"])
    if "expected_error" in data:
        assert len(questions) == 1
        assert set(data["expected_error"]) == {"type", "field"}
        return
    assert len(data["expected"]) == len(questions)
    customers = {c["customer_id"] for c in data["contacts"]}
    assert len(customers) <= 1, "a vector is about one customer"
    for question, want in zip(questions, data["expected"], strict=True):
        assert set(want) == {"on", "in_quarantine", "rule", "free_on"}
        assert want["on"] == question["on"]
        assert want["rule"] in RULES
        assert (want["rule"] is None) is (want["free_on"] is None) is (not want["in_quarantine"])


def test_descriptions_are_unique() -> None:
    descriptions = [_load(p)["description"] for p in VECTORS]
    assert len(set(descriptions)) == len(descriptions)


@pytest.mark.parametrize("path", VECTORS, ids=lambda p: p.stem)
def test_vector(path: Path) -> None:
    data = _load(path)
    policy = converter.structure(data["policy"], QuarantinePolicy)
    contacts = converter.structure(data["contacts"], list[Contact])
    if "expected_error" in data:
        (question,) = data["questions"]
        with pytest.raises(OtocoreError) as info:
            _ask(contacts, policy, question)
        assert type(info.value).__name__ == data["expected_error"]["type"]
        assert getattr(info.value, "field", None) == data["expected_error"]["field"]
        return
    histories = contact_histories(reversed(contacts), policy)
    (history,) = histories.values() if histories else (ContactHistory(policy=policy),)
    for question, want in zip(data["questions"], data["expected"], strict=True):
        got = _ask(contacts, policy, question)
        assert converter.unstructure(got) == want, question
        assert got == converter.structure(want, QuarantineStatus)
        # the same answer from a brand's reduced histories, the contacts given reversed
        campaign = question["campaign"]
        assert got == history.status(
            date.fromisoformat(question["on"]),
            campaign=None
            if campaign is None
            else converter.structure(campaign, CampaignQuarantine),
            suggested_on=[date.fromisoformat(d) for d in question["suggested_on"]],
        )
