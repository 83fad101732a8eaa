"""Repository protocols of access: login accounts, single-use tokens and the audit log."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # annotations only: importing the protocols loads no domain module
    from otocore.access import AuditEntry
    from otocore.auth import Account, AccountToken, Role, TokenPurpose
    from otocore.customers import Email


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
