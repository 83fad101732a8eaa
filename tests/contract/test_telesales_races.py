"""Two people act on one telesales order at once, through the audited service, on every store.

Issue 13: "Two approvers acting on the same order at once, or an approval racing a price
change: exactly one wins on every store [...], and an invoicing that races an item change
never invoices unapproved prices." On memory the two are threads of one process; on an
SQLite file and PostgreSQL they are two worker processes (``_telesales_worker.py``), each
with its own connection, started together round after round (ROUNDS orders, one a round).

Every service step runs in one write-locked unit of work and saves with a compare-and-set,
so whatever the interleaving, a race ends exactly as one of its two serial orders does
(the same steps, one after the other, on a fresh memory store, compared value for value),
and in particular:

* two approvers: exactly one decides, the other gets a typed RuleViolation (or
  ConcurrentUpdate); the history has one person's decision; the audit log verifies with
  one ALLOWED and one FAILED ``approve_order`` entry;
* an approval and a price change: an authorized order's approval is bound to its current
  items; an approver who says which items they saw (``seen_digest``) never authorizes
  others;
* an invoicing and an item change: an invoiced order's items are the approved ones, and
  the completed order written to the orders has their total; otherwise nothing is
  written to the orders;
* a shared cart completed twice at once, or completed by the customer while the operator
  places it: it becomes one order, once, and carries an operator e-mail only if the
  operator placed it.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from _support.telesales_race import RACES, SEEN, attempt, email, seed, service
from otocore.access import verify_audit_log
from otocore.adapters.memory import InMemoryDatabase
from otocore.adapters.sql import open_database
from otocore.authorization import Outcome as Rule
from otocore.errors import NotFound, RuleViolation
from otocore.orders import Order
from otocore.repositories import UnitOfWork
from otocore.telesales import TelesalesOrder, TelesalesState

from .conftest import POSTGRESQL

WORKER = Path(__file__).with_name("_telesales_worker.py")
ROUNDS = 6
S = TelesalesState
Store = tuple[Callable[[], UnitOfWork], str | None]  # units of work, and the URL (SQL)
Outcome = tuple[tuple[bool, bool], TelesalesOrder]  # (first won, second won), the order after


@pytest.fixture(params=["memory", "sqlite-file", POSTGRESQL])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "memory":
        yield InMemoryDatabase().unit_of_work, None
        return
    url = (
        f"sqlite:///{tmp_path / 'races.db'}"
        if request.param == "sqlite-file"
        else request.getfixturevalue("postgres_server").create_database()
    )
    db = open_database(url, upgrade=True)
    try:
        yield db.unit_of_work, url
    finally:
        db.close()


def _serial(race: str) -> list[dict[str, Outcome]]:
    """Both serial orders of the race on a fresh memory store: per order, who won, what is left."""
    endings = []
    for steps in (RACES[race], RACES[race][::-1]):
        db = InMemoryDatabase()
        seed(db.unit_of_work(), race, ROUNDS)
        svc = service(db.unit_of_work)
        ending = {}
        for n in range(1, ROUNDS + 1):
            won = {step: attempt(svc, step, f"T{n}") == "won" for step in steps}
            with db.unit_of_work() as uow:
                after = uow.telesales.get(f"T{n}")
            first, second = RACES[race]
            ending[f"T{n}"] = ((won[first], won[second]), after)
        endings.append(ending)
    return endings


def _race_threads(unit_of_work: Callable[[], UnitOfWork], race: str) -> list[tuple[str, str]]:
    svc = service(unit_of_work)
    start = threading.Barrier(2)
    results: dict[str, list[str]] = {step: [] for step in RACES[race]}

    def racer(step: str) -> None:
        for n in range(1, ROUNDS + 1):
            start.wait(timeout=30)
            results[step].append(attempt(svc, step, f"T{n}"))

    threads = [threading.Thread(target=racer, args=(step,)) for step in RACES[race]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    first, second = (results[step] for step in RACES[race])
    assert len(first) == len(second) == ROUNDS, results
    return list(zip(first, second, strict=True))


def _race_processes(url: str, race: str, tmp_path: Path) -> list[tuple[str, str]]:
    go = tmp_path / f"go-{race}"
    procs = [
        subprocess.Popen(  # noqa: S603 - our own worker script
            [sys.executable, str(WORKER), url, step, str(ROUNDS), str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for step in RACES[race]
    ]

    def line(p: subprocess.Popen[str]) -> str:
        assert p.stdout is not None
        text = p.stdout.readline().strip()
        if not text:
            p.wait(timeout=60)
            pytest.fail(f"worker died: {p.stderr.read() if p.stderr else ''}")
        return text

    rounds: list[tuple[str, str]] = []
    try:
        for n in range(1, ROUNDS + 1):
            assert [line(p) for p in procs] == ["ready", "ready"]
            Path(f"{go}-{n}").touch()  # both start at once
            first, second = (line(p) for p in procs)
            rounds.append((first, second))
        for p in procs:
            _, err = p.communicate(timeout=60)
            assert p.returncode == 0, err
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    return rounds


def _completed(uow: UnitOfWork, order_id: str) -> Order | None:
    try:
        return uow.orders.get(order_id)
    except NotFound:
        return None


def _decisions(order: TelesalesOrder) -> list[str]:
    """The people's decisions in the history (the seeded order's rule run is not one)."""
    return [
        t.who
        for t in order.history
        if t.from_state is S.AWAITING_AUTHORIZATION and t.to_state in {S.AUTHORIZED, S.CANCELLED}
    ]


@pytest.mark.slow  # two processes a race on the SQL stores
@pytest.mark.parametrize("race", sorted(RACES))
def test_a_race_ends_as_one_of_its_serial_orders(store: Store, race: str, tmp_path: Path) -> None:
    unit_of_work, url = store
    seed(unit_of_work(), race, ROUNDS)
    if url is None:
        rounds = _race_threads(unit_of_work, race)
    else:
        rounds = _race_processes(url, race, tmp_path)
    serial = _serial(race)
    with unit_of_work() as uow:
        orders = {f"T{n}": uow.telesales.get(f"T{n}") for n in range(1, ROUNDS + 1)}
        completed = {key: _completed(uow, key) for key in orders}
        audit = list(uow.audit.iter_all())
    assert verify_audit_log(audit).ok
    assert len(audit) == 2 * ROUNDS  # one entry per service call, won or lost
    for n, results in enumerate(rounds, start=1):
        key = f"T{n}"
        order = orders[key]
        won = (results[0] == "won", results[1] == "won")
        # a loser's error is typed: a RuleViolation (ConcurrentUpdate is one)
        for result in results:
            assert result == "won" or result.startswith(
                ("lost RuleViolation: ", "lost ConcurrentUpdate: ")
            ), result
        assert (won, order) in [ending[key] for ending in serial], (key, results, order)
        assert {e.outcome.value for e in audit if e.target.account_id == f"order:{key}"} == (
            {"allowed"} if all(won) else {"allowed", "failed"}
        )
        # never an approval bound to prices the approver did not see
        if order.approval is not None and order.approval.outcome is Rule.AUTHORIZE:
            assert order.approval.digest == order.digest
            assert order.prices_authorized
        if race == "approve-seen+reprice":
            assert order.approval is None  # the repricing always lands, one way or the other
            assert order.items[0].manual_price == Decimal("10.00")
        if race.startswith("approve+") or race == "approve-seen+reprice":
            assert order.state is not S.INVOICED
        if race in {"approve+approve", "approve+reject"}:
            assert sum(won) == 1, results
            assert len(_decisions(order)) == 1
            deciding = [e for e in audit if e.target.account_id == f"order:{key}"]
            assert sorted(
                (getattr(e.action, "value", e.action), e.outcome.value) for e in deciding
            ) == [("approve_order", "allowed"), ("approve_order", "failed")]
            winner = email("u-aprov") if won[0] else email("u-aprov2")
            assert _decisions(order) == [winner]
        if race.startswith("invoice"):
            assert sum(won) == 1, results
            _check_invoicing(order, completed[key])
        if race.startswith("complete"):
            assert sum(won) == 1, results
            _check_completing(order)


def _check_invoicing(order: TelesalesOrder, completed: Order | None) -> None:
    if order.state is S.INVOICED:
        # the invoiced items are the approved ones, and the orders got exactly their total
        assert order.approval is not None
        assert order.approval.digest == order.digest == SEEN  # approved at seeding
        assert order.prices_authorized
        assert completed is not None
        assert completed.total == order.total == Decimal("140.00")
        assert completed.seller_code == "V01"
    else:
        # the item change won: back to a person's authorization, nothing invoiced
        assert order.state is S.AWAITING_AUTHORIZATION
        assert order.approval is None
        assert completed is None


def _check_completing(order: TelesalesOrder) -> None:
    """A shared cart became one order: the customer's (no operator e-mail) or the operator's."""
    placed = [t for t in order.history if t.to_state is S.PLACED]
    assert len(placed) == 1
    assert order.state is S.AWAITING_AUTHORIZATION  # the rules ran once: a person decides
    assert order.built_by == email("u-tele")
    assert order.share_link is not None
    if order.completed_by_customer:
        assert order.operator_email is None
        assert placed[0].who == "customer:C1"
        assert order.share_link.used_at is not None
    else:
        assert order.operator_email == email("u-tele")
        assert order.share_link.used_at is None


def test_an_approver_never_authorizes_prices_changed_after_they_looked(store: Store) -> None:
    """The approval race, serialized the bad way: the approver reads, the operator reprices."""
    unit_of_work, _ = store
    seed(unit_of_work(), "approve-seen+reprice", 1)
    svc = service(unit_of_work)
    seen = svc.telesales_order(svc.principal_for("u-aprov"), "T1")
    assert seen.digest == SEEN
    svc.set_cart_manual_price(svc.principal_for("u-tele2"), "T1", "A", Decimal("10.00"))
    with pytest.raises(RuleViolation, match="items changed since they were seen") as refused:
        svc.authorize_order(
            svc.principal_for("u-aprov"), "T1", reason="ok", seen_digest=seen.digest
        )
    assert "order T1 is awaiting_authorization" in str(refused.value)
    with unit_of_work() as uow:
        after = uow.telesales.get("T1")
        last = list(uow.audit.iter_all())[-1]
    assert after.approval is None
    assert after.state is S.AWAITING_AUTHORIZATION
    assert (last.actor, last.outcome.value) == ("u-aprov", "failed")
    # looking again, the approver authorizes what is there now
    done = svc.authorize_order(
        svc.principal_for("u-aprov"), "T1", reason="ok", seen_digest=after.digest
    )
    assert done.state is S.AUTHORIZED
    assert done.approval is not None
    assert done.approval.digest == after.digest != SEEN
