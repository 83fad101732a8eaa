"""Benchmark: one day's suggestions for a generated brand (1M customers, 5,000 sellers, 20 campaigns).

Builds the inputs directly in memory with ``random.Random(seed)`` (no SQL): customers (30%
with a CPF, 70% with a birth date), one purchase for 60% of them and their RFV scores, the
carteira (5% of the sellers inactive), 20 campaigns with varied audiences, channels and
quarantines (two inactive, two out of period), consent (WhatsApp 60%, SMS 30%, e-mail 40%,
5% later revocations), CPFs blocked for campaigns (1% of CPFs), contacts of the last 14 days
(5% of the customers, a tenth with a follow-up due today), a week of earlier suggestions,
custom workloads for 10% of the sellers and 0.1% anonymized customers. Then it times
:func:`otocore.suggestions.plan_suggestions` (median wall-clock and CPU seconds of ``--repeat``
runs) beside a hand-written anchor in the same run (a plain loop over prebuilt dicts doing the
rule's per-customer checks, ``heapq.nsmallest`` per seller, no ``Suggestion`` values; it checks
that the anchor's lists are the plan's) and prints the ratio; what ``generate_suggestions`` pays
before planning (the consent ledger, the day's consent index, ``facts_for_brand``); ``explain``
for 1,000 customers; with ``--check``, the columnar planner against the one-by-one one, row for
row; the peak memory the planning allocates with :mod:`tracemalloc` (one extra, untimed run) and
the process's maximum resident set size.

Usage::

    python benchmarks/suggestions.py --check           # 1M customers, 3 runs (under the lock)
    python benchmarks/suggestions.py --customers 200000 --sellers 1000 --repeat 1
    python benchmarks/suggestions.py --quick           # a tiny smoke run
"""

from __future__ import annotations

import argparse
import gc
import heapq
import random
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from _synthetic import DAY, customer_with_sale
from _synthetic import at_hour as _at

from otocore.blocking import BlockEvent, BlockFeature, BlockList
from otocore.campaigns import Campaign
from otocore.consent import ConsentEvent, ConsentLedger, ConsentSource, ContactChannel
from otocore.contacts import Contact, FollowUp
from otocore.distribution import SuggestionLimiter
from otocore.filters import (
    AllOf,
    AnyOf,
    BirthdayInMonth,
    BirthdayWithin,
    DaysSinceLastPurchase,
    Filter,
    HasPurchases,
    NewCustomer,
    Not,
    SegmentIn,
    VScoreBetween,
    facts_for_brand,
)
from otocore.portfolio import AssignmentReason, PortfolioAssignment
from otocore.rfv import default_grid
from otocore.sellers import Seller, SellerStatus, Store
from otocore.suggestions import (
    SellerWorkload,
    Suggestion,
    SuggestionKind,
    SuggestionPolicy,
    SuggestionReason,
    plan_suggestions,
)

CHANNELS = tuple(ContactChannel)


def _campaigns(rng: random.Random, count: int) -> list[Campaign]:
    audiences: list[Filter] = [
        BirthdayInMonth(),
        BirthdayWithin(days_before=3, days_after=7),
        DaysSinceLastPurchase(min=30, max=30),
        DaysSinceLastPurchase(min=7, max=14),
        SegmentIn(["at_risk", "cant_lose"]),
        SegmentIn(["champions"]),
        VScoreBetween(min=4),
        AllOf([HasPurchases(), VScoreBetween(max=2)]),
        Not(HasPurchases()),
        NewCustomer(days=60),
        AnyOf([SegmentIn(["hibernating"]), DaysSinceLastPurchase(min=120)]),
        AllOf([]),
    ]
    out = []
    for n in range(count):
        channels = rng.sample(CHANNELS[:3], rng.randint(1, 3))
        out_of_period = n in (3, 11)
        out.append(
            Campaign(
                campaign_id=f"CAMP{n:02d}",
                name=f"Campanha {n}",
                priority=rng.randint(1, 10),
                first_day=DAY - timedelta(days=rng.randint(1, 60)),
                last_day=DAY - timedelta(days=1) if out_of_period else DAY + timedelta(days=30),
                audience=audiences[n % len(audiences)],
                channels=channels,
                message="Olá, {primeiro_nome}! Aqui é {vendedor}, da {loja}. Temos novidades.",
                quarantine_days=rng.choice([0, 7, 15, 30, 60]),
                active=n not in (5, 17),
            )
        )
    return out


def make_brand(
    customers: int, sellers: int, stores: int, campaigns: int, seed: int
) -> dict[str, Any]:
    """The keyword arguments of ``plan_suggestions`` for a seeded synthetic brand."""
    return make_brand_and_raw(customers, sellers, stores, campaigns, seed)[0]


def make_brand_and_raw(
    customers: int, sellers: int, stores: int, campaigns: int, seed: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    """:func:`make_brand`, and the raw data it was built from.

    The raw data (customers, orders, RFV scores, consent events) is what
    ``attendance.generate_suggestions`` loads and turns into the plan's inputs.
    """
    rng = random.Random(seed)
    store_list = [Store(store_id=f"L{n:03d}", name=f"Loja {n}") for n in range(stores)]
    seller_list = [
        Seller(
            code=f"V{n:05d}",
            name=f"Vendedor {n}",
            store_id=store_list[n % stores].store_id,
            status=SellerStatus.INACTIVE if rng.random() < 0.05 else SellerStatus.ACTIVE,
        )
        for n in range(sellers)
    ]
    grid_keys = [s.key for s in default_grid().segments]
    ids = [f"C{n:07d}" for n in range(customers)]
    people, orders, scores = [], [], {}
    for n, cid in enumerate(ids):
        customer, order, score = customer_with_sale(n, cid, rng, seller_list, grid_keys)
        people.append(customer)
        if order is not None and score is not None:
            orders.append(order)
            scores[cid] = score
    facts = facts_for_brand(people, orders, DAY, rfv_scores=scores)
    assignments = [
        PortfolioAssignment(
            customer_id=cid,
            seller_code=seller_list[rng.randrange(sellers)].code,
            since=DAY - timedelta(days=30),
            reason=AssignmentReason.DAILY_RULE,
        )
        for cid in ids
    ]
    old = _at(DAY - timedelta(days=400), rng)
    consents = []
    for cid in ids:
        for channel, share in ((CHANNELS[0], 0.6), (CHANNELS[1], 0.3), (CHANNELS[2], 0.4)):
            if rng.random() < share:
                consents.append(
                    ConsentEvent(
                        customer_id=cid,
                        channel=channel,
                        granted=True,
                        at=old,
                        source=ConsentSource.IMPORT,
                        recorded_by="import",
                    )
                )
                if rng.random() < 0.05:
                    consents.append(
                        ConsentEvent(
                            customer_id=cid,
                            channel=channel,
                            granted=False,
                            at=_at(DAY - timedelta(days=rng.randrange(0, 90)), rng),
                            source=ConsentSource.SELLER_APP,
                            recorded_by="V00000",
                        )
                    )
    cpfs = [p.cpf for p in people if p.cpf is not None]
    blocks = [
        BlockEvent(
            cpf=cpf,
            features=frozenset({BlockFeature.CAMPAIGNS}),
            blocked=True,
            reason="pedido do cliente",
            by="u-sac",
            at=_at(DAY - timedelta(days=rng.randrange(1, 300)), rng),
        )
        for cpf in rng.sample(cpfs, len(cpfs) // 100)
    ]
    campaign_list = _campaigns(rng, campaigns)
    contacts = []
    for n, cid in enumerate(rng.sample(ids, customers // 20)):
        day = DAY - timedelta(days=rng.randrange(1, 15))
        when = _at(day, rng)
        contacts.append(
            Contact(
                contact_id=f"A{n:07d}",
                seller_code=seller_list[rng.randrange(sellers)].code,
                customer_id=cid,
                campaign_id=rng.choice(campaign_list).campaign_id if rng.random() < 0.7 else None,
                channel=rng.choice(CHANNELS[:3]),
                started_at=when,
                finished_at=when + timedelta(minutes=12),
                follow_up=FollowUp(day=DAY, note="Retomar a conversa") if n % 10 == 0 else None,
                in_portfolio=True,
            )
        )
    earlier = []
    for cid in rng.sample(ids, customers // 10):
        day = DAY - timedelta(days=rng.randrange(1, 8))
        campaign = rng.choice(campaign_list)
        earlier.append(
            Suggestion(
                suggestion_id=f"{day.isoformat()}:{cid}",
                day=day,
                seller_code=seller_list[0].code,
                customer_id=cid,
                kind=SuggestionKind.CAMPAIGN,
                campaign_id=campaign.campaign_id,
                channel=campaign.channels[0],
                message="Olá!",
                reason=SuggestionReason.CAMPAIGN,
                detail="earlier",
                rank=1,
            )
        )
    workloads = {
        s.code: SellerWorkload(hours_worked=rng.randint(4, 10))
        for s in seller_list
        if rng.random() < 0.1
    }
    return {
        "sellers": seller_list,
        "stores": store_list,
        "assignments": assignments,
        "facts": facts,
        "campaigns": campaign_list,
        "consent": ConsentLedger.from_events(consents),
        "blocks": BlockList.from_events(blocks),
        "contacts": contacts,
        "earlier_suggestions": earlier,
        "workloads": workloads,
        "anonymized": frozenset(rng.sample(ids, customers // 1000)),
        "policy": SuggestionPolicy(limiter=SuggestionLimiter(5, 40)),
    }, {"customers": people, "orders": orders, "scores": scores, "consents": consents}


def _time_runs(fn: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """Median wall-clock and median CPU seconds of ``repeat`` runs, and the last result."""
    wall, cpu = [], []
    result = None
    for _ in range(repeat):
        result = None
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu), result


def _peak_bytes(fn: Callable[[], Any]) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        result = fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return peak


def _maxrss_mib() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # kilobytes on Linux, bytes on macOS
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


# the hand-written anchor -------------------------------------------------------------


def _audience_tests(campaign: Campaign) -> Callable[[tuple[Any, ...]], bool]:
    """The campaign's audience as a plain function of a customer's flat row (see ``_flat``).

    Written by hand for the audiences :func:`_campaigns` draws; any other is refused.
    """
    window = {
        ((DAY + timedelta(days=d)).month, (DAY + timedelta(days=d)).day) for d in range(-3, 8)
    }
    a = campaign.audience
    tests: dict[str, Callable[[tuple[Any, ...]], bool]] = {
        "BirthdayInMonth(month=None)": lambda r: r[0] is not None and r[0].month == DAY.month,
        "BirthdayWithin(days_before=3, days_after=7)": lambda r: (
            r[0] is not None and (r[0].month, r[0].day) in window
        ),
        "DaysSinceLastPurchase(min=30, max=30)": lambda r: r[1] is not None and r[1] == 30,
        "DaysSinceLastPurchase(min=7, max=14)": lambda r: r[1] is not None and 7 <= r[1] <= 14,
        "SegmentIn(segments=('at_risk', 'cant_lose'))": lambda r: r[4] in ("at_risk", "cant_lose"),
        "SegmentIn(segments=('champions',))": lambda r: r[4] == "champions",
        "VScoreBetween(min=4, max=None)": lambda r: r[5] >= 4,
        "AllOf(filters=(HasPurchases(), VScoreBetween(min=None, max=2)))": lambda r: (
            r[2] > 0 and 0 < r[5] <= 2
        ),
        "Not(filter=HasPurchases())": lambda r: r[2] == 0,
        "NewCustomer(days=60)": lambda r: 0 <= r[3] < 60,
        "AnyOf(filters=(SegmentIn(segments=('hibernating',)), DaysSinceLastPurchase(min=120, "
        "max=None)))": lambda r: r[4] == "hibernating" or (r[1] is not None and r[1] >= 120),
        "AllOf(filters=())": lambda r: True,
    }
    return tests[repr(a)]


def _flat(facts: Any) -> tuple[Any, ...]:
    """(birth date, days since the last purchase, purchases, days registered, segment, v)."""
    rfv = facts.rfv
    last = facts.last_purchase
    return (
        facts.customer.birth_date,
        None if last is None else (DAY - last).days,
        facts.purchases,
        (DAY - facts.registered_on).days,
        None if rfv is None else rfv.segment,
        0 if rfv is None else rfv.v,
    )


def anchor_inputs(brand: dict[str, Any]) -> dict[str, Any]:
    """The plan's inputs reduced, untimed, to plain dicts and sets a hand-written loop reads.

    Computed here with otocore's own functions: each active customer's seller and flat
    row, the CPFs blocked that day, the customers in quarantine, the campaigns each
    customer's own quarantine holds, each customer's consent as a bit mask, the
    follow-ups due. The loop then does the per-customer checks of the rule.
    """
    from otocore.quarantine import contact_histories

    policy = brand["policy"]
    active = {s.code for s in brand["sellers"] if s.is_active}
    owner = {a.customer_id: a.seller_code for a in brand["assignments"]}
    blocked_digits = {c.digits for c in brand["blocks"].blocked_cpfs(BlockFeature.CAMPAIGNS, DAY)}
    facts = brand["facts"]
    rows = {cid: _flat(f) for cid, f in facts.items()}
    blocked = {
        cid
        for cid, f in facts.items()
        if f.customer.cpf is not None and f.customer.cpf.digits in blocked_digits
    }
    bit = {ch: 1 << i for i, ch in enumerate(ContactChannel)}
    ledger: ConsentLedger = brand["consent"]
    masks = {
        cid: sum(bit[ch] for ch in chans) for cid, chans in ledger.channels_by_customer(DAY).items()
    }
    histories = contact_histories(brand["contacts"], policy.quarantine)
    resting = {cid for cid, h in histories.items() if h.status(DAY).in_quarantine}
    running = sorted(
        (c for c in brand["campaigns"] if c.runs_on(DAY)), key=lambda c: (c.priority, c.campaign_id)
    )
    earlier: dict[str, dict[str, date]] = {}
    for sug in brand["earlier_suggestions"]:
        if sug.campaign_id is not None and sug.day < DAY:
            per = earlier.setdefault(sug.customer_id, {})
            per[sug.campaign_id] = max(per.get(sug.campaign_id, sug.day), sug.day)
    held = set()
    for cid in set(histories) | set(earlier):
        h = histories.get(cid)
        for c in running:
            if not c.quarantine_days:
                continue
            days = (
                [d for d in dict(h.campaign_days).get(c.campaign_id, ()) if d <= DAY] if h else []
            )
            if cid in earlier and c.campaign_id in earlier[cid]:
                days.append(earlier[cid][c.campaign_id])
            if days and (DAY - max(days)).days < c.quarantine_days:
                held.add((cid, c.campaign_id))
    # the follow-up due (one of an active seller first, then the latest), and the seller it
    # goes to: its own if active, else the customer's (checked in the loop)
    due: dict[str, Any] = {}
    for contact in brand["contacts"]:
        if contact.follow_up is not None and contact.follow_up.day == DAY:
            key = (contact.seller_code in active, contact.finished_at, contact.contact_id)
            held_key = due.get(contact.customer_id)
            if held_key is None or key > held_key[0]:
                due[contact.customer_id] = (key, contact)
    follow_ups: dict[str, tuple[str | None, int]] = {}
    for cid, (_, contact) in due.items():
        seller = contact.seller_code if contact.seller_code in active else owner.get(cid)
        follow_ups[cid] = (seller, bit[contact.channel])
    return {
        "active": active,
        "owner": owner,
        "rows": rows,
        "blocked": blocked,
        "masks": masks,
        "resting": resting,
        "held": held,
        "follow_ups": follow_ups,
        "anonymized": set(brand["anonymized"]),
        "campaigns": [
            (
                c.campaign_id,
                c.priority,
                sum(bit[ch] for ch in c.channels),
                [(bit[ch], ch) for ch in c.channels],
                _audience_tests(c),
            )
            for c in running
        ],
        "limits": None,
    }


def anchor_plan(a: dict[str, Any], limits: dict[str, int]) -> dict[str, list[tuple[Any, ...]]]:
    """A plain loop doing the rule's per-customer checks, then each seller's cut."""
    active, owner, rows = a["active"], a["owner"], a["rows"]
    blocked, masks, resting, held = a["blocked"], a["masks"], a["resting"], a["held"]
    follow_ups, anonymized, campaigns = a["follow_ups"], a["anonymized"], a["campaigns"]
    queues: dict[str, list[tuple[Any, ...]]] = {}
    for cid, seller in owner.items():
        if seller not in active or cid in anonymized or cid in follow_ups:
            continue
        row = rows.get(cid)
        if row is None or cid in blocked or cid in resting:
            continue
        mask = masks.get(cid, 0)
        for campaign_id, priority, wanted, channels, test in campaigns:
            if not mask & wanted or (cid, campaign_id) in held or not test(row):
                continue
            channel = next(ch for b, ch in channels if mask & b)
            queues.setdefault(seller, []).append((priority, -row[5], cid, campaign_id, channel))
            break
    for cid, (seller, channel_bit) in follow_ups.items():
        if cid in anonymized or seller not in active or cid not in rows or cid in blocked:
            continue
        if masks.get(cid, 0) & channel_bit:
            queues.setdefault(seller, []).append((0, -rows[cid][5], cid, None, None))
    return {code: heapq.nsmallest(limits[code], queue) for code, queue in queues.items()}


def _time_loading(raw: dict[str, Any], *, customers: int, repeat: int) -> None:
    """Time what generate_suggestions pays before planning (besides reading the store)."""
    wall, cpu, ledger = _time_runs(lambda: ConsentLedger.from_events(raw["consents"]), 1)
    print(
        f"ConsentLedger.from_events ({len(raw['consents']):,} events): {wall:.2f} s, {cpu:.2f} s CPU"
    )
    wall, cpu, granted = _time_runs(lambda: ledger.channels_by_customer(DAY), repeat)
    print(f"the day's consent index (channels_by_customer): {wall:.3f} s, {cpu:.3f} s CPU")
    ids = [c.customer_id for c in raw["customers"]]
    sample = ids[: max(1, len(ids) // 10)]
    wall, _, _ = _time_runs(lambda: [ledger.channels_granted(c, DAY) for c in sample], 1)
    print(
        f"  channels_granted asked per customer (attendance did it twice before this change): "
        f"{wall / len(sample) * len(ids):.2f} s (from a tenth)"
    )
    none: frozenset[ContactChannel] = frozenset()
    consents = {cid: granted.get(cid, none) for cid in ids}

    def facts() -> Any:
        return facts_for_brand(
            raw["customers"], raw["orders"], DAY, rfv_scores=raw["scores"], consents=consents
        )

    wall, cpu, _ = _time_runs(facts, repeat)
    print(
        f"facts_for_brand ({customers:,} customers, {len(raw['orders']):,} orders): "
        f"{wall:.2f} s, {cpu:.2f} s CPU (median of {repeat})"
    )


def _time_anchor(
    brand: dict[str, Any], result: Any, *, wall: float, cpu: float, repeat: int
) -> None:
    """Time the hand-written loop on the same brand, and check it finds the same lists."""
    reduced = anchor_inputs(brand)
    limits = dict(result.limits)
    a_wall, a_cpu, lists = _time_runs(lambda: anchor_plan(reduced, limits), repeat)
    print(
        f"anchor (a plain loop over prebuilt dicts, no Suggestion values): {a_wall:.2f} s wall, "
        f"{a_cpu:.2f} s CPU; plan_suggestions / anchor = {wall / a_wall:.2f}x wall, "
        f"{cpu / a_cpu:.2f}x CPU"
    )
    ours = {(s.seller_code, s.customer_id, s.campaign_id) for s in result}
    theirs = {(code, row[2], row[3]) for code, rows in lists.items() for row in rows}
    print(f"  the anchor's lists are ours: {ours == theirs} ({len(theirs):,} rows)")


# the run -------------------------------------------------------------------------------


def run(
    *,
    customers: int,
    sellers: int,
    stores: int,
    campaigns: int,
    repeat: int,
    seed: int,
    check: bool,
) -> None:
    """Build the brand, then print the timings and memory of one day's plan beside the anchor."""
    print(
        f"python {sys.version.split()[0]}, day={DAY}, seed={seed}, repeat={repeat}: "
        f"{customers:,} customers, {sellers:,} sellers, {stores:,} stores, {campaigns} campaigns"
    )
    start = time.perf_counter()
    brand, raw = make_brand_and_raw(customers, sellers, stores, campaigns, seed)
    print(f"inputs built in {time.perf_counter() - start:.1f} s (not timed below)")

    _time_loading(raw, customers=customers, repeat=repeat)
    del raw

    def plan() -> Any:
        return plan_suggestions(DAY, **brand)

    wall, cpu, result = _time_runs(plan, repeat)
    active = len(result.limits)
    print(
        f"plan_suggestions: {wall:.2f} s wall, {cpu:.2f} s CPU (median of {repeat}); "
        f"{len(result):,} suggestions for {active:,} active sellers "
        f"({sum(1 for s in result if s.kind is SuggestionKind.FOLLOW_UP):,} follow-ups)"
    )
    _time_anchor(brand, result, wall=wall, cpu=cpu, repeat=repeat)
    sample = random.Random(seed).sample(sorted(brand["facts"]), min(1_000, customers))
    start = time.perf_counter()
    outcomes: dict[str, int] = {}
    for cid in sample:
        outcome = result.explain(cid).outcome.value
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    per = (time.perf_counter() - start) / len(sample) * 1e6
    print(
        f"explain: {per:,.0f} µs per customer; outcomes of the sample: {dict(sorted(outcomes.items()))}"
    )
    if check:
        from otocore.suggestions._batch import allocate
        from otocore.suggestions._engine import Engine

        start = time.perf_counter()
        engine = Engine(day=DAY, **brand)
        same = engine.allocate_each() == allocate(engine, columnar=True)
        print(
            f"columnar plan == one-by-one plan, row for row: {same} "
            f"({time.perf_counter() - start:.1f} s for both)"
        )
    del result
    peak = _peak_bytes(plan) / (1024 * 1024)
    print(f"peak memory allocated by plan_suggestions: {peak:,.0f} MiB (tracemalloc)")
    print(f"process max RSS (inputs included): {_maxrss_mib():,.0f} MiB")


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the flags and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--sellers", type=int, default=5_000)
    parser.add_argument("--stores", type=int, default=500)
    parser.add_argument("--campaigns", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs (median)")
    parser.add_argument("--seed", type=int, default=20260511)
    parser.add_argument("--quick", action="store_true", help="a tiny brand, one run")
    parser.add_argument(
        "--check", action="store_true", help="also compare with the one-by-one planner"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.customers, args.sellers, args.stores, args.repeat = 5_000, 25, 5, 1
    sizes = (args.customers, args.sellers, args.stores, args.campaigns, args.repeat)
    if any(n < 1 for n in sizes) or args.stores > args.sellers:
        parser.error("sizes and --repeat must be positive, with no more stores than sellers")
    run(
        customers=args.customers,
        sellers=args.sellers,
        stores=args.stores,
        campaigns=args.campaigns,
        repeat=args.repeat,
        seed=args.seed,
        check=args.check,
    )


if __name__ == "__main__":
    main()
