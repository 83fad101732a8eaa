"""A filtered read of the data-access log is the full log filtered by hand (AccessLogService).

Each generated entry knows its truth: who, when, what, and which customer it is about (a
history read ``customer C1``, an LGPD export ``customer_id=C1``, or an export of a search,
about no single customer). The oracle filters on that truth, not on the query text; the
service must agree, page by page, and the pages must add up to the whole filtered log.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from _support.access_log_read import ADMIN, NOW, event, log_world
from _support.sac import KEYS
from _support.strategies import examples
from otocore.adapters.memory import InMemoryDatabase
from otocore.history import AccessAction, AccessEntry, AccessEvent, verify_access_log

T0 = datetime(2026, 10, 1, tzinfo=UTC)
ACTORS = ("u-sac", "u-admin", "u-gerente")
# C1 and C10 (a prefix); a CPF as an id (masked in the log, on both sides); a spaced id
CUSTOMERS = ("C1", "C10", "52998224725", "cliente 7")
SEARCHES = ("name = ana", "cpf = 111.444.777-35", "", "customer_ids in (C1)", "C1", "customerC1")


@attrs.frozen
class Truth:
    actor: str
    at: datetime
    action: AccessAction
    customer: str | None
    event: AccessEvent


@st.composite
def truths(draw: st.DrawFn) -> Truth:
    actor = draw(st.sampled_from(ACTORS))
    at = T0 + timedelta(minutes=draw(st.integers(0, 60 * 24 * 10)))
    action = draw(
        st.sampled_from([a for a in AccessAction if a is not AccessAction.ACCESS_LOG_READ])
    )
    customer: str | None = None
    if action is AccessAction.HISTORY_READ:
        customer = draw(st.sampled_from(CUSTOMERS))
        query = f"customer {customer}"
    elif action is AccessAction.SUBJECT_DATA_EXPORTED:
        customer = draw(st.sampled_from(CUSTOMERS))
        query = f"customer_id={customer}"
    else:
        query = draw(st.sampled_from(SEARCHES))
    ev = event(action, actor=actor, at=at, query=query, customers=draw(st.integers(0, 5)))
    return Truth(actor=actor, at=at, action=action, customer=customer, event=ev)


_instants = st.none() | st.integers(0, 60 * 24 * 10).map(lambda m: T0 + timedelta(minutes=m))


@st.composite
def filters(draw: st.DrawFn) -> dict[str, object]:
    since, until = draw(_instants), draw(_instants)
    if since is not None and until is not None and until <= since:
        since = None
    return {
        "since": since,
        "until": until,
        "account": draw(st.none() | st.sampled_from((*ACTORS, "u-ninguem"))),
        "action": draw(st.none() | st.sampled_from(list(AccessAction))),
        "customer_id": draw(st.none() | st.sampled_from((*CUSTOMERS, "C", "cliente"))),
    }


def _by_hand(truth: Truth, f: dict[str, object]) -> bool:
    since, until = f["since"], f["until"]
    return (
        (since is None or truth.at >= since)  # type: ignore[operator]
        and (until is None or truth.at < until)  # type: ignore[operator]
        and (f["account"] is None or truth.actor == f["account"])
        and (f["action"] is None or truth.action is f["action"])
        and (f["customer_id"] is None or truth.customer == f["customer_id"])
    )


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
        e for e, t in zip(stored, log, strict=True) if e.sequence > after and _by_hand(t, wanted)
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
    expected = [e for e, t in zip(stored, log, strict=True) if _by_hand(t, bounded)]
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
