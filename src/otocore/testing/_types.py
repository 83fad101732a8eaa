"""The public value types that :mod:`otocore.testing` has strategies for. Private.

The Hypothesis entry point (``otocore._hypothesis_hook``) registers a
strategy for each with ``st.register_type_strategy``; the round-trip and
junk-input property tests walk the same list.
"""

from __future__ import annotations


def TYPES_WITH_STRATEGIES() -> list[type]:  # noqa: N802 - reads as a constant
    from otocore.access import Action, AuditEntry, Outcome, Principal, Target
    from otocore.attribution import Attribution, AttributionPolicy
    from otocore.auth import (
        Account,
        AccountState,
        AccountToken,
        LockoutPolicy,
        PasswordPolicy,
        PinDelivery,
        PinPolicy,
        RecoveryRateLimit,
        Role,
        SecurityPolicy,
        TokenPurpose,
        TokenRecord,
    )
    from otocore.blocking import BlockEvent, BlockList
    from otocore.campaigns import Campaign
    from otocore.categories import (
        CategoryDiscount,
        CategoryMembership,
        CustomerCategory,
        DiscountDecision,
    )
    from otocore.consent import ConsentEvent, ConsentLedger, ConsentPolicy
    from otocore.contacts import ConsentChange, Contact, FollowUp
    from otocore.customers import Cpf, Customer, Email, Loyalty, Mobile
    from otocore.distribution import (
        Balanced,
        Preference,
        PreferredSellerPolicy,
        SellerTally,
        SuggestionLimiter,
        ToSeller,
    )
    from otocore.filters import CustomerFacts, Filter
    from otocore.history import (
        AccessAction,
        AccessEntry,
        AccessEvent,
        HistoryChange,
        HistoryEntry,
        HistoryReason,
    )
    from otocore.insights import InsightsPolicy
    from otocore.ledger import LogHead
    from otocore.orders import Order
    from otocore.privacy import DataSubjectRequest, PrivacyPolicy
    from otocore.quarantine import (
        CampaignQuarantine,
        ContactHistory,
        QuarantinePolicy,
        QuarantineStatus,
    )
    from otocore.rfv import RawRfv, RfvPolicy, RfvScore, RfvThresholds, SegmentGrid
    from otocore.sellers import Seller, Store
    from otocore.suggestions import SellerWorkload, Suggestion

    return [
        Order,
        Seller,
        Store,
        Cpf,
        Customer,
        Email,
        Loyalty,
        Mobile,
        RawRfv,
        RfvPolicy,
        RfvScore,
        RfvThresholds,
        SegmentGrid,
        Balanced,
        Preference,
        PreferredSellerPolicy,
        SellerTally,
        SuggestionLimiter,
        ToSeller,
        ConsentEvent,
        ConsentPolicy,
        ConsentLedger,
        BlockEvent,
        BlockList,
        CustomerFacts,
        Filter,
        Campaign,
        CampaignQuarantine,
        ConsentChange,
        Contact,
        ContactHistory,
        FollowUp,
        QuarantinePolicy,
        QuarantineStatus,
        SellerWorkload,
        Suggestion,
        AccountState,
        LockoutPolicy,
        PinPolicy,
        PasswordPolicy,
        RecoveryRateLimit,
        SecurityPolicy,
        TokenRecord,
        AccountToken,
        Account,
        Principal,
        Target,
        AuditEntry,
        Role,
        TokenPurpose,
        PinDelivery,
        Action,
        Outcome,
        AttributionPolicy,
        Attribution,
        PrivacyPolicy,
        DataSubjectRequest,
        CategoryDiscount,
        CustomerCategory,
        CategoryMembership,
        DiscountDecision,
        HistoryChange,
        HistoryEntry,
        HistoryReason,
        AccessEvent,
        AccessEntry,
        AccessAction,
        LogHead,
        InsightsPolicy,
    ]
