"""The brand's security settings, :class:`SecurityPolicy`: the policies in one value. Private.

Re-exported by :mod:`otocore.auth` (and :mod:`otocore.accounts`).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import attrs

from otocore import _validate as v
from otocore.auth._lockout import LockoutPolicy
from otocore.auth._passwords import PasswordPolicy
from otocore.auth._pins import PinPolicy
from otocore.auth._tokens import RecoveryRateLimit
from otocore.errors import ValidationError

_MAX_LINK_TTL = timedelta(days=7)


def _app_url(value: Any) -> Any:
    if not isinstance(value, str):
        return value  # the validator names the field
    return value.rstrip("/")


def _check_app_url(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.require_base_url("SecurityPolicy.app_url", value)


def _check_link_ttl(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, timedelta) or not timedelta(0) < value <= _MAX_LINK_TTL:
        raise ValidationError(
            "SecurityPolicy.token_ttl", value, "must be a timedelta above 0 and at most 7 days"
        )


@attrs.frozen(kw_only=True)
class SecurityPolicy:
    """A brand's security settings for :class:`~otocore.accounts.AccountService`.

    The policy values above, gathered with the app's address and the life of
    an e-mailed link. Importable from :mod:`otocore.accounts` too.

    Attributes:
        app_url: the brand app's address; e-mailed links are
            ``{app_url}/nova-senha?token=...`` (set a password) and
            ``{app_url}/novo-pin?token=...`` (set a PIN). ``https://``, or
            ``http://`` only for ``localhost``/``127.0.0.1`` (development); a
            trailing ``/`` is dropped. Required.
        lockout: consecutive failures that lock an account (default 5).
        pin: PIN length (default 6) and how a reset PIN is delivered
            (default ``EMAIL_PIN``: the PIN itself, by e-mail).
        password: the rules for a new password (8 to 128 characters, not a
            common password).
        token_ttl: how long a password or PIN link works (default 1 hour, at
            most 7 days).
        recovery_limit: password links an account may be sent (default 3 an
            hour; the welcome link counts).

    >>> SecurityPolicy(app_url="https://app.example.com/").app_url
    'https://app.example.com'
    >>> SecurityPolicy(app_url="http://app.example.com")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: SecurityPolicy.app_url must be an https:// address (http:// only for localhost or 127.0.0.1), without user, query or fragment, got 'http://app.example.com'
    """

    app_url: str = attrs.field(converter=_app_url, validator=_check_app_url)
    lockout: LockoutPolicy = attrs.field(
        factory=LockoutPolicy, validator=v.instance_of(LockoutPolicy)
    )
    pin: PinPolicy = attrs.field(factory=PinPolicy, validator=v.instance_of(PinPolicy))
    password: PasswordPolicy = attrs.field(
        factory=PasswordPolicy, validator=v.instance_of(PasswordPolicy)
    )
    token_ttl: timedelta = attrs.field(default=timedelta(hours=1), validator=_check_link_ttl)
    recovery_limit: RecoveryRateLimit = attrs.field(
        factory=RecoveryRateLimit, validator=v.instance_of(RecoveryRateLimit)
    )
