"""What the customer-history race test (tests/contract/test_history_races.py) and its worker
processes (tests/contract/_history_worker.py) share: the customers and the instant."""

from __future__ import annotations

from datetime import UTC, datetime

NOW = datetime(2026, 12, 1, 15, tzinfo=UTC)
CUSTOMERS = [f"C{n:02d}" for n in range(1, 9)]
REGISTERED = "2026-01-05T10:00:00Z"


def first_mobile(customer_id: str) -> str:
    """The mobile the test stores first for ``customer_id`` (every import puts it back).

    >>> first_mobile("C07")
    '(11) 98007-0000'
    """
    return f"(11) 98{customer_id[1:]:0>3}-0000"
