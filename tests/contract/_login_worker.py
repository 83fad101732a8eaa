"""A worker process for the concurrent-login test: tries wrong passwords on one account.

Usage: ``python _login_worker.py URL EMAIL TIMES GO_FILE``. The worker prints
``ready``, waits for GO_FILE to exist (so every worker starts at once), then
tries TIMES logins with a wrong password and the right PIN, and prints the
reason of each refusal (``wrong_credentials`` or ``locked``).
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime

from _support.workers import wait_for_go
from otocore.accounts import AccountService, SecurityPolicy
from otocore.adapters.mail import InMemoryMailer
from otocore.adapters.sql import open_database
from otocore.auth import SecretHasher
from otocore.clock import FixedClock
from otocore.errors import AuthenticationFailed

PIN = "482913"


def main() -> None:
    url, email, times, go = sys.argv[1:5]
    db = open_database(url)
    service = AccountService(
        db.unit_of_work,
        mailer=InMemoryMailer(),
        clock=FixedClock(datetime(2026, 5, 4, 9, 0, tzinfo=UTC)),
        policy=SecurityPolicy(app_url="https://app.example.com"),
        hasher=SecretHasher.insecure_for_tests(),
    )
    wait_for_go(go)
    reasons = []
    for n in range(int(times)):
        try:
            service.login(email, f"wrong password {n}", PIN)
        except AuthenticationFailed as refused:
            reasons.append(refused.reason)
        else:
            reasons.append("success")
    db.close()
    print(" ".join(reasons), flush=True)  # noqa: T201


if __name__ == "__main__":
    main()
