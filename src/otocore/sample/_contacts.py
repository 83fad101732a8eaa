"""The sample brand's contact log: seeded contacts of a period, some of which sold.

The mix below is documented in ``docs/sample-brand.md``. Like the rest of the sample,
randomness comes only from the ``random()`` method of a seeded :class:`random.Random`, on
a stream of its own, so the stores, sellers, customers, orders and opt-ins do not move.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from random import Random

from otocore import _validate as v
from otocore.consent import ContactChannel
from otocore.contacts import Contact, ContactOutcome
from otocore.customers import Customer
from otocore.errors import ValidationError
from otocore.orders import Order, OrderStatus
from otocore.sample._brand import ZONE, SampleBrand
from otocore.sample._generate import BUNDLED_SEED, _pick, _weighted

CONTACTS_FIRST_DAY = date(2026, 9, 1)
"""The first local day of the bundled brand's contact log."""

CONTACTS_LAST_DAY = date(2026, 9, 30)
"""The last local day of the bundled brand's contact log (well before the demo's day)."""

_STREAM = 0x0C0_47AC7  # added to the seed: the contacts' own random stream
_SALE_SHARE = 0.3  # contacts followed by one of the customer's completed orders
_CANCELLED_CONTACTS = 3  # contacts followed by a cancelled order
_WINDOW = timedelta(days=7)  # the default attribution window
_LEAD_DAYS_CUM = (20, 50, 72, 86, 94, 98, 100)  # a sale 0..6 local days after its contact
_DISMISSED_SALE = 0.05  # a suggestion dismissed ("no answer"), and the customer bought anyway
_DISMISSED_OTHER = 0.25
_FAVOURED = 0.8  # a contact without a sale goes to a customer the seller sold to before
_NOTE_SHARE = 0.3
_OFFER_SHARE = 0.4
_REASONS = (
    "Cliente não respondeu",
    "Cliente pediu para falar outro dia",
    "Número não atende",
    "Cliente já comprou o que queria",
)
_NOTES = (
    "Gostou do vestido azul",
    "Vai passar na loja no sábado",
    "Pediu fotos da coleção nova",
    "Perguntou pelo tamanho 38",
    "Aniversário da filha no mês que vem",
    "Prefere ser chamada à tarde",
)
_SKUS = (
    "VESTIDO-MIDI",
    "CAMISA-LINHO",
    "CALCA-JEANS",
    "BLUSA-SEDA",
    "SAIA-PLISSADA",
    "JAQUETA-COURO",
    "BOLSA-PALHA",
)


def sample_contacts(
    brand: SampleBrand,
    *,
    seed: int = BUNDLED_SEED,
    first_day: date = CONTACTS_FIRST_DAY,
    last_day: date = CONTACTS_LAST_DAY,
    contacts: int = 320,
) -> tuple[Contact, ...]:
    """Seeded contacts of ``brand``'s sellers from ``first_day`` to ``last_day``, oldest first.

    A contact is by a seller still selling then (one with an order in the period or the
    month before) with a customer of the seller's store, in store hours, 2 to 25 minutes
    long. About 30% of them are followed, 0 to 6 days later (within the default 7-day
    attribution window), by one of the customer's completed orders of the period, and a few
    (3) by a cancelled one; the seller is the order's when it has one. The rest are followed
    by no order of the customer in the 7 days after. 95% of the contacts that sold and 75%
    of the others are finished; the others dismissed a suggestion of that day with a reason.
    No contact carries a campaign, a follow-up or an opt-in/opt-out, so the quarantine after
    the period is untouched. The same brand and arguments give the same contacts.

    Args:
        brand: the brand whose sellers, customers and orders the contacts follow.
        seed: any integer.
        first_day: the first local day of the contacts (America/Sao_Paulo).
        last_day: the last local day.
        contacts: about how many contacts (fewer when the brand has too few candidates).

    Returns:
        The contacts, ids ``A000001``, ... in the order they started.

    Raises:
        ValidationError: ``seed`` or ``contacts`` is not an integer (``contacts`` >= 0),
            or ``last_day`` is before ``first_day``.

    >>> from otocore.sample import generate_brand
    >>> from datetime import date
    >>> brand = generate_brand(
    ...     seed=3,
    ...     stores=2,
    ...     sellers_per_store=3,
    ...     customers=300,
    ...     orders=4000,
    ...     start=date(2025, 1, 1),
    ...     end=date(2025, 12, 31),
    ... )
    >>> log = sample_contacts(
    ...     brand, seed=3, first_day=date(2025, 9, 1), last_day=date(2025, 9, 30), contacts=40
    ... )
    >>> log == sample_contacts(
    ...     brand, seed=3, first_day=date(2025, 9, 1), last_day=date(2025, 9, 30), contacts=40
    ... )
    True
    >>> log[0].contact_id, 30 <= len(log) <= 40
    ('A000001', True)
    >>> sorted({c.outcome.value for c in log})
    ['dismissed', 'finished']
    """
    if not v.is_int(seed):
        raise ValidationError("sample_contacts.seed", seed, "must be an integer")
    if not v.is_int(contacts) or contacts < 0:
        raise ValidationError("sample_contacts.contacts", contacts, "must be an integer >= 0")
    for name, value in (("first_day", first_day), ("last_day", last_day)):
        if not isinstance(value, date) or isinstance(value, datetime):
            raise ValidationError(f"sample_contacts.{name}", value, "must be a datetime.date")
    if last_day < first_day:
        raise ValidationError(
            "sample_contacts.last_day", last_day, f"must not be before first_day ({first_day})"
        )
    return _Log(brand, Random(seed + _STREAM), first_day, last_day).draw(contacts)  # noqa: S311


class _Log:
    """What drawing the contacts needs to know of the brand, and the contacts drawn."""

    def __init__(self, brand: SampleBrand, rng: Random, first_day: date, last_day: date) -> None:
        self.rng = rng
        self.start = datetime.combine(first_day, time(), tzinfo=ZONE)
        self.end = datetime.combine(last_day + timedelta(days=1), time(), tzinfo=ZONE)
        self.customers = {c.customer_id: c for c in brand.customers}
        self.store_of = {s.code: s.store_id for s in brand.sellers}
        self.orders: dict[str, list[Order]] = defaultdict(list)
        working: set[str] = set()
        for order in sorted(brand.orders, key=lambda o: (o.placed_at, o.order_id)):
            self.orders[order.customer_id].append(order)
            if order.seller_code and self.start - timedelta(days=31) <= order.placed_at < self.end:
                working.add(order.seller_code)
        self.working: dict[str, list[str]] = defaultdict(list)
        for seller in brand.sellers:
            if seller.code in working:
                self.working[seller.store_id].append(seller.code)
        self.home: dict[str, list[str]] = defaultdict(list)
        for customer in brand.customers:
            if customer.home_store_id and (customer.mobile or customer.email):
                self.home[customer.home_store_id].append(customer.customer_id)
        self.drawn: list[tuple[datetime, str, str, bool]] = []  # started, seller, customer, sold

    # the contacts --------------------------------------------------------------------

    def draw(self, count: int) -> tuple[Contact, ...]:
        in_period = [
            o
            for orders in self.orders.values()
            for o in orders
            if self.start <= o.placed_at < self.end
        ]
        in_period.sort(key=lambda o: (o.placed_at, o.order_id))
        completed = [o for o in in_period if o.status is OrderStatus.COMPLETED]
        cancelled = [o for o in in_period if o.status is not OrderStatus.COMPLETED]
        sales = round(count * _SALE_SHARE)
        self._before(completed, sales)
        self._before(cancelled, min(_CANCELLED_CONTACTS, count - len(self.drawn)))
        self._without_sale(count - len(self.drawn))
        self.drawn.sort()
        return tuple(
            self._contact(n, started, seller, customer, sold)
            for n, (started, seller, customer, sold) in enumerate(self.drawn, start=1)
        )

    def _before(self, orders: list[Order], wanted: int) -> None:
        """Contacts each followed by one of ``orders`` within the window."""
        pool = list(orders)
        got = 0
        while got < wanted and pool:
            order = pool.pop(int(self.rng.random() * len(pool)))
            customer = self.customers[order.customer_id]
            store = customer.home_store_id
            seller = order.seller_code
            if seller is None and store and self.working[store]:
                seller = _pick(self.rng, self.working[store])
            if seller is None or self.store_of[seller] != store:
                continue  # sold by another store's seller: not a contact of its own store's
            started = self._lead(order.placed_at, customer)
            if started is None:
                continue
            self.drawn.append((started, seller, customer.customer_id, True))
            got += 1

    def _lead(self, placed_at: datetime, customer: Customer) -> datetime | None:
        """A moment in store hours 0 to 6 local days before ``placed_at``, in the period."""
        day = placed_at.astimezone(ZONE).date()
        for _ in range(20):
            lead = _weighted(self.rng, _LEAD_DAYS_CUM)
            started = self._moment(day - timedelta(days=lead))
            if (
                self.start <= started < placed_at - timedelta(minutes=30)
                and placed_at - started <= _WINDOW
                and started >= customer.registered_at
            ):
                return started
        return None

    def _without_sale(self, wanted: int) -> None:
        """Contacts followed by no order of the customer within the window."""
        codes = [code for store in sorted(self.working) for code in self.working[store]]
        days = (self.end - self.start).days
        tries = 0
        while wanted > 0 and codes and tries < wanted * 50:
            tries += 1
            seller = _pick(self.rng, codes)
            store = self.store_of[seller]
            started = self._moment(
                self.start.date() + timedelta(days=int(self.rng.random() * days))
            )
            if not self.start <= started < self.end:
                continue
            customer_id = self._customer_of(seller, store, started)
            if customer_id is None or self._buys_within(customer_id, started):
                continue
            if started < self.customers[customer_id].registered_at:
                continue
            self.drawn.append((started, seller, customer_id, False))
            wanted -= 1

    def _customer_of(self, seller: str, store: str, started: datetime) -> str | None:
        if self.rng.random() < _FAVOURED:
            mine = sorted(
                {
                    o.customer_id
                    for cid in self.home[store]
                    for o in self.orders[cid]
                    if o.seller_code == seller and o.placed_at < started
                }
            )
            if mine:
                return _pick(self.rng, mine)
        return _pick(self.rng, self.home[store]) if self.home[store] else None

    def _buys_within(self, customer_id: str, started: datetime) -> bool:
        orders = self.orders[customer_id]
        i = bisect_left([o.placed_at for o in orders], started)
        return any(o.placed_at - started <= _WINDOW for o in orders[i:] if o.placed_at > started)

    def _moment(self, day: date) -> datetime:
        if day.weekday() == 6:
            hour = 14 + int(self.rng.random() * 6)
        else:
            hour = 10 + int(self.rng.random() * 11)
        minute = int(self.rng.random() * 60)
        return datetime.combine(day, time(hour, minute), tzinfo=ZONE)

    def _contact(
        self, n: int, started: datetime, seller: str, customer_id: str, sold: bool
    ) -> Contact:
        rng = self.rng
        customer = self.customers[customer_id]
        if customer.mobile is None:
            channel = ContactChannel.EMAIL
        else:
            draw = rng.random()
            channel = (
                ContactChannel.WHATSAPP
                if draw < 0.8
                else ContactChannel.PHONE_CALL
                if draw < 0.95
                else ContactChannel.SMS
            )
        dismissed = rng.random() < (_DISMISSED_SALE if sold else _DISMISSED_OTHER)
        local_day = started.astimezone(ZONE).date()
        notes = _pick(rng, _NOTES) if not dismissed and rng.random() < _NOTE_SHARE else None
        offered: list[str] = []
        if not dismissed and rng.random() < _OFFER_SHARE:
            for _ in range(1 + int(rng.random() * 3)):
                sku = _pick(rng, _SKUS)
                if sku not in offered:
                    offered.append(sku)
        year_ago = started - timedelta(days=365)
        in_portfolio = any(
            o.seller_code == seller and year_ago <= o.placed_at < started
            for o in self.orders[customer_id]
            if o.status is OrderStatus.COMPLETED
        )
        return Contact(
            contact_id=f"A{n:06d}",
            seller_code=seller,
            customer_id=customer_id,
            suggestion_id=f"{local_day.isoformat()}:{customer_id}" if dismissed else None,
            channel=channel,
            started_at=started,
            finished_at=started + timedelta(minutes=2 + int(rng.random() * 24)),
            products_offered=tuple(offered),
            notes=notes,
            outcome=ContactOutcome.DISMISSED if dismissed else ContactOutcome.FINISHED,
            dismiss_reason=_pick(rng, _REASONS) if dismissed else None,
            in_portfolio=in_portfolio,
        )
