"""Invariants of otocore.auth: secrets never leak, lockout stays within its limit."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from _support.builders import HASHER
from _support.builders import START as AT
from otocore.auth import (
    Account,
    AccountState,
    LockoutPolicy,
    LoginOutcome,
    PasswordPolicy,
    PinPolicy,
    RecoveryRateLimit,
    Role,
    TokenCheck,
    after_failure,
    after_password_reset,
    after_success,
    after_unlock,
    check_pin_format,
    check_token,
    is_trivial_pin,
    issue_token,
    login_decision,
    new_pin,
    normalize_login_email,
)
from otocore.errors import ValidationError

# '#' and '~' are in no base64 alphabet, no repr we build and no rule text, so a
# secret carrying them can only show up in output by leaking.
SECRETS = st.builds(
    lambda body: f"#~{body}",
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=0, max_size=140),
)
STATES = st.builds(
    AccountState,
    failures=st.integers(0, 100),
    locked=st.booleans(),
    must_change_password=st.booleans(),
    active=st.booleans(),
)
POLICIES = st.builds(LockoutPolicy, max_failures=st.integers(1, 100))


def _leaks(secret: str, *texts: str) -> bool:
    return any(secret in text for text in texts)


@given(SECRETS, st.sampled_from([8, 12, 64]), st.sampled_from([64, 128]))
def test_password_errors_never_echo_the_password(secret: str, low: int, high: int) -> None:
    policy = PasswordPolicy(min_length=low, max_length=max(low, high), common=frozenset({secret}))
    rules = (
        r"(be at least \d+ characters|be at most \d+ characters|not be a commonly used password)"
    )
    with pytest.raises(
        ValidationError, match=rf"^password must {rules}, got '<redacted>'$"
    ) as info:
        policy.check_new_password(secret)
    exc = info.value
    assert exc.field == "password"
    assert not _leaks(secret, str(exc), repr(exc), repr(exc.value), repr(exc.args))
    assert not _leaks(secret, repr(policy), str(policy))


@given(SECRETS.filter(lambda s: len(s) >= 2), st.sampled_from(["042917", "8411"]))
def test_hashes_accounts_and_states_never_show_a_secret(secret: str, pin: str) -> None:
    password_hash = HASHER.hash(secret)
    pin_hash = HASHER.hash(pin)
    assert not _leaks(secret, password_hash)
    account = Account(
        account_id="A1",
        email=normalize_login_email("ana@loja.com.br"),
        roles=frozenset({Role.SELLER}),
        seller_code="V01",
        store_id="L01",
        password_hash=password_hash,
        pin_hash=pin_hash,
    )
    shown = (repr(account), str(account), repr(account.state), repr(HASHER))
    assert not _leaks(secret, *shown)
    assert not _leaks(pin, *shown)
    assert not _leaks(password_hash, *shown)
    assert HASHER.verify(password_hash, secret)
    assert not HASHER.verify(password_hash, secret + "x")


@given(SECRETS)
def test_a_bad_hash_field_error_does_not_echo_its_value(secret: str) -> None:
    with pytest.raises(
        ValidationError,
        match=r"^Account\.pin_hash must be an Argon2id hash or None, got '<redacted>'$",
    ) as info:
        Account(
            account_id="A1",
            email=normalize_login_email("ana@loja.com.br"),
            roles=frozenset({Role.BRAND_ADMIN}),
            pin_hash=secret,
        )
    assert not _leaks(secret, str(info.value), repr(info.value))


@given(st.binary(min_size=32, max_size=32), st.text(max_size=60))
def test_tokens_never_in_records_and_only_their_own_text_opens_them(raw: bytes, other: str) -> None:
    text, record = issue_token(now=AT, rng_bytes=lambda n: raw[:n])
    assert not _leaks(text, repr(record), str(record))
    assert check_token(record, text, AT, newest=record) is TokenCheck.VALID
    if other != text:
        assert check_token(record, other, AT, newest=record) is TokenCheck.WRONG


@given(STATES, POLICIES, st.lists(st.tuples(st.booleans(), st.booleans()), max_size=30))
def test_lockout_never_exceeds_the_limit_and_locked_never_succeeds(
    start: AccountState, policy: LockoutPolicy, attempts: list[tuple[bool, bool]]
) -> None:
    state = attrs_fit(start, policy)
    for password_ok, pin_ok in attempts:
        was_locked = state.locked
        outcome, state = login_decision(
            state, password_ok=password_ok, pin_ok=pin_ok, policy=policy
        )
        assert state.failures <= policy.max_failures
        if was_locked:
            assert outcome is not LoginOutcome.SUCCESS
            assert state.locked
        if outcome is LoginOutcome.SUCCESS:
            assert password_ok
            assert pin_ok
            assert state.failures == 0
        assert state.locked == (state.failures >= policy.max_failures) or was_locked


def attrs_fit(state: AccountState, policy: LockoutPolicy) -> AccountState:
    """A start state the policy could have produced: locked exactly at the limit."""
    failures = min(state.failures, policy.max_failures - 1)
    if state.locked:
        failures = policy.max_failures
    return AccountState(
        failures=failures,
        locked=state.locked,
        must_change_password=state.must_change_password,
        active=state.active,
    )


@given(STATES, POLICIES)
def test_transitions_keep_the_flags_they_do_not_own(
    state: AccountState, policy: LockoutPolicy
) -> None:
    assert after_failure(state, policy).active == state.active
    assert after_success(state).locked == state.locked
    assert after_unlock(state).active == state.active
    reset = after_password_reset(state)
    assert (reset.locked, reset.active, reset.failures) == (state.locked, state.active, 0)


@given(st.integers(0, 2**32), st.integers(4, 8))
def test_new_pin_is_well_formed_and_never_trivial(seed: int, length: int) -> None:
    policy = PinPolicy(length=length)
    pin = new_pin(random.Random(seed), policy)
    assert check_pin_format(pin, policy)
    assert not is_trivial_pin(pin)


@given(st.integers(4, 8), st.integers(0, 9), st.sampled_from([1, 9]))
def test_every_run_and_repetition_is_trivial(length: int, first: int, step: int) -> None:
    run = "".join(str((first + i * step) % 10) for i in range(length))
    assert is_trivial_pin(run)
    assert is_trivial_pin(str(first) * length)


@given(
    st.integers(1, 5),
    st.integers(1, 120),
    st.lists(st.integers(-200, 10), max_size=8),
)
def test_rate_limit_counts_requests_in_the_window(
    max_requests: int, minutes: int, offsets: list[int]
) -> None:
    limit = RecoveryRateLimit(max_requests=max_requests, per=timedelta(minutes=minutes))
    times = [AT + timedelta(minutes=m) for m in offsets]
    in_window = sum(1 for m in offsets if m > -minutes)
    assert limit.allowed(times, AT) == (in_window < max_requests)
