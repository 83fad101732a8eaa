"""Exportação de clientes (customer export): a file of the base, handed over by a link.

Altegio's customer database help page: the customer list is exported to
Excel, and the file is sent by e-mail rather than handed over at once.
otocore does the same: :class:`ExportService` writes the file (CSV or
.xlsx, streaming: one page of customers at a time) under the brand's export
directory, keeps an :class:`~otocore.exports.ExportRecord`, and e-mails the
requester a link that expires and works for them only
(:func:`~otocore.exports.check_download`). Each request and each download is
handed to the data-access log's hook (``record_access``).

Which customers: a :class:`Selection`: :class:`AllCustomers`,
:class:`CustomerIds` (a selection), :class:`SearchSelection` (a search of the
registry, kept in the log as the text typed) or :class:`FilterSelection` (an
audience filter of :mod:`otocore.filters`).
The columns and cells are :mod:`otocore.exports`'; the file imports back
with ``otocore import``.

>>> import tempfile
>>> from datetime import UTC, datetime
>>> from otocore.access import Principal
>>> from otocore.adapters.mail import InMemoryMailer
>>> from otocore.adapters.memory import InMemoryDatabase
>>> from otocore.auth import Account, Role, normalize_login_email
>>> from otocore.clock import FixedClock
>>> from otocore.customers import Customer
>>> from otocore.exports import ExportFormat, ExportPolicy
>>> db = InMemoryDatabase()
>>> with db.unit_of_work() as uow:
...     uow.accounts.add(
...         Account(
...             account_id="u-ana",
...             email=normalize_login_email("ana@example.com"),
...             roles={Role.BRAND_ADMIN},
...         )
...     )
...     uow.customers.add(
...         Customer(customer_id="C1", name="Bia", registered_at=datetime(2026, 1, 1, tzinfo=UTC))
...     )
>>> mailer, log = InMemoryMailer(), []
>>> folder = tempfile.mkdtemp()
>>> service = ExportService(
...     db.unit_of_work,
...     mailer=mailer,
...     clock=FixedClock(datetime(2026, 5, 4, 9, tzinfo=UTC)),
...     policy=ExportPolicy(base_url="https://admin.example.com"),
...     directory=folder,
...     record_access=lambda uow, event: log.append(event),
...     rng_bytes=lambda n: bytes(n),
... )
>>> ana = Principal(account_id="u-ana", roles={Role.BRAND_ADMIN})
>>> receipt = service.request(ana, AllCustomers(), file_format=ExportFormat.CSV)
>>> receipt.count, str(receipt.sent_to), [e.action.value for e in log]
(1, 'ana@example.com', ['requested'])
>>> token = mailer.outbox[0].body.split("token=")[1].split()[0]
>>> service.download(token, ana) == receipt.path
True
"""

from __future__ import annotations

from otocore.exporting._selection import (
    DEFAULT_PAGE_SIZE,
    AllCustomers,
    CustomerIds,
    FilterSelection,
    SearchSelection,
    Selection,
)
from otocore.exporting._service import (
    AccessRecorder,
    ExportReceipt,
    ExportService,
    record_in_access_log,
)
from otocore.exporting._writers import (
    CSV_DELIMITER,
    PROCESS_AFTER,
    PROGRESS_EVERY,
    SHEET_NAME,
    Progress,
    write_customers,
)

__all__ = [
    "CSV_DELIMITER",
    "DEFAULT_PAGE_SIZE",
    "PROCESS_AFTER",
    "PROGRESS_EVERY",
    "SHEET_NAME",
    "AccessRecorder",
    "AllCustomers",
    "CustomerIds",
    "ExportReceipt",
    "ExportService",
    "FilterSelection",
    "Progress",
    "SearchSelection",
    "Selection",
    "record_in_access_log",
    "write_customers",
]
