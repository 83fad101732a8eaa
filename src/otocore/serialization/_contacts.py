"""cattrs hooks for :mod:`otocore.contacts` and :mod:`otocore.quarantine` Private.

The generated hooks structure every type of the two modules; these add:

* a list field given as something else (a string, a number, an object) is
  "must be a JSON array", never iterated character by character
  (``Contact.products_offered``, ``ContactHistory.days``);
* ``ContactHistory.campaign_days`` is a JSON object from campaign id to its
  list of ISO dates (``{"ANIVERSARIO": ["2026-05-02"]}``), kept in the class
  as sorted pairs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from otocore.contacts import Contact
from otocore.errors import ValidationError
from otocore.quarantine import ContactHistory

_ARRAY = "must be a JSON array"


def _arrays_first(
    conv: cattrs.Converter,
    cl: type,
    fields: tuple[str, ...],
    prepare: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    **overrides: Any,
) -> Callable[[Any, type], Any]:
    """Check that ``fields`` hold JSON arrays, run ``prepare``, then the generated hook."""
    generated: Callable[[Any, type], Any] = make_dict_structure_fn(
        cl, conv, _cattrs_forbid_extra_keys=getattr(conv, "forbid_extra_keys", False), **overrides
    )
    name = cl.__name__

    def hook(data: Any, _: type) -> Any:
        if isinstance(data, dict):
            faults = [
                ValidationError(f"{name}.{field}", data[field], _ARRAY)
                for field in fields
                if field in data and not isinstance(data[field], list | tuple)
            ]
            if faults:
                raise ValidationError.collect(faults)
            if prepare is not None:
                data = prepare(data)
        return generated(data, cl)

    return hook


def _campaign_days_to_data(pairs: Any) -> dict[str, list[str]]:
    return {cid: [d.isoformat() for d in days] for cid, days in pairs}


def _as_given(value: Any, _: Any) -> Any:
    return value


def _read_campaign_days(conv: cattrs.Converter) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """Turn ``campaign_days`` from its JSON object into a mapping of date tuples."""
    field = "ContactHistory.campaign_days"

    def prepare(data: dict[str, Any]) -> dict[str, Any]:
        if "campaign_days" not in data:
            return data
        value = data["campaign_days"]
        if not isinstance(value, dict):
            raise ValidationError(
                field, value, "must be a JSON object from campaign id to a list of dates"
            )
        faults: list[ValidationError] = []
        out: dict[Any, tuple[date, ...]] = {}
        for key, days in value.items():
            path = f"{field}[{key!r}]"
            if not isinstance(days, list | tuple):
                faults.append(ValidationError(path, days, _ARRAY + " of ISO dates"))
                continue
            parsed = []
            for i, day in enumerate(days):
                try:
                    parsed.append(conv.structure(day, date))
                except ValidationError as exc:
                    faults.append(ValidationError(f"{path}[{i}]", day, exc.rule))
            out[key] = tuple(parsed)
        if faults:
            raise ValidationError.collect(faults)
        return {**data, "campaign_days": out}  # the class checks the keys and the order

    return prepare


def configure(conv: cattrs.Converter) -> None:
    """Install the hooks the types of contacts and quarantine need on ``conv``."""
    conv.register_structure_hook(Contact, _arrays_first(conv, Contact, ("products_offered",)))
    conv.register_structure_hook(
        ContactHistory,
        _arrays_first(
            conv,
            ContactHistory,
            ("days",),
            _read_campaign_days(conv),
            campaign_days=override(struct_hook=_as_given),
        ),
    )
    conv.register_unstructure_hook(
        ContactHistory,
        make_dict_unstructure_fn(
            ContactHistory, conv, campaign_days=override(unstruct_hook=_campaign_days_to_data)
        ),
    )
