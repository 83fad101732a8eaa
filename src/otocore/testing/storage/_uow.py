# ruff: noqa: S101 - a test suite: its checks are asserts
"""The storage contract of the unit of work itself: atomic blocks, commit, rollback, bad arguments."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from otocore.campaigns import sample_campaigns
from otocore.errors import ValidationError
from otocore.repositories import UnitOfWorkError
from otocore.sellers import Seller, Store
from otocore.suggestions import (
    SellerWorkload,
)
from otocore.testing.storage._builders import (
    DAY,
    MakeUow,
    _account,
    _assigned,
    _block,
    _campaign,
    _consent,
    _contact,
    _customer,
    _entry,
    _order,
    _run,
    _score,
    _suggestion,
    _token,
)


class TransactionsContract:
    """The contract of the unit of work itself, as a pytest test class to subclass.

    A block is atomic (an exception leaves nothing of it behind, in any
    repository), ``commit()`` and ``rollback()`` inside a block, ``writing()``
    blocks, blocks that do not nest, repositories only inside a block, and
    bad arguments to the portfolio and attendance repositories refused with
    :class:`~otocore.errors.ValidationError`. It touches every repository, so
    a store runs it once all of them exist. Subclass it and define a
    ``make_uow`` fixture, as for :class:`~otocore.testing.storage.UnitOfWorkContract`.

    >>> "test_an_exception_leaves_nothing_behind" in dir(TransactionsContract)
    True
    """

    # the unit of work ---------------------------------------------------------

    def test_an_exception_leaves_nothing_behind(self, make_uow: MakeUow) -> None:
        uow = make_uow()

        class Boom(Exception):
            pass

        def write_everything_then_fail() -> None:
            with uow:
                uow.stores.add(Store(store_id="L01", name="Loja Centro"))
                uow.sellers.add(Seller(code="V01", name="Ana", store_id="L01"))
                uow.customers.add(_customer("C1"))
                uow.orders.add_many([_order(1), _order(2)])
                uow.portfolio.set(_assigned("C1", "V01"))
                uow.rfv.save(DAY, {"C1": _score("C1")})
                uow.daily_runs.add(_run(DAY, 0))
                uow.sequences.next("batch")
                uow.consent.append(_consent())
                uow.blocks.append(_block())
                uow.contacts.add(_contact("A1"))
                uow.campaigns.add(_campaign("A", 1))
                uow.suggestions.save_day(DAY, [_suggestion("C1", 1)])
                uow.workloads.set("V01", SellerWorkload(hours_worked=4))
                uow.accounts.add(_account())
                uow.tokens.add(_token(1)[1])
                uow.audit.append(_entry(None))
                assert uow.orders.count() == 2  # the block reads its own writes
                assert uow.audit.count() == 1
                assert uow.contacts.count() == 1
                raise Boom

        with pytest.raises(Boom):
            write_everything_then_fail()
        with uow:
            assert uow.stores.list() == []
            assert uow.sellers.list() == []
            assert uow.customers.count() == 0
            assert uow.orders.count() == 0
            assert uow.portfolio.list() == []
            assert uow.rfv.dates() == []
            assert uow.daily_runs.list() == []
            assert uow.sequences.current("batch") == 0
            assert list(uow.consent.iter_all()) == []
            assert list(uow.blocks.iter_all()) == []
            assert uow.contacts.count() == 0
            assert uow.campaigns.list() == []
            assert uow.accounts.list() == []
            assert uow.tokens.find(_token(1)[1].record.token_hash) is None
            assert uow.audit.count() == 0
            assert uow.audit.tail() is None

    def test_explicit_commit_and_rollback(self, make_uow: MakeUow) -> None:
        uow = make_uow()

        def commit_rollback_commit_then_fail() -> None:
            with uow:
                uow.stores.add(Store(store_id="L01", name="Loja Centro"))
                uow.commit()
                uow.stores.add(Store(store_id="L02", name="Shopping Norte"))
                uow.rollback()
                assert [s.store_id for s in uow.stores.list()] == ["L01"]
                uow.stores.add(Store(store_id="L03", name="Outlet Sul"))
                uow.commit()
                uow.stores.add(Store(store_id="L04", name="Quiosque"))
                raise RuntimeError("after two commits")

        with pytest.raises(RuntimeError):
            commit_rollback_commit_then_fail()
        with uow:
            assert [s.store_id for s in uow.stores.list()] == ["L01", "L03"]

    def test_writing_blocks_commit_and_roll_back_like_plain_ones(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow.writing() as same:
            assert same is uow
            uow.sequences.set("x", uow.sequences.current("x") + 5)

        def write_then_fail() -> None:
            with uow.writing():
                uow.sequences.set("x", 100)
                raise KeyError("x")

        with pytest.raises(KeyError):
            write_then_fail()
        with uow:
            assert uow.sequences.current("x") == 5

    def test_blocks_do_not_nest_and_repositories_need_a_block(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with pytest.raises(UnitOfWorkError):
            uow.orders.count()
        with pytest.raises(UnitOfWorkError):
            uow.commit()
        with pytest.raises(UnitOfWorkError):
            uow.rollback()

        def nest(inner: Callable[[], AbstractContextManager[object]]) -> None:
            with uow:
                uow.stores.add(Store(store_id="L01", name="Loja Centro"))
                with inner():
                    pass  # pragma: no cover - never reached

        with pytest.raises(UnitOfWorkError, match="do not nest"):
            nest(lambda: uow)
        with pytest.raises(UnitOfWorkError, match="do not nest"):
            nest(uow.writing)
        with uow:  # still usable; the outer blocks were rolled back
            assert uow.stores.list() == []

    def test_bad_arguments_are_validation_errors(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow:
            with pytest.raises(ValidationError):
                uow.orders.add("P1")  # type: ignore[arg-type]
            with pytest.raises(ValidationError):
                uow.orders.add_many([_order(1), None])  # type: ignore[list-item]
            with pytest.raises(ValidationError):  # more than a signed 64-bit count of centavos
                uow.orders.add(_order(1, total="92233720368547758.08"))
            uow.orders.add(_order(2, total="92233720368547758.07"))
            assert uow.orders.get("P2").total == Decimal("92233720368547758.07")
            with pytest.raises(ValidationError):
                uow.stores.get(42)  # type: ignore[arg-type]
            with pytest.raises(ValidationError):  # at the call, not at the first next()
                uow.orders.iter_all(since=datetime(2026, 5, 10))  # noqa: DTZ001
            with pytest.raises(ValidationError):
                uow.customers.find_by_cpf("52998224725")  # type: ignore[arg-type]
            with pytest.raises(ValidationError):
                uow.sellers.list(status="active")  # type: ignore[arg-type]
            with pytest.raises(ValidationError):
                uow.rfv.get(datetime(2026, 5, 10, tzinfo=UTC))
            with pytest.raises(ValidationError):
                uow.consent.append(_block())  # type: ignore[arg-type]
            with pytest.raises(ValidationError):
                uow.consent.append_many([_consent(), None])  # type: ignore[list-item]
            with pytest.raises(ValidationError):
                uow.blocks.for_cpf("52998224725")  # type: ignore[arg-type]
            with pytest.raises(ValidationError):
                uow.contacts.add(_consent())  # type: ignore[arg-type]
            with pytest.raises(ValidationError):  # at the call, not at the first next()
                uow.contacts.iter_since(datetime(2026, 5, 10))  # noqa: DTZ001
            with pytest.raises(ValidationError):
                uow.contacts.iter_since(date(2026, 5, 10))  # type: ignore[arg-type]
            with pytest.raises(ValidationError):
                uow.contacts.follow_ups_due(datetime(2026, 5, 10, tzinfo=UTC))
            with pytest.raises(ValidationError):
                uow.campaigns.add(sample_campaigns()[0].audience)  # type: ignore[arg-type]
            with pytest.raises(ValidationError):
                uow.campaigns.list(active="yes")  # type: ignore[arg-type]
            with pytest.raises(ValidationError):
                uow.suggestions.save_day(DAY, _suggestion("C1", 1))  # type: ignore[arg-type]
            with pytest.raises(ValidationError):
                uow.suggestions.list_day(DAY, status="pending")  # type: ignore[arg-type]
            with pytest.raises(ValidationError):
                uow.suggestions.set_status("2026-05-10:C1", "started")  # type: ignore[arg-type]
            with pytest.raises(ValidationError):  # at the call, not at the first next()
                uow.suggestions.iter_days(DAY, datetime(2026, 5, 10, tzinfo=UTC))
            with pytest.raises(ValidationError):
                uow.workloads.set("V01", {"hours_worked": 8})  # type: ignore[arg-type]
