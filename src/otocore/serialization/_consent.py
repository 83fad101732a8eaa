"""cattrs hooks for the types of :mod:`otocore.consent` Private.

:class:`~otocore.consent.ConsentEvent` and :class:`~otocore.consent.ConsentPolicy`
use cattrs' attrs support as they are (enums travel as their values, ``at`` as
ISO 8601 with its offset). A :class:`~otocore.consent.ConsentLedger` travels as
``{"policy": {...}, "events": [...]}``, its events in the ledger's canonical
order; structuring rebuilds it with
:meth:`~otocore.consent.ConsentLedger.from_events`, and every bad field is
reported with its path (``ConsentLedger.events[2].at``).

The generated function is built on first use, so that it sees the hooks of
every module whatever the order in which the modules configured ``conv``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn

from otocore.consent import ConsentEvent, ConsentLedger, ConsentPolicy
from otocore.errors import ValidationError
from otocore.serialization._core import faults


@attrs.frozen
class _LedgerDocument:
    policy: ConsentPolicy
    events: list[ConsentEvent]


def configure(conv: cattrs.Converter) -> None:
    """Install the hooks this module's types need on ``conv``."""

    @functools.cache
    def document_in() -> Callable[[Any, type], _LedgerDocument]:
        return make_dict_structure_fn(
            _LedgerDocument,
            conv,
            _cattrs_forbid_extra_keys=getattr(conv, "forbid_extra_keys", False),
        )

    def unstructure_ledger(ledger: ConsentLedger) -> dict[str, Any]:
        return {
            "policy": conv.unstructure(ledger.policy, ConsentPolicy),
            "events": [conv.unstructure(e, ConsentEvent) for e in ledger.events()],
        }

    def structure_ledger(data: Any, _: type) -> ConsentLedger:
        if isinstance(data, dict) and not isinstance(data.get("events", []), list):
            raise ValidationError(
                "ConsentLedger.events", data["events"], "must be a JSON array of events"
            )
        try:
            document = document_in()(data, _LedgerDocument)
        except ValidationError:
            raise
        except Exception as exc:  # noqa: BLE001 - every fault becomes a typed error
            raise ValidationError.collect(faults(exc, "ConsentLedger", data)) from None
        return ConsentLedger.from_events(document.events, policy=document.policy)

    conv.register_unstructure_hook(ConsentLedger, unstructure_ledger)
    conv.register_structure_hook(ConsentLedger, structure_ledger)
