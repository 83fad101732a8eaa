"""Builders and strategies for the results views: a worked week of a small brand, and random ones.

:data:`WEEK` is the worked example of tests/unit/test_results.py, the CLI tests and
docs/results.md: November 2 to 8, 2026, two stores, four sellers (one inactive), the edges the
definitions talk about (a contact before the period, a contact that earns two orders, a
cancelled order, a customer two sellers talked to, an order no contact earned).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import attrs
from hypothesis import strategies as st

from otocore.attribution import AttributionModel, AttributionPolicy
from otocore.consent import ContactChannel
from otocore.contacts import Contact, ContactOutcome, SuggestionStatus
from otocore.orders import Order, OrderStatus
from otocore.sellers import Seller, SellerStatus, Store
from otocore.suggestions import Suggestion, SuggestionKind, SuggestionReason

SP = ZoneInfo("America/Sao_Paulo")
FIRST, LAST = date(2026, 11, 2), date(2026, 11, 8)


def at(month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    """A São Paulo instant of 2026."""
    return datetime(2026, month, day, hour, minute, tzinfo=SP)


def suggestion(
    day: date, seller: str, customer: str, *, status: SuggestionStatus = SuggestionStatus.PENDING
) -> Suggestion:
    """A campaign suggestion of ``day`` in ``seller``'s list."""
    return Suggestion(
        suggestion_id=f"{day.isoformat()}:{customer}",
        day=day,
        seller_code=seller,
        customer_id=customer,
        kind=SuggestionKind.CAMPAIGN,
        campaign_id="POS_VENDA_30",
        channel=ContactChannel.WHATSAPP,
        message="Olá!",
        reason=SuggestionReason.CAMPAIGN,
        detail="campaign POS_VENDA_30",
        rank=1,
        status=status,
    )


def talk(
    contact_id: str,
    seller: str,
    customer: str,
    started_at: datetime,
    *,
    dismissed: bool = False,
) -> Contact:
    """A registered contact, finished (or dismissed: "Cliente não respondeu") 20 min later."""
    extra: dict[str, Any] = {}
    if dismissed:
        extra = {
            "outcome": ContactOutcome.DISMISSED,
            "dismiss_reason": "Cliente não respondeu",
            "suggestion_id": f"{started_at.astimezone(SP).date().isoformat()}:{customer}",
        }
    return Contact(
        contact_id=contact_id,
        seller_code=seller,
        customer_id=customer,
        channel=ContactChannel.WHATSAPP,
        started_at=started_at,
        finished_at=started_at + timedelta(minutes=20),
        in_portfolio=True,
        **extra,
    )


def sale(
    order_id: str,
    customer: str,
    placed_at: datetime,
    total: str,
    *,
    store: str = "L01",
    cancelled: bool = False,
) -> Order:
    """An order of ``customer`` (completed, or cancelled: a return is recorded so)."""
    return Order(
        order_id=order_id,
        customer_id=customer,
        store_id=store,
        placed_at=placed_at,
        total=Decimal(total),
        seller_code=None,
        status=OrderStatus.CANCELLED if cancelled else OrderStatus.COMPLETED,
    )


@attrs.frozen
class Brand:
    """Everything the results views read."""

    stores: tuple[Store, ...]
    sellers: tuple[Seller, ...]
    suggestions: tuple[Suggestion, ...]
    contacts: tuple[Contact, ...]
    orders: tuple[Order, ...]

    def inputs(self) -> dict[str, Any]:
        """The keyword arguments of ``compute_results`` for these rows."""
        return {
            "suggestions": self.suggestions,
            "contacts": self.contacts,
            "orders": self.orders,
            "sellers": self.sellers,
        }

    def load(self, uow: Any) -> None:
        """Store the brand through ``uow`` (memory or SQL)."""
        with uow:
            for store in self.stores:
                uow.stores.add(store)
            for seller in self.sellers:
                uow.sellers.add(seller)
            by_day: dict[date, list[Suggestion]] = {}
            for s in self.suggestions:
                by_day.setdefault(s.day, []).append(s)
            for day, found in by_day.items():
                uow.suggestions.save_day(day, found)
            uow.contacts.add_many(self.contacts)
            uow.orders.add_many(self.orders)


WEEK = Brand(
    stores=(Store(store_id="L01", name="Loja Centro"), Store(store_id="L02", name="Shopping")),
    sellers=(
        Seller(code="V01", name="Ana Souza", store_id="L01"),
        Seller(code="V02", name="Bruno Lima", store_id="L01"),
        Seller(code="V03", name="Carla Dias", store_id="L02"),
        Seller(code="V04", name="Davi Reis", store_id="L02", status=SellerStatus.INACTIVE),
    ),
    suggestions=(
        suggestion(date(2026, 11, 2), "V01", "ANA", status=SuggestionStatus.FINISHED),
        suggestion(date(2026, 11, 2), "V01", "BIA", status=SuggestionStatus.DISMISSED),
        suggestion(date(2026, 11, 2), "V02", "CAIO"),
        suggestion(date(2026, 11, 2), "V03", "DANI", status=SuggestionStatus.FINISHED),
        suggestion(date(2026, 11, 3), "V01", "FABI"),
        suggestion(date(2026, 11, 3), "V03", "GIL"),
        suggestion(date(2026, 11, 9), "V03", "HUGO"),  # after the period
    ),
    contacts=(
        talk("A0", "V02", "EVA", at(10, 20, 10)),  # 15 days before P6: only a 30-day window
        talk("A1", "V01", "ANA", at(11, 2, 10)),
        talk("A2", "V01", "BIA", at(11, 3, 9), dismissed=True),
        talk("A3", "V02", "ANA", at(11, 4, 16)),  # a second seller talks to ANA
        talk("A4", "V03", "CAIO", at(10, 30, 18)),  # before the period, within the window
        talk("A5", "V03", "DANI", at(11, 5, 23, 59)),  # 23:59: earns two orders
    ),
    orders=(
        sale("P1", "ANA", at(11, 3, 12), "300.00"),  # A1 (V01)
        sale("P2", "ANA", at(11, 5, 10), "120.00"),  # A3 (V02); A1 under FIRST_CONTACT
        sale("P3", "CAIO", at(11, 2, 11), "80.00", store="L02"),  # A4 (V03)
        sale("P4", "DANI", at(11, 6, 0, 30), "500.00", store="L02", cancelled=True),  # A5
        sale("P5", "DANI", at(11, 7, 15), "50.00", store="L02"),  # A5 again
        sale("P6", "EVA", at(11, 4, 15), "999.00"),  # no contact within 7 days
        sale("P7", "ANA", at(11, 12, 15), "70.00"),  # after the period
    ),
)


# -- random brands for the property tests -----------------------------------------------------

SELLERS = (
    Seller(code="V1", name="Ana", store_id="L1"),
    Seller(code="V2", name="Bia", store_id="L1"),
    Seller(code="V3", name="Caio", store_id="L2"),
    Seller(code="V4", name="Davi", store_id="L2", status=SellerStatus.INACTIVE),
)
CODES = ("V1", "V2", "V3", "V4", "V9")  # V9: a seller code no seller has
CUSTOMERS = ("C1", "C2", "C3")
P_FIRST, P_LAST = date(2026, 11, 2), date(2026, 11, 5)
_START = datetime(2026, 10, 25, tzinfo=SP)


def _instants() -> st.SearchStrategy[datetime]:
    """Instants from 8 days before the period to 2 days after it, on the hour or a minute edge."""
    return st.builds(
        lambda hours, minute: _START + timedelta(hours=hours, minutes=minute),
        st.integers(0, 24 * 20),
        st.sampled_from([0, 0, 30, 59]),
    )


@st.composite
def brands(draw: st.DrawFn) -> Brand:
    """A small random brand around :data:`P_FIRST`..:data:`P_LAST`."""
    n_contacts = draw(st.integers(0, 10))
    contacts = []
    for i in range(n_contacts):
        started = draw(_instants())
        contacts.append(
            talk(
                f"A{i}",
                draw(st.sampled_from(CODES)),
                draw(st.sampled_from(CUSTOMERS)),
                started,
                dismissed=draw(st.booleans()),
            )
        )
    orders = [
        sale(
            f"P{i}",
            draw(st.sampled_from(CUSTOMERS)),
            draw(_instants()),
            str(Decimal(draw(st.integers(0, 100_000))) / 100),
            store=draw(st.sampled_from(["L1", "L2"])),
            cancelled=draw(st.booleans()),
        )
        for i in range(draw(st.integers(0, 10)))
    ]
    seen: set[tuple[date, str]] = set()
    suggestions = []
    for _ in range(draw(st.integers(0, 8))):
        day = P_FIRST + timedelta(days=draw(st.integers(-2, 5)))
        customer = draw(st.sampled_from(CUSTOMERS))
        if (day, customer) not in seen:
            seen.add((day, customer))
            suggestions.append(suggestion(day, draw(st.sampled_from(CODES)), customer))
    return Brand(
        stores=(Store(store_id="L1", name="Um"), Store(store_id="L2", name="Dois")),
        sellers=SELLERS,
        suggestions=tuple(suggestions),
        contacts=tuple(contacts),
        orders=tuple(orders),
    )


def policies() -> st.SearchStrategy[AttributionPolicy]:
    """Windows of 1, 3, 7 and 30 days, either model."""
    return st.builds(
        AttributionPolicy,
        window_days=st.sampled_from([1, 3, 7, 30]),
        model=st.sampled_from(AttributionModel),
    )


def plain(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows as lists of plain dicts (a frame's rows compare with :meth:`to_rows`)."""
    return [dict(r) for r in rows]
