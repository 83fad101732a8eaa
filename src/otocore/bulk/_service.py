"""The bulk actions as audited acts of a person: ``BulkService``. Private."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any, Final, TypeVar

from otocore import _validate as v
from otocore.access import Action, Principal, Target
from otocore.accounts._audit import Audited, require_principal
from otocore.blocking import BlockFeature
from otocore.bulk._categories import (
    CategoryChange,
    add_members,
    remove_members,
    require_discount,
    save_discount,
    selection,
)
from otocore.bulk._messages import (
    AcknowledgmentRequired,
    BulkArgs,
    BulkReport,
    Messenger,
    SendOutcome,
    deliver,
    plan_bulk,
)
from otocore.categories import CategoryDiscount, CustomerCategory
from otocore.clock import Clock
from otocore.consent import ConsentPolicy, ContactChannel
from otocore.customers import CpfPolicy, Customer
from otocore.errors import NotFound, OtocoreError, RuleViolation, ValidationError
from otocore.history import mask_cpfs
from otocore.importing import CustomerExists, customer_from_cells
from otocore.repositories import UnitOfWork

__all__ = ["BulkService"]

_T = TypeVar("_T")

MAX_SELECTED_BY: Final = 300
"""How much of the description of a selection (``selected_by``) an audit entry keeps."""

_TEXT_LOGGED: Final = 200
"""How many characters of a bulk message's text its audit entry keeps."""


class _Masked(OtocoreError):
    """An error of the work whose message named a CPF: the audit gets it masked."""

    def __init__(self, original: OtocoreError) -> None:
        super().__init__(mask_cpfs(str(original)))
        self.original = original


class _MessengerRaised(OtocoreError):
    """The messenger raised mid-way: the audit entry says how many had been accepted."""

    def __init__(self, original: Exception, accepted: int) -> None:
        super().__init__(
            f"the messenger raised {type(original).__name__} ({original}) after accepting"
            f" {accepted} messages; the rest were not sent"
        )
        self.original = original


class _Counting:
    """A messenger that counts the messages the one it wraps accepted."""

    def __init__(self, messenger: Messenger) -> None:
        self._messenger = messenger
        self.accepted = 0

    def send(self, customer: Customer, channel: ContactChannel, text: str) -> SendOutcome:
        outcome = self._messenger.send(customer, channel, text)
        if isinstance(outcome, SendOutcome) and outcome.accepted:
            self.accepted += 1
        return outcome


def _category_target(category_id: str) -> Target:
    # a category is not an account, a store or a seller: named in account_id, prefixed
    return Target(account_id=f"category:{category_id}")


def _selected_by(value: str | None) -> str:
    if value is None:
        return "by ids"
    text = v.require_instance("selected_by", value, str).strip()
    if not text:
        raise ValidationError("selected_by", value, "must not be blank (None: a list of ids)")
    clipped = text if len(text) <= MAX_SELECTED_BY else text[: MAX_SELECTED_BY - 3] + "..."
    return f"by {clipped}"


def _quoted(text: str, limit: int) -> str:
    clipped = text if len(text) <= limit else text[: limit - 3] + "..."
    return repr(clipped)


class BulkService(Audited):
    """Categories, bulk messages and the manual add, each an authorized and audited act.

    The functions of :mod:`otocore.bulk` (:func:`~otocore.bulk.add_to_category`,
    :func:`~otocore.bulk.send_bulk` ...) and :func:`otocore.importing.add_customer` are
    the unaudited building blocks: they take no principal and record nobody. An
    integrator who lets people act on the customer base uses this service instead,
    as the account and privacy services are used. Each method takes the acting
    :class:`~otocore.access.Principal`, re-reads its account (its current roles; an
    inactive account may not act), authorizes it with the permission table of
    :mod:`otocore.access` (``manage_categories`` and ``send_bulk_message``: brand
    admins; ``add_customer``: brand admins, the call center, and a store manager for a
    customer of their store), and writes the work and one audit entry (ALLOWED, DENIED
    or FAILED) in one write transaction: a refused call changes nothing but the log.

    The entry records the selection (how many customers, and ``selected_by``: the
    search text or the filter as given), the counts (added and unchanged; sent and
    skipped by reason) and, for a message, the acknowledgment the sender accepted and
    the start of the text. Every CPF in an entry is masked
    (:func:`~otocore.history.mask_cpfs`), and no customer's name, e-mail or mobile is
    written (the audit log cannot be redacted when a customer is anonymized).

    Args:
        unit_of_work: a callable returning a new unit of work (``db.unit_of_work``).
        clock: the clock that dates every act (and the sends' consent and blocks).
        consent_policy: the brand's :class:`~otocore.consent.ConsentPolicy` for bulk
            messages (default :class:`~otocore.consent.ConsentPolicy`).
        cpf_policy: how the manual add checks CPFs, as in the customers import.

    >>> from datetime import UTC, datetime
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
    ...         email="admin@example.com", password="cavalo correto bateria grampo", pin="482913"
    ...     ).account_id
    ... )
    >>> bulk = BulkService(db.unit_of_work, clock=clock)
    >>> bulk.add_customer(
    ...     admin,
    ...     {"customer_id": "C1", "name": "Ana", "registered_at": "2026-01-01T10:00:00-03:00"},
    ... ).name
    'Ana'
    >>> bulk.create_category(admin, CustomerCategory("VIP", "Clientes VIP", "#c0392b")).name
    'Clientes VIP'
    >>> bulk.add_to_category(admin, "VIP", ["C1"], selected_by="query 'ana'")
    CategoryChange(category_id='VIP', changed=1, unchanged=0, members=1)
    >>> with db.unit_of_work() as uow:
    ...     print(uow.audit.tail().detail)
    category VIP: 1 customers selected by query 'ana'; 1 added, 0 already in; 1 members now
    """

    def __init__(
        self,
        unit_of_work: Callable[[], UnitOfWork],
        *,
        clock: Clock,
        consent_policy: ConsentPolicy | None = None,
        cpf_policy: CpfPolicy | None = None,
    ) -> None:
        self._bind(unit_of_work, clock)
        self.consent_policy = ConsentPolicy() if consent_policy is None else consent_policy
        v.require_instance("consent_policy", self.consent_policy, ConsentPolicy)
        self.cpf_policy = CpfPolicy() if cpf_policy is None else cpf_policy
        v.require_instance("cpf_policy", self.cpf_policy, CpfPolicy)

    def _act(
        self,
        actor: Principal,
        action: Action,
        target: Target,
        *,
        work: Callable[[UnitOfWork, datetime], _T],
        detail: Callable[[_T], str],
        locate: Callable[[UnitOfWork], object] | None = None,
    ) -> _T:
        """``_audited`` with the CPFs masked in every entry it writes."""

        def masked_work(uow: UnitOfWork, now: datetime) -> _T:
            try:
                return work(uow, now)
            except OtocoreError as error:
                if mask_cpfs(str(error)) != str(error):
                    raise _Masked(error) from None
                raise

        def find(uow: UnitOfWork) -> Target:
            if locate is not None:
                locate(uow)
            return target

        try:
            return self._audited(
                actor,
                [action],
                locate=find,
                fallback=target,
                work=masked_work,
                detail=lambda result: mask_cpfs(detail(result)),
            )
        except _Masked as masked:
            raise masked.original from None

    # categories --------------------------------------------------------------------

    def create_category(self, actor: Principal, category: CustomerCategory) -> CustomerCategory:
        """Create a category; an id already used is a RuleViolation (nothing changes).

        Raises:
            RuleViolation: the id is already a category's.
            PermissionDenied: the actor may not manage categories (logged DENIED).
        """
        who = require_principal(actor)
        new = v.require_instance("category", category, CustomerCategory)

        def work(uow: UnitOfWork, now: datetime) -> CustomerCategory:
            try:
                uow.categories.get(new.category_id)
            except NotFound:
                uow.categories.save(new)
                return new
            raise RuleViolation(f"category {new.category_id!r} already exists; nothing was changed")

        return self._act(
            who,
            Action.MANAGE_CATEGORIES,
            _category_target(new.category_id),
            work=work,
            detail=lambda c: (
                f"category {c.category_id} created ({c.colour}); discount " + _discount(c.discount)
            ),
        )

    def delete_category(self, actor: Principal, category_id: str) -> int:
        """Delete a category; return how many customers were in it (they stay in the registry).

        Raises:
            NotFound: no such category (logged FAILED).
            PermissionDenied: the actor may not manage categories (logged DENIED).
        """
        who = require_principal(actor)
        key = v.require_text("category_id", category_id, max_length=100)
        return self._act(
            who,
            Action.MANAGE_CATEGORIES,
            _category_target(key),
            locate=lambda uow: uow.categories.get(key),
            work=lambda uow, now: uow.categories.delete(key),
            detail=lambda n: f"category {key} deleted ({n} customers were in it)",
        )

    def set_category_discount(
        self, actor: Principal, category_id: str, discount: CategoryDiscount | None
    ) -> CustomerCategory:
        """Give a category an automatic discount (``None``: take it away); return it as saved.

        Raises:
            NotFound: no such category (logged FAILED).
            PermissionDenied: the actor may not manage categories (logged DENIED).
        """
        who = require_principal(actor)
        key = v.require_text("category_id", category_id, max_length=100)
        given = require_discount(discount)
        return self._act(
            who,
            Action.MANAGE_CATEGORIES,
            _category_target(key),
            locate=lambda uow: uow.categories.get(key),
            work=lambda uow, now: save_discount(uow, key, given),
            detail=lambda c: f"category {key}: discount {_discount(c.discount)}",
        )

    def add_to_category(
        self,
        actor: Principal,
        category_id: str,
        customer_ids: Iterable[str],
        *,
        selected_by: str | None = None,
    ) -> CategoryChange:
        """Put a selection of customers in a category, all or none (:func:`~otocore.bulk.add_to_category`).

        ``selected_by`` says how the selection was made, as the user gave it
        (``"query 'ana'"``, ``'filter {"sex_in": ["female"]}'``); the audit entry
        records it with CPFs masked, its first 300 characters. ``None``: a list of ids.

        Raises:
            NotFound: no such category (logged FAILED).
            UnknownCustomers: ids that name no customer; nothing is written (logged FAILED).
            PermissionDenied: the actor may not manage categories (logged DENIED).
        """
        return self._members(actor, category_id, customer_ids, selected_by, add=True)

    def remove_from_category(
        self,
        actor: Principal,
        category_id: str,
        customer_ids: Iterable[str],
        *,
        selected_by: str | None = None,
    ) -> CategoryChange:
        """Take a selection of customers out of a category (:func:`~otocore.bulk.remove_from_category`).

        ``selected_by`` as for :meth:`add_to_category`.

        Raises:
            NotFound: no such category (logged FAILED).
            PermissionDenied: the actor may not manage categories (logged DENIED).
        """
        return self._members(actor, category_id, customer_ids, selected_by, add=False)

    def _members(
        self,
        actor: Principal,
        category_id: str,
        customer_ids: Iterable[str],
        selected_by: str | None,
        *,
        add: bool,
    ) -> CategoryChange:
        who = require_principal(actor)
        key = v.require_text("category_id", category_id, max_length=100)
        ids = selection(customer_ids)
        how = _selected_by(selected_by)
        did, had = ("added", "already in") if add else ("removed", "not in it")

        def work(uow: UnitOfWork, now: datetime) -> CategoryChange:
            return add_members(uow, key, ids) if add else remove_members(uow, key, ids)

        return self._act(
            who,
            Action.MANAGE_CATEGORIES,
            _category_target(key),
            locate=lambda uow: uow.categories.get(key),
            work=work,
            detail=lambda c: (
                f"category {key}: {len(ids)} customers selected {how}; {c.changed} {did},"
                f" {c.unchanged} {had}; {c.members} members now"
            ),
        )

    # bulk messages -------------------------------------------------------------------

    def send_bulk(
        self,
        actor: Principal,
        messenger: Messenger,
        customer_ids: Iterable[str],
        *,
        channel: ContactChannel,
        text: str,
        acknowledgment: str | None,
        feature: BlockFeature = BlockFeature.CAMPAIGNS,
        selected_by: str | None = None,
    ) -> BulkReport:
        """Mensagem em massa by ``actor``, who accepts legal responsibility: :func:`~otocore.bulk.send_bulk`.

        ``acknowledgment`` is the text the sender was shown and accepted
        (:data:`~otocore.bulk.RESPONSIBILITY_STATEMENT`, or the brand's own words, at
        most 1000 characters); ``None`` or blank is
        :class:`~otocore.bulk.AcknowledgmentRequired` and nothing is sent (logged
        FAILED). The send is dated by the service's clock, and the audit entry (actor,
        instant) is the acknowledgment's record: who accepted what, and when. The rule
        (consent, blocks, addresses) is :func:`~otocore.bulk.send_bulk`'s.

        The messages are handed to ``messenger`` inside the audited transaction, so
        that the entry records what was sent: the store's write lock is held while
        they go (use a messenger that queues, such as
        :class:`~otocore.adapters.messenger.JsonLinesMessenger`'s outbox, for a
        large base). If the messenger raises, the entry is FAILED and says how many
        messages it had accepted; its exception propagates.

        Raises:
            AcknowledgmentRequired: no acknowledgment; nothing sent (logged FAILED).
            UnknownCustomers: ids that name no customer; nothing sent (logged FAILED).
            ValidationError: a bad channel, text, feature or messenger (before anything).
            PermissionDenied: the actor may not send bulk messages (logged DENIED).
        """
        who = require_principal(actor)
        accepted = _acknowledgment(acknowledgment)
        ids = selection(customer_ids)
        how = _selected_by(selected_by)
        chosen = v.require_enum("channel", channel, ContactChannel)
        checked = BulkArgs.checked(
            messenger,
            channel=chosen,
            text=text,
            at=self._now(),
            feature=feature,
            consent_policy=self.consent_policy,
            time_zone=None,
        )

        def work(uow: UnitOfWork, now: datetime) -> BulkReport:
            if accepted is None:
                raise AcknowledgmentRequired
            args = BulkArgs(
                checked.channel, checked.feature, checked.text, now, checked.policy, checked.zone
            )
            plan = plan_bulk(uow, ids, args)
            counting = _Counting(messenger)
            try:
                return deliver(plan, counting, args)
            except Exception as error:  # the provider's, or a bad SendOutcome: logged, re-raised
                raise _MessengerRaised(error, counting.accepted) from error

        def detail(report: BulkReport) -> str:
            counts = report.counts()
            skipped = ", ".join(f"{r} {n}" for r, n in counts.items() if r != "sent" and n)
            return (
                f"{chosen.value} message ({checked.feature.value}) to {len(ids)} customers"
                f" selected {how}: sent {counts['sent']}, skipped {len(report.skipped)}"
                + (f" ({skipped})" if skipped else "")
                + f"; responsibility accepted: {_quoted(accepted or '', 600)}"
                + f"; text ({len(checked.text)} characters): {_quoted(checked.text, _TEXT_LOGGED)}"
            )

        try:
            return self._act(
                who,
                Action.SEND_BULK_MESSAGE,
                Target(account_id=f"bulk_message:{chosen.value}"),
                work=work,
                detail=detail,
            )
        except _MessengerRaised as raised:
            raise raised.original from None

    # the manual add ------------------------------------------------------------------

    def add_customer(self, actor: Principal, cells: Mapping[str, Any]) -> Customer:
        """Cadastro manual by ``actor``: :func:`otocore.importing.add_customer`, audited.

        The cells are checked first, as a customers file's row
        (:func:`~otocore.importing.customer_from_cells`): bad cells are a
        ValidationError naming every one, before anything is authorized or written.
        The target is the customer and its home store: a store manager adds only
        customers whose ``home_store_id`` is their store. The entry names the
        customer id and the home store, none of the personal data.

        Raises:
            ValidationError: bad cells (no audit entry: nothing was attempted).
            CustomerExists: the id or the CPF is already a stored customer's; nothing
                is added (logged FAILED, the CPF masked).
            PermissionDenied: the actor may not add this customer (logged DENIED).
        """
        who = require_principal(actor)
        customer = customer_from_cells(cells, cpf_policy=self.cpf_policy)
        cid = customer.customer_id

        def work(uow: UnitOfWork, now: datetime) -> Customer:
            try:
                uow.customers.get(cid)
            except NotFound:
                pass
            else:
                raise CustomerExists("customer_id", cid)
            if customer.cpf is not None and uow.customers.find_by_cpf(customer.cpf) is not None:
                raise CustomerExists("cpf", customer.cpf.formatted)
            uow.customers.add(customer)
            return customer

        home = customer.home_store_id
        return self._act(
            who,
            Action.ADD_CUSTOMER,
            # a brand whose customer ids are CPFs gets them masked here too
            Target(store_id=home, account_id=mask_cpfs(f"customer:{cid}")),
            work=work,
            detail=lambda c: (
                f"customer {cid} added" + ("" if home is None else f" (home store {home})")
            ),
        )


def _discount(discount: CategoryDiscount | None) -> str:
    return "(none)" if discount is None else f"{discount.percentage}% ({discount.period})"


def _acknowledgment(value: object) -> str | None:
    if value is None:
        return None
    text = v.require_instance("acknowledgment", value, str).strip()
    if not text:
        return None
    return v.require_text("acknowledgment", text, max_length=1000, multiline=True)
