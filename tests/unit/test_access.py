"""Worked examples for otocore.access, from the seeds' wording."""

from __future__ import annotations

import hashlib
import itertools
import re
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import attrs
import pytest

from otocore.access import (
    GENESIS_HASH,
    PERMISSIONS,
    SELF_FORBIDDEN,
    Action,
    AuditEntry,
    AuditVerification,
    Outcome,
    Principal,
    Scope,
    Target,
    append_entry,
    audit_decision,
    authorize,
    canonical_entry_json,
    denial_reason,
    entry_hash,
    grantable_roles,
    is_allowed,
    verify_audit_log,
)
from otocore.auth import Role
from otocore.errors import PermissionDenied, RuleViolation, ValidationError

DOCS = Path(__file__).resolve().parents[2] / "docs" / "access.md"

GERENTE = Principal(account_id="u-gerente", roles={Role.STORE_MANAGER}, store_id="L01")
ADMIN = Principal(account_id="u-admin", roles={Role.BRAND_ADMIN})
ANA = Principal(account_id="u-ana", roles={Role.SELLER}, store_id="L01", seller_code="V01")
ANA_T = Target(store_id="L01", account_id="u-ana", seller_code="V01")
BRUNO_L02 = Target(store_id="L02", account_id="u-bruno", seller_code="V09")
T0 = datetime(2026, 5, 10, 15, 0, tzinfo=UTC)


# "Ative ou inative vendedores [...] através do acesso do Gerente de Loja" ---------


@pytest.mark.parametrize("action", [Action.ACTIVATE_SELLER, Action.DEACTIVATE_SELLER])
def test_manager_activates_and_deactivates_sellers_of_own_store(action: Action) -> None:
    authorize(GERENTE, action, ANA_T)
    assert is_allowed(GERENTE, action, ANA_T)


@pytest.mark.parametrize("action", [Action.ACTIVATE_SELLER, Action.DEACTIVATE_SELLER])
def test_manager_cannot_touch_another_stores_seller(action: Action) -> None:
    with pytest.raises(
        PermissionDenied,
        match=(
            rf"^store_manager u-gerente may not {action.value} on store L02, account u-bruno, "
            r"seller V09: store_manager acts only within its own store \(L01\)$"
        ),
    ) as info:
        authorize(GERENTE, action, BRUNO_L02)
    message = str(info.value)
    assert "store_manager" in message
    assert action.value in message
    assert "store L02" in message
    assert "seller V09" in message
    assert isinstance(info.value, RuleViolation)
    assert not is_allowed(GERENTE, action, BRUNO_L02)


def test_manager_needs_the_target_store_named() -> None:
    assert not is_allowed(GERENTE, Action.DEACTIVATE_SELLER, Target(seller_code="V01"))


def test_manager_redistributes_portfolio_of_own_store_only() -> None:
    assert is_allowed(GERENTE, Action.REDISTRIBUTE_PORTFOLIO, ANA_T)
    assert not is_allowed(GERENTE, Action.REDISTRIBUTE_PORTFOLIO, BRUNO_L02)


# FAQ: the manager unlocks and resets PINs, never their own -------------------------


@pytest.mark.parametrize("action", [Action.UNLOCK_ACCOUNT, Action.RESET_PIN])
def test_manager_unlocks_and_resets_pin_of_own_store_seller(action: Action) -> None:
    authorize(GERENTE, action, ANA_T)


@pytest.mark.parametrize("action", [Action.UNLOCK_ACCOUNT, Action.RESET_PIN])
def test_manager_cannot_unlock_or_reset_own_account(action: Action) -> None:
    own = Target(store_id="L01", account_id="u-gerente")
    with pytest.raises(PermissionDenied, match="own account"):
        authorize(GERENTE, action, own)


@pytest.mark.parametrize("action", sorted(SELF_FORBIDDEN, key=lambda a: a.value))
def test_admin_cannot_unlock_or_reset_own_account_but_can_others(action: Action) -> None:
    assert not is_allowed(ADMIN, action, Target(account_id="u-admin"))
    assert is_allowed(ADMIN, action, Target(account_id="u-other-admin"))


def test_self_is_also_recognised_by_seller_code() -> None:
    both = Principal(
        account_id="u-x", roles={Role.SELLER, Role.BRAND_ADMIN}, store_id="L01", seller_code="V7"
    )
    assert not is_allowed(both, Action.RESET_PIN, Target(store_id="L01", seller_code="V7"))
    assert is_allowed(both, Action.RESET_PIN, Target(store_id="L01", seller_code="V8"))


def test_seller_cannot_unlock_anyone() -> None:
    with pytest.raises(PermissionDenied, match="no role of seller grants unlock_account"):
        authorize(ANA, Action.UNLOCK_ACCOUNT, Target(store_id="L01", seller_code="V02"))


# "Usuários e permissões": Novo Usuário -------------------------------------------


@pytest.mark.parametrize("store", ["L01", "L02", "L99"])
def test_admin_creates_users_for_any_store(store: str) -> None:
    authorize(ADMIN, Action.CREATE_USER, Target(store_id=store))


def test_manager_creates_users_only_for_own_store_and_only_sellers() -> None:
    assert is_allowed(GERENTE, Action.CREATE_USER, Target(store_id="L01"))
    assert not is_allowed(GERENTE, Action.CREATE_USER, Target(store_id="L02"))
    assert grantable_roles(GERENTE) == frozenset({Role.SELLER})
    assert grantable_roles(ADMIN) == frozenset(Role)
    assert grantable_roles(ANA) == frozenset()


# Sellers, call center, order approvers ---------------------------------------------


def test_seller_sees_only_own_results() -> None:
    assert is_allowed(ANA, Action.VIEW_RESULTS, ANA_T)
    assert not is_allowed(ANA, Action.VIEW_RESULTS, Target(store_id="L01", seller_code="V02"))
    assert not is_allowed(ANA, Action.VIEW_RESULTS, Target(store_id="L01"))


def test_seller_own_thing_in_another_store_is_refused() -> None:
    assert not is_allowed(ANA, Action.REGISTER_CONTACT, Target(store_id="L02", seller_code="V01"))


def test_call_center_registers_contacts_in_any_store_but_manages_nothing() -> None:
    tele = Principal(account_id="u-tele", roles={Role.CALL_CENTER})
    assert is_allowed(tele, Action.REGISTER_CONTACT, Target(store_id="L07"))
    assert not is_allowed(tele, Action.DEACTIVATE_SELLER, Target(store_id="L07", seller_code="V1"))


def test_consent_follows_who_attends_the_customer() -> None:
    """Issue 12: a seller changes consent of their own carteira's customers, a manager of
    their store's, call center and brand admins of any."""
    own = Target(store_id="L01", seller_code="V01")  # a customer of Ana's carteira
    colleague = Target(store_id="L01", seller_code="V02")
    elsewhere = Target(store_id="L02", seller_code="V09")
    tele = Principal(account_id="u-tele", roles={Role.CALL_CENTER})
    assert is_allowed(ANA, Action.MANAGE_CONSENT, own)
    assert not is_allowed(ANA, Action.MANAGE_CONSENT, colleague)
    assert is_allowed(GERENTE, Action.MANAGE_CONSENT, colleague)
    assert not is_allowed(GERENTE, Action.MANAGE_CONSENT, elsewhere)
    assert is_allowed(tele, Action.MANAGE_CONSENT, elsewhere)
    assert is_allowed(ADMIN, Action.MANAGE_CONSENT, Target(account_id="customer:C9"))
    assert not is_allowed(ANA, Action.MANAGE_CONSENT, Target(account_id="customer:C9"))


def test_manager_registers_contacts_of_own_store_sellers() -> None:
    assert is_allowed(GERENTE, Action.REGISTER_CONTACT, Target(store_id="L01", seller_code="V02"))
    assert not is_allowed(GERENTE, Action.REGISTER_CONTACT, BRUNO_L02)


def test_only_brand_admins_manage_blocked_cpfs() -> None:
    brand = Target(account_id="cpf:***.982.247-**")
    assert is_allowed(ADMIN, Action.MANAGE_BLOCKS, brand)
    for principal in (
        GERENTE,
        ANA,
        Principal(account_id="u-tele", roles={Role.CALL_CENTER}),
        Principal(account_id="u-aprov", roles={Role.ORDER_APPROVER}),
    ):
        reason = denial_reason(principal, Action.MANAGE_BLOCKS, brand)
        assert reason is not None
        assert reason.endswith("grants manage_blocks")


def test_order_approver_and_admin_approve_orders() -> None:
    aprov = Principal(account_id="u-aprov", roles={Role.ORDER_APPROVER})
    assert is_allowed(aprov, Action.APPROVE_ORDER, Target(store_id="L01"))
    assert is_allowed(ADMIN, Action.APPROVE_ORDER, Target(store_id="L01"))
    assert not is_allowed(GERENTE, Action.APPROVE_ORDER, Target(store_id="L01"))


def test_several_roles_any_one_allows() -> None:
    both = Principal(
        account_id="u-ana",
        roles={Role.SELLER, Role.STORE_MANAGER},
        store_id="L01",
        seller_code="V1",
    )
    assert is_allowed(both, Action.DEACTIVATE_SELLER, Target(store_id="L01", seller_code="V2"))
    reason = denial_reason(both, Action.DEACTIVATE_SELLER, BRUNO_L02)
    assert reason == "store_manager acts only within its own store (L01)"


def test_principal_without_roles_is_denied_everything() -> None:
    nobody = Principal(account_id="u-x", roles=frozenset())
    for action in Action:
        assert not is_allowed(nobody, action, Target(store_id="L01"))


# Validation --------------------------------------------------------------------------


ROLE_VALUES = r"\('seller', 'store_manager', 'brand_admin', 'call_center', 'order_approver'\)"


def test_bad_inputs_are_validation_errors() -> None:
    with pytest.raises(
        ValidationError, match=rf"^Principal\.roles must contain only Role members {ROLE_VALUES}"
    ) as info:
        Principal(account_id="u", roles={"store_manager"}, store_id="L01")  # type: ignore[arg-type]
    assert info.value.value == {"store_manager"}
    with pytest.raises(
        ValidationError, match=r"^Principal\.roles must be a set of Role values, got 'seller'$"
    ):
        Principal(account_id="u", roles="seller")  # type: ignore[arg-type]
    with pytest.raises(
        ValidationError, match=r"^Principal\.store_id a store_manager needs its store, got None$"
    ):
        Principal(account_id="u", roles={Role.STORE_MANAGER})
    with pytest.raises(
        ValidationError, match=r"^Principal\.store_id a seller needs its store, got None$"
    ):
        Principal(account_id="u", roles={Role.SELLER, Role.STORE_MANAGER}, seller_code="V1")
    with pytest.raises(
        ValidationError, match=r"^Principal\.seller_code a seller needs its seller code, got None$"
    ):
        Principal(account_id="u", roles={Role.SELLER}, store_id="L01")
    with pytest.raises(ValidationError, match=r"^Principal\.account_id must not be empty, got ''$"):
        Principal(account_id="", roles={Role.BRAND_ADMIN})
    with pytest.raises(ValidationError, match=r"^Target\.store_id must not be empty, got ''$"):
        Target(store_id="")
    with pytest.raises(
        ValidationError,
        match=r"^Target must name a store_id, an account_id or a seller_code, got Target\(",
    ):
        Target()
    with pytest.raises(ValidationError, match=r"^action must be a Action \('activate_seller', "):
        authorize(GERENTE, "deactivate_seller", ANA_T)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"^target must be a Target, got 'L01'$"):
        authorize(GERENTE, Action.DEACTIVATE_SELLER, "L01")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"^principal must be a Principal, got 'u-g'$"):
        authorize("u-g", Action.DEACTIVATE_SELLER, ANA_T)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"^principal must be a Principal, got None$"):
        grantable_roles(None)  # type: ignore[arg-type]


# The permission table and the docs ----------------------------------------------------


def _docs_table() -> dict[Role, dict[Action, Scope]]:
    lines = DOCS.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("<!-- permission-table"))
    rows = []
    for line in lines[start + 1 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip().strip("`") for cell in line.strip().strip("|").split("|")])
    header, _rule, *body = rows
    roles = [Role(name) for name in header[1:]]
    table: dict[Role, dict[Action, Scope]] = {role: {} for role in roles}
    for row in body:
        action = Action(row[0])
        for role, cell in zip(roles, row[1:], strict=True):
            if cell != "—":
                table[role][action] = Scope(cell)
    assert len(body) == len(Action)
    return table


def test_docs_table_agrees_with_code_table() -> None:
    code = {role: dict(actions) for role, actions in PERMISSIONS.items()}
    assert _docs_table() == code
    assert set(PERMISSIONS) == set(Role)


def test_docs_end_with_api_reference() -> None:
    assert DOCS.read_text(encoding="utf-8").rstrip().endswith("::: otocore.access")


# Audit log ---------------------------------------------------------------------------

GOLDEN_JSON = (
    '{"action":"deactivate_seller","actor":"u-gerente","at":"2026-05-10T15:00:00.123456Z",'
    '"detail":"inativação pedida pelo gerente","outcome":"allowed","previous_hash":'
    '"0000000000000000000000000000000000000000000000000000000000000000","sequence":1,'
    '"target":{"account_id":null,"seller_code":"V01","store_id":"L01"},"v":1}'
)
GOLDEN_HASH = "bcde921c5c22ac82655b635460c9f5e522f230e6cd835fd6f232af439f06e795"
GOLDEN_HASH_2 = "7ee6c3999944d4af51dda8212482667286e1064b0ec920f092102bd700315310"


def _golden_log() -> list[AuditEntry]:
    first = append_entry(
        None,
        at=datetime(2026, 5, 10, 12, 0, 0, 123456, tzinfo=timezone(timedelta(hours=-3))),
        actor="u-gerente",
        action=Action.DEACTIVATE_SELLER,
        target=Target(store_id="L01", seller_code="V01"),
        outcome=Outcome.ALLOWED,
        detail="inativação pedida pelo gerente",
    )
    second = append_entry(
        first,
        at=datetime(2026, 5, 10, 15, 5, tzinfo=UTC),
        actor="u-gerente",
        action=Action.UNLOCK_ACCOUNT,
        target=Target(store_id="L01", account_id="u-gerente"),
        outcome=Outcome.DENIED,
        detail="nobody may unlock_account on their own account",
    )
    return [first, second]


def test_golden_vector() -> None:
    first, second = _golden_log()
    assert canonical_entry_json(first) == GOLDEN_JSON
    assert hashlib.sha256(GOLDEN_JSON.encode("utf-8")).hexdigest() == GOLDEN_HASH
    assert first.entry_hash == GOLDEN_HASH
    assert second.previous_hash == GOLDEN_HASH
    assert second.entry_hash == GOLDEN_HASH_2


def test_docs_carry_the_golden_vector() -> None:
    text = DOCS.read_text(encoding="utf-8")
    assert GOLDEN_JSON in text
    assert GOLDEN_HASH in text


def test_first_entry_starts_the_chain() -> None:
    first, _ = _golden_log()
    assert first.sequence == 1
    assert first.previous_hash == GENESIS_HASH == "0" * 64
    assert first.at == datetime(2026, 5, 10, 15, 0, 0, 123456, tzinfo=UTC)


def test_denied_attempt_is_logged() -> None:
    entry = audit_decision(
        None, at=T0, principal=GERENTE, action=Action.DEACTIVATE_SELLER, target=BRUNO_L02
    )
    assert entry.outcome is Outcome.DENIED
    assert entry.actor == "u-gerente"
    assert entry.target == BRUNO_L02
    assert entry.detail == "store_manager acts only within its own store (L01)"
    allowed = audit_decision(
        entry, at=T0, principal=GERENTE, action=Action.DEACTIVATE_SELLER, target=ANA_T
    )
    assert allowed.outcome is Outcome.ALLOWED
    assert allowed.detail == ""
    assert verify_audit_log([entry, allowed]).ok


def _log(n: int) -> list[AuditEntry]:
    log: list[AuditEntry] = []
    for i in range(n):
        log.append(
            append_entry(
                log[-1] if log else None,
                at=T0 + timedelta(minutes=i),
                actor="u-gerente",
                action=Action.RESET_PIN,
                target=Target(store_id="L01", seller_code=f"V{i}"),
                outcome=Outcome.ALLOWED,
            )
        )
    return log


def test_removed_entry_is_detected() -> None:
    log = _log(5)
    result = verify_audit_log(log[:2] + log[3:])
    assert not result.ok
    assert result.first_bad_sequence == 3
    assert result.problem is not None


def test_first_entry_removed_is_detected() -> None:
    assert verify_audit_log(_log(3)[1:]).first_bad_sequence == 1


def test_edited_entry_is_detected() -> None:
    log = _log(4)
    log[2] = attrs.evolve(log[2], outcome=Outcome.DENIED)
    result = verify_audit_log(log)
    assert (result.ok, result.first_bad_sequence) == (False, 3)
    assert result.problem is not None
    assert "edited" in result.problem


def test_edited_and_rehashed_entry_breaks_the_next_link() -> None:
    log = _log(4)
    forged = attrs.evolve(log[1], actor="u-admin")
    log[1] = attrs.evolve(forged, entry_hash=entry_hash(forged))
    result = verify_audit_log(log)
    assert (result.ok, result.first_bad_sequence) == (False, 3)


def test_reordered_entries_are_detected() -> None:
    log = _log(4)
    log[1], log[2] = log[2], log[1]
    assert verify_audit_log(log).first_bad_sequence == 2


def test_truncation_detected_only_with_tail_hash() -> None:
    log = _log(4)
    assert verify_audit_log(log[:3]).ok
    result = verify_audit_log(log[:3], tail_hash=log[-1].entry_hash)
    assert (result.ok, result.first_bad_sequence) == (False, 4)
    assert verify_audit_log(log, tail_hash=log[-1].entry_hash).ok


HEX64 = "must be a SHA-256 digest as 64 lowercase hex digits"


def test_audit_entry_validation() -> None:
    (first, _) = _golden_log()
    with pytest.raises(ValidationError, match=rf"^AuditEntry\.entry_hash {HEX64}, got 'ABC'$"):
        attrs.evolve(first, entry_hash="ABC")
    with pytest.raises(ValidationError, match=r"^AuditEntry\.at must be timezone-aware, got "):
        attrs.evolve(first, at=datetime(2026, 1, 1))
    with pytest.raises(
        ValidationError, match=r"^AuditEntry\.action must be an Action or a str, got 3$"
    ):
        attrs.evolve(first, action=3)
    with pytest.raises(
        ValidationError, match=r"^AuditEntry\.detail must not contain control characters, got "
    ):
        attrs.evolve(first, detail="a\x00b")
    with pytest.raises(
        ValidationError, match=r"^AuditEntry\.actor must be valid Unicode text, got '\\ud800'$"
    ):
        attrs.evolve(first, actor="\ud800")
    with pytest.raises(ValidationError, match=rf"^tail_hash {HEX64}, got 'nope'$"):
        verify_audit_log([first], tail_hash="nope")
    with pytest.raises(ValidationError, match=r"^log_tail must be an AuditEntry or None, got 'x'$"):
        append_entry(
            "x",  # type: ignore[arg-type]
            at=T0,
            actor="u",
            action=Action.RESET_PIN,
            target=ANA_T,
            outcome=Outcome.ALLOWED,
        )


def test_free_text_action_is_hashed_as_given() -> None:
    entry = append_entry(
        None,
        at=T0,
        actor="u-admin",
        action="export_report",
        target=Target(store_id="L01"),
        outcome=Outcome.FAILED,
        detail="disk full",
    )
    assert re.search(r'"action":"export_report"', canonical_entry_json(entry))
    assert verify_audit_log([entry]).ok


# Edges pinned by mutation testing ------------------------------------------------------


def test_roles_given_as_a_mapping_are_refused_not_read_as_keys() -> None:
    # {role: enabled} must not grant the roles switched off
    with pytest.raises(
        ValidationError, match=r"^Principal\.roles must be a set of Role values, got \{"
    ) as info:
        Principal(account_id="u", roles={Role.BRAND_ADMIN: False})  # type: ignore[arg-type]
    assert info.value.value == {Role.BRAND_ADMIN: False}


def test_no_role_and_several_roles_are_named_in_the_reason_and_the_error() -> None:
    nobody = Principal(account_id="u-x", roles=frozenset())
    target = Target(store_id="L01")
    assert denial_reason(nobody, Action.CREATE_USER, target) == (
        "no role of no role grants create_user"
    )
    with pytest.raises(
        PermissionDenied,
        match=r"^\(no role\) u-x may not create_user on store L01: no role of no role grants",
    ):
        authorize(nobody, Action.CREATE_USER, target)
    two = Principal(account_id="u-t", roles={Role.ORDER_APPROVER, Role.CALL_CENTER})
    assert denial_reason(two, Action.CREATE_USER, target) == (
        "no role of call_center, order_approver grants create_user"
    )
    with pytest.raises(
        PermissionDenied,
        match=(
            r"^call_center, order_approver u-t may not create_user on store L01: "
            r"no role of call_center, order_approver grants create_user$"
        ),
    ):
        authorize(two, Action.CREATE_USER, target)


def test_every_role_that_could_allow_says_why_it_does_not() -> None:
    both = Principal(
        account_id="u-ana",
        roles={Role.SELLER, Role.STORE_MANAGER},
        store_id="L01",
        seller_code="V1",
    )
    other_store = Target(store_id="L02", seller_code="V2")
    assert denial_reason(both, Action.VIEW_RESULTS, other_store) == (
        "seller may do this only on its own account; "
        "store_manager acts only within its own store (L01)"
    )


@pytest.mark.parametrize(
    "roles",
    [frozenset(c) for n in range(len(Role) + 1) for c in itertools.combinations(Role, n)],
    ids=lambda roles: "+".join(sorted(r.value for r in roles)) or "none",
)
def test_grantable_roles_are_the_union_over_the_principals_roles(roles: frozenset[Role]) -> None:
    principal = Principal(account_id="u", roles=roles, store_id="L01", seller_code="V1")
    expected = (
        frozenset(Role)
        if Role.BRAND_ADMIN in roles
        else frozenset({Role.SELLER})
        if Role.STORE_MANAGER in roles
        else frozenset()
    )
    assert grantable_roles(principal) == expected


def _entry(**changes: object) -> AuditEntry:
    (first, _) = _golden_log()
    return attrs.evolve(first, **changes)


@pytest.mark.parametrize(
    ("field", "longest"),
    [("actor", 200), ("action", 100), ("detail", 1000)],
)
def test_audit_texts_have_a_maximum_length(field: str, longest: int) -> None:
    assert getattr(_entry(**{field: "a" * longest}), field) == "a" * longest
    with pytest.raises(
        ValidationError, match=rf"^AuditEntry\.{field} must be at most {longest} characters, got "
    ) as info:
        _entry(**{field: "a" * (longest + 1)})
    assert info.value.field == f"AuditEntry.{field}"


@pytest.mark.parametrize(
    ("field", "value", "rule"),
    [
        ("actor", "", "must not be empty"),
        ("action", "", "must not be empty"),
        ("action", " ", "must not be empty"),
        ("action", "export\x00", "must not contain control characters"),
        ("action", "\udc00", "must be valid Unicode text"),
        ("detail", "\udc00", "must be valid Unicode text"),
        ("detail", " ", "must not be empty"),
    ],
)
def test_audit_texts_are_checked_and_named(field: str, value: str, rule: str) -> None:
    with pytest.raises(ValidationError, match=rf"^AuditEntry\.{field} {rule}, got ") as info:
        _entry(**{field: value})
    assert (info.value.field, info.value.value) == (f"AuditEntry.{field}", value)


def test_an_empty_detail_is_allowed() -> None:
    assert _entry(detail="").detail == ""


def test_a_log_item_that_is_not_an_entry_is_named_by_its_index() -> None:
    first, second = _golden_log()
    with pytest.raises(ValidationError, match=r"^entries\[0\] must be an AuditEntry, got None$"):
        verify_audit_log([None])  # type: ignore[list-item]
    with pytest.raises(
        ValidationError, match=r"^entries\[2\] must be an AuditEntry, got 'x'$"
    ) as info:
        verify_audit_log([first, second, "x"])  # type: ignore[list-item]
    assert (info.value.field, info.value.value) == ("entries[2]", "x")


@pytest.mark.parametrize("tail", [5, "A" * 64, "a" * 63, "a" * 65, "g" * 64, "a" * 64 + "\n"])
def test_a_tail_hash_must_be_64_lowercase_hex_digits(tail: object) -> None:
    with pytest.raises(ValidationError, match=rf"^tail_hash {HEX64}, got ") as info:
        verify_audit_log([], tail_hash=tail)  # type: ignore[arg-type]
    assert (info.value.field, info.value.value) == ("tail_hash", tail)


def test_each_break_of_the_chain_is_explained() -> None:
    log = _log(3)
    assert verify_audit_log([log[0], log[2]]).problem == (
        "entry 2: found sequence 3 (an entry was removed, inserted or reordered)"
    )
    replaced = attrs.evolve(log[2], sequence=2)
    assert verify_audit_log([log[0], replaced]) == AuditVerification(
        ok=False,
        first_bad_sequence=2,
        problem=(
            "entry 2: previous_hash does not match the entry before it "
            "(an entry was replaced, inserted or reordered)"
        ),
    )
    edited = attrs.evolve(log[1], detail="editado")
    assert verify_audit_log([log[0], edited]) == AuditVerification(
        ok=False,
        first_bad_sequence=2,
        problem="entry 2: entry_hash does not match its content (the entry was edited)",
    )
    assert verify_audit_log(log[:2], tail_hash=log[2].entry_hash) == AuditVerification(
        ok=False,
        first_bad_sequence=3,
        problem=(
            "the log ends at entry 2 but tail_hash names a different last entry "
            "(entries were cut from the end)"
        ),
    )
    assert verify_audit_log([], tail_hash=log[0].entry_hash).first_bad_sequence == 1
    assert verify_audit_log(log, tail_hash=log[2].entry_hash) == AuditVerification(ok=True)


@pytest.mark.skipif(not hasattr(time, "tzset"), reason="needs time.tzset (POSIX)")
def test_the_canonical_json_does_not_depend_on_the_machines_time_zone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TZ", "America/Sao_Paulo")
    time.tzset()
    try:
        first, second = _golden_log()
        assert canonical_entry_json(first) == GOLDEN_JSON
        assert (first.entry_hash, second.entry_hash) == (GOLDEN_HASH, GOLDEN_HASH_2)
    finally:
        monkeypatch.undo()
        time.tzset()
