"""Lockout: an account's login state and the decision on one login attempt. Private.

Re-exported by :mod:`otocore.auth`.
"""

from __future__ import annotations

import enum

import attrs

from otocore import _validate as v


@attrs.frozen(kw_only=True)
class LockoutPolicy:
    """How many consecutive failures lock an account: ``max_failures`` (default 5, 1 to 100).

    >>> LockoutPolicy(max_failures=0)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: LockoutPolicy.max_failures must be >= 1, got 0
    """

    max_failures: int = attrs.field(default=5, validator=v.integer(min_value=1, max_value=100))


_flag = v.boolean_with_rule("must be a bool")


@attrs.frozen(kw_only=True)
class AccountState:
    """The login state of one account: consecutive failures and three flags.

    >>> AccountState()
    AccountState(failures=0, locked=False, must_change_password=False, active=True)
    """

    failures: int = attrs.field(default=0, validator=v.integer(min_value=0))
    locked: bool = attrs.field(default=False, validator=_flag)
    must_change_password: bool = attrs.field(default=False, validator=_flag)
    active: bool = attrs.field(default=True, validator=_flag)


class LoginOutcome(enum.Enum):
    """The answer to one login attempt.

    >>> LoginOutcome("locked")
    <LoginOutcome.LOCKED: 'locked'>
    """

    SUCCESS = "success"
    WRONG_CREDENTIALS = "wrong_credentials"
    LOCKED = "locked"
    NEW_PASSWORD_REQUIRED = "new_password_required"  # noqa: S105 (an outcome, not a secret)
    INACTIVE = "inactive"


def after_failure(state: AccountState, policy: LockoutPolicy) -> AccountState:
    """Count one wrong password or PIN; the ``max_failures``-th failure locks.

    A locked account is returned unchanged (its count never exceeds the limit).

    >>> after_failure(AccountState(failures=4), LockoutPolicy()).locked
    True
    >>> after_failure(AccountState(failures=3), LockoutPolicy()).locked
    False
    """
    if state.locked:
        return state
    failures = min(state.failures + 1, policy.max_failures)
    return attrs.evolve(state, failures=failures, locked=failures >= policy.max_failures)


def after_success(state: AccountState) -> AccountState:
    """A successful login resets the consecutive failures.

    >>> after_success(AccountState(failures=3)).failures
    0
    """
    return attrs.evolve(state, failures=0)


def after_unlock(state: AccountState) -> AccountState:
    """A manager's unlock: no lock, no failures, and a new password is required.

    >>> after_unlock(AccountState(failures=5, locked=True))
    AccountState(failures=0, locked=False, must_change_password=True, active=True)
    """
    return attrs.evolve(state, failures=0, locked=False, must_change_password=True)


def after_password_reset(state: AccountState) -> AccountState:
    """A new password set through recovery: clears "new password required" and failures.

    It does not unlock a locked account: only a manager does that.

    >>> after_password_reset(AccountState(failures=2, must_change_password=True))
    AccountState(failures=0, locked=False, must_change_password=False, active=True)
    """
    return attrs.evolve(state, failures=0, must_change_password=False)


def login_decision(
    state: AccountState, *, password_ok: bool, pin_ok: bool, policy: LockoutPolicy
) -> tuple[LoginOutcome, AccountState]:
    """Decide one login attempt and the account's next state.

    In order: an inactive account answers INACTIVE; a locked one LOCKED; one
    that must change its password NEW_PASSWORD_REQUIRED (the old password
    stopped working at unlock). These three answers ignore the credentials and
    change nothing. Otherwise right password and PIN is SUCCESS (failures
    reset); anything else, including a malformed password or PIN (pass
    ``False``), counts one failure and answers WRONG_CREDENTIALS, or LOCKED
    when that failure reaches the limit.

    >>> login_decision(AccountState(), password_ok=True, pin_ok=False, policy=LockoutPolicy())
    (<LoginOutcome.WRONG_CREDENTIALS: 'wrong_credentials'>, AccountState(failures=1, locked=False, must_change_password=False, active=True))
    >>> login_decision(
    ...     AccountState(must_change_password=True),
    ...     password_ok=True,
    ...     pin_ok=True,
    ...     policy=LockoutPolicy(),
    ... )[0]
    <LoginOutcome.NEW_PASSWORD_REQUIRED: 'new_password_required'>
    """
    v.require_instance("login_decision.state", state, AccountState)
    v.require_instance("login_decision.policy", policy, LockoutPolicy)
    for name, value in (("password_ok", password_ok), ("pin_ok", pin_ok)):
        v.require_bool(f"login_decision.{name}", value, rule="must be a bool")
    if not state.active:
        return LoginOutcome.INACTIVE, state
    if state.locked:
        return LoginOutcome.LOCKED, state
    if state.must_change_password:
        return LoginOutcome.NEW_PASSWORD_REQUIRED, state
    if password_ok and pin_ok:
        return LoginOutcome.SUCCESS, after_success(state)
    after = after_failure(state, policy)
    return (LoginOutcome.LOCKED if after.locked else LoginOutcome.WRONG_CREDENTIALS), after
