"""Papéis e permissões (roles and permissions), with a tamper-evident audit log.

Oto's help page for managers and campaigns ("Funcionalidades exclusivas para
Gerentes de Loja": "Ative ou inative vendedores, redistribua a carteira de
clientes de um vendedor inativado ou crie novos usuários para a loja através do
acesso do Gerente de Loja"; "Usuários e permissões": "Clique em Novo Usuário")
and Oto's FAQ ("Esqueci o meu código PIN": "Entre em contato com o seu
gerente para que ele possa resetar o código PIN"; "Meu usuário foi bloqueado":
"entrar em contato com seu gerente, que vai [...] desbloqueá-lo").

**The rule, exactly.** A :class:`Principal` (an account with its roles, store
and seller code) may perform an :class:`Action` on a :class:`Target` iff

1. some role of the principal lists the action in :data:`PERMISSIONS`, with a
   :class:`Scope` that covers the target:

    * ``Scope.OWN``: the target is the principal itself (same ``account_id``, or
      same ``seller_code``), and, if the target names a store, it is the
      principal's store;
    * ``Scope.STORE``: the target names a store (``store_id``) and it is the
      principal's own store;
    * ``Scope.BRAND``: any target of the brand;

2. and the action is not in :data:`SELF_FORBIDDEN` (unlock an account, reset a
   PIN) on the principal's own account or seller code: nobody unlocks or
   resets the PIN of their own account, whatever their roles.

:func:`authorize` raises :class:`~otocore.errors.PermissionDenied` (a
:class:`~otocore.errors.RuleViolation`) naming the roles, the action and the
target; :func:`is_allowed` answers ``True``/``False``.

>>> from otocore.auth import Role
>>> gerente = Principal(account_id="u-gerente", roles={Role.STORE_MANAGER}, store_id="L01")
>>> ana = Target(store_id="L01", seller_code="V01", account_id="u-ana")
>>> is_allowed(gerente, Action.DEACTIVATE_SELLER, ana)
True
>>> authorize(gerente, Action.DEACTIVATE_SELLER, Target(store_id="L02", seller_code="V09"))
Traceback (most recent call last):
...
otocore.errors.PermissionDenied: store_manager u-gerente may not deactivate_seller on store L02, seller V09: store_manager acts only within its own store (L01)
>>> authorize(gerente, Action.UNLOCK_ACCOUNT, Target(store_id="L01", account_id="u-gerente"))
Traceback (most recent call last):
...
otocore.errors.PermissionDenied: store_manager u-gerente may not unlock_account on store L01, account u-gerente: nobody may unlock_account on their own account

**Audit log (registro de auditoria).** Every such action, allowed, denied or
failed, is appended to a log of :class:`AuditEntry` values. Each entry carries
the hash of the one before (``previous_hash``; the first entry carries
:data:`GENESIS_HASH`) and its own ``entry_hash``, the SHA-256 (lowercase hex)
of the UTF-8 bytes of this canonical JSON object (keys sorted, no whitespace,
``","`` and ``":"`` separators, non-ASCII characters written as themselves; for
these values it coincides with RFC 8785 JSON canonicalization)::

    {"action": "<action value or free text>",
     "actor": "<account id>",
     "at": "YYYY-MM-DDTHH:MM:SS.ffffffZ",      (UTC, always 6 fraction digits)
     "detail": "<text, may be empty>",
     "outcome": "allowed" | "denied" | "failed",
     "previous_hash": "<64 lowercase hex digits>",
     "sequence": <integer, 1 for the first entry>,
     "target": {"account_id": <string or null>,
                "seller_code": <string or null>,
                "store_id": <string or null>},
     "v": 1}

:func:`verify_audit_log` recomputes the chain and reports the first entry at
which it breaks: a removed, edited, reordered or inserted entry is detected.
Removing entries from the *end* leaves a valid shorter chain; pass the last
``entry_hash`` you kept elsewhere as ``tail_hash`` to detect that too.

>>> from datetime import UTC, datetime
>>> first = append_entry(
...     None,
...     at=datetime(2026, 5, 10, 15, 0, tzinfo=UTC),
...     actor="u-gerente",
...     action=Action.DEACTIVATE_SELLER,
...     target=ana,
...     outcome=Outcome.ALLOWED,
... )
>>> first.sequence, first.previous_hash == GENESIS_HASH
(1, True)
>>> verify_audit_log([first]).ok
True
>>> edited = attrs.evolve(first, actor="u-outro")
>>> verify_audit_log([edited])
AuditVerification(ok=False, first_bad_sequence=1, problem='entry 1: entry_hash does not match its content (the entry was edited)', macs_checked=0)

**The keyed chain.** The SHA-256 chain alone can be recomputed by anyone who
can write to the database. So the stores, opened with a
:class:`~otocore.ledger.LogKeyring` (configuration, never in the database),
seal every appended entry with :func:`seal_entry`: ``key_id`` and ``mac``, an
HMAC-SHA256 chained to the previous entry's ``mac`` (see
:mod:`otocore.ledger`). ``verify_audit_log(entries, keys=..., head=...)``
checks the MACs and an exported :func:`audit_head`; entries written before
the log had a key carry no MAC and are sealed by the first keyed entry,
whose MAC covers their hash chain.

>>> from otocore.ledger import LogKey, LogKeyring
>>> keys = LogKeyring.of(LogKey(key_id="2026-06", secret=bytes(32)))
>>> sealed = seal_entry(first, tail=None, key=keys.current_key)
>>> verify_audit_log([sealed], keys=keys, head=audit_head(sealed)).ok
True
>>> verify_audit_log([attrs.evolve(sealed, actor="u-outro")], keys=keys).ok
False
"""

from __future__ import annotations

import enum
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

import attrs

from otocore import _validate as v
from otocore.auth import Role
from otocore.errors import PermissionDenied, ValidationError
from otocore.ledger import (
    GENESIS_MAC,
    ChainVerification,
    LogHead,
    LogKey,
    LogKeyring,
    chain_mac,
    check_head,
    macs_equal,
    require_key_id,
)

__all__ = [
    "GENESIS_HASH",
    "PERMISSIONS",
    "SELF_FORBIDDEN",
    "Action",
    "AuditEntry",
    "AuditVerification",
    "Outcome",
    "Principal",
    "Scope",
    "Target",
    "append_entry",
    "audit_decision",
    "audit_head",
    "authorize",
    "canonical_entry_json",
    "denial_reason",
    "entry_hash",
    "grantable_roles",
    "is_allowed",
    "permission_denied",
    "seal_entry",
    "verify_audit_log",
]


class Action(enum.Enum):
    """Ação (action) that needs a permission; each comes from a seed sentence.

    >>> Action("reset_pin")
    <Action.RESET_PIN: 'reset_pin'>
    """

    ACTIVATE_SELLER = "activate_seller"
    """"Ative um Vendedor [...] troque o status do vendedor para Ativo" (gerentes)."""
    DEACTIVATE_SELLER = "deactivate_seller"
    """"Inative um vendedor [...] troque o status do vendedor para Inativo" (gerentes)."""
    REDISTRIBUTE_PORTFOLIO = "redistribute_portfolio"
    """"redistribua a carteira de clientes de um vendedor inativado" (gerentes)."""
    UNLOCK_ACCOUNT = "unlock_account"
    """"entrar em contato com seu gerente, que vai [...] desbloqueá-lo" (FAQ)."""
    RESET_PIN = "reset_pin"
    """"seu gerente para que ele possa resetar o código PIN" (FAQ)."""
    CREATE_USER = "create_user"
    """"crie novos usuários para a loja"; "Usuários e permissões [...] Novo Usuário"."""
    VIEW_RESULTS = "view_results"
    """"Gerentes têm acesso a dados de receita, ranking dos vendedores"; "Vendedores têm acesso a dados de vendas geradas através dos contatos"."""
    REGISTER_CONTACT = "register_contact"
    """"Por que eu devo registrar o atendimento do Oto?" (FAQ); televendas atende em nome do cliente."""
    VIEW_SUGGESTIONS = "view_suggestions"
    """"Como é feita a distribuição das sugestões da carteira de clientes" (FAQ)."""
    APPROVE_ORDER = "approve_order"
    """"o preço manual precisa ser aprovado pelo administrador da loja ou por um usuário com permissão no sistema de Autorização de Pedidos" (televendas)."""
    MANAGE_CONSENT = "manage_consent"
    """"caso o cliente responda não, realize o Opt-out no Oto" (gerentes e campanhas): opt-in and opt-out of a customer the principal attends."""
    MANAGE_BLOCKS = "manage_blocks"
    """"Cadastros bloqueados": "inserir o CPF do cliente e realizar o bloqueio do mesmo nas funcionalidades" (módulo de clientes): brand-level, LGPD requests."""
    SELL_ON_BEHALF = "sell_on_behalf"
    """"o usuário precisa ser cadastrado na loja com o perfil de acesso Call Center Operator" (televendas): build carts, type manual prices, place or share them, approve a promissory note; only the call center."""
    VIEW_ORDERS = "view_orders"
    """"podem visualizar, acompanhar e realizar alterações nos pedidos [...] na página Todos os pedidos" (televendas): the orders list and the queue awaiting authorization."""
    INVOICE_ORDER = "invoice_order"
    """"Uma vez validado o preço manual inserido, o pedido segue o fluxo de faturamento" (televendas): invoice an order ready for invoicing."""
    CONFIGURE_TELESALES = "configure_telesales"
    """"é necessário que a funcionalidade de preço manual tenha sido habilitada" (televendas): the stores with manual prices and the authorization rules."""
    EDIT_CUSTOMER = "edit_customer"
    """"os dados cadastrais do cliente podem ser alterados pelo SAC" (módulo de clientes): the SAC edit of a customer's registry fields, written to the customer history."""
    VIEW_CUSTOMER_HISTORY = "view_customer_history"
    """"Histórico de alterações" (módulo de clientes): read a customer's history; each read goes to the data-access log."""
    HANDLE_DATA_REQUESTS = "handle_data_requests"
    """LGPD art. 18 and 19 ("direitos do titular"): open, answer and list the customers' data-subject requests."""
    READ_ACCESS_LOG = "read_access_log"
    """"Você poderá ver quem pediu quais dados e quando [...] usando o registro de dados [...] se tiver direitos de acesso para esta seção" (Altegio's customer database help page): read the data-access log; brand admins only, not the call center whose accesses it records."""
    MANAGE_CATEGORIES = "manage_categories"
    """"Adicione à categoria [...] criar uma nova categoria" (Altegio's customer database help page): create and delete customer categories, set their automatic discounts, add and remove their customers; brand admins only (a category and its discount are the brand's, valid in every store)."""
    SEND_BULK_MESSAGE = "send_bulk_message"
    """"Envie uma mensagem [...] marque a caixa ao lado da configuração Li e compreendo a responsabilidade por violação da legislação vigente" (Altegio): a bulk message to a selection or a search, with the sender's acknowledgment; brand admins only ("Campanhas são regras criadas pelas marcas", Oto)."""
    ADD_CUSTOMER = "add_customer"
    """"você pode adicionar clientes manualmente um por um" (Altegio): add one customer by hand; the brand, the call center, and a store manager for a customer of their store."""


class Scope(enum.Enum):
    """Alcance (scope) of a permission: the principal itself, its store, or the brand.

    >>> tuple(s.value for s in Scope)
    ('own', 'store', 'brand')
    """

    OWN = "own"
    STORE = "store"
    BRAND = "brand"


class Outcome(enum.Enum):
    """Resultado (outcome) of an audited action.

    ALLOWED: permitted and done; DENIED: refused by :func:`authorize`; FAILED:
    permitted but it failed (for example, the seller did not exist).

    >>> Outcome("denied")
    <Outcome.DENIED: 'denied'>
    """

    ALLOWED = "allowed"
    DENIED = "denied"
    FAILED = "failed"


_ALL_ACTIONS_BRAND: dict[Action, Scope] = {
    action: Scope.BRAND for action in Action if action is not Action.SELL_ON_BEHALF
}  # selling on a customer's behalf is the call center's alone (VTEX's Call Center Operator)

PERMISSIONS: Mapping[Role, Mapping[Action, Scope]] = MappingProxyType(
    {
        Role.SELLER: MappingProxyType(
            {
                Action.VIEW_RESULTS: Scope.OWN,
                Action.REGISTER_CONTACT: Scope.OWN,
                Action.VIEW_SUGGESTIONS: Scope.OWN,
                Action.MANAGE_CONSENT: Scope.OWN,
            }
        ),
        Role.STORE_MANAGER: MappingProxyType(
            {
                Action.ACTIVATE_SELLER: Scope.STORE,
                Action.DEACTIVATE_SELLER: Scope.STORE,
                Action.REDISTRIBUTE_PORTFOLIO: Scope.STORE,
                Action.UNLOCK_ACCOUNT: Scope.STORE,
                Action.RESET_PIN: Scope.STORE,
                Action.CREATE_USER: Scope.STORE,
                Action.VIEW_RESULTS: Scope.STORE,
                Action.REGISTER_CONTACT: Scope.STORE,
                Action.VIEW_SUGGESTIONS: Scope.STORE,
                Action.MANAGE_CONSENT: Scope.STORE,
                Action.ADD_CUSTOMER: Scope.STORE,  # a customer whose home store is theirs
            }
        ),
        Role.BRAND_ADMIN: MappingProxyType(_ALL_ACTIONS_BRAND),
        Role.CALL_CENTER: MappingProxyType(
            {
                Action.REGISTER_CONTACT: Scope.BRAND,
                Action.VIEW_SUGGESTIONS: Scope.BRAND,
                Action.MANAGE_CONSENT: Scope.BRAND,
                Action.SELL_ON_BEHALF: Scope.BRAND,
                Action.VIEW_ORDERS: Scope.BRAND,
                Action.INVOICE_ORDER: Scope.BRAND,
                Action.EDIT_CUSTOMER: Scope.BRAND,  # the SAC desk
                Action.VIEW_CUSTOMER_HISTORY: Scope.BRAND,
                Action.HANDLE_DATA_REQUESTS: Scope.BRAND,
                Action.ADD_CUSTOMER: Scope.BRAND,  # televendas registers who it sells to
            }
        ),
        Role.ORDER_APPROVER: MappingProxyType(
            {Action.APPROVE_ORDER: Scope.BRAND, Action.VIEW_ORDERS: Scope.BRAND}
        ),
    }
)
"""The permission table: role → action → scope. An action absent for a role is denied.

Rendered on the *Roles and permissions* page of the documentation; a test checks that the page and this table agree.
"""

SELF_FORBIDDEN: frozenset[Action] = frozenset({Action.UNLOCK_ACCOUNT, Action.RESET_PIN})
"""Actions nobody may perform on their own account or seller code, whatever their roles."""

_GRANTABLE: Mapping[Role, frozenset[Role]] = MappingProxyType(
    {
        Role.BRAND_ADMIN: frozenset(Role),
        Role.STORE_MANAGER: frozenset({Role.SELLER}),
    }
)

GENESIS_HASH = "0" * 64
"""The ``previous_hash`` of the first entry of an audit log (64 zeros)."""

_HEX64 = re.compile(r"[0-9a-f]{64}")
_HEX64_RULE = "must be a SHA-256 digest as 64 lowercase hex digits"


def _role_set(value: Any, self_: Any, field: attrs.Attribute[Any]) -> frozenset[Role]:
    name = v.field_name(self_, field)
    rule = "must be a set of Role values"
    # a mapping is refused, not read as its keys: {Role.BRAND_ADMIN: False} must not make an admin
    items = list(v.require_iterable(name, value, rule=rule))
    for item in items:
        if not isinstance(item, Role):
            allowed = ", ".join(repr(r.value) for r in Role)
            raise ValidationError(name, value, f"must contain only Role members ({allowed})")
    return frozenset(items)


@attrs.frozen(kw_only=True)
class Principal:
    """Quem age (principal): an account with its roles, store and seller code.

    A store manager and a seller need ``store_id`` (their store); a seller
    needs ``seller_code`` too. ``roles`` may be any iterable of :class:`Role`
    (not a mapping: ``{Role.BRAND_ADMIN: False}`` is refused, not read as its
    keys) and is stored as a frozenset.

    >>> from otocore.auth import Role
    >>> Principal(account_id="u-ana", roles=[Role.SELLER], store_id="L01", seller_code="V01").roles
    frozenset({<Role.SELLER: 'seller'>})
    >>> Principal(account_id="u-ana", roles={Role.SELLER}, store_id="L01")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: Principal.seller_code a seller needs its seller code, got None
    """

    account_id: str = attrs.field(validator=v.text(200))
    roles: frozenset[Role] = attrs.field(
        converter=attrs.Converter(_role_set, takes_self=True, takes_field=True)  # type: ignore[misc]
    )
    store_id: str | None = attrs.field(default=None, validator=v.optional_text(100))
    seller_code: str | None = attrs.field(default=None, validator=v.optional_text(100))

    def __attrs_post_init__(self) -> None:
        needs_store = {Role.STORE_MANAGER, Role.SELLER} & self.roles
        if needs_store and self.store_id is None:
            role = sorted(r.value for r in needs_store)[0]
            raise ValidationError("Principal.store_id", None, f"a {role} needs its store")
        if Role.SELLER in self.roles and self.seller_code is None:
            raise ValidationError("Principal.seller_code", None, "a seller needs its seller code")


@attrs.frozen(kw_only=True)
class Target:
    """Alvo (target): what an action is on: a store, an account, a seller.

    At least one field is set. A seller is named by ``seller_code``, its
    account by ``account_id`` and its store by ``store_id``; give every one
    you know, since store-scoped permissions need ``store_id``.

    >>> Target(store_id="L01")
    Target(store_id='L01', account_id=None, seller_code=None)
    >>> Target()
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: Target must name a store_id, an account_id or a seller_code, got Target(store_id=None, account_id=None, seller_code=None)
    """

    store_id: str | None = attrs.field(default=None, validator=v.optional_text(100))
    account_id: str | None = attrs.field(default=None, validator=v.optional_text(200))
    seller_code: str | None = attrs.field(default=None, validator=v.optional_text(100))

    def __attrs_post_init__(self) -> None:
        if self.store_id is None and self.account_id is None and self.seller_code is None:
            raise ValidationError(
                "Target", self, "must name a store_id, an account_id or a seller_code"
            )


def _is_self(principal: Principal, target: Target) -> bool:
    if target.account_id is not None and target.account_id == principal.account_id:
        return True
    return target.seller_code is not None and target.seller_code == principal.seller_code


def _describe(target: Target) -> str:
    parts = []
    if target.store_id is not None:
        parts.append(f"store {target.store_id}")
    if target.account_id is not None:
        parts.append(f"account {target.account_id}")
    if target.seller_code is not None:
        parts.append(f"seller {target.seller_code}")
    return ", ".join(parts)


def _scope_problem(role: Role, scope: Scope, principal: Principal, target: Target) -> str | None:
    if scope is Scope.BRAND:
        return None
    if scope is Scope.STORE:
        if target.store_id is None:
            return f"{role.value} acts only within its own store and the target names no store"
        if target.store_id != principal.store_id:
            return f"{role.value} acts only within its own store ({principal.store_id})"
        return None
    if not _is_self(principal, target):
        return f"{role.value} may do this only on its own account"
    if target.store_id is not None and target.store_id != principal.store_id:
        return f"{role.value} acts only within its own store ({principal.store_id})"
    return None


def _check_args(principal: Any, action: Any, target: Any) -> None:
    v.require_instance("principal", principal, Principal)
    v.require_enum("action", action, Action)
    v.require_instance("target", target, Target)


def denial_reason(principal: Principal, action: Action, target: Target) -> str | None:
    """Why ``principal`` may not perform ``action`` on ``target``; ``None`` if it may.

    >>> from otocore.auth import Role
    >>> tele = Principal(account_id="u-tele", roles={Role.CALL_CENTER})
    >>> denial_reason(tele, Action.REGISTER_CONTACT, Target(store_id="L07")) is None
    True
    >>> denial_reason(tele, Action.RESET_PIN, Target(store_id="L07", seller_code="V3"))
    'no role of call_center grants reset_pin'
    """
    _check_args(principal, action, target)
    roles = ", ".join(sorted(r.value for r in principal.roles)) or "no role"
    if action in SELF_FORBIDDEN and _is_self(principal, target):
        return f"nobody may {action.value} on their own account"
    problems = []
    for role in sorted(principal.roles, key=lambda r: r.value):
        scope = PERMISSIONS[role].get(action)
        if scope is None:
            continue
        problem = _scope_problem(role, scope, principal, target)
        if problem is None:
            return None
        problems.append(problem)
    if not problems:
        return f"no role of {roles} grants {action.value}"
    return "; ".join(problems)


def authorize(principal: Principal, action: Action, target: Target) -> None:
    """Return if ``principal`` may perform ``action`` on ``target``, else raise.

    Raises:
        PermissionDenied: naming the roles, the account, the action, the target
            and the reason.
        ValidationError: when an argument has the wrong type.

    >>> from otocore.auth import Role
    >>> admin = Principal(account_id="u-admin", roles={Role.BRAND_ADMIN})
    >>> authorize(admin, Action.CREATE_USER, Target(store_id="L42"))  # any store
    >>> vendedor = Principal(
    ...     account_id="u-ana", roles={Role.SELLER}, store_id="L01", seller_code="V01"
    ... )
    >>> authorize(vendedor, Action.ACTIVATE_SELLER, Target(store_id="L01", seller_code="V02"))
    Traceback (most recent call last):
    ...
    otocore.errors.PermissionDenied: seller u-ana may not activate_seller on store L01, seller V02: no role of seller grants activate_seller
    """
    reason = denial_reason(principal, action, target)
    if reason is not None:
        raise permission_denied(principal, action, target, reason)


def permission_denied(
    principal: Principal, action: Action, target: Target, reason: str
) -> PermissionDenied:
    """The :class:`~otocore.errors.PermissionDenied` that :func:`authorize` raises, built.

    For services that decide more than the table (for example, that a store
    manager may unlock sellers but not other managers) and want the same
    wording.

    >>> from otocore.auth import Role
    >>> g = Principal(account_id="u-g", roles={Role.STORE_MANAGER}, store_id="L01")
    >>> print(permission_denied(g, Action.UNLOCK_ACCOUNT, Target(account_id="u-h"), "not a seller"))
    store_manager u-g may not unlock_account on account u-h: not a seller
    """
    roles = ", ".join(sorted(r.value for r in principal.roles)) or "(no role)"
    return PermissionDenied(
        f"{roles} {principal.account_id} may not {action.value} on {_describe(target)}: {reason}"
    )


def is_allowed(principal: Principal, action: Action, target: Target) -> bool:
    """Whether :func:`authorize` would let ``principal`` perform ``action`` on ``target``.

    >>> from otocore.auth import Role
    >>> aprovador = Principal(account_id="u-aprov", roles={Role.ORDER_APPROVER})
    >>> is_allowed(aprovador, Action.APPROVE_ORDER, Target(store_id="L01"))
    True
    >>> is_allowed(aprovador, Action.CREATE_USER, Target(store_id="L01"))
    False
    """
    return denial_reason(principal, action, target) is None


def grantable_roles(principal: Principal) -> frozenset[Role]:
    """Roles ``principal`` may give to a user it creates (with ``CREATE_USER``).

    A brand admin grants any role; a store manager grants only ``SELLER``
    (within its store, as :func:`authorize` checks); anyone else, none. This
    keeps a manager from creating an admin.

    >>> from otocore.auth import Role
    >>> gerente = Principal(account_id="u-g", roles={Role.STORE_MANAGER}, store_id="L01")
    >>> {r.value for r in grantable_roles(gerente)}
    {'seller'}
    """
    v.require_instance("principal", principal, Principal)
    none: frozenset[Role] = frozenset()
    return none.union(*(_GRANTABLE.get(role, none) for role in principal.roles))


# Audit log -----------------------------------------------------------------------


def _require_free_text(name: str, value: Any, *, max_length: int, allow_empty: bool) -> None:
    if allow_empty and value == "":
        return
    v.require_text(name, value, max_length=max_length)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError(name, value, "must be valid Unicode text") from None


def _actor_text(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    name = v.field_name(instance, attribute)
    _require_free_text(name, value, max_length=200, allow_empty=False)


def _detail_text(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    name = v.field_name(instance, attribute)
    _require_free_text(name, value, max_length=1000, allow_empty=True)


def _action_value(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, Action):
        return
    name = v.field_name(instance, attribute)
    v.require_instance(name, value, str, rule="must be an Action or a str")
    _require_free_text(name, value, max_length=100, allow_empty=False)


def _hex64(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not _HEX64.fullmatch(value):
        raise ValidationError(v.field_name(instance, attribute), value, _HEX64_RULE)


@attrs.frozen(kw_only=True)
class AuditEntry:
    """Entrada do registro de auditoria (audit log entry): who, what, on whom, when, outcome.

    Build entries with :func:`append_entry`; the constructor checks only the
    shape (so an entry loaded from storage can be verified by
    :func:`verify_audit_log`, not rejected on load). ``action`` is an
    :class:`Action` or free text for actions outside the table.

    >>> from datetime import UTC, datetime
    >>> AuditEntry(
    ...     sequence=0,
    ...     at=datetime(2026, 1, 1, tzinfo=UTC),
    ...     actor="u-admin",
    ...     action="export_report",
    ...     target=Target(store_id="L01"),
    ...     outcome=Outcome.ALLOWED,
    ...     previous_hash=GENESIS_HASH,
    ...     entry_hash=GENESIS_HASH,
    ... )
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: AuditEntry.sequence must be >= 1, got 0
    """

    sequence: int = attrs.field(validator=v.integer(min_value=1))
    at: datetime = attrs.field(converter=v.instant)  # type: ignore[misc]
    actor: str = attrs.field(validator=_actor_text)
    action: Action | str = attrs.field(validator=_action_value)
    target: Target = attrs.field(validator=v.instance_of(Target))
    outcome: Outcome = attrs.field(validator=v.member_of(Outcome))
    detail: str = attrs.field(default="", validator=_detail_text)
    previous_hash: str = attrs.field(validator=_hex64)
    entry_hash: str = attrs.field(validator=_hex64)
    key_id: str | None = attrs.field(default=None)
    mac: str | None = attrs.field(default=None, validator=attrs.validators.optional(_hex64))

    def __attrs_post_init__(self) -> None:
        if (self.key_id is None) != (self.mac is None):
            raise ValidationError(
                "AuditEntry.mac", self.mac, "must be given with key_id (both or neither)"
            )
        if self.key_id is not None:
            require_key_id("AuditEntry.key_id", self.key_id)


def _canonical(
    *,
    sequence: int,
    at: datetime,
    actor: str,
    action: Action | str,
    target: Target,
    outcome: Outcome,
    detail: str,
    previous_hash: str,
) -> str:
    stamp = at.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"
    document = {
        "v": 1,
        "sequence": sequence,
        "at": stamp,
        "actor": actor,
        "action": action.value if isinstance(action, Action) else action,
        "target": {
            "store_id": target.store_id,
            "account_id": target.account_id,
            "seller_code": target.seller_code,
        },
        "outcome": outcome.value,
        "detail": detail,
        "previous_hash": previous_hash,
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_entry_json(entry: AuditEntry) -> str:
    """The canonical JSON text whose SHA-256 is ``entry.entry_hash`` (see the module docs).

    >>> from datetime import UTC, datetime
    >>> e = append_entry(
    ...     None,
    ...     at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    ...     actor="u-admin",
    ...     action=Action.CREATE_USER,
    ...     target=Target(store_id="L01"),
    ...     outcome=Outcome.ALLOWED,
    ... )
    >>> print(canonical_entry_json(e))  # doctest: +ELLIPSIS
    {"action":"create_user","actor":"u-admin","at":"2026-01-02T03:04:05.000000Z","detail":"",...}
    """
    return _canonical(
        sequence=entry.sequence,
        at=entry.at,
        actor=entry.actor,
        action=entry.action,
        target=entry.target,
        outcome=entry.outcome,
        detail=entry.detail,
        previous_hash=entry.previous_hash,
    )


def entry_hash(entry: AuditEntry) -> str:
    """Recompute the hash ``entry.entry_hash`` should have: SHA-256 of the canonical JSON.

    >>> from datetime import UTC, datetime
    >>> e = append_entry(
    ...     None,
    ...     at=datetime(2026, 1, 2, tzinfo=UTC),
    ...     actor="u-admin",
    ...     action=Action.CREATE_USER,
    ...     target=Target(store_id="L01"),
    ...     outcome=Outcome.ALLOWED,
    ... )
    >>> entry_hash(e) == e.entry_hash
    True
    """
    return hashlib.sha256(canonical_entry_json(entry).encode("utf-8")).hexdigest()


def append_entry(
    log_tail: AuditEntry | None,
    *,
    at: datetime,
    actor: str,
    action: Action | str,
    target: Target,
    outcome: Outcome,
    detail: str = "",
) -> AuditEntry:
    """The entry that follows ``log_tail`` (the log's last entry, ``None`` for an empty log).

    Its ``sequence`` is one more than the tail's (1 for the first entry), its
    ``previous_hash`` the tail's ``entry_hash`` (:data:`GENESIS_HASH` first)
    and its ``entry_hash`` the SHA-256 of its canonical JSON. Nothing is
    stored: saving the entry, atomically after the tail, is the caller's job.

    >>> from datetime import UTC, datetime
    >>> a = append_entry(
    ...     None,
    ...     at=datetime(2026, 3, 1, tzinfo=UTC),
    ...     actor="u-g",
    ...     action=Action.RESET_PIN,
    ...     target=Target(store_id="L01", seller_code="V01"),
    ...     outcome=Outcome.DENIED,
    ...     detail="not this store",
    ... )
    >>> b = append_entry(
    ...     a,
    ...     at=datetime(2026, 3, 1, 0, 1, tzinfo=UTC),
    ...     actor="u-g",
    ...     action=Action.RESET_PIN,
    ...     target=Target(store_id="L01", seller_code="V02"),
    ...     outcome=Outcome.ALLOWED,
    ... )
    >>> b.sequence, b.previous_hash == a.entry_hash
    (2, True)
    """
    if log_tail is not None and not isinstance(log_tail, AuditEntry):
        raise ValidationError("log_tail", log_tail, "must be an AuditEntry or None")
    sequence = 1 if log_tail is None else log_tail.sequence + 1
    previous = GENESIS_HASH if log_tail is None else log_tail.entry_hash
    draft = AuditEntry(
        sequence=sequence,
        at=at,
        actor=actor,
        action=action,
        target=target,
        outcome=outcome,
        detail=detail,
        previous_hash=previous,
        entry_hash=GENESIS_HASH,
    )
    return attrs.evolve(draft, entry_hash=entry_hash(draft))


def audit_decision(
    log_tail: AuditEntry | None,
    *,
    at: datetime,
    principal: Principal,
    action: Action,
    target: Target,
) -> AuditEntry:
    """Decide with :func:`authorize` and return the audit entry recording the decision.

    The outcome is ALLOWED, or DENIED with the reason as ``detail``; a denied
    attempt is logged too. The caller saves the entry and, when DENIED,
    raises (or calls :func:`authorize`); an action that then fails is
    recorded with another entry with outcome FAILED.

    >>> from datetime import UTC, datetime
    >>> from otocore.auth import Role
    >>> g = Principal(account_id="u-g", roles={Role.STORE_MANAGER}, store_id="L01")
    >>> e = audit_decision(
    ...     None,
    ...     at=datetime(2026, 3, 1, tzinfo=UTC),
    ...     principal=g,
    ...     action=Action.ACTIVATE_SELLER,
    ...     target=Target(store_id="L02", seller_code="V9"),
    ... )
    >>> e.outcome, e.detail
    (<Outcome.DENIED: 'denied'>, 'store_manager acts only within its own store (L01)')
    """
    reason = denial_reason(principal, action, target)
    return append_entry(
        log_tail,
        at=at,
        actor=principal.account_id,
        action=action,
        target=target,
        outcome=Outcome.ALLOWED if reason is None else Outcome.DENIED,
        detail=reason or "",
    )


def seal_entry(entry: AuditEntry, *, tail: AuditEntry | None, key: LogKey) -> AuditEntry:
    """``entry`` with its ``key_id`` and ``mac``: the keyed link after ``tail``.

    The MAC is :func:`~otocore.ledger.chain_mac` under ``key`` for the log
    ``"audit"``, over the UTF-8 bytes of :func:`canonical_entry_json` (which
    holds ``previous_hash``), chained to the tail's ``mac``; to the tail's
    ``entry_hash`` when the tail is an unkeyed entry written before keys
    existed (so the first keyed entry seals the unkeyed ones before it), and
    to :data:`~otocore.ledger.GENESIS_MAC` for the first entry. The stores
    call it when an entry is appended; nothing else needs to.

    >>> from datetime import UTC, datetime
    >>> from otocore.ledger import LogKey
    >>> key = LogKey(key_id="k1", secret=bytes(32))
    >>> e = append_entry(
    ...     None,
    ...     at=datetime(2026, 1, 2, tzinfo=UTC),
    ...     actor="u-admin",
    ...     action=Action.CREATE_USER,
    ...     target=Target(store_id="L01"),
    ...     outcome=Outcome.ALLOWED,
    ... )
    >>> sealed = seal_entry(e, tail=None, key=key)
    >>> sealed.key_id, len(sealed.mac)
    ('k1', 64)
    """
    v.require_instance("entry", entry, AuditEntry)
    v.require_instance("key", key, LogKey)
    if tail is not None:
        v.require_instance("tail", tail, AuditEntry)
    return attrs.evolve(entry, key_id=key.key_id, mac=_mac(entry, key, _previous_mac(tail)))


def _previous_mac(tail: AuditEntry | None) -> str:
    if tail is None:
        return GENESIS_MAC
    return tail.mac if tail.mac is not None else tail.entry_hash


def _mac(entry: AuditEntry, key: LogKey, previous: str) -> str:
    payload = canonical_entry_json(entry).encode("utf-8")
    return chain_mac(key, log="audit", previous=previous, payload=payload)


def audit_head(entry: AuditEntry) -> LogHead:
    """The head to export after ``entry`` (a keyed entry: the log's last one).

    >>> from datetime import UTC, datetime
    >>> from otocore.ledger import LogKey, dump_head
    >>> e = append_entry(
    ...     None,
    ...     at=datetime(2026, 1, 2, tzinfo=UTC),
    ...     actor="u-admin",
    ...     action=Action.CREATE_USER,
    ...     target=Target(store_id="L01"),
    ...     outcome=Outcome.ALLOWED,
    ... )
    >>> audit_head(seal_entry(e, tail=None, key=LogKey(key_id="k1", secret=bytes(32)))).sequence
    1
    >>> audit_head(e)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: entry.mac must be a keyed entry (written with a log key), got None
    """
    v.require_instance("entry", entry, AuditEntry)
    if entry.key_id is None or entry.mac is None:
        raise ValidationError("entry.mac", None, "must be a keyed entry (written with a log key)")
    return LogHead(log="audit", sequence=entry.sequence, key_id=entry.key_id, mac=entry.mac)


@attrs.frozen(kw_only=True)
class AuditVerification:
    """Result of :func:`verify_audit_log`.

    ``first_bad_sequence`` is the sequence number at which the log stops
    verifying (every entry before it is intact), ``problem`` says why.
    ``macs_checked`` counts the entries whose keyed MAC was verified (0
    without ``keys``); the entries before the first keyed one (written before
    the log had a key) are checked by their hash chain only, and sealed by
    the first keyed entry's MAC.

    >>> verify_audit_log([])
    AuditVerification(ok=True, first_bad_sequence=None, problem=None, macs_checked=0)
    """

    ok: bool
    first_bad_sequence: int | None = None
    problem: str | None = None
    macs_checked: int = 0


def _bad(position: int, problem: str, macs: int = 0) -> AuditVerification:
    return AuditVerification(
        ok=False, first_bad_sequence=position, problem=problem, macs_checked=macs
    )


def verify_audit_log(
    entries: Iterable[AuditEntry],
    *,
    tail_hash: str | None = None,
    keys: LogKeyring | None = None,
    head: LogHead | None = None,
) -> AuditVerification:
    """Check the hash chain (and, with ``keys``, the keyed MAC chain) of a whole log.

    Entry ``i`` (from 1) must have ``sequence == i``, ``previous_hash`` equal
    to the ``entry_hash`` of entry ``i - 1`` (:data:`GENESIS_HASH` for the
    first) and an ``entry_hash`` equal to :func:`entry_hash` of itself. So a
    removed, inserted, reordered or edited entry is reported at the first
    position where it shows. With ``tail_hash`` (the last ``entry_hash`` kept
    elsewhere), the log must also end with that entry, which detects entries
    cut from the end.

    The hash chain alone is no defence against someone who can write to the
    database: they can recompute it. With ``keys`` (the
    :class:`~otocore.ledger.LogKeyring`) every keyed entry's MAC is checked
    too (see :func:`seal_entry`), and once an entry is keyed every later one
    must be. With ``head`` (an exported :class:`~otocore.ledger.LogHead`;
    needs ``keys``) the log must still hold that entry with that MAC, which
    detects a rewrite and a truncation.

    >>> from datetime import UTC, datetime
    >>> log = []
    >>> for n in range(3):
    ...     log.append(
    ...         append_entry(
    ...             log[-1] if log else None,
    ...             at=datetime(2026, 3, 1, n, tzinfo=UTC),
    ...             actor="u-g",
    ...             action=Action.UNLOCK_ACCOUNT,
    ...             target=Target(account_id=f"u-{n}"),
    ...             outcome=Outcome.ALLOWED,
    ...         )
    ...     )
    >>> verify_audit_log(log, tail_hash=log[-1].entry_hash).ok
    True
    >>> verify_audit_log([log[0], log[2]]).first_bad_sequence  # entry 2 removed
    2
    >>> verify_audit_log(log[:2], tail_hash=log[-1].entry_hash).problem
    'the log ends at entry 2 but tail_hash names a different last entry (entries were cut from the end)'

    Keyed:

    >>> from otocore.ledger import LogKey, LogKeyring
    >>> keys = LogKeyring.of(LogKey(key_id="k1", secret=bytes(32)))
    >>> sealed = []
    >>> for e in log:
    ...     sealed.append(seal_entry(e, tail=sealed[-1] if sealed else None, key=keys.current_key))
    >>> verify_audit_log(sealed, keys=keys, head=audit_head(sealed[-1]))
    AuditVerification(ok=True, first_bad_sequence=None, problem=None, macs_checked=3)
    >>> verify_audit_log(sealed[:2], keys=keys, head=audit_head(sealed[-1])).problem
    'the log ends at entry 2 but the head names entry 3 (entries were cut from the end)'
    """
    if tail_hash is not None and not (isinstance(tail_hash, str) and _HEX64.fullmatch(tail_hash)):
        raise ValidationError("tail_hash", tail_hash, _HEX64_RULE)
    if keys is not None:
        v.require_instance("keys", keys, LogKeyring)
    if head is not None and keys is None:
        raise ValidationError("head", head, "needs keys: a head is checked against the keyed MACs")
    expected_previous = GENESIS_HASH
    previous_mac = GENESIS_MAC
    keyed_since: int | None = None
    macs = 0
    seen: dict[int, tuple[str, str]] = {}
    position = 0
    for position, entry in enumerate(entries, start=1):
        if not isinstance(entry, AuditEntry):
            raise ValidationError(f"entries[{position - 1}]", entry, "must be an AuditEntry")
        if entry.sequence != position:
            return _bad(
                position,
                f"entry {position}: found sequence {entry.sequence} "
                "(an entry was removed, inserted or reordered)",
                macs,
            )
        if entry.previous_hash != expected_previous:
            return _bad(
                position,
                f"entry {position}: previous_hash does not match the entry before it "
                "(an entry was replaced, inserted or reordered)",
                macs,
            )
        if entry_hash(entry) != entry.entry_hash:
            return _bad(
                position,
                f"entry {position}: entry_hash does not match its content (the entry was edited)",
                macs,
            )
        if keys is not None:
            problem = _mac_problem(entry, keys, previous_mac, keyed_since)
            if problem is not None:
                return _bad(position, f"entry {position}: {problem}", macs)
            if entry.mac is not None and entry.key_id is not None:
                keyed_since = position if keyed_since is None else keyed_since
                macs += 1
                seen[position] = (entry.key_id, entry.mac)
        expected_previous = entry.entry_hash
        previous_mac = entry.mac if entry.mac is not None else entry.entry_hash
    if tail_hash is not None and tail_hash != expected_previous:
        return _bad(
            position + 1,
            f"the log ends at entry {position} but tail_hash names a different last entry "
            "(entries were cut from the end)",
            macs,
        )
    failure: ChainVerification | None = check_head(head, log="audit", seen=seen, last=position)
    if failure is not None:
        return _bad(failure.first_bad_sequence or position, failure.problem or "", macs)
    return AuditVerification(ok=True, macs_checked=macs)


def _mac_problem(
    entry: AuditEntry, keys: LogKeyring, previous: str, keyed_since: int | None
) -> str | None:
    if entry.mac is None or entry.key_id is None:
        if keyed_since is not None:
            return (
                f"not keyed, though the log is keyed since entry {keyed_since}"
                " (written or rewritten without the key)"
            )
        return None
    key = keys.get(entry.key_id)
    if key is None:
        return f"key id {entry.key_id!r} is not in the keyring"
    if not macs_equal(_mac(entry, key, previous), entry.mac):
        return (
            "its MAC does not match its content (the entry was edited, or MACed with another key)"
        )
    return None
