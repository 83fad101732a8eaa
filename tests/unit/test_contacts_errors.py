"""Registro do atendimento: every refusal says which field, which rule and which value.

Each error is asserted by its whole message (``^field rule, got value$``); the maximum
text lengths are tested at the limit and one past it.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import pytest

from _support.builders import SP
from otocore.consent import ContactChannel
from otocore.contacts import (
    Contact,
    ContactOutcome,
    FollowUp,
    SuggestionEvent,
    SuggestionStatus,
    advance,
    settle,
)
from otocore.errors import ValidationError


def contact(**changes: Any) -> Contact:
    fields: dict[str, Any] = {
        "contact_id": "A1",
        "seller_code": "V01",
        "customer_id": "C1",
        "channel": ContactChannel.WHATSAPP,
        "started_at": datetime(2026, 5, 10, 14, 0, tzinfo=SP),
        "finished_at": datetime(2026, 5, 10, 14, 20, tzinfo=SP),
        "in_portfolio": True,
    }
    fields.update(changes)
    return Contact(**fields)


def whole(message: str) -> str:
    """A pattern that matches exactly ``message``."""
    return f"^{re.escape(message)}$"


# maximum text lengths ------------------------------------------------------------------

DISMISSED = {"suggestion_id": "S1", "outcome": ContactOutcome.DISMISSED}


@pytest.mark.parametrize(
    ("field", "limit", "extra"),
    [
        ("contact_id", 100, {}),
        ("seller_code", 100, {}),
        ("customer_id", 100, {}),
        ("suggestion_id", 100, {}),
        ("campaign_id", 100, {}),
        ("notes", 2000, {}),
        ("dismiss_reason", 500, DISMISSED),
    ],
)
def test_contact_text_fields_up_to_their_limit(
    field: str, limit: int, extra: dict[str, Any]
) -> None:
    longest = "x" * limit
    filled = {**extra, field: longest}
    assert getattr(contact(**filled), field) == longest
    too_long = "x" * (limit + 1)
    with pytest.raises(
        ValidationError,
        match=whole(f"Contact.{field} must be at most {limit} characters, got {too_long!r}"),
    ):
        contact(**{**filled, field: too_long})


def test_a_sku_is_at_most_100_characters() -> None:
    longest, too_long = "S" * 100, "S" * 101
    assert contact(products_offered=[longest]).products_offered == (longest,)
    with pytest.raises(
        ValidationError,
        match=whole(
            f"Contact.products_offered[1] must be at most 100 characters, got {too_long!r}"
        ),
    ):
        contact(products_offered=["SKU-1", too_long])


def test_a_follow_up_note_is_at_most_2000_characters() -> None:
    day = date(2026, 5, 17)
    assert FollowUp(day=day, note="n" * 2000).note == "n" * 2000
    too_long = "n" * 2001
    with pytest.raises(
        ValidationError,
        match=whole(f"FollowUp.note must be at most 2000 characters, got {too_long!r}"),
    ):
        FollowUp(day=day, note=too_long)


# the whole message ------------------------------------------------------------------------


def test_a_repeated_sku_is_named_with_its_value() -> None:
    with pytest.raises(
        ValidationError,
        match=whole("Contact.products_offered[2] must name each SKU once, got 'SKU-1'"),
    ) as info:
        contact(products_offered=["SKU-1", "SKU-2", "SKU-1"])
    assert (info.value.field, info.value.value) == ("Contact.products_offered[2]", "SKU-1")


def test_a_dismiss_reason_without_a_dismissal_is_named_with_its_value() -> None:
    with pytest.raises(
        ValidationError,
        match=whole(
            "Contact.dismiss_reason must be None unless the outcome is DISMISSED,"
            " got 'Não respondeu'"
        ),
    ):
        contact(dismiss_reason="Não respondeu")


def test_dismissal_faults_say_what_is_missing() -> None:
    with pytest.raises(
        ValidationError,
        match=whole("Contact.dismiss_reason must say why the suggestion was dismissed, got None"),
    ):
        contact(**DISMISSED)
    with pytest.raises(
        ValidationError,
        match=whole(
            "Contact.suggestion_id must name the suggestion a DISMISSED contact dismisses, got None"
        ),
    ):
        contact(outcome=ContactOutcome.DISMISSED, dismiss_reason="Não respondeu")


def test_settle_names_the_argument_that_is_not_a_member() -> None:
    with pytest.raises(
        ValidationError,
        match=whole(
            "status must be a SuggestionStatus ('pending', 'started', 'finished', 'dismissed'),"
            " got 'pending'"
        ),
    ):
        settle("pending", ContactOutcome.FINISHED)  # type: ignore[arg-type]
    with pytest.raises(
        ValidationError,
        match=whole("outcome must be a ContactOutcome ('finished', 'dismissed'), got 'finished'"),
    ):
        settle(SuggestionStatus.PENDING, "finished")  # type: ignore[arg-type]


def test_advance_names_the_argument_that_is_not_a_member() -> None:
    with pytest.raises(
        ValidationError,
        match=whole(
            "status must be a SuggestionStatus ('pending', 'started', 'finished', 'dismissed'),"
            " got None"
        ),
    ):
        advance(None, SuggestionEvent.START)  # type: ignore[arg-type]
    with pytest.raises(
        ValidationError,
        match=whole("event must be a SuggestionEvent ('start', 'finish', 'dismiss'), got 'start'"),
    ):
        advance(SuggestionStatus.PENDING, "start")  # type: ignore[arg-type]
