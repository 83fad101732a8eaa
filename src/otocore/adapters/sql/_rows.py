"""Row mapping: each value type to the row dict its table stores, and back.

Most columns bear the name of the attribute they store: :class:`RowMap` maps
those in one place (plain attributes as they are, enums as their value), and
the functions below add only what differs (money in centavos, JSON text,
comma-separated sets, nested values). Reading a row checks what the database
cannot: a stored text that is not a member of its enum, or JSON that is not
the expected shape, is a :class:`~otocore.errors.ValidationError` naming the
field.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Generic, TypeVar

import attrs

from otocore._trusted import rebuild
from otocore.access import Action, AuditEntry, Outcome, Target
from otocore.adapters._common import MAX_CENTS, cents, stored_action
from otocore.auth import Account, AccountState, AccountToken, Role, TokenPurpose, TokenRecord
from otocore.blocking import BlockEvent, BlockFeature
from otocore.campaigns import Campaign
from otocore.consent import ConsentEvent, ConsentSource, ContactChannel
from otocore.contacts import ConsentChange, Contact, ContactOutcome, FollowUp, SuggestionStatus
from otocore.customers import Cpf, Customer, Email, Loyalty, MaritalStatus, Mobile, Sex
from otocore.errors import ValidationError
from otocore.filters import Filter
from otocore.orders import Channel, Order, OrderStatus
from otocore.portfolio import AssignmentChange, AssignmentReason, PortfolioAssignment
from otocore.rfv import RfvScore
from otocore.search import name_key, rg_key
from otocore.sellers import Seller, SellerStatus, Store
from otocore.suggestions import SellerWorkload, Suggestion, SuggestionKind, SuggestionReason

E = TypeVar("E", bound=enum.Enum)
V = TypeVar("V")

Row = dict[str, Any]


def stored_enum(cls: type[E], value: Any, field: str) -> E:
    """The member of ``cls`` whose value was stored; else a ValidationError naming ``field``."""
    try:
        return cls(value)
    except ValueError:
        raise ValidationError(field, value, f"is not a {cls.__name__} (stored value)") from None


def stored_enums(cls: type[E], text: str, field: str) -> frozenset[E]:
    """A set of members stored as their values, comma-separated (``"campaigns,loyalty"``)."""
    return frozenset(stored_enum(cls, value, field) for value in text.split(","))


def stored_cpf(digits: str) -> Cpf:
    """A stored CPF (a repeated-digit one was accepted by the brand's policy when stored)."""
    return Cpf(digits, allow_repeated=len(set(digits)) == 1)


def trusted_cpf(digits: str) -> Cpf:
    """:func:`stored_cpf` without checking the digits again (they were checked when written)."""
    return rebuild(Cpf, digits=digits, allow_repeated=len(set(digits)) == 1)


def _part(value: Any, name: str) -> Any:
    """``value.name``, or None when ``value`` (an optional nested value) is None."""
    return None if value is None else getattr(value, name)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _stored_json(field: str, text: str, kind: type) -> Any:
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, kind):
        raise ValidationError(field, text, f"is not a JSON {kind.__name__} (stored value)")
    return value


@attrs.frozen
class RowMap(Generic[V]):
    """A value type whose attributes are stored in columns of the same names.

    ``plain`` attributes are stored as they are; ``enums`` (attribute name to
    enum class) as the member's value, None staying None. :meth:`row` and
    :meth:`load` take the other columns or attributes as keywords.
    """

    cls: type[V]
    plain: tuple[str, ...]
    enums: Mapping[str, type[enum.Enum]] = attrs.field(factory=dict)

    def row(self, value: V, **extra: Any) -> Row:
        """The row storing ``value``, with ``extra`` columns."""
        row = {name: getattr(value, name) for name in self.plain}
        for name in self.enums:
            row[name] = _part(getattr(value, name), "value")
        row.update(extra)
        return row

    def load(self, row: Any, **extra: Any) -> V:
        """The value stored in ``row``, with ``extra`` attributes."""
        kwargs = {name: getattr(row, name) for name in self.plain}
        for name, cls in self.enums.items():
            stored = getattr(row, name)
            field = f"{self.cls.__name__}.{name}"
            kwargs[name] = None if stored is None else stored_enum(cls, stored, field)
        kwargs.update(extra)
        return self.cls(**kwargs)


# portfolio, customers and orders ---------------------------------------------------

STORE = RowMap(Store, ("store_id", "name", "city", "state"))
SELLER = RowMap(Seller, ("code", "name", "store_id"), {"status": SellerStatus})
ASSIGNMENT = RowMap(
    PortfolioAssignment, ("customer_id", "seller_code", "since"), {"reason": AssignmentReason}
)
SCORE = RowMap(
    RfvScore, ("customer_id", "recency_days", "frequency", "value", "r", "f", "v", "segment")
)
CHANGE = RowMap(
    AssignmentChange,
    ("customer_id", "from_seller", "to_seller", "decided_by"),
    {"reason": AssignmentReason},
)
_CUSTOMER = RowMap(
    Customer,
    ("customer_id", "name", "registered_at", "rg", "birth_date", "home_store_id"),
    {"sex": Sex, "marital_status": MaritalStatus},
)
_ORDER = RowMap(
    Order,
    ("order_id", "customer_id", "store_id", "placed_at", "seller_code"),
    {"status": OrderStatus, "channel": Channel},
)


def customer_row(c: Customer) -> Row:
    return _CUSTOMER.row(
        c,
        cpf=_part(c.cpf, "digits"),
        email=_part(c.email, "address"),
        mobile=_part(c.mobile, "e164"),
        loyalty_program=_part(c.loyalty, "program"),
        loyalty_category=_part(c.loyalty, "category"),
        name_key=name_key(c.name),
        rg_key=None if c.rg is None else rg_key(c.rg),
        loyalty_card=_part(c.loyalty, "card_number"),
    )


_SEXES = {m.value: m for m in Sex}
_MARITAL = {m.value: m for m in MaritalStatus}
_STATUSES = {m.value: m for m in OrderStatus}
_CHANNELS = {m.value: m for m in Channel}


def _member(members: Mapping[Any, E], cls: type[E], value: Any, field: str) -> E:
    found = members.get(value)
    return stored_enum(cls, value, field) if found is None else found


def customer(row: Any) -> Customer:
    """The customer stored in ``row``, rebuilt without running the validators again.

    The enums are still checked (the database keeps any text); every other
    column holds what a validated :class:`Customer` wrote (otocore._trusted).
    """
    sex, marital = row.sex, row.marital_status
    program = row.loyalty_program
    return rebuild(
        Customer,
        customer_id=row.customer_id,
        name=row.name,
        registered_at=row.registered_at,
        cpf=None if row.cpf is None else trusted_cpf(row.cpf),
        rg=row.rg,
        birth_date=row.birth_date,
        email=None if row.email is None else rebuild(Email, address=row.email),
        mobile=None if row.mobile is None else rebuild(Mobile, e164=row.mobile),
        sex=None if sex is None else _member(_SEXES, Sex, sex, "Customer.sex"),
        marital_status=(
            None
            if marital is None
            else _member(_MARITAL, MaritalStatus, marital, "Customer.marital_status")
        ),
        home_store_id=row.home_store_id,
        loyalty=(
            None
            if program is None
            else rebuild(
                Loyalty,
                program=program,
                category=row.loyalty_category,
                card_number=row.loyalty_card,
            )
        ),
    )


def order_row(order: Order) -> Row:
    return _ORDER.row(
        order,
        total_cents=cents("Order.total", order.total),
        discount_cents=cents("Order.discount", order.discount),
    )


def order_values(order: Order, index: int | None = None) -> tuple[Any, ...]:
    """:func:`order_row`'s values as a tuple in the column order of ``orders`` (bulk writes).

    A total too large to store is a ValidationError naming ``orders[index].total``
    (``Order.total`` without an index).
    """
    total = int(order.total.scaleb(2))
    if total > MAX_CENTS:
        cents("Order.total" if index is None else f"orders[{index}].total", order.total)
    discount = int(order.discount.scaleb(2))
    if discount > MAX_CENTS:
        cents("Order.discount" if index is None else f"orders[{index}].discount", order.discount)
    return (
        order.order_id,
        order.customer_id,
        order.store_id,
        order.placed_at,
        total,
        order.seller_code,
        order.status.value,
        order.channel.value,
        discount,
    )


def customer_values(c: Customer) -> tuple[Any, ...]:
    """:func:`customer_row`'s values as a tuple in the column order of ``customers``."""
    loyalty = c.loyalty
    return (
        c.customer_id,
        c.name,
        c.registered_at,
        None if c.cpf is None else c.cpf.digits,
        c.rg,
        c.birth_date,
        None if c.email is None else c.email.address,
        None if c.mobile is None else c.mobile.e164,
        None if c.sex is None else c.sex.value,
        None if c.marital_status is None else c.marital_status.value,
        c.home_store_id,
        None if loyalty is None else loyalty.program,
        None if loyalty is None else loyalty.category,
        name_key(c.name),
        None if c.rg is None else rg_key(c.rg),
        None if loyalty is None else loyalty.card_number,
    )


def order(row: Any) -> Order:
    """The order stored in ``row``, rebuilt without running the validators again.

    The enums are still checked (the database keeps any text); every other
    column holds what a validated :class:`Order` wrote (otocore._trusted).
    """
    return rebuild(
        Order,
        order_id=row.order_id,
        customer_id=row.customer_id,
        store_id=row.store_id,
        placed_at=row.placed_at,
        total=Decimal(row.total_cents).scaleb(-2),
        seller_code=row.seller_code,
        status=_member(_STATUSES, OrderStatus, row.status, "Order.status"),
        channel=_member(_CHANNELS, Channel, row.channel, "Order.channel"),
        discount=Decimal(row.discount_cents).scaleb(-2),
    )


def score_row(as_of: date, score: RfvScore) -> Row:
    return SCORE.row(score, as_of=as_of)


# consent, blocks, contacts, campaigns, suggestions ---------------------------------

CONSENT = RowMap(
    ConsentEvent,
    ("customer_id", "granted", "at", "recorded_by", "event_id"),
    {"channel": ContactChannel, "source": ConsentSource},
)
SUGGESTION = RowMap(
    Suggestion,
    (
        "suggestion_id",
        "day",
        "seller_code",
        "customer_id",
        "campaign_id",
        "message",
        "detail",
        "rank",
        "contact_id",
    ),
    {
        "kind": SuggestionKind,
        "channel": ContactChannel,
        "reason": SuggestionReason,
        "status": SuggestionStatus,
    },
)
WORKLOAD = RowMap(SellerWorkload, ("hours_worked", "idle_share", "avg_conversation_minutes"))
_BLOCK = RowMap(BlockEvent, ("blocked", "reason", "by", "at", "event_id"))
_CONTACT = RowMap(
    Contact,
    (
        "contact_id",
        "seller_code",
        "customer_id",
        "suggestion_id",
        "campaign_id",
        "started_at",
        "finished_at",
        "notes",
        "dismiss_reason",
        "in_portfolio",
        "time_zone",
    ),
    {"channel": ContactChannel, "outcome": ContactOutcome},
)
_CAMPAIGN = RowMap(
    Campaign,
    (
        "campaign_id",
        "name",
        "priority",
        "first_day",
        "last_day",
        "message",
        "quarantine_days",
        "active",
    ),
)
_FEATURE_ORDER = {f: i for i, f in enumerate(BlockFeature)}


def block_row(e: BlockEvent) -> Row:
    features = sorted(e.features, key=_FEATURE_ORDER.__getitem__)
    return _BLOCK.row(e, cpf=e.cpf.digits, features=",".join(f.value for f in features))


def block(row: Any) -> BlockEvent:
    features = stored_enums(BlockFeature, row.features, "BlockEvent.features")
    return _BLOCK.load(row, cpf=stored_cpf(row.cpf), features=features)


def contact_row(c: Contact) -> Row:
    return _CONTACT.row(
        c,
        products_offered=json.dumps(list(c.products_offered), ensure_ascii=False),
        follow_up_day=_part(c.follow_up, "day"),
        follow_up_note=_part(c.follow_up, "note"),
        consent_channel=_part(_part(c.consent_change, "channel"), "value"),
        consent_granted=_part(c.consent_change, "granted"),
    )


def contact(row: Any) -> Contact:
    consent_change = None
    if row.consent_channel is not None:
        field = "Contact.consent_change.channel"
        consent_change = ConsentChange(
            channel=stored_enum(ContactChannel, row.consent_channel, field),
            granted=row.consent_granted,
        )
    return _CONTACT.load(
        row,
        products_offered=_stored_json("Contact.products_offered", row.products_offered, list),
        follow_up=(
            None
            if row.follow_up_day is None
            else FollowUp(day=row.follow_up_day, note=row.follow_up_note)
        ),
        consent_change=consent_change,
    )


def campaign_row(c: Campaign) -> Row:
    from otocore.serialization import converter  # built on first use, never at import

    return _CAMPAIGN.row(
        c,
        audience=_json(converter.unstructure(c.audience, Filter)),
        channels=_json([ch.value for ch in c.channels]),
        channel_messages=_json({ch.value: text for ch, text in c.channel_messages}),
    )


def campaign(row: Any) -> Campaign:
    from otocore.serialization import converter  # built on first use, never at import

    channels = _stored_json("Campaign.channels", row.channels, list)
    messages = _stored_json("Campaign.channel_messages", row.channel_messages, dict)
    audience = _stored_json("Campaign.audience", row.audience, dict)
    return _CAMPAIGN.load(
        row,
        audience=converter.structure(audience, Filter),
        channels=[stored_enum(ContactChannel, ch, "Campaign.channels") for ch in channels],
        channel_messages={
            stored_enum(ContactChannel, ch, "Campaign.channel_messages"): text
            for ch, text in messages.items()
        },
    )


# accounts, tokens and the audit log -------------------------------------------------

_ACCOUNT = RowMap(Account, ("account_id", "seller_code", "store_id", "password_hash", "pin_hash"))
_STATE = RowMap(AccountState, ("failures", "locked", "must_change_password", "active"))
_TOKEN = RowMap(AccountToken, ("account_id",), {"purpose": TokenPurpose})
_RECORD = RowMap(TokenRecord, ("token_hash", "issued_at", "expires_at", "used_at"))
_AUDIT = RowMap(
    AuditEntry,
    ("sequence", "at", "actor", "detail", "previous_hash", "entry_hash", "key_id", "mac"),
    {"outcome": Outcome},
)
_TARGET = ("store_id", "account_id", "seller_code")


def account_row(a: Account) -> Row:
    roles = ",".join(sorted(r.value for r in a.roles))
    return _ACCOUNT.row(a, email=a.email.address, roles=roles, **_STATE.row(a.state))


def account(row: Any) -> Account:
    roles = stored_enums(Role, row.roles, "Account.roles")
    return _ACCOUNT.load(row, email=Email(row.email), roles=roles, state=_STATE.load(row))


def token_row(token: AccountToken) -> Row:
    return _TOKEN.row(token, **_RECORD.row(token.record))


def token(row: Any) -> AccountToken:
    return _TOKEN.load(row, record=_RECORD.load(row))


def audit_row(e: AuditEntry) -> Row:
    target = {f"target_{name}": getattr(e.target, name) for name in _TARGET}
    action = e.action.value if isinstance(e.action, Action) else e.action
    return _AUDIT.row(e, action=action, **target)


def audit(row: Any) -> AuditEntry:
    target = Target(**{name: getattr(row, f"target_{name}") for name in _TARGET})
    return _AUDIT.load(row, action=stored_action(row.action), target=target)
