"""PINs: the brand's PIN policy, the format check and the drawing of a new PIN. Private.

Re-exported by :mod:`otocore.auth`.
"""

from __future__ import annotations

import enum
import itertools
import random
from typing import TypeGuard

import attrs

from otocore import _validate as v
from otocore.auth._secrets import REDACTED
from otocore.errors import ValidationError


class PinDelivery(enum.Enum):
    """How a reset PIN reaches the seller (a brand's choice).

    ``EMAIL_PIN`` (default, as the seed says): otocore draws the PIN and
    e-mails it. ``EMAIL_LINK``: a single-use link where the seller sets the
    PIN, so no secret travels in the e-mail (OWASP ASVS's preference).

    >>> PinDelivery("email_link")
    <PinDelivery.EMAIL_LINK: 'email_link'>
    """

    EMAIL_PIN = "email_pin"
    EMAIL_LINK = "email_link"


@attrs.frozen(kw_only=True)
class PinPolicy:
    """A brand's PIN rule: ``length`` digits (default 6, the brand may choose 4 to 8).

    >>> PinPolicy().length
    6
    >>> PinPolicy(length=3)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: PinPolicy.length must be >= 4, got 3
    """

    length: int = attrs.field(default=6, validator=v.integer(min_value=4, max_value=8))
    delivery: PinDelivery = attrs.field(
        default=PinDelivery.EMAIL_PIN, validator=v.member_of(PinDelivery)
    )


_DIGITS = frozenset("0123456789")


def _ascii_digits(pin: object) -> TypeGuard[str]:
    return isinstance(pin, str) and set(pin) <= _DIGITS


def check_pin_format(pin: object, policy: PinPolicy) -> bool:
    """True when ``pin`` is exactly ``policy.length`` ASCII digits.

    >>> check_pin_format("042917", PinPolicy()), check_pin_format("04291", PinPolicy())
    (True, False)
    >>> check_pin_format("04a917", PinPolicy()), check_pin_format(42917, PinPolicy())
    (False, False)
    """
    return _ascii_digits(pin) and len(pin) == policy.length


def is_trivial_pin(pin: object) -> bool:
    """True for PINs :func:`new_pin` never draws.

    Trivial: (1) a shorter block repeated (``000000``, ``121212``,
    ``123123``, ``1212``); (2) a run where each digit is the previous one
    plus one, or minus one, modulo 10 (``123456``, ``654321``, ``890123``,
    ``2109``).

    >>> is_trivial_pin("000000"), is_trivial_pin("123456"), is_trivial_pin("654321")
    (True, True, True)
    >>> is_trivial_pin("121212"), is_trivial_pin("042917")
    (True, False)
    >>> is_trivial_pin("12a4")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: pin must be a string of ASCII digits, got '<redacted>'
    """
    if not _ascii_digits(pin):
        raise ValidationError("pin", REDACTED, "must be a string of ASCII digits")
    n = len(pin)
    for size in range(1, n // 2 + 1):
        if n % size == 0 and pin == pin[:size] * (n // size):
            return True
    digits = [int(c) for c in pin]
    steps = {(b - a) % 10 for a, b in itertools.pairwise(digits)}
    return steps in ({1}, {9})


def new_pin(rng: random.Random, policy: PinPolicy) -> str:
    """Draw a random, non-trivial PIN of ``policy.length`` digits.

    Args:
        rng: the random source; pass ``secrets.SystemRandom()`` in production,
            a seeded ``random.Random`` in tests.
        policy: the brand's PIN policy.

    Returns:
        A PIN for which :func:`is_trivial_pin` is False.

    >>> pin = new_pin(random.Random(7), PinPolicy(length=4))
    >>> check_pin_format(pin, PinPolicy(length=4)), is_trivial_pin(pin)
    (True, False)
    """
    while True:
        pin = "".join(str(rng.randrange(10)) for _ in range(policy.length))
        if not is_trivial_pin(pin):
            return pin
