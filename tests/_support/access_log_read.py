"""The world of the data-access log read tests: a store with log keys, one account of each
role, and an :class:`~otocore.privacy.AccessLogService` over it (any of otocore's stores)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

import attrs
from hypothesis import strategies as st

from otocore.access import Principal
from otocore.auth import Account, Role, normalize_login_email
from otocore.clock import FixedClock
from otocore.history import AccessAction, AccessEntry, AccessEvent
from otocore.privacy import AccessLogService
from otocore.repositories import UnitOfWork

NOW = datetime(2026, 11, 2, 13, 0, tzinfo=UTC)
CPF = "529.982.247-25"
CPF_DIGITS = "52998224725"

ADMIN = Principal(account_id="u-admin", roles={Role.BRAND_ADMIN})
SAC = Principal(account_id="u-sac", roles={Role.CALL_CENTER})
MANAGER = Principal(account_id="u-gerente", roles={Role.STORE_MANAGER}, store_id="L01")
SELLER = Principal(account_id="u-vendedor", roles={Role.SELLER}, store_id="L01", seller_code="V01")
APPROVER = Principal(account_id="u-aprovador", roles={Role.ORDER_APPROVER})
EVERYONE = (ADMIN, SAC, MANAGER, SELLER, APPROVER)


@attrs.define
class LogWorld:
    unit_of_work: Callable[[], UnitOfWork]
    clock: FixedClock
    service: AccessLogService

    def append(self, *events: AccessEvent) -> list[AccessEntry]:
        with self.unit_of_work().writing() as uow:
            return [uow.access_log.append(e) for e in events]

    def access_log(self) -> list[AccessEntry]:
        with self.unit_of_work() as uow:
            return list(uow.access_log.iter_all())

    def audit(self) -> list[tuple[str, str, str, str]]:
        with self.unit_of_work() as uow:
            return [
                (e.actor, str(getattr(e.action, "value", e.action)), e.outcome.value, e.detail)
                for e in uow.audit.iter_all()
            ]


def log_world(unit_of_work: Callable[[], UnitOfWork], now: datetime = NOW) -> LogWorld:
    """Add one account of each role to the store behind ``unit_of_work``."""
    with unit_of_work().writing() as uow:
        for p in EVERYONE:
            uow.accounts.add(
                Account(
                    account_id=p.account_id,
                    email=normalize_login_email(f"{p.account_id}@example.com"),
                    roles=p.roles,
                    store_id=p.store_id,
                    seller_code=p.seller_code,
                )
            )
    clock = FixedClock(now)
    return LogWorld(
        unit_of_work=unit_of_work,
        clock=clock,
        service=AccessLogService(unit_of_work, clock=clock),
    )


def event(
    action: AccessAction,
    *,
    actor: str = "u-sac",
    at: datetime = NOW,
    query: str = "",
    customers: int = 0,
    detail: str = "",
) -> AccessEvent:
    return AccessEvent(
        actor=actor, at=at, action=action, query=query, customers=customers, detail=detail
    )


def texts(entries: Iterable[AccessEntry]) -> str:
    """Every text of ``entries`` together, to search for a CPF in clear."""
    return "\n".join(f"{e.actor} {e.query} {e.detail}" for e in entries)


# the property "a filtered page is the log filtered by hand" (tests/property and, on every
# store, tests/contract/test_access_log_read_stores.py): each entry knows its truth

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


def by_hand(truth: Truth, f: dict[str, object]) -> bool:
    since, until = f["since"], f["until"]
    return (
        (since is None or truth.at >= since)  # type: ignore[operator]
        and (until is None or truth.at < until)  # type: ignore[operator]
        and (f["account"] is None or truth.actor == f["account"])
        and (f["action"] is None or truth.action is f["action"])
        and (f["customer_id"] is None or truth.customer == f["customer_id"])
    )
