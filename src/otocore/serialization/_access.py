"""cattrs hooks for the types of :mod:`otocore.access`. Private.

An :class:`~otocore.access.AuditEntry`'s ``action`` travels as a string: the
value of an :class:`~otocore.access.Action` when it names one (``"reset_pin"``),
else the free text as given. So an entry whose free-text action happens to
equal an Action's value comes back as that Action; both hash the same.
"""

from __future__ import annotations

from typing import Any

import cattrs

from otocore.access import Action
from otocore.errors import ValidationError


def configure(conv: cattrs.Converter) -> None:
    """Install the hooks this module's types need on ``conv``."""

    def _action_out(value: Action | str) -> str:
        return value.value if isinstance(value, Action) else value

    def _action_in(value: Any, _: Any) -> Action | str:
        if not isinstance(value, str):
            raise ValidationError("AuditEntry.action", value, "must be a string")
        try:
            return Action(value)
        except ValueError:
            return value

    conv.register_unstructure_hook(Action | str, _action_out)
    conv.register_structure_hook(Action | str, _action_in)
