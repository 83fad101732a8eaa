"""Strategies for :mod:`otocore.privacy`: policies and data-subject requests."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import strategies as st

from otocore.privacy import (
    LEGAL_COMPLETE_DAYS,
    AnswerForm,
    DataSubjectRequest,
    PrivacyPolicy,
    RequestKind,
    RequestOutcome,
)
from otocore.testing._strategies import aware_datetimes, customer_ids

__all__ = ["data_subject_requests", "privacy_policies", "strategy_table"]

_SIMPLIFIABLE = (RequestKind.CONFIRMATION, RequestKind.ACCESS)


def privacy_policies() -> st.SearchStrategy[PrivacyPolicy]:
    """Privacy policies: 1 to 15 days for a complete answer (often the legal 15).

    >>> from hypothesis import find
    >>> find(privacy_policies(), lambda p: p.complete_within_days < 15).complete_within_days < 15
    True
    """
    days = st.just(LEGAL_COMPLETE_DAYS) | st.integers(1, LEGAL_COMPLETE_DAYS)
    zones = st.sampled_from(["America/Sao_Paulo", "America/Manaus", "America/Noronha", "UTC"])
    return st.builds(PrivacyPolicy, complete_within_days=days, time_zone=zones)


def data_subject_requests(*, answered: bool | None = None) -> st.SearchStrategy[DataSubjectRequest]:
    """Requests of any kind and form the law allows, open or answered (``answered`` fixes it).

    An answered request's answer comes from the same instant to 40 days after; a refusal
    always gives its reasons.

    >>> from hypothesis import find
    >>> find(data_subject_requests(answered=True), lambda r: True).is_open
    False
    """

    @st.composite
    def build(draw: st.DrawFn) -> DataSubjectRequest:
        kind = draw(st.sampled_from(RequestKind))
        form = draw(st.sampled_from(AnswerForm)) if kind in _SIMPLIFIABLE else AnswerForm.COMPLETE
        received = draw(aware_datetimes())
        request = DataSubjectRequest(
            request_id=f"R{draw(st.integers(1, 10**9))}",
            customer_id=draw(customer_ids()),
            kind=kind,
            received_at=received,
            form=form,
            detail=draw(st.none() | st.sampled_from(["e-mail novo", "cópia dos dados"])),
        )
        done = draw(st.booleans()) if answered is None else answered
        if not done:
            return request
        outcome = draw(st.sampled_from(RequestOutcome))
        gap = timedelta(microseconds=draw(st.integers(0, 40 * 86_400_000_000)))
        reasons = "dados mantidos por obrigação fiscal (art. 16)"
        return DataSubjectRequest(
            request_id=request.request_id,
            customer_id=request.customer_id,
            kind=kind,
            received_at=received,
            form=form,
            detail=request.detail,
            answered_at=received + gap,
            outcome=outcome,
            answer=reasons
            if outcome is RequestOutcome.REFUSED
            else draw(st.none() | st.just("ok")),
        )

    return build()


def strategy_table() -> dict[type, st.SearchStrategy[object]]:
    """The default strategy of each privacy value type, for ``st.from_type``."""
    return {PrivacyPolicy: privacy_policies(), DataSubjectRequest: data_subject_requests()}
