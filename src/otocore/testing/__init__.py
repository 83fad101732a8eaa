"""Hypothesis strategies for otocore's value types, for your own tests.

Like ``hypothesis.extra``, this module needs Hypothesis installed
(``pip install otocore[testing]``). Strategies have plural names and
keyword-only bounds. Installing otocore also registers them with
``st.from_type`` through Hypothesis' entry point.

>>> from hypothesis import given
>>> from otocore.testing import orders
>>> @given(orders())
... def test_total_is_never_negative(order):
...     assert order.total >= 0
>>> test_total_is_never_negative()
"""

from __future__ import annotations

from otocore.testing._attribution import attribution_policies, attributions
from otocore.testing._auth import (
    SAMPLE_PASSWORDS,
    SAMPLE_PINS,
    account_states,
    account_tokens,
    accounts,
    audit_entries,
    audit_logs,
    lockout_policies,
    password_policies,
    pin_policies,
    principals,
    recovery_rate_limits,
    role_sets,
    security_policies,
    targets,
    token_records,
)
from otocore.testing._categories import (
    category_discounts,
    category_ids,
    category_memberships,
    customer_categories,
    discount_decisions,
)
from otocore.testing._consent import (
    block_events,
    block_feature_sets,
    block_lists,
    consent_events,
    consent_ledgers,
    consent_policies,
)
from otocore.testing._contacts import (
    campaign_ids,
    campaign_quarantines,
    campaigns,
    consent_changes,
    contact_history_values,
    contacts,
    follow_ups,
    message_templates,
    quarantine_policies,
    quarantine_statuses,
)
from otocore.testing._customers import (
    cpfs,
    customers,
    emails,
    formula_customers,
    loyalties,
    mobiles,
)
from otocore.testing._daily import reference_daily
from otocore.testing._distribution import (
    preferences,
    preferred_seller_policies,
    preferred_seller_windows,
    redistribution_targets,
    seller_tallies,
    suggestion_limiters,
)
from otocore.testing._filters import customer_facts, filters
from otocore.testing._history import (
    access_entries,
    access_events,
    history_changes,
    history_entries,
    log_heads,
    log_keyrings,
    log_keys,
)
from otocore.testing._insights import (
    insights_periods,
    insights_policies,
    insights_time_zones,
    return_windows,
)
from otocore.testing._privacy import data_subject_requests, privacy_policies
from otocore.testing._rfv import (
    raw_rfvs,
    rfv_policies,
    rfv_score_values,
    rfv_thresholds,
    rfv_windows,
    segment_grids,
)
from otocore.testing._strategies import (
    aware_datetimes,
    customer_ids,
    money,
    orders,
    seller_codes,
    sellers,
    store_ids,
    stores,
)
from otocore.testing._suggestions import seller_workloads, suggestions
from otocore.testing._telesales import telesales_orders

__all__ = [
    "SAMPLE_PASSWORDS",
    "SAMPLE_PINS",
    "access_entries",
    "access_events",
    "account_states",
    "account_tokens",
    "accounts",
    "attribution_policies",
    "attributions",
    "audit_entries",
    "audit_logs",
    "aware_datetimes",
    "block_events",
    "block_feature_sets",
    "block_lists",
    "campaign_ids",
    "campaign_quarantines",
    "campaigns",
    "category_discounts",
    "category_ids",
    "category_memberships",
    "consent_changes",
    "consent_events",
    "consent_ledgers",
    "consent_policies",
    "contact_history_values",
    "contacts",
    "cpfs",
    "customer_categories",
    "customer_facts",
    "customer_ids",
    "customers",
    "data_subject_requests",
    "discount_decisions",
    "emails",
    "filters",
    "follow_ups",
    "formula_customers",
    "history_changes",
    "history_entries",
    "insights_periods",
    "insights_policies",
    "insights_time_zones",
    "lockout_policies",
    "log_heads",
    "log_keyrings",
    "log_keys",
    "loyalties",
    "message_templates",
    "mobiles",
    "money",
    "orders",
    "password_policies",
    "pin_policies",
    "preferences",
    "preferred_seller_policies",
    "preferred_seller_windows",
    "principals",
    "privacy_policies",
    "quarantine_policies",
    "quarantine_statuses",
    "raw_rfvs",
    "recovery_rate_limits",
    "redistribution_targets",
    "reference_daily",
    "return_windows",
    "rfv_policies",
    "rfv_score_values",
    "rfv_thresholds",
    "rfv_windows",
    "role_sets",
    "security_policies",
    "segment_grids",
    "seller_codes",
    "seller_tallies",
    "seller_workloads",
    "sellers",
    "store_ids",
    "stores",
    "suggestion_limiters",
    "suggestions",
    "targets",
    "telesales_orders",
    "token_records",
]
