"""Checks and orderings of telesales orders shared by every adapter, so they all answer alike."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs

from otocore.adapters._common import optional_enum, require, require_key
from otocore.errors import ConcurrentUpdate, ValidationError
from otocore.telesales import TelesalesOrder, TelesalesState

MAX_PAGE = 1000
"""The most orders one page of ``list`` or ``awaiting_authorization`` returns."""


@attrs.frozen(kw_only=True)
class Filters:
    """The checked filters and page of ``TelesalesRepository.list``."""

    state: TelesalesState | None
    operator_email: str | None
    customer_id: str | None
    store_id: str | None
    placed_from: datetime | None
    placed_to: datetime | None
    limit: int
    offset: int

    def matches(self, order: TelesalesOrder) -> bool:
        """Whether ``order`` passes every filter (the memory store's ``WHERE``)."""
        placed = placed_at(order)
        return (
            (self.state is None or order.state is self.state)
            and (self.operator_email is None or order.operator_email == self.operator_email)
            and (self.customer_id is None or order.customer_id == self.customer_id)
            and (self.store_id is None or order.store_id == self.store_id)
            and (self.placed_from is None or (placed is not None and placed >= self.placed_from))
            and (self.placed_to is None or (placed is not None and placed < self.placed_to))
        )


def check_telesales_order(order: Any) -> TelesalesOrder:
    """A :class:`TelesalesOrder` with a history (every order has at least its cart's entry)."""
    checked = require("order", order, TelesalesOrder)
    if not checked.history:
        raise ValidationError("order.history", checked.history, "must not be empty")
    return checked


def check_expected(
    order: TelesalesOrder, expected_state: Any, expected_length: Any
) -> tuple[TelesalesState, int]:
    """``save``'s expectations, checked: a state, and a length the new history extends."""
    state = require("expected_state", expected_state, TelesalesState)
    if type(expected_length) is not int or expected_length < 1:
        raise ValidationError("expected_length", expected_length, "must be an integer >= 1")
    if len(order.history) < expected_length:
        raise ValidationError(
            "order.history",
            len(order.history),
            f"must extend the history read ({expected_length} entries)",
        )
    return state, expected_length


def stale(order_id: str, expected: tuple[TelesalesState, int], found: TelesalesOrder) -> Exception:
    """The :class:`ConcurrentUpdate` of a save whose expectations the stored order fails."""
    return ConcurrentUpdate(
        "TelesalesOrder",
        order_id,
        expected=f"{expected[0].value}/{expected[1]}",
        found=f"{found.state.value}/{len(found.history)}",
    )


def _instant(field: str, value: Any) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise ValidationError(field, value, "must be a timezone-aware datetime or None")
    return value


def _page(field: str, value: Any, *, low: int, high: int | None = None) -> int:
    if type(value) is not int or value < low or (high is not None and value > high):
        top = "" if high is None else f" and <= {high}"
        raise ValidationError(field, value, f"must be an integer >= {low}{top}")
    return value


def check_filters(**given: Any) -> Filters:
    """The arguments of ``TelesalesRepository.list``, checked."""
    email = given["operator_email"]
    if email is not None and (not isinstance(email, str) or not email):
        raise ValidationError("operator_email", email, "must be a non-empty string or None")
    return Filters(
        state=optional_enum("state", given["state"], TelesalesState),
        operator_email=email,
        customer_id=None
        if given["customer_id"] is None
        else require_key("customer_id", given["customer_id"]),
        store_id=None if given["store_id"] is None else require_key("store_id", given["store_id"]),
        placed_from=_instant("placed_from", given["placed_from"]),
        placed_to=_instant("placed_to", given["placed_to"]),
        limit=_page("limit", given["limit"], low=1, high=MAX_PAGE),
        offset=_page("offset", given["offset"], low=0),
    )


def check_limit(limit: Any) -> int:
    """``limit`` of ``awaiting_authorization``, checked."""
    return _page("limit", limit, low=1, high=MAX_PAGE)


def placed_at(order: TelesalesOrder) -> datetime | None:
    """When the order was placed (its first move to ``placed``), or ``None`` for a cart."""
    return next((t.at for t in order.history if t.to_state is TelesalesState.PLACED), None)


def opened_at(order: TelesalesOrder) -> datetime:
    """When the cart was opened: its first history entry."""
    return order.history[0].at


def newest_key(order: TelesalesOrder) -> tuple[datetime, str]:
    """The key that sorts ``list`` (reversed: newest first): placed, else opened; then id."""
    placed = placed_at(order)
    return (opened_at(order) if placed is None else placed, order.order_id)


def oldest_key(order: TelesalesOrder) -> tuple[datetime, str]:
    """The key that sorts the authorization queue, oldest placed first."""
    placed = placed_at(order)
    return (opened_at(order) if placed is None else placed, order.order_id)
