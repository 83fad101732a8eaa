"""A worker process for the audit-log concurrency test: appends entries many times.

Usage: ``python _audit_worker.py URL WORKER TIMES MODE GO_FILE``, where MODE is

* ``writing``: ``with uow.writing():`` append the entry that follows ``uow.audit.tail()``;
* ``plain``: the same in a plain ``with uow:`` block, which may lose the race to
  another writer: the append is then refused with a RuleViolation, nothing is
  written, and the worker tries again (the entry is rebuilt on the new tail).

Each entry's target names ``WORKER-i`` (its ``account_id``), so the test can
check that every append landed exactly once. The worker prints ``ready``,
waits for GO_FILE to exist so that every worker starts at the same time, then
prints how many appends were refused (and retried).
"""

from __future__ import annotations

import random
import sys
import time
from datetime import timedelta

from _support.builders import START
from _support.workers import wait_for_go
from otocore.access import Action, Outcome, Target, append_entry
from otocore.adapters.sql import open_database
from otocore.errors import RuleViolation


def main() -> None:
    url, worker, times, mode, go = sys.argv[1:6]
    db = open_database(url)
    uow = db.unit_of_work()
    jitter = random.Random(worker)  # back-off jitter, not a secret
    wait_for_go(go)
    refused = 0
    for i in range(int(times)):
        while True:
            block = uow.writing() if mode == "writing" else uow
            try:
                with block:
                    tail = uow.audit.tail()
                    uow.audit.append(
                        append_entry(
                            tail,
                            at=START + timedelta(seconds=i),
                            actor=f"u-{worker}",
                            action=Action.UNLOCK_ACCOUNT,
                            target=Target(account_id=f"{worker}-{i}"),
                            outcome=Outcome.ALLOWED,
                        )
                    )
                break
            except RuleViolation:
                if mode == "writing":
                    raise  # the write lock makes every append follow the tail
                refused += 1
                time.sleep(jitter.uniform(0, 0.004))
    db.close()
    print(refused, flush=True)  # noqa: T201


if __name__ == "__main__":
    main()
