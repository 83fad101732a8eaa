"""Erros do otocore (otocore's errors).

Every error otocore raises on purpose derives from :class:`OtocoreError`, so a
caller can catch them all with one ``except``. Each subclass also inherits the
builtin it resembles, so code that already catches ``ValueError`` or
``LookupError`` keeps working.

>>> from otocore.errors import ValidationError, OtocoreError
>>> err = ValidationError("Order.total", "-1", "must be >= 0")
>>> str(err)
"Order.total must be >= 0, got '-1'"
>>> isinstance(err, OtocoreError) and isinstance(err, ValueError)
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

__all__ = [
    "AuthenticationFailed",
    "ConcurrentUpdate",
    "ConfigurationError",
    "DownloadRefused",
    "InvalidToken",
    "NotFound",
    "OtocoreError",
    "PermissionDenied",
    "RuleViolation",
    "SchemaVersionError",
    "StorageError",
    "StoreBusy",
    "StoreUnavailable",
    "ValidationError",
]


class OtocoreError(Exception):
    """Root of every error otocore raises on purpose.

    >>> issubclass(ValidationError, OtocoreError)
    True
    """


class ValidationError(OtocoreError, ValueError):
    """Bad input: a value that is malformed or outside what the rule accepts.

    ``field`` names the offending field (a dotted path such as
    ``Order.total`` or ``audience.all[2].age_between.min``), ``value`` is the
    offending value and ``rule`` says what would have been valid.

    A whole document (a campaign, a filter, an import row) is validated at once
    and reports every fault in :attr:`errors`; ``field``, ``value`` and ``rule``
    are then those of the first fault.

    >>> err = ValidationError("Seller.code", "", "must not be empty")
    >>> err.field, err.value
    ('Seller.code', '')
    >>> many = ValidationError.collect(
    ...     [err, ValidationError("Seller.name", "", "must not be empty")]
    ... )
    >>> print(many)
    2 errors:
      Seller.code must not be empty, got ''
      Seller.name must not be empty, got ''
    """

    field: str
    value: Any
    rule: str
    errors: tuple[ValidationError, ...]

    def __init__(self, field: str, value: Any, rule: str) -> None:
        self.field = field
        self.value = value
        self.rule = rule
        self.errors = (self,)
        super().__init__(f"{field} {rule}, got {value!r}")

    @classmethod
    def collect(cls, errors: Sequence[ValidationError]) -> ValidationError:
        """Bundle several faults into one error that lists them all.

        With a single fault, that fault itself is returned.

        >>> one = ValidationError("a", 1, "must be 2")
        >>> ValidationError.collect([one]) is one
        True
        """
        flat = [e for err in errors for e in err.errors]
        if not flat:
            raise ValueError("collect() needs at least one error")
        if len(flat) == 1:
            return flat[0]
        first = flat[0]
        combined = cls.__new__(cls)
        combined.field = first.field
        combined.value = first.value
        combined.rule = first.rule
        combined.errors = tuple(flat)
        lines = "\n".join(f"  {e}" for e in flat)
        Exception.__init__(combined, f"{len(flat)} errors:\n{lines}")
        return combined

    def with_prefix(self, prefix: str) -> ValidationError:
        """Return the same fault(s) with ``prefix`` put before every field path.

        >>> ValidationError("min", -1, "must be >= 0").with_prefix("age_between").field
        'age_between.min'
        """
        joined = [ValidationError(_join(prefix, e.field), e.value, e.rule) for e in self.errors]
        return ValidationError.collect(joined)


def _join(prefix: str, field: str) -> str:
    if not prefix:
        return field
    if not field or field.startswith("["):
        return f"{prefix}{field}"
    return f"{prefix}.{field}"


class NotFound(OtocoreError, LookupError):
    """An id that names nothing: an unknown customer, seller, store or order.

    >>> str(NotFound("Seller", "V999"))
    "Seller 'V999' not found"
    """

    kind: str
    key: Any

    def __init__(self, kind: str, key: Any) -> None:
        self.kind = kind
        self.key = key
        super().__init__(f"{kind} {key!r} not found")


class RuleViolation(OtocoreError):
    """A well-formed request that a domain rule forbids.

    >>> str(RuleViolation("seller V1 is still active; deactivate it before redistributing"))
    'seller V1 is still active; deactivate it before redistributing'
    """


class ConcurrentUpdate(RuleViolation):
    """A write based on a value that changed since it was read: someone else's write won.

    Optimistic stores (a telesales order's state and history) compare what the
    caller read with what is stored; when they differ nothing is written and
    this error names what was expected and what is there. Read again and decide
    again.

    >>> err = ConcurrentUpdate(
    ...     "TelesalesOrder", "T1", expected="awaiting_authorization/3", found="authorized/4"
    ... )
    >>> str(err)
    "TelesalesOrder 'T1' changed since it was read: expected awaiting_authorization/3, found authorized/4; nothing was written"
    >>> isinstance(err, RuleViolation), err.key
    (True, 'T1')
    """

    kind: str
    key: Any
    expected: str
    found: str

    def __init__(self, kind: str, key: Any, *, expected: str, found: str) -> None:
        self.kind = kind
        self.key = key
        self.expected = expected
        self.found = found
        super().__init__(
            f"{kind} {key!r} changed since it was read: expected {expected}, found {found};"
            " nothing was written"
        )


class PermissionDenied(RuleViolation, PermissionError):
    """The principal may not perform this action on this target.

    >>> issubclass(PermissionDenied, RuleViolation)
    True
    """


class AuthenticationFailed(OtocoreError):
    """A login attempt that did not succeed; ``reason`` says which answer it got.

    The reasons are ``"wrong_credentials"`` (the same answer whether or not the
    e-mail names an account), ``"locked"``, ``"new_password_required"`` and
    ``"inactive"``. The message never carries the e-mail, password or PIN.

    >>> error = AuthenticationFailed("locked")
    >>> error.reason, str(error)
    ('locked', 'login refused: the account is locked; ask your store manager to unlock it')
    """

    reason: str

    _MESSAGES: ClassVar[dict[str, str]] = {
        "wrong_credentials": "login refused: wrong e-mail, password or PIN",
        "locked": "login refused: the account is locked; ask your store manager to unlock it",
        "new_password_required": (
            "login refused: a new password is required; use password recovery to set one"
        ),
        "inactive": "login refused: the account is inactive",
    }

    def __init__(self, reason: str) -> None:
        if reason not in self._MESSAGES:
            raise ValidationError("reason", reason, f"must be one of {sorted(self._MESSAGES)}")
        self.reason = reason
        super().__init__(self._MESSAGES[reason])


class InvalidToken(OtocoreError):
    """A recovery or PIN-setting token that cannot be used.

    One answer for every cause (unknown, used, expired, superseded), so the
    answer reveals nothing about the token; the token itself is never shown.

    >>> str(InvalidToken())
    'the link is invalid or has expired; ask for a new one'
    """

    def __init__(self) -> None:
        super().__init__("the link is invalid or has expired; ask for a new one")


class DownloadRefused(OtocoreError, PermissionError):
    """An export's download link that does not work for this request.

    One error, one message for every cause, so the answer reveals nothing
    about the token or whose it is; :attr:`reason` says which cause it was,
    for the data-access log: ``"unknown"`` (no export has this token: a
    mistyped or tampered link), ``"expired"``, ``"other_account"`` (the link
    was sent to another user) or ``"file_missing"`` (the file was removed
    from the export directory).

    >>> error = DownloadRefused("expired")
    >>> error.reason, str(error)
    ('expired', 'the download link is invalid, has expired or is not yours; ask for a new export')
    """

    REASONS: ClassVar[frozenset[str]] = frozenset(
        {"unknown", "expired", "other_account", "file_missing"}
    )
    reason: str

    def __init__(self, reason: str) -> None:
        if type(reason) is not str or reason not in self.REASONS:
            raise ValidationError("reason", reason, f"must be one of {sorted(self.REASONS)}")
        self.reason = reason
        super().__init__(
            "the download link is invalid, has expired or is not yours; ask for a new export"
        )


class ConfigurationError(OtocoreError):
    """The library is set up wrongly (a missing database URL, a bad policy file).

    >>> isinstance(ConfigurationError("no database"), OtocoreError)
    True
    """


class SchemaVersionError(ConfigurationError):
    """The database has no otocore schema, or one older or newer than this version of otocore.

    ``store`` names the database (an SQLite file's path, or the URL with any
    password hidden), ``found`` is its revision (``None``: no otocore schema)
    and ``hint`` says what to do.

    >>> print(SchemaVersionError(found="0001", expected="0002"))
    database schema is at revision '0001' but this otocore needs '0002'; run `otocore db upgrade URL`
    >>> print(
    ...     SchemaVersionError(
    ...         found=None,
    ...         expected="0002",
    ...         store="typo.sqlite",
    ...         hint="create it with `otocore db upgrade typo.sqlite`",
    ...     )
    ... )
    typo.sqlite has no otocore schema; create it with `otocore db upgrade typo.sqlite`
    """

    found: str | None
    expected: str
    store: str | None

    def __init__(
        self,
        *,
        found: str | None,
        expected: str,
        hint: str | None = None,
        store: str | None = None,
    ) -> None:
        self.found = found
        self.expected = expected
        self.store = store
        if store is not None and found is None:
            message = f"{store} has no otocore schema"
        else:
            where = "database schema" if store is None else store
            message = f"{where} is at revision {found!r} but this otocore needs {expected!r}"
        message += "; " + (hint or "run `otocore db upgrade URL`")
        super().__init__(message)


class StorageError(OtocoreError):
    """The store failed: it cannot be reached or opened, or it refused a statement.

    ``store`` names it: the database URL with any password hidden (``***``).
    The message says what went wrong in the driver's words and what to check;
    the driver's own error is the ``__cause__``.

    >>> err = StorageError(
    ...     "cannot open the database postgresql+psycopg://oto:***@db/otocore: connection refused",
    ...     store="postgresql+psycopg://oto:***@db/otocore",
    ... )
    >>> err.store
    'postgresql+psycopg://oto:***@db/otocore'
    """

    store: str

    def __init__(self, message: str, *, store: str) -> None:
        self.store = store
        super().__init__(message)


class StoreUnavailable(StorageError):
    """The store cannot be opened or reached, or the connection to it was lost mid-run.

    A server that refuses the connection or whose host name is unknown, a
    database or role that does not exist, a wrong password, a missing folder
    or file, a file that is not a database, a connection cut while a command
    ran. The message is one line: the store (password hidden) and the driver's
    reason. Nothing of the interrupted transaction was committed by otocore;
    fix the cause and run again.

    >>> err = StoreUnavailable(
    ...     "cannot open the database postgresql+psycopg://oto:***@db/x"
    ...     ' (FATAL: database "x" does not exist): check the URL',
    ...     store="postgresql+psycopg://oto:***@db/x",
    ... )
    >>> isinstance(err, StorageError), err.store
    (True, 'postgresql+psycopg://oto:***@db/x')
    """


class StoreBusy(StorageError):
    """Another transaction holds the store's write lock, perhaps one this program has open.

    Raised when the wait for the lock ran out (SQLite's busy timeout), and at
    once, without waiting, when the lock is held by another unit of work of the
    same thread on the same database: that wait would never end. Commit or roll
    back the open transaction first (end its ``with`` block), then retry.

    >>> issubclass(StoreBusy, StorageError)
    True
    """
