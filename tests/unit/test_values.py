"""Worked examples for the shared value types, errors and clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import attrs
import pytest

from _support.builders import order as _order
from otocore.clock import Clock, FixedClock, SystemClock
from otocore.errors import (
    NotFound,
    OtocoreError,
    PermissionDenied,
    RuleViolation,
    SchemaVersionError,
    ValidationError,
)
from otocore.orders import Channel, OrderStatus
from otocore.sellers import Seller, SellerStatus, Store


def test_order_keyword_construction_and_defaults() -> None:
    order = _order()
    assert order.status is OrderStatus.COMPLETED
    assert order.channel is Channel.STORE
    assert order.total == Decimal("199.90")


def test_order_is_frozen() -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        _order().total = Decimal(0)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("field", "value", "rule"),
    [
        ("placed_at", datetime(2026, 5, 10, 15, 30), "must be timezone-aware"),
        ("placed_at", date(2026, 5, 10), "must be a timezone-aware datetime"),
        ("total", Decimal("-0.01"), "must be >= 0 with at most 2 decimal places"),
        ("total", Decimal("1.005"), "must be >= 0 with at most 2 decimal places"),
        ("total", Decimal("NaN"), "must be >= 0 with at most 2 decimal places"),
        ("total", 10.5, "must be a decimal.Decimal (never a float)"),
        ("total", 10, "must be a decimal.Decimal (never a float)"),
        ("order_id", "", "must not be empty"),
        ("order_id", "   ", "must not be empty"),
        ("customer_id", 42, "must be a string"),
        ("seller_code", "", "must not be empty"),
        ("status", "completed", "must be a OrderStatus ('completed', 'cancelled')"),
        ("channel", None, "must be a Channel ('store', 'online', 'telesales')"),
    ],
)
def test_order_rejects_bad_input_naming_field_and_value(
    field: str, value: object, rule: str
) -> None:
    with pytest.raises(ValidationError) as info:
        _order(**{field: value})
    err = info.value
    assert err.field == f"Order.{field}"
    assert err.value is value or err.value == value
    assert err.rule == rule
    assert f"Order.{field}" in str(err)


def test_online_order_without_seller_code() -> None:
    order = _order(seller_code=None, channel=Channel.ONLINE)
    assert order.seller_code is None


def test_seller_and_store() -> None:
    seller = Seller(code="V01", name="Ana", store_id="L01")
    assert seller.is_active
    assert not attrs.evolve(seller, status=SellerStatus.INACTIVE).is_active
    assert Store(store_id="L01", name="Centro", state="SP").state == "SP"
    with pytest.raises(ValidationError, match=r"Store\.state"):
        Store(store_id="L01", name="Centro", state="SPX")


def test_error_hierarchy() -> None:
    assert issubclass(ValidationError, OtocoreError)
    assert issubclass(ValidationError, ValueError)
    assert issubclass(NotFound, LookupError)
    assert issubclass(PermissionDenied, RuleViolation)
    assert issubclass(SchemaVersionError, OtocoreError)
    err = NotFound("Customer", "C9")
    assert (err.kind, err.key) == ("Customer", "C9")


def test_collect_flattens_and_prefix_rewrites_paths() -> None:
    a = ValidationError("min", -1, "must be >= 0")
    b = ValidationError("[2].max", 200, "must be <= 130")
    both = ValidationError.collect([a, b]).with_prefix("age_between")
    assert [e.field for e in both.errors] == ["age_between.min", "age_between[2].max"]
    with pytest.raises(ValueError, match="at least one"):
        ValidationError.collect([])


def test_clocks() -> None:
    assert isinstance(SystemClock(), Clock)
    assert SystemClock().now().tzinfo is not None
    clock = FixedClock(datetime(2026, 1, 1, tzinfo=UTC))
    assert isinstance(clock, Clock)
    assert clock.advance(timedelta(days=2)).now() == datetime(2026, 1, 3, tzinfo=UTC)
    with pytest.raises(ValidationError, match=r"FixedClock\.instant"):
        clock.set(datetime(2026, 1, 1))
    assert repr(clock).startswith("FixedClock(")


def test_an_instant_outside_the_utc_range_is_a_validation_error() -> None:
    from datetime import timezone

    early = datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=3)))
    with pytest.raises(ValidationError, match=r"Order\.placed_at"):
        _order(placed_at=early)
