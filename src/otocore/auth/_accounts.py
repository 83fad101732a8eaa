"""Accounts: roles, the login e-mail and the account value. Private.

Re-exported by :mod:`otocore.auth`.
"""

from __future__ import annotations

import enum
from typing import Any

import attrs

from otocore import _validate as v
from otocore.auth._lockout import AccountState
from otocore.auth._secrets import REDACTED
from otocore.customers import Email
from otocore.errors import ValidationError


class Role(enum.Enum):
    """Papel (role) of an account.

    >>> Role("store_manager")
    <Role.STORE_MANAGER: 'store_manager'>
    """

    SELLER = "seller"
    STORE_MANAGER = "store_manager"
    BRAND_ADMIN = "brand_admin"
    CALL_CENTER = "call_center"
    ORDER_APPROVER = "order_approver"


def normalize_login_email(text: str) -> Email:
    """The account key for a typed login e-mail: case and surrounding spaces don't matter.

    >>> normalize_login_email("  Ana.Souza@Example.COM ")
    Email('ana.souza@example.com')
    """
    return Email.parse(text, field="login.email")


def _roles(value: Any) -> frozenset[Role]:
    return v.require_enum_set("Account.roles", value, Role)


def _argon2_hash(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and not (isinstance(value, str) and value.startswith("$argon2id$")):
        raise ValidationError(
            f"Account.{attribute.name}", REDACTED, "must be an Argon2id hash or None"
        )


@attrs.frozen(kw_only=True)
class Account:
    """A login account: a seller, manager, admin, call-center operator or order approver.

    ``email`` is the login key (normalised, unique in the brand). An account
    with the SELLER role names its ``seller_code`` and ``store_id``; a
    STORE_MANAGER names its ``store_id``. ``password_hash`` and ``pin_hash``
    are Argon2id hashes (None until set) and stay out of ``repr``.

    >>> account = Account(
    ...     account_id="A1",
    ...     email=normalize_login_email("ana@example.com"),
    ...     roles=frozenset({Role.SELLER}),
    ...     seller_code="V01",
    ...     store_id="L01",
    ... )
    >>> account.state.locked, "hash" in repr(account)
    (False, False)
    >>> Account(account_id="A2", email=account.email, roles=frozenset({Role.SELLER}))
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: Account.seller_code must be set for a SELLER account, got None
    """

    account_id: str = attrs.field(validator=v.text(100))
    email: Email = attrs.field(validator=v.instance_of(Email))
    roles: frozenset[Role] = attrs.field(converter=_roles)
    seller_code: str | None = attrs.field(default=None, validator=v.optional_text(100))
    store_id: str | None = attrs.field(default=None, validator=v.optional_text(100))
    password_hash: str | None = attrs.field(default=None, validator=_argon2_hash, repr=False)
    pin_hash: str | None = attrs.field(default=None, validator=_argon2_hash, repr=False)
    state: AccountState = attrs.field(factory=AccountState, validator=v.instance_of(AccountState))

    def __attrs_post_init__(self) -> None:
        if Role.SELLER in self.roles:
            if self.seller_code is None:
                raise ValidationError(
                    "Account.seller_code", None, "must be set for a SELLER account"
                )
            if self.store_id is None:
                raise ValidationError("Account.store_id", None, "must be set for a SELLER account")
        if Role.STORE_MANAGER in self.roles and self.store_id is None:
            raise ValidationError("Account.store_id", None, "must be set for a STORE_MANAGER")
