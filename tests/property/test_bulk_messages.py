"""Properties of ``send_bulk``: nobody without consent or blocked is ever sent; everyone is accounted for."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from _support.strategies import examples
from otocore.adapters.memory import InMemoryUnitOfWork
from otocore.adapters.messenger import InMemoryMessenger
from otocore.blocking import BlockEvent, BlockFeature, is_blocked
from otocore.bulk import ResponsibilityAcknowledgment, SkipReason, send_bulk
from otocore.consent import ConsentEvent, ConsentPolicy, ConsentSource, ContactChannel, consent_at
from otocore.customers import Customer
from otocore.testing import emails, mobiles

IDS = ("C1", "C2", "C3", "C4", "C5")
START = datetime(2026, 5, 1, tzinfo=UTC)
AT = datetime(2026, 5, 10, 12, tzinfo=UTC)
INSTANTS = st.integers(0, 14 * 24).map(lambda h: START + timedelta(hours=h))
CPFS = st.sampled_from(["52998224725", "11144477735", "39053344705"])


@st.composite
def brands(draw: st.DrawFn) -> tuple[list[Customer], list[ConsentEvent], list[BlockEvent]]:
    from otocore.customers import Cpf

    people = [
        Customer(
            customer_id=cid,
            name=cid,
            registered_at=START,
            cpf=draw(st.none() | CPFS.map(Cpf)),
            email=draw(st.none() | emails()),
            mobile=draw(st.none() | mobiles()),
        )
        for cid in IDS
    ]
    consent = draw(
        st.lists(
            st.builds(
                ConsentEvent,
                customer_id=st.sampled_from(IDS),
                channel=st.sampled_from(list(ContactChannel)),
                granted=st.booleans(),
                at=INSTANTS,
                source=st.just(ConsentSource.SELLER_APP),
                recorded_by=st.just("V01"),
            ),
            max_size=12,
        )
    )
    blocks = draw(
        st.lists(
            st.builds(
                BlockEvent,
                cpf=CPFS.map(Cpf),
                features=st.sets(st.sampled_from(list(BlockFeature)), min_size=1),
                blocked=st.booleans(),
                reason=st.just("pedido"),
                by=st.just("u-gerente"),
                at=INSTANTS,
            ),
            max_size=6,
        )
    )
    return people, consent, blocks


@settings(max_examples=examples(1), deadline=None)
@given(
    brands(),
    st.lists(st.sampled_from(IDS), max_size=8),
    st.sampled_from(list(ContactChannel)),
    st.sampled_from(list(BlockFeature)),
    st.booleans(),
)
def test_nobody_without_consent_or_blocked_is_ever_sent(
    brand: tuple[list[Customer], list[ConsentEvent], list[BlockEvent]],
    selection: list[str],
    channel: ContactChannel,
    feature: BlockFeature,
    presumed: bool,
) -> None:
    people, consent, blocks = brand
    policy = ConsentPolicy(default_granted=presumed)
    uow = InMemoryUnitOfWork()
    with uow:
        uow.customers.add_many(people)
        uow.consent.append_many(consent)
        uow.blocks.append_many(blocks)
    refuse = {"C5": "caixa cheia"}
    messenger = InMemoryMessenger(refuse=refuse)
    ack = ResponsibilityAcknowledgment(by="gerente", at=AT)
    report = send_bulk(
        uow,
        messenger,
        selection,
        channel=channel,
        text="Oi",
        at=AT,
        acknowledgment=ack,
        feature=feature,
        consent_policy=policy,
    )
    by_id = {c.customer_id: c for c in people}
    # every customer of the selection is reported once, in the selection's order
    wanted = list(dict.fromkeys(selection))
    reported = list(report.sent) + [s.customer_id for s in report.skipped]
    assert sorted(reported) == sorted(wanted)
    assert [m.customer_id for m in messenger.sent] == list(report.sent)
    assert [c for c in wanted if c in report.sent] == list(report.sent)
    for cid in report.sent:
        customer = by_id[cid]
        assert consent_at(consent, cid, channel, AT, policy=policy)  # never without consent
        assert customer.cpf is None or not is_blocked(blocks, customer.cpf, feature, AT)
        assert cid not in refuse
    for skipped in report.skipped:
        customer = by_id[skipped.customer_id]
        granted = consent_at(consent, skipped.customer_id, channel, AT, policy=policy)
        blocked = customer.cpf is not None and is_blocked(blocks, customer.cpf, feature, AT)
        if skipped.reason is SkipReason.NO_CONSENT:
            assert not granted
        elif skipped.reason is SkipReason.BLOCKED:
            assert granted
            assert blocked
        else:
            assert granted
            assert not blocked
