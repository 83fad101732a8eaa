"""Customers imports, SAC edits and plain-block appends race on the chained logs.

Round 4 of the registry issue found that a customers import appended its history entries
in a plain ``with uow:`` block, without the store's write lock, so on PostgreSQL an SAC
edit appending at the same moment claimed the same sequence number and one of the two
failed whole ("appended by a concurrent transaction"); on SQLite the import, which read
before it wrote, was refused "busy" when an SAC edit had written in between. Now every
append to a chained log takes the write lock itself (any block, any caller), and an
import runs in a ``writing()`` block (it reads the stored customers it diffs under the
lock, so an entry's old value is the value it replaced).

PROCESSES processes run at once on an SQLite file and on PostgreSQL: importers (each
import changes every customer), SAC agents (edits of one field) and plain blocks that
append history and data-access entries. Every process must succeed: none may fail, not
even with a retryable error. Afterwards every chain verifies, its sequence numbers are
1..n with none missing or doubled, every process's entries are there, and the history
replays: for each customer and field, each entry's old value is the previous entry's new
value (the first's, the value first stored), and the last new value is the stored one.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from _support.history_race import CUSTOMERS, NOW, first_mobile
from otocore.access import verify_audit_log
from otocore.accounts import AccountService, SecurityPolicy
from otocore.adapters.mail import InMemoryMailer
from otocore.adapters.sql import Database, open_database
from otocore.auth import Role, SecretHasher
from otocore.clock import FixedClock
from otocore.customers import Customer, Email, Mobile
from otocore.history import HistoryReason, verify_access_log, verify_history
from otocore.importing import to_cells
from otocore.privacy import replay_history
from otocore.testing.storage import CONTRACT_LOG_KEYS

WORKER = Path(__file__).with_name("_history_worker.py")
ROLES = {"import": 2, "sac": 2, "plain": 2}  # PROCESSES = 6
TIMES = 4


def _url(store: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if store == "sqlite-file":
        return f"sqlite:///{tmp_path / 'history.db'}"
    return str(request.getfixturevalue("postgres_server").create_database())


def _first(customer_id: str) -> Customer:
    return Customer(
        customer_id=customer_id,
        name=f"Cliente {customer_id}",
        registered_at=datetime(2026, 1, 5, 10, tzinfo=UTC),
        email=Email.parse(f"first.{customer_id}@example.com"),
        mobile=Mobile.parse(first_mobile(customer_id)),
    )


def _seed(db: Database) -> None:
    accounts = AccountService(
        db.unit_of_work,
        mailer=InMemoryMailer(),
        clock=FixedClock(NOW),
        policy=SecurityPolicy(app_url="https://app.example.com"),
        hasher=SecretHasher.insecure_for_tests(),
    )
    admin = accounts.principal_for(
        accounts.create_first_admin(
            email="admin@example.com",
            password="cavalo correto bateria grampo",  # noqa: S106 - a test account
            pin="482913",
        ).account_id
    )
    accounts.create_account(
        admin, email="sac@example.com", roles=[Role.CALL_CENTER], account_id="u-sac"
    )
    with db.unit_of_work().writing() as uow:
        for customer_id in CUSTOMERS:
            uow.customers.add(_first(customer_id))


def _run(url: str, tmp_path: Path) -> list[str]:
    """Start every worker, let them go at once; each one's role, in start order."""
    go = tmp_path / "go"
    roles = [role for role, count in ROLES.items() for _ in range(count)]
    procs = [
        subprocess.Popen(  # noqa: S603 - our own worker script
            [sys.executable, str(WORKER), url, role, f"w{n}", str(TIMES), str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n, role in enumerate(roles)
    ]
    try:
        for p in procs:
            assert p.stdout is not None
            line = p.stdout.readline()
            assert line.strip() == "ready", p.stderr.read() if p.stderr else line
        go.touch()
        failures = []
        for role, p in zip(roles, procs, strict=True):
            out, err = p.communicate(timeout=300)
            if p.returncode != 0 or out.split() != ["ok"]:
                failures.append(f"{role}: {err.strip().splitlines()[-1:]}")
        assert failures == []  # every process succeeded: no append lost a race
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    return roles


@pytest.mark.slow  # six processes
@pytest.mark.parametrize(
    "store", ["sqlite-file", pytest.param("postgresql", marks=pytest.mark.postgresql)]
)
def test_imports_sac_edits_and_plain_appends_never_collide_on_a_sequence(
    store: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = _url(store, request, tmp_path)
    with open_database(url, upgrade=True, log_keys=CONTRACT_LOG_KEYS) as db:
        _seed(db)
    roles = _run(url, tmp_path)
    with open_database(url, log_keys=CONTRACT_LOG_KEYS) as db, db.unit_of_work() as uow:
        history = list(uow.customer_history.iter_all())
        access = list(uow.access_log.iter_all())
        audit = list(uow.audit.iter_all())
        stored = {c.customer_id: c for c in uow.customers.list()}
    # one chain each, no sequence missing or doubled, every MAC right
    for log in (history, access, audit):
        assert [e.sequence for e in log] == list(range(1, len(log) + 1))
    assert verify_history(history, keys=CONTRACT_LOG_KEYS).ok
    assert verify_access_log(access, keys=CONTRACT_LOG_KEYS).ok
    assert verify_audit_log(audit, keys=CONTRACT_LOG_KEYS).ok
    # every process's entries landed
    workers = {f"w{n}": role for n, role in enumerate(roles)}
    by_actor = Counter(e.actor for e in history)
    imported_emails = Counter(
        e.actor for e in history if e.reason is HistoryReason.IMPORT and e.field == "email"
    )
    for worker, role in workers.items():
        if role == "import":  # every import gives every customer a new e-mail
            assert imported_emails[f"u-import-{worker}"] == TIMES * len(CUSTOMERS)
        elif role == "plain":
            assert by_actor[f"u-{worker}"] == 2 * TIMES
            assert sum(e.actor == f"u-{worker}" for e in access) == TIMES
    sac_edits = sum(count for role, count in ROLES.items() if role == "sac") * TIMES
    assert by_actor["u-sac"] == sac_edits  # each edit a new value: one entry
    assert [e.outcome.value for e in audit if e.actor == "u-sac"] == ["allowed"] * sac_edits
    # the history replays: each old value is the value replaced, the last new one is stored
    for customer_id in CUSTOMERS:
        mine = [e for e in history if e.customer_id == customer_id]
        first = _first(customer_id)
        current = to_cells(first)
        for entry in mine:
            assert entry.old_value == current[entry.field], (customer_id, entry.sequence)
            current[entry.field] = entry.new_value
        assert replay_history(first, history) == stored[customer_id]
