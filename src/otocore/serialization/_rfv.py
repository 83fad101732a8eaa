"""cattrs hooks for the types of :mod:`otocore.rfv` Private.

The generated hooks already structure every RFV type; these wrap two of them so
that a list field given as something else (a string, a number, an object) is
reported as "must be a JSON array" instead of being iterated character by
character, and a score range of the wrong length names the expected shape.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import cattrs
from cattrs.gen import make_dict_structure_fn

from otocore.errors import ValidationError
from otocore.rfv import RfvThresholds, ScoreRectangle


def _arrays_first(
    conv: cattrs.Converter, cl: type, fields: dict[str, str]
) -> Callable[[Any, type], Any]:
    """Check that ``fields`` (name -> rule) hold JSON arrays, then run the generated hook."""
    generated: Callable[[Any, type], Any] = make_dict_structure_fn(
        cl, conv, _cattrs_forbid_extra_keys=getattr(conv, "forbid_extra_keys", False)
    )
    name = cl.__name__

    def hook(data: Any, _: type) -> Any:
        if isinstance(data, dict):
            faults = [
                ValidationError(f"{name}.{field}", data[field], rule)
                for field, rule in fields.items()
                if field in data and not _is_array(data[field], field, fields)
            ]
            if faults:
                raise ValidationError.collect(faults)
        return generated(data, cl)

    return hook


_PAIR = "must be a pair [lo, hi] of scores such as [1, 2]"
_ARRAY = "must be a JSON array of ascending cut points"


def _is_array(value: Any, field: str, fields: dict[str, str]) -> bool:
    if not isinstance(value, list | tuple):
        return False
    return fields[field] != _PAIR or len(value) == 2


def configure(conv: cattrs.Converter) -> None:
    """Install the hooks this module's types need on ``conv``."""
    conv.register_structure_hook(
        ScoreRectangle, _arrays_first(conv, ScoreRectangle, {"r": _PAIR, "f": _PAIR})
    )
    conv.register_structure_hook(
        RfvThresholds,
        _arrays_first(
            conv, RfvThresholds, {"recency": _ARRAY, "frequency": _ARRAY, "value": _ARRAY}
        ),
    )
