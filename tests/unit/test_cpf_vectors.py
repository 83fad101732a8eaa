"""Replay the golden CPF vectors in ``tests/vectors/cpf``.

Format ``"otocore-cpf-vector/1"``: ``description``, and ``cases``, each with ``text``
(what a user or a file gives), ``policy`` (the :class:`~otocore.customers.CpfPolicy`
fields that differ from the default), ``source`` (where the labelled case comes from)
and either ``digits`` (the 11 digits otocore reads) or ``error`` (a part of the
:class:`~otocore.errors.ValidationError`'s message). The cases from python-stdnum and
validate-docbr keep those projects' labels; a ``note`` says where otocore differs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from stdnum.br import cpf as stdnum_cpf

from otocore.customers import CpfPolicy
from otocore.errors import ValidationError

VECTORS = sorted((Path(__file__).parent.parent / "vectors" / "cpf").glob("*.json"))
CASES = [case for path in VECTORS for case in json.loads(path.read_text("utf-8"))["cases"]]


def test_the_vectors_are_there() -> None:
    assert len(CASES) >= 38
    assert {case["source"] for case in CASES} >= {
        "python-stdnum, stdnum/br/cpf.py doctests",
        "validate-docbr, tests/test_cpf.py",
        "otocore",
    }


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['text']}-{sorted(c['policy'])}")
def test_a_cpf_vector(case: dict[str, Any]) -> None:
    policy = CpfPolicy(**case["policy"])
    if "digits" in case:
        assert policy.parse(case["text"]).digits == case["digits"]
        assert stdnum_cpf.is_valid(case["digits"])
    else:
        with pytest.raises(ValidationError) as raised:
            policy.parse(case["text"], field="cpf")
        assert raised.value.field == "cpf"
        assert raised.value.value == case["text"]
        assert case["error"] in str(raised.value)
