"""Brands dense with attribution's edges, and their frames, for the attribution tests.

:func:`attribution_cases` draws orders and contacts around a few shared instants:
contacts start on those instants (so ties on the instant happen), and orders are
placed at the window's edges from them (one second or one microsecond before, at,
and after the contact and the window's end), on every channel, online orders with
and without a seller code, cancelled orders, several sellers and customers, ids
whose code-point order differs from their numeric order (``A10`` < ``A2``), and
instants shown in zones of their own, on Brazil's last daylight-saving nights.
:func:`order_frame` / :func:`contact_frame` put them on an engine, and
:func:`expected_rows` puts the reference's answer in the frame result's shape.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa
from hypothesis import strategies as st

from _support.frames import convert
from otocore.attribution import Attribution, AttributionModel, AttributionPolicy
from otocore.consent import ContactChannel
from otocore.contacts import Contact
from otocore.orders import Channel, Order, OrderStatus

__all__ = [
    "attribution_cases",
    "contact",
    "contact_frame",
    "expected_rows",
    "order",
    "order_frame",
    "policies",
]

ANCHORS = [
    datetime(2026, 5, 10, 12, tzinfo=UTC),
    datetime(2026, 5, 11, 2, 59, tzinfo=UTC),  # 23:59 in São Paulo
    datetime(2019, 2, 17, 1, 30, tzinfo=UTC),  # 23:30 of the DST night, its first fold
    datetime(2019, 2, 17, 2, 30, tzinfo=UTC),  # 23:30 of the DST night, its second fold
]
CUSTOMERS = ["C1", "C2"]
SELLERS = ["V1", "V2", "V10"]
CONTACT_IDS = ["A1", "A2", "A10", "A20", "B1", "B2"]
ZONES = ["UTC", "America/Sao_Paulo", "Asia/Tokyo"]


def policies() -> st.SearchStrategy[AttributionPolicy]:
    """The default policy, and others: windows of 1 to 365 days, either model."""
    return st.just(AttributionPolicy()) | st.builds(
        AttributionPolicy,
        window_days=st.sampled_from([1, 7, 30]) | st.integers(1, 365),
        model=st.sampled_from(AttributionModel),
    )


def contact(
    contact_id: str, seller: str, customer: str, started_at: datetime, *, tz: str = "UTC"
) -> Contact:
    """A registered WhatsApp contact that finished when it started."""
    return Contact(
        contact_id=contact_id,
        seller_code=seller,
        customer_id=customer,
        channel=ContactChannel.WHATSAPP,
        started_at=started_at,
        finished_at=started_at,
        in_portfolio=True,
        time_zone=tz,
    )


def order(
    order_id: str,
    customer: str,
    placed_at: datetime,
    total: str = "100.00",
    *,
    seller: str | None = None,
    channel: Channel = Channel.STORE,
    status: OrderStatus = OrderStatus.COMPLETED,
    store: str = "L01",
) -> Order:
    """An order of ``customer``."""
    return Order(
        order_id=order_id,
        customer_id=customer,
        store_id=store,
        placed_at=placed_at,
        total=Decimal(total),
        seller_code=seller,
        channel=channel,
        status=status,
    )


@st.composite
def attribution_cases(
    draw: st.DrawFn,
) -> tuple[list[Order], list[Contact], AttributionPolicy]:
    """Orders and contacts on the window's edges, and a policy."""
    policy = draw(policies())
    window = policy.window
    anchors = draw(st.lists(st.sampled_from(ANCHORS), min_size=1, max_size=3))
    second, micro = timedelta(seconds=1), timedelta(microseconds=1)
    deltas = [
        -second,
        timedelta(0),
        micro,
        second,
        timedelta(hours=1),
        window - second,
        window - micro,
        window,
        window + micro,
        window + second,
        2 * window,
    ]
    ids = draw(st.lists(st.sampled_from(CONTACT_IDS), unique=True, max_size=6))
    contacts = [
        contact(
            cid,
            draw(st.sampled_from(SELLERS)),
            draw(st.sampled_from(CUSTOMERS)),
            draw(st.sampled_from(anchors))
            + draw(st.sampled_from([timedelta(0), timedelta(0), -second, timedelta(days=-1)])),
        )
        for cid in ids
    ]
    n = draw(st.integers(0, 8))
    orders = []
    for i in range(n):
        channel = draw(st.sampled_from(Channel))
        orders.append(
            order(
                f"P{i}",
                draw(st.sampled_from(CUSTOMERS)),
                draw(st.sampled_from(anchors)) + draw(st.sampled_from(deltas)),
                draw(st.sampled_from(["0.00", "0.01", "99.90", "1234.56"])),
                seller=draw(st.none() | st.sampled_from([*SELLERS, "V99"])),
                channel=channel,
                status=draw(
                    st.sampled_from(
                        [OrderStatus.COMPLETED, OrderStatus.COMPLETED, OrderStatus.CANCELLED]
                    )
                ),
                store=draw(st.sampled_from(["L01", "L02"])),
            )
        )
    return orders, contacts, policy


def order_frame(orders: Iterable[Order], engine: str, *, zone: str = "UTC") -> Any:
    """The orders as an attribution orders frame (with ``channel``) on ``engine``."""
    listed = list(orders)
    table = pa.table(
        {
            "order_id": pa.array([o.order_id for o in listed], pa.string()),
            "customer_id": pa.array([o.customer_id for o in listed], pa.string()),
            "store_id": pa.array([o.store_id for o in listed], pa.string()),
            "seller_code": pa.array([o.seller_code for o in listed], pa.string()),
            "placed_at": pa.array([o.placed_at for o in listed], pa.timestamp("us", tz=zone)),
            "total_cents": pa.array([int(o.total * 100) for o in listed], pa.int64()),
            "status": pa.array([o.status.value for o in listed], pa.string()),
            "channel": pa.array([o.channel.value for o in listed], pa.string()),
        }
    )
    return convert(table, engine)


def contact_frame(
    contacts: Iterable[Contact], engine: str, *, zone: str = "UTC", unit: str = "us"
) -> Any:
    """The contacts as a contacts frame on ``engine``, ``started_at`` in ``zone`` and ``unit``."""
    listed = list(contacts)
    table = pa.table(
        {
            "contact_id": pa.array([c.contact_id for c in listed], pa.string()),
            "seller_code": pa.array([c.seller_code for c in listed], pa.string()),
            "customer_id": pa.array([c.customer_id for c in listed], pa.string()),
            "started_at": pa.array([c.started_at for c in listed], pa.timestamp(unit, tz=zone)),
        }
    )
    return convert(table, engine)


def expected_rows(attributions: Iterable[Attribution]) -> list[tuple[Any, ...]]:
    """The reference's attributions as rows of :func:`otocore.frames.attribute`, in its order."""
    listed = sorted(attributions, key=lambda a: (a.placed_at, a.order_id))
    return [
        (
            a.order_id,
            a.customer_id,
            a.store_id,
            a.channel.value,
            a.placed_at,
            int(a.total * 100),
            a.status.value,
            a.contact_id,
            a.seller_code,
            a.contact_started_at,
        )
        for a in listed
    ]


def in_utc(value: datetime) -> datetime:
    """``value`` as the same instant with ``UTC`` as its zone (frames' rows may name another)."""
    return value.astimezone(ZoneInfo("UTC")).replace(tzinfo=UTC)
