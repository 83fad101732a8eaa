"""otocore: exact, tested domain rules for Brazilian retail clienteling.

>>> import otocore
>>> isinstance(otocore.__version__, str)
True
"""

from __future__ import annotations

from otocore.errors import (
    NotFound,
    OtocoreError,
    PermissionDenied,
    RuleViolation,
    ValidationError,
)
from otocore.orders import Channel, Order, OrderStatus
from otocore.sellers import Seller, SellerStatus, Store

__version__ = "0.1.0"

__all__ = [
    "Channel",
    "NotFound",
    "Order",
    "OrderStatus",
    "OtocoreError",
    "PermissionDenied",
    "RuleViolation",
    "Seller",
    "SellerStatus",
    "Store",
    "ValidationError",
    "__version__",
]
