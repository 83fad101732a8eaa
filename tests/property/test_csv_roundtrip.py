"""The CSV formula quotes are reversible (issue 15's exports): export, import, the same customers.

``otocore.exports.neutralise_formula`` quotes a free-text or e-mail cell that starts with a
formula trigger or a quote; ``restore_formula``, which otocore's CSV import of customers
applies to the same columns, takes exactly that quote off. For any customers
``otocore.testing.formula_customers`` draws (ids, names, stores, loyalty programs and
categories and e-mails starting with runs of ``=``, ``+``, ``-``, ``@`` and ``'``), an
export through ``ExportService`` imports back into equal records: from and into the memory
store, and from and into SQLite stores; the .xlsx export too (its cells are never quoted,
and its import takes nothing off).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _support.strategies import examples
from otocore.access import Principal
from otocore.adapters.mail import InMemoryMailer
from otocore.adapters.memory import InMemoryDatabase
from otocore.adapters.sql import Database, open_database
from otocore.auth import Account, Role, normalize_login_email
from otocore.clock import FixedClock
from otocore.customers import Customer
from otocore.exporting import AllCustomers, ExportService
from otocore.exports import (
    FORMULA_TRIGGERS,
    QUOTE,
    ExportFormat,
    ExportPolicy,
    csv_cells,
    neutralise_formula,
    restore_formula,
)
from otocore.importing import RecordKind, import_file
from otocore.repositories import UnitOfWork
from otocore.testing import formula_customers

ADMIN = Principal(account_id="u-admin", roles={Role.BRAND_ADMIN})
_QUOTED = FORMULA_TRIGGERS | {QUOTE}
_BASES = st.lists(formula_customers(), min_size=1, max_size=8, unique_by=lambda c: c.customer_id)


# the rule on single cells ---------------------------------------------------------------


@given(st.text())
def test_restore_undoes_neutralise_for_every_text(value: str) -> None:
    assert restore_formula(neutralise_formula(value)) == value


@given(st.text(alphabet="=+-@'\t\r aZé", max_size=6))
def test_restore_takes_off_at_most_one_leading_quote_and_only_the_exports(cell: str) -> None:
    restored = restore_formula(cell)
    assert restored in {cell, cell[1:]}
    assert (restored != cell) == (cell[:1] == QUOTE and cell[1:2] in _QUOTED)
    written_by_neutralise = cell[:1] not in FORMULA_TRIGGERS and not (
        cell[:1] == QUOTE and cell[1:2] not in _QUOTED
    )
    if written_by_neutralise:  # the rule is a bijection onto the cells it can write
        assert neutralise_formula(restored) == cell


@given(formula_customers())
def test_no_neutralised_cell_starts_a_formula(customer: Customer) -> None:
    assert all(cell[:1] not in FORMULA_TRIGGERS for cell in csv_cells(customer))


# export, then import ---------------------------------------------------------------------


def _admin(uow: UnitOfWork) -> None:
    uow.accounts.add(
        Account(
            account_id="u-admin",
            email=normalize_login_email("admin@example.com"),
            roles={Role.BRAND_ADMIN},
        )
    )


Store = InMemoryDatabase | Database


def _round_trip(source: Store, target: Store, file_format: ExportFormat) -> list[Customer]:
    """Export every customer of ``source`` to a file, import it into ``target``, read it back."""
    with tempfile.TemporaryDirectory() as folder:
        service = ExportService(
            source.unit_of_work,
            mailer=InMemoryMailer(),
            clock=FixedClock(datetime(2026, 5, 4, 12, tzinfo=UTC)),
            policy=ExportPolicy(base_url="https://admin.example.com"),
            directory=folder,
            record_access=lambda uow, event: None,
        )
        receipt = service.request(ADMIN, AllCustomers(), file_format=file_format, page_size=3)
        import_file(target.unit_of_work(), receipt.path, RecordKind.CUSTOMERS)
    with target.unit_of_work() as uow:
        return sorted(uow.customers.list(), key=lambda c: c.customer_id)


@settings(max_examples=examples(0.5), deadline=None)
@given(_BASES, st.sampled_from(ExportFormat))
def test_an_export_imports_back_into_equal_customers_on_the_memory_store(
    people: list[Customer], file_format: ExportFormat
) -> None:
    source = InMemoryDatabase()
    with source.unit_of_work() as uow:
        _admin(uow)
        uow.customers.add_many(people)
    back = _round_trip(source, InMemoryDatabase(), file_format)
    assert back == sorted(people, key=lambda c: c.customer_id)


@pytest.fixture(scope="module")
def sqlite_pair() -> Iterator[tuple[Database, Database]]:
    source = open_database(":memory:", upgrade=True)
    target = open_database(":memory:", upgrade=True)
    with source.unit_of_work() as uow:
        _admin(uow)
    yield source, target
    source.close()
    target.close()


@settings(max_examples=examples(0.25), deadline=None)
@given(_BASES)
def test_a_csv_export_imports_back_into_equal_customers_on_sqlite(
    sqlite_pair: tuple[Database, Database], people: list[Customer]
) -> None:
    source, target = sqlite_pair
    with source.unit_of_work() as uow:
        uow.customers.add_many(people)
    try:
        back = _round_trip(source, target, ExportFormat.CSV)
        assert back == sorted(people, key=lambda c: c.customer_id)
    finally:
        for database in (source, target):
            with database.engine.begin() as conn:
                conn.exec_driver_sql("DELETE FROM customers")
