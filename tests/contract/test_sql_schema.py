"""Schema versions: Alembic migrations shipped in the package, and mismatches refused."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from otocore.adapters.sql import (
    SqlUnitOfWork,
    current_revision,
    head_revision,
    open_database,
    upgrade,
)
from otocore.adapters.sql._engine import create_engine
from otocore.adapters.sql._schema import alembic_config
from otocore.adapters.sql._tables import metadata
from otocore.errors import SchemaVersionError
from otocore.sellers import Store

CENTRO = Store(store_id="L01", name="Loja Centro")


def test_the_library_needs_revision_0001() -> None:
    assert head_revision() == "0001"


def test_an_empty_database_is_refused_until_upgraded(empty_url: str) -> None:
    assert current_revision(empty_url) is None
    with pytest.raises(SchemaVersionError) as info:
        open_database(empty_url)
    assert info.value.found is None
    assert info.value.expected == head_revision()
    assert "otocore db upgrade" in str(info.value)
    assert upgrade(empty_url) == head_revision()
    assert upgrade(empty_url) == head_revision()  # a second upgrade changes nothing
    assert current_revision(empty_url) == head_revision()
    with open_database(empty_url) as db:
        assert db.revision() == head_revision()


def test_open_with_upgrade_creates_the_schema_and_keeps_data(empty_url: str) -> None:
    with open_database(empty_url, upgrade=True) as db, db.unit_of_work() as uow:
        uow.stores.add(CENTRO)
    with open_database(empty_url, upgrade=True) as db, db.unit_of_work() as uow:
        assert uow.stores.list() == [CENTRO]


def test_an_older_schema_is_refused(empty_url: str) -> None:
    upgrade(empty_url)
    engine = create_engine(empty_url)
    try:
        with engine.connect() as conn, alembic_config(conn) as config:
            command.downgrade(config, "base")
            if conn.in_transaction():
                conn.commit()
    finally:
        engine.dispose()
    assert current_revision(empty_url) is None
    with pytest.raises(SchemaVersionError) as info:
        open_database(empty_url)
    assert info.value.found is None
    assert upgrade(empty_url) == head_revision()  # and the upgrade brings it back


def test_a_newer_schema_is_refused_and_never_downgraded(empty_url: str) -> None:
    upgrade(empty_url)
    engine = create_engine(empty_url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("UPDATE alembic_version SET version_num = '0002_future'"))
        with pytest.raises(SchemaVersionError) as info:
            SqlUnitOfWork(engine)
        assert info.value.found == "0002_future"
        assert "newer otocore" in str(info.value)
        with pytest.raises(SchemaVersionError):
            open_database(empty_url)
        with pytest.raises(SchemaVersionError):
            open_database(empty_url, upgrade=True)
        with pytest.raises(SchemaVersionError):
            upgrade(empty_url)
        assert current_revision(empty_url) == "0002_future"
    finally:
        engine.dispose()


def test_an_unchecked_engine_is_checked_by_the_unit_of_work(empty_url: str) -> None:
    engine = create_engine(empty_url)
    try:
        with pytest.raises(SchemaVersionError):
            SqlUnitOfWork(engine)
        upgrade(empty_url)
        uow = SqlUnitOfWork(engine)
        with uow:
            uow.stores.add(CENTRO)
        with uow:
            assert uow.stores.get("L01") == CENTRO
    finally:
        engine.dispose()


def test_the_migrations_create_exactly_the_library_schema(empty_url: str) -> None:
    upgrade(empty_url)
    engine = create_engine(empty_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, metadata) == []
    finally:
        engine.dispose()
