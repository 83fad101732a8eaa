"""Hypothesis entry point: registers otocore's strategies for ``st.from_type``.

Part of the testing support, but kept at this path (the entry point names it)
and resolving strategies lazily, because Hypothesis runs entry points while it
is itself being imported, possibly by :mod:`otocore.testing` itself; the list
of types, :mod:`otocore.testing._types`, imports only the model.
"""

from __future__ import annotations

from typing import Any


def _resolve(cls: type) -> Any:
    from otocore.testing import _registry

    return _registry.strategy_for(cls)


def _hypothesis_setup_hook() -> None:
    from hypothesis import strategies as st

    from otocore.testing._types import TYPES_WITH_STRATEGIES

    for cls in TYPES_WITH_STRATEGIES():
        st.register_type_strategy(cls, _resolve)
