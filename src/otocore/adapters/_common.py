"""Checks and orderings shared by every adapter, so they all behave the same."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from types import TracebackType
from typing import Any, Generic, Self, TypeVar

import attrs

from otocore.access import GENESIS_HASH, Action, AuditEntry, seal_entry
from otocore.auth import REDACTED, Account
from otocore.blocking import BlockEvent
from otocore.campaigns import Campaign
from otocore.consent import ConsentEvent
from otocore.contacts import Contact
from otocore.errors import ConfigurationError, RuleViolation, ValidationError
from otocore.history import AccessAction
from otocore.ledger import LogKeyring
from otocore.orders import Order
from otocore.portfolio import DailyRun
from otocore.privacy._store import DataSubjectRequestRepository
from otocore.repositories import (
    AccountRepository,
    AuditLogRepository,
    AuthTokenRepository,
    BlockRepository,
    CampaignRepository,
    CategoryRepository,
    ConsentRepository,
    ContactRepository,
    CustomerHistoryRepository,
    CustomerRepository,
    CustomerSearchRepository,
    DailyRunRepository,
    DataAccessLogRepository,
    ExportRepository,
    OrderRepository,
    OutcomeRepository,
    PortfolioRepository,
    RfvSnapshotRepository,
    SellerRepository,
    SellerWorkloadRepository,
    SequenceRepository,
    StoreRepository,
    SubjectDataRepository,
    SuggestionRepository,
    TelesalesRepository,
    UnitOfWorkError,
)
from otocore.rfv import RfvScore
from otocore.suggestions import SellerWorkload, Suggestion

T = TypeVar("T")

MAX_KEY_LENGTH = 100


def require(field: str, value: Any, cls: type[T]) -> T:
    """Return ``value`` if it is a ``cls``; else a ValidationError naming ``field``."""
    if not isinstance(value, cls):
        raise ValidationError(field, value, f"must be a {cls.__name__}")
    return value


def require_key(field: str, value: Any) -> str:
    """An id used as a key: a non-empty str of at most 100 characters."""
    if not isinstance(value, str) or not value:
        raise ValidationError(field, value, "must be a non-empty string")
    if len(value) > MAX_KEY_LENGTH:
        raise ValidationError(field, value, f"must be at most {MAX_KEY_LENGTH} characters")
    return value


def require_day(field: str, value: Any) -> date:
    """A calendar date, not a datetime."""
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ValidationError(field, value, "must be a datetime.date")
    return value


def require_since(value: Any) -> datetime | None:
    """``since`` of ``iter_all``: None or an aware datetime."""
    if value is None:
        return None
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise ValidationError("since", value, "must be a timezone-aware datetime or None")
    return value


def optional_enum(field: str, value: Any, cls: type[T]) -> T | None:
    """None or a member of enum ``cls``."""
    if value is None:
        return None
    return require(field, value, cls)


MAX_CENTS = 2**63 - 1
"""The largest amount, in centavos, a store keeps (a signed 64-bit integer)."""


def cents(field: str, amount: Decimal) -> int:
    """``amount`` (at most 2 places) in centavos; too large to store is a ValidationError."""
    value = int(amount.scaleb(2))
    if value > MAX_CENTS:
        raise ValidationError(
            field, amount, f"must be at most {Decimal(MAX_CENTS).scaleb(-2)} to be stored"
        )
    return value


def check_order(field: str, order: Any) -> Order:
    """An Order whose total the stores can keep."""
    checked = require(field, order, Order)
    cents(f"{field}.total", checked.total)
    return checked


def check_scores(as_of: Any, scores: Any) -> dict[str, RfvScore]:
    """Validate the arguments of ``RfvSnapshotRepository.save``; return a plain dict copy."""
    require_day("as_of", as_of)
    if not isinstance(scores, Mapping):
        raise ValidationError("scores", scores, "must be a mapping of customer id to RfvScore")
    out: dict[str, RfvScore] = {}
    for key, score in scores.items():
        require(f"scores[{key!r}]", score, RfvScore)
        if key != score.customer_id:
            raise ValidationError(f"scores[{key!r}]", score, "must be keyed by its own customer_id")
        out[key] = score
    return out


def check_sequence_value(value: Any) -> int:
    """A counter value: an int >= 0 (and within a signed 64-bit integer)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0 or value >= 2**63:
        raise ValidationError("value", value, "must be an integer >= 0 (and < 2**63)")
    return value


def require_instant(field: str, value: Any) -> datetime:
    """An aware datetime (an instant)."""
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise ValidationError(field, value, "must be a timezone-aware datetime")
    return value


Event = TypeVar("Event", ConsentEvent, BlockEvent)


def same_event(kind: str, stored: Event, new: Event) -> bool:
    """True if ``new`` repeats ``stored`` (same ``event_id``): append nothing.

    A different event under an ``event_id`` already stored is a RuleViolation.
    """
    if stored == new:
        return True
    raise RuleViolation(
        f"{kind} event_id {new.event_id!r} is already stored with different content;"
        " events are never replaced"
    )


def contact_taken(contact_id: str) -> RuleViolation:
    """The error of adding a contact whose id is already registered."""
    return RuleViolation(
        f"Contact {contact_id!r} is already registered; contacts are never replaced"
    )


def contact_sort_key(contact: Contact) -> tuple[datetime, str]:
    """The order of contact lists: ``(started_at, contact_id)``."""
    return (contact.started_at, contact.contact_id)


def campaign_sort_key(campaign: Campaign) -> tuple[int, str]:
    """The order of ``CampaignRepository.list``: ``(priority, campaign_id)``."""
    return (campaign.priority, campaign.campaign_id)


def optional_bool(field: str, value: Any) -> bool | None:
    """None, True or False."""
    if value is not None and not isinstance(value, bool):
        raise ValidationError(field, value, "must be True, False or None")
    return value


def check_day_suggestions(day: Any, suggestions: Any) -> list[Suggestion]:
    """Validate the arguments of ``SuggestionRepository.save_day``; return them as a list."""
    require_day("day", day)
    if isinstance(suggestions, str | bytes | Mapping) or not isinstance(suggestions, Iterable):
        raise ValidationError("suggestions", suggestions, "must be an iterable of Suggestion")
    out: list[Suggestion] = []
    seen: set[str] = set()
    for i, suggestion in enumerate(suggestions):
        require(f"suggestions[{i}]", suggestion, Suggestion)
        if suggestion.day != day:
            raise ValidationError(f"suggestions[{i}].day", suggestion.day, f"must be {day}")
        if suggestion.suggestion_id in seen:
            raise ValidationError(
                f"suggestions[{i}].customer_id",
                suggestion.customer_id,
                "must appear once a day (at most one suggestion per customer per day)",
            )
        seen.add(suggestion.suggestion_id)
        out.append(suggestion)
    return out


def suggestion_sort_key(suggestion: Suggestion) -> tuple[date, str, int, str]:
    """The order of suggestion lists: ``(day, seller_code, rank, suggestion_id)``."""
    return (suggestion.day, suggestion.seller_code, suggestion.rank, suggestion.suggestion_id)


def status_taken(suggestion_id: str, found: Any, expected: Any) -> RuleViolation:
    """The error of a compare-and-set of a suggestion's status that lost."""
    return RuleViolation(
        f"Suggestion {suggestion_id!r} is {found.value}, not {expected.value}:"
        " someone else moved it meanwhile"
    )


def check_workload(seller_code: Any, workload: Any) -> tuple[str, SellerWorkload]:
    """The arguments of ``SellerWorkloadRepository.set``."""
    return require_key("seller_code", seller_code), require("workload", workload, SellerWorkload)


def run_sort_key(run: DailyRun) -> tuple[date, datetime]:
    """The order of ``DailyRunRepository.list`` (ties keep insertion order)."""
    return (run.as_of, run.started_at)


def account_taken(what: str, value: str) -> RuleViolation:
    """The error of adding (or saving) an account whose id or e-mail another has."""
    return RuleViolation(f"an account with {what} {value!r} already exists")


def check_audit_successor(
    tail: AuditEntry | None, entry: Any, keys: LogKeyring | None = None
) -> AuditEntry:
    """``entry`` if it is the one that follows ``tail``, sealed with ``keys``; else an error.

    Returned as stored: an ``action`` given as the text of an
    :class:`~otocore.access.Action` comes back as that Action (the entry's
    hash is the same either way), as every store reads it back. With
    ``keys`` the entry is sealed (:func:`~otocore.access.seal_entry`) with the
    current key; without, it is stored unkeyed, which a log whose tail is
    keyed refuses (a ConfigurationError: the store was opened without its
    keys). An entry that already carries a MAC is refused: the store seals.
    """
    checked = require("entry", entry, AuditEntry)
    sequence = 1 if tail is None else tail.sequence + 1
    previous = GENESIS_HASH if tail is None else tail.entry_hash
    if checked.sequence != sequence or checked.previous_hash != previous:
        raise RuleViolation(
            f"audit entry {checked.sequence} does not follow the log's tail"
            f" (expected sequence {sequence} chained to its hash); the log is append-only"
        )
    if checked.mac is not None:
        raise ValidationError(
            "entry.mac", checked.mac, "must be None: the store seals the entry with its log key"
        )
    action = stored_action(checked.action)
    checked = checked if action is checked.action else attrs.evolve(checked, action=action)
    if keys is not None:
        return seal_entry(checked, tail=tail, key=keys.current_key)
    if tail is not None and tail.mac is not None:
        raise ConfigurationError(
            f"the audit log is keyed (its entry {tail.sequence} carries a MAC), but this store"
            " was opened without log keys; nothing was written: " + LOG_KEYS_HINT
        )
    return checked


LOG_KEYS_HINT = (
    "give the store its LogKeyring (open_database(..., log_keys=...);"
    " the command line reads OTOCORE_LOG_KEY or OTOCORE_LOG_KEY_FILE)"
)


def require_log_keys(keys: LogKeyring | None, log: str) -> LogKeyring:
    """The store's keyring; a ConfigurationError when it was opened without one."""
    if keys is None:
        raise ConfigurationError(
            f"the {log} is MAC-chained and this store was opened without log keys;"
            " nothing was written: " + LOG_KEYS_HINT
        )
    return keys


def token_hash_key(value: Any) -> str:
    """A token hash used as a key: 64 lowercase hex digits (never echoed back)."""
    ok = isinstance(value, str) and len(value) == 64 and set(value) <= set("0123456789abcdef")
    if not ok:
        raise ValidationError(
            "token_hash", REDACTED, "must be a SHA-256 digest as 64 lowercase hex digits"
        )
    return str(value)


def token_taken() -> RuleViolation:
    """The error of adding a token whose hash is already stored (the hash is not shown)."""
    return RuleViolation("this token is already stored; tokens are never replaced")


MAX_STORED_INT = 2**63 - 1
"""The largest integer a store keeps in a counter column (a signed 64-bit integer)."""


def check_account(field: str, account: Any) -> Account:
    """An Account the stores can keep (its failure count fits a signed 64-bit integer)."""
    checked = require(field, account, Account)
    if checked.state.failures > MAX_STORED_INT:
        raise ValidationError(
            f"{field}.state.failures",
            checked.state.failures,
            f"must be at most {MAX_STORED_INT} to be stored",
        )
    return checked


_ACTIONS = {action.value: action for action in Action}


def stored_action(value: Action | str) -> Action | str:
    """An audit entry's action as stores give it back: an Action when the text names one."""
    if isinstance(value, str):
        return _ACTIONS.get(value, value)
    return value


# the life cycle of a unit of work, shared by the adapters -----------------------

_NESTED = "this unit of work is already inside a `with` block; blocks do not nest"
_OUTSIDE = "repositories are only available inside `with uow:`"
_NO_BLOCK = "commit() and rollback() are only available inside `with uow:`"


class UnitOfWorkBase:
    """``with`` blocks, ``writing()``, ``commit()``/``rollback()`` over four primitives.

    Subclasses implement :meth:`_begin` (start a transaction; ``write`` asks
    for the write lock), :meth:`_commit`, :meth:`_rollback` and :meth:`_close`
    (release what the block held, after its last transaction ended).
    """

    _active: bool = False
    _write: bool = False
    _stores: StoreRepository
    _sellers: SellerRepository
    _customers: CustomerRepository
    _orders: OrderRepository
    _portfolio: PortfolioRepository
    _rfv: RfvSnapshotRepository
    _daily_runs: DailyRunRepository
    _sequences: SequenceRepository
    _consent: ConsentRepository
    _blocks: BlockRepository
    _contacts: ContactRepository
    _campaigns: CampaignRepository
    _suggestions: SuggestionRepository
    _workloads: SellerWorkloadRepository
    _outcomes: OutcomeRepository
    _telesales: TelesalesRepository
    _accounts: AccountRepository
    _tokens: AuthTokenRepository
    _audit: AuditLogRepository
    _categories: CategoryRepository  # issue 15, categories
    _exports: ExportRepository  # exports (issue 15)
    _customer_history: CustomerHistoryRepository
    _access_log: DataAccessLogRepository
    _customer_search: CustomerSearchRepository  # search (issue 15)
    _data_requests: DataSubjectRequestRepository  # data-subject requests (issue 15, SAC)
    _subject_data: SubjectDataRepository  # erasure (issue 15)

    def _begin(self, *, write: bool) -> None:
        raise NotImplementedError

    def _commit(self) -> None:
        raise NotImplementedError

    def _rollback(self) -> None:
        raise NotImplementedError

    def _close(self) -> None:
        raise NotImplementedError

    def _open(self, *, write: bool) -> None:
        if self._active:
            raise UnitOfWorkError(_NESTED)
        self._begin(write=write)
        self._active = True
        self._write = write

    def _check_active(self) -> None:
        if not self._active:
            raise UnitOfWorkError(_OUTSIDE)

    # repositories: each subclass sets these in __init__ -------------------------

    @property
    def stores(self) -> StoreRepository:
        """The stores."""
        self._check_active()
        return self._stores

    @property
    def sellers(self) -> SellerRepository:
        """The sellers."""
        self._check_active()
        return self._sellers

    @property
    def customers(self) -> CustomerRepository:
        """The customer records."""
        self._check_active()
        return self._customers

    @property
    def orders(self) -> OrderRepository:
        """The orders."""
        self._check_active()
        return self._orders

    @property
    def portfolio(self) -> PortfolioRepository:
        """The carteira assignments."""
        self._check_active()
        return self._portfolio

    @property
    def rfv(self) -> RfvSnapshotRepository:
        """The RFV snapshots."""
        self._check_active()
        return self._rfv

    @property
    def daily_runs(self) -> DailyRunRepository:
        """The daily job's log."""
        self._check_active()
        return self._daily_runs

    @property
    def sequences(self) -> SequenceRepository:
        """Named counters."""
        self._check_active()
        return self._sequences

    @property
    def consent(self) -> ConsentRepository:
        """The consent (opt-in/opt-out) log."""
        self._check_active()
        return self._consent

    @property
    def blocks(self) -> BlockRepository:
        """The blocked-CPF log."""
        self._check_active()
        return self._blocks

    @property
    def contacts(self) -> ContactRepository:
        """The contact log (registros de atendimento)."""
        self._check_active()
        return self._contacts

    @property
    def campaigns(self) -> CampaignRepository:
        """The campaigns."""
        self._check_active()
        return self._campaigns

    @property
    def suggestions(self) -> SuggestionRepository:
        """The daily suggestions."""
        self._check_active()
        return self._suggestions

    @property
    def workloads(self) -> SellerWorkloadRepository:
        """The sellers' workload figures (suggestion limiter overrides)."""
        self._check_active()
        return self._workloads

    @property
    def outcomes(self) -> OutcomeRepository:
        """Each customer's outcome (explanation) of the generated days."""
        self._check_active()
        return self._outcomes

    @property
    def telesales(self) -> TelesalesRepository:
        """The telesales carts and orders, with their items and histories."""
        self._check_active()
        return self._telesales

    @property
    def accounts(self) -> AccountRepository:
        """The login accounts."""
        self._check_active()
        return self._accounts

    @property
    def tokens(self) -> AuthTokenRepository:
        """The single-use recovery and PIN-setting tokens (hashes only)."""
        self._check_active()
        return self._tokens

    @property
    def audit(self) -> AuditLogRepository:
        """The audit log of management actions."""
        self._check_active()
        return self._audit

    # issue 15, categories
    @property
    def categories(self) -> CategoryRepository:
        """The customer categories and their members."""
        self._check_active()
        return self._categories

    # exports (issue 15) ---------------------------------------------------------

    @property
    def exports(self) -> ExportRepository:
        """The customer exports and their download links (hashes only)."""
        self._check_active()
        return self._exports

    # logs (issue 15) ---------------------------------------------------------------

    @property
    def customer_history(self) -> CustomerHistoryRepository:
        """The customer history (LGPD history of registry edits), MAC-chained."""
        self._check_active()
        return self._customer_history

    @property
    def access_log(self) -> DataAccessLogRepository:
        """The data-access log (exports, downloads, history reads), MAC-chained."""
        self._check_active()
        return self._access_log

    # search: the registry search (issue 15)
    @property
    def customer_search(self) -> CustomerSearchRepository:
        """The registry search over customers (CPF, RG, name, e-mail, mobile, card)."""
        self._check_active()
        return self._customer_search

    # data-subject requests (issue 15, SAC)
    @property
    def data_requests(self) -> DataSubjectRequestRepository:
        """The data-subject requests (LGPD art. 18), answered once."""
        self._check_active()
        return self._data_requests

    # erasure (issue 15): the LGPD anonymization and deletion steps
    @property
    def subject_data(self) -> SubjectDataRepository:
        """The steps that anonymize or delete a customer's rows (LGPD art. 16 and 18)."""
        self._check_active()
        return self._subject_data

    def __enter__(self) -> Self:
        self._open(write=False)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not self._active:
            raise UnitOfWorkError("__exit__ without a matching __enter__")
        try:
            if exc_type is None:
                self._commit()
            else:
                self._rollback()
        finally:
            self._active = False
            self._close()

    def writing(self) -> WritingBlock[Self]:
        """A block like ``with uow:`` that takes the write lock when it begins."""
        return WritingBlock(self)

    def commit(self) -> None:
        """Commit what the block wrote so far and start a new transaction."""
        if not self._active:
            raise UnitOfWorkError(_NO_BLOCK)
        self._commit()
        self._begin(write=self._write)

    def rollback(self) -> None:
        """Discard what the block wrote since it began (or the last commit)."""
        if not self._active:
            raise UnitOfWorkError(_NO_BLOCK)
        self._rollback()
        self._begin(write=self._write)


U = TypeVar("U", bound=UnitOfWorkBase)


class WritingBlock(Generic[U]):
    """The context manager returned by ``uow.writing()``."""

    def __init__(self, uow: U) -> None:
        self._uow = uow

    def __enter__(self) -> U:
        self._uow._open(write=True)
        return self._uow

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._uow.__exit__(exc_type, exc, tb)


# the data-access log's page (issue 15, locks) --------------------------------------


@attrs.frozen
class AccessPageQuery:
    """The checked arguments of ``DataAccessLogRepository.page``, the same on every store."""

    after: int
    limit: int
    since: datetime | None
    until: datetime | None
    account: str | None
    action: AccessAction | None
    query_contains: tuple[str, ...]


def access_page_query(
    after: Any,
    limit: Any,
    *,
    since: Any,
    until: Any,
    account: Any,
    action: Any,
    query_contains: Any,
) -> AccessPageQuery:
    """The arguments of a data-access log page, checked; a ValidationError names a bad one."""
    if isinstance(after, bool) or not isinstance(after, int) or not 0 <= after < 2**63:
        raise ValidationError("after", after, "must be an integer >= 0 (a sequence number)")
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ValidationError("limit", limit, "must be an integer >= 1")
    if account is not None and (not isinstance(account, str) or not 0 < len(account) <= 200):
        raise ValidationError("account", account, "must be a non-empty string of <= 200 characters")
    if isinstance(query_contains, str) or not isinstance(query_contains, Iterable):
        raise ValidationError(
            "query_contains", query_contains, "must be a sequence of texts (not one text)"
        )
    texts = tuple(query_contains)
    for i, text in enumerate(texts):
        if not isinstance(text, str) or not text or "\x00" in text:
            raise ValidationError(
                f"query_contains[{i}]", text, "must be a non-empty string without NUL"
            )
    return AccessPageQuery(
        after=after,
        limit=limit,
        since=None if since is None else require_instant("since", since),
        until=None if until is None else require_instant("until", until),
        account=account,
        action=optional_enum("action", action, AccessAction),
        query_contains=texts,
    )
