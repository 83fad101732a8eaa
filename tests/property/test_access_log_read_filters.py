"""A filtered read of the data-access log is the full log filtered by hand (AccessLogService).

Each generated entry knows its truth: who, when, what, and which customer it is about (a
history read ``customer C1``, an LGPD export ``customer_id=C1``, or an export of a search,
about no single customer). The oracle filters on that truth, not on the query text; the
service must agree, page by page, and the pages must add up to the whole filtered log.
The strategies are in tests/_support/access_log_read.py; the same property runs on every
store in tests/contract/test_access_log_read_stores.py.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from _support.access_log_read import ADMIN, NOW, Truth, by_hand, filters, log_world, truths
from _support.sac import KEYS
from _support.strategies import examples
from otocore.adapters.memory import InMemoryDatabase
from otocore.history import AccessAction, AccessEntry, verify_access_log


@given(
    log=st.lists(truths(), max_size=25),
    wanted=filters(),
    after=st.integers(0, 27),
    limit=st.integers(1, 27),
)
def test_a_filtered_page_is_the_log_filtered_by_hand(
    log: list[Truth], wanted: dict[str, object], after: int, limit: int
) -> None:
    world = log_world(InMemoryDatabase(log_keys=KEYS).unit_of_work)
    stored = world.append(*(t.event for t in log))
    matching = [
        e for e, t in zip(stored, log, strict=True) if e.sequence > after and by_hand(t, wanted)
    ]
    page = world.service.read(ADMIN, after=after, limit=limit, **wanted)  # type: ignore[arg-type]
    assert list(page.entries) == matching[:limit]
    assert page.next_after == (matching[limit - 1].sequence if len(matching) > limit else None)
    read = world.access_log()[-1]
    assert (read.sequence, read.action, read.at) == (
        len(log) + 1,
        AccessAction.ACCESS_LOG_READ,
        NOW,
    )
    assert read.detail.startswith(f"{len(page.entries)} entries read")


@settings(max_examples=examples(0.5))
@given(log=st.lists(truths(), max_size=25), wanted=filters(), limit=st.integers(1, 6))
def test_the_pages_add_up_to_the_filtered_log_and_the_chain_verifies(
    log: list[Truth], wanted: dict[str, object], limit: int
) -> None:
    world = log_world(InMemoryDatabase(log_keys=KEYS).unit_of_work)
    stored = world.append(*(t.event for t in log))
    # the reads land at NOW, after every generated instant: bound the reads out
    bounded = dict(wanted, until=wanted["until"] or NOW)
    expected = [e for e, t in zip(stored, log, strict=True) if by_hand(t, bounded)]
    seen: list[AccessEntry] = []
    after = 0
    for _ in range(len(log) + 2):
        page = world.service.read(ADMIN, after=after, limit=limit, **bounded)  # type: ignore[arg-type]
        seen.extend(page.entries)
        if page.next_after is None:
            break
        after = page.next_after
    assert seen == expected
    assert verify_access_log(world.access_log(), keys=KEYS).ok
