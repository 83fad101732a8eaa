"""Worked examples for the shared value types, errors and clock."""

from __future__ import annotations

import re
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
from otocore.portfolio import AssignmentChange, AssignmentReason, DailyRun, PortfolioAssignment
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
    with pytest.raises(
        ValidationError, match=r"^Store\.state must be at most 2 characters, got 'SPX'$"
    ):
        Store(store_id="L01", name="Centro", state="SPX")


STORE = {"store_id": "L01", "name": "Centro"}
SELLER = {"code": "V01", "name": "Ana", "store_id": "L01"}


@pytest.mark.parametrize(
    ("cls", "field", "value", "rule"),
    [
        (Store, "store_id", "", "must not be empty"),
        (Store, "name", "x" * 201, "must be at most 200 characters"),
        (Store, "city", "", "must not be empty"),
        (Store, "state", "SPX", "must be at most 2 characters"),
        (Seller, "code", "", "must not be empty"),
        (Seller, "name", 7, "must be a string"),
        (Seller, "store_id", " ", "must not be empty"),
        (Seller, "status", "active", "must be a SellerStatus ('active', 'inactive')"),
    ],
)
def test_seller_and_store_reject_bad_input_naming_field_and_rule(
    cls: type, field: str, value: object, rule: str
) -> None:
    base = STORE if cls is Store else SELLER
    with pytest.raises(ValidationError, match=rf"^{cls.__name__}\.{field} must ") as info:
        cls(**{**base, field: value})
    assert info.value.field == f"{cls.__name__}.{field}"
    assert info.value.value == value
    assert info.value.rule == rule


DAY = date(2026, 5, 10)
START = datetime(2026, 5, 10, 6, 0, tzinfo=UTC)
ASSIGNMENT = {
    "customer_id": "C1",
    "seller_code": "V01",
    "since": DAY,
    "reason": AssignmentReason.MANUAL,
}
CHANGE = {
    "customer_id": "C1",
    "from_seller": "V01",
    "to_seller": "V02",
    "reason": AssignmentReason.MANUAL,
}
RUN = {"as_of": DAY, "started_at": START, "finished_at": START}
REASONS = "must be a AssignmentReason ('daily_rule', 'manual_redistribution', 'none')"


def _portfolio_value(cls: type, changed: dict[str, object]) -> object:
    base = {PortfolioAssignment: ASSIGNMENT, AssignmentChange: CHANGE, DailyRun: RUN}[cls]
    return cls(**{**base, **changed})


@pytest.mark.parametrize(
    ("cls", "changed", "field", "value", "rule"),
    [
        (PortfolioAssignment, {"customer_id": ""}, "customer_id", "", "must not be empty"),
        (PortfolioAssignment, {"seller_code": ""}, "seller_code", "", "must not be empty"),
        (
            PortfolioAssignment,
            {"since": START},
            "since",
            START,
            "must be a datetime.date (a local calendar day)",
        ),
        (PortfolioAssignment, {"reason": "none"}, "reason", "none", REASONS),
        (
            PortfolioAssignment,
            {"seller_code": None},
            "seller_code",
            None,
            "must name a seller unless the reason is AssignmentReason.NONE",
        ),
        (
            PortfolioAssignment,
            {"reason": AssignmentReason.NONE},
            "seller_code",
            "V01",
            "must be None when the reason is AssignmentReason.NONE",
        ),
        (
            AssignmentChange,
            {"to_seller": None},
            "to_seller",
            None,
            "must name a seller unless the reason is AssignmentReason.NONE",
        ),
        (
            AssignmentChange,
            {"reason": AssignmentReason.NONE},
            "to_seller",
            "V02",
            "must be None when the reason is AssignmentReason.NONE",
        ),
        (
            AssignmentChange,
            {"to_seller": "V01"},
            "to_seller",
            "V01",
            "must differ from from_seller ('V01')",
        ),
        (
            AssignmentChange,
            {"from_seller": None, "to_seller": None, "reason": AssignmentReason.NONE},
            "to_seller",
            None,
            "must differ from from_seller (None)",
        ),
        (AssignmentChange, {"decided_by": ""}, "decided_by", "", "must not be empty"),
        (
            DailyRun,
            {"as_of": "2026-05-10"},
            "as_of",
            "2026-05-10",
            "must be a datetime.date (a local calendar day)",
        ),
        (
            DailyRun,
            {"started_at": datetime(2026, 5, 10, 6, 0)},
            "started_at",
            datetime(2026, 5, 10, 6, 0),
            "must be timezone-aware",
        ),
        (
            DailyRun,
            {"finished_at": START - timedelta(seconds=1)},
            "finished_at",
            START - timedelta(seconds=1),
            "must not be before started_at (2026-05-10 06:00:00+00:00)",
        ),
        (DailyRun, {"counts": 5}, "counts", 5, "must be a mapping of names to integers >= 0"),
        (DailyRun, {"counts": {"": 1}}, "counts['']", "", "must be a non-empty string"),
        (DailyRun, {"counts": {"moved": -1}}, "counts['moved']", -1, "must be an integer >= 0"),
        (
            DailyRun,
            {"counts": {"moved": True}},
            "counts['moved']",
            True,
            "must be an integer >= 0",
        ),
        (
            DailyRun,
            {"counts": [("moved", 1), ("moved", 2)]},
            "counts['moved']",
            2,
            "must appear once",
        ),
        (DailyRun, {"changes": 5}, "changes", 5, "must be a sequence of AssignmentChange"),
        (DailyRun, {"changes": ["x"]}, "changes[0]", "x", "must be an AssignmentChange"),
    ],
)
def test_portfolio_values_reject_bad_input_naming_field_and_rule(
    cls: type, changed: dict[str, object], field: str, value: object, rule: str
) -> None:
    path = f"{cls.__name__}.{field}"
    with pytest.raises(ValidationError, match=f"^{re.escape(f'{path} {rule}, got ')}") as info:
        _portfolio_value(cls, changed)
    assert info.value.field == path
    assert info.value.value is value or info.value.value == value
    assert info.value.rule == rule


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
    with pytest.raises(ValueError, match=r"^collect\(\) needs at least one error$"):
        ValidationError.collect([])


def test_clocks() -> None:
    assert isinstance(SystemClock(), Clock)
    assert SystemClock().now().tzinfo is not None
    clock = FixedClock(datetime(2026, 1, 1, tzinfo=UTC))
    assert isinstance(clock, Clock)
    assert clock.advance(timedelta(days=2)).now() == datetime(2026, 1, 3, tzinfo=UTC)
    with pytest.raises(ValidationError, match=r"^FixedClock\.instant must be timezone-aware, got "):
        clock.set(datetime(2026, 1, 1))
    assert repr(clock).startswith("FixedClock(")


def test_an_instant_outside_the_utc_range_is_a_validation_error() -> None:
    from datetime import timezone

    early = datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=3)))
    with pytest.raises(
        ValidationError,
        match=r"^Order\.placed_at must be an instant between years 1 and 9999 in UTC, got ",
    ):
        _order(placed_at=early)
