"""Invariants of the preferred-seller rule (vendedor de preferência, oto-faq.txt)."""

from __future__ import annotations

import contextlib
import json
from collections import defaultdict
from collections.abc import Collection
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from _support.strategies import JSON
from otocore._time import in_window, local_day
from otocore.distribution import (
    DecidedBy,
    Preference,
    PreferredSellerPolicy,
    SellerTally,
    preferred_seller,
    preferred_sellers,
)
from otocore.errors import ValidationError
from otocore.orders import Order, OrderStatus
from otocore.serialization import converter
from otocore.testing import orders
from otocore.testing._distribution import preferences, preferred_seller_policies

AS_OF = date(2026, 5, 10)
SELLERS = ["V1", "V2", "V3", "V10"]
# Days relative to AS_OF: a few, so that visits collide; around the default
# 12-month window start (-365 is 2025-05-10, excluded) and around as_of.
OFFSETS = [-500, -366, -365, -364, -200, -40, -7, -1, 0, 1, 2]
ZONES = [ZoneInfo("America/Sao_Paulo"), ZoneInfo("America/Manaus"), UTC]


# A few shared instants make exact ties (same tally, same last sale) common.
SHARED = [
    datetime.combine(AS_OF - timedelta(days=n), time(h, 30), ZONES[0])
    for n, h in [(1, 12), (40, 20), (364, 0)]
]


@st.composite
def instants(draw: st.DrawFn) -> datetime:
    if draw(st.integers(0, 2)) == 0:
        return draw(st.sampled_from(SHARED))
    offset = draw(st.sampled_from(OFFSETS) | st.integers(-420, 3))
    hour = draw(st.sampled_from([0, 1, 2, 3, 12, 20, 21, 22, 23]))
    minute = draw(st.sampled_from([0, 30, 59]))
    zone = draw(st.sampled_from(ZONES))
    return datetime.combine(AS_OF + timedelta(days=offset), time(hour, minute), zone)


def histories(
    *, customer: st.SearchStrategy[str] | None = None, max_size: int = 25
) -> st.SearchStrategy[list[Order]]:
    return st.lists(
        orders(
            customer_id=st.just("C1") if customer is None else customer,
            store_id=st.sampled_from(["L1", "L2"]),
            seller_code=st.sampled_from([None, *SELLERS]),
            status=st.sampled_from(
                [OrderStatus.COMPLETED, OrderStatus.COMPLETED, OrderStatus.CANCELLED]
            ),
            placed_at=instants(),
        ),
        max_size=max_size,
        unique_by=lambda o: o.order_id,
    )


policies = st.just(PreferredSellerPolicy()) | preferred_seller_policies()

eligibles = st.none() | st.sets(st.sampled_from([*SELLERS, "V99"]))


def is_candidate(
    order: Order,
    policy: PreferredSellerPolicy,
    eligible: Collection[str] | None = None,
    as_of: date = AS_OF,
) -> bool:
    return (
        order.status is OrderStatus.COMPLETED
        and order.seller_code is not None
        and (eligible is None or order.seller_code in eligible)
        and in_window(local_day(order.placed_at, policy.zone), as_of, policy.window)
    )


def oracle(
    history: list[Order], policy: PreferredSellerPolicy, eligible: Collection[str] | None
) -> tuple[str, DecidedBy, dict[str, tuple[int, int, datetime]]] | None:
    """The rule as the issue states it, written as plainly as possible."""
    zone = ZoneInfo(policy.time_zone)
    start = AS_OF - policy.window
    visits: dict[str, set[tuple[str, date]]] = defaultdict(set)
    last: dict[str, datetime] = {}
    for o in history:
        if o.status != OrderStatus.COMPLETED or o.seller_code is None:
            continue
        if eligible is not None and o.seller_code not in eligible:
            continue
        day = o.placed_at.astimezone(zone).date()
        if not start < day <= AS_OF:
            continue
        visits[o.seller_code].add((o.store_id, day))
        last[o.seller_code] = max(last.get(o.seller_code, o.placed_at), o.placed_at)
    if not visits:
        return None
    table = {c: (len(v), min(len(v), policy.cap), last[c]) for c, v in visits.items()}

    def best(codes: list[str]) -> str:
        top_tally = max(table[c][1] for c in codes)
        codes = [c for c in codes if table[c][1] == top_tally]
        latest = max(table[c][2] for c in codes)
        return min(c for c in codes if table[c][2] == latest)

    winner = best(list(table))
    others = [c for c in table if c != winner]
    if not others:
        return winner, DecidedBy.ONLY_CANDIDATE, table
    runner_up = best(others)
    if table[winner][1] != table[runner_up][1]:
        decided = DecidedBy.TALLY
    elif table[winner][2] != table[runner_up][2]:
        decided = DecidedBy.MOST_RECENT_SALE
    else:
        decided = DecidedBy.SELLER_CODE
    return winner, decided, table


@given(histories(), policies, eligibles)
def test_agrees_with_a_plain_reading_of_the_rule(
    history: list[Order], policy: PreferredSellerPolicy, eligible: set[str] | None
) -> None:
    pref = preferred_seller(history, AS_OF, policy=policy, eligible=eligible)
    expected = oracle(history, policy, eligible)
    if expected is None:
        assert pref is None
        return
    assert pref is not None
    winner, decided, table = expected
    assert (pref.seller_code, pref.decided_by) == (winner, decided)
    assert {t.seller_code: (t.visits, t.tally, t.last_sale_at) for t in pref.tallies} == table


@given(histories(), policies)
def test_the_winner_is_a_candidate(history: list[Order], policy: PreferredSellerPolicy) -> None:
    pref = preferred_seller(history, AS_OF, policy=policy)
    candidates = [o for o in history if is_candidate(o, policy)]
    if pref is None:
        assert candidates == []
    else:
        assert pref.seller_code in {o.seller_code for o in candidates}
        assert pref.customer_id == "C1"
        winner_orders = [o for o in candidates if o.seller_code == pref.seller_code]
        assert pref.tallies[0].last_sale_at == max(o.placed_at for o in winner_orders)


@given(histories(), policies)
def test_tallies_never_exceed_the_cap(history: list[Order], policy: PreferredSellerPolicy) -> None:
    pref = preferred_seller(history, AS_OF, policy=policy)
    assume(pref is not None)
    assert pref is not None
    for t in pref.tallies:
        assert 1 <= t.tally <= policy.cap
        assert t.tally == min(t.visits, policy.cap)


@given(histories(), policies, eligibles)
def test_the_winner_is_eligible_and_only_eligible_sellers_are_tallied(
    history: list[Order], policy: PreferredSellerPolicy, eligible: set[str] | None
) -> None:
    pref = preferred_seller(history, AS_OF, policy=policy, eligible=eligible)
    if eligible is not None and pref is not None:
        assert pref.seller_code in eligible
        assert {t.seller_code for t in pref.tallies} <= eligible
    # Restricting to eligible sellers is the same as dropping the others' orders.
    kept = [o for o in history if eligible is None or o.seller_code in eligible]
    assert preferred_seller(kept, AS_OF, policy=policy) == pref


@given(histories(), policies, st.data())
def test_another_order_on_a_day_and_store_the_seller_has_changes_nothing(
    history: list[Order], policy: PreferredSellerPolicy, data: st.DataObject
) -> None:
    candidates = [o for o in history if is_candidate(o, policy)]
    assume(candidates)
    before = preferred_seller(history, AS_OF, policy=policy)
    assert before is not None
    base = data.draw(st.sampled_from(candidates))
    tally = next(t for t in before.tallies if t.seller_code == base.seller_code)
    local = base.placed_at.astimezone(policy.zone)
    hour = data.draw(st.integers(0, 23))
    minute = data.draw(st.integers(0, 59))
    when = local.replace(hour=hour, minute=minute)
    assume(local_day(when, policy.zone) == local.date())
    extra = attrs.evolve(base, order_id=f"{base.order_id}x", placed_at=when)
    after = preferred_seller([*history, extra], AS_OF, policy=policy)
    assert after is not None
    if extra.placed_at <= tally.last_sale_at:
        assert after == before
    else:
        # A later sale that day moves only that seller's last sale.
        def table(p: Preference) -> dict[str, tuple[int, int, datetime]]:
            return {t.seller_code: (t.visits, t.tally, t.last_sale_at) for t in p.tallies}

        expected = table(before)
        visits, capped, _ = expected[base.seller_code]
        expected[base.seller_code] = (visits, capped, extra.placed_at)
        assert table(after) == expected


@given(histories(), policies, st.sampled_from(["V0", "V11", "V9"]))
def test_an_exact_tie_goes_to_the_lowest_seller_code(
    history: list[Order], policy: PreferredSellerPolicy, clone_code: str
) -> None:
    before = preferred_seller(history, AS_OF, policy=policy)
    assume(before is not None)
    # the clone must be a new seller, or its orders would add to an existing one's
    assume(all(o.seller_code != clone_code for o in history))
    assert before is not None
    winner = before.seller_code
    # A second seller with exactly the winner's orders ties on tally and last sale.
    clones = [
        attrs.evolve(o, order_id=f"{o.order_id}c", seller_code=clone_code)
        for o in history
        if o.seller_code == winner
    ]
    after = preferred_seller([*history, *clones], AS_OF, policy=policy)
    assert after is not None
    assert after.seller_code == min(winner, clone_code)
    assert after.decided_by is DecidedBy.SELLER_CODE
    # (a third seller may tie too, so look the two up by code)
    by_code = {t.seller_code: t for t in after.tallies}
    first, clone = by_code[winner], by_code[clone_code]
    assert (first.visits, first.tally, first.last_sale_at) == (
        clone.visits,
        clone.tally,
        clone.last_sale_at,
    )


@given(histories(), policies, st.randoms(use_true_random=False))
def test_input_order_never_matters(
    history: list[Order], policy: PreferredSellerPolicy, rng: Any
) -> None:
    shuffled = list(history)
    rng.shuffle(shuffled)
    assert preferred_seller(shuffled, AS_OF, policy=policy) == preferred_seller(
        history, AS_OF, policy=policy
    )
    assert preferred_seller(iter(shuffled), AS_OF, policy=policy) == preferred_seller(
        tuple(history), AS_OF, policy=policy
    )


@given(histories(), policies, histories(max_size=10), st.data())
def test_cancelled_sellerless_and_out_of_window_orders_change_nothing(
    history: list[Order], policy: PreferredSellerPolicy, noise: list[Order], data: st.DataObject
) -> None:
    start = AS_OF - policy.window
    spoiled = []
    for i, noisy in enumerate(noise):
        how = data.draw(st.sampled_from(["cancel", "no seller", "too old", "future"]))
        if how == "cancel":
            o = attrs.evolve(noisy, status=OrderStatus.CANCELLED)
        elif how == "no seller":
            o = attrs.evolve(noisy, seller_code=None)
        else:
            days = data.draw(st.integers(0, 60))
            day = (
                start - timedelta(days=days)
                if how == "too old"
                else AS_OF + timedelta(days=days + 1)
            )
            hour = data.draw(st.integers(0, 23))
            o = attrs.evolve(noisy, placed_at=datetime.combine(day, time(hour), policy.zone))
        spoiled.append(attrs.evolve(o, order_id=f"N{i}"))
    assert not any(is_candidate(o, policy) for o in spoiled)
    mixed = [*spoiled[: len(spoiled) // 2], *history, *spoiled[len(spoiled) // 2 :]]
    assert preferred_seller(mixed, AS_OF, policy=policy) == preferred_seller(
        history, AS_OF, policy=policy
    )


@given(
    histories(customer=st.sampled_from(["C1", "C2", "C3"]), max_size=40),
    policies,
    eligibles,
)
def test_a_whole_brand_is_each_customer_on_their_own(
    history: list[Order], policy: PreferredSellerPolicy, eligible: set[str] | None
) -> None:
    brand = preferred_sellers(history, AS_OF, policy=policy, eligible=eligible)
    assert list(brand) == sorted(brand)
    for customer in ["C1", "C2", "C3"]:
        mine = [o for o in history if o.customer_id == customer]
        one = preferred_seller(mine, AS_OF, policy=policy, eligible=eligible)
        assert brand.get(customer) == one


@given(histories(customer=st.sampled_from(["C1", "C2"]), max_size=40), policies)
def test_results_pass_the_validating_constructors(
    history: list[Order], policy: PreferredSellerPolicy
) -> None:
    for pref in preferred_sellers(history, AS_OF, policy=policy).values():
        rebuilt = Preference(
            customer_id=pref.customer_id,
            seller_code=pref.seller_code,
            tallies=tuple(attrs.evolve(t) for t in pref.tallies),
            decided_by=pref.decided_by,
        )
        assert rebuilt == pref
        assert hash(rebuilt) == hash(pref)
        assert repr(rebuilt) == repr(pref)


@pytest.mark.parametrize(
    "values",
    [
        pytest.param(preferences(), id="Preference"),
        pytest.param(preferred_seller_policies(), id="PreferredSellerPolicy"),
    ],
)
@given(draws=st.data())
def test_round_trip_through_json(values: st.SearchStrategy[Any], draws: st.DataObject) -> None:
    value = draws.draw(values, label="value")
    text = json.dumps(converter.unstructure(value))
    assert converter.structure(json.loads(text), type(value)) == value


@pytest.mark.parametrize("cls", [Preference, SellerTally, PreferredSellerPolicy])
@given(
    junk=JSON | preferences().map(converter.unstructure),
    data=st.data(),
)
def test_junk_raises_only_validation_error(cls: type, junk: Any, data: st.DataObject) -> None:
    if isinstance(junk, dict) and junk:
        key = data.draw(st.sampled_from(sorted(junk)))
        junk[key] = data.draw(JSON)
    with contextlib.suppress(ValidationError):
        converter.structure(junk, cls)
