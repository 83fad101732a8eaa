"""Generating a sample brand: seeded stores, sellers, customers, orders and opt-ins.

The mix below (shares, prices, seasons, names) is documented in ``docs/sample-brand.md``.
Randomness comes only from the ``random()`` method of seeded :class:`random.Random`
instances, whose sequence Python guarantees across versions.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import accumulate
from random import Random
from typing import Any, TypeVar

import attrs

from otocore import _validate as v
from otocore.consent import ConsentEvent, ConsentSource, ContactChannel
from otocore.customers import (
    Cpf,
    Customer,
    Email,
    Loyalty,
    MaritalStatus,
    Mobile,
    Sex,
    _cpf_from_base,
)
from otocore.errors import ValidationError
from otocore.orders import Channel, Order, OrderStatus
from otocore.sample._brand import ZONE, SampleBrand
from otocore.sellers import Seller, SellerStatus, Store

_T = TypeVar("_T")

BUNDLED_SEED: int = 2026
"""The seed of the bundled brand: ``load_bundled_brand() == generate_brand(seed=BUNDLED_SEED)``."""

# The mix of the generated brand (documented in docs/sample-brand.md) --------------

_ONLINE_SHARE = 0.12  # orders placed online ...
_ONLINE_WITH_SELLER = 0.5  # ... of which this share carries a seller code
_TELESALES_SHARE = 0.03
_CANCELLED_SHARE = 0.05
_HOME_STORE_SHARE = 0.9  # store orders placed at the customer's home store
_FAVOURITE_SHARE = 0.9  # home-store sales made by one of the customer's 1-3 sellers
_INACTIVE_SHARE = 0.15  # sellers who left during the period
_LATE_HIRE_SHARE = 0.3  # active sellers hired during the period
_PRE_START_SHARE = 0.35  # customers registered before the period starts
_CHURN_SHARE = 0.3  # customers who stop buying at some day of the period
_PROGRAM = "Clube Brisa"
_BRAND = "Brisa"

_PRICES_CENTS = (
    3990, 4990, 5990, 6990, 7990, 8990, 9990, 11990, 12990, 14990,
    15990, 17990, 19990, 22990, 24990, 29990, 34990, 39990, 49990, 59990,
)  # fmt: skip
_PRICE_CUM = list(accumulate((22, 20, 18, 16, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 2, 1, 1)))
_ITEMS_CUM = list(accumulate((50, 28, 13, 6, 3)))  # 1 to 5 items
_WEEKDAY = (0.80, 0.82, 0.88, 0.95, 1.15, 1.55, 0.65)  # Monday .. Sunday
_MONTH = (0.85, 0.78, 0.88, 0.92, 1.05, 1.0, 0.95, 0.98, 0.9, 0.95, 1.1, 1.35)
_HOURS_WEEK = tuple(range(10, 22))  # Monday to Saturday, 10:00-22:00
_HOURS_WEEK_CUM = list(accumulate((5, 7, 10, 11, 9, 9, 10, 12, 13, 12, 9, 5)))
_HOURS_SUNDAY = tuple(range(14, 20))  # Sundays, 14:00-20:00
_HOURS_SUNDAY_CUM = list(accumulate((8, 10, 11, 11, 9, 6)))
_HOURS_ONLINE = tuple(range(24))
_HOURS_ONLINE_CUM = list(
    accumulate((2, 1, 1, 1, 1, 1, 2, 3, 5, 6, 7, 8, 9, 9, 8, 8, 8, 9, 10, 12, 13, 13, 10, 6))
)

# (city, state, area code, place); beyond 20 stores the list repeats with a number.
_SITES = (
    ("São Paulo", "SP", 11, "Centro"),
    ("São Paulo", "SP", 11, "Shopping Sul"),
    ("Campinas", "SP", 19, "Shopping"),
    ("Rio de Janeiro", "RJ", 21, "Centro"),
    ("Belo Horizonte", "MG", 31, "Shopping"),
    ("Curitiba", "PR", 41, "Centro"),
    ("Porto Alegre", "RS", 51, "Shopping"),
    ("Recife", "PE", 81, "Shopping"),
    ("Salvador", "BA", 71, "Centro"),
    ("Brasília", "DF", 61, "Shopping"),
    ("Florianópolis", "SC", 48, "Centro"),
    ("Goiânia", "GO", 62, "Shopping"),
    ("Fortaleza", "CE", 85, "Shopping"),
    ("Vitória", "ES", 27, "Centro"),
    ("Ribeirão Preto", "SP", 16, "Shopping"),
    ("Santos", "SP", 13, "Centro"),
    ("Natal", "RN", 84, "Shopping"),
    ("João Pessoa", "PB", 83, "Centro"),
    ("Belém", "PA", 91, "Shopping"),
    ("Londrina", "PR", 43, "Centro"),
)

_FEMALE = (
    "Maria", "Ana", "Francisca", "Antônia", "Adriana", "Juliana", "Márcia", "Fernanda",
    "Patrícia", "Aline", "Sandra", "Camila", "Amanda", "Bruna", "Jéssica", "Letícia",
    "Júlia", "Luciana", "Vanessa", "Mariana", "Gabriela", "Beatriz", "Larissa", "Rafaela",
    "Carolina", "Isabela", "Helena", "Alice", "Laura", "Valentina", "Sophia", "Manuela",
    "Lívia", "Cecília", "Luíza", "Heloísa", "Lorena", "Clara", "Giovanna", "Yasmin",
    "Débora", "Renata", "Tatiane", "Priscila", "Cláudia", "Simone", "Rosana", "Daniela",
    "Natália", "Raquel", "Vitória", "Carla", "Sabrina", "Bianca", "Maria Eduarda",
    "Ana Clara", "Maria Clara", "Ana Júlia", "Maria Luiza", "Ana Beatriz",
)  # fmt: skip
_MALE = (
    "José", "João", "Antônio", "Francisco", "Carlos", "Paulo", "Pedro", "Lucas", "Luiz",
    "Marcos", "Luís", "Gabriel", "Rafael", "Daniel", "Marcelo", "Bruno", "Eduardo", "Felipe",
    "Raimundo", "Rodrigo", "Manoel", "Mateus", "André", "Fernando", "Fábio", "Leonardo",
    "Gustavo", "Guilherme", "Leandro", "Tiago", "Anderson", "Ricardo", "Márcio", "Jorge",
    "Sérgio", "Vinícius", "Diego", "Alexandre", "Roberto", "Miguel", "Arthur", "Heitor",
    "Davi", "Bernardo", "Samuel", "Enzo", "Henrique", "Igor", "Caio", "Otávio", "Renato",
    "Wesley", "Júlio", "Murilo", "João Pedro", "João Vitor", "Pedro Henrique", "Luiz Felipe",
    "Carlos Eduardo", "José Roberto",
)  # fmt: skip
_SURNAMES = (
    "Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira",
    "Lima", "Gomes", "Costa", "Ribeiro", "Martins", "Carvalho", "Almeida", "Lopes", "Soares",
    "Fernandes", "Vieira", "Barbosa", "Rocha", "Dias", "Nascimento", "Andrade", "Moreira",
    "Nunes", "Marques", "Machado", "Mendes", "Freitas", "Cardoso", "Ramos", "Gonçalves",
    "Santana", "Teixeira", "Araújo", "Correia", "Monteiro", "Moura", "Cavalcanti", "Pinto",
    "Campos", "Batista", "Barros", "Castro", "Farias", "Melo", "Azevedo", "Cunha", "Reis",
    "Xavier", "Fonseca", "Borges", "Miranda", "Macedo", "Brito", "Sales", "Pires", "Tavares",
    "Coelho",
)  # fmt: skip
_PARTICLE = {"Silva": "da", "Santos": "dos", "Oliveira": "de", "Souza": "de", "Jesus": "de"}
_EMAIL_DOMAINS = ("example.com", "example.net", "example.org")
_EMAIL_DOMAINS_CUM = [5.0, 8.0, 10.0]
_AGE_BANDS = ((18, 24), (25, 34), (35, 44), (45, 54), (55, 64), (65, 80))
_AGE_CUM = list(accumulate((14, 30, 26, 16, 9, 5)))
_SEX_CUM = list(accumulate((58, 39, 1, 2)))  # female, male, other, not informed
_MARITAL = tuple(MaritalStatus)
_MARITAL_CUM = list(accumulate((45, 35, 8, 8, 3, 1)))
_FAVOURITES_CUM = list(accumulate((40, 40, 20)))  # 1, 2 or 3 favourite sellers
_FAVOURITE_WEIGHTS = (6.0, 3.0, 1.0)
_NEVER = date.max.toordinal()
_NAME_PARTICLES = frozenset({"da", "de", "do", "dos", "das"})
_CATEGORIES = ((8.0, "Diamante"), (3.0, "Ouro"), (1.6, "Prata"))  # by activity weight


# The brand, its orders and its opt-ins ---------------------------------------------


def generate_brand(
    *,
    seed: int,
    stores: int = 6,
    sellers_per_store: int = 7,
    customers: int = 3000,
    orders: int = 30000,
    start: date = date(2022, 11, 1),
    end: date = date(2026, 10, 31),
) -> SampleBrand:
    """Generate a fictional brand; the defaults are those of the bundled brand.

    The same arguments always give the same brand. Stores, sellers and
    customers do not depend on ``orders``, so ``generate_brand(..., orders=0)``
    and :func:`iter_orders` with the same other arguments fit together.

    Args:
        seed: any integer; the whole brand follows from it.
        stores: number of stores (at least 1).
        sellers_per_store: sellers in each store, including those who left.
        customers: number of customer records.
        orders: number of orders, placed from ``start`` to ``end``.
        start: first day of orders (local day in America/Sao_Paulo).
        end: last day of orders.

    Returns:
        The :class:`SampleBrand`.

    Raises:
        ValidationError: a size is negative, ``stores``/``sellers_per_store``
            is 0, or ``start`` is not before ``end``.

    >>> brand = generate_brand(seed=1, stores=1, sellers_per_store=2, customers=5, orders=0)
    >>> [s.code for s in brand.sellers], len(brand.customers), brand.orders
    (['V001', 'V002'], 5, ())
    """
    plan = _Plan(
        seed=seed,
        stores=stores,
        sellers_per_store=sellers_per_store,
        customers=customers,
        orders=orders,
        start=start,
        end=end,
    )
    return SampleBrand(
        stores=plan.stores,
        sellers=plan.sellers,
        customers=plan.customers,
        orders=tuple(plan.iter_orders()),
    )


def iter_orders(
    *,
    seed: int,
    stores: int = 6,
    sellers_per_store: int = 7,
    customers: int = 3000,
    orders: int = 30000,
    start: date = date(2022, 11, 1),
    end: date = date(2026, 10, 31),
) -> Iterator[Order]:
    """Stream the orders :func:`generate_brand` would return, oldest first.

    Only one day of orders is held in memory at a time (the customers are
    built first, as the orders refer to them). Arguments are validated at
    the call, before the first order is drawn.

    >>> first = next(iter_orders(seed=1, stores=1, sellers_per_store=2, customers=5, orders=10))
    >>> first.order_id, first.placed_at.tzinfo
    ('P00000001', datetime.timezone.utc)
    """
    plan = _Plan(
        seed=seed,
        stores=stores,
        sellers_per_store=sellers_per_store,
        customers=customers,
        orders=orders,
        start=start,
        end=end,
    )
    return plan.iter_orders()


def consent_events(
    customers: Iterable[Customer], *, seed: int = BUNDLED_SEED
) -> tuple[ConsentEvent, ...]:
    """Seeded opt-ins for a sample brand's customers, so its demo has someone to contact.

    A customer with a mobile number opts in to WhatsApp at registration with
    probability 0.8 (SMS 0.3); one with an e-mail opts in to e-mail with
    probability 0.5; 5% of the WhatsApp opt-ins are revoked a year later. The
    same seed and customers give the same events.

    >>> brand = generate_brand(seed=1, stores=1, sellers_per_store=2, customers=20, orders=40)
    >>> events = consent_events(brand.customers, seed=1)
    >>> events == consent_events(brand.customers, seed=1)
    True
    >>> {e.source.value for e in events}
    {'import'}
    """
    rng = Random(seed)  # noqa: S311 - a repeatable sample, not a secret
    events: list[ConsentEvent] = []

    def grant(customer: Customer, channel: ContactChannel, granted: bool, at: datetime) -> None:
        events.append(
            ConsentEvent(
                customer_id=customer.customer_id,
                channel=channel,
                granted=granted,
                at=at,
                source=ConsentSource.IMPORT,
                recorded_by="sample",
            )
        )

    for customer in sorted(customers, key=lambda c: c.customer_id):
        at = customer.registered_at
        if customer.mobile is not None:
            if rng.random() < 0.8:
                grant(customer, ContactChannel.WHATSAPP, True, at)
                if rng.random() < 0.05:
                    grant(customer, ContactChannel.WHATSAPP, False, at + timedelta(days=365))
            if rng.random() < 0.3:
                grant(customer, ContactChannel.SMS, True, at)
        if customer.email is not None and rng.random() < 0.5:
            grant(customer, ContactChannel.EMAIL, True, at)
    return tuple(events)


# Helpers ---------------------------------------------------------------------------


def _pick(rng: Random, seq: Sequence[_T]) -> _T:
    return seq[int(rng.random() * len(seq))]


def _weighted(rng: Random, cum: Sequence[float], hi: int | None = None) -> int:
    """Index drawn with the weights whose running sums are ``cum[:hi]``."""
    n = len(cum) if hi is None else hi
    index = bisect_right(cum, rng.random() * cum[n - 1], 0, n)
    return min(index, n - 1)


def _count(name: str, value: Any, minimum: int) -> int:
    if not v.is_int(value) or value < minimum:
        raise ValidationError(f"generate_brand.{name}", value, f"must be an integer >= {minimum}")
    return value


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _season(day: date) -> float:
    """The relative order volume of ``day`` before growth and noise."""
    m, d = day.month, day.day
    if (m, d) in ((12, 25), (1, 1)):
        return 0.0
    weight = _WEEKDAY[day.weekday()] * _MONTH[m - 1]
    if m == 12:
        weight *= 1 + 1.8 * (d / 24) ** 2 if d <= 24 else 1.15
    elif m == 5:
        mothers = _nth_weekday(day.year, 5, 6, 2)
        before = (mothers - day).days
        if 1 <= before <= 7:
            weight *= 1.6 + 1.4 * (7 - before) / 6
        elif before == 0:
            weight *= 1.4
    elif m == 6 and 5 <= d <= 12:
        weight *= 1.5
    elif m == 8:
        fathers = _nth_weekday(day.year, 8, 6, 2)
        if 1 <= (fathers - day).days <= 7:
            weight *= 1.35
    elif m == 11:
        black_friday = _nth_weekday(day.year, 11, 3, 4) + timedelta(days=1)
        after = (day - black_friday).days
        if after == 0:
            weight *= 3.2
        elif after in (1, 2):
            weight *= 1.5
        elif after == -1:
            weight *= 1.2
    return weight


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@attrs.define
class _Used:
    """CPFs, e-mails and mobiles already given to a customer (each is unique)."""

    cpfs: set[str] = attrs.Factory(set)
    emails: set[str] = attrs.Factory(set)
    mobiles: set[str] = attrs.Factory(set)


def _random(seed: int) -> Random:
    return Random(seed)  # noqa: S311 - reproducible sample data, not secrets


def _name(rng: Random, sex: Sex | None) -> str:
    names = _FEMALE if sex is Sex.FEMALE else _MALE if sex is Sex.MALE else _FEMALE + _MALE
    given = _pick(rng, names)
    family = []
    for _ in range(1 + (rng.random() < 0.6)):
        surname = _pick(rng, _SURNAMES)
        particle = _PARTICLE.get(surname)
        family.append(f"{particle} {surname}" if particle and rng.random() < 0.5 else surname)
    name = " ".join([given, *family])
    if rng.random() < 0.08:
        name = name.upper()  # legacy records typed in capitals
    return name


def _cpf(rng: Random, used: set[str]) -> Cpf:
    digits = ""
    while not digits or digits in used:
        base = f"{int(rng.random() * 1_000_000_000):09d}"
        if len(set(base)) > 1:
            digits = _cpf_from_base(base)
    used.add(digits)
    return Cpf(digits)


def _rg(rng: Random) -> str:
    check = "X" if rng.random() < 0.1 else str(int(rng.random() * 10))
    n = int(rng.random() * 100_000_000)
    return f"{n // 1_000_000:02d}.{n // 1000 % 1000:03d}.{n % 1000:03d}-{check}"


def _birth_date(rng: Random, registered: date) -> date:
    low, high = _AGE_BANDS[_weighted(rng, _AGE_CUM)]
    years = low + rng.random() * (high - low + 1)
    return date.fromordinal(registered.toordinal() - int(years * 365.2425))


def _email(rng: Random, name: str, used: set[str]) -> Email:
    parts = [p for p in _ascii(name).replace("-", " ").split() if p not in _NAME_PARTICLES]
    local = _pick(rng, (".", "_", "")).join((parts[0], parts[-1]))
    if rng.random() < 0.3:
        local += str(int(rng.random() * 100))
    domain = _EMAIL_DOMAINS[_weighted(rng, _EMAIL_DOMAINS_CUM)]
    address, extra = f"{local}@{domain}", 1
    while address in used:
        extra += 1
        address = f"{local}{extra}@{domain}"
    used.add(address)
    return Email(address)


def _mobile(rng: Random, ddd: int, used: set[str]) -> Mobile:
    e164 = ""
    while not e164 or e164 in used:
        e164 = f"+55{ddd}9{6 + int(rng.random() * 4)}{int(rng.random() * 10_000_000):07d}"
    used.add(e164)
    return Mobile(e164)


def _loyalty(rng: Random, weight: float) -> Loyalty:
    if rng.random() < 0.05:
        return Loyalty(program=_PROGRAM)  # just joined, no category yet
    for threshold, category in _CATEGORIES:
        if weight > threshold:
            return Loyalty(program=_PROGRAM, category=category)
    return Loyalty(program=_PROGRAM, category="Bronze")


@attrs.frozen(kw_only=True)
class _Person:
    """What the order stream needs to know of a customer."""

    reg_day: int  # ordinal of the local registration day
    churn_day: int  # ordinal of the last day the customer may buy
    home: int  # index of the home store
    favourites: tuple[int, ...]  # indices of 1-3 sellers of the home store


class _Plan:
    """Stores, sellers and customers of a brand, and the recipe of its orders."""

    def __init__(
        self,
        *,
        seed: int,
        stores: int,
        sellers_per_store: int,
        customers: int,
        orders: int,
        start: date,
        end: date,
    ) -> None:
        if not v.is_int(seed):
            raise ValidationError("generate_brand.seed", seed, "must be an integer")
        self.n_stores = _count("stores", stores, 1)
        self.per_store = _count("sellers_per_store", sellers_per_store, 1)
        self.n_customers = _count("customers", customers, 0)
        self.n_orders = _count("orders", orders, 0)
        for name, value in (("start", start), ("end", end)):
            if not isinstance(value, date) or isinstance(value, datetime):
                raise ValidationError(f"generate_brand.{name}", value, "must be a datetime.date")
        if start >= end:
            raise ValidationError("generate_brand.end", end, f"must be after start ({start})")
        if self.n_orders and not self.n_customers:
            raise ValidationError("generate_brand.customers", customers, "must be >= 1 for orders")
        self.start, self.end = start, end
        master = _random(seed)
        seeds = [int(master.random() * 2**53) for _ in range(4)]
        self.day_cum = self._day_weights(_random(seeds[0]))
        self._make_stores(_random(seeds[1]))
        self._make_customers(_random(seeds[2]))
        self.orders_seed = seeds[3]

    # days ---------------------------------------------------------------------------

    def _day_weights(self, rng: Random) -> list[float]:
        first = self.start.toordinal()
        weights = []
        for n in range(self.end.toordinal() - first + 1):
            day = date.fromordinal(first + n)
            growth = 1 + 0.08 * n / 365.25
            weights.append(_season(day) * growth * (0.85 + 0.3 * rng.random()))
        return list(accumulate(weights))

    def _moment(self, rng: Random, day: date, *, online: bool = False) -> datetime:
        if online:
            hour = _HOURS_ONLINE[_weighted(rng, _HOURS_ONLINE_CUM)]
        elif day.weekday() == 6:
            hour = _HOURS_SUNDAY[_weighted(rng, _HOURS_SUNDAY_CUM)]
        else:
            hour = _HOURS_WEEK[_weighted(rng, _HOURS_WEEK_CUM)]
        second = int(rng.random() * 3600)
        return datetime.combine(day, time(hour, second // 60, second % 60), tzinfo=ZONE)

    # stores and sellers -----------------------------------------------------------

    def _make_stores(self, rng: Random) -> None:
        first, last = self.start.toordinal(), self.end.toordinal()
        width = max(2, len(str(self.n_stores)))
        code_width = max(3, len(str(self.n_stores * self.per_store)))
        stores: list[Store] = []
        sellers: list[Seller] = []
        self.area_codes: list[int] = []
        self.store_sellers: list[list[int]] = []
        self.hired: list[int] = []
        self.left: list[int] = []
        weights: list[float] = []
        for i in range(self.n_stores):
            city, state, ddd, place = _SITES[i % len(_SITES)]
            suffix = f" {i // len(_SITES) + 1}" if i >= len(_SITES) else ""
            store_id = f"L{i + 1:0{width}d}"
            stores.append(
                Store(
                    store_id=store_id,
                    name=f"{_BRAND} {city} {place}{suffix}",
                    city=city,
                    state=state,
                )
            )
            self.area_codes.append(ddd)
            weights.append(1.5 if i == 0 else 0.7 + 0.6 * rng.random())
            members: list[int] = []
            for k in range(self.per_store):
                index = len(sellers)
                hired, left = first - 1 - int(rng.random() * 1500), _NEVER
                inactive = k > 0 and rng.random() < _INACTIVE_SHARE
                if inactive:
                    left = first + 90 + int(rng.random() * max(1, last - first - 120))
                elif k > 0 and rng.random() < _LATE_HIRE_SHARE:
                    hired = first + int(rng.random() * max(1, last - first - 90))
                status = SellerStatus.INACTIVE if inactive else SellerStatus.ACTIVE
                sellers.append(
                    Seller(
                        code=f"V{index + 1:0{code_width}d}",
                        name=f"{_pick(rng, _FEMALE + _MALE)} {_pick(rng, _SURNAMES)}",
                        store_id=store_id,
                        status=status,
                    )
                )
                self.hired.append(hired)
                self.left.append(left)
                members.append(index)
            self.store_sellers.append(members)
        if self.per_store > 1 and all(s.is_active for s in sellers):
            # a brand always has someone who left, whose customers need a new seller
            index = len(sellers) - 1
            sellers[index] = attrs.evolve(sellers[index], status=SellerStatus.INACTIVE)
            self.hired[index] = min(self.hired[index], first - 1)
            self.left[index] = first + (last - first) * 2 // 3
        self.stores = tuple(stores)
        self.sellers = tuple(sellers)
        self.store_cum = list(accumulate(weights))

    # customers ----------------------------------------------------------------------

    def _make_customers(self, rng: Random) -> None:
        first, last = self.start.toordinal(), self.end.toordinal()
        n = self.n_customers
        registered: list[tuple[datetime, int]] = []
        for j in range(n):
            if j == 0 or rng.random() < _PRE_START_SHARE:
                day = date.fromordinal(first - 1 - int(rng.random() * 1095))
            else:
                day = date.fromordinal(first + _weighted(rng, self.day_cum))
            registered.append((self._moment(rng, day), j))
        registered.sort()
        width = max(6, len(str(n)))
        used = _Used()
        people: list[_Person] = []
        weights: list[float] = []
        records: list[Customer] = []
        for j, (when, _) in enumerate(registered):
            reg_day = when.date().toordinal()
            home = _weighted(rng, self.store_cum)
            members = self.store_sellers[home]
            count = min(len(members), 1 + _weighted(rng, _FAVOURITES_CUM))
            favourites: list[int] = []
            while len(favourites) < count:
                seller = _pick(rng, members)
                if seller not in favourites:
                    favourites.append(seller)
            # Pareto(1.6) activity capped at 12: a few customers buy much more often
            weight = min(12.0, (1.0 - rng.random()) ** (-1 / 1.6))
            churn = _NEVER
            if rng.random() < _CHURN_SHARE:
                churn = max(reg_day, first) + 30 + int(rng.random() * max(1, last - first))
            people.append(
                _Person(reg_day=reg_day, churn_day=churn, home=home, favourites=tuple(favourites))
            )
            weights.append(weight)
            records.append(
                self._customer(
                    rng,
                    customer_id=f"C{j + 1:0{width}d}",
                    registered_at=when,
                    home=home,
                    weight=weight,
                    used=used,
                )
            )
        self.customers = tuple(records)
        self.people = people
        self.reg_days = [p.reg_day for p in people]
        self.customer_cum = list(accumulate(weights))

    def _customer(
        self,
        rng: Random,
        *,
        customer_id: str,
        registered_at: datetime,
        home: int,
        weight: float,
        used: _Used,
    ) -> Customer:
        sex = (Sex.FEMALE, Sex.MALE, Sex.OTHER, None)[_weighted(rng, _SEX_CUM)]
        name = _name(rng, sex)
        cpf = _cpf(rng, used.cpfs) if rng.random() < 0.95 else None
        rg = _rg(rng) if rng.random() < 0.35 else None
        birth = _birth_date(rng, registered_at.date()) if rng.random() < 0.88 else None
        email = _email(rng, name, used.emails) if rng.random() < 0.78 else None
        mobile = None
        if rng.random() < 0.9:
            ddd = self.area_codes[home] if rng.random() < 0.9 else _pick(rng, _SITES)[2]
            mobile = _mobile(rng, ddd, used.mobiles)
        marital = _MARITAL[_weighted(rng, _MARITAL_CUM)] if rng.random() < 0.55 else None
        loyalty = _loyalty(rng, weight) if rng.random() < 0.45 else None
        return Customer(
            customer_id=customer_id,
            name=name,
            registered_at=registered_at,
            cpf=cpf,
            rg=rg,
            birth_date=birth,
            email=email,
            mobile=mobile,
            sex=sex,
            marital_status=marital,
            home_store_id=self.stores[home].store_id,
            loyalty=loyalty,
        )

    # orders -------------------------------------------------------------------------

    def _daily_counts(self) -> list[int]:
        """Split ``n_orders`` over the days in proportion to their weights, exactly."""
        total = self.day_cum[-1]
        shares = [
            self.n_orders * (w - prev) / total
            for prev, w in zip([0.0, *self.day_cum[:-1]], self.day_cum, strict=True)
        ]
        counts = [int(s) for s in shares]
        missing = self.n_orders - sum(counts)
        by_remainder = sorted(range(len(shares)), key=lambda i: (counts[i] - shares[i], i))
        for i in by_remainder[:missing]:
            counts[i] += 1
        return counts

    def _seller(self, rng: Random, person: _Person, store: int, day: int) -> int:
        employed = [s for s in self.store_sellers[store] if self.hired[s] <= day <= self.left[s]]
        if store == person.home:
            mine = [
                (s, w)
                for s, w in zip(person.favourites, _FAVOURITE_WEIGHTS, strict=False)
                if self.hired[s] <= day <= self.left[s]
            ]
            if mine and rng.random() < _FAVOURITE_SHARE:
                cum = list(accumulate(w for _, w in mine))
                return mine[_weighted(rng, cum)][0]
        return _pick(rng, employed)

    def iter_orders(self) -> Iterator[Order]:
        rng = _random(self.orders_seed)
        first = self.start.toordinal()
        counts = self._daily_counts() if self.n_orders else []
        width = max(8, len(str(self.n_orders)))
        number = 0
        for offset, count in enumerate(counts):
            if not count:
                continue
            day_number = first + offset
            day = date.fromordinal(day_number)
            eligible = max(1, bisect_left(self.reg_days, day_number))
            drafts = []
            for _ in range(count):
                online = rng.random()
                channel = (
                    Channel.ONLINE
                    if online < _ONLINE_SHARE
                    else Channel.TELESALES
                    if online < _ONLINE_SHARE + _TELESALES_SHARE
                    else Channel.STORE
                )
                drafts.append((self._moment(rng, day, online=channel is Channel.ONLINE), channel))
            drafts.sort(key=lambda draft: draft[0])
            for placed_at, channel in drafts:
                number += 1
                customer = _weighted(rng, self.customer_cum, eligible)
                for _ in range(8):
                    if self.people[customer].churn_day >= day_number:
                        break
                    customer = _weighted(rng, self.customer_cum, eligible)
                person = self.people[customer]
                store = person.home
                if channel is Channel.STORE and rng.random() >= _HOME_STORE_SHARE:
                    store = _weighted(rng, self.store_cum)
                seller: int | None = self._seller(rng, person, store, day_number)
                if channel is Channel.ONLINE and rng.random() >= _ONLINE_WITH_SELLER:
                    seller = None
                cancelled = rng.random() < _CANCELLED_SHARE
                cents = sum(
                    _PRICES_CENTS[_weighted(rng, _PRICE_CUM)]
                    for _ in range(1 + _weighted(rng, _ITEMS_CUM))
                )
                if rng.random() < 0.12:
                    cents = (cents * 9 + 5) // 10  # 10% off, rounded half up
                yield Order(
                    order_id=f"P{number:0{width}d}",
                    customer_id=self.customers[customer].customer_id,
                    store_id=self.stores[store].store_id,
                    placed_at=placed_at,
                    total=Decimal(cents).scaleb(-2),
                    seller_code=None if seller is None else self.sellers[seller].code,
                    status=OrderStatus.CANCELLED if cancelled else OrderStatus.COMPLETED,
                    channel=channel,
                )
