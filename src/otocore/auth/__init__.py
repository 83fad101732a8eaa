"""Acesso do vendedor (seller access): secrets, PINs, lockout and recovery tokens.

The pure core of login, from Oto's FAQ ("Como acesso o Oto?",
"Esqueci a minha senha", "Esqueci o meu código PIN", "Meu usuário foi
bloqueado"): a seller signs in with the e-mail the brand registered, a
password and a personal PIN; "caso você erre a sua senha por um determinado
número de vezes em sequência [...] o seu usuário será bloqueado"; a manager
unlocks it and then the seller must set a new password through "esqueceu
senha". Nothing here reads storage, the clock or global randomness: the
service layer loads an :class:`Account`, calls these rules and saves the
result.

- Passwords and PINs are kept only as Argon2id hashes (:class:`SecretHasher`).
- :func:`login_decision` turns "was the password right? was the PIN right?"
  into a :class:`LoginOutcome` and the account's next :class:`AccountState`.
- Recovery tokens (:func:`issue_token`, :func:`check_token`) are 256-bit
  random strings stored only as a SHA-256 hash, single use, expiring.

No secret (password, PIN, token) ever appears in a ``repr``, a ``str`` or an
exception message: errors carry ``'<redacted>'`` as their value.

Five wrong tries lock the account (default policy):

>>> policy = LockoutPolicy()
>>> state = AccountState()
>>> for _ in range(4):
...     outcome, state = login_decision(state, password_ok=False, pin_ok=True, policy=policy)
>>> outcome, state.failures, state.locked
(<LoginOutcome.WRONG_CREDENTIALS: 'wrong_credentials'>, 4, False)
>>> outcome, state = login_decision(state, password_ok=False, pin_ok=True, policy=policy)
>>> outcome, state.locked
(<LoginOutcome.LOCKED: 'locked'>, True)
>>> login_decision(state, password_ok=True, pin_ok=True, policy=policy)[0]
<LoginOutcome.LOCKED: 'locked'>

A new password must pass the policy, and the error never shows it:

>>> PasswordPolicy().check_new_password("senha")
Traceback (most recent call last):
...
otocore.errors.ValidationError: password must be at least 8 characters, got '<redacted>'
"""

from __future__ import annotations

from otocore.auth._accounts import Account, Role, normalize_login_email
from otocore.auth._lockout import (
    AccountState,
    LockoutPolicy,
    LoginOutcome,
    after_failure,
    after_password_reset,
    after_success,
    after_unlock,
    login_decision,
)
from otocore.auth._passwords import PasswordPolicy, default_common_passwords
from otocore.auth._pins import PinDelivery, PinPolicy, check_pin_format, is_trivial_pin, new_pin
from otocore.auth._secrets import MIN_MEMORY_KIB, MIN_TIME_COST, REDACTED, SecretHasher
from otocore.auth._security import SecurityPolicy
from otocore.auth._tokens import (
    AccountToken,
    RecoveryRateLimit,
    TokenCheck,
    TokenPurpose,
    TokenRecord,
    check_token,
    hash_token,
    issue_token,
    mark_used,
)

__all__ = [
    "MIN_MEMORY_KIB",
    "MIN_TIME_COST",
    "REDACTED",
    "Account",
    "AccountState",
    "AccountToken",
    "LockoutPolicy",
    "LoginOutcome",
    "PasswordPolicy",
    "PinDelivery",
    "PinPolicy",
    "RecoveryRateLimit",
    "Role",
    "SecretHasher",
    "SecurityPolicy",
    "TokenCheck",
    "TokenPurpose",
    "TokenRecord",
    "after_failure",
    "after_password_reset",
    "after_success",
    "after_unlock",
    "check_pin_format",
    "check_token",
    "default_common_passwords",
    "hash_token",
    "is_trivial_pin",
    "issue_token",
    "login_decision",
    "mark_used",
    "new_pin",
    "normalize_login_email",
]
