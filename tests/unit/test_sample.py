"""The sample brand: reproducible, realistic in the documented proportions, bundled as files."""

from __future__ import annotations

import collections
import inspect
from datetime import date, time, timedelta
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Any

import phonenumbers
import pytest
from stdnum.br import cpf as stdnum_cpf

from _support.builders import SP
from otocore.contacts import Contact
from otocore.customers import Customer
from otocore.errors import ValidationError
from otocore.orders import Channel, Order, OrderStatus
from otocore.sample import (
    BUNDLED_SEED,
    COLUMNS,
    CONTACTS_FILE,
    CONTACTS_FIRST_DAY,
    CONTACTS_LAST_DAY,
    SampleBrand,
    generate_brand,
    iter_orders,
    load_bundled_brand,
    read_brand,
    sample_contacts,
    write_brand,
    write_contacts,
)
from otocore.sellers import Seller, SellerStatus, Store

BUNDLED_DIR = Path(__file__).resolve().parents[2] / "src" / "otocore" / "data" / "sample"
SMALL: dict[str, Any] = {
    "stores": 2,
    "sellers_per_store": 3,
    "customers": 60,
    "orders": 400,
    "start": date(2025, 1, 1),
    "end": date(2025, 12, 31),
}
MID: dict[str, Any] = {
    "seed": 11,
    "stores": 8,
    "sellers_per_store": 6,
    "customers": 2000,
    "orders": 20000,
    "start": date(2023, 1, 1),
    "end": date(2025, 12, 31),
}


@pytest.fixture(scope="module")
def bundled() -> SampleBrand:
    return load_bundled_brand()


@pytest.fixture(scope="module")
def mid() -> SampleBrand:
    return generate_brand(**MID)


# Reproducibility ----------------------------------------------------------------


def test_same_seed_same_brand() -> None:
    assert generate_brand(seed=3, **SMALL) == generate_brand(seed=3, **SMALL)


def test_different_seed_different_brand() -> None:
    one, two = generate_brand(seed=3, **SMALL), generate_brand(seed=4, **SMALL)
    assert [c.cpf for c in one.customers] != [c.cpf for c in two.customers]
    assert [c.name for c in one.customers] != [c.name for c in two.customers]
    assert [(o.customer_id, o.total) for o in one.orders] != [
        (o.customer_id, o.total) for o in two.orders
    ]


def test_people_do_not_depend_on_the_number_of_orders() -> None:
    without = generate_brand(seed=3, **{**SMALL, "orders": 0})
    full = generate_brand(seed=3, **SMALL)
    assert without.orders == ()
    assert (without.stores, without.sellers, without.customers) == (
        full.stores,
        full.sellers,
        full.customers,
    )


def test_iter_orders_streams_exactly_the_generated_orders() -> None:
    stream = iter_orders(seed=3, **SMALL)
    assert inspect.isgenerator(stream)
    assert tuple(stream) == generate_brand(seed=3, **SMALL).orders


def test_iter_orders_is_lazy_for_millions() -> None:
    stream = iter_orders(seed=5, stores=2, sellers_per_store=2, customers=50, orders=5_000_000)
    first = list(islice(stream, 5))
    assert [o.order_id for o in first] == [f"P{n:08d}" for n in range(1, 6)]


def test_exact_sizes_and_id_formats(mid: SampleBrand) -> None:
    assert len(mid.stores) == 8
    assert len(mid.sellers) == 48
    assert len(mid.customers) == 2000
    assert len(mid.orders) == 20000
    assert [s.store_id for s in mid.stores] == [f"L{i:02d}" for i in range(1, 9)]
    assert mid.sellers[-1].code == "V048"
    assert mid.customers[-1].customer_id == "C002000"
    assert mid.orders[-1].order_id == "P00020000"


def test_many_stores_get_distinct_names() -> None:
    brand = generate_brand(seed=1, stores=45, sellers_per_store=1, customers=1, orders=0)
    assert len({s.name for s in brand.stores}) == 45
    assert brand.stores[20].name.endswith(" 2")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"seed": "1"}, "generate_brand.seed"),
        ({"seed": True}, "generate_brand.seed"),
        ({"stores": 0}, "generate_brand.stores"),
        ({"sellers_per_store": 0}, "generate_brand.sellers_per_store"),
        ({"customers": -1}, "generate_brand.customers"),
        ({"customers": 0}, "generate_brand.customers"),  # orders need a buyer
        ({"orders": 1.5}, "generate_brand.orders"),
        ({"end": date(2024, 12, 31)}, "generate_brand.end"),
        ({"start": "2025-01-01"}, "generate_brand.start"),
    ],
)
def test_bad_arguments_name_the_argument(changes: dict[str, Any], field: str) -> None:
    arguments = {"seed": 1, **SMALL, **changes}
    with pytest.raises(ValidationError) as info:
        generate_brand(**arguments)
    assert info.value.field == field
    with pytest.raises(ValidationError) as streamed:
        iter_orders(**arguments)
    assert streamed.value.field == field


# The customers --------------------------------------------------------------------


def test_cpfs_are_valid_and_unique(bundled: SampleBrand, mid: SampleBrand) -> None:
    for brand in (bundled, mid):
        cpfs = [c.cpf.digits for c in brand.customers if c.cpf is not None]
        assert len(cpfs) == len(set(cpfs))
        assert all(stdnum_cpf.is_valid(d) and len(set(d)) > 1 for d in cpfs)
        assert 0.92 <= len(cpfs) / len(brand.customers) <= 0.98


def test_contacts_are_unique_valid_and_reserved(bundled: SampleBrand) -> None:
    emails = [c.email.address for c in bundled.customers if c.email is not None]
    mobiles = [c.mobile.e164 for c in bundled.customers if c.mobile is not None]
    assert len(emails) == len(set(emails))
    assert len(mobiles) == len(set(mobiles))
    assert {e.rsplit("@", 1)[1] for e in emails} == {"example.com", "example.net", "example.org"}
    for e164 in mobiles:
        number = phonenumbers.parse(e164, None)
        assert number.country_code == 55
        assert phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE


def test_customer_records_look_brazilian_and_are_incomplete_as_real_ones(
    bundled: SampleBrand,
) -> None:
    customers = bundled.customers
    assert sum(c.name.isupper() for c in customers) > 100  # legacy records in capitals
    assert all(c.first_name[0].isupper() and not c.first_name.isupper() for c in customers)
    assert any(" da Silva" in c.name or " dos Santos" in c.name for c in customers)
    for c in customers:
        if c.birth_date is not None:
            age = c.age_on(c.registered_at.astimezone(SP).date())
            assert age is not None
            assert 18 <= age <= 81
    share = collections.Counter(
        field
        for c in customers
        for field in ("email", "mobile", "birth_date", "marital_status", "loyalty", "rg")
        if getattr(c, field) is None
    )
    assert 0.15 <= share["email"] / len(customers) <= 0.3
    assert 0.05 <= share["mobile"] / len(customers) <= 0.15
    assert 0.5 <= share["loyalty"] / len(customers) <= 0.6
    categories = collections.Counter(c.loyalty.category for c in customers if c.loyalty)
    assert set(categories) == {"Bronze", "Prata", "Ouro", "Diamante", None}


def test_customers_are_numbered_in_registration_order(bundled: SampleBrand) -> None:
    times = [c.registered_at for c in bundled.customers]
    assert times == sorted(times)
    assert times[0].date() < date(2022, 11, 1)  # the brand had customers before the period
    homes = {c.home_store_id for c in bundled.customers}
    assert homes == {s.store_id for s in bundled.stores}


# The orders -----------------------------------------------------------------------


def _share(items: list[Order], test: Any) -> float:
    return sum(1 for o in items if test(o)) / len(items)


def test_documented_proportions_on_a_mid_size_brand(mid: SampleBrand) -> None:
    orders = list(mid.orders)
    assert 0.04 <= _share(orders, lambda o: o.status is OrderStatus.CANCELLED) <= 0.06
    assert 0.10 <= _share(orders, lambda o: o.channel is Channel.ONLINE) <= 0.14
    assert 0.02 <= _share(orders, lambda o: o.channel is Channel.TELESALES) <= 0.04
    online = [o for o in orders if o.channel is Channel.ONLINE]
    assert 0.45 <= _share(online, lambda o: o.seller_code is not None) <= 0.55
    offline = [o for o in orders if o.channel is not Channel.ONLINE]
    assert all(o.seller_code is not None for o in offline)


def test_customers_come_back_mostly_to_their_sellers(mid: SampleBrand) -> None:
    home = {c.customer_id: c.home_store_id for c in mid.customers}
    store_orders = [o for o in mid.orders if o.channel is Channel.STORE]
    assert 0.87 <= _share(store_orders, lambda o: o.store_id == home[o.customer_id]) <= 0.95
    per_customer = collections.Counter(o.customer_id for o in mid.orders)
    repeat = sum(1 for n in per_customer.values() if n >= 2) / len(per_customer)
    assert repeat >= 0.75
    assert len(per_customer) < len(mid.customers)  # some registered customers never bought
    sellers: dict[str, set[str | None]] = collections.defaultdict(set)
    for o in store_orders:
        if o.store_id == home[o.customer_id]:
            sellers[o.customer_id].add(o.seller_code)
    few = sum(1 for s in sellers.values() if len(s) <= 3) / len(sellers)
    assert few >= 0.8


def test_sellers_sell_in_their_own_store_and_inactive_ones_stopped(mid: SampleBrand) -> None:
    store_of = {s.code: s.store_id for s in mid.sellers}
    assert all(store_of[o.seller_code] == o.store_id for o in mid.orders if o.seller_code)
    last_sale: dict[str, date] = {}
    for o in mid.orders:
        if o.seller_code:
            last_sale[o.seller_code] = o.placed_at.astimezone(SP).date()
    inactive = [s for s in mid.sellers if s.status is SellerStatus.INACTIVE]
    assert 1 <= len(inactive) <= len(mid.sellers) // 3
    for seller in inactive:
        assert last_sale.get(seller.code, date.min) <= MID["end"] - timedelta(days=25)
    for seller in mid.sellers:
        if seller.is_active:
            assert last_sale[seller.code] >= MID["end"] - timedelta(days=60)


def test_orders_are_chronological_well_formed_and_after_registration(mid: SampleBrand) -> None:
    registered = {c.customer_id: c.registered_at for c in mid.customers}
    previous = None
    for n, o in enumerate(mid.orders, start=1):
        assert o.order_id == f"P{n:08d}"
        assert previous is None or previous <= o.placed_at
        previous = o.placed_at
        assert o.placed_at > registered[o.customer_id]
        assert o.total > 0
        assert o.total.as_tuple().exponent == -2
        local = o.placed_at.astimezone(SP)
        assert MID["start"] <= local.date() <= MID["end"]


def test_store_sales_happen_in_store_hours(mid: SampleBrand) -> None:
    for o in mid.orders:
        if o.channel is Channel.ONLINE:
            continue
        local = o.placed_at.astimezone(SP)
        if local.weekday() == 6:
            assert time(14) <= local.time() < time(20), local
        else:
            assert time(10) <= local.time() < time(22), local


def test_totals_are_prices_of_a_fashion_store(mid: SampleBrand) -> None:
    totals = sorted(o.total for o in mid.orders)
    median = totals[len(totals) // 2]
    assert Decimal("100") <= median <= Decimal("250")
    assert totals[0] >= Decimal("35.91")  # 39.90 with 10% off
    assert sum(1 for t in totals if str(t).endswith(".90")) / len(totals) > 0.4


def test_seasonality_christmas_and_mothers_day(bundled: SampleBrand) -> None:
    per_day = collections.Counter(o.placed_at.astimezone(SP).date() for o in bundled.orders)
    for year in (2023, 2024, 2025):
        year_days = [date(year, 1, 1) + timedelta(days=n) for n in range(365)]
        average = sum(per_day[d] for d in year_days) / 365
        christmas = sum(per_day[date(year, 12, d)] for d in range(1, 25)) / 24
        assert christmas > 1.6 * average
        assert per_day[date(year, 12, 25)] == 0
        assert per_day[date(year, 1, 1)] == 0
        may = [date(year, 5, d) for d in range(1, 32)]
        mothers_day = [d for d in may if d.weekday() == 6][1]  # second Sunday of May
        week_before = sum(per_day[mothers_day - timedelta(days=n)] for n in range(1, 8)) / 7
        assert week_before > 1.4 * sum(per_day[d] for d in may) / 31
        february = [d for d in year_days if d.month == 2]
        assert sum(per_day[d] for d in february) / len(february) < average


def test_later_years_sell_more(bundled: SampleBrand) -> None:
    per_year = collections.Counter(o.placed_at.astimezone(SP).year for o in bundled.orders)
    assert per_year[2023] < per_year[2024] < per_year[2025]


# Files ------------------------------------------------------------------------------


@pytest.mark.slow  # generates the bundled brand, 30,000 orders
@pytest.mark.source_tree  # compares with src/otocore/data/sample
def test_bundled_files_are_exactly_what_the_generator_writes(tmp_path: Path) -> None:
    written = write_brand(generate_brand(seed=BUNDLED_SEED), tmp_path)
    assert [p.name for p in written] == list(COLUMNS)
    for path in written:
        assert path.read_bytes() == (BUNDLED_DIR / path.name).read_bytes(), path.name


@pytest.mark.slow  # generates the bundled brand, 30,000 orders
@pytest.mark.slow  # generates the bundled brand, 30,000 orders
@pytest.mark.source_tree  # compares with src/otocore/data/sample
def test_bundled_contacts_are_exactly_what_the_generator_writes(tmp_path: Path) -> None:
    path = write_contacts(sample_contacts(generate_brand(seed=BUNDLED_SEED)), tmp_path)
    assert path.name == CONTACTS_FILE
    assert path.read_bytes() == (BUNDLED_DIR / CONTACTS_FILE).read_bytes()


def test_bundled_brand_is_the_default_brand(bundled: SampleBrand) -> None:
    assert bundled == generate_brand(seed=BUNDLED_SEED)
    assert (len(bundled.stores), len(bundled.sellers)) == (6, 42)
    assert (len(bundled.customers), len(bundled.orders)) == (3000, 30000)
    assert bundled.orders[-1].placed_at.astimezone(SP).date() <= date(2026, 10, 31)


@pytest.mark.source_tree  # reads src/otocore/data/sample
def test_bundled_files_are_compact_and_have_the_documented_columns() -> None:
    for name, columns in COLUMNS.items():
        path = BUNDLED_DIR / name
        assert path.stat().st_size < 3_000_000
        with path.open(encoding="utf-8") as stream:
            assert stream.readline().rstrip("\n") == ",".join(columns)
    orders = (BUNDLED_DIR / "orders.csv").read_text(encoding="utf-8").splitlines()
    assert orders[1].startswith("P00000001,C")
    assert "-03:00," in orders[1]  # local time in America/Sao_Paulo, with its offset


def test_write_then_read_round_trips(tmp_path: Path) -> None:
    brand = generate_brand(seed=9, **SMALL)
    write_brand(brand, tmp_path / "new" / "dir")
    assert read_brand(tmp_path / "new" / "dir") == brand


def test_write_brand_can_stream_orders(tmp_path: Path) -> None:
    people = generate_brand(seed=9, **{**SMALL, "orders": 0})
    write_brand(people, tmp_path, orders=iter_orders(seed=9, **SMALL))
    assert read_brand(tmp_path) == generate_brand(seed=9, **SMALL)


def _broken(tmp_path: Path, name: str, line: int, old: str, new: str) -> Path:
    write_brand(generate_brand(seed=9, **SMALL), tmp_path)
    path = tmp_path / name
    lines = path.read_text(encoding="utf-8").split("\n")
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    return tmp_path


def test_read_brand_names_file_line_and_column(tmp_path: Path) -> None:
    folder = _broken(tmp_path, "orders.csv", 3, ",completed,", ",done,")
    with pytest.raises(ValidationError) as info:
        read_brand(folder)
    assert info.value.field == "orders.csv[3].status"
    assert info.value.value == "done"


def test_read_brand_reports_a_bad_cpf_in_customers(tmp_path: Path) -> None:
    customers = (tmp_path / "customers.csv").parent
    write_brand(generate_brand(seed=9, **SMALL), tmp_path)
    text = (customers / "customers.csv").read_text(encoding="utf-8").split("\n")
    cells = text[1].split(",")
    cells[2] = "11111111111"
    cells[11], cells[12] = "", "Ouro"  # a category without a program
    text[1] = ",".join(cells)
    (customers / "customers.csv").write_text("\n".join(text), encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        read_brand(tmp_path)
    fields = sorted(e.field for e in info.value.errors)
    assert fields == ["customers.csv[2].cpf", "customers.csv[2].loyalty_program"]


@pytest.mark.parametrize(
    ("edit", "field", "rule"),
    [
        (("stores.csv", 1, "store_id,", "id,"), "stores.csv[1]", "must be the header"),
        (("sellers.csv", 2, ",active", ",active,x"), "sellers.csv[2]", "must have 4 cells"),
        (("orders.csv", 2, "-03:00", ""), "orders.csv[2].placed_at", "must be an ISO 8601"),
        (("orders.csv", 2, ",store", ',"store'), "orders.csv[401]", "is not valid CSV"),
        (("orders.csv", 2, ",store", ',"store"x'), "orders.csv[2]", "is not valid CSV"),
    ],
)
def test_read_brand_refuses_malformed_files(
    tmp_path: Path, edit: tuple[str, int, str, str], field: str, rule: str
) -> None:
    folder = _broken(tmp_path, *edit)
    with pytest.raises(ValidationError) as info:
        read_brand(folder)
    assert info.value.field == field
    assert info.value.rule.startswith(rule)


def test_read_brand_missing_file(tmp_path: Path) -> None:
    write_brand(generate_brand(seed=9, **SMALL), tmp_path)
    (tmp_path / "sellers.csv").unlink()
    with pytest.raises(ValidationError, match=r"sellers\.csv cannot be read"):
        read_brand(tmp_path)


def test_read_brand_checks_references(tmp_path: Path) -> None:
    folder = _broken(tmp_path, "orders.csv", 2, ",C", ",X")
    with pytest.raises(ValidationError) as info:
        read_brand(folder)
    assert info.value.field == "SampleBrand.orders[0].customer_id"
    assert info.value.rule == "must name a customer of the brand"


# SampleBrand ------------------------------------------------------------------------


def test_sample_brand_checks_ids_and_references() -> None:
    from datetime import UTC, datetime

    store = Store(store_id="L01", name="Brisa Centro")
    seller = Seller(code="V001", name="Ana Lima", store_id="L01")
    customer = Customer(
        customer_id="C1", name="Bia", registered_at=datetime(2025, 1, 1, tzinfo=UTC)
    )
    order = Order(
        order_id="P1",
        customer_id="C1",
        store_id="L01",
        placed_at=datetime(2025, 2, 1, 15, tzinfo=UTC),
        total=Decimal("10.00"),
        seller_code="V002",
    )
    with pytest.raises(ValidationError) as info:
        SampleBrand(
            stores=(store, store), sellers=(seller,), customers=(customer,), orders=(order,)
        )
    assert [(e.field, e.rule) for e in info.value.errors] == [
        ("SampleBrand.stores[1].store_id", "is a duplicate"),
        ("SampleBrand.orders[0].seller_code", "must name a seller of the brand"),
    ]
    with pytest.raises(ValidationError, match=r"SampleBrand\.orders must be a tuple"):
        SampleBrand(stores=(store,), sellers=(), customers=(), orders=[order])  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"SampleBrand\.stores\[0\] must be a Store"):
        SampleBrand(stores=(seller,), sellers=(), customers=(), orders=())  # type: ignore[arg-type]


# The contact log ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def contact_log(bundled: SampleBrand) -> tuple[Contact, ...]:
    return sample_contacts(bundled)


def test_the_contact_log_is_september_by_sellers_of_the_customers_store(
    bundled: SampleBrand, contact_log: tuple[Contact, ...]
) -> None:
    assert (date(2026, 9, 1), date(2026, 9, 30)) == (CONTACTS_FIRST_DAY, CONTACTS_LAST_DAY)
    assert 300 <= len(contact_log) <= 320
    assert [c.contact_id for c in contact_log] == [
        f"A{n:06d}" for n in range(1, len(contact_log) + 1)
    ]
    assert [c.started_at for c in contact_log] == sorted(c.started_at for c in contact_log)
    store_of = {s.code: s.store_id for s in bundled.sellers}
    customers = {c.customer_id: c for c in bundled.customers}
    for contact in contact_log:
        local = contact.started_at.astimezone(SP)
        assert CONTACTS_FIRST_DAY <= local.date() <= CONTACTS_LAST_DAY
        assert time(10) <= local.time() < time(21)
        assert store_of[contact.seller_code] == customers[contact.customer_id].home_store_id
        assert contact.started_at >= customers[contact.customer_id].registered_at
        # nothing that reaches past the month: no campaign quarantine, follow-up or opt-out
        assert (contact.campaign_id, contact.follow_up, contact.consent_change) == (
            None,
            None,
            None,
        )
    outcomes = collections.Counter(c.outcome.value for c in contact_log)
    assert outcomes["finished"] > outcomes["dismissed"] > 0  # some finished, some not


def test_the_contact_log_sells_some_and_not_others(
    bundled: SampleBrand, contact_log: tuple[Contact, ...]
) -> None:
    """Attribution (7 days, last contact) finds sales: some contacts sold, some did not."""
    from otocore.attribution import attribute

    found = attribute(bundled.orders, contact_log)
    earned = {a.contact_id for a in found.attributed}
    assert 0.25 <= len(earned) / len(contact_log) <= 0.4  # a realistic share
    assert len({c.contact_id for c in found.cancelled}) >= 2  # a couple by a cancelled order
    sold = {a.order_id for a in found.attributed}
    assert all(
        CONTACTS_FIRST_DAY <= o.placed_at.astimezone(SP).date() <= CONTACTS_LAST_DAY
        for o in bundled.orders
        if o.order_id in sold
    )
    by_customer = collections.defaultdict(list)
    for order in bundled.orders:
        by_customer[order.customer_id].append(order.placed_at)
    followed_by_nothing = [
        c
        for c in contact_log
        if not any(
            c.started_at < at <= c.started_at + timedelta(days=7)
            for at in by_customer[c.customer_id]
        )
    ]
    assert len(followed_by_nothing) >= len(contact_log) // 2


def test_contacts_come_from_their_own_stream_and_repeat() -> None:
    brand = generate_brand(seed=3, **{**SMALL, "customers": 200, "orders": 3000})
    september = {"first_day": date(2025, 9, 1), "last_day": date(2025, 9, 30)}
    log = sample_contacts(brand, seed=3, contacts=40, **september)
    assert log == sample_contacts(brand, seed=3, contacts=40, **september)
    assert log != sample_contacts(brand, seed=4, contacts=40, **september)
    assert generate_brand(seed=3, **{**SMALL, "customers": 200, "orders": 3000}) == brand
    assert sample_contacts(brand, seed=3, contacts=0, **september) == ()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"seed": "1"}, "sample_contacts.seed"),
        ({"contacts": -1}, "sample_contacts.contacts"),
        ({"first_day": "2025-09-01"}, "sample_contacts.first_day"),
        ({"last_day": date(2025, 8, 31)}, "sample_contacts.last_day"),
    ],
)
def test_sample_contacts_names_a_bad_argument(changes: dict[str, Any], field: str) -> None:
    brand = generate_brand(seed=1, **SMALL)
    arguments: dict[str, Any] = {"first_day": date(2025, 9, 1), **changes}
    with pytest.raises(ValidationError) as info:
        sample_contacts(brand, **arguments)
    assert info.value.field == field
