"""Ações em massa (bulk actions): categories of customers and bulk messages, as Altegio has them.

Altegio's customer database help page describes what a back office does to
many customers at once: put the customers of a search or a selection in a
category ("categorias de clientes", each with a name and a colour, maybe an
automatic discount: :mod:`otocore.categories` states the rule), and send them
a message. This package holds the services over a unit of work:

* :func:`add_to_category` and :func:`remove_from_category` take a selection
  (any iterable of customer ids); every id must name a stored customer, else
  :class:`UnknownCustomers` names the unknown ones and nothing is written.
  :func:`customers_of_filter` is the search that gives such ids from an
  audience filter (:mod:`otocore.filters`).
* :func:`set_category_discount` and :func:`category_discount` (the stored
  customer's :func:`~otocore.categories.discount_for`).
* :func:`send_bulk` sends one message per customer through a
  :class:`Messenger`, only with the sender's
  :class:`ResponsibilityAcknowledgment` (else
  :class:`AcknowledgmentRequired`, nothing sent), skipping customers
  without consent on the channel or whose CPF is blocked for the feature,
  and returns a :class:`BulkReport` of who was sent and who was skipped,
  and why.

Removing customers from the database is not here: it is the LGPD deletion.

These functions are the unaudited building blocks: they take no principal and
record nobody. An integrator who lets people act on the customer base (a back
office, an API) uses :class:`BulkService`, whose methods take the acting
:class:`~otocore.access.Principal`, check its role (``manage_categories``,
``send_bulk_message``, ``add_customer`` in :mod:`otocore.access`) and write
the act, with its selection, counts and, for a message, the acknowledgment
accepted, to the audit log in the same transaction.

>>> from datetime import UTC, datetime
>>> from otocore.adapters.memory import InMemoryUnitOfWork
>>> from otocore.categories import CustomerCategory
>>> from otocore.customers import Customer
>>> uow = InMemoryUnitOfWork()
>>> when = datetime(2026, 1, 1, tzinfo=UTC)
>>> with uow:
...     for cid in ("C1", "C2"):
...         uow.customers.add(Customer(customer_id=cid, name=cid, registered_at=when))
...     uow.categories.save(CustomerCategory("VIP", "Clientes VIP", "#c0392b"))
>>> add_to_category(uow, "VIP", ["C1", "C2"]).members
2
"""

from __future__ import annotations

from otocore.bulk._categories import (
    MAX_NAMED,
    CategoryChange,
    UnknownCustomers,
    add_to_category,
    category_discount,
    customers_of_filter,
    remove_from_category,
    set_category_discount,
)
from otocore.bulk._messages import (
    MAX_TEXT,
    RESPONSIBILITY_STATEMENT,
    AcknowledgmentRequired,
    BulkReport,
    Messenger,
    ResponsibilityAcknowledgment,
    SendOutcome,
    Skipped,
    SkipReason,
    send_bulk,
)
from otocore.bulk._service import BulkService

__all__ = [
    "MAX_NAMED",
    "MAX_TEXT",
    "RESPONSIBILITY_STATEMENT",
    "AcknowledgmentRequired",
    "BulkReport",
    "BulkService",
    "CategoryChange",
    "Messenger",
    "ResponsibilityAcknowledgment",
    "SendOutcome",
    "SkipReason",
    "Skipped",
    "UnknownCustomers",
    "add_to_category",
    "category_discount",
    "customers_of_filter",
    "remove_from_category",
    "send_bulk",
    "set_category_discount",
]

# the errors read as raised from here, where users catch them (``otocore.bulk.UnknownCustomers``)
for _error in (AcknowledgmentRequired, UnknownCustomers):
    _error.__module__ = __name__
del _error
