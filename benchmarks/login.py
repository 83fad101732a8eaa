"""Benchmark: login time with production Argon2id parameters, known vs unknown e-mail.

An attacker who could tell an unknown e-mail from a wrong password by the time
of the answer could enumerate accounts. ``AccountService.login`` does the same
Argon2 work for both (two verifications; the unit tests count them); this
script measures what that means in seconds: the median of ``--runs`` logins
for each of (1) an existing account with a wrong password, (2) an e-mail that
names no account, (3) a successful login, on an SQLite file with
``SecretHasher()`` (OWASP's minimum: 19 MiB, 2 iterations), and prints the
ratio of (2) to (1).

Usage::

    python benchmarks/login.py            # 21 runs each
    python benchmarks/login.py --runs 51
    python benchmarks/login.py --quick
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from otocore.accounts import AccountService, SecurityPolicy
from otocore.adapters.mail import InMemoryMailer
from otocore.adapters.sql import open_database
from otocore.auth import LockoutPolicy, SecretHasher
from otocore.clock import FixedClock
from otocore.errors import AuthenticationFailed

EMAIL = "admin@example.com"
PASSWORD = "cavalo correto bateria grampo"  # noqa: S105 - a benchmark account's password
PIN = "482913"


def _median_seconds(attempt: Callable[[], None], runs: int) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        attempt()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def _refused(service: AccountService, email: str, password: str) -> Callable[[], None]:
    def attempt() -> None:
        try:
            service.login(email, password, PIN)
        except AuthenticationFailed:
            return
        raise AssertionError("the login should have been refused")

    return attempt


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="logins per case (median)")
    parser.add_argument("--quick", action="store_true", help="5 runs per case")
    args = parser.parse_args(argv)
    runs = 5 if args.quick else args.runs
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "login.db", upgrade=True)
        service = AccountService(
            db.unit_of_work,
            mailer=InMemoryMailer(),
            clock=FixedClock(datetime(2026, 5, 4, 9, tzinfo=UTC)),
            # a limit no benchmark reaches: every wrong attempt stays a full attempt
            policy=SecurityPolicy(
                app_url="https://app.example.com", lockout=LockoutPolicy(max_failures=100)
            ),
            hasher=SecretHasher(),
        )
        service.create_first_admin(email=EMAIL, password=PASSWORD, pin=PIN)

        def succeed() -> None:
            service.login(EMAIL, PASSWORD, PIN)

        succeed()  # warm-up: the dummy hash of verify_unknown is made once per hasher
        _refused(service, "ninguem@example.com", "x" * 12)()
        # each wrong attempt counts a failure: reset the count between rounds by succeeding
        known = []
        for _ in range(runs):
            known.append(_median_seconds(_refused(service, EMAIL, "senha errada"), 1))
            succeed()
        wrong = statistics.median(known)
        unknown = _median_seconds(_refused(service, "ninguem@example.com", "senha errada"), runs)
        success = _median_seconds(succeed, runs)
        db.close()
    print(f"runs per case: {runs} (median), SecretHasher() = Argon2id 19 MiB, t=2, p=1")
    print(f"existing e-mail, wrong password: {wrong * 1000:8.1f} ms")
    print(f"unknown e-mail:                  {unknown * 1000:8.1f} ms")
    print(f"successful login:                {success * 1000:8.1f} ms")
    print(f"unknown / wrong password:        {unknown / wrong:8.2f}")


if __name__ == "__main__":
    main()
