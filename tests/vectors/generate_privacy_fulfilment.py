"""Write the golden vectors of which action answers which request (``tests/vectors/privacy/fulfilment``).

Run ``python tests/vectors/generate_privacy_fulfilment.py`` from the repository root (with
otocore importable) to rewrite ``tests/vectors/privacy/fulfilment/*.json``.

This script only **builds inputs** (``DataSubjectRequest`` values written with
``otocore.serialization.converter``); it never calls ``otocore.privacy``'s functions:
every ``expected`` below is typed by hand from docs/privacy.md ("Answering a request with
the action that fulfils it"), with the reasoning in the ``description``.
``tests/unit/test_request_fulfilment.py`` replays them.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from otocore.privacy import DataSubjectRequest, RequestKind, RequestOutcome
from otocore.serialization import converter

HERE = Path(__file__).resolve().parent / "privacy" / "fulfilment"
FORMAT = "otocore-privacy-fulfilment-vector/1"
LAW = (
    "LGPD (Lei 13.709/2018), art. 18: I confirmação, II acesso, III correção, IV anonimização,"
    " bloqueio ou eliminação, V portabilidade, VI eliminação (exceto nas hipóteses do art. 16),"
    " IX revogação do consentimento; art. 16 I: conservação para cumprimento de obrigação legal."
)
RECEIVED = datetime(2026, 12, 1, 12, tzinfo=UTC)
AT = datetime(2026, 12, 2, 12, tzinfo=UTC)
FULFILLED = {"outcome": "fulfilled"}
PARTIAL = {"outcome": "partially_fulfilled"}
NOT_ANSWERED = {"error": {"field": "request_id", "contains": "does not answer"}}


def request(
    kind: RequestKind, *, customer_id: str = "C1", answered: datetime | None = None
) -> DataSubjectRequest:
    return DataSubjectRequest(
        request_id="LGPD-000001",
        customer_id=customer_id,
        kind=kind,
        received_at=RECEIVED,
        answered_at=answered,
        outcome=None if answered is None else RequestOutcome.FULFILLED,
    )


def case(
    action: str,
    req: DataSubjectRequest,
    expected: dict[str, Any],
    *,
    customer_id: str = "C1",
    at: datetime = AT,
) -> dict[str, Any]:
    return {
        "action": action,
        "customer_id": customer_id,
        "at": at.isoformat(),
        "request": converter.unstructure(req),
        "expected": expected,
    }


def vector(name: str, description: str, cases: list[dict[str, Any]]) -> None:
    data = {"format": FORMAT, "description": description, "law": LAW, "cases": cases}
    (HERE / f"{name}.json").write_text(
        json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


# the whole table, typed by hand: action -> kind -> expected
TABLE: dict[str, dict[str, dict[str, Any]]] = {
    "export": {
        "confirmation": FULFILLED,
        "access": FULFILLED,
        "correction": NOT_ANSWERED,
        "anonymization": NOT_ANSWERED,
        "portability": FULFILLED,
        "deletion": NOT_ANSWERED,
        "sharing_information": NOT_ANSWERED,
        "consent_information": NOT_ANSWERED,
        "consent_revocation": NOT_ANSWERED,
    },
    "correct": {
        "confirmation": NOT_ANSWERED,
        "access": NOT_ANSWERED,
        "correction": FULFILLED,
        "anonymization": NOT_ANSWERED,
        "portability": NOT_ANSWERED,
        "deletion": NOT_ANSWERED,
        "sharing_information": NOT_ANSWERED,
        "consent_information": NOT_ANSWERED,
        "consent_revocation": NOT_ANSWERED,
    },
    "anonymize": {
        "confirmation": NOT_ANSWERED,
        "access": NOT_ANSWERED,
        "correction": NOT_ANSWERED,
        "anonymization": FULFILLED,
        "portability": NOT_ANSWERED,
        "deletion": PARTIAL,
        "sharing_information": NOT_ANSWERED,
        "consent_information": NOT_ANSWERED,
        "consent_revocation": NOT_ANSWERED,
    },
    "delete": {
        "confirmation": NOT_ANSWERED,
        "access": NOT_ANSWERED,
        "correction": NOT_ANSWERED,
        "anonymization": FULFILLED,
        "portability": NOT_ANSWERED,
        "deletion": FULFILLED,
        "sharing_information": NOT_ANSWERED,
        "consent_information": NOT_ANSWERED,
        "consent_revocation": NOT_ANSWERED,
    },
    "revoke_consent": {
        "confirmation": NOT_ANSWERED,
        "access": NOT_ANSWERED,
        "correction": NOT_ANSWERED,
        "anonymization": NOT_ANSWERED,
        "portability": NOT_ANSWERED,
        "deletion": NOT_ANSWERED,
        "sharing_information": NOT_ANSWERED,
        "consent_information": NOT_ANSWERED,
        "consent_revocation": FULFILLED,
    },
}


def main() -> None:
    HERE.mkdir(parents=True, exist_ok=True)
    vector(
        "every_action_against_every_kind",
        "Each action answers only the items of article 18 it carries out. The export is the"
        " complete declaration of art. 19 II, so it answers confirmation (I), access (II) and"
        " portability (V). The SAC edit answers correction (III). Anonymization answers IV,"
        " and a deletion request (VI) only in part: the orders are fiscal records kept under"
        " art. 16 I. Deletion answers VI and IV (IV reads 'anonimização, bloqueio ou"
        " eliminação'). The consent revocation answers IX. Nothing answers VII or VIII: those"
        " are answered in words (PrivacyService.answer_request).",
        [
            case(action, request(RequestKind(kind)), expected)
            for action, kinds in TABLE.items()
            for kind, expected in kinds.items()
        ],
    )
    vector(
        "another_customers_request_is_refused",
        "A request is answered only by an action on the customer who asked: the deletion"
        " request of C2 cannot be fulfilled by deleting C1.",
        [
            case(
                "delete",
                request(RequestKind.DELETION, customer_id="C2"),
                {"error": {"field": "request_id", "contains": "is customer C2's request"}},
            )
        ],
    )
    vector(
        "an_answered_request_is_answered_once",
        "A request answered on 1 Dec 18:00 UTC cannot be answered again by an export on 2 Dec.",
        [
            case(
                "export",
                request(RequestKind.ACCESS, answered=datetime(2026, 12, 1, 18, tzinfo=UTC)),
                {"error": {"field": "request_id", "contains": "was already answered"}},
            )
        ],
    )
    vector(
        "an_action_before_the_request_cannot_answer_it",
        "An anonymization dated 1 Dec 11:59 UTC, a minute before the request was received,"
        " cannot be its answer; at the very instant of the request it can.",
        [
            case(
                "anonymize",
                request(RequestKind.ANONYMIZATION),
                {"error": {"field": "at", "contains": "must not be before request"}},
                at=datetime(2026, 12, 1, 11, 59, tzinfo=UTC),
            ),
            case("anonymize", request(RequestKind.ANONYMIZATION), FULFILLED, at=RECEIVED),
        ],
    )
    vector(
        "the_customer_is_checked_before_the_kind",
        "C2's correction request given to an export of C1: two faults; the first named is"
        " the customer (a foreign request is the graver mistake).",
        [
            case(
                "export",
                request(RequestKind.CORRECTION, customer_id="C2"),
                {"error": {"field": "request_id", "contains": "is customer C2's request"}},
            )
        ],
    )


if __name__ == "__main__":
    main()
