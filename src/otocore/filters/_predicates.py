"""The predicates of the filter language: RFV, the customer record, purchases, consent. Private.

Each predicate is a frozen :class:`~otocore.filters.Filter` node whose
parameters carry their checks and JSON codecs (:mod:`otocore.filters._fields`);
docs/filters.md states every one with an example.
"""

from __future__ import annotations

import enum
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, ClassVar

import attrs

from otocore._validate import list_to_tuple
from otocore.consent import ContactChannel
from otocore.customers import MaritalStatus, Sex
from otocore.errors import ValidationError
from otocore.filters._facts import CustomerFacts
from otocore.filters._fields import (
    check_bound,
    check_date_bound,
    check_int,
    check_member,
    check_money_bound,
    check_month,
    check_segment_key,
    check_set,
    check_text,
    dump_date,
    dump_enum,
    dump_list,
    dump_month,
    dump_same,
    dump_str,
    load_date,
    load_decimal,
    load_enum,
    load_list,
    load_month,
    load_same,
    load_str,
    meta,
    sorted_set,
    validator,
)
from otocore.filters._tree import Filter
from otocore.frequency import (
    DEFAULT_FORTNIGHTLY_DAYS,
    DEFAULT_MONTHLY_DAYS,
    DEFAULT_WEEKLY_DAYS,
    DEFAULT_WINDOW_DAYS,
    FrequencyClass,
    check_thresholds,
    frequency_class,
)
from otocore.rfv import MAX_BINS

# ranges -----------------------------------------------------------------------------


def _check_range(node: Any) -> None:
    name = type(node).__name__
    lo, hi = node.min, node.max
    if lo is None and hi is None:
        raise ValidationError(name, None, "needs min, max or both")
    if lo is not None and hi is not None and lo > hi:
        raise ValidationError(f"{name}.min", lo, f"must be <= max ({hi})")


@attrs.frozen(kw_only=True)
class _IntRange(Filter):
    """An inclusive range ``min <= x <= max`` of an integer; either bound may be left out."""

    _lowest: ClassVar[int] = 0
    _highest: ClassVar[int | None] = None

    min: int | None = attrs.field(
        default=None,
        validator=validator(check_bound),
        metadata=meta(check_bound, load_same, dump_same),
    )
    max: int | None = attrs.field(
        default=None,
        validator=validator(check_bound),
        metadata=meta(check_bound, load_same, dump_same),
    )

    def __attrs_post_init__(self) -> None:
        _check_range(self)

    def _test(self, facts: CustomerFacts, on: date) -> bool:
        x = self._value(facts, on)
        if x is None:
            return False
        lo, hi = self.min, self.max
        return (lo is None or x >= lo) and (hi is None or x <= hi)

    def _value(self, facts: CustomerFacts, on: date) -> int | None:  # pragma: no cover
        raise NotImplementedError


@attrs.frozen(kw_only=True)
class RScoreBetween(_IntRange):
    """R score (recency, 1..bins, higher is more recent) in ``min..max``.

    JSON: ``{"r_score_between": {"min": 4, "max": 5}}``. Bounds are 1..10;
    a customer without an RFV score does not match.

    >>> from otocore.filters import filter_to_data
    >>> filter_to_data(RScoreBetween(min=4))
    {'r_score_between': {'min': 4}}
    >>> RScoreBetween(min=0)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: RScoreBetween.min must be >= 1, got 0
    """

    _tag: ClassVar[str] = "r_score_between"
    _lowest: ClassVar[int] = 1
    _highest: ClassVar[int | None] = MAX_BINS

    def _value(self, facts: CustomerFacts, on: date) -> int | None:
        rfv = facts.rfv
        return None if rfv is None else rfv.r


@attrs.frozen(kw_only=True)
class FScoreBetween(_IntRange):
    """F score (frequency, 1..bins) in ``min..max``.

    JSON: ``{"f_score_between": {"min": 1, "max": 2}}``.

    >>> from otocore.filters import filter_to_data
    >>> filter_to_data(FScoreBetween(min=1, max=2))
    {'f_score_between': {'min': 1, 'max': 2}}
    """

    _tag: ClassVar[str] = "f_score_between"
    _lowest: ClassVar[int] = 1
    _highest: ClassVar[int | None] = MAX_BINS

    def _value(self, facts: CustomerFacts, on: date) -> int | None:
        rfv = facts.rfv
        return None if rfv is None else rfv.f


@attrs.frozen(kw_only=True)
class VScoreBetween(_IntRange):
    """V score (value, 1..bins) in ``min..max``.

    JSON: ``{"v_score_between": {"min": 5}}``.

    >>> VScoreBetween(min=5, max=4)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: VScoreBetween.min must be <= max (4), got 5
    """

    _tag: ClassVar[str] = "v_score_between"
    _lowest: ClassVar[int] = 1
    _highest: ClassVar[int | None] = MAX_BINS

    def _value(self, facts: CustomerFacts, on: date) -> int | None:
        rfv = facts.rfv
        return None if rfv is None else rfv.v


@attrs.frozen(kw_only=True)
class RecencyBetween(_IntRange):
    """RFV recency (days since the last purchase, from the RFV score) in ``min..max``.

    JSON: ``{"recency_between": {"min": 90, "max": 180}}``. Reads
    ``facts.rfv.recency_days``; without a score it does not match (use
    :class:`DaysSinceLastPurchase` to read the orders instead).

    >>> from otocore.filters import filter_to_data
    >>> filter_to_data(RecencyBetween(min=90, max=180))
    {'recency_between': {'min': 90, 'max': 180}}
    """

    _tag: ClassVar[str] = "recency_between"

    def _value(self, facts: CustomerFacts, on: date) -> int | None:
        rfv = facts.rfv
        return None if rfv is None else rfv.recency_days


@attrs.frozen(kw_only=True)
class FrequencyBetween(_IntRange):
    """RFV frequency (purchases in the RFV window) in ``min..max``.

    JSON: ``{"frequency_between": {"min": 3}}``.

    >>> FrequencyBetween()
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: FrequencyBetween needs min, max or both, got None
    """

    _tag: ClassVar[str] = "frequency_between"

    def _value(self, facts: CustomerFacts, on: date) -> int | None:
        rfv = facts.rfv
        return None if rfv is None else rfv.frequency


@attrs.frozen(kw_only=True)
class AgeBetween(_IntRange):
    """Faixa etária (age range): completed years on ``on`` in ``min..max``.

    JSON: ``{"age_between": {"min": 18, "max": 30}}``. Bounds are 0..150.
    The age is :meth:`Customer.age_on <otocore.customers.Customer.age_on>`:
    someone turns a year older on their birthday, and one born on 29
    February on 1 March in common years. Without a birth date, or with a
    birth date after ``on``, it does not match.

    >>> from otocore.customers import Customer
    >>> from datetime import UTC, date, datetime
    >>> c = Customer(
    ...     customer_id="C1",
    ...     name="Ana",
    ...     registered_at=datetime(2026, 1, 1, tzinfo=UTC),
    ...     birth_date=date(1996, 5, 10),
    ... )
    >>> for d in (date(2026, 5, 9), date(2026, 5, 10)):  # 29, then 30 years old
    ...     print(d, AgeBetween(min=18, max=29).matches(CustomerFacts.build(c, [], d), d))
    2026-05-09 True
    2026-05-10 False
    """

    _tag: ClassVar[str] = "age_between"
    _highest: ClassVar[int | None] = 150

    def _value(self, facts: CustomerFacts, on: date) -> int | None:
        born = facts.customer.birth_date
        if born is None or born > on:
            return None
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


@attrs.frozen(kw_only=True)
class DaysSinceLastPurchase(_IntRange):
    """Days since the last purchase (``on`` minus its local day) in ``min..max``.

    JSON: ``{"days_since_last_purchase": {"min": 30, "max": 30}}``, the
    post-sale follow-up "exactly 30 days after the purchase"
    (:meth:`exactly` builds it). Without purchases it does not match.

    >>> DaysSinceLastPurchase.exactly(30)
    DaysSinceLastPurchase(min=30, max=30)
    """

    _tag: ClassVar[str] = "days_since_last_purchase"

    @classmethod
    def exactly(cls, days: int) -> DaysSinceLastPurchase:
        """The filter for exactly ``days`` days since the last purchase.

        >>> from otocore.filters import filter_to_data
        >>> filter_to_data(DaysSinceLastPurchase.exactly(7))
        {'days_since_last_purchase': {'min': 7, 'max': 7}}
        """
        return cls(min=days, max=days)

    def _value(self, facts: CustomerFacts, on: date) -> int | None:
        last = facts.last_purchase
        return None if last is None else (on - last).days


@attrs.frozen(kw_only=True)
class StoreVisitsBetween(_IntRange):
    """Visits in a window: the number of visits (store days) in ``min..max``.

    JSON: ``{"store_visits_between": {"min": 4, "days": 28}}``. A visit is a
    local day with at least one purchase of channel STORE (the registry's
    "dias de loja"); with ``days`` (1..36600) only the visits of the ``days``
    local days ending on ``on`` count (``on - days < d <= on``), without it
    every visit up to ``on``. It counts visits; Reshop's *Frequência de
    clientes* ("semanal, quinzenal ou mensal") is :class:`PurchaseFrequencyIn`,
    the dashboard's class. A customer without a visit has 0 (``max`` alone
    matches them).

    >>> from otocore.customers import Customer
    >>> from otocore.orders import Order
    >>> from datetime import UTC, date, datetime
    >>> from decimal import Decimal
    >>> c = Customer(customer_id="C1", name="Ana", registered_at=datetime(2026, 1, 1, tzinfo=UTC))
    >>> sales = [
    ...     Order(
    ...         order_id=f"P{n}",
    ...         customer_id="C1",
    ...         store_id="L01",
    ...         total=Decimal("10.00"),
    ...         placed_at=datetime(2026, 5, d, 15, tzinfo=UTC),
    ...         seller_code=None,
    ...     )
    ...     for n, d in enumerate((1, 1, 8, 9))
    ... ]
    >>> day = date(2026, 5, 10)
    >>> facts = CustomerFacts.build(c, sales, day)
    >>> (
    ...     StoreVisitsBetween(min=3).matches(facts, day),
    ...     StoreVisitsBetween(min=3, days=7).matches(facts, day),
    ... )
    (True, False)
    """

    _tag: ClassVar[str] = "store_visits_between"

    days: int | None = attrs.field(
        default=None,
        validator=validator(check_int(1, 36600, optional=True)),
        metadata=meta(check_int(1, 36600, optional=True), load_same, dump_same),
    )

    def _value(self, facts: CustomerFacts, on: date) -> int | None:
        visited = facts.store_days
        days = self.days
        if days is None:
            return len(visited)
        return sum(1 for d in visited if (on - d).days < days)


def _check_classes(field: str, value: Any, cls: type) -> None:
    check_set(check_member(FrequencyClass))(field, value, cls)


_OPTIONAL_DAYS = check_int(1, 3650, optional=True)
_OPTIONAL_WINDOW = check_int(1, 36500, optional=True)


@attrs.frozen(kw_only=True)
class PurchaseFrequencyIn(Filter):
    """Frequência de clientes: the purchase frequency class is one of ``classes``.

    JSON: ``{"purchase_frequency_in": {"classes": ["weekly", "fortnightly"]}}``. The
    class is the customer dashboard's (:mod:`otocore.frequency`): the mean interval
    between the local days with a purchase (any channel) in the ``window_days`` local
    days ending on ``on`` (default 365), classed by ``weekly_days``,
    ``fortnightly_days`` and ``monthly_days`` (default 7, 15 and 31; each above the
    last). A customer with one purchase day or none in the window has no class and
    never matches. Leave a parameter out for the default; give the brand's
    ``InsightsPolicy`` values so that the filter finds exactly whom the dashboard
    shows in the class.

    >>> from otocore.customers import Customer
    >>> from otocore.orders import Order
    >>> from datetime import UTC, date, datetime
    >>> from decimal import Decimal
    >>> c = Customer(customer_id="C1", name="Ana", registered_at=datetime(2026, 1, 1, tzinfo=UTC))
    >>> sales = [
    ...     Order(
    ...         order_id=f"P{d}",
    ...         customer_id="C1",
    ...         store_id="L01",
    ...         total=Decimal("10.00"),
    ...         placed_at=datetime(2026, 5, d, 15, tzinfo=UTC),
    ...         seller_code=None,
    ...     )
    ...     for d in (1, 8, 15)
    ... ]
    >>> day = date(2026, 5, 20)
    >>> facts = CustomerFacts.build(c, sales, day)
    >>> weekly = PurchaseFrequencyIn(classes=[FrequencyClass.WEEKLY])
    >>> recent = PurchaseFrequencyIn(classes=[FrequencyClass.WEEKLY], window_days=10)
    >>> weekly.matches(facts, day), recent.matches(facts, day)  # the 10 days hold only the 15th
    (True, False)
    >>> PurchaseFrequencyIn(classes=[FrequencyClass.WEEKLY], weekly_days=20)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: PurchaseFrequencyIn.fortnightly_days must be > weekly_days 20, got 15
    """

    _tag: ClassVar[str] = "purchase_frequency_in"

    classes: tuple[FrequencyClass, ...] = attrs.field(
        converter=sorted_set,
        validator=validator(_check_classes),
        metadata=meta(_check_classes, load_list(load_enum(FrequencyClass)), dump_list(dump_enum)),
    )
    window_days: int | None = attrs.field(
        default=None,
        validator=validator(_OPTIONAL_WINDOW),
        metadata=meta(_OPTIONAL_WINDOW, load_same, dump_same),
    )
    weekly_days: int | None = attrs.field(
        default=None,
        validator=validator(_OPTIONAL_DAYS),
        metadata=meta(_OPTIONAL_DAYS, load_same, dump_same),
    )
    fortnightly_days: int | None = attrs.field(
        default=None,
        validator=validator(_OPTIONAL_DAYS),
        metadata=meta(_OPTIONAL_DAYS, load_same, dump_same),
    )
    monthly_days: int | None = attrs.field(
        default=None,
        validator=validator(_OPTIONAL_DAYS),
        metadata=meta(_OPTIONAL_DAYS, load_same, dump_same),
    )

    def __attrs_post_init__(self) -> None:
        check_thresholds("PurchaseFrequencyIn", *self._thresholds())

    def _thresholds(self) -> tuple[int, int, int]:
        return (
            DEFAULT_WEEKLY_DAYS if self.weekly_days is None else self.weekly_days,
            DEFAULT_FORTNIGHTLY_DAYS if self.fortnightly_days is None else self.fortnightly_days,
            DEFAULT_MONTHLY_DAYS if self.monthly_days is None else self.monthly_days,
        )

    def _test(self, facts: CustomerFacts, on: date) -> bool:
        window = DEFAULT_WINDOW_DAYS if self.window_days is None else self.window_days
        days = [d for d in facts.purchase_days if (on - d).days < window]
        if len(days) < 2:
            return False
        weekly, fortnightly, monthly = self._thresholds()
        found = frequency_class(
            (max(days) - min(days)).days,
            len(days) - 1,
            weekly_days=weekly,
            fortnightly_days=fortnightly,
            monthly_days=monthly,
        )
        return found in self.classes


@attrs.frozen(kw_only=True)
class ValueBetween(Filter):
    """RFV value (money spent in the RFV window) in ``min..max``, exact Decimals.

    JSON: ``{"value_between": {"min": "1000.00"}}``; amounts are decimal
    strings (an integer is accepted when reading), never floats. Without an
    RFV score it does not match.

    >>> from otocore.filters import filter_to_data
    >>> from decimal import Decimal
    >>> filter_to_data(ValueBetween(min=Decimal("1000.00")))
    {'value_between': {'min': '1000.00'}}
    >>> ValueBetween(min=1000.0)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: ValueBetween.min must be a decimal.Decimal (never a float), got 1000.0
    """

    _tag: ClassVar[str] = "value_between"

    min: Decimal | None = attrs.field(
        default=None,
        validator=validator(check_money_bound),
        metadata=meta(check_money_bound, load_decimal, dump_str),
    )
    max: Decimal | None = attrs.field(
        default=None,
        validator=validator(check_money_bound),
        metadata=meta(check_money_bound, load_decimal, dump_str),
    )

    def __attrs_post_init__(self) -> None:
        _check_range(self)

    def _test(self, facts: CustomerFacts, on: date) -> bool:
        rfv = facts.rfv
        if rfv is None:
            return False
        x, lo, hi = rfv.value, self.min, self.max
        return (lo is None or x >= lo) and (hi is None or x <= hi)


@attrs.frozen(kw_only=True)
class LastPurchaseBetween(Filter):
    """Última compra (last purchase): its local day is within ``start..end``, both included.

    JSON: ``{"last_purchase_between": {"start": "2026-01-01", "end": "2026-03-31"}}``;
    either bound may be left out. Without purchases it does not match.

    >>> from otocore.filters import filter_to_data
    >>> from datetime import date
    >>> filter_to_data(LastPurchaseBetween(end=date(2025, 12, 31)))
    {'last_purchase_between': {'end': '2025-12-31'}}
    """

    _tag: ClassVar[str] = "last_purchase_between"

    start: date | None = attrs.field(
        default=None,
        validator=validator(check_date_bound),
        metadata=meta(check_date_bound, load_date, dump_date),
    )
    end: date | None = attrs.field(
        default=None,
        validator=validator(check_date_bound),
        metadata=meta(check_date_bound, load_date, dump_date),
    )

    def __attrs_post_init__(self) -> None:
        if self.start is None and self.end is None:
            raise ValidationError("LastPurchaseBetween", None, "needs start, end or both")
        if self.start is not None and self.end is not None and self.start > self.end:
            raise ValidationError(
                "LastPurchaseBetween.start", self.start, f"must be on or before end ({self.end})"
            )

    def _test(self, facts: CustomerFacts, on: date) -> bool:
        last = facts.last_purchase
        if last is None:
            return False
        lo, hi = self.start, self.end
        return (lo is None or last >= lo) and (hi is None or last <= hi)


# RFV segment ------------------------------------------------------------------------


@attrs.frozen
class SegmentIn(Filter):
    """RFV segment: the customer's segment key is one of ``segments``.

    JSON: ``{"segment_in": ["champions", "loyal_customers"]}``. Keys are the
    brand's grid keys (:class:`otocore.rfv.SegmentGrid`); only their shape is
    checked here; :func:`check_segments` (or ``parse_filter(..., grid=)``)
    checks them against a grid. Without an RFV score it does not match.

    >>> SegmentIn(["loyal_customers", "champions", "champions"])
    SegmentIn(segments=('champions', 'loyal_customers'))
    >>> SegmentIn(["Campeões"])
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: SegmentIn.segments[0] must be a segment key such as 'cant_lose' (a-z, 0-9, _; max 50), got 'Campeões'
    """

    _tag: ClassVar[str] = "segment_in"
    _shape: ClassVar[str] = "list"

    segments: tuple[str, ...] = attrs.field(
        converter=sorted_set,
        validator=validator(check_set(check_segment_key)),
        metadata=meta(check_set(check_segment_key), load_list(load_str), dump_list(dump_same)),
    )

    def _test(self, facts: CustomerFacts, on: date) -> bool:
        rfv = facts.rfv
        return rfv is not None and rfv.segment in self.segments


# customer record -----------------------------------------------------------------


def _anniversary(year: int, month: int, day: int) -> date:
    if month == 2 and day == 29 and not _is_leap(year):
        return date(year, 2, 28)
    return date(year, month, day)


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _shift(day: date, days: int) -> date:
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


@attrs.frozen(kw_only=True)
class BirthdayWithin(Filter):
    """Aniversariante: the customer's birthday falls in ``on - days_before .. on + days_after``.

    JSON: ``{"birthday_within": {"days_before": 0, "days_after": 7}}``; both
    default to 0 (birthday today) and are 0..366. The period is of local
    days, both ends included, and may cross the year end. The birthday in
    year ``y`` is the birth date's month and day in ``y``; for someone born
    on 29 February it is 28 February in common years.

    >>> from otocore.customers import Customer
    >>> from datetime import UTC, date, datetime
    >>> c = Customer(
    ...     customer_id="C1",
    ...     name="Ana",
    ...     registered_at=datetime(2025, 1, 1, tzinfo=UTC),
    ...     birth_date=date(1990, 1, 2),
    ... )
    >>> day = date(2025, 12, 28)
    >>> BirthdayWithin(days_after=6).matches(CustomerFacts.build(c, [], day), day)
    True
    """

    _tag: ClassVar[str] = "birthday_within"

    days_before: int = attrs.field(
        default=0,
        validator=validator(check_int(0, 366)),
        metadata=meta(check_int(0, 366), load_same, dump_same),
    )
    days_after: int = attrs.field(
        default=0,
        validator=validator(check_int(0, 366)),
        metadata=meta(check_int(0, 366), load_same, dump_same),
    )

    def _test(self, facts: CustomerFacts, on: date) -> bool:
        born = facts.customer.birth_date
        if born is None:
            return False
        start = _shift(on, -self.days_before)
        end = _shift(on, self.days_after)
        month, day = born.month, born.day
        for year in range(start.year, end.year + 1):
            if start <= _anniversary(year, month, day) <= end:
                return True
        return False


@attrs.frozen(kw_only=True)
class BirthdayInMonth(Filter):
    """Aniversariante do mês: the birth date's month is ``month``, or the month of ``on``.

    JSON: ``{"birthday_in_month": {"month": 12}}``, or
    ``{"birthday_in_month": {}}`` for "the month of the day the filter runs"
    (the "birthday of the month" campaign). Without a birth date it does not
    match.

    >>> from otocore.customers import Customer
    >>> from datetime import UTC, date, datetime
    >>> c = Customer(
    ...     customer_id="C1",
    ...     name="Ana",
    ...     registered_at=datetime(2025, 1, 1, tzinfo=UTC),
    ...     birth_date=date(1992, 2, 29),
    ... )
    >>> day = date(2027, 2, 1)
    >>> facts = CustomerFacts.build(c, [], day)
    >>> BirthdayInMonth().matches(facts, day), BirthdayInMonth(month=3).matches(facts, day)
    (True, False)
    """

    _tag: ClassVar[str] = "birthday_in_month"

    month: int | None = attrs.field(
        default=None,
        validator=validator(check_int(1, 12, optional=True)),
        metadata=meta(check_int(1, 12, optional=True), load_same, dump_same),
    )

    def _test(self, facts: CustomerFacts, on: date) -> bool:
        born = facts.customer.birth_date
        if born is None:
            return False
        return born.month == (on.month if self.month is None else self.month)


@attrs.frozen(kw_only=True)
class NewCustomer(Filter):
    """Novos clientes: registered within the last ``days`` local days, ``on`` included.

    JSON: ``{"new_customer": {"days": 30}}``. Matches when the local day of
    ``registered_at`` is ``r`` with ``on - days < r <= on`` (30 days on
    2026-05-10: registered 2026-04-11 to 2026-05-10).

    >>> NewCustomer(days=0)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: NewCustomer.days must be >= 1, got 0
    """

    _tag: ClassVar[str] = "new_customer"

    days: int = attrs.field(
        validator=validator(check_int(1, 36600)),
        metadata=meta(check_int(1, 36600), load_same, dump_same),
    )

    def _test(self, facts: CustomerFacts, on: date) -> bool:
        return 0 <= (on - facts.registered_on).days < self.days


class RegistrationField(enum.Enum):
    """A field of the customer record that :class:`IncompleteRegistration` can require.

    The value is the :class:`~otocore.customers.Customer` attribute's name.

    >>> RegistrationField("birth_date").name
    'BIRTH_DATE'
    """

    CPF = "cpf"
    RG = "rg"
    BIRTH_DATE = "birth_date"
    EMAIL = "email"
    MOBILE = "mobile"
    SEX = "sex"
    MARITAL_STATUS = "marital_status"
    HOME_STORE_ID = "home_store_id"


DEFAULT_REQUIRED_FIELDS: tuple[RegistrationField, ...] = (
    RegistrationField.BIRTH_DATE,
    RegistrationField.CPF,
    RegistrationField.EMAIL,
    RegistrationField.MOBILE,
)
"""The fields a complete registration has by default: CPF, birth date, e-mail and mobile.

The seed's SAC desk corrects "data de nascimento, e-mail e número de celular"
and customers are searched by CPF. Sorted by value, as the filter stores them.
"""


@attrs.frozen(kw_only=True)
class IncompleteRegistration(Filter):
    """Cadastro incompleto: at least one of ``fields`` is missing from the customer record.

    JSON: ``{"incomplete_registration": {"fields": ["cpf", "email"]}}``, or
    ``{"incomplete_registration": {}}`` for :data:`DEFAULT_REQUIRED_FIELDS`
    (CPF, birth date, e-mail, mobile). The name and registration time are
    always present.

    >>> from otocore.filters import filter_to_data
    >>> from otocore.customers import Customer
    >>> from datetime import UTC, date, datetime
    >>> c = Customer(customer_id="C1", name="Ana", registered_at=datetime(2025, 1, 1, tzinfo=UTC))
    >>> facts = CustomerFacts.build(c, [], date(2026, 5, 10))
    >>> IncompleteRegistration().matches(facts, date(2026, 5, 10))
    True
    >>> filter_to_data(IncompleteRegistration(fields=[RegistrationField.EMAIL]))
    {'incomplete_registration': {'fields': ['email']}}
    """

    _tag: ClassVar[str] = "incomplete_registration"

    fields: tuple[RegistrationField, ...] = attrs.field(
        default=DEFAULT_REQUIRED_FIELDS,
        converter=sorted_set,
        validator=validator(check_set(check_member(RegistrationField))),
        metadata=meta(
            check_set(check_member(RegistrationField)),
            load_list(load_enum(RegistrationField)),
            dump_list(dump_enum),
        ),
    )

    def _test(self, facts: CustomerFacts, on: date) -> bool:
        customer = facts.customer
        for field in self.fields:  # noqa: SIM110 - a loop is faster than any() here
            if getattr(customer, field.value) is None:
                return True
        return False


@attrs.frozen(kw_only=True)
class LoyaltyProgram(Filter):
    """Programa de fidelidade e categoria: member of ``program``, in one of ``categories``.

    JSON: ``{"loyalty_program": {"program": "Clube Brisa", "categories": ["Ouro"]}}``;
    leave ``categories`` out for any member of the program. Names are compared
    exactly (case and accents count). A member without a category matches
    only when ``categories`` is left out.

    >>> from otocore.filters import filter_to_data
    >>> filter_to_data(LoyaltyProgram(program="Clube Brisa", categories=["Ouro", "Diamante"]))
    {'loyalty_program': {'program': 'Clube Brisa', 'categories': ['Diamante', 'Ouro']}}
    """

    _tag: ClassVar[str] = "loyalty_program"

    program: str = attrs.field(
        validator=validator(check_text), metadata=meta(check_text, load_str, dump_same)
    )
    categories: tuple[str, ...] | None = attrs.field(
        default=None,
        converter=sorted_set,
        validator=validator(check_set(check_text, optional=True)),
        metadata=meta(
            check_set(check_text, optional=True), load_list(load_str), dump_list(dump_same)
        ),
    )

    def _test(self, facts: CustomerFacts, on: date) -> bool:
        loyalty = facts.customer.loyalty
        if loyalty is None or loyalty.program != self.program:
            return False
        return self.categories is None or loyalty.category in self.categories


@attrs.frozen
class StoreIn(Filter):
    """Loja (store): the customer's home store (``home_store_id``) is one of ``store_ids``.

    JSON: ``{"store_in": ["L01", "L02"]}``.

    >>> StoreIn(["L02", "L01"])
    StoreIn(store_ids=('L01', 'L02'))
    """

    _tag: ClassVar[str] = "store_in"
    _shape: ClassVar[str] = "list"

    store_ids: tuple[str, ...] = attrs.field(
        converter=sorted_set,
        validator=validator(check_set(check_text)),
        metadata=meta(check_set(check_text), load_list(load_str), dump_list(dump_same)),
    )

    def _test(self, facts: CustomerFacts, on: date) -> bool:
        return facts.customer.home_store_id in self.store_ids


@attrs.frozen
class SexIn(Filter):
    """Sexo: the customer's declared :class:`~otocore.customers.Sex` is one of ``sexes``.

    JSON: ``{"sex_in": ["female"]}``. "Não informado" (``None``) never
    matches; ``{"not": {"sex_in": ["female", "male", "other"]}}`` finds it.

    >>> SexIn(["female"])
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: SexIn.sexes[0] must be a Sex ('female', 'male', 'other'), got 'female'
    """

    _tag: ClassVar[str] = "sex_in"
    _shape: ClassVar[str] = "list"

    sexes: tuple[Sex, ...] = attrs.field(
        converter=sorted_set,
        validator=validator(check_set(check_member(Sex))),
        metadata=meta(
            check_set(check_member(Sex)), load_list(load_enum(Sex)), dump_list(dump_enum)
        ),
    )

    def _test(self, facts: CustomerFacts, on: date) -> bool:
        return facts.customer.sex in self.sexes


@attrs.frozen
class MaritalStatusIn(Filter):
    """Estado civil: the customer's :class:`~otocore.customers.MaritalStatus` is one of ``statuses``.

    JSON: ``{"marital_status_in": ["married", "stable_union"]}``.

    >>> from otocore.filters import filter_to_data
    >>> filter_to_data(MaritalStatusIn([MaritalStatus.STABLE_UNION, MaritalStatus.MARRIED]))
    {'marital_status_in': ['married', 'stable_union']}
    """

    _tag: ClassVar[str] = "marital_status_in"
    _shape: ClassVar[str] = "list"

    statuses: tuple[MaritalStatus, ...] = attrs.field(
        converter=sorted_set,
        validator=validator(check_set(check_member(MaritalStatus))),
        metadata=meta(
            check_set(check_member(MaritalStatus)),
            load_list(load_enum(MaritalStatus)),
            dump_list(dump_enum),
        ),
    )

    def _test(self, facts: CustomerFacts, on: date) -> bool:
        return facts.customer.marital_status in self.statuses


# purchases ----------------------------------------------------------------------------


@attrs.frozen
class HasPurchases(Filter):
    """Somente clientes com compras: at least one purchase on or before ``on``.

    JSON: ``{"has_purchases": {}}``.

    >>> from otocore.customers import Customer
    >>> from datetime import UTC, date, datetime
    >>> c = Customer(customer_id="C1", name="Ana", registered_at=datetime(2025, 1, 1, tzinfo=UTC))
    >>> HasPurchases().matches(CustomerFacts.build(c, [], date(2026, 5, 10)), date(2026, 5, 10))
    False
    """

    _tag: ClassVar[str] = "has_purchases"

    def _test(self, facts: CustomerFacts, on: date) -> bool:
        return facts.purchases > 0


@attrs.frozen
class BoughtOnline(Filter):
    """Clientes loja online: at least one purchase with channel ``online``.

    JSON: ``{"bought_online": {}}``.

    >>> from otocore.filters import filter_to_data
    >>> filter_to_data(BoughtOnline())
    {'bought_online': {}}
    """

    _tag: ClassVar[str] = "bought_online"

    def _test(self, facts: CustomerFacts, on: date) -> bool:
        return facts.bought_online


@attrs.frozen(kw_only=True)
class BoughtInNotIn(Filter):
    """Comprou em mês A e não comprou em mês B: a purchase in ``bought_in``, none in ``not_in``.

    JSON: ``{"bought_in_not_in": {"bought_in": "2025-12", "not_in": "2026-01"}}``.
    Months are calendar months of local days, written ``YYYY-MM``; in Python,
    ``(year, month)`` pairs. They must differ; either may come first.

    >>> BoughtInNotIn(bought_in=(2025, 12), not_in=(2026, 1))
    BoughtInNotIn(bought_in=(2025, 12), not_in=(2026, 1))
    >>> BoughtInNotIn(bought_in=(2025, 12), not_in=(2025, 12))
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: BoughtInNotIn.not_in must differ from bought_in, got (2025, 12)
    """

    _tag: ClassVar[str] = "bought_in_not_in"

    bought_in: tuple[int, int] = attrs.field(
        converter=list_to_tuple,
        validator=validator(check_month),
        metadata=meta(check_month, load_month, dump_month),
    )
    not_in: tuple[int, int] = attrs.field(
        converter=list_to_tuple,
        validator=validator(check_month),
        metadata=meta(check_month, load_month, dump_month),
    )

    def __attrs_post_init__(self) -> None:
        if self.bought_in == self.not_in:
            raise ValidationError("BoughtInNotIn.not_in", self.not_in, "must differ from bought_in")

    def _test(self, facts: CustomerFacts, on: date) -> bool:
        months = facts.purchase_months
        return self.bought_in in months and self.not_in not in months


@attrs.frozen
class PreferredStoreIn(Filter):
    """Loja preferida (últimos 12 meses): the preferred store is one of ``store_ids``.

    JSON: ``{"preferred_store_in": ["L01"]}``. The preferred store is the one
    with most (store, local day) visits over the 12 months ending on ``on``,
    ties to the latest visit, then the lowest store id (see
    :meth:`CustomerFacts.build`). Without a visit in those months it does
    not match.

    >>> from otocore.filters import filter_to_data
    >>> filter_to_data(PreferredStoreIn(["L01"]))
    {'preferred_store_in': ['L01']}
    """

    _tag: ClassVar[str] = "preferred_store_in"
    _shape: ClassVar[str] = "list"

    store_ids: tuple[str, ...] = attrs.field(
        converter=sorted_set,
        validator=validator(check_set(check_text)),
        metadata=meta(check_set(check_text), load_list(load_str), dump_list(dump_same)),
    )

    def _test(self, facts: CustomerFacts, on: date) -> bool:
        return facts.preferred_store_id in self.store_ids


# consent ------------------------------------------------------------------------------


@attrs.frozen
class ConsentOn(Filter):
    """Opt-in: the customer has consent, on ``on``, on at least one of ``channels``.

    JSON: ``{"consent_on": ["whatsapp", "sms"]}``.

    >>> from otocore.filters import filter_to_data
    >>> from otocore.consent import ContactChannel
    >>> filter_to_data(ConsentOn([ContactChannel.WHATSAPP]))
    {'consent_on': ['whatsapp']}
    """

    _tag: ClassVar[str] = "consent_on"
    _shape: ClassVar[str] = "list"

    channels: tuple[ContactChannel, ...] = attrs.field(
        converter=sorted_set,
        validator=validator(check_set(check_member(ContactChannel))),
        metadata=meta(
            check_set(check_member(ContactChannel)),
            load_list(load_enum(ContactChannel)),
            dump_list(dump_enum),
        ),
    )

    def _test(self, facts: CustomerFacts, on: date) -> bool:
        return not facts.consented.isdisjoint(self.channels)
