"""The contract of otocore.frames.attribute: every broken input is a ValidationError naming it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import polars as pl
import pytest

from _support.attribution import contact, contact_frame, order, order_frame
from _support.frames import ENGINES, rows
from otocore import frames
from otocore.attribution import AttributionPolicy
from otocore.errors import ValidationError
from otocore.orders import Channel, OrderStatus

AT = datetime(2026, 5, 1, 13, tzinfo=UTC)
ORDERS = [
    order("P1", "ANA", AT + timedelta(days=1), "10.00"),
    order("P2", "ANA", AT + timedelta(days=2), "20.00", status=OrderStatus.CANCELLED),
    order("P3", "BIA", AT + timedelta(days=3), "30.00", channel=Channel.ONLINE, seller="V01"),
]
CONTACTS = [contact("A1", "V01", "ANA", AT), contact("A2", "V02", "BIA", AT)]


def _orders() -> pl.DataFrame:
    frame = order_frame(ORDERS, "polars")
    assert isinstance(frame, pl.DataFrame)
    return frame


def _contacts() -> pl.DataFrame:
    frame = contact_frame(CONTACTS, "polars")
    assert isinstance(frame, pl.DataFrame)
    return frame


@pytest.mark.parametrize("engine", ENGINES)
def test_cancelled_orders_come_only_when_asked(engine: str) -> None:
    orders, contacts = order_frame(ORDERS, engine), contact_frame(CONTACTS, engine)
    counted = [(r[0], r[6], r[7]) for r in rows(frames.attribute(orders, contacts))]
    assert counted == [("P1", "completed", "A1")]
    both = frames.attribute(orders, contacts, include_cancelled=True)
    assert [(r[0], r[6], r[7]) for r in rows(both)] == [
        ("P1", "completed", "A1"),
        ("P2", "cancelled", "A1"),
    ]


def test_the_orders_frame_needs_a_channel_column() -> None:
    with pytest.raises(ValidationError, match=r"^orders.channel must be a column") as refused:
        frames.attribute(_orders().drop("channel"), _contacts())
    assert refused.value.field == "orders.channel"


def test_an_unknown_channel_or_a_null_one_is_refused() -> None:
    unknown = _orders().with_columns(pl.lit("kiosk").alias("channel"))
    with pytest.raises(ValidationError, match=r"^orders.channel must be one of 'store'"):
        frames.attribute(unknown, _contacts())
    null = _orders().with_columns(pl.lit(None, pl.String).alias("channel"))
    with pytest.raises(ValidationError, match=r"^orders.channel must not be null"):
        frames.attribute(null, _contacts())


def test_a_repeated_order_id_is_refused() -> None:
    twice = pl.concat([_orders(), _orders().head(1)])
    with pytest.raises(ValidationError, match=r"^orders.order_id must be unique"):
        frames.attribute(twice, _contacts())


@pytest.mark.parametrize("column", ["contact_id", "seller_code", "customer_id", "started_at"])
def test_every_contacts_column_is_required(column: str) -> None:
    with pytest.raises(ValidationError, match=rf"^contacts.{column} must be a column") as refused:
        frames.attribute(_orders(), _contacts().drop(column))
    assert refused.value.field == f"contacts.{column}"


def test_contacts_columns_of_the_wrong_type_are_refused_all_at_once() -> None:
    broken = _contacts().with_columns(
        pl.col("started_at").dt.replace_time_zone(None), pl.lit(1.5).alias("contact_id")
    )
    with pytest.raises(ValidationError) as refused:
        frames.attribute(_orders(), broken)
    fields = {e.field for e in refused.value.errors}
    assert fields == {"contacts.started_at", "contacts.contact_id"}


def test_customer_ids_of_another_kind_than_the_orders_are_refused() -> None:
    numeric = _contacts().with_columns(pl.lit(7).alias("customer_id"))
    with pytest.raises(ValidationError, match=r"^contacts.customer_id must be of the same kind"):
        frames.attribute(_orders(), numeric)


def test_contacts_of_another_library_are_refused() -> None:
    with pytest.raises(ValidationError, match=r"^contacts must be a data frame of contacts"):
        frames.attribute(_orders(), _contacts().to_pandas())
    with pytest.raises(ValidationError, match=r"^contacts must be a data frame of contacts"):
        frames.attribute(_orders(), [1, 2])


def test_nulls_and_repeated_contact_ids_are_refused() -> None:
    nulls = _contacts().with_columns(pl.lit(None, pl.String).alias("seller_code"))
    with pytest.raises(ValidationError, match=r"^contacts.seller_code must not be null"):
        frames.attribute(_orders(), nulls)
    twice = pl.concat([_contacts(), _contacts().head(1)])
    with pytest.raises(ValidationError, match=r"^contacts.contact_id must be unique") as refused:
        frames.attribute(_orders(), twice)
    assert refused.value.value == "A1"


def test_the_policy_and_the_flag_are_checked() -> None:
    with pytest.raises(ValidationError, match=r"^policy must be an AttributionPolicy"):
        frames.attribute(_orders(), _contacts(), policy=7)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"^include_cancelled must be True or False"):
        frames.attribute(_orders(), _contacts(), include_cancelled="yes")  # type: ignore[arg-type]


def test_integer_ids_work_and_keep_their_type() -> None:
    orders = _orders().with_columns(
        pl.Series("order_id", [1, 2, 3]), pl.Series("customer_id", [10, 10, 20])
    )
    contacts = _contacts().with_columns(
        pl.Series("contact_id", [5, 6]), pl.Series("customer_id", [10, 20])
    )
    got = frames.attribute(orders, contacts, policy=AttributionPolicy(window_days=30))
    assert got.select("order_id", "customer_id", "contact_id").rows() == [(1, 10, 5)]
