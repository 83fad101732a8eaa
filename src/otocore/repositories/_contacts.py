"""Repository protocols of attendance: consent and block logs, contacts, campaigns, suggestions."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # annotations only: importing the protocols loads no domain module
    import polars as pl

    from otocore.blocking import BlockEvent
    from otocore.campaigns import Campaign
    from otocore.consent import ConsentEvent
    from otocore.contacts import Contact, SuggestionStatus
    from otocore.customers import Cpf
    from otocore.suggestions import SellerWorkload, Suggestion


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

    def get_many(self, contact_ids: Iterable[str]) -> dict[str, Contact]:
        """The stored contacts among ``contact_ids``, by id; ids not stored are left out.

        An import reads a batch's ids at once to tell a contact already
        registered (equal: nothing to do) from a new one.
        """

    def for_customer(self, customer_id: str) -> list[Contact]:
        """The customer's contacts by ``(started_at, contact_id)``; empty if none."""

    def iter_since(self, since: datetime) -> Iterator[Contact]:
        """Stream the contacts that started at or after the instant ``since``.

        By ``(started_at, contact_id)``. To compute a day's quarantine, pass
        the first instant of the oldest local day that still matters, in the
        brand's time zone.
        """

    def started_frame(self, *, since: datetime, until: datetime) -> pl.DataFrame:
        """The contacts that started at or after ``since`` and before ``until``: a Polars frame.

        Columns ``contact_id``, ``seller_code``, ``customer_id`` (String), ``started_at``
        (``Datetime("us", "UTC")``, the exact instant) and ``outcome`` (the
        :class:`~otocore.contacts.ContactOutcome` value); rows in no particular order.
        No :class:`~otocore.contacts.Contact` is built (the results views read a month).
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

    def days_frame(self, first: date, last: date) -> pl.DataFrame:
        """The suggestions of the days ``first`` to ``last`` (both included) as a Polars frame.

        Columns ``day`` (Date) and ``seller_code`` (String), one row per suggestion (any
        status), in no particular order: what the results views count, without building a
        :class:`~otocore.suggestions.Suggestion` per row.
        """

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
