"""Passwords: the rules for a new password and the bundled common-password list. Private.

Re-exported by :mod:`otocore.auth`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from importlib import resources

import attrs

from otocore import _validate as v
from otocore.auth._secrets import REDACTED, is_unicode_text, prepare_secret
from otocore.errors import ValidationError


@functools.cache
def default_common_passwords() -> frozenset[str]:
    """The bundled list of very common passwords (casefolded).

    Taken from public common-password lists (plus Brazilian favourites such as
    ``senha123``); a brand passes its own set as ``PasswordPolicy(common=...)``.

    >>> "password" in default_common_passwords()
    True
    """
    text = resources.files("otocore").joinpath("data/common_passwords.txt").read_text("utf-8")
    return frozenset(
        prepare_secret(line.strip()).casefold()
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    )


def _casefold_all(values: Iterable[str]) -> frozenset[str]:
    rule = "must be a set of strings"
    items = list(v.require_iterable("PasswordPolicy.common", values, rule=rule, refuse=(str,)))
    if not all(isinstance(item, str) for item in items):
        raise ValidationError("PasswordPolicy.common", REDACTED, "must contain only strings")
    return frozenset(prepare_secret(item).casefold() for item in items)


@attrs.frozen(kw_only=True)
class PasswordPolicy:
    """Rules for a new password: length and a common-password list, no composition rules.

    Length is counted in characters after Unicode NFKC normalisation (the
    form that is hashed). ``min_length`` is 8 to 128 (default 8),
    ``max_length`` is ``min_length`` to 1024 (default 128). A password whose
    casefolded form is in ``common`` is refused; ``common`` defaults to
    :func:`default_common_passwords`. ``repr`` leaves the list out.

    >>> PasswordPolicy().check_new_password("cavalo correto bateria grampo")
    >>> PasswordPolicy(common=frozenset({"carnaval2026"})).check_new_password("Carnaval2026")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: password must not be a commonly used password, got '<redacted>'
    """

    min_length: int = attrs.field(default=8, validator=v.integer(min_value=8, max_value=128))
    max_length: int = attrs.field(default=128, validator=v.integer(max_value=1024))
    common: frozenset[str] = attrs.field(
        factory=default_common_passwords, converter=_casefold_all, repr=False
    )

    @max_length.validator
    def _check_max(self, attribute: attrs.Attribute[int], value: int) -> None:
        if value < self.min_length:
            raise ValidationError(
                "PasswordPolicy.max_length", value, f"must be >= min_length ({self.min_length})"
            )

    def check_new_password(self, password: object) -> None:
        """Raise unless ``password`` may be chosen; the error's value is ``'<redacted>'``.

        Raises:
            ValidationError: not a string (or not Unicode text), too short, too long
                or too common.

        >>> PasswordPolicy().check_new_password("x" * 129)
        Traceback (most recent call last):
        ...
        otocore.errors.ValidationError: password must be at most 128 characters, got '<redacted>'
        """
        if not isinstance(password, str):
            raise ValidationError("password", REDACTED, "must be a string")
        prepared = prepare_secret(password)
        if not is_unicode_text(prepared):
            raise ValidationError(
                "password", REDACTED, "must be valid Unicode text (no lone surrogates)"
            )
        if len(prepared) < self.min_length:
            raise ValidationError(
                "password", REDACTED, f"must be at least {self.min_length} characters"
            )
        if len(prepared) > self.max_length:
            raise ValidationError(
                "password", REDACTED, f"must be at most {self.max_length} characters"
            )
        if prepared.casefold() in self.common:
            raise ValidationError("password", REDACTED, "must not be a commonly used password")
