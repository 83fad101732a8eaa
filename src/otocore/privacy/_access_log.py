"""Leitura do registro de acesso a dados (reading the data-access log), role-gated and audited.

The issue on the customer registry ("Exports with an access log"): every export request
and download is written to a data-access log, "which users with the right role can read".
:class:`AccessLogService` is that reader. It is an audited action like the SAC's
(:class:`~otocore.privacy.PrivacyService`): the acting principal is re-read from the store
and authorized with ``read_access_log`` (:mod:`otocore.access`: brand admins only; the call
center, whose own history reads and exports the log records, may not read it), and one
audit entry (ALLOWED, DENIED or FAILED) is written. An allowed read also appends an
``access_log_read`` entry to the data-access log itself (who, which filter, how many
entries), in the same transaction; a refused one writes only its DENIED audit entry.

The entries come back oldest first, a page at a time: keyset paging by sequence number
(``after``: the last sequence of the previous page), read from the store's keyed page
(:meth:`~otocore.repositories.DataAccessLogRepository.page`, whose SQL filters the log by
instant, account and action), the customer filter's boundaries checked here. CPFs in them are masked, as they were
when written (:func:`~otocore.history.mask_cpfs`), and the filter the reader typed is masked
in the log and in the audit entry too.

>>> from datetime import UTC, datetime
>>> from otocore.history import AccessAction
>>> f = AccessLogFilter(action=AccessAction.HISTORY_READ, customer_id="C1")
>>> f.describe()
'action=history_read customer_id=C1'
>>> AccessLogFilter(since=datetime(2026, 6, 2, tzinfo=UTC), until=datetime(2026, 6, 1, tzinfo=UTC))
Traceback (most recent call last):
...
otocore.errors.ValidationError: until must be after since (2026-06-02T00:00:00+00:00), got datetime.datetime(2026, 6, 1, 0, 0, tzinfo=datetime.timezone.utc)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

import attrs

from otocore import _validate as v
from otocore.access import Action, Principal, Target
from otocore.accounts._audit import Audited, require_principal
from otocore.clock import Clock
from otocore.errors import ValidationError
from otocore.history import AccessAction, AccessEntry, AccessEvent, mask_cpfs
from otocore.repositories import UnitOfWork

__all__ = [
    "ACCESS_LOG_PAGE",
    "MAX_ACCESS_LOG_PAGE",
    "AccessLogFilter",
    "AccessLogPage",
    "AccessLogService",
]

ACCESS_LOG_PAGE = 100
"""How many entries a read returns when no ``limit`` is given."""

MAX_ACCESS_LOG_PAGE = 1000
"""The largest ``limit`` of one read."""

_ACCESS_LOG_TARGET = Target(account_id="lgpd:access_log")
_BOUNDARY_BEFORE = r"(?:^|(?<=[\s;,]))"
_BOUNDARY_AFTER = r"(?=$|;)"


def _stamp(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@attrs.frozen(kw_only=True)
class AccessLogFilter:
    """Which entries of the data-access log to read; every field given must match.

    * ``since`` (inclusive) and ``until`` (exclusive): aware instants bounding ``at``;
    * ``account``: the acting account's id (``entry.actor``);
    * ``action``: an :class:`~otocore.history.AccessAction`;
    * ``customer_id``: the entries that name that customer in their query: a history
      read (``customer C1``), an LGPD export of the customer's data (``customer_id=C1``)
      and a read of this log filtered by that customer (``customer_id=C1; ...``): the
      name preceded by the start of the query or a space, ``;`` or ``,``, and followed by
      its end or ``;`` (so ``C1`` does not match ``C10``, nor ``cliente`` ``cliente 7``). An export of a search is not matched: the log keeps its
      query, not the customers it found. A CPF in the query was masked when written, so
      the customer's id is masked the same way before it is compared (two customers whose
      ids are CPFs with the same six middle digits match each other's entries).

    >>> from otocore.history import AccessEntry
    >>> e = AccessEntry(
    ...     sequence=1,
    ...     actor="u-sac",
    ...     at=datetime(2026, 6, 1, 12, tzinfo=UTC),
    ...     action=AccessAction.HISTORY_READ,
    ...     query="customer C1",
    ...     customers=1,
    ...     key_id="k1",
    ...     mac="0" * 64,
    ... )
    >>> AccessLogFilter(customer_id="C1").matches(e), AccessLogFilter(customer_id="C").matches(e)
    (True, False)
    >>> AccessLogFilter(account="u-admin").matches(e)
    False
    """

    since: datetime | None = attrs.field(default=None, converter=v.instant)  # type: ignore[misc]
    until: datetime | None = attrs.field(default=None, converter=v.instant)  # type: ignore[misc]
    account: str | None = attrs.field(default=None, validator=v.optional_text(200))
    action: AccessAction | None = attrs.field(
        default=None, validator=attrs.validators.optional(v.member_of(AccessAction))
    )
    customer_id: str | None = attrs.field(default=None, validator=v.optional_text(100))
    _customer: re.Pattern[str] | None = attrs.field(init=False, repr=False, eq=False, default=None)
    # what a query naming the customer contains: the store's filter, checked exactly by matches
    _needles: tuple[str, ...] = attrs.field(init=False, repr=False, eq=False, default=())

    def __attrs_post_init__(self) -> None:
        if self.since is not None and self.until is not None and self.until <= self.since:
            raise ValidationError(
                "until", self.until, f"must be after since ({self.since.isoformat()})"
            )
        if self.customer_id is not None:
            needles = tuple(
                mask_cpfs(f"{prefix}{self.customer_id}") for prefix in ("customer ", "customer_id=")
            )
            names = "|".join(re.escape(needle) for needle in needles)
            pattern = re.compile(f"{_BOUNDARY_BEFORE}(?:{names}){_BOUNDARY_AFTER}")
            object.__setattr__(self, "_customer", pattern)
            object.__setattr__(self, "_needles", needles)

    def matches(self, entry: AccessEntry) -> bool:
        """Whether ``entry`` passes every condition of the filter.

        >>> AccessLogFilter().matches(None)
        Traceback (most recent call last):
        ...
        otocore.errors.ValidationError: entry must be an AccessEntry, got None
        """
        v.require_instance("entry", entry, AccessEntry, rule="must be an AccessEntry")
        if self.since is not None and entry.at < self.since:
            return False
        if self.until is not None and entry.at >= self.until:
            return False
        if self.account is not None and entry.actor != self.account:
            return False
        if self.action is not None and entry.action is not self.action:
            return False
        return self._customer is None or self._customer.search(entry.query) is not None

    def describe(self) -> str:
        """The filter as the log and the audit entry record it (CPFs masked); ``all`` for none.

        >>> AccessLogFilter(account="u-ana", customer_id="529.982.247-25").describe()
        'account=u-ana customer_id=***.982.247-**'
        >>> AccessLogFilter().describe()
        'all'
        """
        parts = []
        if self.since is not None:
            parts.append(f"since={_stamp(self.since)}")
        if self.until is not None:
            parts.append(f"until={_stamp(self.until)}")
        if self.account is not None:
            parts.append(f"account={self.account}")
        if self.action is not None:
            parts.append(f"action={self.action.value}")
        if self.customer_id is not None:
            parts.append(f"customer_id={self.customer_id}")
        return mask_cpfs(" ".join(parts)) if parts else "all"


@attrs.frozen(kw_only=True)
class AccessLogPage:
    """One page of the data-access log: its entries, oldest first, and where the next starts.

    ``next_after`` is the sequence to pass as ``after`` for the next page, or ``None`` when
    no matching entry follows this page.

    >>> AccessLogPage(entries=(), next_after=None).entries
    ()
    >>> AccessLogPage(entries=(), next_after=0)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: AccessLogPage.next_after must be >= 1, got 0
    """

    entries: tuple[AccessEntry, ...] = attrs.field(converter=v.list_to_tuple)
    next_after: int | None = attrs.field(default=None, validator=v.optional_integer(min_value=1))

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.entries, tuple):
            raise ValidationError(
                "AccessLogPage.entries", self.entries, "must be a tuple of AccessEntry"
            )
        for i, entry in enumerate(self.entries):
            v.require_instance(f"AccessLogPage.entries[{i}]", entry, AccessEntry)


class AccessLogService(Audited):
    """Read the data-access log: role-gated (``read_access_log``), audited, itself logged.

    Args:
        unit_of_work: a callable returning a new unit of work (``db.unit_of_work``); the
            store must be opened with log keys (the read appends to the log).
        clock: the clock that dates the read.

    >>> from otocore.accounts import AccountService, SecurityPolicy
    >>> from otocore.adapters.mail import InMemoryMailer
    >>> from otocore.adapters.memory import InMemoryDatabase
    >>> from otocore.auth import SecretHasher
    >>> from otocore.clock import FixedClock
    >>> from otocore.ledger import LogKey, LogKeyring
    >>> db = InMemoryDatabase(log_keys=LogKeyring.of(LogKey(key_id="k1", secret=bytes(32))))
    >>> clock = FixedClock(datetime(2026, 11, 2, 13, tzinfo=UTC))
    >>> accounts = AccountService(
    ...     db.unit_of_work,
    ...     mailer=InMemoryMailer(),
    ...     clock=clock,
    ...     policy=SecurityPolicy(app_url="https://app.example.com"),
    ...     hasher=SecretHasher.insecure_for_tests(),
    ... )
    >>> admin = accounts.principal_for(
    ...     accounts.create_first_admin(
    ...         email="dpo@example.com", password="cavalo correto bateria grampo", pin="482913"
    ...     ).account_id
    ... )
    >>> with db.unit_of_work().writing() as uow:
    ...     _ = uow.access_log.append(
    ...         AccessEvent(
    ...             actor="u-sac",
    ...             at=datetime(2026, 11, 2, 12, tzinfo=UTC),
    ...             action=AccessAction.EXPORT_REQUESTED,
    ...             query="cpf = 529.982.247-25",
    ...             customers=1,
    ...         )
    ...     )
    >>> log = AccessLogService(db.unit_of_work, clock=clock)
    >>> page = log.read(admin, action=AccessAction.EXPORT_REQUESTED)
    >>> [(e.sequence, e.actor, e.query) for e in page.entries], page.next_after
    ([(1, 'u-sac', 'cpf = ***.982.247-**')], None)
    >>> with db.unit_of_work() as uow:
    ...     read = uow.access_log.tail()
    >>> read.action.value, read.query, read.detail
    ('access_log_read', 'action=export_requested; after=0 limit=100', '1 entries read')
    """

    def __init__(self, unit_of_work: Callable[[], UnitOfWork], *, clock: Clock) -> None:
        self._bind(unit_of_work, clock)

    def read(
        self,
        actor: Principal,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        account: str | None = None,
        action: AccessAction | None = None,
        customer_id: str | None = None,
        after: int = 0,
        limit: int = ACCESS_LOG_PAGE,
    ) -> AccessLogPage:
        """The entries matching the filter (:class:`AccessLogFilter`) after ``after``, oldest first.

        At most ``limit`` (1 to :data:`MAX_ACCESS_LOG_PAGE`) entries whose sequence is
        greater than ``after``. The read is appended to the data-access log
        (``access_log_read``: the reader, the filter and the page as ``query``, 1 customer
        when filtered by customer else 0, how many entries as ``detail``) and audited
        (``read_access_log``), in one transaction; the page does not hold that new entry.

        Raises:
            ValidationError: a bad filter, ``after`` or ``limit``, naming it; nothing is
                written.
            PermissionDenied: the actor may not read the log (logged DENIED in the audit
                log; nothing is written to the data-access log).
            ConfigurationError: the store was opened without log keys.
        """
        who = require_principal(actor)
        wanted = AccessLogFilter(
            since=since, until=until, account=account, action=action, customer_id=customer_id
        )
        start = v.require_int("after", after, min_value=0)
        size = v.require_int("limit", limit, min_value=1, max_value=MAX_ACCESS_LOG_PAGE)
        described = f"{wanted.describe()}; after={start} limit={size}"

        def work(uow: UnitOfWork, now: datetime) -> AccessLogPage:
            found = _matching(uow, wanted, start, size + 1)  # one more: is there a next page?
            more = len(found) > size
            found = found[:size]
            page = AccessLogPage(
                entries=tuple(found), next_after=found[-1].sequence if more else None
            )
            uow.access_log.append(
                AccessEvent(
                    actor=who.account_id,
                    at=now,
                    action=AccessAction.ACCESS_LOG_READ,
                    query=described,
                    customers=0 if wanted.customer_id is None else 1,
                    detail=_read_detail(page),
                )
            )
            return page

        return self._audited(
            who,
            [Action.READ_ACCESS_LOG],
            locate=lambda uow: _ACCESS_LOG_TARGET,
            fallback=_ACCESS_LOG_TARGET,
            work=work,
            detail=lambda page: mask_cpfs(
                f"data-access log read ({described}): {_read_detail(page)}"
            ),
        )


def _matching(
    uow: UnitOfWork, wanted: AccessLogFilter, after: int, count: int
) -> list[AccessEntry]:
    """The first ``count`` entries after ``after`` that ``wanted`` matches, in sequence order.

    The store's keyed page (:meth:`~otocore.repositories.DataAccessLogRepository.page`)
    applies ``since``, ``until``, ``account`` and ``action``, and keeps the entries whose
    query contains the customer's names; whether a name stands between the boundaries of
    :class:`AccessLogFilter` (``C1`` is not ``C10``) is checked here, by ``matches``, on
    every entry the store returns. Without a customer filter one page of the store is
    the answer; with one, pages of at least ``_SCAN`` entries are read until enough match.
    """
    batch = count if not wanted._needles else max(count, _SCAN)
    found: list[AccessEntry] = []
    while True:
        chunk = uow.access_log.page(
            after,
            batch,
            since=wanted.since,
            until=wanted.until,
            account=wanted.account,
            action=wanted.action,
            query_contains=wanted._needles,
        )
        for entry in chunk:
            if wanted.matches(entry):
                found.append(entry)
                if len(found) == count:
                    return found
        if len(chunk) < batch:
            return found
        after = chunk[-1].sequence


_SCAN = 500  # entries per store page while a customer filter is checked here


def _read_detail(page: AccessLogPage) -> str:
    more = "" if page.next_after is None else f"; more after {page.next_after}"
    return f"{len(page.entries)} entries read{more}"
