"""An export of a registry search holds exactly the customers of the search (issue 15).

``SearchSelection(query, field=...)`` against ``otocore.registry.search_customers`` with the
same text and field: generated customers in a memory store, a query drawn from what they
hold (a name's words or prefixes, the CPF in some formatting, the e-mail, the mobile, the
RG, the card number) or from nothing at all, read as free text or as one field. The file
read back (CSV and .xlsx) holds the search's customers, in id order, and the export's
record and its data-access event keep the query as typed, not a list of ids.
"""

from __future__ import annotations

import csv
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openpyxl
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from _support.strategies import examples
from otocore.access import Principal
from otocore.adapters.mail import InMemoryMailer
from otocore.adapters.memory import InMemoryDatabase
from otocore.auth import Account, Role, normalize_login_email
from otocore.clock import FixedClock
from otocore.customers import Customer
from otocore.errors import ValidationError
from otocore.exporting import ExportService, SearchSelection
from otocore.exports import (
    COLUMNS,
    ExportAccess,
    ExportFormat,
    ExportPolicy,
    csv_cells,
    customer_cells,
)
from otocore.registry import PageRequest, SearchField, search_customers
from otocore.testing import customers

ADMIN = Principal(account_id="u-admin", roles={Role.BRAND_ADMIN})
_BASES = st.lists(customers(), min_size=0, max_size=10, unique_by=lambda c: c.customer_id)


def _values(customer: Customer) -> list[tuple[SearchField, str]]:
    """What a user could type to find ``customer``, and the field it belongs to."""
    found: list[tuple[SearchField, str]] = []
    words = customer.name.split()
    found.append((SearchField.NAME, words[0]))
    found.append((SearchField.NAME, " ".join(w[:2] for w in words)))
    if customer.cpf is not None:
        d = customer.cpf.digits
        found.append((SearchField.CPF, f"{d[:3]}.{d[3:6]}.{d[6:9]}-{d[9:]}"))
        found.append((SearchField.CPF, d))
    if customer.email is not None:
        found.append((SearchField.EMAIL, customer.email.address.upper()))
    if customer.mobile is not None:
        e164 = customer.mobile.e164
        found.append((SearchField.MOBILE, f"({e164[3:5]}) {e164[5:10]}-{e164[10:]}"))
    if customer.rg is not None:
        found.append((SearchField.RG, customer.rg))
    if customer.loyalty is not None and customer.loyalty.card_number is not None:
        found.append((SearchField.CARD, customer.loyalty.card_number))
    return found


@st.composite
def _searches(draw: st.DrawFn, stored: list[Customer]) -> tuple[str, SearchField | None]:
    typed = [pair for c in stored for pair in _values(c)]
    other = st.tuples(
        st.sampled_from(SearchField),
        st.sampled_from(["ana", "silva", "52998224725", "zé", "x@example.com", "123"]),
    )
    field, text = draw(st.sampled_from(typed) | other if typed else other)
    as_field = draw(st.booleans())
    return text, field if as_field else None


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


@settings(max_examples=examples(0.5), deadline=None)
@given(
    _BASES,
    st.data(),
    st.sampled_from(ExportFormat),
    st.integers(min_value=1, max_value=4),
)
def test_an_export_of_a_search_holds_exactly_the_customers_of_the_search(
    stored: list[Customer], data: st.DataObject, file_format: ExportFormat, page_size: int
) -> None:
    text, field = data.draw(_searches(stored))
    try:
        selection = SearchSelection(text, field=field)
    except ValidationError:
        assume(False)  # a value that is not one of `field` (the search refuses it the same way)
        raise
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
    found = search_customers(
        database.unit_of_work(), text, field=field, page=PageRequest(size=1000)
    )
    expected = sorted(
        (c for c in stored if c.customer_id in set(found.customer_ids)),
        key=lambda c: c.customer_id,
    )
    assert found.total == len(expected)
    events: list[ExportAccess] = []
    with tempfile.TemporaryDirectory() as folder:
        service = ExportService(
            database.unit_of_work,
            mailer=InMemoryMailer(),
            clock=FixedClock(datetime(2026, 5, 4, 12, tzinfo=UTC)),
            policy=ExportPolicy(base_url="https://admin.example.com"),
            directory=folder,
            record_access=lambda uow, event: events.append(event),
        )
        totals: list[int | None] = []
        receipt = service.request(
            ADMIN,
            selection,
            file_format=file_format,
            page_size=page_size,
            on_total=totals.append,
        )
        rows = _read(receipt.path, file_format)
    assert rows[0] == COLUMNS
    assert [r[0] for r in rows[1:]] == [c.customer_id for c in expected]
    cells = csv_cells if file_format is ExportFormat.CSV else customer_cells
    assert rows[1:] == [cells(c) for c in expected]
    assert receipt.count == len(expected) == totals[0]
    [event] = events
    assert event.count == len(expected)
    assert event.query == selection.describe()
    assert text in event.query  # the text as typed, not the ids it found
    with database.unit_of_work() as uow:
        assert uow.exports.get(receipt.export_id).query == selection.describe()
