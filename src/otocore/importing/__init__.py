"""Importação (import): stores, sellers, customers, orders, consent, blocks, contacts, telesales.

VTEX's Televendas help page names the use case: "importar pedidos de outras
plataformas"; Reshop's customer module help page describes the *Cadastro*
that the customers file fills. :func:`import_file` reads one file and writes
its rows through a unit of work; :func:`import_directory` imports the
``stores``, ``sellers``, ``customers``, ``orders``, ``consent``, ``blocks``,
``contacts`` and ``telesales`` files of one directory, in that order. The
command ``otocore import`` calls them.

The rules, exactly (the columns of each kind are on the *Import formats* page):

* A file is CSV (a header line naming the columns; its separator, decimal
  comma and encoding, UTF-8 or Windows-1252, detected or given), JSON Lines
  (one JSON object per line, keys = the same column names), either optionally
  gzip-compressed, or an ``.xlsx`` workbook (its first sheet). Its kind is
  told by its name, in English or Portuguese (``orders.csv``,
  ``pedidos.xlsx``), or given. The file is streamed: memory stays flat however
  large it is. A file that cannot be read as a table of its kind is a
  :class:`FileRejected`, in one line.
* Every cell goes through the validators of the value type it builds, so a
  row obeys every rule a hand-built value does. An empty cell (or a JSON
  ``null``, a missing key, ``""``) means "no value"; ``status`` and
  ``channel`` then take their defaults. Instants are ISO 8601 *with* a UTC
  offset; totals are plain decimals with ``'.'`` (``1234.56``), or with a
  decimal comma (``1.234,56``) in a file whose decimal separator is ``','``.
* A bad row is a :class:`RowError` naming the file, the line, the column and
  the value. By default a file with any bad row imports nothing and raises
  :class:`ImportRejected`; with ``skip_invalid=True`` the good rows are
  imported and the bad ones are written, with their reasons, to a report.
* Stores, sellers, customers and orders are upserted by id; consent and
  block events and contacts are stored once by id (derived from the row when
  the file has none). Importing the same file twice changes nothing.
* A telesales file has one row per item (:class:`TelesalesRow`); the rows
  of an order (adjacent or not) must agree on the order's columns, and each
  order is built by :func:`otocore.telesales.imported_order`, already paid by
  promissory note, its rules applied at the import's ``clock``. An order is
  imported whole or not at all (a bad row rejects every row of it), and never
  replaced: stored already with the same content, its rows are duplicates;
  with other content, bad rows.
* A reference to an unknown store, seller or customer (an order's store or
  seller, a consent event's or contact's customer, a contact's seller, a
  telesales order's customer and store) is a row error unless ``check_references=False``; a row of an earlier file of
  the same call counts as known.
* An id repeated within a file is counted in :attr:`ImportSummary.duplicates`:
  the last row wins for the upserted kinds; an event or contact must repeat
  the same row (a different one is a row error).
* :func:`add_customer` adds one customer by hand, its fields checked by
  the same rules as a customers file's row (:func:`customer_from_cells`),
  never replacing a stored one (:class:`CustomerExists`).
* A customers row that changes a customer stored before the import writes,
  in the import's transaction, one customer-history entry per changed field
  (:class:`~otocore.history.HistoryReason` ``IMPORT``; old and new value as
  the SAC edit writes them; ``actor``, default ``"import"``, at the import's
  ``clock``). A customer the import creates (or :func:`add_customer` adds) is
  its own first record: no entry. An unchanged row writes nothing, nor does a
  rolled-back import. The history is MAC-chained: a store opened without log
  keys refuses such a file whole (:class:`~otocore.errors.ConfigurationError`).
* Progress goes to a callback, ``progress=``, as :class:`ImportProgress`
  values; nothing is drawn or printed (the command line draws its bar from them).

>>> import tempfile
>>> from pathlib import Path
>>> from otocore.adapters.memory import InMemoryUnitOfWork
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "stores.csv").write_text(
...     "store_id,name,city,state\\nL01,Loja Centro,São Paulo,SP\\n", encoding="utf-8"
... )
>>> uow = InMemoryUnitOfWork()
>>> summary = import_file(uow, folder / "stores.csv")
>>> summary.rows_read, summary.imported, summary.rejected
(1, 1, 0)

A bad cell names the file, the line, the column and the value, and nothing
is imported:

>>> _ = (folder / "orders.csv").write_text(
...     "order_id,customer_id,store_id,placed_at,total\\n"
...     "P1,C1,L01,2026-05-10T15:30:00-03:00,199.90\\n"
...     "P2,C1,L01,2026-05-10T16:00:00-03:00,\\"1.234,56\\"\\n",
...     encoding="utf-8",
... )
>>> import_file(uow, folder / "orders.csv")
Traceback (most recent call last):
...
otocore.importing.ImportRejected: 1 bad row in orders.csv, nothing imported:
  orders.csv line 3: total must use '.' as the decimal separator and no thousands separator, such as '1234.56' (Brazilian '1.234,56' is not accepted: pass --decimal ',' to read decimal commas), got '1.234,56'
"""

from __future__ import annotations

from otocore.importing._errors import MAX_LISTED_ROWS as MAX_LISTED_ROWS
from otocore.importing._errors import ImportFailed, ImportRejected, RowError
from otocore.importing._files import MAX_LINE_BYTES as MAX_LINE_BYTES
from otocore.importing._files import FileFormat, FileRejected, RecordKind
from otocore.importing._history import IMPORT_ACTOR as IMPORT_ACTOR
from otocore.importing._manual import (
    CUSTOMER_COLUMNS,
    CustomerExists,
    add_customer,
    customer_from_cells,
)
from otocore.importing._report import REPORT_COLUMNS as REPORT_COLUMNS
from otocore.importing._report import (
    ImportProgress,
    ImportStage,
    ImportSummary,
    default_report_path,
    format_summary,
)
from otocore.importing._rows import TelesalesRow, to_cells
from otocore.importing._service import import_directory, import_file

__all__ = [
    "CUSTOMER_COLUMNS",
    "CustomerExists",
    "FileFormat",
    "FileRejected",
    "ImportFailed",
    "ImportProgress",
    "ImportRejected",
    "ImportStage",
    "ImportSummary",
    "RecordKind",
    "RowError",
    "TelesalesRow",
    "add_customer",
    "customer_from_cells",
    "default_report_path",
    "format_summary",
    "import_directory",
    "import_file",
    "to_cells",
]

# the errors read as raised from here, as users catch them (``otocore.importing.ImportRejected``)
for _error in (CustomerExists, FileRejected, ImportFailed, ImportRejected, RowError):
    _error.__module__ = __name__
del _error
