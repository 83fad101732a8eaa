"""Armazenamento em memória (in-memory storage): a real, transactional fake.

:class:`InMemoryUnitOfWork` implements :class:`otocore.repositories.UnitOfWork`
with dictionaries, for tests, examples and small tools. Its transactions are
real: a block's writes go to a private overlay that its own reads see, and
are applied to the shared state only when the block commits; a rollback (or
an exception leaving the block) throws the overlay away. It passes the same
contract suite as the SQL adapter (:mod:`otocore.testing.storage`).

Several units of work may share one :class:`InMemoryDatabase` (one per thread,
say). A plain block reads the state as it was committed when the block began;
commits are atomic. ``with uow.writing():`` holds the database's lock for the
whole block, so read-then-update blocks of different threads never interleave.
Nothing is persisted: the state lives as long as the :class:`InMemoryDatabase`.

The package lines up with :mod:`otocore.adapters.sql` file by file: the unit of
work and database in ``_uow.py``, the shared repository base in ``_base.py``,
and the repositories by area in ``_portfolio.py`` (stores, sellers, customers,
orders, carteira, RFV, daily runs, sequences), ``_contacts.py`` (consent and
block logs, contacts, campaigns, suggestions, workloads) and ``_accounts.py``
(accounts, tokens, the audit log).

>>> from otocore.sellers import Store
>>> db = InMemoryDatabase()
>>> first, second = db.unit_of_work(), db.unit_of_work()
>>> with first:
...     first.stores.add(Store(store_id="L01", name="Loja Centro"))
...     with second:
...         second.stores.list()  # not committed yet
[]
>>> with second:
...     print(*(s.name for s in second.stores.list()))
Loja Centro
"""

from __future__ import annotations

from otocore.adapters.memory._uow import InMemoryDatabase, InMemoryUnitOfWork

__all__ = ["InMemoryDatabase", "InMemoryUnitOfWork"]
