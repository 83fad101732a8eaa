"""Accounts, tokens and the audit log in SQL: no secret in clear, the 0003 migration, races.

The storage contract (otocore.testing.storage) already runs the three
repositories on every store; these are the SQL-only checks: what the rows
really hold, the upgrade of a 0002 database that has data, and concurrent
writers from several processes and threads on an SQLite file and PostgreSQL.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from _support.builders import START as AT
from otocore.access import Action, Outcome, Target, append_entry, verify_audit_log
from otocore.adapters.sql import Database, current_revision, open_database, upgrade
from otocore.adapters.sql import _tables as t
from otocore.adapters.sql._engine import create_engine
from otocore.adapters.sql._schema import alembic_config
from otocore.auth import (
    Account,
    AccountState,
    AccountToken,
    Role,
    SecretHasher,
    TokenPurpose,
    hash_token,
    issue_token,
    normalize_login_email,
)
from otocore.errors import RuleViolation, SchemaVersionError
from otocore.repositories import UnitOfWork
from otocore.sellers import Store

WORKER = Path(__file__).with_name("_audit_worker.py")
PROCESSES = 4
TIMES = 15
THREADS = 6
PASSWORD = "cavalo correto bateria grampo"  # noqa: S105 - a test password
PIN = "73902846"


def _hash_without(hasher: SecretHasher, secret: str) -> str:
    """A hash of ``secret`` whose text does not contain ``secret`` by chance (salts are random)."""
    while True:
        hashed = hasher.hash(secret)
        if secret not in hashed:
            return hashed


def _ana(hasher: SecretHasher) -> Account:
    return Account(
        account_id="u-ana",
        email=normalize_login_email("ana@example.com"),
        roles={Role.SELLER},
        seller_code="V01",
        store_id="L01",
        password_hash=_hash_without(hasher, PASSWORD),
        pin_hash=_hash_without(hasher, PIN),
        state=AccountState(failures=2),
    )


@pytest.fixture
def db(empty_url: str) -> Iterator[Database]:
    with open_database(empty_url, upgrade=True) as database:
        yield database


def _every_value(db: Database) -> list[object]:
    """Every value of every row of every table, read raw (no otocore types)."""
    values: list[object] = []
    with db.engine.connect() as conn:
        for name in sa.inspect(conn).get_table_names():
            for row in conn.execute(sa.text(f'SELECT * FROM "{name}"')):  # noqa: S608 - table names from the inspector
                values.extend(row)
        conn.rollback()
    return values


def test_no_column_holds_a_password_pin_or_token_in_clear(db: Database, tmp_path: Path) -> None:
    hasher = SecretHasher.insecure_for_tests()
    ana = _ana(hasher)
    recovery, record = issue_token(now=AT)
    pin_link, pin_record = issue_token(now=AT + timedelta(minutes=1))
    uow = db.unit_of_work()
    with uow.writing():
        uow.accounts.add(ana)
        uow.tokens.add(
            AccountToken(account_id="u-ana", purpose=TokenPurpose.PASSWORD, record=record)
        )
        uow.tokens.add(
            AccountToken(account_id="u-ana", purpose=TokenPurpose.PIN, record=pin_record)
        )
        uow.tokens.mark_used(hash_token(recovery), AT + timedelta(minutes=5))
        uow.audit.append(
            append_entry(
                None,
                at=AT,
                actor="u-gerente",
                action=Action.RESET_PIN,
                target=Target(store_id="L01", account_id="u-ana", seller_code="V01"),
                outcome=Outcome.ALLOWED,
            )
        )
    secrets = (PASSWORD, PIN, recovery, pin_link)
    values = [str(v) for v in _every_value(db) if v is not None]
    # the rows were read: the hashes are there ...
    assert ana.password_hash in values
    assert ana.pin_hash in values
    assert record.token_hash in values
    assert pin_record.token_hash in values
    # ... and no secret, in any column of any table
    for value in values:
        for secret in secrets:
            assert secret not in value
    if db.dialect == "sqlite":  # nor anywhere in the file or its write-ahead log
        path = Path(str(db.engine.url.database))
        raw = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
        assert ana.password_hash is not None
        assert ana.password_hash.encode() in raw  # the scan sees the stored rows
        for secret in secrets:
            assert secret.encode() not in raw
    with uow:
        assert uow.accounts.get("u-ana") == ana
        assert hasher.verify(uow.accounts.get("u-ana").pin_hash, PIN)


def _migrate(url: str, revision: str, *, down: bool = False) -> None:
    engine = create_engine(url)
    try:
        with engine.connect() as conn, alembic_config(conn) as config:
            (command.downgrade if down else command.upgrade)(config, revision)
            if conn.in_transaction():
                conn.commit()
    finally:
        engine.dispose()


def test_a_0002_database_with_data_is_upgraded_to_the_head_and_back(empty_url: str) -> None:
    _migrate(empty_url, "0002")
    engine = create_engine(empty_url)
    try:
        with engine.begin() as conn:  # rows written by otocore at 0002
            conn.execute(sa.insert(t.stores), [{"store_id": "L01", "name": "Loja Centro"}])
            conn.execute(
                sa.insert(t.sellers),
                [{"code": "V01", "name": "Ana", "store_id": "L01", "status": "active"}],
            )
            conn.execute(
                sa.insert(t.consent_events),
                [
                    {
                        "customer_id": "C1",
                        "channel": "whatsapp",
                        "granted": True,
                        "at": AT,
                        "source": "seller_app",
                        "recorded_by": "V01",
                        "event_id": None,
                    }
                ],
            )
            conn.execute(sa.insert(t.rfv_snapshots), [{"as_of": date(2026, 5, 3)}])
    finally:
        engine.dispose()
    assert current_revision(empty_url) == "0002"
    with pytest.raises(SchemaVersionError) as info:
        open_database(empty_url)
    assert (info.value.found, info.value.expected) == ("0002", "0013")

    assert upgrade(empty_url) == "0013"
    hasher = SecretHasher.insecure_for_tests()
    ana = _ana(hasher)
    _, record = issue_token(now=AT, rng_bytes=bytes)
    token = AccountToken(account_id="u-ana", purpose=TokenPurpose.PASSWORD, record=record)
    entry = append_entry(
        None,
        at=AT,
        actor="bootstrap",
        action=Action.CREATE_USER,
        target=Target(store_id="L01", account_id="u-ana"),
        outcome=Outcome.ALLOWED,
    )
    with open_database(empty_url) as db:
        uow = db.unit_of_work()
        with uow.writing():
            assert uow.stores.list() == [Store(store_id="L01", name="Loja Centro")]
            assert uow.sellers.get("V01").name == "Ana"
            assert len(list(uow.consent.iter_all())) == 1
            assert uow.rfv.dates() == [date(2026, 5, 3)]
            assert uow.accounts.list() == []
            assert uow.audit.count() == 0
            uow.accounts.add(ana)
            uow.tokens.add(token)
            uow.audit.append(entry)
        with uow:
            assert uow.accounts.for_seller("V01") == ana
            assert uow.tokens.newest("u-ana", TokenPurpose.PASSWORD) == token
            assert list(uow.audit.iter_all()) == [entry]

    # and back: 0008's, 0006's, 0005's, 0004's and 0003's downgrades drop only their own tables
    _migrate(empty_url, "0002", down=True)
    assert current_revision(empty_url) == "0002"
    engine = create_engine(empty_url)
    try:
        with engine.connect() as conn:
            names = set(sa.inspect(conn).get_table_names())
            assert {"stores", "sellers", "consent_events", "rfv_snapshots"} <= names
            assert (
                not {
                    "accounts",
                    "auth_tokens",
                    "audit_log",
                    "outcome_days",
                    "day_outcomes",
                    "telesales_orders",
                    "telesales_settings",
                    "customer_exports",
                }
                & names
            )
            assert conn.execute(sa.text("SELECT count(*) FROM sellers")).scalar_one() == 1
            assert conn.execute(sa.text("SELECT count(*) FROM consent_events")).scalar_one() == 1
    finally:
        engine.dispose()


def _append_from_processes(url: str, mode: str, tmp_path: Path) -> int:
    """PROCESSES workers append TIMES entries each; return how many appends were refused."""
    go = tmp_path / f"go-{mode}"
    procs = [
        subprocess.Popen(  # noqa: S603 - our own worker script
            [sys.executable, str(WORKER), url, f"w{n}", str(TIMES), mode, str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(PROCESSES)
    ]
    refused = 0
    try:
        for p in procs:
            assert p.stdout is not None
            line = p.stdout.readline()
            assert line.strip() == "ready", p.stderr.read() if p.stderr else line
        go.touch()  # everyone starts at once
        for p in procs:
            out, err = p.communicate(timeout=180)
            assert p.returncode == 0, err
            refused += int(out)
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    return refused


@pytest.mark.slow  # four processes
@pytest.mark.parametrize("mode", ["writing", "plain"])
def test_concurrent_processes_never_lose_or_fork_audit_entries(
    empty_url: str, mode: str, tmp_path: Path
) -> None:
    upgrade(empty_url)
    refused = _append_from_processes(empty_url, mode, tmp_path)
    if mode == "writing":
        assert refused == 0  # the write lock: every append followed the tail it read
    total = PROCESSES * TIMES
    with open_database(empty_url) as db, db.unit_of_work() as uow:
        log = list(uow.audit.iter_all())
        tail = uow.audit.tail()
        assert uow.audit.count() == total
    assert tail is not None
    assert [e.sequence for e in log] == list(range(1, total + 1))
    # one chain, no fork, nothing lost: it verifies up to the tail, with every append once
    assert verify_audit_log(log, tail_hash=tail.entry_hash).ok
    landed = sorted(e.target.account_id or "" for e in log)
    assert landed == sorted(f"w{n}-{i}" for n in range(PROCESSES) for i in range(TIMES))


def _race(db: Database, attempt: Callable[[UnitOfWork, int], None]) -> tuple[list[int], list[int]]:
    """THREADS threads run ``attempt(uow, n)`` in plain blocks at once; who won, who lost."""
    start = threading.Barrier(THREADS)
    won: list[int] = []
    lost: list[int] = []

    def racer(n: int) -> None:
        uow = db.unit_of_work()
        start.wait(timeout=30)
        try:
            with uow:
                attempt(uow, n)
            won.append(n)
        except RuleViolation:
            lost.append(n)

    threads = [threading.Thread(target=racer, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return won, lost


def test_one_email_is_one_account_even_when_added_concurrently(db: Database) -> None:
    email = normalize_login_email("ana@example.com")

    def add(uow: UnitOfWork, n: int) -> None:
        uow.accounts.add(Account(account_id=f"u-{n}", email=email, roles={Role.CALL_CENTER}))

    won, lost = _race(db, add)
    assert len(won) == 1, (won, lost)
    assert len(lost) == THREADS - 1
    with db.unit_of_work() as uow:
        stored = uow.accounts.find_by_email(email)
        assert stored is not None
        assert stored.account_id == f"u-{won[0]}"
        assert [a.account_id for a in uow.accounts.list()] == [stored.account_id]


def test_one_token_hash_is_stored_once_even_when_added_concurrently(db: Database) -> None:
    _, record = issue_token(now=AT, rng_bytes=bytes)

    def add(uow: UnitOfWork, n: int) -> None:
        uow.tokens.add(
            AccountToken(account_id=f"u-{n}", purpose=TokenPurpose.PASSWORD, record=record)
        )

    won, lost = _race(db, add)
    assert len(won) == 1, (won, lost)
    assert len(lost) == THREADS - 1
    with db.unit_of_work() as uow:
        found = uow.tokens.find(record.token_hash)
        assert found is not None
        assert found.account_id == f"u-{won[0]}"
