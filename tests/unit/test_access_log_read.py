"""Reading the data-access log (otocore.privacy.AccessLogService; issue 15, "Exports with an
access log": the log "which users with the right role can read"), on the memory store: who may
read it, the read written to the log and audited, the filters and pages, CPFs masked."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import attrs
import pytest

from _support.access_log_read import (
    ADMIN,
    APPROVER,
    CPF,
    CPF_DIGITS,
    MANAGER,
    NOW,
    SAC,
    SELLER,
    LogWorld,
    event,
    log_world,
    texts,
)
from _support.sac import KEYS
from otocore.access import PERMISSIONS, Action, Principal, Target, is_allowed, verify_audit_log
from otocore.adapters.memory import InMemoryDatabase
from otocore.auth import Role
from otocore.clock import FixedClock
from otocore.errors import ConfigurationError, PermissionDenied, ValidationError
from otocore.history import AccessAction, AccessEntry, verify_access_log
from otocore.privacy import (
    MAX_ACCESS_LOG_PAGE,
    AccessLogFilter,
    AccessLogPage,
    AccessLogService,
)

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def world() -> LogWorld:
    return log_world(InMemoryDatabase(log_keys=KEYS).unit_of_work)


def _seed(world: LogWorld) -> list[AccessEntry]:
    return world.append(
        event(AccessAction.EXPORT_REQUESTED, at=T0, query=f"cpf = {CPF}", customers=1),
        event(AccessAction.HISTORY_READ, at=T0 + timedelta(hours=1), query="customer C1"),
        event(
            AccessAction.SUBJECT_DATA_EXPORTED,
            actor="u-admin",
            at=T0 + timedelta(hours=2),
            query="customer_id=C10",
            customers=1,
        ),
        event(AccessAction.EXPORT_DOWNLOADED, at=T0 + timedelta(hours=3), query="name = ana silva"),
        event(
            AccessAction.HISTORY_READ, at=T0 + timedelta(hours=4), query=f"customer {CPF_DIGITS}"
        ),
    )


# who may read ------------------------------------------------------------------------


def test_only_brand_admins_hold_read_access_log() -> None:
    holders = {role for role, actions in PERMISSIONS.items() if Action.READ_ACCESS_LOG in actions}
    assert holders == {Role.BRAND_ADMIN}
    assert not any(is_allowed(p, Action.READ_ACCESS_LOG, _TARGET) for p in (SAC, MANAGER, SELLER))


_TARGET = Target(account_id="lgpd:access_log")


def test_a_brand_admin_reads_the_log_oldest_first(world: LogWorld) -> None:
    stored = _seed(world)
    page = world.service.read(ADMIN)
    assert page == AccessLogPage(entries=tuple(stored), next_after=None)
    assert [e.sequence for e in page.entries] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize(
    ("who", "role"),
    [(SAC, "call_center"), (MANAGER, "store_manager"), (SELLER, "seller"), (APPROVER, "order")],
)
def test_the_other_roles_are_refused_and_only_the_denial_is_written(
    world: LogWorld, who: Principal, role: str
) -> None:
    _seed(world)
    before = world.access_log()
    with pytest.raises(PermissionDenied, match=f"{role}.* may not read_access_log") as caught:
        world.service.read(who, customer_id="C1")
    assert "no role of" in str(caught.value)
    assert world.access_log() == before  # no access_log_read entry
    (denied,) = world.audit()
    assert denied[:3] == (who.account_id, "read_access_log", "denied")


def test_an_unknown_or_inactive_account_is_refused(world: LogWorld) -> None:
    ghost = Principal(account_id="u-ghost", roles={Role.BRAND_ADMIN})
    with pytest.raises(PermissionDenied, match="does not exist"):
        world.service.read(ghost)
    with world.unit_of_work().writing() as uow:
        account = uow.accounts.get("u-admin")
        uow.accounts.save(attrs.evolve(account, state=attrs.evolve(account.state, active=False)))
    with pytest.raises(PermissionDenied, match="inactive"):
        world.service.read(ADMIN)
    assert world.access_log() == []
    assert [a[2] for a in world.audit()] == ["denied", "denied"]


def test_the_roles_are_read_from_the_store_not_from_the_principal(world: LogWorld) -> None:
    forged = Principal(account_id="u-sac", roles={Role.BRAND_ADMIN})  # claims admin
    with pytest.raises(PermissionDenied, match="no role of call_center grants read_access_log"):
        world.service.read(forged)
    assert world.access_log() == []


# the read is logged and audited ------------------------------------------------------


def test_every_read_is_written_to_the_access_log_and_the_audit_log(world: LogWorld) -> None:
    _seed(world)
    page = world.service.read(
        ADMIN, action=AccessAction.HISTORY_READ, since=T0, until=T0 + timedelta(days=1), limit=1
    )
    assert [e.sequence for e in page.entries] == [2]
    assert page.next_after == 2
    read = world.access_log()[-1]
    assert (read.sequence, read.actor, read.at, read.action) == (
        6,
        "u-admin",
        NOW,
        AccessAction.ACCESS_LOG_READ,
    )
    assert read.query == (
        "since=2026-11-01T12:00:00Z until=2026-11-02T12:00:00Z action=history_read; after=0 limit=1"
    )
    assert (read.customers, read.detail) == (0, "1 entries read; more after 2")
    (allowed,) = world.audit()
    assert allowed[:3] == ("u-admin", "read_access_log", "allowed")
    assert allowed[3] == f"data-access log read ({read.query}): 1 entries read; more after 2"


def test_the_page_does_not_hold_its_own_read_but_the_next_read_sees_it(world: LogWorld) -> None:
    first = world.service.read(ADMIN)
    assert first.entries == ()
    second = world.service.read(ADMIN)
    assert [(e.sequence, e.action, e.query) for e in second.entries] == [
        (1, AccessAction.ACCESS_LOG_READ, "all; after=0 limit=100")
    ]
    assert second.entries[0].detail == "0 entries read"


def test_a_read_filtered_by_customer_counts_one_customer_and_is_found_by_that_customer(
    world: LogWorld,
) -> None:
    _seed(world)
    world.service.read(ADMIN, customer_id="C1")
    read = world.access_log()[-1]
    assert (read.query, read.customers) == ("customer_id=C1; after=0 limit=100", 1)
    later = world.service.read(ADMIN, customer_id="C1")
    assert [e.sequence for e in later.entries] == [2, read.sequence]


def test_the_chain_still_verifies_after_reads(world: LogWorld) -> None:
    _seed(world)
    for _ in range(3):
        world.service.read(ADMIN, limit=2)
    with pytest.raises(PermissionDenied, match="read_access_log"):
        world.service.read(SAC)
    log = world.access_log()
    assert len(log) == 8
    assert verify_access_log(log, keys=KEYS).ok
    with world.unit_of_work() as uow:
        assert verify_audit_log(list(uow.audit.iter_all()), keys=KEYS).ok


def test_a_store_without_log_keys_refuses_and_the_failure_is_audited() -> None:
    world = log_world(InMemoryDatabase().unit_of_work)
    with pytest.raises(ConfigurationError, match="log key"):
        world.service.read(ADMIN)
    assert [a[:3] for a in world.audit()] == [("u-admin", "read_access_log", "failed")]


# CPFs stay masked ----------------------------------------------------------------------


def test_a_cpf_in_a_query_never_comes_back_in_clear(world: LogWorld) -> None:
    _seed(world)
    page = world.service.read(ADMIN)
    shown = texts(page.entries)
    assert "***.982.247-**" in shown
    assert "***982247**" in shown
    for clear in (CPF, CPF_DIGITS, "529.982.247", "247-25"):
        assert clear not in shown


def test_a_cpf_typed_as_the_customer_filter_is_masked_in_the_log_and_the_audit(
    world: LogWorld,
) -> None:
    _seed(world)
    page = world.service.read(ADMIN, customer_id=CPF_DIGITS)
    assert [e.sequence for e in page.entries] == [5]  # stored as "customer ***982247**"
    log = world.access_log()
    audit = " ".join(a[3] for a in world.audit())
    for text in (texts(log), audit):
        assert CPF_DIGITS not in text
        assert "customer_id=***982247**" in text


# filters and pages ---------------------------------------------------------------------


def test_each_filter(world: LogWorld) -> None:
    _seed(world)

    def seqs(**kwargs: object) -> list[int]:
        return [e.sequence for e in world.service.read(ADMIN, **kwargs).entries]  # type: ignore[arg-type]

    assert seqs(account="u-admin") == [3]
    assert seqs(account="u-nobody") == []
    assert seqs(action=AccessAction.EXPORT_DOWNLOADED) == [4]
    assert seqs(since=T0 + timedelta(hours=3), until=T0 + timedelta(days=1)) == [4, 5]
    assert seqs(since=NOW) == [6, 7, 8, 9]  # the four reads above, dated now
    assert seqs(until=T0 + timedelta(hours=1)) == [1]  # until is exclusive
    assert seqs(since=T0 + timedelta(hours=1), until=T0 + timedelta(hours=2)) == [2]
    assert seqs(customer_id="C1") == [2]  # not C10
    assert seqs(customer_id="C10") == [3]
    assert seqs(customer_id="C") == []
    assert seqs(customer_id="ana") == []  # an export's search is not a customer
    assert seqs(customer_id="C1", action=AccessAction.SUBJECT_DATA_EXPORTED) == []


def test_keyset_pages_cover_the_log_once_in_order(world: LogWorld) -> None:
    stored = _seed(world)
    seen: list[AccessEntry] = []
    after = 0
    while True:
        page = world.service.read(ADMIN, after=after, limit=2, until=T0 + timedelta(days=1))
        seen.extend(page.entries)
        if page.next_after is None:
            break
        after = page.next_after
    assert seen == stored
    assert world.service.read(ADMIN, after=5, until=T0 + timedelta(days=1)).entries == ()


def test_a_full_last_page_says_there_is_no_more(world: LogWorld) -> None:
    _seed(world)
    page = world.service.read(ADMIN, limit=5)
    assert (len(page.entries), page.next_after) == (5, None)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": MAX_ACCESS_LOG_PAGE + 1}, "limit"),
        ({"limit": "10"}, "limit"),
        ({"after": -1}, "after"),
        ({"after": True}, "after"),
        ({"since": datetime(2026, 1, 1)}, "since"),  # naive: refused
        ({"since": NOW, "until": NOW}, "until"),
        ({"action": "history_read"}, "action"),
        ({"account": ""}, "account"),
        ({"customer_id": "x" * 101}, "customer_id"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    world: LogWorld, kwargs: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError, match=re.escape(field)) as caught:
        world.service.read(ADMIN, **kwargs)  # type: ignore[arg-type]
    assert caught.value.field.endswith(field)
    assert world.access_log() == []
    assert world.audit() == []


def test_the_service_checks_its_collaborators() -> None:
    with pytest.raises(ValidationError, match="unit_of_work"):
        AccessLogService(None, clock=FixedClock(NOW))  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="clock"):
        AccessLogService(InMemoryDatabase().unit_of_work, clock=None)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="actor"):
        AccessLogService(InMemoryDatabase().unit_of_work, clock=FixedClock(NOW)).read("u-admin")  # type: ignore[arg-type]


def test_the_filter_describes_itself_without_a_cpf() -> None:
    f = AccessLogFilter(
        since=datetime(2026, 6, 1, 3, tzinfo=UTC),
        account="u-ana",
        action=AccessAction.EXPORT_REQUESTED,
        customer_id=CPF,
    )
    assert f.describe() == (
        "since=2026-06-01T03:00:00Z account=u-ana action=export_requested"
        " customer_id=***.982.247-**"
    )
