"""cattrs hooks for :class:`~otocore.exports.ExportPolicy`. Private.

A brand keeps its export settings as a JSON document::

    {"base_url": "https://admin.marca.com.br", "link_ttl_seconds": 86400, "roles": ["brand_admin"]}

Only ``base_url`` is required; ``link_ttl`` is written as whole seconds (as
:class:`~otocore.auth.SecurityPolicy`'s ``token_ttl``). :class:`~otocore.exports.ExportRecord`
and :class:`~otocore.exports.ExportAccess` need no hook of their own.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import cattrs

from otocore.errors import ValidationError
from otocore.exports import ExportPolicy

_KEYS = frozenset({"base_url", "link_ttl_seconds", "roles"})


def configure(conv: cattrs.Converter) -> None:
    """Install the hooks this module's types need on ``conv``."""

    def unstructure(policy: ExportPolicy) -> dict[str, Any]:
        return {
            "base_url": policy.base_url,
            "link_ttl_seconds": int(policy.link_ttl.total_seconds()),
            "roles": sorted(role.value for role in policy.roles),
        }

    def structure(data: Any, _: type) -> ExportPolicy:
        if not isinstance(data, dict):
            raise ValidationError("ExportPolicy", data, "must be an object")
        extra = sorted(set(data) - _KEYS)
        if extra:
            raise ValidationError(
                f"ExportPolicy.{extra[0]}", data[extra[0]], "is not an ExportPolicy field"
            )
        if "base_url" not in data:
            raise ValidationError("ExportPolicy.base_url", None, "is required")
        known: dict[str, Any] = {"base_url": data["base_url"]}
        if "link_ttl_seconds" in data:
            seconds = data["link_ttl_seconds"]
            if isinstance(seconds, bool) or not isinstance(seconds, int):
                raise ValidationError(
                    "ExportPolicy.link_ttl_seconds", seconds, "must be a whole number"
                )
            try:
                known["link_ttl"] = timedelta(seconds=seconds)
            except OverflowError:
                raise ValidationError(
                    "ExportPolicy.link_ttl_seconds", seconds, "must be at most 7 days"
                ) from None
        if "roles" in data:
            roles = data["roles"]
            if not isinstance(roles, list):
                raise ValidationError("ExportPolicy.roles", roles, "must be a list of role names")
            from otocore.auth import Role

            try:
                known["roles"] = [Role(r) for r in roles]
            except (ValueError, TypeError):
                raise ValidationError(
                    "ExportPolicy.roles",
                    roles,
                    f"must name roles among {sorted(r.value for r in Role)}",
                ) from None
        return ExportPolicy(**known)

    conv.register_unstructure_hook(ExportPolicy, unstructure)
    conv.register_structure_hook(ExportPolicy, structure)
