"""Worked examples for otocore.distribution, in the seeds' own words.

oto-faq.txt, "Como é feita a distribuição das sugestões da carteira de clientes
dentro do Oto?", and oto-managers-and-campaigns.txt ("Inative um vendedor",
"Aleatório", "Limitador de Sugestões").
"""

from __future__ import annotations

import math
import random
import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import pytest
from dateutil.relativedelta import relativedelta

from _support.builders import SP, seller
from otocore.distribution import (
    Balanced,
    DecidedBy,
    Preference,
    PreferredSellerPolicy,
    SellerTally,
    SuggestionLimiter,
    ToSeller,
    preferred_seller,
    preferred_sellers,
    redistribute,
)
from otocore.errors import NotFound, RuleViolation, ValidationError
from otocore.orders import Channel, Order, OrderStatus
from otocore.serialization import converter

AS_OF = date(2026, 5, 10)

_counter = iter(range(1, 1_000_000))


def order(
    seller: str | None,
    when: datetime,
    *,
    store: str = "L01",
    customer: str = "C1",
    status: OrderStatus = OrderStatus.COMPLETED,
) -> Order:
    return Order(
        order_id=f"P{next(_counter)}",
        customer_id=customer,
        store_id=store,
        placed_at=when,
        total=Decimal("150.00"),
        seller_code=seller,
        status=status,
        channel=Channel.ONLINE if seller is None else Channel.STORE,
    )


def sp(y: int, m: int, d: int, h: int = 12, minute: int = 0) -> datetime:
    return datetime(y, m, d, h, minute, tzinfo=SP)


def tallies(pref: Preference | None) -> list[tuple[str, int, int]]:
    assert pref is not None
    return [(t.seller_code, t.visits, t.tally) for t in pref.tallies]


# ---------------------------------------------------------------------------
# Preferred seller: the five bullets of oto-faq.txt
# ---------------------------------------------------------------------------


def test_bullet_1_only_orders_of_the_last_12_months_count() -> None:
    """ "São considerados pedidos realizados pelo cliente nos últimos 12 meses".

    as_of 2026-05-10: local days 2025-05-11 .. 2026-05-10 count; 2025-05-10 does not.
    """
    history = [
        order("V01", sp(2025, 5, 10, 23, 59)),  # window start itself: out
        order("V01", sp(2025, 5, 10, 9)),
        order("V01", sp(2024, 12, 1)),
        order("V02", sp(2025, 5, 11, 0, 0)),  # first day in the window
    ]
    pref = preferred_seller(history, AS_OF)
    assert pref is not None
    assert pref.seller_code == "V02"
    assert tallies(pref) == [("V02", 1, 1)]
    assert pref.decided_by is DecidedBy.ONLY_CANDIDATE


def test_bullet_1_the_window_is_in_local_days_of_the_policy_zone() -> None:
    # 2025-05-11 01:30 UTC is 2025-05-10 22:30 in São Paulo: outside the window.
    late_evening = datetime(2025, 5, 11, 1, 30, tzinfo=UTC)
    assert preferred_seller([order("V01", late_evening)], AS_OF) is None
    # In UTC it is 2025-05-11, inside.
    utc_policy = PreferredSellerPolicy(time_zone="UTC")
    pref = preferred_seller([order("V01", late_evening)], AS_OF, policy=utc_policy)
    assert pref is not None
    assert pref.seller_code == "V01"


def test_bullet_1_orders_after_as_of_are_ignored() -> None:
    history = [order("V01", sp(2026, 5, 11, 0, 1)), order("V02", sp(2026, 5, 10, 23, 59))]
    pref = preferred_seller(history, AS_OF)
    assert tallies(pref) == [("V02", 1, 1)]


def test_bullet_2_only_the_last_five_orders_with_a_seller_count() -> None:
    """ "São considerados os últimos 5 pedidos com o mesmo vendedor".

    V01 has 8 visits, V02 5: both tally 5, so the tie goes to the most recent
    sale, which is V02's, although V01 sold more often.
    """
    history = [order("V01", sp(2026, 1, d)) for d in range(1, 9)]
    history += [order("V02", sp(2026, 2, d)) for d in range(1, 6)]
    pref = preferred_seller(history, AS_OF)
    assert tallies(pref) == [("V02", 5, 5), ("V01", 8, 5)]
    assert pref is not None
    assert pref.decided_by is DecidedBy.MOST_RECENT_SALE
    # Without the cap V01 would have won on the tally.
    uncapped = preferred_seller(history, AS_OF, policy=PreferredSellerPolicy(cap=100))
    assert uncapped is not None
    assert (uncapped.seller_code, uncapped.decided_by) == ("V01", DecidedBy.TALLY)


def test_bullet_3_first_tie_break_is_the_most_recent_sale() -> None:
    """ "O primeiro critério de desempate é a venda mais recente"."""
    history = [
        order("V01", sp(2026, 3, 1)),
        order("V01", sp(2026, 4, 1)),
        order("V02", sp(2026, 3, 2)),
        order("V02", sp(2026, 4, 1, 12, 1)),  # one minute later than V01's last
    ]
    pref = preferred_seller(history, AS_OF)
    assert pref is not None
    assert pref.seller_code == "V02"
    assert pref.decided_by is DecidedBy.MOST_RECENT_SALE
    assert pref.tallies[0].last_sale_at == sp(2026, 4, 1, 12, 1)


def test_bullet_4_then_the_seller_code() -> None:
    """ "Se o empate persistir, o critério será o código do vendedor".

    Same tally, same last instant: the lowest code in plain string order wins,
    so "V10" beats "V9".
    """
    when = sp(2026, 4, 1)
    history = [order("V9", when, store="L01"), order("V10", when, store="L02")]
    pref = preferred_seller(history, AS_OF)
    assert pref is not None
    assert pref.seller_code == "V10"
    assert pref.decided_by is DecidedBy.SELLER_CODE
    assert [t.seller_code for t in pref.tallies] == ["V10", "V9"]


def test_bullet_5_one_count_per_store_and_day() -> None:
    """ "O vendedor será contabilizado somente uma vez para pedidos feitos no
    mesmo dia e na mesma loja".
    """
    history = [
        # V01: three orders on one day in one store = one visit
        order("V01", sp(2026, 5, 1, 10)),
        order("V01", sp(2026, 5, 1, 15)),
        order("V01", sp(2026, 5, 1, 19)),
        # V02: two days = two visits
        order("V02", sp(2026, 4, 1)),
        order("V02", sp(2026, 4, 2)),
    ]
    pref = preferred_seller(history, AS_OF)
    assert tallies(pref) == [("V02", 2, 2), ("V01", 1, 1)]


def test_bullet_5_same_day_in_two_stores_is_two_visits() -> None:
    history = [order("V01", sp(2026, 5, 1), store="L01"), order("V01", sp(2026, 5, 1), store="L02")]
    assert tallies(preferred_seller(history, AS_OF)) == [("V01", 2, 2)]


def test_bullet_5_the_day_is_the_local_day() -> None:
    # 21:30 and 23:30 in São Paulo: one local day, two UTC days -> one visit
    same_local_day = [order("V01", sp(2026, 5, 1, 21, 30)), order("V01", sp(2026, 5, 1, 23, 30))]
    assert tallies(preferred_seller(same_local_day, AS_OF)) == [("V01", 1, 1)]
    # 23:30 and 00:30 the next day: two local days -> two visits
    two_days = [order("V01", sp(2026, 5, 1, 23, 30)), order("V01", sp(2026, 5, 2, 0, 30))]
    assert tallies(preferred_seller(two_days, AS_OF)) == [("V01", 2, 2)]


# ---------------------------------------------------------------------------
# Preferred seller: what does not count, eligibility, the brand-wide call
# ---------------------------------------------------------------------------


def test_cancelled_and_online_orders_without_seller_do_not_count() -> None:
    history = [
        order("V01", sp(2026, 5, 1), status=OrderStatus.CANCELLED),
        order("V01", sp(2026, 5, 2), status=OrderStatus.CANCELLED),
        order(None, sp(2026, 5, 3)),
        order("V02", sp(2026, 1, 3)),
    ]
    assert tallies(preferred_seller(history, AS_OF)) == [("V02", 1, 1)]
    assert preferred_seller(history[:3], AS_OF) is None


def test_no_orders_no_preference() -> None:
    assert preferred_seller([], AS_OF) is None
    assert preferred_sellers([], AS_OF) == {}


def test_only_eligible_sellers_compete() -> None:
    history = [order("V01", sp(2026, 5, d)) for d in (1, 2, 3)] + [order("V02", sp(2026, 1, 1))]
    assert preferred_seller(history, AS_OF).seller_code == "V01"  # type: ignore[union-attr]
    pref = preferred_seller(history, AS_OF, eligible={"V02", "V77"})
    assert tallies(pref) == [("V02", 1, 1)]
    assert preferred_seller(history, AS_OF, eligible=set()) is None
    assert preferred_seller(history, AS_OF, eligible=["V01"]) is not None


def test_preferred_sellers_covers_a_brand_in_one_call() -> None:
    history = [
        order("V01", sp(2026, 5, 1), customer="C2"),
        order("V02", sp(2026, 5, 1), customer="C1"),
        order("V02", sp(2026, 5, 2), customer="C1"),
        order("V03", sp(2026, 5, 2), customer="C1"),
        order(None, sp(2026, 5, 2), customer="C3"),
    ]
    prefs = preferred_sellers(history, AS_OF)
    assert list(prefs) == ["C1", "C2"]
    assert {c: p.seller_code for c, p in prefs.items()} == {"C1": "V02", "C2": "V01"}
    assert prefs["C1"].customer_id == "C1"
    for customer, pref in prefs.items():
        mine = [o for o in history if o.customer_id == customer]
        assert preferred_seller(mine, AS_OF) == pref


def test_decided_by_only_candidate_and_tally() -> None:
    one = preferred_seller([order("V05", sp(2026, 5, 1))], AS_OF)
    assert one is not None
    assert one.decided_by is DecidedBy.ONLY_CANDIDATE
    two = preferred_seller(
        [order("V05", sp(2026, 5, 1)), order("V05", sp(2026, 5, 2)), order("V01", sp(2026, 5, 3))],
        AS_OF,
    )
    assert two is not None
    assert (two.seller_code, two.decided_by) == ("V05", DecidedBy.TALLY)
    assert two.tallies[1].last_sale_at == sp(2026, 5, 3).astimezone(UTC)


def test_the_window_is_a_relativedelta_clamped_at_month_ends() -> None:
    # 2024-02-29 minus 12 months is 2023-02-28: 2023-02-28 is out, 2023-03-01 in.
    leap = date(2024, 2, 29)
    assert preferred_seller([order("V01", sp(2023, 2, 28))], leap) is None
    assert preferred_seller([order("V01", sp(2023, 3, 1))], leap) is not None
    week = PreferredSellerPolicy(window=relativedelta(weeks=1))
    assert preferred_seller([order("V01", sp(2026, 5, 3))], AS_OF, policy=week) is None
    assert preferred_seller([order("V01", sp(2026, 5, 4))], AS_OF, policy=week) is not None


def test_a_whole_policy_changes_every_knob() -> None:
    policy = PreferredSellerPolicy(time_zone="America/Manaus", window=relativedelta(days=30), cap=1)
    history = [order("V01", sp(2026, 5, d)) for d in (1, 2, 3)] + [order("V02", sp(2026, 5, 4))]
    pref = preferred_seller(history, AS_OF, policy=policy)
    assert tallies(pref) == [("V02", 1, 1), ("V01", 3, 1)]


# ---------------------------------------------------------------------------
# Preferred seller: bad input
# ---------------------------------------------------------------------------


def test_orders_of_several_customers_are_refused() -> None:
    history = [order("V01", sp(2026, 5, 1)), order("V01", sp(2026, 5, 1), customer="C2")]
    with pytest.raises(
        ValidationError,
        match=r"^orders must all belong to one customer \(found 'C1' and 'C2'\); "
        r"use preferred_sellers\(\) for a whole brand, got 'C2'$",
    ) as info:
        preferred_seller(history, AS_OF)
    assert info.value.field == "orders"
    assert info.value.value == "C2"
    assert "preferred_sellers()" in str(info.value)


def test_several_customers_are_refused_even_if_their_orders_do_not_count() -> None:
    history = [
        order("V01", sp(2026, 5, 1)),
        order("V01", sp(2020, 5, 1), customer="C2", status=OrderStatus.CANCELLED),
    ]
    with pytest.raises(
        ValidationError, match=r"^orders must all belong to one customer \(found 'C1' and 'C2'\)"
    ):
        preferred_seller(history, AS_OF)


JUNK = object()
_DATE_RULE = "must be a datetime.date (a local calendar day)"
_ELIGIBLE_RULE = "must be a collection (e.g. a set) of seller codes, or None"


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        (
            {"as_of": datetime(2026, 5, 10, tzinfo=UTC)},
            "as_of",
            f"as_of {_DATE_RULE}, got {datetime(2026, 5, 10, tzinfo=UTC)!r}",
        ),
        ({"as_of": "2026-05-10"}, "as_of", f"as_of {_DATE_RULE}, got '2026-05-10'"),
        (
            {"as_of": date(1, 1, 5)},
            "as_of",
            "as_of must leave room for the window on the calendar, got datetime.date(1, 1, 5)",
        ),
        (
            {"policy": {"cap": 5}},
            "policy",
            "policy must be a PreferredSellerPolicy, got {'cap': 5}",
        ),
        ({"policy": None}, "policy", "policy must be a PreferredSellerPolicy, got None"),
        ({"eligible": "V01"}, "eligible", f"eligible {_ELIGIBLE_RULE}, got 'V01'"),
        ({"eligible": b"V01"}, "eligible", f"eligible {_ELIGIBLE_RULE}, got b'V01'"),
        ({"eligible": 3}, "eligible", f"eligible {_ELIGIBLE_RULE}, got 3"),
        ({"eligible": {1}}, "eligible", "eligible must contain only seller codes (str), got 1"),
        ({"orders": [JUNK]}, "orders[0]", f"orders[0] must be an Order, got {JUNK!r}"),
        ({"orders": "P1"}, "orders", "orders must be an iterable of Order, got 'P1'"),
        ({"orders": 3}, "orders", "orders must be an iterable of Order, got 3"),
    ],
)
@pytest.mark.parametrize("fn", [preferred_seller, preferred_sellers])
def test_bad_arguments_are_validation_errors(
    kwargs: dict[str, Any], field: str, message: str, fn: Any
) -> None:
    args: dict[str, Any] = {"orders": [order("V01", sp(2026, 5, 1))], "as_of": AS_OF}
    args.update(kwargs)
    with pytest.raises(ValidationError, match=f"^{re.escape(message)}$") as info:
        fn(args.pop("orders"), args.pop("as_of"), **args)
    assert info.value.field == field


def test_defaults_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        preferred_seller([], AS_OF, PreferredSellerPolicy())  # type: ignore[misc]


_ZONE_RULE = "must be an IANA time zone name such as 'America/Sao_Paulo'"
_WINDOW_RULE = (
    "must be a positive relativedelta of whole years, months, weeks or days "
    "such as relativedelta(months=12)"
)


@pytest.mark.parametrize(
    ("changes", "field", "rule"),
    [
        ({"time_zone": "Brasil/Brasília"}, "PreferredSellerPolicy.time_zone", _ZONE_RULE),
        ({"time_zone": ""}, "PreferredSellerPolicy.time_zone", _ZONE_RULE),
        ({"cap": 0}, "PreferredSellerPolicy.cap", "must be >= 1"),
        ({"cap": True}, "PreferredSellerPolicy.cap", "must be an integer"),
        ({"cap": 5.0}, "PreferredSellerPolicy.cap", "must be an integer"),
        ({"window": relativedelta()}, "PreferredSellerPolicy.window", _WINDOW_RULE),
        ({"window": relativedelta(months=-12)}, "PreferredSellerPolicy.window", _WINDOW_RULE),
        (
            {"window": relativedelta(months=1, days=-3)},
            "PreferredSellerPolicy.window",
            _WINDOW_RULE,
        ),
        ({"window": relativedelta(hours=12)}, "PreferredSellerPolicy.window", _WINDOW_RULE),
        ({"window": relativedelta(day=1)}, "PreferredSellerPolicy.window", _WINDOW_RULE),
        (
            {"window": relativedelta(years=101)},
            "PreferredSellerPolicy.window",
            "must be at most 100 years",
        ),
        ({"window": timedelta(days=365)}, "PreferredSellerPolicy.window", _WINDOW_RULE),
    ],
)
def test_policy_is_validated(changes: dict[str, Any], field: str, rule: str) -> None:
    (bad,) = changes.values()
    message = f"{field} {rule}, got {bad!r}"
    with pytest.raises(ValidationError, match=f"^{re.escape(message)}$") as info:
        PreferredSellerPolicy(**changes)
    assert info.value.field == field


def test_policy_defaults_are_the_seeds() -> None:
    policy = PreferredSellerPolicy()
    assert policy.time_zone == "America/Sao_Paulo"
    assert policy.window == relativedelta(months=12)
    assert policy.cap == 5
    assert policy.zone == SP


def test_result_types_validate_their_invariants() -> None:
    t1 = SellerTally(seller_code="V01", visits=3, tally=3, last_sale_at=sp(2026, 5, 1))
    t2 = SellerTally(seller_code="V02", visits=1, tally=1, last_sale_at=sp(2026, 5, 2))
    assert t1.last_sale_at.tzinfo is UTC
    ok = Preference(
        customer_id="C1", seller_code="V01", tallies=(t1, t2), decided_by=DecidedBy.TALLY
    )
    assert ok.tallies == (t1, t2)
    rank_rule = "must be in rank order (highest tally, then latest sale, then lowest code)"
    tuple_rule = "must be a non-empty tuple of SellerTally"
    bad: list[tuple[dict[str, Any], str, str]] = [
        ({"tallies": (t2, t1)}, "Preference.tallies", f"{rank_rule}, got ['V02', 'V01']"),
        (
            {"tallies": (t1, t1)},
            "Preference.tallies",
            "must name each seller once, got ['V01', 'V01']",
        ),
        ({"tallies": ()}, "Preference.tallies", f"{tuple_rule}, got ()"),
        ({"tallies": [t1, t2]}, "Preference.tallies", f"{tuple_rule}, got {[t1, t2]!r}"),
        ({"tallies": (t1, "V02")}, "Preference.tallies[1]", "must be a SellerTally, got 'V02'"),
        (
            {"seller_code": "V02"},
            "Preference.seller_code",
            "must be the first ranked seller ('V01'), got 'V02'",
        ),
        (
            {"decided_by": DecidedBy.SELLER_CODE},
            "Preference.decided_by",
            f"must be DecidedBy.TALLY for these tallies, got {DecidedBy.SELLER_CODE!r}",
        ),
        (
            {"decided_by": "tally"},
            "Preference.decided_by",
            "must be a DecidedBy ('only_candidate', 'tally', 'most_recent_sale', "
            "'seller_code'), got 'tally'",
        ),
    ]
    for changes, field, rule in bad:
        with pytest.raises(ValidationError, match=f"^{re.escape(f'{field} {rule}')}$") as info:
            attrs.evolve(ok, **changes)
        assert info.value.field == field, changes
    with pytest.raises(ValidationError, match=r"^SellerTally\.visits must be >= 1, got 0$"):
        SellerTally(seller_code="V01", visits=0, tally=0, last_sale_at=sp(2026, 5, 1))
    with pytest.raises(
        ValidationError, match=r"^SellerTally\.last_sale_at must be timezone-aware, got "
    ):
        SellerTally(seller_code="V01", visits=1, tally=1, last_sale_at=datetime(2026, 5, 1))


def test_results_serialize_to_json_ready_data() -> None:
    pref = preferred_seller([order("V01", sp(2026, 5, 1))], AS_OF)
    data = converter.unstructure(pref)
    assert data == {
        "customer_id": "C1",
        "seller_code": "V01",
        "tallies": [
            {
                "seller_code": "V01",
                "visits": 1,
                "tally": 1,
                "last_sale_at": "2026-05-01T15:00:00+00:00",
            }
        ],
        "decided_by": "only_candidate",
    }
    assert converter.structure(data, Preference) == pref
    assert converter.unstructure(PreferredSellerPolicy(window=relativedelta(months=18))) == {
        "time_zone": "America/Sao_Paulo",
        "window": {"years": 1, "months": 6},
        "cap": 5,
    }


# ---------------------------------------------------------------------------
# Redistribution: Inative um vendedor, Aleatório
# ---------------------------------------------------------------------------


GONE = seller("V01", active=False)
TEAM = [
    GONE,
    seller("V02"),
    seller("V03"),
    seller("V04"),
    seller("V05", active=False),
    seller("V90", "L02"),
]
CUSTOMERS = [f"C{n:02d}" for n in range(1, 11)]


def test_to_a_specific_seller_of_the_store() -> None:
    """ "redistribuir sua carteira de clientes para um vendedor específico de sua loja"."""
    result = redistribute(CUSTOMERS, GONE, TEAM, ToSeller("V03"))
    assert result == dict.fromkeys(CUSTOMERS, "V03")


def test_aleatorio_balances_over_the_active_sellers_of_the_store() -> None:
    """ "distribuição dos clientes de forma equilibrada entre todos os seus
    vendedores cadastrados e ativos" (opção "Aleatório").

    10 customers, 3 active sellers in L01 (V02, V03, V04): 4, 3 and 3. The
    inactive V05 and V90 of store L02 receive nobody.
    """
    result = redistribute(CUSTOMERS, GONE, TEAM, Balanced(2026))
    assert sorted(result) == CUSTOMERS
    counts = Counter(result.values())
    assert set(counts) == {"V02", "V03", "V04"}
    assert sorted(counts.values()) == [3, 3, 4]


def test_aleatorio_is_repeatable_and_ignores_input_order() -> None:
    first = redistribute(CUSTOMERS, GONE, TEAM, Balanced(7))
    again = redistribute(list(reversed(CUSTOMERS)), GONE, list(reversed(TEAM)), Balanced(7))
    assert first == again
    others = {
        tuple(sorted(redistribute(CUSTOMERS, GONE, TEAM, Balanced(s)).items())) for s in range(20)
    }
    assert len(others) > 1  # the seed matters


def test_aleatorio_golden_assignment() -> None:
    # Pinned so that another implementation replaying random.Random(seed)
    # (sorted customers shuffled, then sorted sellers shuffled, dealt
    # round-robin) gets the same answer.
    result = redistribute(["C1", "C2", "C3", "C4", "C5"], GONE, TEAM, Balanced(42))
    expected_customers = ["C1", "C2", "C3", "C4", "C5"]
    expected_sellers = ["V02", "V03", "V04"]
    rng = random.Random(42)
    rng.shuffle(expected_customers)
    rng.shuffle(expected_sellers)
    expected = {c: expected_sellers[i % 3] for i, c in enumerate(expected_customers)}
    assert result == expected


def test_no_customers_is_an_empty_mapping() -> None:
    assert redistribute([], GONE, TEAM, Balanced(1)) == {}
    assert redistribute([], GONE, TEAM, ToSeller("V02")) == {}


def test_the_inactive_seller_must_be_inactive_first() -> None:
    with pytest.raises(
        RuleViolation,
        match=r"^seller 'V02' is still active; inactivate it before redistributing its customers$",
    ):
        redistribute(CUSTOMERS, seller("V02"), TEAM, Balanced(1))


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (ToSeller("V05"), r"^seller 'V05' is inactive and cannot receive customers$"),
        (ToSeller("V01"), r"^seller 'V01' is inactive and cannot receive customers$"),
        (
            ToSeller("V90"),
            r"^seller 'V90' works in store 'L02', not in 'L01'; "
            r"customers can only move within the store$",
        ),
    ],
)
def test_the_target_must_be_an_active_seller_of_the_store(target: ToSeller, message: str) -> None:
    with pytest.raises(RuleViolation, match=message):
        redistribute(CUSTOMERS, GONE, TEAM, target)


def test_the_inactive_seller_cannot_receive_its_own_customers() -> None:
    others = [s for s in TEAM if s.code != GONE.code]
    with pytest.raises(RuleViolation, match="'V01' is inactive"):
        redistribute(CUSTOMERS, GONE, others, ToSeller("V01"))


def test_a_store_without_active_sellers_cannot_receive() -> None:
    lonely = [GONE, seller("V05", active=False), seller("V90", "L02")]
    with pytest.raises(
        RuleViolation, match=r"^store 'L01' has no active seller to receive the customers$"
    ):
        redistribute(CUSTOMERS, GONE, lonely, Balanced(1))


def test_unknown_target_code_is_not_found() -> None:
    with pytest.raises(NotFound, match=r"^Seller 'V99' not found$") as info:
        redistribute(CUSTOMERS, GONE, TEAM, ToSeller("V99"))
    assert (info.value.kind, info.value.key) == ("Seller", "V99")


@pytest.mark.parametrize(
    ("args", "field", "message"),
    [
        (
            {"customer_ids": ["C1", "C2", "C1"]},
            "customer_ids[2]",
            "customer_ids[2] must not repeat a customer id, got 'C1'",
        ),
        (
            {"customer_ids": ["C1", ""]},
            "customer_ids[1]",
            "customer_ids[1] must not be empty, got ''",
        ),
        ({"customer_ids": ["C1", 2]}, "customer_ids[1]", "customer_ids[1] must be a string, got 2"),
        (
            {"customer_ids": ["C" * 101]},
            "customer_ids[0]",
            f"customer_ids[0] must be at most 100 characters, got {'C' * 101!r}",
        ),
        (
            {"customer_ids": "C1"},
            "customer_ids",
            "customer_ids must be an iterable of customer ids, got 'C1'",
        ),
        ({"from_seller": "V01"}, "from_seller", "from_seller must be a Seller, got 'V01'"),
        (
            {"store_sellers": [GONE, "V02"]},
            "store_sellers[1]",
            "store_sellers[1] must be a Seller, got 'V02'",
        ),
        (
            {"store_sellers": [GONE, seller("V02"), seller("V02", "L02")]},
            "store_sellers[2]",
            "store_sellers[2] must not repeat a seller code, got 'V02'",
        ),
        (
            {"store_sellers": [seller("V01"), seller("V02")]},
            "store_sellers[0]",
            "store_sellers[0] must agree with from_seller, which has the same code, "
            f"got {seller('V01')!r}",
        ),
        (
            {"store_sellers": None},
            "store_sellers",
            "store_sellers must be an iterable of Seller, got None",
        ),
        ({"target": "V02"}, "target", "target must be ToSeller(code) or Balanced(seed), got 'V02'"),
    ],
)
def test_bad_redistribution_input_is_a_validation_error(
    args: dict[str, Any], field: str, message: str
) -> None:
    call: dict[str, Any] = {
        "customer_ids": CUSTOMERS,
        "from_seller": GONE,
        "store_sellers": TEAM,
        "target": Balanced(1),
    }
    call.update(args)
    with pytest.raises(ValidationError, match=f"^{re.escape(message)}$") as info:
        redistribute(**call)
    assert info.value.field == field


def test_targets_are_a_tagged_union_in_json() -> None:
    assert converter.unstructure(Balanced(3)) == {"kind": "balanced", "seed": 3}
    assert converter.structure({"kind": "to_seller", "code": "V02"}, ToSeller | Balanced) == (
        ToSeller("V02")
    )
    with pytest.raises(ValidationError) as info:
        converter.structure({"kind": "aleatorio"}, ToSeller | Balanced)
    assert info.value.field == "RedistributionTarget.kind"
    with pytest.raises(ValidationError, match=r"Balanced\.seed"):
        converter.structure({"kind": "balanced", "seed": 1.5}, ToSeller | Balanced)


# ---------------------------------------------------------------------------
# Suggestion limiter: Limitador de Sugestões
# ---------------------------------------------------------------------------


def test_limit_from_hours_idle_share_and_conversation_time() -> None:
    """ "O Limitador de Sugestões define a quantidade ideal de sugestões diárias,
    considerando: horas trabalhadas, ociosidade, tempo médio de conversa."

    8 hours, 25% idle = 120 idle minutes; 6 minutes a conversation = 20.
    """
    assert SuggestionLimiter(0, 100).daily_limit(8, Decimal("0.25"), 6) == 20
    # 7.5 h * 60 * 0.3 = 135 minutes / 4.5 = 30
    assert (
        SuggestionLimiter(0, 100).daily_limit(Decimal("7.5"), Decimal("0.3"), Decimal("4.5")) == 30
    )
    # 135 / 4 = 33.75 -> 33
    assert SuggestionLimiter(0, 100).daily_limit(Decimal("7.5"), Decimal("0.3"), 4) == 33


def test_limit_is_clamped() -> None:
    limiter = SuggestionLimiter(10, 25)
    assert limiter.daily_limit(8, Decimal("0.25"), 6) == 20
    assert limiter.daily_limit(8, 1, 1) == 25
    assert limiter.daily_limit(0, 1, 1) == 10
    assert limiter.daily_limit(8, 0, 1) == 10
    assert SuggestionLimiter(7, 7).daily_limit(8, 1, 1) == 7


def test_the_floor_is_exact_where_binary_floats_are_not() -> None:
    # 6 h * 60 * 0.35 = 126 minutes exactly; in binary floats it is 125.99999999999999.
    assert math.floor(6 * 60 * 0.35 / 1) == 125
    assert SuggestionLimiter(0, 1000).daily_limit(6, Decimal("0.35"), 1) == 126
    assert SuggestionLimiter(0, 1000).daily_limit(6, Fraction(7, 20), 1) == 126


_HOURS = "must be an int or a decimal.Decimal such as Decimal('7.5')"
_IDLE = "must be an int or a decimal.Decimal such as Decimal('0.25')"
_MINUTES = "must be an int or a decimal.Decimal such as Decimal('4.5')"
_FLOATS = "; floats are refused because the floor must be exact"


@pytest.mark.parametrize(
    ("args", "field", "rule", "full_rule"),
    [
        ((Decimal(-1), 1, 1), "hours_worked", "must be >= 0", "must be >= 0"),
        (
            (8, Decimal("1.01"), 1),
            "idle_share",
            "must be between 0 and 1",
            "must be between 0 and 1",
        ),
        ((8, -1, 1), "idle_share", "must be between 0 and 1", "must be between 0 and 1"),
        ((8, 1, 0), "avg_conversation_minutes", "must be > 0", "must be > 0"),
        ((8, 1, Decimal("-0.5")), "avg_conversation_minutes", "must be > 0", "must be > 0"),
        ((8.0, 1, 1), "hours_worked", "floats are refused", _HOURS + _FLOATS),
        ((8, 0.5, 1), "idle_share", "floats are refused", _IDLE + _FLOATS),
        ((8, 1, 4.5), "avg_conversation_minutes", "floats are refused", _MINUTES + _FLOATS),
        ((True, 1, 1), "hours_worked", "must be an int or a decimal.Decimal", _HOURS),
        ((8, True, 1), "idle_share", "must be an int or a decimal.Decimal", _IDLE),
        ((8, 1, True), "avg_conversation_minutes", "must be an int or a decimal.Decimal", _MINUTES),
        (("8", 1, 1), "hours_worked", "must be an int or a decimal.Decimal", _HOURS),
        ((8, "1", 1), "idle_share", "must be an int or a decimal.Decimal", _IDLE),
        ((8, 1, "1"), "avg_conversation_minutes", "must be an int or a decimal.Decimal", _MINUTES),
        ((Decimal("NaN"), 1, 1), "hours_worked", "finite", f"{_HOURS} (finite)"),
        ((8, Decimal("sNaN"), 1), "idle_share", "finite", f"{_IDLE} (finite)"),
        (
            (8, 1, Decimal("Infinity")),
            "avg_conversation_minutes",
            "finite",
            f"{_MINUTES} (finite)",
        ),
    ],
)
def test_bad_limiter_input(
    args: tuple[Any, Any, Any], field: str, rule: str, full_rule: str
) -> None:
    bad = args[("hours_worked", "idle_share", "avg_conversation_minutes").index(field)]
    message = f"{field} {full_rule}, got {bad!r}"
    with pytest.raises(ValidationError, match=f"^{re.escape(message)}$") as info:
        SuggestionLimiter(0, 10).daily_limit(*args)
    assert info.value.field == field
    assert rule in info.value.rule
    assert info.value.value is bad


@pytest.mark.parametrize(
    ("bounds", "field", "message"),
    [
        ((11, 10), "SuggestionLimiter.minimum", "must be <= maximum (10), got 11"),
        ((-1, 10), "SuggestionLimiter.minimum", "must be >= 0, got -1"),
        ((0, -1), "SuggestionLimiter.maximum", "must be >= 0, got -1"),
        ((0, 1.5), "SuggestionLimiter.maximum", "must be an integer, got 1.5"),
        (("0", 10), "SuggestionLimiter.minimum", "must be an integer, got '0'"),
    ],
)
def test_bad_limiter_bounds(bounds: tuple[Any, Any], field: str, message: str) -> None:
    with pytest.raises(ValidationError, match=f"^{re.escape(f'{field} {message}')}$") as info:
        SuggestionLimiter(*bounds)
    assert info.value.field == field


def test_limiter_round_trips() -> None:
    data = converter.unstructure(SuggestionLimiter(5, 40))
    assert data == {"minimum": 5, "maximum": 40}
    assert converter.structure(data, SuggestionLimiter) == SuggestionLimiter(5, 40)
    with pytest.raises(ValidationError, match=r"SuggestionLimiter\.minimum"):
        converter.structure({"minimum": 50, "maximum": 40}, SuggestionLimiter)
