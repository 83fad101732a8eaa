"""cattrs hooks for the types of :mod:`otocore.portfolio` Private.

:class:`~otocore.portfolio.DailyRun` keeps its ``counts`` as sorted
``(name, count)`` pairs; in JSON they are an object ``{"assigned": 10}``. On the
way in, the raw value goes to ``DailyRun``'s own converter, which accepts a
mapping and reports anything else as ``DailyRun.counts``.
"""

from __future__ import annotations

from typing import Any

import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from otocore.portfolio import DailyRun


def _pairs_to_object(pairs: Any) -> dict[str, int]:
    return dict(pairs)


def _as_given(value: Any, _: type) -> Any:
    return value


def configure(conv: cattrs.Converter) -> None:
    """Install the hooks this module's types need on ``conv``."""
    forbid = getattr(conv, "forbid_extra_keys", False)
    conv.register_unstructure_hook(
        DailyRun,
        make_dict_unstructure_fn(DailyRun, conv, counts=override(unstruct_hook=_pairs_to_object)),
    )
    conv.register_structure_hook(
        DailyRun,
        make_dict_structure_fn(
            DailyRun,
            conv,
            _cattrs_forbid_extra_keys=forbid,
            counts=override(struct_hook=_as_given),
        ),
    )
