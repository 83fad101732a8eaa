"""What the memory and SQL stores share for exports: the argument checks of the paged reads."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from otocore.adapters._common import require, require_key
from otocore.errors import RuleViolation, ValidationError
from otocore.exports import ExportRecord

MAX_PAGE = 100_000
"""The largest page :meth:`~otocore.repositories.CustomerRepository.page` returns."""


def check_page(after: Any, limit: Any) -> tuple[str | None, int]:
    """``(after, limit)`` checked: ``after`` a key or None, ``limit`` 1 to :data:`MAX_PAGE`."""
    if after is not None:
        require_key("after", after)
    if type(limit) is not int or not 1 <= limit <= MAX_PAGE:
        raise ValidationError("limit", limit, f"must be an int from 1 to {MAX_PAGE}")
    return after, limit


def check_ids(customer_ids: Any) -> list[str]:
    """The distinct ids of ``customer_ids``, sorted, each checked as a key."""
    if isinstance(customer_ids, str) or not isinstance(customer_ids, Iterable):
        raise ValidationError("customer_ids", customer_ids, "must be an iterable of ids")
    return sorted({require_key(f"customer_ids[{i}]", c) for i, c in enumerate(customer_ids)})


def check_export(record: Any) -> ExportRecord:
    """An :class:`ExportRecord` to store."""
    return require("record", record, ExportRecord)


def export_taken(what: str) -> RuleViolation:
    """The error of adding an export whose id or token hash is already stored."""
    return RuleViolation(
        f"an export with this {what} is already stored; exports are never replaced"
    )
