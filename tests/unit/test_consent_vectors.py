"""Replay the golden consent (opt-in / opt-out) vectors in ``tests/vectors/consent``.

Each file is one JSON object that another implementation (SQL, another language) can
replay without otocore; the rule is stated in docs/consent.md. Format
``"otocore-consent-vector/1"``:

* ``format``: ``"otocore-consent-vector/1"``;
* ``description``: the edge the vector pins and why the expected answers are right;
* ``seed``: the passages of the seeds the rule comes from;
* ``policy``: a ConsentPolicy: ``default_granted`` (the answer with no event) and
  ``time_zone`` (IANA name of the local days);
* ``events``: the consent log, ConsentEvent objects as otocore's converter writes them:
  ``customer_id``, ``channel`` (``whatsapp``, ``sms``, ``email``, ``phone_call``,
  ``push``), ``granted`` (true: opt-in, false: opt-out), ``at`` (an ISO 8601 instant with
  its offset; usually UTC, and written in another offset where a vector says so),
  ``source``, ``recorded_by``, ``event_id``. Their order never matters;
* ``questions``: a list of ``{"customer_id": str, "channel": str, "on": day}`` (the status
  at the end of that local day) or ``{"customer_id": str, "channel": str, "at": instant}``
  (the status at that instant, inclusive);
* ``expected``: one boolean per question, in order.

Every expected value was derived by hand from docs/consent.md (the reasoning is in the
description), then checked against otocore here; ``tests/vectors/generate.py`` builds the
inputs.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from otocore.consent import (
    ConsentEvent,
    ConsentLedger,
    ConsentPolicy,
    ContactChannel,
    consent_at,
    consent_on,
)
from otocore.serialization import converter

FORMAT = "otocore-consent-vector/1"
FOLDER = Path(__file__).resolve().parents[1] / "vectors" / "consent"
VECTORS = sorted(FOLDER.glob("*.json"))
KEYS = {"format", "description", "seed", "policy", "events", "questions", "expected"}


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
    assert isinstance(data["description"], str)
    assert len(data["description"]) > 40
    assert ".txt" in data["seed"]
    assert data["questions"]
    assert len(data["expected"]) == len(data["questions"])
    assert all(isinstance(answer, bool) for answer in data["expected"])
    for question in data["questions"]:
        assert set(question) in ({"customer_id", "channel", "on"}, {"customer_id", "channel", "at"})
        ContactChannel(question["channel"])
        if "on" in question:
            date.fromisoformat(question["on"])
        else:
            assert datetime.fromisoformat(question["at"]).tzinfo is not None


def test_descriptions_are_unique() -> None:
    descriptions = [_load(p)["description"] for p in VECTORS]
    assert len(set(descriptions)) == len(descriptions)


@pytest.mark.parametrize("path", VECTORS, ids=lambda p: p.stem)
def test_vector(path: Path) -> None:
    data = _load(path)
    policy = converter.structure(data["policy"], ConsentPolicy)
    events = converter.structure(data["events"], list[ConsentEvent])
    backwards = list(reversed(events))
    ledger = ConsentLedger.from_events(events, policy=policy)
    for question, want in zip(data["questions"], data["expected"], strict=True):
        customer_id = question["customer_id"]
        channel = ContactChannel(question["channel"])
        if "on" in question:
            day = date.fromisoformat(question["on"])
            got = consent_on(events, customer_id, channel, day, policy=policy)
            assert consent_on(backwards, customer_id, channel, day, policy=policy) is got
            assert ledger.granted(customer_id, channel, day) is got
            assert (channel in ledger.channels_granted(customer_id, day)) is got
        else:
            instant = datetime.fromisoformat(question["at"])
            got = consent_at(events, customer_id, channel, instant, policy=policy)
            assert consent_at(backwards, customer_id, channel, instant, policy=policy) is got
            assert ledger.granted(customer_id, channel, instant) is got
        assert got is want, question
