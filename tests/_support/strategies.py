"""Hypothesis helpers shared by the property tests: junk JSON, and example counts.

``JSON`` draws any JSON-like value (scalars, lists, string-keyed objects), the junk a
deserializer must refuse with an ``OtocoreError``; :func:`json_values` builds a variant.
Strategies for otocore's own types live in ``otocore.testing``.

:func:`examples` scales a test's example count to the loaded profile (``dev``, ``ci``,
``explore``; see ``tests/conftest.py``), for a test that is deliberately heavier or
lighter than the rest: ``@settings(max_examples=examples(2))``.
"""

from __future__ import annotations

from typing import Any

from hypothesis import settings
from hypothesis import strategies as st

__all__ = ["JSON", "examples", "json_values"]


def examples(scale: float) -> int:
    """``scale`` times the loaded profile's ``max_examples`` (at least 1).

    >>> examples(2) == 2 * settings.default.max_examples
    True
    >>> examples(0.001)
    1
    """
    return max(1, round(settings.default.max_examples * scale))


def json_values(
    *,
    integers: st.SearchStrategy[int] | None = None,
    floats: bool = True,
    text_size: int = 20,
    max_leaves: int = 12,
) -> st.SearchStrategy[Any]:
    """JSON-like values: ``None``, booleans, ``integers``, floats, short text, in lists and objects.

    >>> from hypothesis import find
    >>> find(json_values(floats=False), lambda v: isinstance(v, dict) and v)
    {'': None}
    """
    scalars = st.none() | st.booleans() | (st.integers() if integers is None else integers)
    if floats:
        scalars = scalars | st.floats()
    return st.recursive(
        scalars | st.text(max_size=text_size),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.text(max_size=10), children, max_size=4)
        ),
        max_leaves=max_leaves,
    )


JSON = json_values()
"""Any JSON-like value, up to 12 leaves, text up to 20 characters."""
