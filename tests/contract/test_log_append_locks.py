"""An append to a chained log takes the store's write lock itself, in any block.

Round 4 of the registry issue: a caller appending in a plain ``with uow:`` block (the
customers import did) raced a ``writing()`` block for the same sequence number and one of
them failed whole. Now the append waits for the lock and follows the tail the other block
committed; and the lock it took counts as held by its thread, so a second block of that
thread is refused at once (StoreBusy) instead of waiting for ever on itself. On an SQLite
file and on PostgreSQL (the in-memory stores take their lock in every append already).
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from otocore.adapters.sql import open_database, upgrade
from otocore.errors import OtocoreError, StoreBusy
from otocore.history import (
    AccessAction,
    AccessEvent,
    HistoryChange,
    HistoryReason,
    verify_access_log,
    verify_history,
)
from otocore.testing.storage import CONTRACT_LOG_KEYS

AT = datetime(2026, 12, 1, 15, tzinfo=UTC)


def _change(customer_id: str) -> HistoryChange:
    return HistoryChange(
        customer_id=customer_id,
        field="email",
        old_value=None,
        new_value=f"{customer_id.lower()}@example.com",
        actor="u-sac",
        at=AT,
        reason=HistoryReason.SAC_CALL,
    )


def _access(query: str) -> AccessEvent:
    return AccessEvent(
        actor="u-sac", at=AT, action=AccessAction.HISTORY_READ, query=query, customers=1
    )


def test_a_plain_block_append_waits_for_the_writing_block_and_follows_its_tail(
    empty_url: str,
) -> None:
    upgrade(empty_url)
    with open_database(empty_url, log_keys=CONTRACT_LOG_KEYS) as db:
        first, second = db.unit_of_work(), db.unit_of_work()
        done = threading.Event()
        failed: list[OtocoreError] = []

        def plain_append() -> None:
            try:
                with second:  # a plain block: the appends take the lock themselves
                    second.customer_history.append_many([_change("C2")])
                    second.access_log.append(_access("customer C2"))
            except OtocoreError as error:  # reported below
                failed.append(error)
            done.set()

        thread = threading.Thread(target=plain_append)
        with first.writing():
            first.customer_history.append(_change("C1"))
            first.access_log.append(_access("customer C1"))
            thread.start()
            assert not done.wait(0.5)  # the plain block's append waits for the lock
        thread.join(timeout=30)
        assert failed == []
        with first:
            history = list(first.customer_history.iter_all())
            access = list(first.access_log.iter_all())
    assert [(e.sequence, e.customer_id) for e in history] == [(1, "C1"), (2, "C2")]
    assert [(e.sequence, e.query) for e in access] == [(1, "customer C1"), (2, "customer C2")]
    assert verify_history(history, keys=CONTRACT_LOG_KEYS).ok
    assert verify_access_log(access, keys=CONTRACT_LOG_KEYS).ok


def test_the_lock_an_append_took_is_held_by_its_thread(empty_url: str) -> None:
    upgrade(empty_url)
    with open_database(empty_url, log_keys=CONTRACT_LOG_KEYS) as db:
        plain, other = db.unit_of_work(), db.unit_of_work()
        with plain:
            plain.access_log.append(_access("customer C1"))
            # this thread holds the lock in ``plain``: a writing block would wait on itself
            with pytest.raises(StoreBusy, match="same thread"):
                other.writing().__enter__()
        with other.writing():  # released when the block ended
            assert other.access_log.count() == 1


def test_an_append_in_a_plain_block_is_refused_at_once_when_its_thread_holds_the_lock(
    empty_url: str,
) -> None:
    upgrade(empty_url)
    with open_database(empty_url, log_keys=CONTRACT_LOG_KEYS) as db:
        holder, plain = db.unit_of_work(), db.unit_of_work()
        with holder.writing():
            holder.access_log.append(_access("customer C1"))
            with plain, pytest.raises(StoreBusy, match="same thread"):
                plain.customer_history.append(_change("C1"))
            assert holder.customer_history.append(_change("C1")).sequence == 1
        with holder:
            assert holder.customer_history.count() == 1
