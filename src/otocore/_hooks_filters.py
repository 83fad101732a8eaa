"""Moved to :mod:`otocore.serialization._filters`; kept until the SQL adapter stops importing it.

The converter of :mod:`otocore.serialization` installs the filters' hooks
itself, so ``configure(conv)`` on one of its converters changes nothing.
"""

from __future__ import annotations

from otocore.serialization._filters import configure, structure_filter, unstructure_filter

__all__ = ["configure", "structure_filter", "unstructure_filter"]
