"""A worker process for the locking tests: increments a counter many times.

Usage: ``python _counter_worker.py URL NAME TIMES MODE GO_FILE``, where MODE is

* ``writing``: ``with uow.writing():`` read the counter, then set it to one more;
* ``next``: ``with uow:`` call ``sequences.next`` (atomic on its own).

The worker prints ``ready`` and waits for GO_FILE to exist, so that every
worker starts incrementing at the same time; it prints each value it got.
"""

from __future__ import annotations

import sys

from _support.workers import wait_for_go
from otocore.adapters.sql import open_database


def main() -> None:
    url, name, times, mode, go = sys.argv[1:6]
    db = open_database(url)
    uow = db.unit_of_work()
    wait_for_go(go)
    got = []
    for _ in range(int(times)):
        if mode == "writing":
            with uow.writing():
                value = uow.sequences.current(name) + 1
                uow.sequences.set(name, value)
        else:
            with uow:
                value = uow.sequences.next(name)
        got.append(value)
    db.close()
    print(" ".join(map(str, got)), flush=True)  # noqa: T201


if __name__ == "__main__":
    main()
