"""Hypothesis strategies for :mod:`otocore.consent` and :mod:`otocore.blocking`.

Re-exported by :mod:`otocore.testing`. Event instants are drawn from a short
span by default (2026-05-01 to 2026-05-14) so that events of one customer
often fall on the same local day, at the same instant, or across midnight.
"""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import strategies as st

from otocore.blocking import BlockEvent, BlockFeature, BlockList
from otocore.consent import (
    ConsentEvent,
    ConsentLedger,
    ConsentPolicy,
    ConsentSource,
    ContactChannel,
)
from otocore.customers import Cpf
from otocore.testing._customers import cpfs
from otocore.testing._strategies import aware_datetimes, customer_ids, seller_codes

__all__ = [
    "block_events",
    "block_feature_sets",
    "block_lists",
    "consent_events",
    "consent_ledgers",
    "consent_policies",
]

_SPAN_START = datetime(2026, 5, 1, tzinfo=UTC)
_SPAN_END = datetime(2026, 5, 14, 23, 59, tzinfo=UTC)
_ZONES = ("America/Sao_Paulo", "America/Manaus", "America/Noronha", "UTC")


def _instants() -> st.SearchStrategy[datetime]:
    # Whole quarter-hours, so that equal instants (ties) are common.
    return aware_datetimes(min_value=_SPAN_START, max_value=_SPAN_END).map(
        lambda d: d.replace(minute=d.minute - d.minute % 15, second=0)
    )


def consent_policies() -> st.SearchStrategy[ConsentPolicy]:
    """Consent policies: either default, in Brazilian zones or UTC.

    >>> from hypothesis import find
    >>> find(consent_policies(), lambda p: p.default_granted).default_granted
    True
    """
    return st.builds(
        ConsentPolicy, default_granted=st.booleans(), time_zone=st.sampled_from(_ZONES)
    )


def consent_events(
    *,
    customer_id: st.SearchStrategy[str] | None = None,
    channel: st.SearchStrategy[ContactChannel] | None = None,
    granted: st.SearchStrategy[bool] | None = None,
    at: st.SearchStrategy[datetime] | None = None,
) -> st.SearchStrategy[ConsentEvent]:
    """Opt-ins and opt-outs; pass a strategy for any field to pin or narrow it.

    Customer ids come from a small pool (``C001``..``C005``) so that one
    customer often has several events.

    >>> from hypothesis import find
    >>> find(consent_events(granted=st.just(False)), lambda e: True).granted
    False
    """
    return st.builds(
        ConsentEvent,
        customer_id=customer_ids(max_count=5) if customer_id is None else customer_id,
        channel=st.sampled_from(ContactChannel) if channel is None else channel,
        granted=st.booleans() if granted is None else granted,
        at=_instants() if at is None else at,
        source=st.sampled_from(ConsentSource),
        recorded_by=st.sampled_from(["import", "u-admin"]) | seller_codes(max_count=3),
        event_id=st.none() | st.uuids().map(lambda u: f"E{u.hex[:8]}"),
    )


def consent_ledgers(*, max_events: int = 20) -> st.SearchStrategy[ConsentLedger]:
    """Consent ledgers of up to ``max_events`` events under drawn policies.

    >>> from hypothesis import find
    >>> len(find(consent_ledgers(), lambda ledger: len(ledger) >= 2))
    2
    """
    return st.builds(
        lambda events, policy: ConsentLedger.from_events(events, policy=policy),
        st.lists(consent_events(), max_size=max_events),
        consent_policies(),
    )


def block_feature_sets() -> st.SearchStrategy[frozenset[BlockFeature]]:
    """Non-empty sets of :class:`~otocore.blocking.BlockFeature`.

    >>> from hypothesis import find
    >>> len(find(block_feature_sets(), lambda fs: len(fs) > 1))
    2
    """
    return st.frozensets(st.sampled_from(BlockFeature), min_size=1)


def block_events(
    *,
    cpf: st.SearchStrategy[Cpf] | None = None,
    features: st.SearchStrategy[frozenset[BlockFeature]] | None = None,
    blocked: st.SearchStrategy[bool] | None = None,
    at: st.SearchStrategy[datetime] | None = None,
) -> st.SearchStrategy[BlockEvent]:
    """Blocks and unblocks of CPFs; pass a strategy for any field to pin or narrow it.

    >>> from hypothesis import find
    >>> find(block_events(blocked=st.just(True)), lambda e: True).blocked
    True
    """
    return st.builds(
        BlockEvent,
        cpf=cpfs() if cpf is None else cpf,
        features=block_feature_sets() if features is None else features,
        blocked=st.booleans() if blocked is None else blocked,
        reason=st.sampled_from(
            ["pedido do cliente", "fraude no programa de fidelidade", "LGPD", "engano"]
        ),
        by=st.sampled_from(["u-gerente", "u-sac", "u-admin"]),
        at=_instants() if at is None else at,
        event_id=st.none() | st.uuids().map(lambda u: f"B{u.hex[:8]}"),
    )


def block_lists(*, max_events: int = 20) -> st.SearchStrategy[BlockList]:
    """Block lists of up to ``max_events`` events over a small pool of CPFs.

    >>> from hypothesis import find
    >>> len(find(block_lists(), lambda blocks: len(blocks) >= 1))
    1
    """
    return st.builds(
        lambda events, zone: BlockList.from_events(events, time_zone=zone),
        st.lists(cpfs(), min_size=1, max_size=3, unique=True).flatmap(
            lambda pool: st.lists(block_events(cpf=st.sampled_from(pool)), max_size=max_events)
        ),
        st.sampled_from(_ZONES),
    )


def strategy_table() -> dict[type, st.SearchStrategy[object]]:
    """Default strategies for this module's types, for ``st.from_type`` registration."""
    return {
        ConsentEvent: consent_events(),
        ConsentPolicy: consent_policies(),
        ConsentLedger: consent_ledgers(),
        BlockEvent: block_events(),
        BlockList: block_lists(),
    }
