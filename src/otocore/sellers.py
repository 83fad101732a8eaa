"""Vendedor e loja (seller and store).

A :class:`Seller` works in one :class:`Store` and is ACTIVE or INACTIVE. Only
active sellers receive customers in their portfolio (carteira).

>>> store = Store(store_id="L01", name="Loja Centro", city="São Paulo", state="SP")
>>> seller = Seller(code="V01", name="Ana Souza", store_id="L01")
>>> seller.status
<SellerStatus.ACTIVE: 'active'>
>>> seller.is_active
True
>>> Seller(code="", name="Ana", store_id="L01")
Traceback (most recent call last):
...
otocore.errors.ValidationError: Seller.code must not be empty, got ''
"""

from __future__ import annotations

import enum

import attrs

from otocore import _validate as v

__all__ = ["Seller", "SellerStatus", "Store"]


class SellerStatus(enum.Enum):
    """Status do vendedor: ativo ou inativo.

    >>> SellerStatus("inactive")
    <SellerStatus.INACTIVE: 'inactive'>
    """

    ACTIVE = "active"
    INACTIVE = "inactive"


@attrs.frozen(kw_only=True)
class Store:
    """Loja (store) of a brand.

    ``city`` and ``state`` (UF) are optional descriptive fields.

    >>> Store(store_id="L01", name="Loja Centro").city is None
    True
    """

    store_id: str = attrs.field(validator=v.text(100))
    name: str = attrs.field(validator=v.text(200))
    city: str | None = attrs.field(default=None, validator=v.optional_text(100))
    state: str | None = attrs.field(default=None, validator=v.optional_text(2))


@attrs.frozen(kw_only=True)
class Seller:
    """Vendedor (seller): identified brand-wide by its seller code.

    >>> Seller(code="V02", name="Bruno", store_id="L01", status=SellerStatus.INACTIVE).is_active
    False
    """

    code: str = attrs.field(validator=v.text(100))
    name: str = attrs.field(validator=v.text(200))
    store_id: str = attrs.field(validator=v.text(100))
    status: SellerStatus = attrs.field(
        default=SellerStatus.ACTIVE, validator=v.member_of(SellerStatus)
    )

    @property
    def is_active(self) -> bool:
        """True when the seller is ACTIVE."""
        return self.status is SellerStatus.ACTIVE
