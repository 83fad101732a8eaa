"""Migration 0007 (the registry search) on SQLite and PostgreSQL: keys, indexes, query plans."""

from __future__ import annotations

import importlib.util
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import pytest
import sqlalchemy as sa
from alembic import command
from hypothesis import given, settings
from hypothesis import strategies as st

import otocore.adapters.sql
from otocore.adapters.sql import _tables as t
from otocore.adapters.sql import current_revision, head_revision, open_database, upgrade
from otocore.adapters.sql._engine import create_engine
from otocore.adapters.sql._schema import alembic_config
from otocore.customers import Customer, Loyalty
from otocore.search import CustomerQuery, name_key, rg_key


def _migration() -> ModuleType:
    here = Path(otocore.adapters.sql.__file__).parent / "migrations" / "versions"
    spec = importlib.util.spec_from_file_location("m0007", here / "0007_registry_search.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MIGRATION = _migration()


@settings(max_examples=300)
@given(st.text(max_size=40))
def test_the_migration_writes_the_keys_otocore_writes(text: str) -> None:
    assert MIGRATION.name_key(text) == name_key(text)
    assert MIGRATION.rg_key(text) == rg_key(text)


def _migrate(url: str, revision: str, *, down: bool = False) -> None:
    engine = create_engine(url)
    try:
        with engine.connect() as conn, alembic_config(conn) as config:
            (command.downgrade if down else command.upgrade)(config, revision)
            if conn.in_transaction():
                conn.commit()
    finally:
        engine.dispose()


def test_customers_stored_before_0007_are_found_after_it(empty_url: str) -> None:
    _migrate(empty_url, "0006")
    engine = create_engine(empty_url)
    try:
        with engine.begin() as conn:  # rows as otocore 0006 wrote them: no keys
            conn.execute(
                sa.text(
                    "INSERT INTO customers (customer_id, name, registered_at, rg)"
                    " VALUES ('C1', 'João da Silva', :at, 'mg-12.345.678'),"
                    " ('C2', 'Ana Souza', :at, NULL)"
                ),
                {"at": datetime(2026, 1, 1, tzinfo=UTC)},
            )
    finally:
        engine.dispose()
    assert upgrade(empty_url) == current_revision(empty_url) == head_revision()
    with open_database(empty_url) as db, db.unit_of_work() as uow:
        search = uow.customer_search
        assert search.matching_ids(CustomerQuery.parse("joao sil")) == ["C1"]
        assert search.matching_ids(CustomerQuery.parse("MG 12345678")) == ["C1"]
        assert search.search(CustomerQuery.parse("")).customer_ids == ["C2", "C1"]
        uow.customers.add(
            Customer(
                customer_id="C3",
                name="Zé Cartão",
                registered_at=datetime(2026, 1, 1, tzinfo=UTC),
                loyalty=Loyalty(program="Clube", card_number="ABC123"),
            )
        )
        assert search.matching_ids(CustomerQuery.parse("abc-123")) == ["C3"]
    # down to 0006 drops the columns and indexes, keeping the customers; and up again
    _migrate(empty_url, "0006", down=True)
    engine = create_engine(empty_url)
    try:
        with engine.connect() as conn:
            columns = {c["name"] for c in sa.inspect(conn).get_columns("customers")}
            assert not {"name_key", "rg_key", "loyalty_card"} & columns
            assert conn.execute(sa.text("SELECT count(*) FROM customers")).scalar_one() == 3
            names = set(sa.inspect(conn).get_table_names())
            assert "customers_name_fts" not in names
    finally:
        engine.dispose()
    assert upgrade(empty_url) == head_revision()
    with open_database(empty_url) as db, db.unit_of_work() as uow:
        assert uow.customer_search.matching_ids(CustomerQuery.parse("ze car")) == ["C3"]


@pytest.mark.parametrize(
    ("text", "index"),
    [
        ("52998224725", "ix_customers_cpf"),
        ("ana@example.com", "ix_customers_email"),
        ("(11) 98765-4321", "ix_customers_mobile"),
    ],
)
def test_exact_searches_use_their_index(empty_url: str, text: str, index: str) -> None:
    upgrade(empty_url)
    with open_database(empty_url) as db, db.unit_of_work() as uow:
        search = uow.customer_search
        stmt = search._select(  # type: ignore[attr-defined]
            [t.customers.c.customer_id], CustomerQuery.parse(text)
        )
        conn = search._c  # type: ignore[attr-defined]
        compiled = stmt.compile(conn, compile_kwargs={"literal_binds": True})
        prefix = "EXPLAIN QUERY PLAN " if conn.dialect.name == "sqlite" else "EXPLAIN "
        if conn.dialect.name != "sqlite":
            conn.exec_driver_sql("SET enable_seqscan = off")  # an empty table: seq scan wins
        plan = " ".join(str(row) for row in conn.exec_driver_sql(prefix + str(compiled)))
        assert index in plan


def test_the_name_index_exists_in_each_dialect(empty_url: str) -> None:
    upgrade(empty_url)
    engine = create_engine(empty_url)
    try:
        with engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                sql = "SELECT name FROM sqlite_master WHERE name LIKE 'customers_name_fts%'"
                found = set(conn.exec_driver_sql(sql).scalars())
                assert {"customers_name_fts", "customers_name_fts_ai"} <= found
            else:
                sql = (
                    "SELECT indexdef FROM pg_indexes"
                    " WHERE indexname = 'ix_customers_name_key_words'"
                )
                assert "gin (array_to_tsvector(" in conn.exec_driver_sql(sql).scalar_one()
    finally:
        engine.dispose()
