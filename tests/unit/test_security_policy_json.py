"""A brand's security settings as JSON: round trips, defaults and path-naming errors."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from hypothesis import given

from otocore.accounts import SecurityPolicy
from otocore.auth import LockoutPolicy, PinDelivery, PinPolicy, RecoveryRateLimit
from otocore.errors import ValidationError
from otocore.serialization import converter
from otocore.testing import security_policies

BRAND = """
{
  "app_url": "https://app.brisa.example.com.br/",
  "lockout": {"max_failures": 3},
  "pin": {"length": 4, "delivery": "email_link"},
  "token_ttl_seconds": 1800,
  "recovery_limit": {"max_requests": 2, "per_seconds": 7200}
}
"""


def test_a_brand_document_gives_its_policy_and_defaults_fill_the_rest() -> None:
    policy = converter.structure(json.loads(BRAND), SecurityPolicy)
    assert policy.app_url == "https://app.brisa.example.com.br"
    assert policy.lockout == LockoutPolicy(max_failures=3)
    assert policy.pin == PinPolicy(length=4, delivery=PinDelivery.EMAIL_LINK)
    assert policy.token_ttl == timedelta(minutes=30)
    assert policy.recovery_limit == RecoveryRateLimit(max_requests=2, per=timedelta(hours=2))
    assert policy.password == SecurityPolicy(app_url="https://x.example.com").password


def test_only_the_app_url_is_required() -> None:
    assert converter.structure({"app_url": "https://app.example.com"}, SecurityPolicy) == (
        SecurityPolicy(app_url="https://app.example.com")
    )
    with pytest.raises(ValidationError) as missing:
        converter.structure({"lockout": {"max_failures": 5}}, SecurityPolicy)
    assert missing.value.field == "SecurityPolicy.app_url"


def test_every_fault_is_reported_with_its_path() -> None:
    document = {
        "app_url": "https://app.example.com",
        "lockout": {"max_failures": 0},
        "pin": {"length": 9},
        "token_ttl_seconds": 1.5,
    }
    with pytest.raises(ValidationError) as refused:
        converter.structure(document, SecurityPolicy)
    assert [e.field for e in refused.value.errors] == [
        "SecurityPolicy.lockout.max_failures",
        "SecurityPolicy.pin.length",
        "SecurityPolicy.token_ttl_seconds",
    ]


@pytest.mark.parametrize(
    ("document", "field"),
    [
        ({"app_url": "http://app.example.com"}, "SecurityPolicy.app_url"),
        ({"app_url": "https://app.example.com", "ttl": 60}, "SecurityPolicy.ttl"),
        (
            {"app_url": "https://app.example.com", "token_ttl_seconds": 0},
            "SecurityPolicy.token_ttl",
        ),
        (
            {"app_url": "https://app.example.com", "token_ttl_seconds": 8 * 24 * 3600},
            "SecurityPolicy.token_ttl",
        ),
        (
            {"app_url": "https://app.example.com", "token_ttl_seconds": True},
            "SecurityPolicy.token_ttl_seconds",
        ),
        (["https://app.example.com"], "SecurityPolicy"),
    ],
)
def test_bad_documents_are_refused_naming_the_field(document: object, field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        converter.structure(document, SecurityPolicy)
    assert refused.value.field == field


@given(security_policies())
def test_any_policy_round_trips_through_json(policy: SecurityPolicy) -> None:
    text = json.dumps(converter.unstructure(policy))
    assert converter.structure(json.loads(text), SecurityPolicy) == policy
