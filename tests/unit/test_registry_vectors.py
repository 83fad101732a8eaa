"""Replay the golden registry vectors in ``tests/vectors/registry``.

``"otocore-registry-query-vector/1"``: ``cases``, each with ``text`` (a search
line), optionally ``field`` (an explicit :class:`~otocore.search.SearchField`),
and either ``criteria`` (``[field, key]`` pairs, in order) with ``everyone``
(free text only), or ``error`` (the rule of the
:class:`~otocore.errors.ValidationError`, whose field is ``query``).
``"otocore-registry-key-vector/1"``: ``name`` with its ``name_key``, or ``rg``
with its ``rg_key``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from otocore.errors import ValidationError
from otocore.search import CustomerQuery, SearchField, name_key, rg_key

HERE = Path(__file__).parent.parent / "vectors" / "registry"
QUERIES = json.loads((HERE / "01_queries.json").read_text("utf-8"))["cases"]
KEYS = json.loads((HERE / "02_keys.json").read_text("utf-8"))["cases"]


def test_the_vectors_are_there() -> None:
    assert len(QUERIES) >= 35
    assert len(KEYS) >= 14
    assert {c.get("field") for c in QUERIES} >= {None, *(f.value for f in SearchField)}


@pytest.mark.parametrize("case", QUERIES, ids=lambda c: f"{c['text']!r}-{c.get('field')}")
def test_a_query_vector(case: dict[str, Any]) -> None:
    field = None if "field" not in case else SearchField(case["field"])
    if "error" in case:
        with pytest.raises(ValidationError) as raised:
            CustomerQuery.parse(case["text"], field=field)
        assert raised.value.field == "query"
        assert raised.value.rule == case["error"]
        return
    query = CustomerQuery.parse(case["text"], field=field)
    assert [[c.field.value, c.key] for c in query.criteria] == case["criteria"]
    if "everyone" in case:
        assert query.everyone is case["everyone"]


@pytest.mark.parametrize("case", KEYS, ids=lambda c: c.get("name") or c["rg"])
def test_a_key_vector(case: dict[str, Any]) -> None:
    if "name" in case:
        assert name_key(case["name"]) == case["name_key"]
    else:
        assert rg_key(case["rg"]) == case["rg_key"]
