"""cattrs hooks for :mod:`otocore.filters`. Private.

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

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import cattrs

from otocore.errors import ValidationError
from otocore.filters import Filter, filter_to_data, parse_filter

if TYPE_CHECKING:
    from otocore.rfv import SegmentGrid

_ROOT = "Filter"


def structure_filter(data: Any, cl: type, *, grid: SegmentGrid | None = None) -> Any:
    """cattrs structure hook: read the JSON form into a filter of class ``cl``."""
    try:
        node = parse_filter(data, path=_ROOT, grid=grid)
    except ValidationError as exc:
        raise ValidationError.collect(
            [
                ValidationError("" if e.field == _ROOT else e.field, e.value, e.rule)
                for e in exc.errors
            ]
        ) from None
    if not isinstance(node, cl):
        raise ValidationError("", data, f"must be a filter of kind {getattr(cl, '_tag', '')!r}")
    return node


def unstructure_filter(node: Any) -> Any:
    """cattrs unstructure hook: the JSON form of a filter."""
    return filter_to_data(node)


def _structure_with(grid: SegmentGrid | None) -> Callable[[Any, type], Any]:
    def structure(data: Any, cl: type) -> Any:
        return structure_filter(data, cl, grid=grid)

    return structure


def configure(conv: cattrs.Converter, *, grid: SegmentGrid | None = None) -> None:
    """Install the hooks this module's types need on ``conv``.

    Args:
        conv: the converter to configure.
        grid: when given, every ``segment_in`` key must be a segment of this grid.
    """
    conv.register_structure_hook(Filter, _structure_with(grid))
    conv.register_unstructure_hook(Filter, unstructure_filter)
