"""Schema versions: Alembic migrations shipped in the package, and mismatches refused."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

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
from otocore.adapters.sql import _tables as t
from otocore.adapters.sql._engine import create_engine
from otocore.adapters.sql._schema import alembic_config
from otocore.adapters.sql._tables import metadata
from otocore.consent import ContactChannel
from otocore.contacts import Contact
from otocore.errors import SchemaVersionError
from otocore.sellers import Store

CENTRO = Store(store_id="L01", name="Loja Centro")


def test_the_library_needs_revision_0006() -> None:
    assert head_revision() == "0013"


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
            conn.execute(sa.text("UPDATE alembic_version SET version_num = '0003_future'"))
        with pytest.raises(SchemaVersionError) as info:
            SqlUnitOfWork(engine)
        assert info.value.found == "0003_future"
        assert "newer otocore" in str(info.value)
        with pytest.raises(
            SchemaVersionError,
            match=r"is at revision '0003_future' but this otocore needs '\w+'; the database was upgraded by a newer otocore",
        ):
            open_database(empty_url)
        with pytest.raises(
            SchemaVersionError,
            match=r"is at revision '0003_future' but this otocore needs '\w+'; the database was upgraded by a newer otocore",
        ):
            open_database(empty_url, upgrade=True)
        with pytest.raises(
            SchemaVersionError,
            match=r"is at revision '0003_future' but this otocore needs '\w+'; the database was upgraded by a newer otocore",
        ):
            upgrade(empty_url)
        assert current_revision(empty_url) == "0003_future"
    finally:
        engine.dispose()


def test_an_unchecked_engine_is_checked_by_the_unit_of_work(empty_url: str) -> None:
    engine = create_engine(empty_url)
    try:
        with pytest.raises(
            SchemaVersionError,
            match=r"^\S+ has no otocore schema; create it with `otocore db upgrade \S+`$",
        ):
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
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "include_object": _described_by_metadata}
            )
            assert compare_metadata(context, metadata) == []

    finally:
        engine.dispose()


def _described_by_metadata(
    obj: object, name: str | None, kind: str, reflected: bool, compare_to: object
) -> bool:
    """Leave out the registry search's dialect-specific objects (migration 0007; t.SEARCH_OBJECTS)."""
    return name not in t.SEARCH_OBJECTS


def _migrate(url: str, revision: str, *, down: bool = False) -> None:
    engine = create_engine(url)
    try:
        with engine.connect() as conn, alembic_config(conn) as config:
            (command.downgrade if down else command.upgrade)(config, revision)
            if conn.in_transaction():
                conn.commit()
    finally:
        engine.dispose()


def test_a_0001_database_is_refused_then_upgraded_keeping_its_data(empty_url: str) -> None:
    _migrate(empty_url, "0001")
    placed_at = datetime(2026, 5, 10, 18, 30, 0, 123456, tzinfo=UTC)
    engine = create_engine(empty_url)
    try:
        # rows written by otocore 0001 (its tables are a subset of today's)
        with engine.begin() as conn:
            conn.execute(sa.insert(t.stores), [{"store_id": "L01", "name": "Loja Centro"}])
            conn.execute(
                sa.insert(t.orders),
                [
                    {
                        "order_id": "P1",
                        "customer_id": "C1",
                        "store_id": "L01",
                        "placed_at": placed_at,
                        "total_cents": 19990,
                        "seller_code": "V01",
                        "status": "completed",
                        "channel": "store",
                    }
                ],
            )
            conn.execute(sa.insert(t.rfv_snapshots), [{"as_of": date(2026, 5, 10)}])
        assert current_revision(empty_url) == "0001"
        with pytest.raises(SchemaVersionError) as info:
            open_database(empty_url)
        assert (info.value.found, info.value.expected) == ("0001", "0013")
        assert "otocore db upgrade" in str(info.value)
        with pytest.raises(
            SchemaVersionError,
            match=r"is at revision '0001' but this otocore needs '\w+'; upgrade it with `otocore db upgrade \S+`",
        ):
            SqlUnitOfWork(engine)
    finally:
        engine.dispose()

    assert upgrade(empty_url) == "0013"
    with open_database(empty_url) as db:
        uow = db.unit_of_work()
        with uow:
            assert uow.stores.list() == [CENTRO]
            order = uow.orders.get("P1")
            assert order.total == Decimal("199.90")
            assert order.placed_at == placed_at
            assert uow.rfv.dates() == [date(2026, 5, 10)]
            assert uow.contacts.count() == 0
            assert uow.campaigns.list() == []
            assert uow.outcomes.days() == []  # 0004: no day has stored outcomes yet
            assert uow.telesales.list() == []  # 0005: no telesales order yet
            assert uow.exports.list() == []  # 0010: no export yet
            uow.contacts.add(
                Contact(
                    contact_id="A1",
                    seller_code="V01",
                    customer_id="C1",
                    channel=ContactChannel.WHATSAPP,
                    started_at=placed_at,
                    finished_at=placed_at,
                    in_portfolio=True,
                )
            )
        with uow:
            assert uow.contacts.get("A1").customer_id == "C1"

    # and back: the downgrades of 0008, 0006, 0005, 0004, 0003 and 0002 drop only their own tables
    _migrate(empty_url, "0001", down=True)
    assert current_revision(empty_url) == "0001"
    engine = create_engine(empty_url)
    try:
        with engine.connect() as conn:
            names = set(sa.inspect(conn).get_table_names())
            assert {"stores", "orders", "rfv_snapshots"} <= names
            assert "contacts" not in names
            assert "accounts" not in names
            assert "day_outcomes" not in names
            assert not {"telesales_orders", "telesales_settings", "customer_exports"} & names
            assert conn.execute(sa.text("SELECT count(*) FROM orders")).scalar_one() == 1
    finally:
        engine.dispose()
