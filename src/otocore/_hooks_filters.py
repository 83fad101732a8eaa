"""cattrs hooks for :mod:`otocore.filters` (kept outside the model).

A filter travels as its JSON form, a tagged union of one-key objects
(``{"all": [...]}``, ``{"age_between": {"min": 18}}``); see
:func:`otocore.filters.parse_filter`. The hooks are registered on the
:class:`~otocore.filters.Filter` base class, so a field annotated ``Filter``
(a campaign's audience) and every node class use them.

Faults are raised with paths the converter can re-root: a fault at the
filter's root has an empty field, one below it is ``"Filter.all[2].age_between.min"``,
so a campaign's converter reports ``Campaign.audience.all[2].age_between.min``.
"""

from __future__ import annotations

from typing import Any

import cattrs

from otocore.errors import ValidationError


def structure_filter(data: Any, cl: type) -> Any:
    """cattrs structure hook: read the JSON form into a filter of class ``cl``."""
    from otocore._filters_json import parse

    node, faults = parse(data, None)
    if faults:
        raise ValidationError.collect(
            [
                ValidationError("Filter" + e.field if e.field else "", e.value, e.rule)
                for e in faults
            ]
        )
    if not isinstance(node, cl):
        raise ValidationError("", data, f"must be a filter of kind {getattr(cl, '_tag', '')!r}")
    return node


def unstructure_filter(node: Any) -> Any:
    """cattrs unstructure hook: the JSON form of a filter."""
    from otocore.filters import filter_to_data

    return filter_to_data(node)


def configure(conv: cattrs.Converter) -> None:
    """Install the hooks this module's types need on ``conv``."""
    from otocore.filters import Filter

    conv.register_structure_hook(Filter, structure_filter)
    conv.register_unstructure_hook(Filter, unstructure_filter)
