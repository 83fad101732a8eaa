"""A memory store with log keys, a brand admin, an SAC (call center) agent, a store manager and a
PrivacyService over it: the world of the SAC and LGPD tests."""

from __future__ import annotations

from datetime import UTC, datetime

import attrs

from otocore.access import Principal
from otocore.accounts import AccountService, SecurityPolicy
from otocore.adapters.mail import InMemoryMailer
from otocore.adapters.memory import InMemoryDatabase
from otocore.auth import Role, SecretHasher
from otocore.clock import FixedClock
from otocore.customers import Customer
from otocore.ledger import LogKey, LogKeyring
from otocore.privacy import PrivacyService
from otocore.sellers import Store

NOW = datetime(2026, 11, 2, 13, 0, tzinfo=UTC)  # 10:00 in São Paulo
KEYS = LogKeyring.of(LogKey(key_id="k1", secret=bytes(range(32))))
HASHER = SecretHasher.insecure_for_tests()


@attrs.define
class SacWorld:
    db: InMemoryDatabase
    clock: FixedClock
    service: PrivacyService
    admin: Principal
    sac: Principal
    manager: Principal

    def add(self, *customers: Customer) -> None:
        with self.db.unit_of_work().writing() as uow:
            for customer in customers:
                uow.customers.add(customer)


def sac_world(now: datetime = NOW) -> SacWorld:
    db = InMemoryDatabase(log_keys=KEYS)
    with db.unit_of_work().writing() as uow:
        uow.stores.add(Store(store_id="L01", name="Loja Centro"))
    clock = FixedClock(now)
    accounts = AccountService(
        db.unit_of_work,
        mailer=InMemoryMailer(),
        clock=clock,
        policy=SecurityPolicy(app_url="https://app.example.com"),
        hasher=HASHER,
    )
    admin = accounts.principal_for(
        accounts.create_first_admin(
            email="admin@example.com",
            password="cavalo correto bateria grampo",  # noqa: S106 - a test account
            pin="482913",
        ).account_id
    )
    sac = accounts.principal_for(
        accounts.create_account(
            admin, email="sac@example.com", roles=[Role.CALL_CENTER], account_id="u-sac"
        ).account_id
    )
    manager = accounts.principal_for(
        accounts.create_account(
            admin,
            email="gerente@example.com",
            roles=[Role.STORE_MANAGER],
            store_id="L01",
            account_id="u-gerente",
        ).account_id
    )
    return SacWorld(
        db=db,
        clock=clock,
        service=PrivacyService(db.unit_of_work, clock=clock),
        admin=admin,
        sac=sac,
        manager=manager,
    )
