"""Reading the data-access log on every store (memory, SQLite in memory and in a file,
PostgreSQL): the service's filters and pages, its own entry appended after a partly read
(streamed) log, the refusal that writes nothing to the log, and the chain after the reads."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _support.access_log_read import (
    ADMIN,
    CPF,
    CPF_DIGITS,
    NOW,
    SAC,
    Truth,
    by_hand,
    event,
    filters,
    log_world,
    texts,
    truths,
)
from _support.logs import delete_every_row
from _support.strategies import examples
from otocore.access import verify_audit_log
from otocore.adapters.memory import InMemoryDatabase
from otocore.adapters.sql import Database, open_database
from otocore.errors import PermissionDenied
from otocore.history import AccessAction, verify_access_log
from otocore.repositories import UnitOfWork
from otocore.testing.storage import CONTRACT_LOG_KEYS

STORES = [
    "memory",
    "sqlite-memory",
    "sqlite-file",
    pytest.param("postgresql", marks=pytest.mark.postgresql),
]


@pytest.fixture(params=STORES)
def unit_of_work(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Callable[[], UnitOfWork]]:
    """``db.unit_of_work`` of an empty store of each kind, with the contract's log keys."""
    kind = request.param
    if kind == "memory":
        yield InMemoryDatabase(log_keys=CONTRACT_LOG_KEYS).unit_of_work
        return
    if kind == "sqlite-file":
        path = tmp_path / "brand.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        db = open_database(str(path), durable=False, log_keys=CONTRACT_LOG_KEYS)
        yield db.unit_of_work
        db.close()
        return
    shared: Database = request.getfixturevalue(
        "sqlite_memory_database" if kind == "sqlite-memory" else "postgres_database"
    )
    with shared.engine.begin() as conn:
        delete_every_row(conn)
    yield shared.unit_of_work


def test_filters_pages_and_the_logged_read_on_every_store(
    unit_of_work: Callable[[], UnitOfWork],
) -> None:
    world = log_world(unit_of_work)
    t0 = NOW - timedelta(days=1)
    stored = world.append(
        *(
            event(
                AccessAction.HISTORY_READ if n % 2 else AccessAction.EXPORT_REQUESTED,
                actor="u-sac" if n % 3 else "u-admin",
                at=t0 + timedelta(minutes=n),
                query=f"customer C{n % 4}" if n % 2 else f"cpf = {CPF}",
                customers=1,
            )
            for n in range(1, 41)
        )
    )
    assert world.service.read(ADMIN, until=NOW).entries == tuple(stored)
    history_reads_of_c1 = [e for e in stored if e.query == "customer C1"]
    page = world.service.read(ADMIN, customer_id="C1", until=NOW, limit=3)
    assert list(page.entries) == history_reads_of_c1[:3]
    assert page.next_after == history_reads_of_c1[2].sequence
    rest = world.service.read(ADMIN, customer_id="C1", until=NOW, after=page.next_after, limit=100)
    assert list(rest.entries) == history_reads_of_c1[3:]
    # a page that stops early (a streamed cursor left open) and then the read's own append
    first = world.service.read(
        ADMIN, account="u-admin", action=AccessAction.EXPORT_REQUESTED, limit=1
    )
    assert [e.sequence for e in first.entries] == [6]
    log = world.access_log()
    assert [e.action for e in log[40:]] == [AccessAction.ACCESS_LOG_READ] * 4
    assert log[-1].query == "account=u-admin action=export_requested; after=0 limit=1"
    assert log[-1].detail == "1 entries read; more after 6"
    assert CPF not in texts(log)
    assert CPF_DIGITS not in texts(log)
    with pytest.raises(PermissionDenied, match="read_access_log"):
        world.service.read(SAC)
    assert world.access_log() == log  # the refusal wrote nothing to the data-access log
    assert verify_access_log(log, keys=CONTRACT_LOG_KEYS).ok
    with unit_of_work() as uow:
        audit = list(uow.audit.iter_all())
    assert [e.outcome.value for e in audit] == ["allowed"] * 4 + ["denied"]
    assert verify_audit_log(audit, keys=CONTRACT_LOG_KEYS).ok


@pytest.fixture(params=STORES)
def fresh_store(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Callable[[], Callable[[], UnitOfWork]]]:
    """A factory of empty stores of each kind: one per Hypothesis example."""
    kind = request.param
    if kind in ("memory", "sqlite-file"):
        opened: list[Database] = []

        def new() -> Callable[[], UnitOfWork]:
            if kind == "memory":
                return InMemoryDatabase(log_keys=CONTRACT_LOG_KEYS).unit_of_work
            path = tmp_path / f"brand-{len(opened)}.db"
            shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
            opened.append(open_database(str(path), durable=False, log_keys=CONTRACT_LOG_KEYS))
            return opened[-1].unit_of_work

        yield new
        for db in opened:
            db.close()
        return
    shared: Database = request.getfixturevalue(
        "sqlite_memory_database" if kind == "sqlite-memory" else "postgres_database"
    )

    def emptied() -> Callable[[], UnitOfWork]:
        with shared.engine.begin() as conn:
            delete_every_row(conn)
        return shared.unit_of_work

    yield emptied


@settings(
    max_examples=examples(0.5),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    log=st.lists(truths(), max_size=25),
    wanted=filters(),
    after=st.integers(0, 27),
    limit=st.integers(1, 27),
)
def test_a_filtered_page_is_the_log_filtered_by_hand_on_every_store(
    fresh_store: Callable[[], Callable[[], UnitOfWork]],
    log: list[Truth],
    wanted: dict[str, object],
    after: int,
    limit: int,
) -> None:
    """The property of tests/property/test_access_log_read_filters.py, on each store: the
    stores' keyed page (its SQL filters) changes nothing the service answers."""
    world = log_world(fresh_store())
    stored = world.append(*(t.event for t in log))
    matching = [
        e for e, t in zip(stored, log, strict=True) if e.sequence > after and by_hand(t, wanted)
    ]
    page = world.service.read(ADMIN, after=after, limit=limit, **wanted)  # type: ignore[arg-type]
    assert list(page.entries) == matching[:limit]
    assert page.next_after == (matching[limit - 1].sequence if len(matching) > limit else None)
