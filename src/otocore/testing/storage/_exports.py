# ruff: noqa: S101 - a test suite: its checks are asserts
"""The storage contract of customer exports (issue 15): paged customer reads, export records."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from otocore.auth import hash_token
from otocore.customers import Customer
from otocore.errors import NotFound, RuleViolation, ValidationError
from otocore.exports import ExportFormat, ExportRecord
from otocore.testing._customers import customers
from otocore.testing.storage._builders import PROPERTY_SETTINGS, MakeUow

_AT = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def _record(
    export_id: str, *, account_id: str = "u-ana", link_text: str | None = None, **changes: object
) -> ExportRecord:
    record = ExportRecord(
        export_id=export_id,
        account_id=account_id,
        requested_at=_AT,
        query='filter {"sex_in": ["female"]} on 2026-05-04',
        format=ExportFormat.XLSX,
        count=12,
        file_name=f"{export_id}-clientes.xlsx",
        token_hash=hash_token(link_text or f"token-of-{export_id}"),
        expires_at=_AT + timedelta(hours=24),
    )
    return attrs.evolve(record, **changes)  # type: ignore[arg-type]


def _customer(customer_id: str) -> Customer:
    return Customer(customer_id=customer_id, name=f"Cliente {customer_id}", registered_at=_AT)


class ExportsContract:
    """The contract of the export records and the customers' paged reads, as a pytest class.

    Subclass it and define a ``make_uow`` fixture, as for
    :class:`~otocore.testing.storage.UnitOfWorkContract`.

    >>> "test_pages_read_every_customer_once_in_order" in dir(ExportsContract)
    True
    """

    # customers.page / customers.get_many ------------------------------------------

    @PROPERTY_SETTINGS
    @given(
        st.lists(customers(), max_size=12, unique_by=lambda c: c.customer_id),
        st.integers(min_value=1, max_value=5),
    )
    def test_pages_read_every_customer_once_in_order(
        self, make_uow: MakeUow, stored: list[Customer], limit: int
    ) -> None:
        uow = make_uow()
        with uow:
            uow.customers.add_many(stored)
        read: list[Customer] = []
        after: str | None = None
        with uow:
            while True:
                page = uow.customers.page(after=after, limit=limit)
                assert len(page) <= limit
                if not page:
                    break
                read.extend(page)
                after = page[-1].customer_id
        assert read == sorted(stored, key=lambda c: c.customer_id)

    def test_a_page_starts_after_the_given_id(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow:
            uow.customers.add_many(_customer(c) for c in ("C1", "C2", "C3", "C4"))
        with uow:
            assert [c.customer_id for c in uow.customers.page(limit=2)] == ["C1", "C2"]
            assert [c.customer_id for c in uow.customers.page(after="C2")] == ["C3", "C4"]
            assert [c.customer_id for c in uow.customers.page(after="C20", limit=1)] == ["C3"]
            assert uow.customers.page(after="C4") == []

    @pytest.mark.parametrize("limit", [0, -1, 100_001, 2.0, "10", None])
    def test_a_page_needs_a_sensible_limit(self, make_uow: MakeUow, limit: object) -> None:
        uow = make_uow()
        with uow, pytest.raises(ValidationError, match="limit must be an int from 1 to 100000"):
            uow.customers.page(limit=limit)  # type: ignore[arg-type]

    def test_get_many_returns_the_stored_ones_sorted(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow:
            uow.customers.add_many(_customer(f"C{n}") for n in range(1, 6))
        with uow:
            found = uow.customers.get_many(["C5", "C9", "C1", "C5"])
            assert [c.customer_id for c in found] == ["C1", "C5"]
            assert found[0] == _customer("C1")
            assert uow.customers.get_many([]) == []
            with pytest.raises(ValidationError, match="customer_ids must be an iterable of ids"):
                uow.customers.get_many("C1")

    def test_get_many_reads_more_ids_than_one_statement_holds(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow:
            uow.customers.add_many(_customer(f"C{n:04d}") for n in range(1200))
        with uow:
            found = uow.customers.get_many(f"C{n:04d}" for n in range(0, 1300, 2))
        assert [c.customer_id for c in found] == [f"C{n:04d}" for n in range(0, 1200, 2)]

    # exports -------------------------------------------------------------------

    def test_an_export_round_trips_and_is_found_by_its_token_hash(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        record = _record("E1", link_text="secret")
        with uow.writing():
            uow.exports.add(record)
        with uow:
            assert uow.exports.get("E1") == record
            assert uow.exports.find(hash_token("secret")) == record
            assert uow.exports.find(hash_token("other")) is None
            with pytest.raises(NotFound, match="E9"):
                uow.exports.get("E9")

    def test_an_export_id_or_token_is_stored_once(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow.writing():
            uow.exports.add(_record("E1", link_text="t1"))
        with uow.writing():
            with pytest.raises(RuleViolation, match="export_id is already stored"):
                uow.exports.add(_record("E1", link_text="t2"))
            with pytest.raises(RuleViolation, match="token is already stored"):
                uow.exports.add(_record("E2", link_text="t1"))
        with uow:
            assert [r.export_id for r in uow.exports.list()] == ["E1"]

    def test_a_download_is_counted(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow.writing():
            uow.exports.add(_record("E1"))
        first, second = _AT + timedelta(minutes=5), _AT + timedelta(hours=2)
        with uow.writing():
            uow.exports.record_download("E1", first)
        with uow.writing():
            uow.exports.record_download("E1", second)
            with pytest.raises(NotFound, match="E9"):
                uow.exports.record_download("E9", second)
        with uow:
            stored = uow.exports.get("E1")
        assert (stored.downloads, stored.downloaded_at) == (2, second)

    def test_exports_are_listed_newest_first_and_by_account(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        later = _AT + timedelta(hours=1)
        with uow.writing():
            uow.exports.add(_record("E1"))
            uow.exports.add(
                _record(
                    "E2",
                    account_id="u-bia",
                    requested_at=later,
                    expires_at=later + timedelta(hours=1),
                )
            )
            uow.exports.add(_record("E0"))
        with uow:
            assert [r.export_id for r in uow.exports.list()] == ["E2", "E0", "E1"]
            assert [r.export_id for r in uow.exports.list(account_id="u-ana")] == ["E0", "E1"]
            assert uow.exports.list(account_id="u-nobody") == []

    def test_an_export_is_undone_with_its_block(self, make_uow: MakeUow) -> None:
        uow = make_uow()

        class Boom(Exception):
            pass

        def add_then_fail() -> None:
            with uow.writing():
                uow.exports.add(_record("E1"))
                raise Boom

        with pytest.raises(Boom):
            add_then_fail()
        with uow:
            assert uow.exports.list() == []

    def test_bad_arguments_are_validation_errors(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow.writing():
            with pytest.raises(ValidationError, match="record must be a ExportRecord"):
                uow.exports.add("E1")  # type: ignore[arg-type]
            with pytest.raises(ValidationError, match="token_hash must be a SHA-256 digest"):
                uow.exports.find("abc")
            with pytest.raises(ValidationError, match="at must be a timezone-aware datetime"):
                uow.exports.record_download("E1", datetime(2026, 5, 4))  # noqa: DTZ001
