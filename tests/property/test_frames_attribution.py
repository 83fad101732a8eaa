"""otocore.frames.attribute against otocore.attribution.attribute, on every engine.

To the centavo and to the tie-break: the same orders, the same contact, the same
seller, the same instants. The brands come from ``_support.attribution`` (orders at
the window's edges, ties on the instant, ids whose code-point order is not their
numeric order, online orders with and without seller codes, cancelled orders, the
DST night of 2019-02-16); the frames show their instants in zones and units of
their own.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from _support.attribution import (
    ANCHORS,
    ZONES,
    attribution_cases,
    contact,
    contact_frame,
    expected_rows,
    in_utc,
    order,
    order_frame,
)
from _support.frames import ENGINES, rows
from otocore import attribution, frames
from otocore.attribution import AttributionModel, AttributionPolicy
from otocore.contacts import Contact
from otocore.orders import Channel, Order

Case = tuple[list[Order], list[Contact], AttributionPolicy]


def _tie() -> Case:
    """Two sellers' contacts at the same instant; ``A10`` wins over ``A2`` (code-point order)."""
    at = ANCHORS[0]
    contacts = [contact("A2", "V2", "C1", at), contact("A10", "V10", "C1", at)]
    orders = [order("P1", "C1", at + AttributionPolicy().window)]
    return orders, contacts, AttributionPolicy()


def _normal(result: Any) -> list[tuple[Any, ...]]:
    return [(*row[:4], in_utc(row[4]), *row[5:9], in_utc(row[9])) for row in rows(result)]


@pytest.mark.parametrize("engine", ENGINES)
@given(
    case=attribution_cases(),
    zones=st.tuples(st.sampled_from(ZONES), st.sampled_from(ZONES)),
    unit=st.sampled_from(["us", "ns"]),
    include_cancelled=st.booleans(),
)
@example(case=_tie(), zones=("UTC", "UTC"), unit="us", include_cancelled=False)
def test_attribute_matches_the_reference(
    engine: str, case: Case, zones: tuple[str, str], unit: str, include_cancelled: bool
) -> None:
    history, contacts, policy = case
    unit = "us" if engine == "duckdb" else unit  # narwhals reads TIMESTAMPTZ_NS as Unknown
    got = frames.attribute(
        order_frame(history, engine, zone=zones[0]),
        contact_frame(contacts, engine, zone=zones[1], unit=unit),
        policy=policy,
        include_cancelled=include_cancelled,
    )
    reference = attribution.attribute(history, contacts, policy=policy)
    wanted = list(reference.attributed)
    if include_cancelled:
        wanted += reference.cancelled
    assert _normal(got) == [
        (*row[:4], in_utc(row[4]), *row[5:9], in_utc(row[9])) for row in expected_rows(wanted)
    ]


@pytest.mark.parametrize("engine", ENGINES)
def test_the_tie_goes_to_the_lowest_contact_id_on_every_engine(engine: str) -> None:
    history, contacts, _ = _tie()
    for model in AttributionModel:
        got = frames.attribute(
            order_frame(history, engine),
            contact_frame(contacts, engine),
            policy=AttributionPolicy(model=model),
        )
        assert [row[7:9] for row in rows(got)] == [("A10", "V10")]


@pytest.mark.parametrize("engine", ENGINES)
def test_an_online_seller_code_meets_the_contacts_on_every_engine(engine: str) -> None:
    at = ANCHORS[0]
    contacts = [contact("A1", "V1", "C1", at), contact("A2", "V2", "C1", at.replace(hour=13))]
    history = [
        order("P1", "C1", at.replace(hour=15), seller="V1", channel=Channel.ONLINE),
        order("P2", "C1", at.replace(hour=15, minute=1), seller="V99", channel=Channel.ONLINE),
        order("P3", "C1", at.replace(hour=15, minute=2), seller="V1", channel=Channel.STORE),
    ]
    got = frames.attribute(order_frame(history, engine), contact_frame(contacts, engine))
    # P1 is V1's (its code); P2's code names nobody who talked to C1; P3 is a store sale
    assert [(r[0], r[7], r[8]) for r in rows(got)] == [("P1", "A1", "V1"), ("P3", "A2", "V2")]


@pytest.mark.parametrize("engine", ["polars", "duckdb"])
def test_the_result_is_lazy_for_a_lazy_input(engine: str) -> None:
    history, contacts, _ = _tie()
    lazy = "polars-lazy" if engine == "polars" else engine
    got = frames.attribute(order_frame(history, lazy), contact_frame(contacts, lazy))
    assert type(got).__name__ in {"LazyFrame", "DuckDBPyRelation"}
    assert len(rows(got)) == 1
