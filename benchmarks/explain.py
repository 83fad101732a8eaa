"""Benchmark: ``explain_customer`` for 1,000 random customers of a generated day, beside an anchor.

Builds a seeded brand in a store (memory, or an SQLite file): customers (30% with a CPF,
70% with a birth date), one order for 60% of them and their RFV snapshot, the carteira
(5% of the sellers inactive), 12 campaigns with varied audiences, channels and
quarantines, consent (WhatsApp 60%, SMS 30%, e-mail 40%, 5% later revocations), 1% of
the CPFs blocked for campaigns, contacts of the last 14 days (5% of the customers, a
tenth with a follow-up due on the day), a week of earlier suggestions and custom
workloads for 10% of the sellers. Then:

1. ``generate_suggestions`` for the day (timed once: planning plus storing every
   customer's outcome in the same transaction);
2. ``explain_customer`` for 1,000 random customers of the generated day (one stored row
   each): median and p99 milliseconds, beside the **anchor**: a plain ``SELECT`` of the
   same stored row by primary key through the same connection (SQLite), or a dict look-up
   of the stored explanation (memory), and ``SuggestionPlan.explain`` on the plan in hand;
3. ``explain_customer`` for 20 random customers of a day *not* generated (the next day):
   only those customers' sellers' carteiras are planned.

Prints seconds, milliseconds, the ratio to the anchor and the process's peak RSS. Sizes
above 200k customers must run under the shared lock::

    python benchmarks/explain.py --store sqlite --customers 100000 --sellers 500
    flock /work/bench.lock python benchmarks/explain.py --store memory --customers 1000000
    python benchmarks/explain.py --quick            # a tiny smoke run of both stores
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from _synthetic import DAY, customer_with_sale
from _synthetic import at_hour as _at
from _synthetic import cpf_of as _cpf

from otocore.adapters.memory import InMemoryUnitOfWork
from otocore.adapters.sql import open_database
from otocore.attendance import explain_customer, generate_suggestions
from otocore.blocking import BlockEvent, BlockFeature
from otocore.campaigns import Campaign
from otocore.consent import ConsentEvent, ConsentSource, ContactChannel
from otocore.contacts import Contact, FollowUp
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
)
from otocore.portfolio import AssignmentReason, PortfolioAssignment
from otocore.repositories import UnitOfWork
from otocore.rfv import RfvScore, default_grid
from otocore.sellers import Seller, SellerStatus, Store
from otocore.suggestions import (
    SellerWorkload,
    Suggestion,
    SuggestionKind,
    SuggestionReason,
)

CHANNELS = (ContactChannel.WHATSAPP, ContactChannel.SMS, ContactChannel.EMAIL)
BATCH = 20_000


def _campaigns(rng: random.Random) -> list[Campaign]:
    audiences: list[Filter] = [
        BirthdayInMonth(),
        BirthdayWithin(days_before=3, days_after=7),
        DaysSinceLastPurchase(min=7, max=14),
        SegmentIn(["at_risk", "cant_lose"]),
        VScoreBetween(min=4),
        AllOf([HasPurchases(), VScoreBetween(max=2)]),
        Not(HasPurchases()),
        NewCustomer(days=60),
        AnyOf([SegmentIn(["hibernating"]), DaysSinceLastPurchase(min=120)]),
        AllOf([]),
    ]
    return [
        Campaign(
            campaign_id=f"CAMP{n:02d}",
            name=f"Campanha {n}",
            priority=rng.randint(1, 10),
            first_day=DAY - timedelta(days=rng.randint(1, 60)),
            last_day=DAY - timedelta(days=1) if n == 3 else DAY + timedelta(days=30),
            audience=audiences[n % len(audiences)],
            channels=rng.sample(CHANNELS, rng.randint(1, 3)),
            message="Olá, {primeiro_nome}! Aqui é {vendedor}, da {loja}. Temos novidades.",
            quarantine_days=rng.choice([0, 7, 15, 30]),
            active=n != 5,
        )
        for n in range(12)
    ]


def _chunks(items: Iterator[Any]) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= BATCH:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def load_brand(uow: UnitOfWork, customers: int, sellers: int, seed: int) -> list[str]:
    """Store a seeded brand in ``uow`` (in blocks of ``BATCH`` rows); return the customer ids."""
    rng = random.Random(seed)
    stores = [Store(store_id=f"L{n:03d}", name=f"Loja {n}") for n in range(max(1, sellers // 10))]
    seller_list = [
        Seller(
            code=f"V{n:05d}",
            name=f"Vendedor {n}",
            store_id=stores[n % len(stores)].store_id,
            status=SellerStatus.INACTIVE if rng.random() < 0.05 else SellerStatus.ACTIVE,
        )
        for n in range(sellers)
    ]
    campaigns = _campaigns(rng)
    grid = [s.key for s in default_grid().segments]
    ids = [f"C{n:07d}" for n in range(customers)]
    with uow:
        for store in stores:
            uow.stores.add(store)
        for seller in seller_list:
            uow.sellers.add(seller)
        for campaign in campaigns:
            uow.campaigns.add(campaign)
        for seller in seller_list:
            if rng.random() < 0.1:
                uow.workloads.set(seller.code, SellerWorkload(hours_worked=rng.randint(4, 10)))
    scores: dict[str, RfvScore] = {}
    old = _at(DAY - timedelta(days=400), rng)
    for chunk in _chunks(iter(enumerate(ids))):
        orders, assignments, consents = [], [], []
        with uow:
            for n, cid in chunk:
                customer, order, score = customer_with_sale(n, cid, rng, seller_list, grid)
                uow.customers.add(customer)
                if order is not None and score is not None:
                    orders.append(order)
                    scores[cid] = score
                assignments.append(
                    PortfolioAssignment(
                        customer_id=cid,
                        seller_code=seller_list[rng.randrange(sellers)].code,
                        since=DAY - timedelta(days=30),
                        reason=AssignmentReason.DAILY_RULE,
                    )
                )
                for channel, share in zip(CHANNELS, (0.6, 0.3, 0.4), strict=True):
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
            uow.orders.add_many(orders)
            uow.portfolio.set_many(assignments)
            uow.consent.append_many(consents)
    with uow:
        uow.rfv.save(DAY - timedelta(days=1), scores)
        blocked = [n for n in range(customers) if n % 10 == 7][: customers // 300]
        uow.blocks.append_many(
            BlockEvent(
                cpf=_cpf(100_000_000 + n),
                features=frozenset({BlockFeature.CAMPAIGNS}),
                blocked=True,
                reason="pedido do cliente",
                by="u-sac",
                at=_at(DAY - timedelta(days=rng.randrange(1, 300)), rng),
            )
            for n in blocked
        )
        contacts = []
        for n, cid in enumerate(rng.sample(ids, customers // 20)):
            when = _at(DAY - timedelta(days=rng.randrange(1, 15)), rng)
            contacts.append(
                Contact(
                    contact_id=f"A{n:07d}",
                    seller_code=seller_list[rng.randrange(sellers)].code,
                    customer_id=cid,
                    campaign_id=rng.choice(campaigns).campaign_id if rng.random() < 0.7 else None,
                    channel=rng.choice(CHANNELS),
                    started_at=when,
                    finished_at=when + timedelta(minutes=12),
                    follow_up=FollowUp(day=DAY, note="Retomar a conversa") if n % 10 == 0 else None,
                    in_portfolio=True,
                )
            )
        uow.contacts.add_many(contacts)
        earlier: dict[date, list[Suggestion]] = {}
        for cid in rng.sample(ids, customers // 10):
            day = DAY - timedelta(days=rng.randrange(1, 8))
            campaign = rng.choice(campaigns)
            earlier.setdefault(day, []).append(
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
        for day, suggestions in sorted(earlier.items()):
            uow.suggestions.save_day(day, suggestions)
    return ids


def _ms(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1e3, p99 * 1e3


def _timed(fn: Callable[[str], Any], sample: list[str]) -> list[float]:
    out = []
    for cid in sample:
        start = time.perf_counter()
        fn(cid)
        out.append(time.perf_counter() - start)
    return out


def _maxrss_mib() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def run(*, store: str, customers: int, sellers: int, seed: int, folder: Path) -> None:
    """Build the brand in ``store``, generate the day and time the explanations."""
    print(f"--- {store}: {customers:,} customers, {sellers:,} sellers, seed {seed}, day {DAY}")
    db = None
    if store == "memory":
        uow: UnitOfWork = InMemoryUnitOfWork()
    else:
        db = open_database(folder / f"explain-{customers}.sqlite", upgrade=True)
        uow = db.unit_of_work()
    start = time.perf_counter()
    ids = load_brand(uow, customers, sellers, seed)
    print(f"brand stored in {time.perf_counter() - start:.1f} s (not timed below)")

    start = time.perf_counter()
    plan = generate_suggestions(uow, DAY)
    generated = time.perf_counter() - start
    with uow:
        stored = uow.outcomes.count(DAY)
    print(
        f"generate_suggestions: {generated:.2f} s for {len(plan):,} suggestions and "
        f"{stored:,} stored outcomes ({stored / generated:,.0f} customers/s, all included)"
    )
    start = time.perf_counter()
    everyone = sum(1 for _ in plan.explain_all())
    print(
        f"  of which explain_all (every customer's Explanation, no write): "
        f"{time.perf_counter() - start:.2f} s for {everyone:,} customers"
    )

    sample = random.Random(seed + 1).sample(ids, min(1_000, len(ids)))
    ours = _timed(lambda cid: explain_customer(uow, cid, DAY), sample)
    in_hand = _timed(plan.explain, sample)
    if db is not None:
        query = sa.text("SELECT * FROM day_outcomes WHERE day = :day AND customer_id = :cid")
        with uow:
            conn = uow._conn()  # type: ignore[attr-defined] - the same connection, on purpose

            def select(cid: str) -> Any:
                return conn.execute(query, {"day": DAY.isoformat(), "cid": cid}).first()

            anchor = _timed(select, sample)
        anchor_name = "plain SELECT by primary key, same connection (inside an open block)"
    else:
        with uow:
            outcomes = uow.outcomes

            def look_up(cid: str) -> Any:
                return outcomes.get(DAY, cid)

            anchor = _timed(look_up, sample)
        anchor_name = "uow.outcomes.get inside an open block (the stored value, no block opened)"
    ours_med, ours_p99 = _ms(ours)
    anchor_med, anchor_p99 = _ms(anchor)
    hand_med, hand_p99 = _ms(in_hand)
    print(
        f"explain_customer, generated day ({len(sample):,} customers): "
        f"median {ours_med:.3f} ms, p99 {ours_p99:.3f} ms"
    )
    print(
        f"  anchor, {anchor_name}: median {anchor_med:.3f} ms, p99 {anchor_p99:.3f} ms; "
        f"ratio {ours_med / anchor_med:.1f}x (median)"
    )
    print(
        f"  SuggestionPlan.explain on the plan in hand: median {hand_med:.3f} ms, p99 {hand_p99:.3f} ms"
    )

    few = sample[:20]
    partial = _timed(lambda cid: explain_customer(uow, cid, DAY + timedelta(days=1)), few)
    part_med, part_p99 = _ms(partial)
    print(
        f"explain_customer, day NOT generated ({len(few)} customers, planning their sellers' "
        f"carteiras): median {part_med:.1f} ms, p99 {part_p99:.1f} ms"
    )
    print(f"process max RSS: {_maxrss_mib():,.0f} MiB")
    if db is not None:
        db.close()


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the flags and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--store", choices=["memory", "sqlite"], default="memory")
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--sellers", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--quick", action="store_true", help="a tiny run of both stores")
    args = parser.parse_args(argv)
    print(f"python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as folder:
        if args.quick:
            for store in ("memory", "sqlite"):
                run(store=store, customers=2_000, sellers=20, seed=args.seed, folder=Path(folder))
            return
        run(
            store=args.store,
            customers=args.customers,
            sellers=args.sellers,
            seed=args.seed,
            folder=Path(folder),
        )


if __name__ == "__main__":
    main()
