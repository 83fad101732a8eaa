"""The write lock: read-then-update blocks never lose an update, across threads and processes.

Chosen subject: the ``sequences`` repository (named counters, used for seller
codes and import batches), whose ``current`` + ``set`` is exactly the
read-then-update pattern that ``uow.writing()`` exists for, and whose ``next``
is atomic on its own; and a suggestion's status, moved by compare-and-set.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from otocore.adapters.memory import InMemoryDatabase
from otocore.adapters.sql import open_database, upgrade
from otocore.consent import ContactChannel
from otocore.contacts import SuggestionStatus
from otocore.errors import RuleViolation
from otocore.repositories import UnitOfWork
from otocore.suggestions import Suggestion, SuggestionKind, SuggestionReason, suggestion_id_for

WORKER = Path(__file__).with_name("_counter_worker.py")
PROCESSES = 4
TIMES = 25
THREADS = 6


def _hammer(url: str, name: str, mode: str, tmp_path: Path) -> list[int]:
    """Run PROCESSES workers incrementing ``name`` TIMES each; return every value they got."""
    go = tmp_path / f"go-{name}-{mode}"
    procs = [
        subprocess.Popen(  # noqa: S603 - our own worker script
            [sys.executable, str(WORKER), url, name, str(TIMES), mode, str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    try:
        for p in procs:
            assert p.stdout is not None
            line = p.stdout.readline()
            assert line.strip() == "ready", p.stderr.read() if p.stderr else line
        go.touch()  # everyone starts at once
        values: list[int] = []
        for p in procs:
            out, err = p.communicate(timeout=180)
            assert p.returncode == 0, err
            values += [int(v) for v in out.split()]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    return values


@pytest.mark.slow  # four processes
@pytest.mark.parametrize("mode", ["writing", "next"])
def test_concurrent_processes_never_lose_an_update(
    empty_url: str, mode: str, tmp_path: Path
) -> None:
    upgrade(empty_url)
    values = _hammer(empty_url, "counter", mode, tmp_path)
    total = PROCESSES * TIMES
    # every increment happened once: no two processes read the same value
    assert sorted(values) == list(range(1, total + 1))
    with open_database(empty_url) as db, db.unit_of_work() as uow:
        assert uow.sequences.current("counter") == total


def test_a_writing_block_waits_for_the_one_holding_the_lock(empty_url: str) -> None:
    upgrade(empty_url)
    with open_database(empty_url) as db:
        first, second = db.unit_of_work(), db.unit_of_work()
        entered = threading.Event()
        seen: list[int] = []

        def other() -> None:
            with second.writing():
                entered.set()
                seen.append(second.sequences.current("n"))
                second.sequences.set("n", seen[-1] + 1)

        thread = threading.Thread(target=other)
        with first.writing():
            first.sequences.set("n", first.sequences.current("n") + 1)
            thread.start()
            # the second writer cannot even begin while the first holds the lock
            assert not entered.wait(0.5)
        thread.join(timeout=30)
        assert seen == [1]  # it read the first writer's committed value
        with first:
            assert first.sequences.current("n") == 2


def test_a_plain_write_waits_for_a_writing_block_that_read_the_row(empty_url: str) -> None:
    upgrade(empty_url)
    with open_database(empty_url) as db:
        setup, reader, writer = db.unit_of_work(), db.unit_of_work(), db.unit_of_work()
        with setup:
            setup.sequences.set("n", 10)
        done = threading.Event()

        def blind_write() -> None:
            with writer:
                writer.sequences.set("n", 50)
            done.set()

        thread = threading.Thread(target=blind_write)
        with reader.writing():
            value = reader.sequences.current("n")  # PostgreSQL: FOR UPDATE
            thread.start()
            assert not done.wait(0.5)  # the blind write waits for the lock
            reader.sequences.set("n", value + 1)
        thread.join(timeout=30)
        assert done.is_set()
        with setup:
            assert setup.sequences.current("n") == 50  # applied after, not lost under us


def _pending(day: date, customer_id: str) -> Suggestion:
    return Suggestion(
        suggestion_id=suggestion_id_for(day, customer_id),
        day=day,
        seller_code="V01",
        customer_id=customer_id,
        kind=SuggestionKind.CAMPAIGN,
        campaign_id="ANIVERSARIO",
        channel=ContactChannel.WHATSAPP,
        message="Feliz aniversário!",
        reason=SuggestionReason.CAMPAIGN,
        detail="campaign ANIVERSARIO",
        rank=1,
    )


@pytest.mark.parametrize("store", ["memory", "sqlite-file", "postgresql"])
def test_two_sellers_never_both_move_one_suggestion(
    store: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """A state transition by compare-and-set: of THREADS racing, exactly one wins."""
    day = date(2026, 5, 11)
    key = suggestion_id_for(day, "C1")
    if store == "memory":
        memory = InMemoryDatabase()
        make: Callable[[], UnitOfWork] = memory.unit_of_work
        close: Callable[[], None] = lambda: None  # noqa: E731
    else:
        url = (
            f"sqlite:///{tmp_path / 'race.db'}"
            if store == "sqlite-file"
            else request.getfixturevalue("postgres_server").create_database()
        )
        db = open_database(url, upgrade=True)
        make, close = db.unit_of_work, db.close
    try:
        with make() as uow:
            uow.suggestions.save_day(day, [_pending(day, "C1")])
        start = threading.Barrier(THREADS)
        won: list[str] = []
        lost: list[str] = []

        def seller(n: int) -> None:
            uow = make()
            start.wait(timeout=30)
            try:
                with uow:  # a plain block: the compare-and-set alone is enough
                    uow.suggestions.set_status(
                        key, SuggestionStatus.STARTED, expected=SuggestionStatus.PENDING
                    )
                won.append(f"V{n}")
            except RuleViolation:
                lost.append(f"V{n}")

        threads = [threading.Thread(target=seller, args=(n,)) for n in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert len(won) == 1, (won, lost)
        assert len(lost) == THREADS - 1
        with make() as uow:
            assert uow.suggestions.get(key).status is SuggestionStatus.STARTED
    finally:
        close()
