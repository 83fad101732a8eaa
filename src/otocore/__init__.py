"""otocore: exact, tested domain rules for Brazilian retail clienteling.

The names most users need are importable from here; everything else lives in
its own module (:mod:`otocore.rfv`, :mod:`otocore.distribution`,
:mod:`otocore.daily`, ...). Importing ``otocore`` loads nothing else: each
name (and each module, ``otocore.rfv``) is imported on first use, so
``import otocore.orders`` costs only the order types.

>>> import otocore
>>> isinstance(otocore.__version__, str)
True
>>> otocore.Cpf.parse("529.982.247-25").formatted
'529.982.247-25'
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from otocore.blocking import BlockEvent, BlockFeature, BlockList
    from otocore.campaigns import Campaign
    from otocore.consent import ConsentEvent, ConsentLedger, ConsentPolicy, ContactChannel
    from otocore.contacts import Contact, FollowUp, SuggestionStatus
    from otocore.customers import (
        Cpf,
        CpfPolicy,
        Customer,
        Email,
        Loyalty,
        MaritalStatus,
        Mobile,
        Sex,
    )
    from otocore.distribution import (
        Balanced,
        DecidedBy,
        Preference,
        PreferredSellerPolicy,
        SuggestionLimiter,
        ToSeller,
        preferred_seller,
        preferred_sellers,
        redistribute,
    )
    from otocore.errors import (
        NotFound,
        OtocoreError,
        PermissionDenied,
        RuleViolation,
        ValidationError,
    )
    from otocore.filters import CustomerFacts, parse_filter
    from otocore.orders import Channel, Order, OrderStatus
    from otocore.quarantine import QuarantinePolicy, quarantine_status
    from otocore.rfv import RawRfv, RfvPolicy, RfvScore, RfvThresholds, SegmentGrid, rfv_scores
    from otocore.sellers import Seller, SellerStatus, Store
    from otocore.suggestions import (
        Explanation,
        SellerWorkload,
        Suggestion,
        SuggestionOutcome,
        SuggestionPlan,
        SuggestionPolicy,
        plan_suggestions,
    )

__version__ = "0.1.0"

__all__ = [
    "Balanced",
    "BlockEvent",
    "BlockFeature",
    "BlockList",
    "Campaign",
    "Channel",
    "ConsentEvent",
    "ConsentLedger",
    "ConsentPolicy",
    "Contact",
    "ContactChannel",
    "Cpf",
    "CpfPolicy",
    "Customer",
    "CustomerFacts",
    "DecidedBy",
    "Email",
    "Explanation",
    "FollowUp",
    "Loyalty",
    "MaritalStatus",
    "Mobile",
    "NotFound",
    "Order",
    "OrderStatus",
    "OtocoreError",
    "PermissionDenied",
    "Preference",
    "PreferredSellerPolicy",
    "QuarantinePolicy",
    "RawRfv",
    "RfvPolicy",
    "RfvScore",
    "RfvThresholds",
    "RuleViolation",
    "SegmentGrid",
    "Seller",
    "SellerStatus",
    "SellerWorkload",
    "Sex",
    "Store",
    "Suggestion",
    "SuggestionLimiter",
    "SuggestionOutcome",
    "SuggestionPlan",
    "SuggestionPolicy",
    "SuggestionStatus",
    "ToSeller",
    "ValidationError",
    "__version__",
    "load_campaigns",
    "parse_filter",
    "plan_suggestions",
    "preferred_seller",
    "preferred_sellers",
    "quarantine_status",
    "redistribute",
    "rfv_scores",
]

# Where each name of __all__ lives, imported on first use (PEP 562).
_WHERE = {
    "BlockEvent": "blocking",
    "BlockFeature": "blocking",
    "BlockList": "blocking",
    "Campaign": "campaigns",
    "ConsentEvent": "consent",
    "ConsentLedger": "consent",
    "ConsentPolicy": "consent",
    "ContactChannel": "consent",
    "Contact": "contacts",
    "FollowUp": "contacts",
    "SuggestionStatus": "contacts",
    "Cpf": "customers",
    "CpfPolicy": "customers",
    "Customer": "customers",
    "Email": "customers",
    "Loyalty": "customers",
    "MaritalStatus": "customers",
    "Mobile": "customers",
    "Sex": "customers",
    "Balanced": "distribution",
    "DecidedBy": "distribution",
    "Preference": "distribution",
    "PreferredSellerPolicy": "distribution",
    "SuggestionLimiter": "distribution",
    "ToSeller": "distribution",
    "preferred_seller": "distribution",
    "preferred_sellers": "distribution",
    "redistribute": "distribution",
    "NotFound": "errors",
    "OtocoreError": "errors",
    "PermissionDenied": "errors",
    "RuleViolation": "errors",
    "ValidationError": "errors",
    "CustomerFacts": "filters",
    "parse_filter": "filters",
    "Channel": "orders",
    "Order": "orders",
    "OrderStatus": "orders",
    "QuarantinePolicy": "quarantine",
    "quarantine_status": "quarantine",
    "RawRfv": "rfv",
    "RfvPolicy": "rfv",
    "RfvScore": "rfv",
    "RfvThresholds": "rfv",
    "SegmentGrid": "rfv",
    "rfv_scores": "rfv",
    "Seller": "sellers",
    "SellerStatus": "sellers",
    "Store": "sellers",
    "Explanation": "suggestions",
    "SellerWorkload": "suggestions",
    "Suggestion": "suggestions",
    "SuggestionOutcome": "suggestions",
    "SuggestionPlan": "suggestions",
    "SuggestionPolicy": "suggestions",
    "plan_suggestions": "suggestions",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is not None:
        value = getattr(importlib.import_module(f"otocore.{module}"), name)
    elif name.startswith("_"):
        raise AttributeError(f"module 'otocore' has no attribute {name!r}")
    else:  # a module, as in ``import otocore; otocore.rfv.default_grid()``
        try:
            value = importlib.import_module(f"otocore.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"otocore.{name}":
                raise
            raise AttributeError(f"module 'otocore' has no attribute {name!r}") from None
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


def load_campaigns(
    source: str | bytes | Sequence[Any], *, grid: SegmentGrid | None = None
) -> tuple[Campaign, ...]:
    """Deprecated: use :func:`otocore.serialization.load_campaigns`, which this calls.

    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     campaigns = load_campaigns("[]")
    >>> campaigns, str(caught[0].message)
    ((), 'otocore.load_campaigns is deprecated; use otocore.serialization.load_campaigns')
    """
    from otocore import serialization  # the deprecated alias's only way up

    warnings.warn(
        "otocore.load_campaigns is deprecated; use otocore.serialization.load_campaigns",
        DeprecationWarning,
        stacklevel=2,
    )
    return serialization.load_campaigns(source, grid=grid)
