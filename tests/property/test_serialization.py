"""Every public value type round-trips through the converter; junk only raises OtocoreError."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from _support.strategies import JSON
from otocore.errors import ValidationError
from otocore.orders import Order
from otocore.sellers import Seller, Store
from otocore.serialization import converter, make_converter
from otocore.testing import orders, sellers, stores
from otocore.testing._types import TYPES_WITH_STRATEGIES


@pytest.mark.parametrize(
    "values",
    [
        pytest.param(orders(), id="Order"),
        pytest.param(sellers(), id="Seller"),
        pytest.param(stores(), id="Store"),
    ],
)
@given(draws=st.data())
def test_round_trip_through_json(values: st.SearchStrategy[Any], draws: st.DataObject) -> None:
    value = draws.draw(values, label="value")
    data = converter.unstructure(value)
    text = json.dumps(data)  # JSON-ready: no Decimal, datetime or enum left
    assert converter.structure(json.loads(text), type(value)) == value


@given(orders())
def test_datetimes_keep_their_offset_and_money_is_a_string(order: Order) -> None:
    data = converter.unstructure(order)
    assert isinstance(data["total"], str)
    assert data["placed_at"][-6] in "+-" or data["placed_at"].endswith("Z")


@pytest.mark.parametrize("cls", [Order, Seller, Store])
@given(junk=JSON)
def test_junk_raises_only_validation_error(cls: type, junk: Any) -> None:
    with contextlib.suppress(ValidationError):
        converter.structure(junk, cls)


@given(order=orders(), key=st.sampled_from(["placed_at", "total", "status", "order_id"]), junk=JSON)
def test_a_bad_field_is_named_by_its_path(order: Order, key: str, junk: Any) -> None:
    data = converter.unstructure(order)
    data[key] = junk
    try:
        converter.structure(data, Order)
    except ValidationError as err:
        fields = [e.field for e in err.errors]
    else:
        return  # the junk happened to be a valid value for that field
    assert f"Order.{key}" in fields


def test_missing_and_extra_fields_are_reported_together() -> None:
    with pytest.raises(ValidationError) as info:
        converter.structure({"store_id": "L1", "nome": "x"}, Store)
    fields = sorted(e.field for e in info.value.errors)
    assert fields == ["Store.name", "Store.nome"]


def test_float_money_is_refused() -> None:
    data = {
        "order_id": "P1",
        "customer_id": "C1",
        "store_id": "L1",
        "placed_at": "2026-01-01T10:00:00-03:00",
        "total": 10.5,
        "seller_code": None,
        "status": "completed",
        "channel": "store",
    }
    with pytest.raises(ValidationError, match=r"Order\.total"):
        converter.structure(data, Order)


def test_make_converter_is_independent() -> None:
    mine = make_converter()
    mine.register_unstructure_hook(Store, lambda s: s.store_id)
    store = Store(store_id="L1", name="Centro")
    assert mine.unstructure(store) == "L1"
    assert converter.unstructure(store)["store_id"] == "L1"


@pytest.mark.parametrize("cls", TYPES_WITH_STRATEGIES(), ids=lambda cls: cls.__name__)
@given(st.data())
def test_every_registered_type_round_trips(cls: type, data: st.DataObject) -> None:
    """Every public value type with a strategy survives unstructure -> JSON -> structure."""
    value = data.draw(st.from_type(cls), label="value")
    text = json.dumps(converter.unstructure(value))
    assert converter.structure(json.loads(text), cls) == value
