"""cattrs hooks for the types of :mod:`otocore.auth` Private.

:class:`~otocore.auth.Account`, :class:`~otocore.auth.AccountState`,
:class:`~otocore.auth.TokenRecord` and the policies use cattrs' attrs support as
they are (enums as their values, instants as ISO 8601, role sets as lists).
Two need help: :class:`~otocore.auth.RecoveryRateLimit` carries its window as
whole seconds (``{"max_requests": 3, "per_seconds": 3600}``), and
:class:`~otocore.auth.PasswordPolicy` writes its common-password list sorted so
that the document is stable.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import cattrs

from otocore.auth import PasswordPolicy, RecoveryRateLimit
from otocore.errors import ValidationError


def _limit_out(limit: RecoveryRateLimit) -> dict[str, Any]:
    return {"max_requests": limit.max_requests, "per_seconds": limit.per.total_seconds()}


def _limit_in(data: Any, _: type) -> RecoveryRateLimit:
    if not isinstance(data, dict):
        raise ValidationError("RecoveryRateLimit", data, "must be an object")
    seconds = data.get("per_seconds", 3600)
    if isinstance(seconds, bool) or not isinstance(seconds, int | float):
        raise ValidationError("RecoveryRateLimit.per_seconds", seconds, "must be a number")
    return RecoveryRateLimit(
        max_requests=data.get("max_requests", 3), per=timedelta(seconds=seconds)
    )


def _policy_out(policy: PasswordPolicy) -> dict[str, Any]:
    return {
        "min_length": policy.min_length,
        "max_length": policy.max_length,
        "common": sorted(policy.common),
    }


def _policy_in(data: Any, _: type) -> PasswordPolicy:
    if not isinstance(data, dict):
        raise ValidationError("PasswordPolicy", data, "must be an object")
    known = {k: data[k] for k in ("min_length", "max_length", "common") if k in data}
    return PasswordPolicy(**known)


def configure(conv: cattrs.Converter) -> None:
    """Install the hooks this module's types need on ``conv``."""
    conv.register_unstructure_hook(RecoveryRateLimit, _limit_out)
    conv.register_structure_hook(RecoveryRateLimit, _limit_in)
    conv.register_unstructure_hook(PasswordPolicy, _policy_out)
    conv.register_structure_hook(PasswordPolicy, _policy_in)
