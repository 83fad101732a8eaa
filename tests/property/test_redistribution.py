"""Invariants of redistribution (oto-managers-and-campaigns.txt, "Inative um vendedor")."""

from __future__ import annotations

import contextlib
import json
import re
from collections import Counter
from typing import Any

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from _support.strategies import JSON
from otocore.distribution import Balanced, RedistributionTarget, ToSeller, redistribute
from otocore.errors import NotFound, RuleViolation, ValidationError
from otocore.sellers import Seller, SellerStatus
from otocore.serialization import converter
from otocore.testing import sellers
from otocore.testing._distribution import redistribution_targets

STORE = "L01"

customer_lists = st.lists(st.integers(1, 500).map(lambda n: f"C{n:03d}"), unique=True, max_size=60)


@st.composite
def teams(draw: st.DrawFn) -> tuple[Seller, list[Seller]]:
    """An inactive seller of L01 and a brand's sellers (L01 and another store)."""
    gone = draw(
        sellers(
            code=st.just("V000"),
            store_id=st.just(STORE),
            status=st.just(SellerStatus.INACTIVE),
        )
    )
    others = draw(
        st.lists(
            sellers(
                code=st.integers(1, 40).map(lambda n: f"V{n:03d}"),
                store_id=st.sampled_from([STORE, STORE, "L02"]),
            ),
            unique_by=lambda s: s.code,
            max_size=12,
        )
    )
    team = [*others, gone] if draw(st.booleans()) else others
    return gone, team


def active_here(team: list[Seller]) -> set[str]:
    return {s.code for s in team if s.store_id == STORE and s.is_active}


@given(customer_lists, teams(), st.integers(0, 2**32))
def test_balanced_assigns_everyone_once_to_active_sellers_of_the_store_evenly(
    customers: list[str], team_: tuple[Seller, list[Seller]], seed: int
) -> None:
    gone, team = team_
    receivers = active_here(team)
    assume(receivers)
    result = redistribute(customers, gone, team, Balanced(seed))
    assert sorted(result) == sorted(customers)
    assert set(result.values()) <= receivers
    counts = Counter(result.values())
    per_seller = [counts.get(code, 0) for code in receivers]
    assert max(per_seller) - min(per_seller) <= 1
    assert sum(per_seller) == len(customers)


@given(customer_lists, teams(), st.integers(0, 2**32), st.randoms(use_true_random=False))
def test_balanced_depends_only_on_the_seed_and_the_sets(
    customers: list[str], team_: tuple[Seller, list[Seller]], seed: int, rng: Any
) -> None:
    gone, team = team_
    assume(active_here(team))
    first = redistribute(customers, gone, team, Balanced(seed))
    shuffled_customers, shuffled_team = list(customers), list(team)
    rng.shuffle(shuffled_customers)
    rng.shuffle(shuffled_team)
    again = redistribute(iter(shuffled_customers), gone, tuple(shuffled_team), Balanced(seed))
    assert again == first
    assert list(first) == sorted(first)


@given(customer_lists, teams(), st.data())
def test_to_seller_sends_everyone_to_that_seller(
    customers: list[str], team_: tuple[Seller, list[Seller]], data: st.DataObject
) -> None:
    gone, team = team_
    receivers = sorted(active_here(team))
    assume(receivers)
    code = data.draw(st.sampled_from(receivers))
    assert redistribute(customers, gone, team, ToSeller(code)) == dict.fromkeys(
        sorted(customers), code
    )


@given(customer_lists, teams(), st.data())
def test_a_target_outside_the_active_sellers_of_the_store_is_refused(
    customers: list[str], team_: tuple[Seller, list[Seller]], data: st.DataObject
) -> None:
    gone, team = team_
    codes = {s.code for s in team} | {gone.code}
    wrong = sorted(codes - active_here(team))
    code = data.draw(st.sampled_from([*wrong, "V999"]))
    expected = NotFound if code not in codes else RuleViolation
    target = next((s for s in [*team, gone] if s.code == code), None)
    if target is None:
        message = f"Seller {code!r} not found"
    elif target.store_id != STORE:
        message = (
            f"seller {code!r} works in store {target.store_id!r}, not in {STORE!r}; "
            "customers can only move within the store"
        )
    else:
        message = f"seller {code!r} is inactive and cannot receive customers"
    with pytest.raises(expected, match=f"^{re.escape(message)}$"):
        redistribute(customers, gone, team, ToSeller(code))


@given(customer_lists, teams(), redistribution_targets())
def test_an_active_from_seller_or_an_empty_store_is_a_rule_violation(
    customers: list[str], team_: tuple[Seller, list[Seller]], target: RedistributionTarget
) -> None:
    gone, team = team_
    still_active = attrs.evolve(gone, status=SellerStatus.ACTIVE)
    team_without_gone = [s for s in team if s.code != gone.code]
    with pytest.raises(
        RuleViolation,
        match=f"^seller {gone.code!r} is still active; "
        "inactivate it before redistributing its customers$",
    ):
        redistribute(customers, still_active, team_without_gone, target)
    nobody = [s for s in team if not (s.store_id == STORE and s.is_active)]
    if isinstance(target, Balanced):
        with pytest.raises(
            RuleViolation, match=f"^store {STORE!r} has no active seller to receive the customers$"
        ):
            redistribute(customers, gone, nobody, target)


@given(customer_lists.filter(bool), teams(), st.data())
def test_a_repeated_customer_is_a_validation_error(
    customers: list[str], team_: tuple[Seller, list[Seller]], data: st.DataObject
) -> None:
    gone, team = team_
    repeated = data.draw(st.sampled_from(customers))
    position = data.draw(st.integers(0, len(customers)))
    given_ids = [*customers[:position], repeated, *customers[position:]]
    second = [i for i, c in enumerate(given_ids) if c == repeated][1]
    message = f"customer_ids[{second}] must not repeat a customer id, got {repeated!r}"
    with pytest.raises(ValidationError, match=f"^{re.escape(message)}$") as info:
        redistribute(given_ids, gone, team, Balanced(1))
    assert (info.value.field, info.value.value) == (f"customer_ids[{second}]", repeated)


@given(redistribution_targets())
def test_targets_round_trip_through_json_as_a_tagged_union(target: RedistributionTarget) -> None:
    text = json.dumps(converter.unstructure(target, unstructure_as=RedistributionTarget))
    data = json.loads(text)
    assert data["kind"] == ("to_seller" if isinstance(target, ToSeller) else "balanced")
    assert converter.structure(data, RedistributionTarget) == target
    assert converter.structure(data, type(target)) == target


@pytest.mark.parametrize("cls", [RedistributionTarget, ToSeller, Balanced])
@given(
    junk=JSON
    | st.fixed_dictionaries(
        {"kind": st.sampled_from(["to_seller", "balanced"]) | JSON},
        optional={"code": JSON, "seed": JSON},
    ),
)
def test_junk_raises_only_validation_error(cls: Any, junk: Any) -> None:
    with contextlib.suppress(ValidationError):
        converter.structure(junk, cls)
