"""A worker process for the telesales races: takes one step of a race on one order a round.

Usage: ``python _telesales_worker.py URL STEP ROUNDS GO_PREFIX``. For each round ``n``
(1 to ROUNDS) the worker prints ``ready``, waits for the file ``GO_PREFIX-n`` (the test
creates it once both workers of the race are ready, so they start together), takes STEP
(a key of ``_support.telesales_race.STEPS``) on order ``Tn`` through the account
service, and prints ``won`` or ``lost <error>: <message>`` on one line. Anything but an
OtocoreError ends the worker with a traceback (the test reports it).
"""

from __future__ import annotations

import sys

from _support.telesales_race import attempt, service
from _support.workers import wait_for_go
from otocore.adapters.sql import open_database


def main() -> None:
    url, step, rounds, go = sys.argv[1:5]
    db = open_database(url)
    svc = service(db.unit_of_work)
    for n in range(1, int(rounds) + 1):
        wait_for_go(f"{go}-{n}")
        print(attempt(svc, step, f"T{n}").replace("\n", " "), flush=True)  # noqa: T201
    db.close()


if __name__ == "__main__":
    main()
