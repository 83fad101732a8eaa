"""Test-suite configuration: Hypothesis profiles, and the helpers' path for worker processes.

Three Hypothesis profiles; ``HYPOTHESIS_PROFILE=name`` picks one, otherwise ``CI`` decides:

* ``dev`` (the default when ``CI`` is unset): 30 examples a property, no deadline, so a
  local run of one file takes seconds;
* ``ci`` (the default when ``CI`` is set): 100 examples, derandomized so CI never flakes,
  and the failing example's blob printed to reproduce it;
* ``explore``: 500 examples, for a long hunt before a release or after a change to a rule.

A test that is deliberately heavier or lighter asks for a multiple of the profile's
count (``_support.strategies.examples(2)``), so every profile scales it.

The shared helpers (``tests/_support``) are on ``sys.path`` through pyproject's
``pythonpath``; the worker scripts the contract tests start as processes
(``tests/contract/_*_worker.py``) get the same directory through ``PYTHONPATH``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=30, deadline=None)
settings.register_profile(
    "ci",
    max_examples=100,
    derandomize=True,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("explore", max_examples=500, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

_TESTS = str(Path(__file__).resolve().parent)
if _TESTS not in os.environ.get("PYTHONPATH", "").split(os.pathsep):
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [_TESTS, *filter(None, [os.environ.get("PYTHONPATH")])]
    )

_FIND = re.compile(r"(?<![\w.])find\(")  # hypothesis.find, not a repository's .find(


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark ``slow`` the doctests that search with Hypothesis ``find``.

    Those are the examples of ``otocore.testing``'s strategies: ``find`` keeps drawing
    until the condition holds, then shrinks to the smallest example, which takes seconds
    for a big strategy (an audit log, a customer's facts).
    """
    for item in items:
        doctest = getattr(item, "dtest", None)  # a DoctestItem's examples
        if doctest is not None:
            sources = (example.source for example in doctest.examples)
            if any(_FIND.search(source) for source in sources):
                item.add_marker(pytest.mark.slow)
