"""The sample brand as a value: :class:`SampleBrand` and the checks that keep it consistent."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import attrs

from otocore._time import DEFAULT_TIME_ZONE
from otocore.customers import Customer
from otocore.errors import ValidationError
from otocore.orders import Order
from otocore.sellers import Seller, Store

ZONE = ZoneInfo(DEFAULT_TIME_ZONE)
"""The brand's local zone: moments are drawn in it and instants are written in it."""


def _tuple_of(cls: type) -> Any:
    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        field = f"SampleBrand.{attribute.name}"
        if not isinstance(value, tuple):
            raise ValidationError(field, type(value).__name__, "must be a tuple")
        for i, item in enumerate(value):
            if not isinstance(item, cls):
                raise ValidationError(f"{field}[{i}]", item, f"must be a {cls.__name__}")

    return check


@attrs.frozen(kw_only=True, repr=False)
class SampleBrand:
    """A brand's stores, sellers, customers and orders, consistent with one another.

    Ids are unique within each tuple and every reference resolves: a seller's
    store, a customer's home store, an order's customer, store and seller
    code. Orders are in the order they were placed.

    >>> from datetime import UTC, datetime
    >>> store = Store(store_id="L01", name="Brisa Centro")
    >>> seller = Seller(code="V001", name="Ana Lima", store_id="L01")
    >>> SampleBrand(stores=(store,), sellers=(seller,), customers=(), orders=())
    <SampleBrand: 1 stores, 1 sellers, 0 customers, 0 orders>
    >>> SampleBrand(stores=(), sellers=(seller,), customers=(), orders=())
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: SampleBrand.sellers[0].store_id must name a store of the brand, got 'L01'
    """

    stores: tuple[Store, ...] = attrs.field(validator=_tuple_of(Store))
    sellers: tuple[Seller, ...] = attrs.field(validator=_tuple_of(Seller))
    customers: tuple[Customer, ...] = attrs.field(validator=_tuple_of(Customer))
    orders: tuple[Order, ...] = attrs.field(validator=_tuple_of(Order))

    def __attrs_post_init__(self) -> None:
        faults: list[ValidationError] = []
        stores = _unique(faults, "stores", [s.store_id for s in self.stores], "store_id")
        sellers = _unique(faults, "sellers", [s.code for s in self.sellers], "code")
        customers = _unique(
            faults, "customers", [c.customer_id for c in self.customers], "customer_id"
        )
        _unique(faults, "orders", [o.order_id for o in self.orders], "order_id")
        for i, seller in enumerate(self.sellers):
            _refers(faults, f"sellers[{i}].store_id", seller.store_id, stores, "a store")
        for i, customer in enumerate(self.customers):
            if customer.home_store_id is not None:
                _refers(
                    faults,
                    f"customers[{i}].home_store_id",
                    customer.home_store_id,
                    stores,
                    "a store",
                )
        for i, order in enumerate(self.orders):
            _refers(faults, f"orders[{i}].customer_id", order.customer_id, customers, "a customer")
            _refers(faults, f"orders[{i}].store_id", order.store_id, stores, "a store")
            if order.seller_code is not None:
                _refers(faults, f"orders[{i}].seller_code", order.seller_code, sellers, "a seller")
            if len(faults) >= 20:
                break
        if faults:
            raise ValidationError.collect(faults[:20])

    def __repr__(self) -> str:
        return (
            f"<SampleBrand: {len(self.stores)} stores, {len(self.sellers)} sellers,"
            f" {len(self.customers)} customers, {len(self.orders)} orders>"
        )


def _unique(faults: list[ValidationError], name: str, ids: list[str], key: str) -> set[str]:
    seen: set[str] = set()
    for i, item in enumerate(ids):
        if item in seen:
            faults.append(ValidationError(f"SampleBrand.{name}[{i}].{key}", item, "is a duplicate"))
        seen.add(item)
    return seen


def _refers(faults: list[ValidationError], path: str, key: str, known: set[str], what: str) -> None:
    if key not in known:
        faults.append(ValidationError(f"SampleBrand.{path}", key, f"must name {what} of the brand"))
