"""Lockout and recovery tokens, driven by random interleavings, against plain models.

The lockout model is a handful of ints and bools updated by the rule as the seed
states it ("caso você erre a sua senha por um determinado número de vezes em
sequência [...] o seu usuário será bloqueado"; after the manager's unlock "é
preciso gerar uma nova senha"). The token model keeps every issued token and
answers "works once, never after expiry, never after a newer one" by brute force.
"""

from __future__ import annotations

import random
from datetime import timedelta

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from _support.builders import HASHER, START
from otocore.auth import (
    AccountState,
    LockoutPolicy,
    LoginOutcome,
    PasswordPolicy,
    PinPolicy,
    TokenCheck,
    TokenRecord,
    after_password_reset,
    after_unlock,
    check_pin_format,
    check_token,
    issue_token,
    login_decision,
    mark_used,
    new_pin,
)

PIN_POLICY = PinPolicy()
PASSWORDS = ("cavalo correto 1", "bateria grampo 2", "loja centro 333")


class LockoutMachine(RuleBasedStateMachine):
    """One account: logins with right/wrong/malformed secrets, unlocks, recoveries, PIN resets."""

    @initialize(limit=st.integers(1, 6), seed=st.integers(0, 1000))
    def setup(self, limit: int, seed: int) -> None:
        self.policy = LockoutPolicy(max_failures=limit)
        self.rng = random.Random(seed)
        self.password = PASSWORDS[0]
        self.pin = new_pin(self.rng, PIN_POLICY)
        self.password_hash = HASHER.hash(self.password)
        self.pin_hash = HASHER.hash(self.pin)
        self.state = AccountState()
        # the model
        self.failures = 0
        self.locked = False
        self.must_change = False
        self.active = True

    def _verify_pin(self, pin: str) -> bool:
        return check_pin_format(pin, PIN_POLICY) and HASHER.verify(self.pin_hash, pin)

    @rule(
        password_kind=st.sampled_from(["right", "wrong", "empty", "overlong"]),
        pin_kind=st.sampled_from(["right", "wrong", "short", "letters", "old"]),
    )
    def login(self, password_kind: str, pin_kind: str) -> None:
        password = {
            "right": self.password,
            "wrong": self.password + "!",
            "empty": "",
            "overlong": "x" * 500,
        }[password_kind]
        pin = {
            "right": self.pin,
            "wrong": str((int(self.pin) + 1) % 10**6).zfill(6),
            "short": self.pin[:-1],
            "letters": self.pin[:-1] + "a",
            "old": getattr(self, "old_pin", self.pin[::-1]),
        }[pin_kind]
        password_ok = HASHER.verify(self.password_hash, password)
        pin_ok = self._verify_pin(pin)
        outcome, self.state = login_decision(
            self.state, password_ok=password_ok, pin_ok=pin_ok, policy=self.policy
        )
        right = password == self.password and pin == self.pin
        # the model, written out as the seed states it
        if not self.active:
            expected = LoginOutcome.INACTIVE
        elif self.locked:
            expected = LoginOutcome.LOCKED
        elif self.must_change:
            expected = LoginOutcome.NEW_PASSWORD_REQUIRED
        elif right:
            expected = LoginOutcome.SUCCESS
            self.failures = 0
        else:
            self.failures += 1
            self.locked = self.failures == self.policy.max_failures
            expected = LoginOutcome.LOCKED if self.locked else LoginOutcome.WRONG_CREDENTIALS
        assert outcome is expected

    @rule()
    def manager_unlocks(self) -> None:
        self.state = after_unlock(self.state)
        self.locked = False
        self.failures = 0
        self.must_change = True

    @rule(new_password=st.sampled_from(PASSWORDS))
    def seller_recovers_password(self, new_password: str) -> None:
        PasswordPolicy().check_new_password(new_password)
        self.password = new_password
        self.password_hash = HASHER.hash(new_password)
        self.state = after_password_reset(self.state)
        self.must_change = False
        self.failures = 0

    @rule()
    def manager_resets_pin(self) -> None:
        self.old_pin = self.pin
        self.pin = new_pin(self.rng, PIN_POLICY)
        self.pin_hash = HASHER.hash(self.pin)

    @rule(active=st.booleans())
    def manager_sets_status(self, active: bool) -> None:
        self.state = AccountState(
            failures=self.state.failures,
            locked=self.state.locked,
            must_change_password=self.state.must_change_password,
            active=active,
        )
        self.active = active

    @invariant()
    def state_matches_model(self) -> None:
        if not hasattr(self, "state"):
            return
        assert self.state == AccountState(
            failures=self.failures,
            locked=self.locked,
            must_change_password=self.must_change,
            active=self.active,
        )
        assert self.state.failures <= self.policy.max_failures


TestLockout = LockoutMachine.TestCase


class TokenMachine(RuleBasedStateMachine):
    """Recovery tokens for one account: issue, let time pass, present any of them."""

    def __init__(self) -> None:
        super().__init__()
        self.now = START
        self.tokens: list[tuple[str, TokenRecord]] = []
        self.used: set[int] = set()
        self.counter = 0

    def _bytes(self, n: int) -> bytes:
        self.counter += 1
        return self.counter.to_bytes(n, "big")

    @rule(ttl_minutes=st.sampled_from([1, 30, 60]))
    def issue(self, ttl_minutes: int) -> None:
        text, record = issue_token(
            now=self.now, ttl=timedelta(minutes=ttl_minutes), rng_bytes=self._bytes
        )
        self.tokens.append((text, record))

    @rule(minutes=st.integers(0, 90))
    def time_passes(self, minutes: int) -> None:
        self.now += timedelta(minutes=minutes)

    @precondition(lambda self: bool(self.tokens))
    @rule(data=st.data())
    def present(self, data: st.DataObject) -> None:
        index = data.draw(st.integers(0, len(self.tokens) - 1))
        text, record = self.tokens[index]
        newest = self.tokens[-1][1]
        answer = check_token(record, text, self.now, newest=newest)
        # the model: the last token issued works once, inside its window
        is_newest = index == len(self.tokens) - 1
        alive = record.issued_at <= self.now < record.expires_at
        works = is_newest and alive and index not in self.used
        assert (answer is TokenCheck.VALID) == works
        if answer is TokenCheck.VALID:
            self.used.add(index)
            self.tokens[index] = (text, mark_used(record, now=self.now))
        elif index in self.used:
            assert answer is TokenCheck.USED
        elif not is_newest:
            assert answer is TokenCheck.SUPERSEDED
        else:
            assert answer is TokenCheck.EXPIRED

    @precondition(lambda self: bool(self.tokens))
    @rule(data=st.data(), suffix=st.sampled_from(["A", "-", ""]))
    def present_a_forged_token(self, data: st.DataObject, suffix: str) -> None:
        index = data.draw(st.integers(0, len(self.tokens) - 1))
        text, record = self.tokens[index]
        forged = text[:-1] + suffix if suffix else text.swapcase()
        if forged != text:
            answer = check_token(record, forged, self.now, newest=record)
            assert answer is TokenCheck.WRONG


TestTokens = TokenMachine.TestCase
