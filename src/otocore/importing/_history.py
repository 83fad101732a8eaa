"""The customer history of an import: one entry per field a row changes on a stored customer. Private.

:func:`customer_changes` is the one diff of two records of a customer, field by
field, as the customers file writes them (:func:`~otocore.importing.to_cells`):
the SAC edit (:func:`otocore.privacy.edit_customer`) and the import both use it,
so an entry's old and new values read the same whoever wrote it.
:class:`ImportHistory` keeps, for one import call, who imports, when, and which
customers the call created.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from otocore.customers import Customer
from otocore.history import HistoryChange, HistoryReason
from otocore.importing._rows import to_cells
from otocore.repositories import UnitOfWork

IMPORT_ACTOR = "import"
"""The ``actor`` of an import's history entries when the caller names no account."""

Change = tuple[str, str | None, str | None]
"""One changed field: its name, its old text and its new text (``None``: no value)."""


def customer_changes(before: Customer, after: Customer) -> list[Change]:
    """The fields whose text differs from ``before`` to ``after``, in the customers file's order.

    Each is ``(field, old, new)``, the values as a customers file writes them
    (``None``: an empty cell): a CPF as its 11 digits, a mobile in E.164, a
    date in ISO 8601.

    >>> from datetime import UTC, datetime
    >>> ana = Customer(customer_id="C1", name="Ana", registered_at=datetime(2026, 1, 1, tzinfo=UTC))
    >>> customer_changes(
    ...     ana, Customer(customer_id="C1", name="Ana Souza", registered_at=ana.registered_at)
    ... )
    [('name', 'Ana', 'Ana Souza')]
    >>> customer_changes(ana, ana)
    []
    """
    if before == after:
        return []
    old, new = to_cells(before), to_cells(after)
    return [(field, old[field], new[field]) for field in old if old[field] != new[field]]


class ImportHistory:
    """The history entries of one import call (reason IMPORT), by ``actor`` at ``now``.

    A customer stored before the call gets one entry per field each of its
    rows changes, in file order; a customer the call creates is its own first
    record (its last row, as stored at the commit): no entry, even when a
    file repeats it with other values.
    """

    def __init__(self, actor: str, now: datetime) -> None:
        self.actor = actor
        self.now = now
        self.created: set[str] = set()

    def changes(self, uow: UnitOfWork, customers: Sequence[Customer]) -> list[HistoryChange]:
        """The entries of writing ``customers`` (one batch, in file order) over what is stored.

        The stored customers of the batch are read with one ``get_many``.
        """
        wanted = dict.fromkeys(
            c.customer_id for c in customers if c.customer_id not in self.created
        )
        current = {c.customer_id: c for c in uow.customers.get_many(wanted)} if wanted else {}
        found: list[HistoryChange] = []
        for row in customers:
            key = row.customer_id
            before = current.get(key)
            if before is None:
                self.created.add(key)
                continue
            found += (
                HistoryChange(
                    customer_id=key,
                    field=field,
                    old_value=old,
                    new_value=new,
                    actor=self.actor,
                    at=self.now,
                    reason=HistoryReason.IMPORT,
                )
                for field, old, new in customer_changes(before, row)
            )
            current[key] = row
        return found
