"""Contas e acesso (accounts and access): login, lockout, recovery, PIN reset, user and seller management.

The service behind what Oto's FAQ describes ("Como acesso o Oto?": e-mail,
senha and PIN; "Esqueci a minha senha"; "Esqueci o meu código PIN": the
manager resets it and "você receberá o novo código em seu e-mail cadastrado";
"Meu usuário foi bloqueado": the manager unlocks it, then "é preciso gerar uma
nova senha [...] ao clicar em 'esqueceu senha'") and
Oto's help page for managers and campaigns ("Gestão de Vendedores": activate and
inactivate sellers and redistribute their carteira; "Usuários e permissões":
"Novo Usuário").

:class:`AccountService` loads accounts through a unit of work, calls the pure
rules of :mod:`otocore.auth` and :mod:`otocore.access`, saves the result and
then sends e-mail through a :class:`~otocore.mail.Mailer`:

- every method opens its **own** unit of work from the factory it was given,
  so a login failure is committed even when the caller's own transaction
  rolls back;
- e-mail is sent only **after** that unit of work committed, and a PIN or
  token is never stored: only its hash is;
- every management action (unlock, PIN reset, new user, activate and
  deactivate a seller) and every clienteling action (an opt-in or opt-out,
  a blocked CPF, a registered contact) is authorized with :func:`~otocore.access.authorize`'s
  table and written to the hash-chained audit log in the same transaction:
  ALLOWED with the work, DENIED (then :class:`~otocore.errors.PermissionDenied`
  is raised) or FAILED (the work raised an :class:`~otocore.errors.OtocoreError`
  and was rolled back; the error is re-raised).

Nothing is logged with a secret, a token, a PIN, a password, a hash or an
e-mail address; log lines name account ids.

Examples:
    >>> import random
    >>> from datetime import UTC, datetime
    >>> from otocore.adapters.mail import InMemoryMailer
    >>> from otocore.adapters.memory import InMemoryDatabase
    >>> from otocore.auth import Role, SecretHasher
    >>> from otocore.clock import FixedClock
    >>> from otocore.sellers import Seller, Store
    >>> db, mailer = InMemoryDatabase(), InMemoryMailer()
    >>> service = AccountService(
    ...     db.unit_of_work,
    ...     mailer=mailer,
    ...     clock=FixedClock(datetime(2026, 5, 4, 9, 0, tzinfo=UTC)),
    ...     policy=SecurityPolicy(app_url="https://app.example.com"),
    ...     hasher=SecretHasher.insecure_for_tests(),
    ...     rng=random.Random(7),
    ... )
    >>> with db.unit_of_work() as uow:
    ...     uow.stores.add(Store(store_id="L01", name="Loja Centro"))
    ...     uow.sellers.add(Seller(code="V01", name="Ana Souza", store_id="L01"))
    >>> first = service.create_first_admin(
    ...     email="admin@example.com", password="cavalo correto bateria grampo", pin="482913"
    ... )
    >>> admin = service.login("Admin@Example.com ", "cavalo correto bateria grampo", "482913")
    >>> ana = service.create_account(
    ...     admin, email="ana.souza@example.com", roles=[Role.SELLER], seller_code="V01"
    ... )
    >>> [(m.to.address, m.kind.value) for m in mailer.outbox]
    [('ana.souza@example.com', 'welcome'), ('ana.souza@example.com', 'new_pin')]
    >>> service.login("ana.souza@example.com", "ainda não tenho senha", "000000")
    Traceback (most recent call last):
    ...
    otocore.errors.AuthenticationFailed: login refused: a new password is required; use password recovery to set one
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable

from otocore.accounts import _admin, _clienteling, _login, _recovery, _sellers, _telesales
from otocore.accounts._core import DUMMY_SECRET
from otocore.accounts._telesales import SharedCart
from otocore.auth import SecretHasher, SecurityPolicy
from otocore.clock import Clock
from otocore.errors import ValidationError
from otocore.mail import Mailer
from otocore.repositories import UnitOfWork

__all__ = ["AccountService", "SecurityPolicy", "SharedCart"]


# The service is one class assembled from one part per job: _login (login and lockout),
# _recovery (password links, new password, PIN by link), _admin (accounts: create,
# first admin, unlock, reset PIN, principal_for), _sellers (activate, deactivate) and
# _clienteling (consent, blocked CPFs, contacts) and _telesales (carts to invoices), the last four on _audit's audited
# transaction, all on _core's shared state and steps.
# The bases are listed last job first: the API reference lists inherited methods from
# the last base up, so login reads first there.
class AccountService(
    _telesales.Telesales,
    _clienteling.Clienteling,
    _sellers.SellerManagement,
    _admin.Administration,
    _recovery.Recovery,
    _login.Login,
):
    """Login, lockout, recovery, PIN reset and the audited management and clienteling actions.

    Args:
        unit_of_work: a factory of **new** units of work on the brand's
            database (``db.unit_of_work``); each method opens its own.
        mailer: where e-mail goes (:class:`~otocore.adapters.mail.SmtpMailer`,
            or :class:`~otocore.adapters.mail.InMemoryMailer` in tests).
        clock: "now", for lockout, token expiry and the audit log.
        policy: the brand's :class:`SecurityPolicy`.
        hasher: the Argon2id hasher (default ``SecretHasher()``, OWASP's
            minimum parameters).
        rng: draws new PINs and account ids (default
            ``secrets.SystemRandom()``; a seeded ``random.Random`` in tests).
        token_bytes: draws the 32 random bytes of a token (default
            :func:`secrets.token_bytes`).

    >>> from datetime import UTC, datetime
    >>> from otocore.adapters.mail import InMemoryMailer
    >>> from otocore.adapters.memory import InMemoryDatabase
    >>> from otocore.clock import FixedClock
    >>> AccountService(
    ...     InMemoryDatabase().unit_of_work(),
    ...     mailer=InMemoryMailer(),
    ...     clock=FixedClock(datetime(2026, 5, 4, tzinfo=UTC)),
    ...     policy=SecurityPolicy(app_url="https://app.example.com"),
    ... )
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: unit_of_work must be a callable that returns a new UnitOfWork (pass db.unit_of_work, not db.unit_of_work()), got InMemoryUnitOfWork(...)
    """

    def __init__(
        self,
        unit_of_work: Callable[[], UnitOfWork],
        *,
        mailer: Mailer,
        clock: Clock,
        policy: SecurityPolicy,
        hasher: SecretHasher | None = None,
        rng: random.Random | None = None,
        token_bytes: Callable[[int], bytes] = secrets.token_bytes,
    ) -> None:
        if not callable(unit_of_work):
            raise ValidationError(
                "unit_of_work",
                _Shown(f"{type(unit_of_work).__name__}(...)"),
                "must be a callable that returns a new UnitOfWork "
                "(pass db.unit_of_work, not db.unit_of_work())",
            )
        if not isinstance(mailer, Mailer):
            raise ValidationError("mailer", mailer, "must have a send(message) method (a Mailer)")
        if not isinstance(clock, Clock):
            raise ValidationError("clock", clock, "must be a Clock")
        if not isinstance(policy, SecurityPolicy):
            raise ValidationError("policy", policy, "must be a SecurityPolicy")
        if hasher is not None and not isinstance(hasher, SecretHasher):
            raise ValidationError("hasher", hasher, "must be a SecretHasher or None")
        if rng is not None and not isinstance(rng, random.Random):
            raise ValidationError("rng", rng, "must be a random.Random or None")
        if not callable(token_bytes):
            raise ValidationError("token_bytes", token_bytes, "must be a callable(n) -> bytes")
        self._unit_of_work = unit_of_work
        self._mailer = mailer
        self._clock = clock
        self.policy = policy
        self._hasher = hasher if hasher is not None else SecretHasher()
        self._dummy_hash = self._hasher.hash(DUMMY_SECRET)  # now, not at the first unknown e-mail
        self._rng = rng if rng is not None else secrets.SystemRandom()
        self._token_bytes = token_bytes

    def __repr__(self) -> str:
        return f"AccountService(policy={self.policy!r})"


class _Shown:
    """A value shown as given text in an error message."""

    def __init__(self, text: str) -> None:
        self._text = text

    def __repr__(self) -> str:
        return self._text
