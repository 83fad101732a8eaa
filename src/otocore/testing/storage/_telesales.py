# ruff: noqa: S101 - a test suite: its checks are asserts
"""The storage contract of telesales orders (``TelesalesRepository``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from otocore.auth import issue_token
from otocore.authorization import AuthorizationRules, Outcome, PriceRange
from otocore.errors import (
    ConcurrentUpdate,
    InvalidToken,
    NotFound,
    RuleViolation,
    ValidationError,
)
from otocore.orders import OrderItem, product_quantity
from otocore.telesales import (
    PaymentMethod,
    PaymentStatus,
    TelesalesOrder,
    TelesalesPolicy,
    TelesalesState,
    apply_rules,
    approve_promissory_note,
    authorize,
    complete_shared_cart,
    invoice,
    mark_ready_for_invoicing,
    new_cart,
    place_on_behalf,
    put_item,
    reject,
    share_cart,
    state_after,
)
from otocore.testing._telesales import telesales_orders
from otocore.testing.storage._builders import PROPERTY_SETTINGS, MakeUow

_AT = datetime(2026, 5, 10, 13, 0, 0, 123456, tzinfo=UTC)
_POLICY = TelesalesPolicy(manual_price_stores=frozenset({"L01"}))
_ANA = "ana@marca.com.br"
_RUI = "rui@marca.com.br"
_S = TelesalesState


def _cart(
    order_id: str, *, at: datetime = _AT, customer: str = "C1", store: str = "L01"
) -> TelesalesOrder:
    cart = new_cart(order_id=order_id, customer_id=customer, store_id=store, built_by=_ANA, at=at)
    manual = Decimal("80.5") if store == "L01" else None
    cart = put_item(
        cart,
        OrderItem(sku="CAMISA-P", quantity=3, list_price=Decimal("100.00"), manual_price=manual),
        policy=_POLICY,
        actor=_ANA,
        at=at,
    )
    return put_item(
        cart,
        OrderItem(sku="CALCA-42", quantity=1, list_price=Decimal("59.9")),
        policy=_POLICY,
        actor=_ANA,
        at=at + timedelta(seconds=1),
    )


def _placed(order_id: str, *, at: datetime = _AT, **cart: str) -> TelesalesOrder:
    """Placed on the customer's behalf by Ana and run through the default rules."""
    order = place_on_behalf(
        _cart(order_id, at=at, **cart),
        payment_method=PaymentMethod.PROMISSORY_NOTE,
        actor=_ANA,
        at=at + timedelta(minutes=1),
    )
    return apply_rules(order, policy=_POLICY, at=at + timedelta(minutes=2))


def _invoiced() -> TelesalesOrder:
    order = _placed("T1")
    steps: list[Callable[[TelesalesOrder, datetime], TelesalesOrder]] = [
        lambda o, at: authorize(o, actor=_RUI, reason="cliente VIP", at=at),
        lambda o, at: approve_promissory_note(o, actor=_ANA, at=at),
        lambda o, at: mark_ready_for_invoicing(o, actor=_ANA, at=at),
        lambda o, at: invoice(o, actor=_ANA, at=at),
    ]
    for minutes, step in enumerate(steps, start=3):
        order = step(order, _AT + timedelta(minutes=minutes))
    return order


def _linked(order_id: str) -> tuple[str, TelesalesOrder]:
    """A cart shared with a link that lives two days: ``(token, shared cart)``."""
    token, record = issue_token(
        now=_AT + timedelta(minutes=1),
        ttl=timedelta(days=2),
        rng_bytes=lambda n: bytes(range(n)),
    )
    return token, share_cart(
        _cart(order_id), actor=_ANA, at=_AT + timedelta(minutes=1), link=record
    )


def _save(uow: object, order: TelesalesOrder, read: TelesalesOrder) -> None:
    uow.telesales.save(  # type: ignore[attr-defined]
        order, expected_state=read.state, expected_length=len(read.history)
    )


class TelesalesContract:
    """The contract of the telesales store, as a pytest test class to subclass.

    Orders come back equal (items, manual prices, decisions, histories, the
    shared-cart flags, the operator's e-mail or ``None``); the list filters,
    orders and pages; the queue is oldest first; a save whose expectations
    are stale is refused and changes nothing; a failure after a save leaves
    the order as it was. Subclass it and define a ``make_uow`` fixture, as for
    :class:`~otocore.testing.storage.UnitOfWorkContract`.

    >>> "test_telesales_a_stale_save_is_refused" in dir(TelesalesContract)
    True
    """

    def test_telesales_an_invoiced_order_round_trips(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        order = _invoiced()
        assert order.state is _S.INVOICED
        assert len(order.history) == 9
        with uow:
            uow.telesales.add(order)
        with uow:
            stored = uow.telesales.get("T1")
        assert stored == order
        assert stored.items[0].manual_price == Decimal("80.5")
        assert stored.approval is not None
        assert stored.approval.decided_by == _RUI
        assert stored.prices_authorized
        assert stored.operator_email == _ANA
        assert stored.payment_status is PaymentStatus.APPROVED
        assert state_after(stored.history) is _S.INVOICED

    def test_telesales_quantities_of_many_orders_in_one_read(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        order = _invoiced()
        with uow:
            uow.telesales.add(order)
        with uow:
            found = uow.telesales.quantities(["T9", "T1", "T1"])
            assert uow.telesales.quantities([]) == {}
            with pytest.raises(ValidationError, match="order_ids"):
                uow.telesales.quantities("T1")
        assert found == {"T1": product_quantity(order.items)}
        assert found["T1"] == sum(item.quantity for item in order.items) > 0

    def test_telesales_a_shared_cart_and_a_cart_round_trip(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        shared = share_cart(_cart("T1"), actor=_ANA, at=_AT + timedelta(minutes=1))
        completed = complete_shared_cart(
            shared,
            payment_method=PaymentMethod.GATEWAY,
            customer="C1",
            at=_AT + timedelta(minutes=2),
        )
        bare = new_cart(order_id="T3", customer_id="C2", store_id="L02", built_by=_ANA, at=_AT)
        with uow:
            uow.telesales.add(completed)
            uow.telesales.add(attrs.evolve(shared, order_id="T2"))
            uow.telesales.add(bare)
        with uow:
            got = uow.telesales.get("T1")
            assert got == completed
            assert got.operator_email is None
            assert got.shared
            assert got.completed_by_customer
            assert got.built_by == _ANA
            assert got.manual_price_setters == (("CAMISA-P", _ANA),)
            assert uow.telesales.get("T2").state is _S.CART
            assert uow.telesales.get("T3") == bare

    def test_telesales_unknown_and_duplicate_ids(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow:
            uow.telesales.add(_cart("T1"))
        with uow, pytest.raises(NotFound, match="TelesalesOrder 'T9' not found"):
            uow.telesales.get("T9")
        with uow, pytest.raises(RuleViolation, match="'T1' already exists"):
            uow.telesales.add(_cart("T1", customer="C2"))
        missing = _cart("T9")
        with uow, pytest.raises(NotFound, match="'T9' not found"):
            _save(uow, missing, missing)
        with uow:
            assert uow.telesales.get("T1").customer_id == "C1"

    def test_telesales_a_save_appends_the_history(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        placed = _placed("T1")
        with uow:
            uow.telesales.add(placed)
        with uow:
            read = uow.telesales.get("T1")
            decided = authorize(read, actor=_RUI, reason="ok", at=_AT + timedelta(hours=1))
            _save(uow, decided, read)
        with uow:
            assert uow.telesales.get("T1") == decided
            assert uow.telesales.awaiting_authorization() == []

    def test_telesales_a_stale_save_is_refused(self, make_uow: MakeUow) -> None:
        # two approvers read the same waiting order; the first to save wins
        uow = make_uow()
        with uow:
            uow.telesales.add(_placed("T1"))
        with uow:
            read = uow.telesales.get("T1")
        assert read.state is _S.AWAITING_AUTHORIZATION
        later = _AT + timedelta(hours=1)
        rui = authorize(read, actor=_RUI, reason="ok", at=later)
        bia = reject(read, actor="bia@marca.com.br", reason="não", at=later)
        with uow:
            _save(uow, rui, read)
        with uow, pytest.raises(ConcurrentUpdate) as refused:
            _save(uow, bia, read)
        assert refused.value.expected == f"awaiting_authorization/{len(read.history)}"
        assert refused.value.found == f"authorized/{len(rui.history)}"
        with uow:
            assert uow.telesales.get("T1") == rui

    def test_telesales_the_same_state_with_a_longer_history_is_stale(
        self, make_uow: MakeUow
    ) -> None:
        # a cart changed by someone else is still a cart: the history length tells
        uow = make_uow()
        first = _cart("T1")
        with uow:
            uow.telesales.add(first)
        mine = put_item(
            first,
            OrderItem(sku="TENIS-40", quantity=1, list_price=Decimal("300.00")),
            policy=_POLICY,
            actor=_ANA,
            at=_AT + timedelta(hours=1),
        )
        theirs = put_item(
            first,
            OrderItem(sku="MEIA", quantity=2, list_price=Decimal("9.90")),
            policy=_POLICY,
            actor="bia@marca.com.br",
            at=_AT + timedelta(hours=1),
        )
        with uow:
            _save(uow, theirs, first)
        with uow, pytest.raises(ConcurrentUpdate, match="expected cart/3, found cart/4"):
            _save(uow, mine, first)
        with uow:
            assert uow.telesales.get("T1") == theirs

    def test_telesales_a_save_must_extend_the_history_read(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        placed = _placed("T1")
        with uow:
            uow.telesales.add(placed)
        cart = _cart("T1")
        with uow, pytest.raises(ValidationError, match="must extend the history read"):
            _save(uow, cart, placed)
        with uow, pytest.raises(ValidationError, match="expected_state"):
            uow.telesales.save(placed, expected_state="placed", expected_length=3)  # type: ignore[arg-type]
        with uow:
            assert uow.telesales.get("T1") == placed

    def test_telesales_a_failure_mid_transition_leaves_the_order(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        placed = _placed("T1")
        with uow:
            uow.telesales.add(placed)
        decided = authorize(placed, actor=_RUI, reason="ok", at=_AT + timedelta(hours=1))
        seen: list[TelesalesOrder] = []
        with pytest.raises(RuntimeError, match="audit log down"), uow:  # noqa: PT012 - fails after the save
            _save(uow, decided, placed)
            seen.append(uow.telesales.get("T1"))  # the block sees its own write
            raise RuntimeError("audit log down")
        assert seen == [decided]
        with uow:
            assert uow.telesales.get("T1") == placed
            assert uow.telesales.awaiting_authorization() == [placed]
        with uow:  # and the same decision goes through afterwards
            _save(uow, decided, placed)
        with uow:
            assert uow.telesales.get("T1") == decided

    def test_telesales_a_share_link_round_trips_and_is_marked_used(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        token, shared = _linked("T1")
        link = shared.share_link
        assert link is not None
        assert link.used_at is None
        with uow:
            uow.telesales.add(shared)
        with uow:
            read = uow.telesales.get("T1")
            assert read == shared
            assert read.share_link == link
            assert read.share_link.token_hash == link.token_hash
            done = _AT + timedelta(hours=5)
            completed = complete_shared_cart(
                read, payment_method=PaymentMethod.GATEWAY, customer="C1", at=done, token=token
            )
            _save(uow, completed, read)
        with uow:
            got = uow.telesales.get("T1")
        assert got == completed
        assert got.share_link == attrs.evolve(link, used_at=done)
        assert got.operator_email is None
        assert got.completed_by_customer
        assert got.built_by == _ANA
        # the stored link is spent: the same token completes nothing (the order is placed)
        with pytest.raises(RuleViolation, match="already an order"):
            complete_shared_cart(
                got, payment_method=PaymentMethod.GATEWAY, customer="C1", at=done, token=token
            )

    def test_telesales_a_completed_shared_cart_round_trips(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        token, shared = _linked("T1")
        done = _AT + timedelta(days=1)
        completed = complete_shared_cart(
            shared,
            payment_method=PaymentMethod.PROMISSORY_NOTE,
            customer="C1",
            at=done,
            token=token,
        )
        waiting = apply_rules(completed, policy=_POLICY, at=done)
        resent = share_cart(shared, actor=_ANA, at=_AT + timedelta(minutes=2), link=None)
        with uow:
            uow.telesales.add(waiting)
            uow.telesales.add(attrs.evolve(resent, order_id="T2"))
        with uow:
            got = uow.telesales.get("T1")
            assert got == waiting
            assert got.state is _S.AWAITING_AUTHORIZATION
            assert got.share_link is not None
            assert got.share_link.used_at == done
            assert got.operator_email is None
            # shared again without a link: the record is gone, not left behind
            again = uow.telesales.get("T2")
            assert again == attrs.evolve(resent, order_id="T2")
            assert again.shared
            assert again.share_link is None
            assert uow.telesales.awaiting_authorization() == [waiting]

    def test_telesales_a_failed_completion_leaves_the_link_unused(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        token, shared = _linked("T1")
        with uow:
            uow.telesales.add(shared)
        completed = complete_shared_cart(
            shared,
            payment_method=PaymentMethod.GATEWAY,
            customer="C1",
            at=_AT + timedelta(hours=1),
            token=token,
        )
        with pytest.raises(RuntimeError, match="gateway down"), uow:  # noqa: PT012 - fails after the save
            _save(uow, completed, shared)
            raise RuntimeError("gateway down")
        with uow:
            stored = uow.telesales.get("T1")
        assert stored == shared
        assert stored.share_link is not None
        assert stored.share_link.used_at is None
        # the wrong token is refused by the rules, whatever the store
        with pytest.raises(InvalidToken):
            complete_shared_cart(
                stored,
                payment_method=PaymentMethod.GATEWAY,
                customer="C1",
                at=_AT + timedelta(hours=1),
                token=token[::-1],
            )

    def test_telesales_the_policy_is_the_default_until_set(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow:
            stored = uow.telesales.policy()
        assert stored == TelesalesPolicy(manual_price_stores=frozenset())
        assert stored.rules == AuthorizationRules.default()

    def test_telesales_set_policy_replaces_it(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        small, large = Decimal(10), Decimal(100)
        rules = AuthorizationRules(
            (
                PriceRange(
                    rule_id="up-to-10",
                    outcome=Outcome.AUTHORIZE,
                    lower=None,
                    lower_inclusive=False,
                    upper=small,
                    upper_inclusive=False,
                ),
                PriceRange(
                    rule_id="10-to-100",
                    outcome=Outcome.WAIT,
                    lower=small,
                    lower_inclusive=True,
                    upper=large,
                    upper_inclusive=False,
                ),
                PriceRange(
                    rule_id="free",
                    outcome=Outcome.DENY,
                    lower=large,
                    lower_inclusive=True,
                    upper=large,
                    upper_inclusive=True,
                ),
            )
        )
        first = TelesalesPolicy(manual_price_stores=frozenset({"L01", "L02"}), rules=rules)
        second = TelesalesPolicy(manual_price_stores=frozenset({"L03"}))
        with uow:
            uow.telesales.set_policy(first)
            assert uow.telesales.policy() == first  # the block sees its own write
        with uow:
            assert uow.telesales.policy() == first
            uow.telesales.set_policy(second)
        with uow:
            assert uow.telesales.policy() == second
        with uow, pytest.raises(ValidationError, match="policy"):
            uow.telesales.set_policy({"manual_price_stores": []})  # type: ignore[arg-type]
        with uow:
            assert uow.telesales.policy() == second

    def test_telesales_a_failure_after_set_policy_keeps_the_old_one(
        self, make_uow: MakeUow
    ) -> None:
        uow = make_uow()
        kept = TelesalesPolicy(manual_price_stores=frozenset({"L01"}))
        with pytest.raises(RuntimeError, match="audit log down"), uow:  # noqa: PT012 - fails after the write
            uow.telesales.set_policy(kept)
            raise RuntimeError("audit log down")
        with uow:
            assert uow.telesales.policy() == TelesalesPolicy(manual_price_stores=frozenset())
            uow.telesales.set_policy(kept)
        with pytest.raises(RuntimeError, match="audit log down"), uow:  # noqa: PT012 - fails after the write
            uow.telesales.set_policy(TelesalesPolicy(manual_price_stores=frozenset({"L09"})))
            raise RuntimeError("audit log down")
        with uow:
            assert uow.telesales.policy() == kept

    def test_telesales_list_filters_orders_newest_first_and_pages(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        day, minute = timedelta(days=1), timedelta(minutes=1)
        t1 = _placed("T1", at=_AT)
        t2 = _placed("T2", at=_AT + day, customer="C2", store="L02")  # no manual price
        t3 = complete_shared_cart(
            share_cart(_cart("T3", at=_AT + 2 * day), actor=_ANA, at=_AT + 2 * day + minute),
            payment_method=PaymentMethod.GATEWAY,
            customer="C1",
            at=_AT + 2 * day + 2 * minute,
        )
        cart = _cart("T4", at=_AT + 3 * day)  # never placed: sorted by when it was opened
        with uow:
            for order in (t2, cart, t1, t3):
                uow.telesales.add(order)
        with uow:
            ids = [o.order_id for o in uow.telesales.list()]
            assert ids == ["T4", "T3", "T2", "T1"]
            assert uow.telesales.list(state=_S.AWAITING_AUTHORIZATION) == [t1]
            assert [o.order_id for o in uow.telesales.list(state=_S.AUTHORIZED)] == ["T2"]
            assert [o.order_id for o in uow.telesales.list(operator_email=_ANA)] == ["T2", "T1"]
            assert [o.order_id for o in uow.telesales.list(customer_id="C1")] == [
                "T4",
                "T3",
                "T1",
            ]
            assert [o.order_id for o in uow.telesales.list(store_id="L02")] == ["T2"]
            period = uow.telesales.list(placed_from=_AT + day, placed_to=_AT + 3 * day)
            assert [o.order_id for o in period] == ["T3", "T2"]  # a cart is in no period
            # the period is [from, to): T2 was placed a minute after _AT + day
            placed_t2 = t2.history[3].at
            assert [o.order_id for o in uow.telesales.list(placed_to=placed_t2)] == ["T1"]
            assert [o.order_id for o in uow.telesales.list(placed_from=placed_t2)] == [
                "T3",
                "T2",
            ]
            assert [o.order_id for o in uow.telesales.list(limit=2)] == ["T4", "T3"]
            assert [o.order_id for o in uow.telesales.list(limit=2, offset=2)] == ["T2", "T1"]
            assert uow.telesales.list(offset=4) == []
            assert uow.telesales.list(customer_id="C1", store_id="L02") == []

    def test_telesales_bad_list_arguments_are_refused(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow:
            with pytest.raises(ValidationError, match="limit"):
                uow.telesales.list(limit=0)
            with pytest.raises(ValidationError, match="offset"):
                uow.telesales.list(offset=-1)
            with pytest.raises(ValidationError, match="placed_from"):
                uow.telesales.list(placed_from=datetime(2026, 1, 1))  # noqa: DTZ001 - naive on purpose
            with pytest.raises(ValidationError, match="state"):
                uow.telesales.list(state="cart")  # type: ignore[arg-type]
            with pytest.raises(ValidationError, match="limit"):
                uow.telesales.awaiting_authorization(limit=0)

    def test_telesales_the_queue_is_oldest_first(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        hour = timedelta(hours=1)
        waiting = [_placed(f"T{n}", at=_AT - n * hour) for n in (1, 2, 3)]
        other = _placed("T4", at=_AT - 9 * hour, store="L02")  # authorized by the rules
        with uow:
            for order in (*waiting, other):
                uow.telesales.add(order)
        with uow:
            queue = uow.telesales.awaiting_authorization()
            assert [o.order_id for o in queue] == ["T3", "T2", "T1"]
            assert [o.order_id for o in uow.telesales.awaiting_authorization(limit=2)] == [
                "T3",
                "T2",
            ]
            read = queue[0]
            _save(uow, reject(read, actor=_RUI, reason="não", at=_AT), read)
            assert [o.order_id for o in uow.telesales.awaiting_authorization()] == ["T2", "T1"]

    @PROPERTY_SETTINGS
    @given(order=telesales_orders())
    def test_telesales_any_order_round_trips(
        self, make_uow: MakeUow, order: TelesalesOrder
    ) -> None:
        uow = make_uow()
        with uow:
            uow.telesales.add(order)
        with uow:
            stored = uow.telesales.get(order.order_id)
            listed = uow.telesales.list(customer_id=order.customer_id)
        assert stored == order
        assert stored.digest == order.digest
        assert stored.prices_authorized == order.prices_authorized
        assert listed == [order]
        assert state_after(stored.history) is stored.state

    @PROPERTY_SETTINGS
    @given(
        orders=st.lists(telesales_orders(max_steps=12), max_size=6, unique_by=lambda o: o.order_id),
        state=st.none() | st.sampled_from(TelesalesState),
        limit=st.integers(1, 4),
        offset=st.integers(0, 5),
    )
    def test_telesales_the_views_sort_and_page_any_orders(
        self,
        make_uow: MakeUow,
        orders: list[TelesalesOrder],
        state: TelesalesState | None,
        limit: int,
        offset: int,
    ) -> None:
        uow = make_uow()
        with uow:
            for order in orders:
                uow.telesales.add(order)

        def when(order: TelesalesOrder) -> tuple[datetime, str]:
            placed = [t.at for t in order.history if t.to_state is _S.PLACED]
            return (placed[0] if placed else order.history[0].at, order.order_id)

        chosen = [o for o in orders if state is None or o.state is state]
        newest = sorted(chosen, key=when, reverse=True)
        waiting = sorted((o for o in orders if o.state is _S.AWAITING_AUTHORIZATION), key=when)
        with uow:
            assert (
                uow.telesales.list(state=state, limit=limit, offset=offset)
                == newest[offset : offset + limit]
            )
            assert uow.telesales.awaiting_authorization(limit=limit) == waiting[:limit]
