"""The repository protocol of telesales orders: carts and orders with their items and history."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # annotations only: importing the protocols loads no domain module
    from otocore.telesales import TelesalesOrder, TelesalesPolicy, TelesalesState


class TelesalesRepository(Protocol):
    """Televendas: :class:`~otocore.telesales.TelesalesOrder` values, stored whole.

    An order comes back equal to the one stored: its items (list and manual
    prices), the operator's e-mail or ``None``, the shared-cart flags and the link's token
    record (its hash, never the token), who set
    each manual price, the last authorization decision and every transition
    of its history.

    Saving is optimistic (compare-and-set): :meth:`save` names the state and
    the history length the caller read, and writes only if the stored order
    still has both; otherwise :class:`~otocore.errors.ConcurrentUpdate` and
    nothing is written. So of two approvers deciding the same order at once,
    exactly one wins. Inside a unit of work, the save is undone with the
    block: an exception after it leaves the order as it was.

    The "Todos os pedidos" view is :meth:`list` (newest first, by when the
    order was placed, a cart by when it was opened); the approvers' queue is
    :meth:`awaiting_authorization` (oldest placed first).

    >>> from datetime import UTC, datetime
    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> from otocore.telesales import new_cart, cancel
    >>> at = datetime(2026, 5, 10, 15, tzinfo=UTC)
    >>> cart = new_cart(order_id="T1", customer_id="C1", store_id="L01", built_by="ana", at=at)
    >>> uow = InMemoryUnitOfWork()
    >>> with uow:
    ...     uow.telesales.add(cart)
    >>> with uow:
    ...     stored = uow.telesales.get("T1")
    ...     uow.telesales.save(
    ...         cancel(stored, actor="ana", reason="desistiu", at=at),
    ...         expected_state=stored.state,
    ...         expected_length=len(stored.history),
    ...     )
    >>> with uow:
    ...     uow.telesales.save(cart, expected_state=cart.state, expected_length=1)
    Traceback (most recent call last):
    ...
    otocore.errors.ConcurrentUpdate: TelesalesOrder 'T1' changed since it was read: expected cart/1, found cancelled/2; nothing was written
    """

    def add(self, order: TelesalesOrder) -> None:
        """Store a new order; an id already stored is a :class:`~otocore.errors.RuleViolation`."""

    def get(self, order_id: str) -> TelesalesOrder:
        """The stored order; :class:`~otocore.errors.NotFound` if there is none."""

    def quantities(self, order_ids: Iterable[str]) -> dict[str, int]:
        """The quantity of products (the sum of the items' quantities) of each stored order
        among ``order_ids``, by id; ids not stored are left out. One read for many ids (the
        results views ask for every attributed sale of a month)."""

    def save(
        self, order: TelesalesOrder, *, expected_state: TelesalesState, expected_length: int
    ) -> None:
        """Replace the stored order by ``order`` if it still is as read; else ConcurrentUpdate.

        ``expected_state`` and ``expected_length`` are the state and
        ``len(history)`` of the order the caller read; ``order`` must extend
        that history (:class:`~otocore.errors.ValidationError` otherwise). An
        unknown id is :class:`~otocore.errors.NotFound`.
        """

    def list(
        self,
        *,
        state: TelesalesState | None = None,
        operator_email: str | None = None,
        customer_id: str | None = None,
        store_id: str | None = None,
        placed_from: datetime | None = None,
        placed_to: datetime | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> builtins.list[TelesalesOrder]:
        """Orders matching every filter given, newest first, one page.

        The period is of placement: ``placed_from <= placed_at < placed_to``
        (a cart, never placed, matches no period). Newest first by when the
        order was placed (a cart: when it was opened), then by id descending.
        """

    def awaiting_authorization(self, *, limit: int = 50) -> builtins.list[TelesalesOrder]:
        """The orders waiting for a person's authorization, oldest placed first (then by id)."""

    def policy(self) -> TelesalesPolicy:
        """The brand's stored telesales policy (stores with manual prices, authorization rules).

        Before any is stored: no store has manual prices and every manual
        price waits for a person (:meth:`~otocore.authorization.AuthorizationRules.default`).
        """

    def set_policy(self, policy: TelesalesPolicy) -> None:
        """Store ``policy`` in place of the current one (the service audits who and when)."""
