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
from otocore.orders import Channel, Order, OrderStatus
from otocore.rfv import RawRfv, RfvPolicy, RfvScore, RfvThresholds, SegmentGrid, rfv_scores
from otocore.sellers import Seller, SellerStatus, Store

__version__ = "0.1.0"

__all__ = [
    "Balanced",
    "Channel",
    "Cpf",
    "CpfPolicy",
    "Customer",
    "DecidedBy",
    "Email",
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
    "RawRfv",
    "RfvPolicy",
    "RfvScore",
    "RfvThresholds",
    "RuleViolation",
    "SegmentGrid",
    "Seller",
    "SellerStatus",
    "Sex",
    "Store",
    "SuggestionLimiter",
    "ToSeller",
    "ValidationError",
    "__version__",
    "preferred_seller",
    "preferred_sellers",
    "redistribute",
    "rfv_scores",
]
