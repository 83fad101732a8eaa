"""Hypothesis strategies for :mod:`otocore.auth` and :mod:`otocore.access`.

Re-exported by :mod:`otocore.testing`. Accounts and principals always come in
combinations the constructors accept (a seller names its seller code and
store, a store manager its store); audit logs are built with
:func:`~otocore.access.append_entry`, so every drawn log verifies.

Hashes are real Argon2id hashes, computed once, lazily, with
:meth:`~otocore.auth.SecretHasher.insecure_for_tests` (never per example): a
drawn ``password_hash`` is ``None`` or the hash of one of
:data:`SAMPLE_PASSWORDS`, a ``pin_hash`` ``None`` or the hash of one of
:data:`SAMPLE_PINS`, so a test can log in with them.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

from otocore.access import Action, AuditEntry, Outcome, Principal, Target, append_entry
from otocore.auth import (
    Account,
    AccountState,
    AccountToken,
    LockoutPolicy,
    PasswordPolicy,
    PinDelivery,
    PinPolicy,
    RecoveryRateLimit,
    Role,
    SecretHasher,
    SecurityPolicy,
    TokenPurpose,
    TokenRecord,
    hash_token,
)
from otocore.testing._customers import emails
from otocore.testing._strategies import aware_datetimes, seller_codes, store_ids

__all__ = [
    "SAMPLE_PASSWORDS",
    "SAMPLE_PINS",
    "account_states",
    "account_tokens",
    "accounts",
    "audit_entries",
    "audit_logs",
    "lockout_policies",
    "password_policies",
    "pin_policies",
    "principals",
    "recovery_rate_limits",
    "role_sets",
    "security_policies",
    "targets",
    "token_records",
]

SAMPLE_PASSWORDS = ("cavalo correto bateria grampo", "Brisa no verão de 2026")
"""The passwords whose hashes :func:`accounts` draws as ``password_hash``."""

SAMPLE_PINS = ("042917", "8351", "73902846")
"""The PINs (6, 4 and 8 digits) whose hashes :func:`accounts` draws as ``pin_hash``."""

_SPAN_START = datetime(2026, 5, 1, tzinfo=UTC)
_SPAN_END = datetime(2026, 5, 31, 23, 59, tzinfo=UTC)
_COMMON = ("senha123", "brisa2026", "password", "12345678", "carnaval", "Vendedor1")
_FREE_ACTIONS = ("export_report", "view_audit_log", "exportar relatório")
_DETAILS = (
    "",
    "store_manager acts only within its own store (L01)",
    "Seller 'V009' not found",
    "vendedor inativado às 15h, carteira redistribuída",
)


@functools.cache
def _hashes(secrets: tuple[str, ...]) -> tuple[str, ...]:
    hasher = SecretHasher.insecure_for_tests()
    return tuple(hasher.hash(secret) for secret in secrets)


def _hash_of_one(secrets: tuple[str, ...]) -> st.SearchStrategy[str]:
    # hashed on first draw, not at import nor when the strategy is built
    return st.integers(0, len(secrets) - 1).map(lambda i: _hashes(secrets)[i])


def _account_ids(*, max_count: int = 20) -> st.SearchStrategy[str]:
    return st.integers(1, max_count).map(lambda n: f"u-{n:03d}")


def _instants() -> st.SearchStrategy[datetime]:
    return aware_datetimes(min_value=_SPAN_START, max_value=_SPAN_END)


def account_states() -> st.SearchStrategy[AccountState]:
    """Login states: a failure count and the locked, new-password and active flags.

    >>> from hypothesis import find
    >>> find(account_states(), lambda s: s.locked and not s.active).locked
    True
    """
    return st.builds(
        AccountState,
        failures=st.integers(0, 10),
        locked=st.booleans(),
        must_change_password=st.booleans(),
        active=st.booleans(),
    )


def lockout_policies() -> st.SearchStrategy[LockoutPolicy]:
    """Lockout limits from 1 to 100 failures, small ones most often.

    >>> from hypothesis import find
    >>> find(lockout_policies(), lambda p: p.max_failures > 50).max_failures > 50
    True
    """
    return st.builds(
        LockoutPolicy, max_failures=st.integers(1, 10) | st.integers(1, 100) | st.just(5)
    )


def pin_policies(
    *, delivery: st.SearchStrategy[PinDelivery] | None = None
) -> st.SearchStrategy[PinPolicy]:
    """PIN policies of 4 to 8 digits, either delivery.

    >>> from hypothesis import find
    >>> find(pin_policies(delivery=st.just(PinDelivery.EMAIL_LINK)), lambda p: True).delivery
    <PinDelivery.EMAIL_LINK: 'email_link'>
    """
    return st.builds(
        PinPolicy,
        length=st.integers(4, 8),
        delivery=st.sampled_from(PinDelivery) if delivery is None else delivery,
    )


def password_policies() -> st.SearchStrategy[PasswordPolicy]:
    """Password policies with small ``common`` lists (not the bundled one, for speed).

    >>> from hypothesis import find
    >>> policy = find(password_policies(), lambda p: "senha123" in p.common)
    >>> policy.min_length >= 8
    True
    """

    @st.composite
    def build(draw: st.DrawFn) -> PasswordPolicy:
        low = draw(st.integers(8, 16))
        return PasswordPolicy(
            min_length=low,
            max_length=draw(st.integers(low, 128) | st.just(128)),
            common=draw(st.frozensets(st.sampled_from(_COMMON), max_size=len(_COMMON))),
        )

    return build()


def recovery_rate_limits() -> st.SearchStrategy[RecoveryRateLimit]:
    """Recovery rate limits: 1 to 10 requests per 1 minute to 1 day (whole minutes).

    >>> from hypothesis import find
    >>> find(recovery_rate_limits(), lambda r: r.max_requests == 3).max_requests
    3
    """
    return st.builds(
        RecoveryRateLimit,
        max_requests=st.integers(1, 10),
        per=st.integers(1, 24 * 60).map(lambda m: timedelta(minutes=m)),
    )


def token_records(
    *, issued_at: st.SearchStrategy[datetime] | None = None
) -> st.SearchStrategy[TokenRecord]:
    """Stored recovery tokens: a hash, a lifetime of 1 minute to 1 day, used or not.

    ``used_at``, when set, falls within the token's life.

    >>> from hypothesis import find
    >>> record = find(token_records(), lambda r: r.used_at is not None)
    >>> record.issued_at <= record.used_at < record.expires_at
    True
    """

    @st.composite
    def build(draw: st.DrawFn) -> TokenRecord:
        issued = draw(_instants() if issued_at is None else issued_at)
        life = timedelta(minutes=draw(st.integers(1, 24 * 60)))
        used = draw(st.none() | st.integers(0, int(life.total_seconds()) - 1))
        return TokenRecord(
            token_hash=hash_token(draw(st.text(min_size=1, max_size=20))),
            issued_at=issued,
            expires_at=issued + life,
            used_at=None if used is None else issued + timedelta(seconds=used),
        )

    return build()


def account_tokens(
    *,
    account_id: st.SearchStrategy[str] | None = None,
    purpose: st.SearchStrategy[TokenPurpose] | None = None,
) -> st.SearchStrategy[AccountToken]:
    """Tokens of accounts, for a password or a PIN.

    >>> from hypothesis import find
    >>> find(account_tokens(account_id=st.just("u-ana")), lambda t: True).account_id
    'u-ana'
    """
    return st.builds(
        AccountToken,
        account_id=_account_ids() if account_id is None else account_id,
        purpose=st.sampled_from(TokenPurpose) if purpose is None else purpose,
        record=token_records(),
    )


def role_sets() -> st.SearchStrategy[frozenset[Role]]:
    """Non-empty sets of :class:`~otocore.auth.Role`.

    >>> from hypothesis import find
    >>> len(find(role_sets(), lambda roles: len(roles) > 1))
    2
    """
    return st.frozensets(st.sampled_from(Role), min_size=1)


@st.composite
def _identity(
    draw: st.DrawFn,
    roles: st.SearchStrategy[frozenset[Role]] | None,
    store_id: st.SearchStrategy[str] | None,
) -> tuple[frozenset[Role], str | None, str | None]:
    """Roles with a store and seller code that fit them."""
    drawn = draw(role_sets() if roles is None else roles)
    store = draw(store_ids() if store_id is None else store_id)
    if Role.SELLER in drawn:
        return drawn, store, draw(seller_codes())
    if Role.STORE_MANAGER in drawn:
        return drawn, store, None
    return drawn, draw(st.none() | st.just(store)), None


def accounts(
    *,
    roles: st.SearchStrategy[frozenset[Role]] | None = None,
    store_id: st.SearchStrategy[str] | None = None,
    state: st.SearchStrategy[AccountState] | None = None,
) -> st.SearchStrategy[Account]:
    """Login accounts whose store and seller code fit their roles.

    A seller account names its seller code and store, a store manager its
    store; others have a store or none. ``password_hash`` is ``None`` or the
    Argon2id hash of one of :data:`SAMPLE_PASSWORDS`; ``pin_hash`` ``None`` or
    that of one of :data:`SAMPLE_PINS` (hashed once, with the test hasher).
    Account ids come from a small pool (``u-001`` to ``u-020``).

    >>> from hypothesis import find
    >>> from otocore.auth import Role
    >>> seller = find(accounts(roles=st.just(frozenset({Role.SELLER}))), lambda a: True)
    >>> seller.seller_code is not None and seller.store_id is not None
    True
    """

    @st.composite
    def build(draw: st.DrawFn) -> Account:
        drawn_roles, store, code = draw(_identity(roles, store_id))
        return Account(
            account_id=draw(_account_ids()),
            email=draw(emails()),
            roles=drawn_roles,
            seller_code=code,
            store_id=store,
            password_hash=draw(st.none() | _hash_of_one(SAMPLE_PASSWORDS)),
            pin_hash=draw(st.none() | _hash_of_one(SAMPLE_PINS)),
            state=draw(account_states() if state is None else state),
        )

    return build()


def principals(
    *,
    roles: st.SearchStrategy[frozenset[Role]] | None = None,
    store_id: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[Principal]:
    """Principals (an account's roles, store and seller code) that fit their roles.

    >>> from hypothesis import find
    >>> from otocore.auth import Role
    >>> find(principals(), lambda p: Role.STORE_MANAGER in p.roles).store_id is not None
    True
    """

    @st.composite
    def build(draw: st.DrawFn) -> Principal:
        drawn_roles, store, code = draw(_identity(roles, store_id))
        return Principal(
            account_id=draw(_account_ids()), roles=drawn_roles, store_id=store, seller_code=code
        )

    return build()


def targets() -> st.SearchStrategy[Target]:
    """Targets naming a store, an account and/or a seller (at least one of them).

    >>> from hypothesis import find
    >>> target = find(targets(), lambda t: t.account_id is not None)
    >>> target.account_id.startswith("u-")
    True
    """

    @st.composite
    def build(draw: st.DrawFn) -> Target:
        store = draw(st.none() | store_ids())
        account = draw(st.none() | _account_ids())
        code = draw(st.none() | seller_codes())
        if store is None and account is None and code is None:
            store = draw(store_ids())
        return Target(store_id=store, account_id=account, seller_code=code)

    return build()


@st.composite
def _events(draw: st.DrawFn) -> tuple[timedelta, str, Action | str, Target, Outcome, str]:
    return (
        timedelta(seconds=draw(st.integers(0, 3600))),  # ties happen
        draw(_account_ids(max_count=5) | st.just("bootstrap")),
        draw(st.sampled_from(Action) | st.sampled_from(_FREE_ACTIONS)),
        draw(targets()),
        draw(st.sampled_from(Outcome)),
        draw(st.sampled_from(_DETAILS)),
    )


def audit_logs(*, min_size: int = 0, max_size: int = 10) -> st.SearchStrategy[list[AuditEntry]]:
    """Whole audit logs, chained with :func:`~otocore.access.append_entry` (so they verify).

    Entries are in time order (equal instants happen); actions are
    :class:`~otocore.access.Action` members or free text that names none.

    >>> from hypothesis import find
    >>> from otocore.access import verify_audit_log
    >>> log = find(audit_logs(), lambda entries: len(entries) >= 3)
    >>> len(log), verify_audit_log(log).ok
    (3, True)
    """

    @st.composite
    def build(draw: st.DrawFn) -> list[AuditEntry]:
        at = draw(_instants())
        log: list[AuditEntry] = []
        for step, actor, action, target, outcome, detail in draw(
            st.lists(_events(), min_size=min_size, max_size=max_size)
        ):
            at += step
            log.append(
                append_entry(
                    log[-1] if log else None,
                    at=at,
                    actor=actor,
                    action=action,
                    target=target,
                    outcome=outcome,
                    detail=detail,
                )
            )
        return log

    return build()


def audit_entries() -> st.SearchStrategy[AuditEntry]:
    """Single audit entries: the last entry of a drawn :func:`audit_logs` log.

    >>> from hypothesis import find
    >>> find(audit_entries(), lambda e: e.sequence > 1).sequence
    2
    """
    return audit_logs(min_size=1, max_size=4).map(lambda log: log[-1])


def security_policies() -> st.SearchStrategy[SecurityPolicy]:
    """Security policies: an https or localhost app URL, drawn parts, links of 1 minute to 7 days.

    >>> from hypothesis import find
    >>> find(security_policies(), lambda p: p.lockout.max_failures == 3).lockout.max_failures
    3
    """
    return st.builds(
        SecurityPolicy,
        app_url=st.sampled_from(
            [
                "https://app.example.com",
                "https://marca.example.com.br/oto",
                "http://localhost:8000",
                "http://127.0.0.1",
            ]
        ),
        lockout=lockout_policies(),
        pin=pin_policies(),
        password=password_policies(),
        token_ttl=st.integers(1, 7 * 24 * 60).map(lambda m: timedelta(minutes=m)),
        recovery_limit=recovery_rate_limits(),
    )


def strategy_table() -> dict[type, st.SearchStrategy[object]]:
    """Default strategies for this module's types, for ``st.from_type`` registration."""
    return {
        AccountState: account_states(),
        LockoutPolicy: lockout_policies(),
        PinPolicy: pin_policies(),
        PasswordPolicy: password_policies(),
        RecoveryRateLimit: recovery_rate_limits(),
        SecurityPolicy: security_policies(),
        TokenRecord: token_records(),
        AccountToken: account_tokens(),
        Account: accounts(),
        Principal: principals(),
        Target: targets(),
        AuditEntry: audit_entries(),
        Role: st.sampled_from(Role),
        TokenPurpose: st.sampled_from(TokenPurpose),
        PinDelivery: st.sampled_from(PinDelivery),
        Action: st.sampled_from(Action),
        Outcome: st.sampled_from(Outcome),
    }
