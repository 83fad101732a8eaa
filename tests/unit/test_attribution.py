"""Worked examples of attribution (otocore.attribution, docs/attribution.md).

The edges the issue names: an order one second before the contact, exactly at the end
of the window, two sellers contacting the same customer, a contact at 23:59 local time;
and the rules around them: cancelled orders, online orders with a seller code, ties on
the instant, the policy's validation.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs
import pytest

from _support.attribution import contact, order
from otocore.attribution import (
    Attribution,
    AttributionModel,
    AttributionPolicy,
    AttributionResult,
    NotAttributedReason,
    attribute,
)
from otocore.errors import ValidationError
from otocore.orders import Channel, OrderStatus

SP = ZoneInfo("America/Sao_Paulo")
AT = datetime(2026, 5, 1, 10, tzinfo=SP)
LAST, FIRST = AttributionModel.LAST_CONTACT, AttributionModel.FIRST_CONTACT


def _credits(result: AttributionResult) -> list[tuple[str, str, str]]:
    return [(a.order_id, a.contact_id, a.seller_code) for a in result.attributed]


def _reasons(result: AttributionResult) -> list[tuple[str, str]]:
    return [(u.order.order_id, u.reason.value) for u in result.unattributed]


# the window's edges ----------------------------------------------------------------


def test_an_order_one_second_before_the_contact_is_not_the_contact_s() -> None:
    result = attribute(
        [order("P1", "ANA", AT - timedelta(seconds=1))], [contact("A1", "V01", "ANA", AT)]
    )
    assert result.attributed == ()
    assert _reasons(result) == [("P1", "no_contact_in_window")]


def test_an_order_at_the_instant_the_contact_started_is_not_the_contact_s() -> None:
    result = attribute([order("P1", "ANA", AT)], [contact("A1", "V01", "ANA", AT)])
    assert _reasons(result) == [("P1", "no_contact_in_window")]
    one_micro_later = attribute(
        [order("P1", "ANA", AT + timedelta(microseconds=1))], [contact("A1", "V01", "ANA", AT)]
    )
    assert _credits(one_micro_later) == [("P1", "A1", "V01")]


def test_an_order_exactly_at_the_end_of_the_window_is_attributed_and_a_microsecond_later_not() -> (
    None
):
    talks = [contact("A1", "V01", "ANA", AT)]
    week = timedelta(days=7)
    edge = attribute([order("P1", "ANA", AT + week)], talks)
    assert _credits(edge) == [("P1", "A1", "V01")]
    assert edge.attributed[0].elapsed == week
    late = attribute([order("P1", "ANA", AT + week + timedelta(microseconds=1))], talks)
    assert _reasons(late) == [("P1", "no_contact_in_window")]


@pytest.mark.parametrize("days", [1, 7, 30, 365])
def test_the_window_is_the_policy_s_number_of_days(days: int) -> None:
    talks = [contact("A1", "V01", "ANA", AT)]
    policy = AttributionPolicy(window_days=days)
    inside = order("P1", "ANA", AT + timedelta(days=days))
    outside = order("P2", "ANA", AT + timedelta(days=days, seconds=1))
    result = attribute([inside, outside], talks, policy=policy)
    assert _credits(result) == [("P1", "A1", "V01")]
    assert _reasons(result) == [("P2", "no_contact_in_window")]


def test_a_contact_at_23_59_local_time_has_its_local_day_and_a_window_of_hours() -> None:
    late = datetime(2026, 5, 3, 23, 59, tzinfo=SP)  # 02:59 UTC on the 4th
    talks = [contact("A1", "V01", "ANA", late)]
    orders = [
        order("P1", "ANA", datetime(2026, 5, 4, 0, 1, tzinfo=SP)),
        order("P2", "ANA", datetime(2026, 5, 10, 23, 59, tzinfo=SP)),
        order("P3", "ANA", datetime(2026, 5, 11, 0, 0, tzinfo=SP)),
    ]
    result = attribute(orders, talks)
    assert _credits(result) == [("P1", "A1", "V01"), ("P2", "A1", "V01")]
    assert _reasons(result) == [("P3", "no_contact_in_window")]
    first = result.attributed[0]
    assert first.contact_started_at == datetime(2026, 5, 4, 2, 59, tzinfo=UTC)
    assert (first.contact_day(), first.purchase_day()) == (date(2026, 5, 3), date(2026, 5, 4))
    assert first.contact_day(time_zone="UTC") == date(2026, 5, 4)


def test_the_window_is_elapsed_time_across_a_daylight_saving_change() -> None:
    """São Paulo's clocks went back at midnight of 2019-02-17: 7 days are still 168 hours."""
    start = datetime(2019, 2, 12, 12, tzinfo=SP)  # UTC-2, summer time
    talks = [contact("A1", "V01", "ANA", start)]
    exact = start.astimezone(UTC) + timedelta(hours=168)  # 11:00 on the 19th (UTC-3)
    assert exact.astimezone(SP).hour == 11
    assert start + timedelta(days=7) != exact  # Python adds days on the wall clock: 12:00
    result = attribute(
        [order("P1", "ANA", exact), order("P2", "ANA", datetime(2019, 2, 19, 12, tzinfo=SP))],
        talks,
    )
    assert _credits(result) == [("P1", "A1", "V01")]
    assert _reasons(result) == [("P2", "no_contact_in_window")]


# which contact -----------------------------------------------------------------------


def test_two_sellers_contacting_the_same_customer_the_last_one_gets_the_sale() -> None:
    talks = [
        contact("A1", "V01", "ANA", AT),
        contact("B7", "V02", "ANA", AT + timedelta(days=2)),
    ]
    sale = order("P1", "ANA", AT + timedelta(days=4), "250.00")
    assert _credits(attribute([sale], talks)) == [("P1", "B7", "V02")]
    first = attribute([sale], talks, policy=AttributionPolicy(model=FIRST))
    assert _credits(first) == [("P1", "A1", "V01")]


def test_the_first_contact_model_counts_only_contacts_in_the_window() -> None:
    talks = [
        contact("A0", "V03", "ANA", AT - timedelta(days=30)),
        contact("A1", "V01", "ANA", AT),
        contact("B7", "V02", "ANA", AT + timedelta(days=2)),
    ]
    first = attribute(
        [order("P1", "ANA", AT + timedelta(days=4))], talks, policy=AttributionPolicy(model=FIRST)
    )
    assert _credits(first) == [("P1", "A1", "V01")]


@pytest.mark.parametrize("model", [LAST, FIRST])
def test_contacts_at_the_same_instant_go_to_the_lowest_contact_id(model: AttributionModel) -> None:
    talks = [contact("A2", "V02", "ANA", AT), contact("A10", "V10", "ANA", AT)]
    result = attribute(
        [order("P1", "ANA", AT + timedelta(hours=1))], talks, policy=AttributionPolicy(model=model)
    )
    assert _credits(result) == [("P1", "A10", "V10")]  # "A10" < "A2" in code-point order


def test_a_contact_earns_several_orders_and_only_its_customer_s() -> None:
    talks = [contact("A1", "V01", "ANA", AT)]
    orders = [
        order("P1", "ANA", AT + timedelta(days=1)),
        order("P2", "ANA", AT + timedelta(days=5)),
        order("P3", "BIA", AT + timedelta(days=2)),
    ]
    result = attribute(orders, talks)
    assert _credits(result) == [("P1", "A1", "V01"), ("P2", "A1", "V01")]
    assert _reasons(result) == [("P3", "no_contact_in_window")]


@pytest.mark.parametrize("channel", list(Channel))
def test_every_channel_is_attributed(channel: Channel) -> None:
    sale = order("P1", "ANA", AT + timedelta(days=1), channel=channel)
    assert _credits(attribute([sale], [contact("A1", "V01", "ANA", AT)])) == [("P1", "A1", "V01")]


# online orders with a seller code ------------------------------------------------------


def test_an_online_seller_code_names_the_seller_whose_contact_earns_the_order() -> None:
    talks = [contact("A1", "V01", "ANA", AT), contact("B7", "V02", "ANA", AT + timedelta(days=2))]
    when = AT + timedelta(days=4)
    coded = order("P1", "ANA", when, seller="V01", channel=Channel.ONLINE)
    plain = order("P2", "ANA", when, channel=Channel.ONLINE)
    at_the_till = order("P3", "ANA", when, seller="V01", channel=Channel.STORE)
    result = attribute([coded, plain, at_the_till], talks)
    assert _credits(result) == [("P1", "A1", "V01"), ("P2", "B7", "V02"), ("P3", "B7", "V02")]


def test_an_online_seller_code_of_a_seller_without_a_contact_is_not_a_sale_from_a_contact() -> None:
    talks = [contact("A1", "V01", "ANA", AT)]
    coded = order("P1", "ANA", AT + timedelta(days=1), seller="V09", channel=Channel.ONLINE)
    nobody = order("P2", "BIA", AT + timedelta(days=1), seller="V09", channel=Channel.ONLINE)
    result = attribute([coded, nobody], talks)
    assert result.attributed == ()
    assert _reasons(result) == [
        ("P1", "seller_code_without_contact"),
        ("P2", "no_contact_in_window"),
    ]


# cancelled orders ----------------------------------------------------------------------


def test_a_cancelled_order_does_not_count_and_is_reported_apart() -> None:
    talks = [contact("A1", "V01", "ANA", AT)]
    kept = order("P1", "ANA", AT + timedelta(hours=1), "100.00")
    cancelled = order("P2", "ANA", AT + timedelta(hours=2), "50.00", status=OrderStatus.CANCELLED)
    result = attribute([kept, cancelled], talks)
    assert _credits(result) == [("P1", "A1", "V01")]
    assert [(a.order_id, a.contact_id, a.status) for a in result.cancelled] == [
        ("P2", "A1", OrderStatus.CANCELLED)
    ]
    assert result.revenue == Decimal("100.00")
    assert sum(a.total for a in (*result.attributed, *result.cancelled)) == Decimal("150.00")


# the values ----------------------------------------------------------------------------


def test_an_attribution_carries_the_order_and_the_contact() -> None:
    sale = order(
        "P1", "ANA", AT + timedelta(days=1), "199.90", channel=Channel.TELESALES, store="L02"
    )
    (credit,) = attribute([sale], [contact("A1", "V01", "ANA", AT)]).attributed
    assert credit == Attribution(
        order_id="P1",
        customer_id="ANA",
        store_id="L02",
        channel=Channel.TELESALES,
        placed_at=sale.placed_at,
        total=Decimal("199.90"),
        status=OrderStatus.COMPLETED,
        contact_id="A1",
        seller_code="V01",
        contact_started_at=AT,
    )
    assert credit.placed_at.tzinfo is UTC


def test_results_are_sorted_by_the_order_s_instant_then_id() -> None:
    talks = [contact("A1", "V01", "ANA", AT)]
    when = AT + timedelta(hours=1)
    orders = [
        order("P3", "ANA", when),
        order("P10", "ANA", when),
        order("P2", "ANA", when - timedelta(seconds=1)),
    ]
    assert [a.order_id for a in attribute(orders, talks).attributed] == ["P2", "P10", "P3"]


def test_no_orders_or_no_contacts_attribute_nothing() -> None:
    assert attribute([], []) == AttributionResult(
        policy=AttributionPolicy(), attributed=(), cancelled=(), unattributed=()
    )
    result = attribute([order("P1", "ANA", AT)], [])
    assert [u.reason for u in result.unattributed] == [NotAttributedReason.NO_CONTACT_IN_WINDOW]


# errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "message"),
    [
        (0, "must be >= 1"),
        (366, "must be <= 365"),
        (7.0, "must be"),
        (True, "must be"),
        ("7", "must be"),
    ],
)
def test_the_window_must_be_whole_days_from_1_to_365(days: object, message: str) -> None:
    with pytest.raises(
        ValidationError, match=rf"^AttributionPolicy.window_days {message}"
    ) as refused:
        AttributionPolicy(window_days=days)  # type: ignore[arg-type]
    assert refused.value.value == days


def test_the_model_must_be_a_model() -> None:
    with pytest.raises(ValidationError, match=r"^AttributionPolicy.model must be"):
        AttributionPolicy(model="first_contact")  # type: ignore[arg-type]


def test_a_repeated_order_or_contact_is_refused() -> None:
    talk = contact("A1", "V01", "ANA", AT)
    sale = order("P1", "ANA", AT + timedelta(hours=1))
    with pytest.raises(ValidationError, match=r"^orders\[1\].order_id must be unique"):
        attribute([sale, sale], [talk])
    with pytest.raises(ValidationError, match=r"^contacts\[1\].contact_id must be unique"):
        attribute([sale], [talk, attrs.evolve(talk, seller_code="V02")])


def test_inputs_of_the_wrong_type_are_refused() -> None:
    talk = contact("A1", "V01", "ANA", AT)
    with pytest.raises(ValidationError, match=r"^orders\[0\] must be an Order"):
        attribute([talk], [talk])  # type: ignore[list-item]
    with pytest.raises(ValidationError, match=r"^contacts must be an iterable of Contact"):
        attribute([], None)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"^policy must be an AttributionPolicy"):
        attribute([], [], policy=7)  # type: ignore[arg-type]


def test_an_attribution_refuses_a_contact_that_did_not_start_before_the_order() -> None:
    (credit,) = attribute(
        [order("P1", "ANA", AT + timedelta(hours=1))], [contact("A1", "V01", "ANA", AT)]
    ).attributed
    with pytest.raises(ValidationError, match=r"^Attribution.contact_started_at must be before"):
        attrs.evolve(credit, contact_started_at=credit.placed_at + timedelta(seconds=1))


# the docs ------------------------------------------------------------------------------


@pytest.mark.source_tree
def test_the_worked_examples_of_the_docs_run() -> None:
    page = (Path(__file__).resolve().parents[2] / "docs" / "attribution.md").read_text("utf-8")
    blocks = re.findall(r"```python\n(.*?)```", page, re.DOTALL)
    assert len(blocks) >= 2
    for code in blocks:
        exec(compile(code, "docs/attribution.md", "exec"), {})  # noqa: S102 - our own docs
