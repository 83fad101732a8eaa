"""A worker process for the customer-history race: imports, SAC edits or plain appends.

Usage: ``python _history_worker.py URL ROLE WORKER TIMES GO_FILE``, where ROLE is

* ``import``: TIMES customers imports (``import_file``, as the command line runs it), each
  giving every customer of the test a new e-mail (``WORKER.N.ID@example.com``) and its
  first mobile back: one history entry per changed field, reason ``import``;
* ``sac``: TIMES SAC edits (``PrivacyService.edit_customer``, a ``writing()`` block), each a
  new e-mail or mobile of one customer (``u-sac`` acting);
* ``plain``: TIMES plain ``with uow:`` blocks, each appending two history entries of
  customer ``X-WORKER`` (``append_many``) and one data-access entry: a caller that forgot
  ``writing()``, whose appends take the write lock themselves.

The worker prints ``ready``, waits for GO_FILE (every worker starts at once), does its
work, and prints ``ok``. Any error ends it with a traceback and a non-zero exit.
"""

from __future__ import annotations

import csv
import random
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

from _support.history_race import CUSTOMERS, NOW, REGISTERED, first_mobile
from _support.workers import wait_for_go
from otocore.access import Principal
from otocore.adapters.sql import open_database
from otocore.auth import Role
from otocore.clock import FixedClock
from otocore.history import AccessAction, AccessEvent, HistoryChange, HistoryReason
from otocore.importing import RecordKind, import_file
from otocore.privacy import PrivacyService
from otocore.testing.storage import CONTRACT_LOG_KEYS

SAC = Principal(account_id="u-sac", roles={Role.CALL_CENTER})


def main() -> None:
    url, role, worker, times, go = sys.argv[1:6]
    db = open_database(url, log_keys=CONTRACT_LOG_KEYS)
    clock = FixedClock(NOW)
    pick = random.Random(worker)  # which customer, not a secret
    folder = Path(tempfile.mkdtemp())
    wait_for_go(go)
    for n in range(int(times)):
        if role == "import":
            path = folder / f"customers-{n}.csv"
            with path.open("w", encoding="utf-8", newline="") as out:
                rows = csv.writer(out)
                rows.writerow(["customer_id", "name", "registered_at", "email", "mobile"])
                for customer_id in CUSTOMERS:
                    email = f"{worker}.{n}.{customer_id}@example.com"
                    mobile = first_mobile(customer_id)
                    rows.writerow(
                        [customer_id, f"Cliente {customer_id}", REGISTERED, email, mobile]
                    )
            import_file(
                db.unit_of_work(),
                path,
                RecordKind.CUSTOMERS,
                clock=clock,
                actor=f"u-import-{worker}",
            )
        elif role == "sac":
            service = PrivacyService(db.unit_of_work, clock=clock)
            customer_id = pick.choice(CUSTOMERS)
            if n % 2:
                field, value = "mobile", f"(21) 99{int(worker[1:]):03d}-{n:04d}"
            else:
                field, value = "email", f"sac.{worker}.{n}@example.com"
            service.edit_customer(SAC, customer_id, field, value, reason=HistoryReason.SAC_CALL)
        else:
            uow = db.unit_of_work()
            at = NOW + timedelta(seconds=n)
            with uow:
                uow.customer_history.append_many(
                    HistoryChange(
                        customer_id=f"X-{worker}",
                        field=field,
                        old_value=None,
                        new_value=f"{worker}-{n}",
                        actor=f"u-{worker}",
                        at=at,
                        reason=HistoryReason.CUSTOMER_REQUEST,
                    )
                    for field in ("email", "mobile")
                )
                uow.access_log.append(
                    AccessEvent(
                        actor=f"u-{worker}",
                        at=at,
                        action=AccessAction.HISTORY_READ,
                        query=f"customer X-{worker}",
                        customers=1,
                    )
                )
    db.close()
    print("ok", flush=True)  # noqa: T201


if __name__ == "__main__":
    main()
