"""Contrato de armazenamento (storage contract): one test suite for every store.

:class:`UnitOfWorkContract` holds the tests every implementation of
:class:`otocore.repositories.UnitOfWork` must pass: each repository method,
upsert semantics, :class:`~otocore.errors.NotFound`, atomic commit and
rollback, exact money and instants, streaming, and Hypothesis round trips.
otocore runs it against its in-memory store, SQLite (in memory and in a file)
and PostgreSQL; run it against your own repositories by subclassing it in a
test module and providing a ``make_uow`` fixture: a zero-argument callable
returning a unit of work on a new, empty store each time it is called (the
property tests call it once per example).

Needs pytest and Hypothesis (``pip install otocore[testing] pytest``).

>>> import pytest
>>> from otocore.adapters.memory import InMemoryUnitOfWork
>>> class TestMyStore(UnitOfWorkContract):
...     @pytest.fixture
...     def make_uow(self):
...         return InMemoryUnitOfWork
>>> "test_an_exception_leaves_nothing_behind" in dir(TestMyStore)
True

**One area at a time.** :class:`UnitOfWorkContract` is the sum of seven parts,
each a test class you can subclass on its own, with the same ``make_uow``
fixture, while your store grows (or to rerun only what you changed):

* :class:`PortfolioContract`: stores, sellers, customers, orders, carteira,
  RFV snapshots, daily runs and sequences;
* :class:`ContactsContract`: the consent and block logs, contacts, campaigns,
  daily suggestions and seller workloads;
* :class:`OutcomesContract`: each customer's outcome of a generated day;
* :class:`TelesalesContract`: telesales carts and orders, their items and
  histories, the optimistic save and the two views;
* :class:`AccountsContract`: login accounts, tokens and the audit log;
* :class:`CategoriesContract`: customer categories and their members;
* :class:`ExportsContract`: the customers' paged reads and the customer
  exports' records (issue 15);
* :class:`LogsContract`: the customer history and the data-access log
  (MAC-chained, the history redactable) and the audit log's keyed MACs; its
  stores must be opened with the keyring of its ``log_keys`` fixture
  (:data:`CONTRACT_LOG_KEYS` unless you override it);
* :class:`RegistryContract`: the registry search (``uow.customer_search``):
  every query field, sorting, paging and the figures;
* :class:`DataRequestsContract`: the LGPD's data-subject requests
  (``uow.data_requests``): stored once, answered once (compare-and-set),
  the open, overdue and per-customer lists;
* :class:`SubjectDataContract`: a customer's erasure (``uow.subject_data``): relinking
  to an anonymous id and deleting their rows (issue 15);
* :class:`TransactionsContract`: the unit of work itself (atomic blocks,
  ``commit()``/``rollback()``, ``writing()``, nesting) and bad arguments; it
  touches every repository.

>>> class TestMyStoresPortfolio(PortfolioContract):
...     @pytest.fixture
...     def make_uow(self):
...         return InMemoryUnitOfWork
>>> "test_order_upsert_replaces" in dir(TestMyStoresPortfolio)
True
>>> "test_a_token_hash_is_stored_once" in dir(TestMyStoresPortfolio)
False

A part runs alone as any pytest class does:
``pytest tests/test_my_store.py::TestMyStoresPortfolio``; one test of the
whole contract with ``-k``, e.g. ``pytest tests/test_my_store.py -k "token"``.
"""

from __future__ import annotations

from otocore.testing.storage._accounts import AccountsContract
from otocore.testing.storage._categories import CategoriesContract
from otocore.testing.storage._contacts import ContactsContract
from otocore.testing.storage._exports import ExportsContract
from otocore.testing.storage._logs import CONTRACT_LOG_KEYS, LogsContract
from otocore.testing.storage._outcomes import OutcomesContract
from otocore.testing.storage._portfolio import PortfolioContract
from otocore.testing.storage._privacy import DataRequestsContract
from otocore.testing.storage._registry import RegistryContract
from otocore.testing.storage._subject import SubjectDataContract
from otocore.testing.storage._telesales import TelesalesContract
from otocore.testing.storage._uow import TransactionsContract

__all__ = [
    "CONTRACT_LOG_KEYS",
    "AccountsContract",
    "CategoriesContract",
    "ContactsContract",
    "DataRequestsContract",
    "ExportsContract",
    "LogsContract",
    "OutcomesContract",
    "PortfolioContract",
    "RegistryContract",
    "SubjectDataContract",
    "TelesalesContract",
    "TransactionsContract",
    "UnitOfWorkContract",
]


class UnitOfWorkContract(
    PortfolioContract,
    ContactsContract,
    OutcomesContract,
    TelesalesContract,
    AccountsContract,
    TransactionsContract,
    CategoriesContract,
    ExportsContract,
    LogsContract,
    RegistryContract,
    DataRequestsContract,
    SubjectDataContract,
):
    """The storage contract, as a pytest test class to subclass.

    Subclass it in a test module (its name must start with ``Test``) and
    define a ``make_uow`` fixture returning a factory of units of work on
    new, empty stores. Every test of this class then runs against yours:
    the tests of its five parts, :class:`PortfolioContract`,
    :class:`ContactsContract`, :class:`OutcomesContract`, :class:`AccountsContract` and
    :class:`TransactionsContract`.

    >>> issubclass(UnitOfWorkContract, PortfolioContract)
    True
    """
