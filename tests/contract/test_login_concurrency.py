"""Login failures are counted atomically, per account, and survive the caller's rollback.

Several processes hammer one account with wrong passwords at once, on an SQLite
file and on PostgreSQL: however their attempts interleave, exactly
``max_failures`` of them are counted, the last of those locks the account, and
every later attempt is answered "locked". A failure is committed by the
service's own unit of work, so it stays recorded when the caller's own
transaction rolls back.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from otocore.accounts import AccountService, SecurityPolicy
from otocore.adapters.mail import InMemoryMailer
from otocore.adapters.sql import Database, open_database
from otocore.auth import Account, Role, SecretHasher, normalize_login_email
from otocore.clock import FixedClock
from otocore.errors import AuthenticationFailed

WORKER = Path(__file__).with_name("_login_worker.py")
PROCESSES = 4
TIMES = 4  # 16 wrong attempts against a limit of 5
EMAIL = "ana.souza@example.com"
PASSWORD = "c0rreta-e-longa"  # noqa: S105 - a test account's password
PIN = "482913"


def _url(store: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if store == "sqlite-file":
        return f"sqlite:///{tmp_path / 'login.db'}"
    return str(request.getfixturevalue("postgres_server").create_database())


def _seed_account(db: Database) -> None:
    hasher = SecretHasher.insecure_for_tests()
    with db.unit_of_work() as uow:
        uow.accounts.add(
            Account(
                account_id="A1",
                email=normalize_login_email(EMAIL),
                roles={Role.SELLER},
                seller_code="V01",
                store_id="L01",
                password_hash=hasher.hash(PASSWORD),
                pin_hash=hasher.hash(PIN),
            )
        )


def _service(db: Database) -> AccountService:
    return AccountService(
        db.unit_of_work,
        mailer=InMemoryMailer(),
        clock=FixedClock(datetime(2026, 5, 4, 9, 0, tzinfo=UTC)),
        policy=SecurityPolicy(app_url="https://app.example.com"),
        hasher=SecretHasher.insecure_for_tests(),
    )


@pytest.mark.slow  # four processes
@pytest.mark.parametrize("store", ["sqlite-file", "postgresql"])
def test_concurrent_wrong_attempts_never_get_more_tries_than_the_limit(
    store: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = _url(store, request, tmp_path)
    with open_database(url, upgrade=True) as db:
        _seed_account(db)
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(  # noqa: S603 - our own worker script
            [sys.executable, str(WORKER), url, EMAIL, str(TIMES), str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    reasons: list[str] = []
    try:
        for p in procs:
            assert p.stdout is not None
            line = p.stdout.readline()
            assert line.strip() == "ready", p.stderr.read() if p.stderr else line
        go.touch()
        for p in procs:
            out, err = p.communicate(timeout=180)
            assert p.returncode == 0, err
            reasons += out.split()
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    counts = Counter(reasons)
    limit = SecurityPolicy(app_url="https://app.example.com").lockout.max_failures
    # max_failures - 1 attempts were answered "wrong", the max_failures-th locked the
    # account, and every other attempt found it locked: no process got an extra try
    assert counts == {
        "wrong_credentials": limit - 1,
        "locked": PROCESSES * TIMES - (limit - 1),
    }
    with open_database(url) as db:
        with db.unit_of_work() as uow:
            state = uow.accounts.get("A1").state
        assert state.locked
        assert state.failures == limit
        with pytest.raises(AuthenticationFailed) as refused:
            _service(db).login(EMAIL, PASSWORD, PIN)  # the right credentials, too late
        assert refused.value.reason == "locked"


class _CallerError(Exception):
    pass


@pytest.mark.parametrize("store", ["sqlite-file", "postgresql"])
def test_a_failure_stays_recorded_when_the_callers_transaction_rolls_back(
    store: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = _url(store, request, tmp_path)
    with open_database(url, upgrade=True) as db:
        _seed_account(db)
        service = _service(db)
        caller = db.unit_of_work()
        refused: list[str] = []

        def callers_work() -> None:
            with caller:
                caller.accounts.get("A1")  # the caller's own transaction is open
                try:
                    service.login(EMAIL, "not the password", PIN)
                except AuthenticationFailed as error:
                    refused.append(error.reason)
                raise _CallerError  # and it rolls back

        with pytest.raises(_CallerError):
            callers_work()
        assert refused == ["wrong_credentials"]
        with db.unit_of_work() as uow:
            assert uow.accounts.get("A1").state.failures == 1
