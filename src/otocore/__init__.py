"""otocore: exact, tested domain rules for Brazilian retail clienteling.

The names most users need are importable from here; everything else lives in
its own module (:mod:`otocore.rfv`, :mod:`otocore.distribution`,
:mod:`otocore.daily`, ...).

>>> import otocore
>>> isinstance(otocore.__version__, str)
True
>>> otocore.Cpf.parse("529.982.247-25").formatted
'529.982.247-25'
"""

from __future__ import annotations

from otocore.blocking import BlockEvent, BlockFeature, BlockList
from otocore.campaigns import Campaign, load_campaigns
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
