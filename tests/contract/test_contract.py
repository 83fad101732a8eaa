"""The storage contract (otocore.testing.storage) against every store otocore ships.

``make_uow`` (tests/contract/conftest.py) is parametrized over memory, SQLite in
memory, an SQLite file and a real PostgreSQL server.
"""

from __future__ import annotations

from otocore.testing.storage import UnitOfWorkContract


class TestContract(UnitOfWorkContract):
    """Every contract test, once per store."""
