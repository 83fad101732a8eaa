"""cattrs hooks for the types of :mod:`otocore.distribution` Private.

:class:`~otocore.distribution.ToSeller` and :class:`~otocore.distribution.Balanced`
form the tagged union :data:`~otocore.distribution.RedistributionTarget`. Each
unstructures with a ``"kind"`` tag (``"to_seller"`` or ``"balanced"``), whether
it is unstructured as itself or as the union, so a stored target always says
what it is:

>>> from otocore.serialization import converter
>>> from otocore.distribution import Balanced, RedistributionTarget, ToSeller
>>> converter.unstructure(ToSeller("V02"))
{'kind': 'to_seller', 'code': 'V02'}
>>> converter.structure({"kind": "balanced", "seed": 7}, RedistributionTarget)
Balanced(seed=7)
>>> converter.structure({"kind": "random", "seed": 7}, RedistributionTarget)
Traceback (most recent call last):
...
otocore.errors.ValidationError: RedistributionTarget.kind must be 'to_seller' or 'balanced', got 'random'
"""

from __future__ import annotations

from typing import Any

import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn

from otocore.distribution import Balanced, RedistributionTarget, ToSeller
from otocore.errors import ValidationError

_TAG = "kind"


def configure(conv: cattrs.Converter) -> None:
    """Install the hooks this module's types need on ``conv``."""
    kinds: dict[str, type[Any]] = {"to_seller": ToSeller, "balanced": Balanced}
    allowed = " or ".join(repr(k) for k in kinds)

    for kind, cls in kinds.items():
        _tag_class(conv, cls, kind)

    def structure_target(value: Any, _: Any) -> Any:
        if not isinstance(value, dict):
            raise ValidationError("", value, f"must be an object with a {_TAG!r} of {allowed}")
        kind = value.get(_TAG)
        cls = kinds.get(kind) if isinstance(kind, str) else None
        if cls is None:
            raise ValidationError(f"RedistributionTarget.{_TAG}", kind, f"must be {allowed}")
        return conv.structure(value, cls)

    conv.register_structure_hook(RedistributionTarget, structure_target)


def _tag_class(conv: cattrs.Converter, cls: type[Any], kind: str) -> None:
    unstructure = make_dict_unstructure_fn(cls, conv)
    structure = make_dict_structure_fn(cls, conv)
    name = cls.__name__

    def unstructure_tagged(value: Any) -> dict[str, Any]:
        return {_TAG: kind, **unstructure(value)}

    def structure_tagged(value: Any, cl: Any) -> Any:
        if isinstance(value, dict) and _TAG in value:
            if value[_TAG] != kind:
                raise ValidationError(f"{name}.{_TAG}", value[_TAG], f"must be {kind!r}")
            value = {k: v for k, v in value.items() if k != _TAG}
        return structure(value, cl)

    conv.register_unstructure_hook(cls, unstructure_tagged)
    conv.register_structure_hook(cls, structure_tagged)
