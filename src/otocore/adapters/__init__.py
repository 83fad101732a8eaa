"""Adaptadores de armazenamento (storage adapters): where the repositories keep their state.

The domain modules know nothing of storage; the adapters implement the
protocols of :mod:`otocore.repositories`:

* :mod:`otocore.adapters.memory`: :class:`~otocore.adapters.memory.InMemoryUnitOfWork`,
  a transactional fake kept in dictionaries.
* :mod:`otocore.adapters.sql`: SQLite (the embedded default) or PostgreSQL
  through SQLAlchemy Core, with the schema managed by Alembic migrations
  shipped inside the package (imported lazily: importing this package does
  not import SQLAlchemy).

Both pass one contract suite, :mod:`otocore.testing.storage`.

>>> from otocore.adapters.memory import InMemoryUnitOfWork
>>> with InMemoryUnitOfWork() as uow:
...     uow.orders.count()
0
"""

from __future__ import annotations

__all__ = []
