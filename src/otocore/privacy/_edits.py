"""Alteração cadastral pelo SAC (the SAC edit): one field changed, validated as an import row.

Pure: :func:`edit_customer` gives the edited customer and the changes to write to the
customer history; :func:`replay_history` rebuilds a record from its history. The service
that stores both in one transaction is :class:`otocore.privacy.PrivacyService`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import attrs

from otocore import _validate as v
from otocore.customers import CpfPolicy, Customer
from otocore.errors import ValidationError
from otocore.history import HistoryEntry
from otocore.importing import CUSTOMER_COLUMNS, customer_from_cells, to_cells
from otocore.importing._history import customer_changes

__all__ = ["EDITABLE_FIELDS", "FieldChange", "edit_customer", "replay_history", "unwind_history"]

EDITABLE_FIELDS: tuple[str, ...] = tuple(
    c for c in CUSTOMER_COLUMNS if c not in {"customer_id", "registered_at"}
)
"""The registry fields the SAC may change: the customers file's columns but the id and the
registration instant (``name``, ``cpf``, ``rg``, ``birth_date``, ``email``, ``mobile``,
``sex``, ``marital_status``, ``home_store_id``, ``loyalty_program``, ``loyalty_category``,
``loyalty_card_number``)."""


@attrs.frozen
class FieldChange:
    """One registry field changed by an edit: its old and new value as the import writes them.

    The same diff as an import's history entries (``otocore.importing``'s
    ``customer_changes``): one field, its text before and after.

    >>> FieldChange("email", None, "ana@example.com")
    FieldChange(field='email', old_value=None, new_value='ana@example.com')
    """

    field: str
    old_value: str | None
    new_value: str | None


def _cells(customer: Customer) -> dict[str, str | None]:
    return to_cells(customer)


def edit_customer(
    customer: Customer,
    field: str,
    value: str | None,
    *,
    today: date,
    cpf_policy: CpfPolicy | None = None,
) -> tuple[Customer, list[FieldChange]]:
    """The customer with ``field`` set to ``value`` (text, as in a customers file), and the changes.

    ``value`` is checked as the customers import checks that column (the same rules and
    messages: :func:`otocore.importing.customer_from_cells`); ``None`` or ``""`` clears an
    optional field. A birth date after ``today`` (the local day of the edit) is refused too.
    The changes list every field whose stored text differs (normally just ``field``); an
    edit to the value already stored gives no change.

    Raises:
        ValidationError: ``field`` is not an editable field (:data:`EDITABLE_FIELDS`), or
            ``value`` is not valid for it; the error names the field and the value.

    >>> from datetime import UTC, datetime
    >>> ana = Customer(customer_id="C1", name="Ana", registered_at=datetime(2026, 1, 1, tzinfo=UTC))
    >>> edited, changes = edit_customer(ana, "mobile", "(11) 98765-4321", today=date(2026, 6, 1))
    >>> edited.mobile.e164, changes
    ('+5511987654321', [FieldChange(field='mobile', old_value=None, new_value='+5511987654321')])
    >>> edit_customer(ana, "birth_date", "2026-06-02", today=date(2026, 6, 1))
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: birth_date must not be in the future (the local day is 2026-06-01), got '2026-06-02'
    >>> edit_customer(ana, "email", "ana@", today=date(2026, 6, 1))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: email ...
    """
    v.require_instance("customer", customer, Customer)
    day = v.require_instance("today", today, date)
    if field not in EDITABLE_FIELDS:
        raise ValidationError(
            "field", field, f"must be one of the editable fields ({', '.join(EDITABLE_FIELDS)})"
        )
    if value is not None and not isinstance(value, str):
        raise ValidationError(field, value, "must be text (as in a customers file) or None")
    before = _cells(customer)
    cells: dict[str, Any] = {k: w for k, w in before.items() if w is not None}
    cells[field] = value
    edited = customer_from_cells(cells, cpf_policy=cpf_policy)
    if field == "birth_date" and edited.birth_date is not None and edited.birth_date > day:
        raise ValidationError(
            "birth_date", value, f"must not be in the future (the local day is {day.isoformat()})"
        )
    changes = [FieldChange(*change) for change in customer_changes(customer, edited)]
    return (customer if not changes else edited), changes


def replay_history(
    first: Customer,
    entries: Iterable[HistoryEntry],
    *,
    cpf_policy: CpfPolicy | None = None,
) -> Customer:
    """The record ``first`` with every change of ``entries`` (oldest first) applied.

    ``first`` is the record as first stored (or as known before the first entry); each
    entry of the same customer sets its field's text to its ``new_value``, and the record
    is rebuilt as the import builds a row. Entries of other customers are ignored.

    Raises:
        ValidationError: an entry was redacted (its values are gone: an anonymized
            customer's history cannot be replayed), or the result is not a valid customer.

    >>> from datetime import UTC, datetime
    >>> from otocore.history import HistoryChange, HistoryReason, seal_change
    >>> from otocore.ledger import LogKey
    >>> ana = Customer(customer_id="C1", name="Ana", registered_at=datetime(2026, 1, 1, tzinfo=UTC))
    >>> entry = seal_change(
    ...     HistoryChange(
    ...         customer_id="C1",
    ...         field="email",
    ...         old_value=None,
    ...         new_value="ana@example.com",
    ...         actor="u-sac",
    ...         at=datetime(2026, 6, 1, tzinfo=UTC),
    ...         reason=HistoryReason.SAC_CALL,
    ...     ),
    ...     tail=None,
    ...     key=LogKey(key_id="k1", secret=bytes(32)),
    ... )
    >>> replay_history(ana, [entry]).email.address
    'ana@example.com'
    """
    v.require_instance("first", first, Customer)
    cells: dict[str, Any] = dict(_cells(first))
    for i, entry in enumerate(v.iter_instances("entries", entries, HistoryEntry)):
        if entry.customer_id != first.customer_id:
            continue
        if entry.redacted:
            raise ValidationError(
                f"entries[{i}]", entry.sequence, "was redacted: its values are gone"
            )
        cells[entry.field] = entry.new_value
    return customer_from_cells(
        {k: w for k, w in cells.items() if w is not None}, cpf_policy=cpf_policy
    )


def unwind_history(
    current: Customer,
    entries: Iterable[HistoryEntry],
    *,
    cpf_policy: CpfPolicy | None = None,
) -> Customer:
    """The record before ``entries``: ``current`` with every change undone, newest first.

    The earliest known values of a customer whose first record was not kept: each entry of
    the same customer sets its field back to its ``old_value``. For a history that led to
    ``current``, ``replay_history(unwind_history(current, h), h) == current``.

    Raises:
        ValidationError: an entry was redacted, or the result is not a valid customer.

    >>> from datetime import UTC, datetime
    >>> from otocore.history import HistoryChange, HistoryReason, seal_change
    >>> from otocore.ledger import LogKey
    >>> ana = Customer(
    ...     customer_id="C1", name="Ana Souza", registered_at=datetime(2026, 1, 1, tzinfo=UTC)
    ... )
    >>> entry = seal_change(
    ...     HistoryChange(
    ...         customer_id="C1",
    ...         field="name",
    ...         old_value="Ana",
    ...         new_value="Ana Souza",
    ...         actor="u-sac",
    ...         at=datetime(2026, 6, 1, tzinfo=UTC),
    ...         reason=HistoryReason.SAC_CALL,
    ...     ),
    ...     tail=None,
    ...     key=LogKey(key_id="k1", secret=bytes(32)),
    ... )
    >>> unwind_history(ana, [entry]).name
    'Ana'
    """
    v.require_instance("current", current, Customer)
    cells: dict[str, Any] = dict(_cells(current))
    mine = [
        (i, e)
        for i, e in enumerate(v.iter_instances("entries", entries, HistoryEntry))
        if e.customer_id == current.customer_id
    ]
    for i, entry in reversed(mine):
        if entry.redacted:
            raise ValidationError(
                f"entries[{i}]", entry.sequence, "was redacted: its values are gone"
            )
        cells[entry.field] = entry.old_value
    return customer_from_cells(
        {k: w for k, w in cells.items() if w is not None}, cpf_policy=cpf_policy
    )
