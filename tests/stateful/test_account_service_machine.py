"""The account service against a plain model, over any interleaving of what sellers and managers do.

Three sellers in two stores log in with right, wrong, malformed and old passwords and
PINs; their managers unlock them and reset their PINs; they ask for password links and
use them (the newest, older ones, made-up ones), set PINs through links, and time
passes (a FixedClock advanced in steps), so links expire and get superseded. The model
is the seed's rule written out with ints and bools: "Caso você erre a sua senha por um
determinado número de vezes em sequência [...] o seu usuário será bloqueado"; after the
manager's unlock "é preciso gerar uma nova senha"; a link works once, before it
expires, and only while it is the newest.

Checked after every step: each account is locked exactly when the model says so (with
the model's failure count and "new password required"), a locked account never logs
in, every e-mail went to the account whose secret it carries and to no one else, and
the audit log verifies.
"""

from __future__ import annotations

import random
import re
from datetime import datetime, timedelta

import attrs
import pytest
from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from _support.builders import HASHER, START
from otocore.access import verify_audit_log
from otocore.accounts import AccountService, SecurityPolicy
from otocore.adapters.mail import InMemoryMailer
from otocore.adapters.memory import InMemoryDatabase
from otocore.auth import (
    Account,
    LockoutPolicy,
    PinDelivery,
    PinPolicy,
    Role,
    normalize_login_email,
)
from otocore.clock import FixedClock
from otocore.errors import AuthenticationFailed, InvalidToken, PermissionDenied
from otocore.mail import Message, MessageKind
from otocore.sellers import Seller, Store

APP_URL = "https://app.example.com"
TTL = timedelta(hours=1)
SELLERS = {  # account id -> e-mail, seller code, store, its manager, another store's manager
    "u-ana": ("ana@example.com", "V01", "L01", "u-g1", "u-g2"),
    "u-bia": ("bia@example.com", "V02", "L01", "u-g1", "u-g2"),
    "u-caio": ("caio@example.com", "V03", "L02", "u-g2", "u-g1"),
}
NEW_PASSWORDS = ("brisa fresca de maio", "cavalo correto bateria", "loja centro trinta")
NEW_PINS = ("307519", "418620", "529731")
FIRST_PINS = {"u-ana": "826351", "u-bia": "937462", "u-caio": "148573"}
TOKEN = re.compile(rf"{re.escape(APP_URL)}/(nova-senha|novo-pin)\?token=([A-Za-z0-9_\-]+)")


@attrs.define
class Token:
    text: str
    issued_at: datetime
    used: bool = False


@attrs.define
class Model:
    """What the seed says one account's state is."""

    password: str | None
    pin: str | None
    old_pin: str
    failures: int = 0
    locked: bool = False
    must_change: bool = False
    password_tokens: list[Token] = attrs.Factory(list)
    pin_tokens: list[Token] = attrs.Factory(list)


class AccountServiceMachine(RuleBasedStateMachine):
    @initialize(
        limit=st.integers(1, 5),
        delivery=st.sampled_from(list(PinDelivery)),
        seed=st.integers(0, 2**16),
    )
    def setup(self, limit: int, delivery: PinDelivery, seed: int) -> None:
        self.db = InMemoryDatabase()
        self.mailer = InMemoryMailer()
        self.clock = FixedClock(START)
        self.limit = limit
        self.delivery = delivery
        self.seen_mail = 0
        self.owner_of_secret: dict[str, str] = {}  # PIN or token text -> account id
        with self.db.unit_of_work() as uow:
            for store in ("L01", "L02"):
                uow.stores.add(Store(store_id=store, name=f"Loja {store}"))
            for manager, store in (("u-g1", "L01"), ("u-g2", "L02")):
                uow.accounts.add(
                    Account(
                        account_id=manager,
                        email=normalize_login_email(f"{manager[2:]}@example.com"),
                        roles={Role.STORE_MANAGER},
                        store_id=store,
                    )
                )
            self.models: dict[str, Model] = {}
            for account_id, (email, code, store, _, _) in SELLERS.items():
                password = f"senha inicial de {account_id}"
                uow.sellers.add(Seller(code=code, name=account_id, store_id=store))
                uow.accounts.add(
                    Account(
                        account_id=account_id,
                        email=normalize_login_email(email),
                        roles={Role.SELLER},
                        seller_code=code,
                        store_id=store,
                        password_hash=HASHER.hash(password),
                        pin_hash=HASHER.hash(FIRST_PINS[account_id]),
                    )
                )
                self.models[account_id] = Model(
                    password=password, pin=FIRST_PINS[account_id], old_pin=FIRST_PINS[account_id]
                )
        self.service = AccountService(
            self.db.unit_of_work,
            mailer=self.mailer,
            clock=self.clock,
            policy=SecurityPolicy(
                app_url=APP_URL,
                lockout=LockoutPolicy(max_failures=limit),
                pin=PinPolicy(delivery=delivery),
                token_ttl=TTL,
            ),
            hasher=HASHER,
            rng=random.Random(seed),
            token_bytes=random.Random(seed + 1).randbytes,
        )

    # helpers ---------------------------------------------------------------------------

    def _new_mail(self) -> list[Message]:
        fresh = self.mailer.outbox[self.seen_mail :]
        self.seen_mail = len(self.mailer.outbox)
        return fresh

    def _secret_of(self, message: Message) -> str:
        if message.kind is MessageKind.NEW_PIN:
            (pin,) = re.findall(r"\d+", message.body)
            return str(pin)
        found = TOKEN.search(message.body)
        assert found is not None, message.kind
        return found.group(2)

    def _only_mail_to(self, account_id: str, kind: MessageKind) -> str:
        """The one new e-mail went to ``account_id``'s own address; its secret is returned."""
        (message,) = self._new_mail()
        assert message.to.address == SELLERS[account_id][0]
        assert message.kind is kind
        secret = self._secret_of(message)
        assert secret not in self.owner_of_secret or self.owner_of_secret[secret] == account_id
        self.owner_of_secret[secret] = account_id
        return secret

    def _usable(self, tokens: list[Token], index: int) -> bool:
        token = tokens[index]
        now = self.clock.now()
        return (
            index == len(tokens) - 1
            and not token.used
            and token.issued_at <= now < token.issued_at + TTL
        )

    # rules -------------------------------------------------------------------------------

    @rule(
        who=st.sampled_from(sorted(SELLERS)),
        password_kind=st.sampled_from(["right", "wrong", "empty", "overlong", "other's"]),
        pin_kind=st.sampled_from(["right", "wrong", "letters", "short", "old", "other's"]),
    )
    def login(self, who: str, password_kind: str, pin_kind: str) -> None:
        model = self.models[who]
        other = self.models["u-caio" if who != "u-caio" else "u-ana"]
        password = {
            "right": model.password or "senha que não existe mais",
            "wrong": "uma senha errada qualquer",
            "empty": "",
            "overlong": "x" * 1000,
            "other's": other.password or "outra senha",
        }[password_kind]
        pin = {
            "right": model.pin or "000000",
            "wrong": "000001",
            "letters": "12a456",
            "short": "1234",
            "old": model.old_pin,
            "other's": other.pin or "999999",
        }[pin_kind]
        right = password == model.password and pin == model.pin
        if model.locked:
            expected = "locked"
        elif model.must_change:
            expected = "new_password_required"
        elif right:
            expected = "success"
            model.failures = 0
        else:
            model.failures += 1
            model.locked = model.failures == self.limit
            expected = "locked" if model.locked else "wrong_credentials"
        try:
            principal = self.service.login(SELLERS[who][0], password, pin)
            outcome = "success"
            assert principal.account_id == who
        except AuthenticationFailed as refused:
            outcome = refused.reason
        assert outcome == expected
        event(f"login: {outcome}")
        assert not (outcome == "success" and model.locked)  # a locked account never logs in
        assert self._new_mail() == []

    @rule(who=st.sampled_from(sorted(SELLERS)))
    def manager_unlocks(self, who: str) -> None:
        manager = self.service.principal_for(SELLERS[who][3])
        self.service.unlock(manager, who)
        model = self.models[who]
        model.failures, model.locked, model.must_change, model.password = 0, False, True, None
        assert self._new_mail() == []

    @rule(who=st.sampled_from(sorted(SELLERS)), action=st.sampled_from(["unlock", "reset_pin"]))
    def another_stores_manager_is_refused(self, who: str, action: str) -> None:
        stranger = self.service.principal_for(SELLERS[who][4])
        try:
            getattr(self.service, action)(stranger, who)
        except PermissionDenied:
            pass
        else:
            raise AssertionError("a manager acted on another store's seller")
        assert self._new_mail() == []

    @rule(who=st.sampled_from(sorted(SELLERS)))
    def manager_resets_pin(self, who: str) -> None:
        manager = self.service.principal_for(SELLERS[who][3])
        self.service.reset_pin(manager, who)
        model = self.models[who]
        if model.pin is not None:
            model.old_pin = model.pin
        if self.delivery is PinDelivery.EMAIL_PIN:
            model.pin = self._only_mail_to(who, MessageKind.NEW_PIN)
        else:
            model.pin = None
            text = self._only_mail_to(who, MessageKind.PIN_LINK)
            model.pin_tokens.append(Token(text, self.clock.now()))

    @rule(who=st.sampled_from(sorted(SELLERS)), spelling=st.sampled_from([str, str.upper]))
    def seller_asks_for_a_password_link(self, who: str, spelling: object) -> None:
        model = self.models[who]
        now = self.clock.now()
        recent = [t for t in model.password_tokens if now - timedelta(hours=1) < t.issued_at]
        email = SELLERS[who][0]
        self.service.request_password_recovery(spelling(email))  # type: ignore[operator]
        if len(recent) < 3:
            text = self._only_mail_to(who, MessageKind.PASSWORD_RECOVERY)
            model.password_tokens.append(Token(text, now))
        else:
            assert self._new_mail() == []  # rate limited, and the answer did not change

    @rule(
        who=st.sampled_from(sorted(SELLERS)),
        back=st.integers(0, 3),
        new_password=st.sampled_from(NEW_PASSWORDS),
    )
    def seller_uses_a_password_link(self, who: str, back: int, new_password: str) -> None:
        model = self.models[who]
        if not model.password_tokens:
            text, usable = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", False
            index = -1
        else:
            index = max(0, len(model.password_tokens) - 1 - back)
            text, usable = (
                model.password_tokens[index].text,
                self._usable(model.password_tokens, index),
            )
        try:
            self.service.reset_password(text, new_password)
            worked = True
        except InvalidToken:
            worked = False
        assert worked == usable
        event(f"password link: {'worked' if worked else 'refused'}")
        if worked:
            model.password_tokens[index].used = True
            model.password = new_password
            model.failures, model.must_change = 0, False  # still locked if it was
        assert self._new_mail() == []

    @rule(
        who=st.sampled_from(sorted(SELLERS)),
        back=st.integers(0, 3),
        new_pin=st.sampled_from(NEW_PINS),
    )
    def seller_uses_a_pin_link(self, who: str, back: int, new_pin: str) -> None:
        model = self.models[who]
        if not model.pin_tokens:
            return
        index = max(0, len(model.pin_tokens) - 1 - back)
        usable = self._usable(model.pin_tokens, index)
        try:
            self.service.set_pin(model.pin_tokens[index].text, new_pin)
            worked = True
        except InvalidToken:
            worked = False
        assert worked == usable
        event(f"PIN link: {'worked' if worked else 'refused'}")
        if worked:
            model.pin_tokens[index].used = True
            model.pin = new_pin
        assert self._new_mail() == []

    @rule(minutes=st.sampled_from([1, 20, 59, 61]))
    def time_passes(self, minutes: int) -> None:
        self.clock.advance(timedelta(minutes=minutes))

    # invariants ----------------------------------------------------------------------------

    @invariant()
    def accounts_match_the_model(self) -> None:
        with self.db.unit_of_work() as uow:
            for account_id, model in self.models.items():
                state = uow.accounts.get(account_id).state
                assert state.locked == model.locked, account_id
                assert state.failures == model.failures, account_id
                assert state.must_change_password == model.must_change, account_id
                assert state.failures <= self.limit

    @invariant()
    def every_secret_went_only_to_its_own_account(self) -> None:
        for message in self.mailer.outbox:
            owner = self.owner_of_secret.get(self._secret_of(message))
            assert owner is not None
            assert message.to.address == SELLERS[owner][0]

    @invariant()
    def the_audit_log_verifies(self) -> None:
        with self.db.unit_of_work() as uow:
            assert verify_audit_log(uow.audit.iter_all()).ok


AccountServiceMachine.TestCase.settings = settings(
    AccountServiceMachine.TestCase.settings, stateful_step_count=30
)
TestAccountService = AccountServiceMachine.TestCase
pytestmark = pytest.mark.slow  # the whole account service, Argon2 hashing included
