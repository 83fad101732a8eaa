"""Hypothesis entry point: registers otocore's strategies for ``st.from_type``.

Kept apart from :mod:`otocore.testing`, and resolving strategies lazily,
because Hypothesis runs entry points while it is itself being imported, possibly
by :mod:`otocore.testing` itself.
"""

from __future__ import annotations

from typing import Any


def _resolve(cls: type) -> Any:
    from otocore.testing import _registry

    return _registry.strategy_for(cls)


def _hypothesis_setup_hook() -> None:
    from hypothesis import strategies as st

    from otocore._typeregistry import TYPES_WITH_STRATEGIES

    for cls in TYPES_WITH_STRATEGIES():
        st.register_type_strategy(cls, _resolve)
