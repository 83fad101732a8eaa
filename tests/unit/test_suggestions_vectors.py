"""Replay the golden daily-suggestions vectors in ``tests/vectors/suggestions``.

Each file is one JSON object that another implementation (SQL, another language) can
replay without otocore; the rule is stated in docs/suggestions.md, and it uses the
quarantine, consent, blocked-CPF, audience-filter, campaign and suggestion-limiter rules
of their own pages. Format ``"otocore-suggestions-vector/1"``:

* ``format``: ``"otocore-suggestions-vector/1"``;
* ``description``: the edges the vector pins and why the expected plan is right;
* ``seed``: the passages of the seeds the rule comes from;
* ``day``: the local day planned (ISO 8601 date);
* ``policy``: a SuggestionPolicy: ``limiter`` (``minimum``, ``maximum``),
  ``default_workload`` (three decimal strings), ``quarantine`` (a QuarantinePolicy),
  ``follow_up_message`` (a template) and ``time_zone``;
* inputs, each as otocore's converter writes it (instants in UTC, money and figures as
  decimal strings, enums by value): ``sellers`` (Seller), ``stores`` (Store),
  ``assignments`` (PortfolioAssignment: the carteira), ``customers`` (Customer),
  ``orders`` (Order), ``rfv`` (RfvScore: ``v`` orders each list), ``campaigns``
  (Campaign, with its ``audience`` filter in the filter language's JSON), ``consent`` (a
  ConsentLedger: ``{"policy", "events"}``), ``blocks`` (a BlockList: ``{"time_zone",
  "events"}``), ``contacts`` (Contact: quarantine and follow-ups), ``earlier_suggestions``
  (Suggestion), ``workloads`` (seller code to SellerWorkload, null figures from the
  policy's default) and ``anonymized`` (customer ids). The facts the audiences read are
  those of the customers and orders on ``day`` (otocore builds them with
  ``facts_for_brand``, with each customer's consented channels of the day);
* ``expected``:

  - ``limits``: each ACTIVE seller's daily limit;
  - ``candidates``: how many customers each active seller had before the cut;
  - ``suggestions``: every Suggestion of the day, by seller code then rank, as the
    converter writes it but without ``detail`` (prose, not part of the rule);
  - ``outcomes``: for customers by id, the answer to "why (not)?": ``outcome``
    (``suggested``, ``cut_by_limit``, ``opted_out``, ``blocked``, ``quarantined``,
    ``no_campaign_matched``, ``not_in_active_portfolio``, ``anonymized``,
    ``no_customer_record``), ``seller_code``, ``campaign_id``, ``channel``, ``free_on``
    and ``quarantine_rule`` (the Explanation, without ``detail`` and ``suggestion``).

Every expected value was derived by hand from docs/suggestions.md (the reasoning is in the
description), then checked against otocore here; ``tests/vectors/generate.py`` builds the
inputs.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from otocore.blocking import BlockList
from otocore.campaigns import Campaign
from otocore.consent import ConsentLedger
from otocore.contacts import Contact
from otocore.customers import Customer
from otocore.filters import facts_for_brand
from otocore.orders import Order
from otocore.portfolio import PortfolioAssignment
from otocore.rfv import RfvScore
from otocore.sellers import Seller, Store
from otocore.serialization import converter
from otocore.suggestions import (
    SellerWorkload,
    Suggestion,
    SuggestionPlan,
    SuggestionPolicy,
    plan_suggestions,
)

FORMAT = "otocore-suggestions-vector/1"
FOLDER = Path(__file__).resolve().parents[1] / "vectors" / "suggestions"
VECTORS = sorted(FOLDER.glob("*.json"))
INPUTS = {
    "day",
    "policy",
    "sellers",
    "stores",
    "assignments",
    "customers",
    "orders",
    "rfv",
    "campaigns",
    "consent",
    "blocks",
    "contacts",
    "earlier_suggestions",
    "workloads",
    "anonymized",
}
KEYS = {"format", "description", "seed", "expected", *INPUTS}
EXPLANATION_KEYS = {
    "outcome",
    "seller_code",
    "campaign_id",
    "channel",
    "free_on",
    "quarantine_rule",
}


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _without_detail(suggestion: Suggestion) -> dict[str, Any]:
    data: dict[str, Any] = converter.unstructure(suggestion)
    del data["detail"]
    return data


def _plan(data: dict[str, Any], *, backwards: bool = False) -> SuggestionPlan:
    """The plan from the JSON alone; ``backwards`` gives every list in reverse order."""

    def load(key: str, kind: Any) -> list[Any]:
        items: list[Any] = converter.structure(data[key], kind)
        return items[::-1] if backwards else items

    day = date.fromisoformat(data["day"])
    policy = converter.structure(data["policy"], SuggestionPolicy)
    ledger = converter.structure(data["consent"], ConsentLedger)
    customers = load("customers", list[Customer])
    facts = facts_for_brand(
        customers,
        load("orders", list[Order]),
        day,
        rfv_scores={s.customer_id: s for s in load("rfv", list[RfvScore])},
        consents={c.customer_id: ledger.channels_granted(c.customer_id, day) for c in customers},
        time_zone=policy.time_zone,
    )
    return plan_suggestions(
        day,
        sellers=load("sellers", list[Seller]),
        stores=load("stores", list[Store]),
        assignments=load("assignments", list[PortfolioAssignment]),
        facts=facts,
        campaigns=load("campaigns", list[Campaign]),
        consent=ledger,
        blocks=converter.structure(data["blocks"], BlockList),
        contacts=load("contacts", list[Contact]),
        earlier_suggestions=load("earlier_suggestions", list[Suggestion]),
        workloads=converter.structure(data["workloads"], dict[str, SellerWorkload]),
        anonymized=frozenset(data["anonymized"]),
        policy=policy,
    )


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
    expected = data["expected"]
    assert set(expected) == {"limits", "candidates", "suggestions", "outcomes"}
    active = {s["code"] for s in data["sellers"] if s["status"] == "active"}
    assert set(expected["limits"]) == set(expected["candidates"]) == active
    outcomes = expected["outcomes"]
    people = {c["customer_id"] for c in data["customers"]}
    people |= {a["customer_id"] for a in data["assignments"]}
    assert people <= set(outcomes), "every customer of the vector has an expected outcome"
    for want in outcomes.values():
        assert set(want) == EXPLANATION_KEYS
    ranks: dict[str, int] = {}
    for suggestion in expected["suggestions"]:
        assert "detail" not in suggestion
        code = suggestion["seller_code"]
        ranks[code] = ranks.get(code, 0) + 1
        assert suggestion["rank"] == ranks[code], "by seller, then rank from 1"
        assert suggestion["suggestion_id"] == f"{data['day']}:{suggestion['customer_id']}"
        want = outcomes[suggestion["customer_id"]]
        assert want["outcome"] == "suggested"
        assert (want["seller_code"], want["campaign_id"], want["channel"]) == (
            code,
            suggestion["campaign_id"],
            suggestion["channel"],
        )
    assert [s["seller_code"] for s in expected["suggestions"]] == sorted(
        s["seller_code"] for s in expected["suggestions"]
    )
    suggested = {c for c, want in outcomes.items() if want["outcome"] == "suggested"}
    assert suggested == {s["customer_id"] for s in expected["suggestions"]}
    for code, count in expected["candidates"].items():
        assert min(count, expected["limits"][code]) == ranks.get(code, 0)


def test_descriptions_are_unique() -> None:
    descriptions = [_load(p)["description"] for p in VECTORS]
    assert len(set(descriptions)) == len(descriptions)


@pytest.mark.parametrize("path", VECTORS, ids=lambda p: p.stem)
def test_vector(path: Path) -> None:
    data = _load(path)
    expected = data["expected"]
    plan = _plan(data)
    assert dict(plan.limits) == expected["limits"]
    assert {code: plan.candidates(code) for code in expected["candidates"]} == expected[
        "candidates"
    ]
    assert [_without_detail(s) for s in plan.suggestions] == expected["suggestions"]
    for customer_id, want in expected["outcomes"].items():
        why = plan.explain(customer_id)
        got = converter.unstructure(why)
        assert {key: got[key] for key in EXPLANATION_KEYS} == want, customer_id
        assert why.suggestion == plan.suggestion_for(customer_id)
    # the order in which the inputs are given never matters
    assert _plan(data, backwards=True) == plan
