"""Which databases the SQL adapter opens, and how it reads their names."""

from __future__ import annotations

from pathlib import Path

import pytest

from otocore.adapters.sql import Database, SqlUnitOfWork, open_database
from otocore.adapters.sql._engine import to_url
from otocore.errors import ConfigurationError, ValidationError


@pytest.mark.parametrize(
    ("target", "driver", "database"),
    [
        ("postgresql://u:p@db.example/otocore", "postgresql+psycopg", "otocore"),
        ("postgres://u@localhost/otocore", "postgresql+psycopg", "otocore"),
        ("postgresql+psycopg://u@localhost:5433/x", "postgresql+psycopg", "x"),
        ("sqlite:///var/otocore.db", "sqlite+pysqlite", "var/otocore.db"),
        ("sqlite://", "sqlite+pysqlite", None),
        (":memory:", "sqlite+pysqlite", None),
        ("otocore.db", "sqlite+pysqlite", "otocore.db"),
        (Path("/data/otocore.db"), "sqlite+pysqlite", "/data/otocore.db"),
    ],
)
def test_targets_become_urls(target: object, driver: str, database: str | None) -> None:
    url = to_url(target)
    assert (url.drivername, url.database) == (driver, database)


def test_other_databases_are_refused_with_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="SQLite"):
        to_url("mysql://u@localhost/otocore")


@pytest.mark.parametrize(
    "target", [42, None, "", b"otocore.db", "not a url://x", "postgresql://u@h:port/db"]
)
def test_junk_targets_are_validation_errors(target: object) -> None:
    with pytest.raises(ValidationError, match=r"^url must be a database URL"):
        open_database(target)  # type: ignore[arg-type]


@pytest.mark.parametrize("timeout", [-1, "5", True])
def test_busy_timeout_must_be_seconds(timeout: object) -> None:
    with pytest.raises(ValidationError, match="busy_timeout"):
        open_database(":memory:", upgrade=True, busy_timeout=timeout)  # type: ignore[arg-type]


def test_sql_unit_of_work_needs_a_database_or_an_engine() -> None:
    with pytest.raises(ValidationError, match=r"^database must be a Database or an Engine"):
        SqlUnitOfWork("sqlite://")  # type: ignore[arg-type]


def test_database_repr_hides_the_password() -> None:
    db = Database.__new__(Database)
    from sqlalchemy import create_engine

    db.engine = create_engine("postgresql+psycopg://u:secret@localhost/otocore")
    try:
        assert "secret" not in repr(db)
    finally:
        db.engine.dispose()
