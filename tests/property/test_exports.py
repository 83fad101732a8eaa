"""Exports contain exactly the customers of the query (issue 15), read back from CSV and .xlsx.

Generated customers in a memory store, a generated audience filter or a selection of ids
(some unknown), a generated page size: the file read back holds exactly the selected
customers' rows, in id order, and imports back into the same customers.
"""

from __future__ import annotations

import csv
import json
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from _support.strategies import examples
from otocore.access import Principal
from otocore.adapters.mail import InMemoryMailer
from otocore.adapters.memory import InMemoryDatabase
from otocore.auth import Account, Role, normalize_login_email
from otocore.clock import FixedClock
from otocore.customers import Customer
from otocore.errors import DownloadRefused
from otocore.exporting import CustomerIds, ExportService, FilterSelection, Selection
from otocore.exports import (
    COLUMNS,
    ExportAccess,
    ExportAction,
    ExportFormat,
    ExportPolicy,
    ExportRecord,
    customer_cells,
)
from otocore.filters import facts_for_brand, select
from otocore.importing import RecordKind, import_file
from otocore.serialization import converter
from otocore.testing import customers, filters

ON = date(2026, 5, 4)
ADMIN = Principal(account_id="u-admin", roles={Role.BRAND_ADMIN})

_BASES = st.lists(customers(), max_size=12, unique_by=lambda c: c.customer_id)


def _export(
    stored: list[Customer], selection: Selection, file_format: ExportFormat, page_size: int
) -> tuple[list[tuple[str, ...]], list[Customer]]:
    """The rows of the exported file (header first) and the customers it imports back into."""
    database = InMemoryDatabase()
    with database.unit_of_work() as uow:
        uow.accounts.add(
            Account(
                account_id="u-admin",
                email=normalize_login_email("admin@example.com"),
                roles={Role.BRAND_ADMIN},
            )
        )
        uow.customers.add_many(stored)
    with tempfile.TemporaryDirectory() as folder:
        service = ExportService(
            database.unit_of_work,
            mailer=InMemoryMailer(),
            clock=FixedClock(datetime(2026, 5, 4, 12, tzinfo=UTC)),
            policy=ExportPolicy(base_url="https://admin.example.com"),
            directory=folder,
            record_access=lambda uow, event: None,
        )
        receipt = service.request(ADMIN, selection, file_format=file_format, page_size=page_size)
        rows = _read(receipt.path, file_format)
        assert receipt.count == len(rows) - 1
        again = InMemoryDatabase()
        import_file(again.unit_of_work(), receipt.path, RecordKind.CUSTOMERS)
        with again.unit_of_work() as uow:
            back = uow.customers.list()
    return rows, back


def _read(path: Path, file_format: ExportFormat) -> list[tuple[str, ...]]:
    if file_format is ExportFormat.CSV:
        with path.open(encoding="utf-8-sig", newline="") as f:
            return [tuple(row) for row in csv.reader(f, delimiter=";")]
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        sheet: Any = book["clientes"]
        return [tuple(c or "" for c in row) for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _check(rows: list[tuple[str, ...]], back: list[Customer], expected: list[Customer]) -> None:
    expected = sorted(expected, key=lambda c: c.customer_id)
    assert rows[0] == COLUMNS
    assert rows[1:] == [customer_cells(c) for c in expected]
    assert back == expected


@settings(max_examples=examples(0.5), deadline=None)
@given(
    _BASES,
    filters(max_leaves=4),
    st.sampled_from(ExportFormat),
    st.integers(min_value=1, max_value=5),
)
def test_a_filter_export_holds_exactly_the_filters_audience(
    stored: list[Customer], audience: Any, file_format: ExportFormat, page_size: int
) -> None:
    facts = facts_for_brand(stored, [], ON)
    chosen = set(select(audience, facts.values(), ON))
    expected = [c for c in stored if c.customer_id in chosen]
    rows, back = _export(stored, FilterSelection(filter=audience, on=ON), file_format, page_size)
    _check(rows, back, expected)


@settings(max_examples=examples(0.5), deadline=None)
@given(
    _BASES,
    st.data(),
    st.sampled_from(ExportFormat),
    st.integers(min_value=1, max_value=5),
)
def test_a_selection_export_holds_exactly_the_selected_stored_customers(
    stored: list[Customer], data: st.DataObject, file_format: ExportFormat, page_size: int
) -> None:
    ids = [c.customer_id for c in stored]
    picked = data.draw(st.lists(st.sampled_from(ids), unique=True) if ids else st.just([]))
    unknown = data.draw(st.lists(st.sampled_from(["X1", "X2", "ZZ"]), unique=True))
    expected = [c for c in stored if c.customer_id in set(picked)]
    rows, back = _export(stored, CustomerIds([*picked, *unknown]), file_format, page_size)
    _check(rows, back, expected)


# the values round-trip through otocore.serialization ------------------------------------

_INSTANTS = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
)
_IDS = st.from_regex(r"[A-Za-z0-9_-]{1,20}", fullmatch=True)


@st.composite
def _records(draw: st.DrawFn) -> ExportRecord:
    at = draw(_INSTANTS)
    return ExportRecord(
        export_id=draw(_IDS),
        account_id=draw(_IDS),
        requested_at=at,
        query=draw(
            st.text(min_size=1, max_size=40).filter(lambda t: t.strip() and t.isprintable())
        ),
        format=draw(st.sampled_from(ExportFormat)),
        count=draw(st.integers(0, 10**7)),
        file_name=draw(_IDS.filter(lambda n: not n.startswith("."))) + ".csv",
        token_hash=draw(st.from_regex(r"[0-9a-f]{64}", fullmatch=True)),
        expires_at=at + timedelta(seconds=draw(st.integers(1, 7 * 86400))),
        downloaded_at=draw(st.none() | _INSTANTS),
        downloads=draw(st.integers(0, 100)),
    )


@given(
    _records(),
    st.builds(
        ExportAccess,
        action=st.sampled_from(ExportAction),
        account_id=_IDS,
        at=_INSTANTS,
        export_id=st.none() | _IDS,
        count=st.none() | st.integers(0, 10**7),
        reason=st.none() | st.sampled_from(sorted(DownloadRefused.REASONS)),
    ),
    st.builds(
        ExportPolicy,
        base_url=st.sampled_from(["https://admin.example.com", "http://localhost:8000"]),
        link_ttl=st.integers(1, 7 * 86400).map(lambda s: timedelta(seconds=s)),
        roles=st.sets(st.sampled_from(Role), min_size=1),
    ),
)
def test_the_export_values_round_trip(
    record: ExportRecord, access: ExportAccess, policy: ExportPolicy
) -> None:
    for value in (record, access, policy):
        data = json.loads(json.dumps(converter.unstructure(value)))
        assert converter.structure(data, type(value)) == value
