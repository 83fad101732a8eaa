"""Invariants of otocore.attribution.attribute (issue 14's property tests)."""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime

import attrs
from hypothesis import given
from hypothesis import strategies as st

from _support.attribution import ANCHORS, attribution_cases, contact
from otocore.attribution import AttributionModel, AttributionPolicy, attribute
from otocore.contacts import Contact
from otocore.orders import Channel, Order, OrderStatus

Case = tuple[list[Order], list[Contact], AttributionPolicy]


@given(case=attribution_cases())
def test_every_attributed_order_has_a_contact_of_its_customer_within_the_window_before_it(
    case: Case,
) -> None:
    history, contacts, policy = case
    result = attribute(history, contacts, policy=policy)
    by_id = {c.contact_id: c for c in contacts}
    orders = {o.order_id: o for o in history}
    for credit in (*result.attributed, *result.cancelled):
        talk = by_id[credit.contact_id]
        sold = orders[credit.order_id]
        assert talk.customer_id == sold.customer_id == credit.customer_id
        assert talk.started_at < sold.placed_at
        assert sold.placed_at - talk.started_at <= result.policy.window
        assert credit.seller_code == talk.seller_code
        assert credit.contact_started_at == talk.started_at
        assert (credit.total, credit.store_id, credit.placed_at) == (
            sold.total,
            sold.store_id,
            sold.placed_at,
        )
        if sold.channel is Channel.ONLINE and sold.seller_code is not None:
            assert credit.seller_code == sold.seller_code


@given(case=attribution_cases())
def test_every_order_lands_exactly_once_and_only_completed_orders_count(case: Case) -> None:
    history, contacts, policy = case
    result = attribute(history, contacts, policy=policy)
    seen = Counter(
        [a.order_id for a in result.attributed]
        + [a.order_id for a in result.cancelled]
        + [u.order.order_id for u in result.unattributed]
    )
    assert seen == Counter(o.order_id for o in history)
    assert all(a.status is OrderStatus.COMPLETED for a in result.attributed)
    assert all(a.status is not OrderStatus.COMPLETED for a in result.cancelled)
    assert result.revenue == sum((a.total for a in result.attributed), start=0)


@given(case=attribution_cases())
def test_the_winner_is_the_model_s_pick_among_all_candidates(case: Case) -> None:
    """No candidate beats the winner: brute force over every contact, by the documented keys."""
    history, contacts, policy = case
    result = attribute(history, contacts, policy=policy)
    orders = {o.order_id: o for o in history}
    for credit in result.attributed:
        sold = orders[credit.order_id]
        rivals = [
            c
            for c in contacts
            if c.customer_id == sold.customer_id
            and c.started_at < sold.placed_at
            and sold.placed_at - c.started_at <= result.policy.window
            and (
                sold.channel is not Channel.ONLINE
                or sold.seller_code is None
                or c.seller_code == sold.seller_code
            )
        ]
        if result.policy.model is AttributionModel.LAST_CONTACT:
            best = min(rivals, key=lambda c: (-c.started_at.timestamp(), c.contact_id))
        else:
            best = min(rivals, key=lambda c: (c.started_at, c.contact_id))
        assert credit.contact_id == best.contact_id


@given(case=attribution_cases(), seed=st.integers(0, 2**32))
def test_the_result_does_not_depend_on_the_order_of_the_inputs(case: Case, seed: int) -> None:
    history, contacts, policy = case
    shuffled_orders, shuffled_contacts = list(history), list(contacts)
    rng = random.Random(seed)
    rng.shuffle(shuffled_orders)
    rng.shuffle(shuffled_contacts)
    assert attribute(history, contacts, policy=policy) == attribute(
        shuffled_orders,
        shuffled_contacts,
        policy=policy,
    )


@given(case=attribution_cases(), when=st.sampled_from(ANCHORS), late=st.booleans())
def test_a_contact_outside_every_window_changes_nothing(
    case: Case, when: datetime, late: bool
) -> None:
    """A contact after every order, or longer ago than the window before every order."""
    history, contacts, policy = case
    before = attribute(history, contacts, policy=policy)
    if late:
        at = max([o.placed_at for o in history], default=when)
    else:
        start = min([o.placed_at for o in history], default=when)
        at = start - before.policy.window - before.policy.window / 1_000_000
    for customer in ("C1", "C2"):
        extra = contact(f"Z-{customer}", "V1", customer, at)
        assert attribute(history, [*contacts, extra], policy=policy) == before


@given(case=attribution_cases())
def test_first_and_last_contact_differ_only_in_which_contact(case: Case) -> None:
    history, contacts, policy = case
    first = attribute(
        history,
        contacts,
        policy=attrs.evolve(policy, model=AttributionModel.FIRST_CONTACT),
    )
    last = attribute(
        history,
        contacts,
        policy=attrs.evolve(policy, model=AttributionModel.LAST_CONTACT),
    )
    assert first.unattributed == last.unattributed
    for mine, theirs in ((first.attributed, last.attributed), (first.cancelled, last.cancelled)):
        assert [a.order_id for a in mine] == [a.order_id for a in theirs]
        for a, b in zip(mine, theirs, strict=True):
            assert a.contact_started_at <= b.contact_started_at
            same = ("contact_id", "seller_code", "contact_started_at")
            assert attrs.evolve(a, **{k: getattr(b, k) for k in same}) == b
