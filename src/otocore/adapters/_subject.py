"""What both stores share to relink a customer's contacts to an anonymous id (LGPD anonymization)."""

from __future__ import annotations

import attrs

from otocore.adapters._common import require_key
from otocore.contacts import Contact, ContactOutcome

ERASED_REASON = "anonimizado"
"""The dismiss reason a dismissed contact keeps after anonymization (the reason was free text)."""

RELINKED = ("orders", "telesales_orders", "consent_events", "contacts")
ERASED = (
    "customers",
    "portfolio",
    "rfv_scores",
    "suggestions",
    "day_outcomes",
    "category_members",
    "consent_events",
    "contacts",
)


def check_ids(customer_id: str, anonymous_id: str) -> tuple[str, str]:
    """Both ids as keys; the anonymous id must differ from the old one."""
    old = require_key("customer_id", customer_id)
    new = require_key("anonymous_id", anonymous_id)
    if old == new:
        from otocore.errors import ValidationError

        raise ValidationError("anonymous_id", anonymous_id, "must differ from customer_id")
    return old, new


def relinked_suggestion_id(suggestion_id: str | None, old: str, new: str) -> str | None:
    """``"<day>:<old>"`` becomes ``"<day>:<new>"``; any other id is kept."""
    if suggestion_id is None:
        return None
    day, sep, who = suggestion_id.rpartition(":")
    if sep and who == old:
        return f"{day}:{new}"
    return suggestion_id


def scrubbed_contact(contact: Contact, new: str) -> Contact:
    """``contact`` of the anonymous id ``new``, without its free text."""
    dismissed = contact.outcome is ContactOutcome.DISMISSED
    return attrs.evolve(
        contact,
        customer_id=new,
        suggestion_id=relinked_suggestion_id(contact.suggestion_id, contact.customer_id, new),
        notes=None,
        follow_up=None,
        dismiss_reason=ERASED_REASON if dismissed else None,
    )
