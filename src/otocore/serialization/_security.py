"""cattrs hooks for :class:`~otocore.auth.SecurityPolicy`. Private.

A brand keeps its security settings as a JSON document::

    {
        "app_url": "https://app.marca.com.br",
        "lockout": {"max_failures": 5},
        "pin": {"length": 6, "delivery": "email_pin"},
        "password": {"min_length": 8, "max_length": 128, "common": [...]},
        "token_ttl_seconds": 3600,
        "recovery_limit": {"max_requests": 3, "per_seconds": 3600},
    }

Only ``app_url`` is required; a missing part takes its default. ``token_ttl``
is written as whole seconds, like the recovery limit's window.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import cattrs

from otocore.auth import LockoutPolicy, PasswordPolicy, PinPolicy, RecoveryRateLimit, SecurityPolicy
from otocore.errors import ValidationError

_PARTS: dict[str, type] = {
    "lockout": LockoutPolicy,
    "pin": PinPolicy,
    "password": PasswordPolicy,
    "recovery_limit": RecoveryRateLimit,
}
_KEYS = frozenset({"app_url", "token_ttl_seconds", *_PARTS})


def _under(name: str, fault: ValidationError) -> ValidationError:
    # a part's fault names its own class ("LockoutPolicy.max_failures"): name the path instead
    rest = fault.field.split(".", 1)[1] if "." in fault.field else ""
    field = f"SecurityPolicy.{name}" + (f".{rest}" if rest else "")
    return ValidationError(field, fault.value, fault.rule)


def configure(conv: cattrs.Converter) -> None:
    """Install the hooks this module's types need on ``conv``."""

    def unstructure(policy: SecurityPolicy) -> dict[str, Any]:
        out: dict[str, Any] = {"app_url": policy.app_url}
        for name in _PARTS:
            out[name] = conv.unstructure(getattr(policy, name))
        out["token_ttl_seconds"] = int(policy.token_ttl.total_seconds())
        return out

    def structure(data: Any, _: type) -> SecurityPolicy:
        if not isinstance(data, dict):
            raise ValidationError("SecurityPolicy", data, "must be an object")
        extra = sorted(set(data) - _KEYS)
        if extra:
            raise ValidationError(
                f"SecurityPolicy.{extra[0]}", data[extra[0]], "is not a SecurityPolicy field"
            )
        if "app_url" not in data:
            raise ValidationError("SecurityPolicy.app_url", None, "is required")
        known: dict[str, Any] = {"app_url": data["app_url"]}
        faults: list[ValidationError] = []
        for name, cls in _PARTS.items():
            if name in data:
                try:
                    known[name] = conv.structure(data[name], cls)
                except ValidationError as error:
                    faults += [_under(name, fault) for fault in error.errors]
        if "token_ttl_seconds" in data:
            seconds = data["token_ttl_seconds"]
            if isinstance(seconds, bool) or not isinstance(seconds, int):
                faults.append(
                    ValidationError(
                        "SecurityPolicy.token_ttl_seconds", seconds, "must be a whole number"
                    )
                )
            else:
                known["token_ttl"] = timedelta(seconds=seconds)
        if faults:
            raise ValidationError.collect(faults)
        return SecurityPolicy(**known)

    conv.register_unstructure_hook(SecurityPolicy, unstructure)
    conv.register_structure_hook(SecurityPolicy, structure)
