"""Repositórios e unidade de trabalho (repositories and the unit of work): how state is kept.

Rules in otocore are pure functions over value types; the state they read and
write (stores, sellers, the cadastro of customers, orders, the carteira, RFV
snapshots, the daily job's log, the opt-in/opt-out and blocked-CPF logs, the
contact log, campaigns, the daily suggestions and the sellers' workload
figures) lives behind the :class:`typing.Protocol` classes of this module. Services take a :class:`UnitOfWork`, open a block,
read through its repositories, call the rules and write the results back. The
shape is the "cosmic python" repository and unit of work; the seeds
(``oto-faq.txt``, ``oto-managers-and-campaigns.txt``,
``reshop-customers-module.txt``) describe the records kept.

Two adapters implement the protocols: :mod:`otocore.adapters.memory` (a real,
transactional fake for tests and small tools) and :mod:`otocore.adapters.sql`
(SQLite or PostgreSQL through SQLAlchemy Core). Both pass the same contract
suite, shipped as :mod:`otocore.testing.storage` so your own repositories can
be checked against it.

**The unit of work.** Everything written inside one ``with uow:`` block
commits together when the block exits cleanly, or not at all when an exception
leaves it (the exception propagates). Reads inside the block see the block's
own writes. :meth:`UnitOfWork.commit` and :meth:`UnitOfWork.rollback` give
explicit control inside a block: each ends the current transaction and starts
a new one in the same block. Repositories are reachable only inside a block;
entering a block that is already open, or touching a repository outside one,
raises :class:`UnitOfWorkError`.

**The write lock.** A block that reads a value and writes a new one computed
from it (a counter, a state transition such as a login-failure count) must
not lose a concurrent update. Open such a block with
``with uow.writing():``: it takes the write lock up front. Writing blocks of
one database run one at a time (SQLite ``BEGIN IMMEDIATE``; a PostgreSQL
transaction-level advisory lock), and on PostgreSQL every row a repository
reads in the block is also locked ``FOR UPDATE`` until the block ends.
Plain ``with uow:`` blocks do not wait for the lock; use them for reads and
blind writes (imports, upserts).

>>> from datetime import UTC, datetime
>>> from decimal import Decimal
>>> from otocore.adapters.memory import InMemoryUnitOfWork
>>> from otocore.orders import Order
>>> uow = InMemoryUnitOfWork()
>>> with uow:
...     uow.orders.add(
...         Order(
...             order_id="P1",
...             customer_id="C1",
...             store_id="L01",
...             placed_at=datetime(2026, 5, 10, 18, 30, tzinfo=UTC),
...             total=Decimal("199.90"),
...             seller_code="V01",
...         )
...     )
>>> with uow:
...     print(*(o.total for o in uow.orders.for_customer("C1")))
199.90

An exception inside the block leaves nothing behind:

>>> import attrs
>>> try:
...     with uow:
...         uow.orders.add(attrs.evolve(uow.orders.get("P1"), order_id="P2"))
...         raise RuntimeError("boom")
... except RuntimeError:
...     pass
>>> with uow:
...     uow.orders.count()
1
>>> with uow:
...     uow.orders.get("P9")
Traceback (most recent call last):
...
otocore.errors.NotFound: Order 'P9' not found
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from datetime import date, datetime
from types import TracebackType
from typing import TYPE_CHECKING, Protocol, Self

from otocore.errors import OtocoreError

if TYPE_CHECKING:  # annotations only: importing the protocols loads no domain module
    from otocore.access import AuditEntry
    from otocore.auth import Account, AccountToken, Role, TokenPurpose
    from otocore.blocking import BlockEvent
    from otocore.campaigns import Campaign
    from otocore.consent import ConsentEvent
    from otocore.contacts import Contact, SuggestionStatus
    from otocore.customers import Cpf, Customer, Email
    from otocore.orders import Order
    from otocore.portfolio import AssignmentReason, DailyRun, PortfolioAssignment
    from otocore.rfv import RfvScore
    from otocore.sellers import Seller, SellerStatus, Store
    from otocore.suggestions import SellerWorkload, Suggestion

__all__ = [
    "AccountRepository",
    "AuditLogRepository",
    "AuthTokenRepository",
    "BlockRepository",
    "CampaignRepository",
    "ConsentRepository",
    "ContactRepository",
    "CustomerRepository",
    "DailyRunRepository",
    "OrderRepository",
    "PortfolioRepository",
    "RfvSnapshotRepository",
    "SellerRepository",
    "SellerWorkloadRepository",
    "SequenceRepository",
    "StoreRepository",
    "SuggestionRepository",
    "UnitOfWork",
    "UnitOfWorkError",
]


class UnitOfWorkError(OtocoreError, RuntimeError):
    """A unit of work used the wrong way: nested blocks, or a repository outside a block.

    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> uow = InMemoryUnitOfWork()
    >>> uow.orders
    Traceback (most recent call last):
    ...
    otocore.repositories.UnitOfWorkError: repositories are only available inside `with uow:`
    """


class StoreRepository(Protocol):
    """Lojas (stores), keyed by ``store_id``.

    >>> from otocore.sellers import Store
    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> uow = InMemoryUnitOfWork()
    >>> with uow:
    ...     uow.stores.add(Store(store_id="L02", name="Shopping Norte"))
    ...     uow.stores.add(Store(store_id="L01", name="Loja Centro"))
    ...     print(*(s.store_id for s in uow.stores.list()))
    L01 L02
    """

    def add(self, store: Store) -> None:
        """Insert ``store``, or replace the store with the same ``store_id``."""

    def get(self, store_id: str) -> Store:
        """The store with this id; raises :class:`~otocore.errors.NotFound`."""

    def list(self) -> list[Store]:
        """Every store, sorted by ``store_id``."""


class SellerRepository(Protocol):
    """Vendedores (sellers), keyed by their seller ``code``.

    >>> from otocore.sellers import Seller, SellerStatus
    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> uow = InMemoryUnitOfWork()
    >>> with uow:
    ...     uow.sellers.add(Seller(code="V02", name="Bruno", store_id="L01"))
    ...     uow.sellers.add(
    ...         Seller(code="V01", name="Ana", store_id="L01", status=SellerStatus.INACTIVE)
    ...     )
    ...     print(*(s.code for s in uow.sellers.list(status=SellerStatus.ACTIVE)))
    V02
    """

    def add(self, seller: Seller) -> None:
        """Insert ``seller``, or replace the seller with the same ``code``."""

    def get(self, code: str) -> Seller:
        """The seller with this code; raises :class:`~otocore.errors.NotFound`."""

    def list(
        self, *, store_id: str | None = None, status: SellerStatus | None = None
    ) -> list[Seller]:
        """Sellers, optionally only those of ``store_id`` and/or with ``status``; sorted by code."""


class CustomerRepository(Protocol):
    """O cadastro (customer records), keyed by ``customer_id``.

    >>> from otocore.customers import Cpf, Customer
    >>> from datetime import UTC, datetime
    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> uow = InMemoryUnitOfWork()
    >>> ana = Customer(
    ...     customer_id="C1",
    ...     name="Ana",
    ...     registered_at=datetime(2026, 1, 1, tzinfo=UTC),
    ...     cpf=Cpf("52998224725"),
    ... )
    >>> with uow:
    ...     uow.customers.add(ana)
    ...     uow.customers.find_by_cpf(Cpf("52998224725")) == ana, uow.customers.count()
    (True, 1)
    """

    def add(self, customer: Customer) -> None:
        """Insert ``customer``, or replace the customer with the same ``customer_id``."""

    def get(self, customer_id: str) -> Customer:
        """The customer with this id; raises :class:`~otocore.errors.NotFound`."""

    def list(self) -> list[Customer]:
        """Every customer, sorted by ``customer_id``."""

    def find_by_cpf(self, cpf: Cpf) -> Customer | None:
        """The customer with this CPF, or ``None``.

        CPFs are not unique in real records (placeholders such as
        111.111.111-11 are shared), so when several customers have it, the one
        with the lowest ``customer_id`` is returned.
        """

    def count(self) -> int:
        """How many customers are stored."""


class OrderRepository(Protocol):
    """Pedidos (orders), keyed by ``order_id``.

    ``iter_all`` streams orders by ``(placed_at, order_id)``, oldest first,
    without loading them all; iterate it inside the block that opened it.

    >>> from otocore.orders import Order
    >>> from datetime import UTC, datetime
    >>> from decimal import Decimal
    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> uow = InMemoryUnitOfWork()
    >>> def order(n, day):
    ...     return Order(
    ...         order_id=f"P{n}",
    ...         customer_id="C1",
    ...         store_id="L01",
    ...         placed_at=datetime(2026, 5, day, tzinfo=UTC),
    ...         total=Decimal("10.5"),
    ...         seller_code=None,
    ...     )
    >>> with uow:
    ...     uow.orders.add_many([order(2, 3), order(1, 9)])
    ...     print(
    ...         *(o.order_id for o in uow.orders.iter_all(since=datetime(2026, 5, 5, tzinfo=UTC)))
    ...     )
    P1
    """

    def add(self, order: Order) -> None:
        """Insert ``order``, or replace the order with the same ``order_id``."""

    def add_many(self, orders: Iterable[Order]) -> None:
        """Insert or replace many orders at once (bulk import; consumed lazily, in chunks).

        If ``orders`` repeats an ``order_id``, the last one wins.
        """

    def get(self, order_id: str) -> Order:
        """The order with this id; raises :class:`~otocore.errors.NotFound`."""

    def for_customer(self, customer_id: str) -> list[Order]:
        """The customer's orders, sorted by ``(placed_at, order_id)``; empty if none."""

    def iter_all(self, *, since: datetime | None = None) -> Iterator[Order]:
        """Stream every order (placed at or after ``since``, if given) by ``(placed_at, order_id)``."""

    def count(self) -> int:
        """How many orders are stored."""


class PortfolioRepository(Protocol):
    """A carteira: the current :class:`~otocore.portfolio.PortfolioAssignment` of each customer.

    >>> from otocore.portfolio import AssignmentReason, PortfolioAssignment
    >>> from datetime import date
    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> uow = InMemoryUnitOfWork()
    >>> with uow:
    ...     uow.portfolio.set_many(
    ...         [
    ...             PortfolioAssignment(
    ...                 customer_id="C1",
    ...                 seller_code="V01",
    ...                 since=date(2026, 5, 10),
    ...                 reason=AssignmentReason.DAILY_RULE,
    ...             ),
    ...             PortfolioAssignment.unassigned("C2", since=date(2026, 5, 10)),
    ...         ]
    ...     )
    ...     print(*(a.customer_id for a in uow.portfolio.list(reason=AssignmentReason.NONE)))
    C2
    """

    def set(self, assignment: PortfolioAssignment) -> None:
        """Record ``assignment``, replacing the customer's previous one."""

    def set_many(self, assignments: Iterable[PortfolioAssignment]) -> None:
        """Record many assignments at once; for a repeated customer the last one wins."""

    def get(self, customer_id: str) -> PortfolioAssignment | None:
        """The customer's assignment, or ``None`` if the customer was never assigned."""

    def list(
        self, *, seller_code: str | None = None, reason: AssignmentReason | None = None
    ) -> list[PortfolioAssignment]:
        """Assignments, optionally only a seller's and/or with ``reason``; sorted by customer."""


class RfvSnapshotRepository(Protocol):
    """RFV scores as computed on a day: one snapshot per ``as_of`` date.

    >>> from otocore.rfv import RfvScore
    >>> from datetime import date
    >>> from decimal import Decimal
    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> score = RfvScore(
    ...     customer_id="C1",
    ...     recency_days=2,
    ...     frequency=4,
    ...     value=Decimal("1150.00"),
    ...     r=5,
    ...     f=5,
    ...     v=4,
    ...     segment="champions",
    ... )
    >>> uow = InMemoryUnitOfWork()
    >>> with uow:
    ...     uow.rfv.save(date(2026, 5, 10), {"C1": score})
    ...     uow.rfv.get(date(2026, 5, 10))["C1"] == score, uow.rfv.dates()
    (True, [datetime.date(2026, 5, 10)])
    """

    def save(self, as_of: date, scores: Mapping[str, RfvScore]) -> None:
        """Store the snapshot of ``as_of``, replacing any earlier one of that day.

        Keys must be the scores' ``customer_id`` (else
        :class:`~otocore.errors.ValidationError`). An empty mapping is a valid
        snapshot (a day with no customers).
        """

    def get(self, as_of: date) -> dict[str, RfvScore]:
        """The snapshot of ``as_of`` by customer id; raises :class:`~otocore.errors.NotFound`."""

    def dates(self) -> list[date]:
        """The days that have a snapshot, ascending."""


class DailyRunRepository(Protocol):
    """The log of the daily job: one :class:`~otocore.portfolio.DailyRun` per run.

    >>> from otocore.portfolio import DailyRun
    >>> from datetime import UTC, date, datetime
    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> when = datetime(2026, 5, 10, 6, tzinfo=UTC)
    >>> uow = InMemoryUnitOfWork()
    >>> with uow:
    ...     uow.daily_runs.add(DailyRun(as_of=date(2026, 5, 10), started_at=when, finished_at=when))
    ...     uow.daily_runs.latest().as_of, uow.daily_runs.latest(date(2026, 5, 9))
    (datetime.date(2026, 5, 10), None)
    """

    def add(self, run: DailyRun) -> None:
        """Append ``run`` to the log (runs are never replaced)."""

    def list(self) -> list[DailyRun]:
        """Every run, sorted by ``(as_of, started_at)``, then in the order added."""

    def latest(self, as_of: date | None = None) -> DailyRun | None:
        """The last run of :meth:`list` (only runs of ``as_of``, if given); ``None`` if none."""


class SequenceRepository(Protocol):
    """Named counters (sequências), such as the next seller number or an import batch.

    A counter that was never advanced is at 0. :meth:`next` is atomic on its
    own; code that reads with :meth:`current` and writes with :meth:`set`
    must run inside ``uow.writing()`` to never lose a concurrent update.

    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> uow = InMemoryUnitOfWork()
    >>> with uow.writing():
    ...     uow.sequences.next("seller_code"), uow.sequences.next("seller_code")
    (1, 2)
    >>> with uow.writing():
    ...     uow.sequences.set("seller_code", uow.sequences.current("seller_code") + 10)
    ...     uow.sequences.current("seller_code")
    12
    """

    def current(self, name: str) -> int:
        """The counter's value; 0 if it was never set."""

    def set(self, name: str, value: int) -> None:
        """Set the counter to ``value`` (an integer >= 0)."""

    def next(self, name: str) -> int:
        """Advance the counter by one and return the new value."""


class ConsentRepository(Protocol):
    """O registro de opt-in/opt-out: the append-only log of :class:`~otocore.consent.ConsentEvent`.

    Events are only appended, never updated or deleted; the status of a
    customer on a day is computed from the log by :mod:`otocore.consent`
    (build a :class:`~otocore.consent.ConsentLedger` from :meth:`iter_all`).
    Lists and streams come in time order: by ``at``, then in the order the
    events were appended.

    An event with an ``event_id`` is stored once: appending it again, equal,
    does nothing (re-running an import is harmless); a *different* event
    with an ``event_id`` already stored is a
    :class:`~otocore.errors.RuleViolation`. Events without an ``event_id``
    are always appended.

    >>> from otocore.consent import ConsentEvent
    >>> from datetime import UTC, datetime
    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> from otocore.consent import ConsentSource, ContactChannel
    >>> opt_out = ConsentEvent(
    ...     customer_id="C1",
    ...     channel=ContactChannel.WHATSAPP,
    ...     granted=False,
    ...     at=datetime(2026, 5, 10, 18, 0, tzinfo=UTC),
    ...     source=ConsentSource.SELLER_APP,
    ...     recorded_by="V01",
    ... )
    >>> uow = InMemoryUnitOfWork()
    >>> with uow:
    ...     uow.consent.append(opt_out)
    ...     uow.consent.for_customer("C1") == [opt_out], uow.consent.for_customer("C2")
    (True, [])
    """

    def append(self, event: ConsentEvent) -> None:
        """Append ``event`` to the log."""

    def append_many(self, events: Iterable[ConsentEvent]) -> None:
        """Append many events at once (an import; consumed lazily, in chunks)."""

    def for_customer(self, customer_id: str) -> list[ConsentEvent]:
        """The customer's events, every channel, by ``at`` then append order; empty if none."""

    def iter_all(self) -> Iterator[ConsentEvent]:
        """Stream every event by ``at`` then append order, without loading them all."""


class BlockRepository(Protocol):
    """Cadastros bloqueados: the append-only log of :class:`~otocore.blocking.BlockEvent`.

    An unblock is another event, never a deletion. CPFs are compared by
    their 11 digits. Lists and streams come in time order (by ``at``, then
    append order); ``event_id`` de-duplicates as in :class:`ConsentRepository`.
    Build a :class:`~otocore.blocking.BlockList` from :meth:`iter_all`.

    >>> from otocore.customers import Cpf
    >>> from otocore.blocking import BlockEvent
    >>> from datetime import UTC, datetime
    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> from otocore.blocking import BlockFeature
    >>> block = BlockEvent(
    ...     cpf=Cpf("52998224725"),
    ...     features={BlockFeature.CAMPAIGNS},
    ...     blocked=True,
    ...     reason="pedido do cliente",
    ...     by="u-gerente",
    ...     at=datetime(2026, 5, 10, 18, 0, tzinfo=UTC),
    ... )
    >>> uow = InMemoryUnitOfWork()
    >>> with uow:
    ...     uow.blocks.append(block)
    ...     uow.blocks.for_cpf(Cpf.parse("529.982.247-25")) == [block]
    True
    """

    def append(self, event: BlockEvent) -> None:
        """Append ``event`` to the log."""

    def append_many(self, events: Iterable[BlockEvent]) -> None:
        """Append many events at once (consumed lazily, in chunks)."""

    def for_cpf(self, cpf: Cpf) -> list[BlockEvent]:
        """The CPF's events, by ``at`` then append order; empty if none."""

    def iter_all(self) -> Iterator[BlockEvent]:
        """Stream every event by ``at`` then append order, without loading them all."""


class ContactRepository(Protocol):
    """O registro do atendimento: every :class:`~otocore.contacts.Contact`, keyed by ``contact_id``.

    Contacts are facts: one is added once and never replaced or deleted.
    Adding a contact whose ``contact_id`` is already stored (in the database
    or earlier in the same call) is a :class:`~otocore.errors.RuleViolation`,
    even if the two are equal. Lists and streams come by
    ``(started_at, contact_id)``.

    >>> from otocore.contacts import Contact
    >>> from datetime import UTC, date, datetime
    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> from otocore.consent import ContactChannel
    >>> from otocore.contacts import FollowUp
    >>> contact = Contact(
    ...     contact_id="A1",
    ...     seller_code="V01",
    ...     customer_id="C1",
    ...     channel=ContactChannel.WHATSAPP,
    ...     started_at=datetime(2026, 5, 10, 17, 0, tzinfo=UTC),
    ...     finished_at=datetime(2026, 5, 10, 17, 10, tzinfo=UTC),
    ...     follow_up=FollowUp(day=date(2026, 5, 17), note="Chegou o tamanho 38"),
    ...     in_portfolio=True,
    ... )
    >>> uow = InMemoryUnitOfWork()
    >>> with uow:
    ...     uow.contacts.add(contact)
    ...     print(*(c.contact_id for c in uow.contacts.follow_ups_due(date(2026, 5, 17))))
    A1
    >>> with uow:
    ...     uow.contacts.add(contact)
    Traceback (most recent call last):
    ...
    otocore.errors.RuleViolation: Contact 'A1' is already registered; contacts are never replaced
    """

    def add(self, contact: Contact) -> None:
        """Register ``contact``; an already stored ``contact_id`` is a RuleViolation."""

    def add_many(self, contacts: Iterable[Contact]) -> None:
        """Register many contacts at once (consumed lazily, in chunks); same rule as :meth:`add`."""

    def get(self, contact_id: str) -> Contact:
        """The contact with this id; raises :class:`~otocore.errors.NotFound`."""

    def for_customer(self, customer_id: str) -> list[Contact]:
        """The customer's contacts by ``(started_at, contact_id)``; empty if none."""

    def iter_since(self, since: datetime) -> Iterator[Contact]:
        """Stream the contacts that started at or after the instant ``since``.

        By ``(started_at, contact_id)``. To compute a day's quarantine, pass
        the first instant of the oldest local day that still matters, in the
        brand's time zone.
        """

    def follow_ups_due(self, day: date) -> list[Contact]:
        """The contacts whose ``follow_up.day`` is ``day``, by ``(started_at, contact_id)``."""

    def count(self) -> int:
        """How many contacts are stored."""


class CampaignRepository(Protocol):
    """Campanhas: the brand's :class:`~otocore.campaigns.Campaign` values, keyed by ``campaign_id``.

    :meth:`list` returns them in the order the suggestions try them: by
    ``priority`` (1 first), then ``campaign_id``.

    >>> from datetime import date
    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> from otocore.campaigns import sample_campaigns
    >>> uow = InMemoryUnitOfWork()
    >>> with uow:
    ...     for campaign in reversed(sample_campaigns()):
    ...         uow.campaigns.add(campaign)
    ...     print(*(c.campaign_id for c in uow.campaigns.list()))
    ANIVERSARIO_DO_MES POS_VENDA_30 RECONQUISTA_EM_RISCO
    """

    def add(self, campaign: Campaign) -> None:
        """Insert ``campaign``, or replace the campaign with the same ``campaign_id``."""

    def get(self, campaign_id: str) -> Campaign:
        """The campaign with this id; raises :class:`~otocore.errors.NotFound`."""

    def list(self, *, active: bool | None = None) -> list[Campaign]:
        """Campaigns (only those whose ``active`` is ``active``, if given), by priority then id."""


class SuggestionRepository(Protocol):
    """Sugestões do dia: every stored :class:`~otocore.suggestions.Suggestion`, by day.

    A day's suggestions are saved together with :meth:`save_day`, so a
    seller can go back to a past day and consult it with filters
    (:meth:`list_day`). **Saving a day again is idempotent and never
    overwrites what a seller did**: the day's PENDING suggestions are
    replaced, every suggestion whose status is not PENDING (started,
    finished, dismissed) stays exactly as it is, and a new suggestion for a
    customer who already has such a suggestion that day is dropped (ids are
    ``"<day>:<customer id>"``, :func:`~otocore.suggestions.suggestion_id_for`,
    so it is the same id).

    Lists come by ``(seller_code, rank, suggestion_id)`` within a day, and by
    day first across days. :meth:`set_status` is a state transition: read
    with :meth:`get` and write inside ``with uow.writing():`` (or pass
    ``expected``, which makes the update a compare-and-set).

    Examples:
        >>> from otocore.suggestions import Suggestion
        >>> from otocore.contacts import SuggestionStatus
        >>> from datetime import date
        >>> from otocore.adapters.memory import InMemoryUnitOfWork
        >>> from otocore.consent import ContactChannel
        >>> from otocore.suggestions import SuggestionKind, SuggestionReason
        >>> day = date(2026, 5, 11)
        >>> def suggestion(customer_id, rank):
        ...     return Suggestion(
        ...         suggestion_id=f"2026-05-11:{customer_id}",
        ...         day=day,
        ...         seller_code="V01",
        ...         customer_id=customer_id,
        ...         kind=SuggestionKind.CAMPAIGN,
        ...         campaign_id="ANIVERSARIO",
        ...         channel=ContactChannel.WHATSAPP,
        ...         message="Feliz aniversário!",
        ...         reason=SuggestionReason.CAMPAIGN,
        ...         detail="campaign ANIVERSARIO",
        ...         rank=rank,
        ...     )
        >>> uow = InMemoryUnitOfWork()
        >>> with uow.writing():
        ...     uow.suggestions.save_day(day, [suggestion("C1", 1), suggestion("C2", 2)])
        ...     uow.suggestions.set_status("2026-05-11:C1", SuggestionStatus.STARTED).status
        <SuggestionStatus.STARTED: 'started'>
        >>> with uow:  # generated again: C1 was acted on and stays; C2 is replaced by C3
        ...     uow.suggestions.save_day(day, [suggestion("C3", 1), suggestion("C1", 2)])
        ...     [(s.customer_id, s.rank, s.status.value) for s in uow.suggestions.list_day(day)]
        [('C1', 1, 'started'), ('C3', 1, 'pending')]
    """

    def save_day(self, day: date, suggestions: Iterable[Suggestion]) -> None:
        """Store ``suggestions`` as the suggestions of ``day``, keeping what sellers acted on.

        Every suggestion must be of ``day`` and name its customer once
        (:class:`~otocore.errors.ValidationError` otherwise). The day's
        PENDING suggestions are deleted first; the day's other suggestions
        are kept, and the given suggestion with the same id, if any, is
        dropped. An empty ``suggestions`` just clears the day's pending ones.
        """

    def list_day(
        self,
        day: date,
        *,
        seller_code: str | None = None,
        campaign_id: str | None = None,
        status: SuggestionStatus | None = None,
    ) -> list[Suggestion]:
        """The day's suggestions, optionally one seller's, one campaign's, with one status.

        Sorted by ``(seller_code, rank, suggestion_id)``; empty for a day never saved.
        """

    def get(self, suggestion_id: str) -> Suggestion:
        """The suggestion with this id; raises :class:`~otocore.errors.NotFound`."""

    def set_status(
        self,
        suggestion_id: str,
        status: SuggestionStatus,
        *,
        expected: SuggestionStatus | None = None,
    ) -> Suggestion:
        """Set the suggestion's status and return the updated suggestion.

        The repository does not judge the move (use
        :func:`otocore.contacts.advance` or :func:`~otocore.contacts.settle`
        first). With ``expected``, the update happens only if the stored
        status is still ``expected``, atomically; otherwise a
        :class:`~otocore.errors.RuleViolation`. An unknown id raises
        :class:`~otocore.errors.NotFound`.
        """

    def delete_pending(self, day: date) -> int:
        """Delete the day's PENDING suggestions; return how many were deleted."""

    def for_customer(self, customer_id: str) -> list[Suggestion]:
        """The customer's suggestions of every day, by day; empty if none."""

    def iter_days(self, first: date, last: date) -> Iterator[Suggestion]:
        """Stream the suggestions of the days ``first`` to ``last`` (both included).

        By ``(day, seller_code, rank, suggestion_id)``. The suggestions of the
        days before ``D`` within the longest campaign quarantine are the
        ``earlier_suggestions`` of :func:`~otocore.suggestions.plan_suggestions`.
        """

    def days(self) -> list[date]:
        """The days that have at least one stored suggestion, ascending."""


class SellerWorkloadRepository(Protocol):
    """The sellers' own :class:`~otocore.suggestions.SellerWorkload` figures, by seller code.

    Only sellers whose figures differ from the brand's default have one;
    :meth:`all` is the ``workloads`` argument of
    :func:`~otocore.suggestions.plan_suggestions`.

    >>> from otocore.suggestions import SellerWorkload
    >>> from decimal import Decimal
    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> uow = InMemoryUnitOfWork()
    >>> with uow:
    ...     uow.workloads.set("V01", SellerWorkload(hours_worked=4, idle_share=Decimal("0.5")))
    ...     uow.workloads.get("V01").idle_share, uow.workloads.get("V02")
    (Decimal('0.5'), None)
    """

    def set(self, seller_code: str, workload: SellerWorkload) -> None:
        """Record the seller's figures, replacing earlier ones."""

    def get(self, seller_code: str) -> SellerWorkload | None:
        """The seller's figures, or ``None`` (the brand's default applies)."""

    def all(self) -> dict[str, SellerWorkload]:
        """Every seller's figures, by seller code (sorted)."""

    def delete(self, seller_code: str) -> None:
        """Forget the seller's figures (the default applies again); nothing if there were none."""


class AccountRepository(Protocol):
    """Contas de acesso (login accounts), keyed by ``account_id`` and unique by e-mail.

    The e-mail is the login key: :class:`~otocore.customers.Email` values are
    already normalised (trimmed, lowercased), so two spellings of one address
    are one account. The login service reads and saves accounts inside
    ``uow.writing()``, so two concurrent attempts never both read the same
    failure count.

    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> from otocore.auth import Account, Role, normalize_login_email
    >>> uow = InMemoryUnitOfWork()
    >>> ana = Account(
    ...     account_id="A1",
    ...     email=normalize_login_email("ana@example.com"),
    ...     roles={Role.SELLER},
    ...     seller_code="V01",
    ...     store_id="L01",
    ... )
    >>> with uow:
    ...     uow.accounts.add(ana)
    ...     uow.accounts.find_by_email(normalize_login_email(" ANA@example.com")).account_id
    'A1'
    """

    def add(self, account: Account) -> None:
        """Store a new account; an ``account_id`` or e-mail already taken is a RuleViolation."""

    def get(self, account_id: str) -> Account:
        """The account with this id; :class:`~otocore.errors.NotFound` if none."""

    def find_by_email(self, email: Email) -> Account | None:
        """The account whose login e-mail is ``email``, or ``None``."""

    def for_seller(self, seller_code: str) -> Account | None:
        """The account of the seller with this code, or ``None``."""

    def save(self, account: Account) -> None:
        """Replace a stored account (same ``account_id``); NotFound if it is not stored.

        Changing the e-mail to one another account has is a RuleViolation.
        """

    def list(self, *, store_id: str | None = None, role: Role | None = None) -> list[Account]:
        """Accounts, optionally of one store and/or with one role, by ``account_id``."""


class AuthTokenRepository(Protocol):
    """Single-use tokens (password recovery, PIN setting), kept only as hashes.

    A token is found by the SHA-256 hash of its text. The newest token of an
    account and purpose is the one added last (two added in the same instant
    are ordered by when they were added); older ones are superseded.

    >>> from datetime import UTC, datetime
    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> from otocore.auth import AccountToken, TokenPurpose, hash_token, issue_token
    >>> at = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
    >>> text, record = issue_token(now=at, rng_bytes=lambda n: bytes(n))
    >>> uow = InMemoryUnitOfWork()
    >>> with uow:
    ...     uow.tokens.add(
    ...         AccountToken(account_id="A1", purpose=TokenPurpose.PASSWORD, record=record)
    ...     )
    ...     uow.tokens.find(hash_token(text)).account_id
    'A1'
    """

    def add(self, token: AccountToken) -> None:
        """Store a token; a hash already stored is a RuleViolation."""

    def find(self, token_hash: str) -> AccountToken | None:
        """The token whose text hashes to ``token_hash``, or ``None``."""

    def newest(self, account_id: str, purpose: TokenPurpose) -> AccountToken | None:
        """The account's token for ``purpose`` added last, or ``None``."""

    def mark_used(self, token_hash: str, used_at: datetime) -> None:
        """Record that the token was used at ``used_at``; NotFound if it is not stored."""

    def issued_since(
        self, account_id: str, purpose: TokenPurpose, since: datetime
    ) -> list[datetime]:
        """``issued_at`` of the account's tokens for ``purpose`` issued after ``since``, sorted.

        The recovery rate limit counts these.
        """


class AuditLogRepository(Protocol):
    """Registro de auditoria (the audit log): append-only, hash-chained.

    :meth:`append` accepts only the entry that follows the stored tail (its
    ``sequence`` is one more, its ``previous_hash`` is the tail's
    ``entry_hash``); anything else is a RuleViolation. Entries are never
    updated or deleted through otocore; :func:`~otocore.access.verify_audit_log`
    over :meth:`iter_all` detects it when they are, by other means. An
    ``action`` given as the text of an :class:`~otocore.access.Action` (say
    ``"reset_pin"``) comes back as that member; the entry's hash is the same.

    >>> from datetime import UTC, datetime
    >>> from otocore.access import Action, Outcome, Target, append_entry
    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> uow = InMemoryUnitOfWork()
    >>> with uow.writing():
    ...     entry = append_entry(
    ...         uow.audit.tail(),
    ...         at=datetime(2026, 5, 4, 9, 0, tzinfo=UTC),
    ...         actor="u-gerente",
    ...         action=Action.UNLOCK_ACCOUNT,
    ...         target=Target(store_id="L01", account_id="A1"),
    ...         outcome=Outcome.ALLOWED,
    ...     )
    ...     uow.audit.append(entry)
    ...     uow.audit.count()
    1
    """

    def append(self, entry: AuditEntry) -> None:
        """Add the entry that follows the tail; any other entry is a RuleViolation."""

    def tail(self) -> AuditEntry | None:
        """The last entry, or ``None`` for an empty log."""

    def iter_all(self) -> Iterator[AuditEntry]:
        """Every entry, by sequence."""

    def count(self) -> int:
        """How many entries the log holds."""


class UnitOfWork(Protocol):
    """A transaction over every repository: all of a block's writes, or none.

    Use ``with uow:`` for a transaction, ``with uow.writing():`` for one that
    reads then updates (it takes the write lock up front). A clean exit
    commits; an exception rolls back and propagates. Inside a block,
    :meth:`commit` and :meth:`rollback` end the current transaction and start
    a new one. Blocks do not nest (:class:`UnitOfWorkError`).

    >>> from otocore.sellers import Store
    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> uow = InMemoryUnitOfWork()
    >>> with uow:
    ...     uow.stores.add(Store(store_id="L01", name="Loja Centro"))
    ...     uow.rollback()
    ...     uow.stores.add(Store(store_id="L02", name="Shopping Norte"))
    >>> with uow:
    ...     print(*(s.store_id for s in uow.stores.list()))
    L02
    >>> with uow:
    ...     with uow:
    ...         pass
    Traceback (most recent call last):
    ...
    otocore.repositories.UnitOfWorkError: this unit of work is already inside a `with` block; blocks do not nest
    """

    @property
    def stores(self) -> StoreRepository:
        """The stores."""

    @property
    def sellers(self) -> SellerRepository:
        """The sellers."""

    @property
    def customers(self) -> CustomerRepository:
        """The customer records."""

    @property
    def orders(self) -> OrderRepository:
        """The orders."""

    @property
    def portfolio(self) -> PortfolioRepository:
        """The carteira assignments."""

    @property
    def rfv(self) -> RfvSnapshotRepository:
        """The RFV snapshots."""

    @property
    def daily_runs(self) -> DailyRunRepository:
        """The daily job's log."""

    @property
    def sequences(self) -> SequenceRepository:
        """Named counters."""

    @property
    def consent(self) -> ConsentRepository:
        """The consent (opt-in/opt-out) log."""

    @property
    def blocks(self) -> BlockRepository:
        """The blocked-CPF log."""

    @property
    def contacts(self) -> ContactRepository:
        """The contact log (registros de atendimento)."""

    @property
    def campaigns(self) -> CampaignRepository:
        """The campaigns."""

    @property
    def suggestions(self) -> SuggestionRepository:
        """The daily suggestions."""

    @property
    def workloads(self) -> SellerWorkloadRepository:
        """The sellers' workload figures (suggestion limiter overrides)."""

    @property
    def accounts(self) -> AccountRepository:
        """The login accounts."""

    @property
    def tokens(self) -> AuthTokenRepository:
        """The single-use recovery and PIN-setting tokens (hashes only)."""

    @property
    def audit(self) -> AuditLogRepository:
        """The audit log of management actions."""

    def __enter__(self) -> Self:
        """Begin a transaction."""

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Commit on a clean exit; roll back if an exception is leaving the block."""

    def writing(self) -> AbstractContextManager[Self]:
        """A block like ``with uow:`` that takes the write lock when it begins."""

    def commit(self) -> None:
        """Commit what the block wrote so far and start a new transaction."""

    def rollback(self) -> None:
        """Discard what the block wrote since it began (or since the last commit)."""
