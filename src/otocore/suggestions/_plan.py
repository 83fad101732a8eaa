"""One day's plan: :class:`~otocore.suggestions.SuggestionPlan` and its maker, ``plan_suggestions``.

Private to :mod:`otocore.suggestions`, which re-exports both.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from datetime import date, datetime
from types import MappingProxyType

from otocore import _validate as v
from otocore.blocking import BlockList
from otocore.campaigns import Campaign
from otocore.consent import ConsentLedger, ContactChannel
from otocore.contacts import Contact
from otocore.errors import NotFound
from otocore.filters import CustomerFacts
from otocore.portfolio import PortfolioAssignment
from otocore.sellers import Seller, Store
from otocore.suggestions._batch import allocate
from otocore.suggestions._engine import Engine
from otocore.suggestions._values import (
    DEFAULT_POLICY,
    Explanation,
    SellerWorkload,
    Suggestion,
    SuggestionOutcome,
    SuggestionPolicy,
)


class SuggestionPlan:
    """One day's suggestions for a whole brand, and the answer to "why (not)?" for any customer.

    Built by :func:`plan_suggestions`; read it with :meth:`for_seller`,
    :meth:`suggestion_for` and :meth:`explain`. Two plans are equal when
    they are for the same day with the same limits and suggestions.

    Attributes:
        day: the local day.
        suggestions: every suggestion, by seller code, then rank.
        limits: the daily limit of every active seller, by seller code.
    """

    __slots__ = (
        "_by_customer",
        "_by_seller",
        "_candidates",
        "_engine",
        "day",
        "limits",
        "suggestions",
    )

    day: date
    suggestions: tuple[Suggestion, ...]
    limits: Mapping[str, int]

    def __init__(
        self,
        engine: Engine,
        by_seller: dict[str, tuple[Suggestion, ...]],
        candidates: dict[str, int],
    ) -> None:
        self._engine = engine
        self.day = engine.day
        self.limits = MappingProxyType(dict(sorted(engine.limits.items())))
        self._by_seller = by_seller
        self.suggestions = tuple(s for code in sorted(by_seller) for s in by_seller[code])
        self._by_customer = {s.customer_id: s for s in self.suggestions}
        self._candidates = candidates

    def for_seller(self, seller_code: str) -> tuple[Suggestion, ...]:
        """The seller's list, by rank; empty for an inactive seller.

        Raises:
            NotFound: no seller has that code.

        >>> _tiny_plan().for_seller("V01")[0].customer_id
        'C1'
        """
        v.require_text("seller_code", seller_code, max_length=100)
        if seller_code not in self._engine.sellers:
            raise NotFound("Seller", seller_code)
        return self._by_seller.get(seller_code, ())

    def suggestion_for(self, customer_id: str) -> Suggestion | None:
        """The customer's suggestion that day, or ``None``.

        >>> _tiny_plan().suggestion_for("C9") is None
        True
        """
        v.require_text("customer_id", customer_id, max_length=100)
        return self._by_customer.get(customer_id)

    def candidates(self, seller_code: str) -> int:
        """How many customers were candidates for the seller's list before the cut.

        >>> _tiny_plan().candidates("V01")
        1
        """
        v.require_text("seller_code", seller_code, max_length=100)
        if seller_code not in self._engine.sellers:
            raise NotFound("Seller", seller_code)
        return self._candidates.get(seller_code, 0)

    def explain(self, customer_id: str) -> Explanation:
        """Why the customer was or was not suggested on :attr:`day`.

        >>> _tiny_plan().explain("C1").detail
        'campaign TODOS (Todos, priority 1): audience matched, quarantine clear, consent on whatsapp'
        """
        v.require_text("customer_id", customer_id, max_length=100)
        found = self._engine.evaluate(customer_id, explain=True)
        if isinstance(found, Explanation):
            return found
        assert found is not None  # noqa: S101 - explain=True never returns None
        kept = self._by_customer.get(customer_id)
        if kept is not None:
            return Explanation(
                customer_id=customer_id,
                day=self.day,
                outcome=SuggestionOutcome.SUGGESTED,
                detail=kept.detail,
                seller_code=kept.seller_code,
                campaign_id=kept.campaign_id,
                channel=kept.channel,
                suggestion=kept,
            )
        seller = found.seller_code
        limit = self.limits[seller]
        return Explanation(
            customer_id=found.customer_id,
            day=self.day,
            outcome=SuggestionOutcome.CUT_BY_LIMIT,
            detail=(
                f"cut by the limit: {seller} gets {limit} suggestions on {self.day} "
                f"and {self._candidates[seller]} customers were candidates"
            ),
            seller_code=seller,
            campaign_id=None if found.campaign is None else found.campaign.campaign_id,
            channel=found.channel,
        )

    def explain_all(self) -> Iterator[Explanation]:
        """:meth:`explain` for every customer the plan knows, by customer id.

        The customers with facts, in a carteira, with a follow-up due or
        anonymized; any other id would be NOT_IN_ACTIVE_PORTFOLIO ("in no
        carteira"). What :func:`otocore.attendance.generate_suggestions`
        stores for :func:`~otocore.attendance.explain_customer`.

        >>> for e in _tiny_plan().explain_all():
        ...     print(e.customer_id, e.outcome.value)
        C1 suggested
        """
        engine = self._engine
        known = set(engine.facts)
        known.update(engine.owner, engine.follow_ups, engine.anonymized)
        for customer_id in sorted(known):
            yield self.explain(customer_id)

    def __iter__(self) -> Iterator[Suggestion]:
        return iter(self.suggestions)

    def __len__(self) -> int:
        return len(self.suggestions)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SuggestionPlan):
            return NotImplemented
        return (self.day, self.limits, self.suggestions) == (
            other.day,
            other.limits,
            other.suggestions,
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"<SuggestionPlan for {self.day}: {len(self.suggestions)} suggestions, "
            f"{len(self.limits)} active sellers>"
        )


def plan_suggestions(
    day: date,
    *,
    sellers: Iterable[Seller],
    stores: Iterable[Store],
    assignments: Iterable[PortfolioAssignment],
    facts: Mapping[str, CustomerFacts],
    campaigns: Iterable[Campaign],
    consent: ConsentLedger,
    blocks: BlockList,
    contacts: Iterable[Contact] = (),
    earlier_suggestions: Iterable[Suggestion] = (),
    workloads: Mapping[str, SellerWorkload] | None = None,
    anonymized: Collection[str] = frozenset(),
    policy: SuggestionPolicy = DEFAULT_POLICY,
) -> SuggestionPlan:
    """Plan the suggestions of local day ``day`` for every active seller of a brand.

    A pure function of its arguments: the same values, given in any order,
    give the same plan. See the module docstring for the rule.

    Args:
        day: the local day (in ``policy.time_zone``).
        sellers: every seller of the brand (codes unique); only ACTIVE ones get a list.
        stores: the stores (ids unique); each active seller's store must be
            there (its name fills ``{loja}``).
        assignments: the carteira, one :class:`~otocore.portfolio.PortfolioAssignment`
            per customer.
        facts: :class:`~otocore.filters.CustomerFacts` by customer id, built for
            ``day`` (as :func:`otocore.filters.facts_for_brand` returns them);
            a customer without facts has no customer record. ``facts.rfv``
            gives the value score used to order the list.
        campaigns: every campaign (ids unique); those that run on ``day`` compete.
        consent: the brand's :class:`~otocore.consent.ConsentLedger`.
        blocks: the brand's :class:`~otocore.blocking.BlockList`.
        contacts: registered contacts: at least those whose day is within
            the quarantine windows before ``day``, and those with a follow-up
            on ``day`` (more never changes the result). Contact ids are unique.
        earlier_suggestions: stored suggestions of earlier days (later ones
            are ignored): a campaign suggested to a customer holds that
            campaign for its ``quarantine_days``.
        workloads: the :class:`SellerWorkload` of sellers that differ from
            the brand's default, by seller code.
        anonymized: ids of anonymized customers; never suggested.
        policy: the brand's :class:`SuggestionPolicy`.

    Returns:
        The :class:`SuggestionPlan`.

    Raises:
        ValidationError: any argument malformed or inconsistent (repeated
            ids, facts built for another day or filed under another id, a
            missing store, a ledger or block list in another time zone).

    >>> plan = _tiny_plan()
    >>> for s in plan:
    ...     print(s.seller_code, s.rank, s.customer_id, s.campaign_id)
    V01 1 C1 TODOS
    """
    engine = Engine(
        day=day,
        sellers=sellers,
        stores=stores,
        assignments=assignments,
        facts=facts,
        campaigns=campaigns,
        consent=consent,
        blocks=blocks,
        contacts=contacts,
        earlier_suggestions=earlier_suggestions,
        workloads=workloads,
        anonymized=anonymized,
        policy=policy,
    )
    by_seller, counts = allocate(engine)
    return SuggestionPlan(engine, by_seller, counts)


def _tiny_plan() -> SuggestionPlan:
    """A one-customer plan for the doctests: Ana, in Bruno's carteira, gets campaign TODOS.

    >>> plan = _tiny_plan()
    >>> plan
    <SuggestionPlan for 2026-05-11: 1 suggestions, 1 active sellers>
    >>> plan.for_seller("V01")[0].message
    'Oi, Ana! Bruno, da Loja Centro.'
    """
    from datetime import UTC, time

    from otocore.consent import ConsentPolicy
    from otocore.customers import Customer
    from otocore.filters import AllOf
    from otocore.portfolio import AssignmentReason

    day = date(2026, 5, 11)
    ana = Customer(
        customer_id="C1", name="Ana", registered_at=datetime.combine(day, time(), tzinfo=UTC)
    )
    everyone = Campaign(
        campaign_id="TODOS",
        name="Todos",
        priority=1,
        first_day=day,
        last_day=day,
        audience=AllOf([]),
        channels=[ContactChannel.WHATSAPP],
        message="Oi, {primeiro_nome}! {vendedor}, da {loja}.",
    )
    return plan_suggestions(
        day,
        sellers=[Seller(code="V01", name="Bruno", store_id="L01")],
        stores=[Store(store_id="L01", name="Loja Centro")],
        assignments=[
            PortfolioAssignment(
                customer_id="C1", seller_code="V01", since=day, reason=AssignmentReason.DAILY_RULE
            )
        ],
        facts={"C1": CustomerFacts.build(ana, [], day)},
        campaigns=[everyone],
        consent=ConsentLedger.from_events([], policy=ConsentPolicy(default_granted=True)),
        blocks=BlockList(),
    )
