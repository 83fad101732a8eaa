"""cattrs hooks for the types of :mod:`otocore.rfv` (kept outside the model)."""

from __future__ import annotations

import cattrs


def configure(conv: cattrs.Converter) -> None:
    """Install the hooks this module's types need on ``conv``."""
