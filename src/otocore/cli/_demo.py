"""``otocore demo``: the bundled sample brand, end to end."""

from __future__ import annotations

import json
import secrets
import tempfile
from collections import Counter
from datetime import date, datetime, timedelta
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import attrs
import typer
from rich.table import Table

from otocore.cli._common import BRAND_TIME_ZONE, DEMO_KEY_SUFFIX, JsonOption, console, open_db
from otocore.cli._import import progress_bar
from otocore.cli._suggestions import print_suggestions
from otocore.errors import ConfigurationError

DEMO_AS_OF = date(2026, 11, 1)
"""The day the demo runs the daily job for: the day after the bundled brand's last order."""

DEMO_SELLER = "V005"
"""The seller whose suggestions, seller link and QR code the demo prints."""

DEMO_STORE_URL = "https://loja.example.com.br/?utm_source=oto&utm_medium=qrcode"
"""The online store address of the demo's seller link (the sample brand has none of its own)."""


DEMO_ADMIN = "admin@example.com"
"""The demo brand's admin: configures telesales and creates the two accounts below."""

DEMO_OPERATOR = "televendas@example.com"
"""The demo's call-center operator (CALL_CENTER): builds, places, pays and invoices the order."""

DEMO_APPROVER = "aprovador@example.com"
"""The demo's order approver (ORDER_APPROVER): authorizes the manual price."""

DEMO_CUSTOMER = "C000413"
"""The customer the demo's telesales order is for (home store L01)."""

DEMO_BRAND = "Brisa"
"""The sample brand's name, the title of the demo's results report."""

DEMO_REPORT_FIRST_DAY = date(2026, 9, 1)
"""The first day of the demo's results report: the sample brand's contact log is September 2026."""

DEMO_REPORT_LAST_DAY = date(2026, 9, 30)
"""The last day of the demo's results report."""

DEMO_ANONYMIZED = "C000157"
"""The customer the demo anonymizes (LGPD art. 18 IV): Samuel Araújo, with a CPF, an RG and orders."""

DEMO_EDITED_EMAIL = "vanessa.pereira@example.com"
"""The e-mail the demo's SAC edit gives the telesales customer (who has none in the sample)."""


def demo(
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            help="SQLite file to create and keep (default: a temporary one, deleted at the end).",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Where to write the seller link's QR code (PNG; default: next to --db, "
            "else in the temporary folder).",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Load the bundled sample brand into SQLite, run the daily job, print the results."""
    month = DEMO_REPORT_FIRST_DAY.strftime("%Y-%m")
    if db is None:
        # the database goes with its temporary folder; the QR image and the report are kept
        temp = Path(tempfile.gettempdir())
        qr_path = out or temp / f"otocore-demo-seller-{DEMO_SELLER}-qr.png"
        report_path = temp / f"otocore-demo-report-{month}.html"
        with tempfile.TemporaryDirectory(prefix="otocore-demo-") as tmp:
            _demo(
                Path(tmp) / "demo.sqlite",
                as_json=as_json,
                qr_path=qr_path,
                report_path=report_path,
            )
        if not as_json:
            console().print(
                "\nthe database was a temporary file, deleted; "
                "pass --db brand.sqlite to keep it and try the other commands on it"
            )
    else:
        qr_path = out or db.with_name(f"{db.stem}-seller-{DEMO_SELLER}-qr.png")
        report_path = db.with_name(f"{db.stem}-report-{month}.html")
        order_id = _demo(db, as_json=as_json, qr_path=qr_path, report_path=report_path)
        if not as_json:
            console().print(
                f"\nthe database is kept in {db}: try "
                f"`otocore suggestions --seller {DEMO_SELLER} --date {DEMO_AS_OF} --db {db}` or "
                f"`otocore orders show {order_id} --as {DEMO_APPROVER} --db {db}`"
            )
            key_file = db.with_name(f"{db.stem}{DEMO_KEY_SUFFIX}")
            if key_file.exists():
                console().print(
                    f"its log key is {key_file} (the commands on {db} find it there), e.g."
                    f" `otocore lgpd export {DEMO_CUSTOMER} --as {DEMO_ADMIN} --db {db}`",
                    markup=False,
                )


def _demo(path: Path, *, as_json: bool, qr_path: Path, report_path: Path) -> str:  # noqa: PLR0915 - the steps, in order
    """Run the demo on the SQLite file ``path``; the id of its telesales order."""
    from otocore.daily import run_daily
    from otocore.importing import import_directory
    from otocore.rfv import default_grid
    from otocore.seller_codes import seller_link, seller_qr_png

    out = console()
    keys, key_file = demo_log_keys(path)
    database = open_db(str(path), create=True, log_keys=keys)
    uow = database.unit_of_work()
    with progress_bar(not as_json) as progress:
        summaries = import_directory(uow, bundled_directory(), progress=progress)
    sale = _telesales_walk(database)
    run = run_daily(uow, DEMO_AS_OF)
    plan = _demo_suggestions(uow)
    with uow:
        scores = uow.rfv.get(DEMO_AS_OF)
        assignments = uow.portfolio.list()
        sellers = {s.code: s for s in uow.sellers.list()}
    segments = Counter(s.segment for s in scores.values())
    sizes = Counter(a.seller_code for a in assignments if a.seller_code)
    decisions = _one_per_rule(run.changes)
    link = seller_link(DEMO_SELLER, DEMO_STORE_URL)
    qr_path.write_bytes(seller_qr_png(link))
    totals = _write_report(uow, report_path)
    admin = _admin_principal(uow)
    edit = demo_sac_edit(database, admin, sale.customer_id)
    erasure = _demo_anonymization(database, admin)
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "as_of": DEMO_AS_OF.isoformat(),
                    "database": str(path),
                    "segments": dict(sorted(segments.items())),
                    "portfolio_sizes": dict(sorted(sizes.items())),
                    "counts": dict(run.counts),
                    "suggestions": len(plan.suggestions),
                    "seller": DEMO_SELLER,
                    "seller_suggestions": [s.customer_id for s in plan.for_seller(DEMO_SELLER)],
                    "seller_link": link,
                    "seller_qr_code": str(qr_path),
                    "report": str(report_path),
                    "report_figures": {
                        "first_day": DEMO_REPORT_FIRST_DAY.isoformat(),
                        "last_day": DEMO_REPORT_LAST_DAY.isoformat(),
                        "started": totals.started,
                        "finished": totals.finished,
                        "attributed_sales": totals.attributed_sales,
                        "revenue_gross": str(totals.revenue_gross),
                        "revenue_net": str(totals.revenue_net),
                    },
                    "log_key_file": None if key_file is None else str(key_file),
                    "sac_edit": edit,
                    "anonymization": erasure,
                    "telesales": {
                        "order_id": sale.order_id,
                        "customer_id": sale.customer_id,
                        "state": sale.state.value,
                        "total": str(sale.total),
                        "steps": sale.steps,
                        "recency_days": scores[sale.customer_id].recency_days,
                        "segment": scores[sale.customer_id].segment,
                    },
                },
                ensure_ascii=False,
            )
        )
        return str(sale.order_id)
    if key_file is not None:
        out.print(
            f"log key (seals the audit log, the customer history and the data-access log):"
            f" {key_file}; a demo convenience: in production keep the key outside the"
            " database's folder and its backups (OTOCORE_LOG_KEY_FILE)",
            markup=False,
        )
    for summary in summaries:
        out.print(f"imported {summary.file.name}: {summary.imported} rows")
    out.print(
        "\n".join(
            ["\ntelesales: one order on the customer's behalf, with a manual price"]
            + [f"  {step}" for step in sale.steps]
        )
    )
    out.print(f"\ndaily job for {DEMO_AS_OF} on {path}")
    grid = default_grid()
    table = Table(title=f"RFV segments on {DEMO_AS_OF}")
    table.add_column("segment")
    table.add_column("segmento")
    table.add_column("customers", justify="right")
    for key, n in segments.most_common():
        table.add_row(grid.label(key, lang="en"), grid.label(key, lang="pt"), str(n))
    out.print(table)
    out.print(_counted_line(uow, sale, scores[sale.customer_id]))
    table = Table(title="Carteira sizes (portfolio per seller)")
    for col in ("seller", "name", "store", "customers"):
        table.add_column(col, justify="right" if col == "customers" else "left")
    for code, n in sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0])):
        seller = sellers[code]
        table.add_row(code, seller.name, seller.store_id, str(n))
    out.print(table)
    out.print(
        f"unassigned customers: {run.count('unassigned')} (no completed order with an active "
        f"seller in the 12 months before {DEMO_AS_OF})"
    )
    table = Table(title="Preferred-seller decisions (one per deciding rule)")
    for col in ("customer", "from", "to", "decided by"):
        table.add_column(col)
    for change in decisions:
        table.add_row(
            change.customer_id,
            change.from_seller or "-",
            change.to_seller or "-",
            change.decided_by or "-",
        )
    out.print(table)
    out.print(
        f"\nsuggestions for {DEMO_AS_OF}: {len(plan.suggestions)} customers to contact "
        f"across {len({s.seller_code for s in plan.suggestions})} sellers"
    )
    print_suggestions(
        plan.for_seller(DEMO_SELLER),
        title=f"Suggestions for {DEMO_SELLER} ({sellers[DEMO_SELLER].name}) on {DEMO_AS_OF}",
        as_json=False,
    )
    seller = sellers[DEMO_SELLER]
    out.print(
        f"{_registry_lines(uow, sale.customer_id)}\n"
        f"\nseller code of {seller.name} (store {seller.store_id}): {seller.code}\n"
        f"seller link: {link}\n"
        f"QR code of the link: {qr_path}\n"
        f"\nsales from contacts (vendas a partir de contatos), {DEMO_REPORT_FIRST_DAY} to "
        f"{DEMO_REPORT_LAST_DAY}: {totals.started} conversations started, "
        f"{totals.attributed_sales} attributed sales, {_money(totals.revenue_gross)} gross, "
        f"{_money(totals.revenue_net)} net\n"
        f"report of {DEMO_REPORT_FIRST_DAY}..{DEMO_REPORT_LAST_DAY}: {report_path}"
    )
    out.print(_edit_lines(edit), markup=False)
    out.print(_anonymization_lines(erasure), markup=False)
    return str(sale.order_id)


def demo_log_keys(path: Path) -> tuple[Any, Path | None]:
    """The demo database's log keys: the configured ones, else a key file beside ``path``.

    The chained logs (audit, customer history, data-access log) need a key. With
    ``OTOCORE_LOG_KEY_FILE`` or ``OTOCORE_LOG_KEY`` set, the demo uses it (and
    returns no file). Otherwise it reads, or creates, ``<db>-log-key.json`` next
    to the database (where the other commands find it), written with mode 0600 (a new key from
    :func:`otocore.ledger.new_log_key`): a demo convenience, since a key kept
    beside the database protects nothing against whoever can copy both; in
    production keep the key outside the database's folder and its backups.
    """
    import os

    from otocore.cli._keys import configured_log_keys, read_key_file
    from otocore.ledger import LogKeyring, dump_keyring, new_log_key

    configured = configured_log_keys()
    if configured is not None:
        return configured, None
    key_file = path.with_name(f"{path.stem}{DEMO_KEY_SUFFIX}")
    if key_file.exists():
        return read_key_file(key_file), key_file
    keyring = LogKeyring.of(new_log_key(f"demo-{DEMO_AS_OF.isoformat()}"))
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(dump_keyring(keyring))
    except OSError as exc:
        raise ConfigurationError(
            f"cannot write the demo's log key file {key_file} ({exc.strerror})"
        ) from None
    return keyring, key_file


def _admin_principal(uow: Any) -> Any:
    """The demo brand's admin as a principal (a brand administrator: the LGPD actions)."""
    from otocore.access import Principal
    from otocore.auth import normalize_login_email

    with uow:
        account = uow.accounts.find_by_email(normalize_login_email(DEMO_ADMIN))
    return Principal(account_id=account.account_id, roles=account.roles)


def demo_sac_edit(database: Any, principal: Any, customer_id: str) -> dict[str, Any]:
    """The demo's SAC edit: the customer's e-mail set at their request, through the service.

    :meth:`otocore.privacy.PrivacyService.edit_customer` (validated as the
    customers import validates the column, audited, one history entry) at
    09:00 of the demo's day, then the customer's history read back through
    :meth:`~otocore.privacy.PrivacyService.customer_history` (which writes the
    read to the data-access log). Returns the history as the demo prints it.
    """
    from otocore.clock import FixedClock
    from otocore.history import HistoryReason
    from otocore.privacy import PrivacyService

    at = datetime(2026, 11, 1, 9, 0, tzinfo=ZoneInfo(BRAND_TIME_ZONE))
    service = PrivacyService(database.unit_of_work, clock=FixedClock(at))
    service.edit_customer(
        principal,
        customer_id,
        "email",
        DEMO_EDITED_EMAIL,
        reason=HistoryReason.CUSTOMER_REQUEST,
    )
    history = service.customer_history(principal, customer_id)
    return {
        "customer_id": customer_id,
        "history": [
            {
                "at": e.at.isoformat(),
                "field": e.field,
                "old_value": e.old_value,
                "new_value": e.new_value,
                "reason": e.reason.value,
            }
            for e in history
        ],
    }


def _edit_lines(edit: dict[str, Any]) -> str:
    lines = [f"\nSAC edit with its LGPD history (otocore customers history {edit['customer_id']}):"]
    for e in edit["history"]:
        lines.append(
            f"  {e['at']} {e['field']}: {e['old_value'] or '-'} -> {e['new_value'] or '-'}"
            f" ({e['reason']})"
        )
    return "\n".join(lines)


def _demo_anonymization(database: Any, principal: Any) -> dict[str, Any]:
    """Anonymize :data:`DEMO_ANONYMIZED`: search by CPF before and after, orders kept, twice."""
    from otocore.privacy import anonymize_customer
    from otocore.registry import find_customer_ids

    at = datetime(2026, 11, 1, 9, 30, tzinfo=ZoneInfo(BRAND_TIME_ZONE))
    with database.unit_of_work() as uow:
        customer = uow.customers.get(DEMO_ANONYMIZED)
        orders = len(uow.orders.for_customer(DEMO_ANONYMIZED))
    cpf = customer.cpf.formatted if customer.cpf is not None else customer.name
    before = find_customer_ids(database.unit_of_work(), cpf)
    report = anonymize_customer(
        database.unit_of_work(), DEMO_ANONYMIZED, principal=principal, at=at
    )
    after = find_customer_ids(database.unit_of_work(), cpf)
    with database.unit_of_work() as uow:
        kept = len(uow.orders.for_customer(report.anonymous_id))
    again = anonymize_customer(database.unit_of_work(), DEMO_ANONYMIZED, principal=principal, at=at)
    return {
        "customer_id": DEMO_ANONYMIZED,
        "search": cpf,
        "found_before": before,
        "found_after": after,
        "orders_before": orders,
        "orders_kept": kept,
        "message": report.message,
        "again": again.message,
    }


def _anonymization_lines(erasure: dict[str, Any]) -> str:
    return "\n".join(
        [
            f"\nLGPD anonymization (otocore lgpd anonymize {erasure['customer_id']}):",
            f"  search {erasure['search']!r} before: {', '.join(erasure['found_before']) or 'nobody'}",
            f"  {erasure['message']}",
            f"  search {erasure['search']!r} after: {', '.join(erasure['found_after']) or 'nobody'}",
            f"  orders kept under the anonymous id: {erasure['orders_kept']} of {erasure['orders_before']}",
            f"  again: {erasure['again']}",
        ]
    )


def _registry_lines(uow: Any, customer_id: str) -> str:
    """The registry search of the telesales customer: by name words and by CPF (issue 15)."""
    from otocore.registry import search_customers

    with uow:
        customer = uow.customers.get(customer_id)
    words = customer.name.split()
    queries = [f"{words[0].lower()} {words[-1][:3].lower()}"]
    if customer.cpf is not None:
        queries.append(customer.cpf.formatted)
    lines = [f"\nregistry search (otocore customers search) for {customer_id}, {customer.name}:"]
    for text in queries:
        found = search_customers(uow, text)
        first = ", ".join(f"{h.customer.customer_id} {h.customer.name}" for h in found.hits[:3])
        more = ", ..." if found.total > 3 else ""
        lines.append(f"  {text!r}: {found.total} customer(s): {first}{more}")
    return "\n".join(lines)


def _write_report(uow: Any, path: Path) -> Any:
    """Write the sample brand's results report of September 2026 to ``path``; its totals.

    The code path of ``otocore report``: the same file as
    ``otocore report --from 2026-09-01 --to 2026-09-30 --brand Brisa``.
    """
    from otocore.cli._results import write_report

    found = write_report(uow, DEMO_REPORT_FIRST_DAY, DEMO_REPORT_LAST_DAY, path, brand=DEMO_BRAND)
    return found.totals


def _money(amount: Decimal) -> str:
    from otocore.report import format_brl

    return format_brl(amount)


def _counted_line(uow: Any, sale: Any, score: Any) -> str:
    """How the daily job counted the demo's telesales order in its customer's RFV."""
    from otocore.rfv import default_grid

    with uow:
        counted = uow.orders.get(sale.order_id)
    placed = counted.placed_at.astimezone(ZoneInfo(BRAND_TIME_ZONE)).date()
    return (
        f"the invoiced telesales order {sale.order_id} ({counted.total}, placed {placed}) "
        f"counts in the RFV of {sale.customer_id}: last order {score.recency_days} day(s) "
        f"before, {score.frequency} orders, {score.value} "
        f"({default_grid().label(score.segment, lang='pt')})"
    )


@attrs.frozen(kw_only=True)
class _Sale:
    """The demo's telesales order, invoiced, and a line per step."""

    order_id: str
    customer_id: str
    state: Any
    total: Any
    steps: list[str]


def _first_admin(service: Any) -> Any:
    """The demo brand's admin, with a random password and PIN nobody is told (``--as`` only)."""
    from otocore.errors import ValidationError

    for _ in range(20):  # a random PIN may be trivial (123456): draw another
        pin = "".join(secrets.choice("0123456789") for _ in range(6))
        try:
            return service.create_first_admin(
                email=DEMO_ADMIN, password=secrets.token_urlsafe(24), pin=pin
            )
        except ValidationError:
            continue
    raise ConfigurationError("the demo could not draw a PIN for its admin")  # pragma: no cover


def _telesales_walk(database: Any) -> _Sale:
    """One telesales order with a manual price, from cart to invoiced, on the day before the demo.

    Three accounts act (none with a password anyone knows): the admin enables
    manual prices in L01 (every manual price waits for a person, the default);
    the operator builds the cart, sets a manual price, places the order with a
    promissory note and approves the note; the approver authorizes the price;
    the operator invoices it. The order is placed on 2026-10-31, so the daily
    job of :data:`DEMO_AS_OF` counts it.
    """
    from zoneinfo import ZoneInfo

    from otocore.accounts import AccountService, SecurityPolicy
    from otocore.adapters.mail import InMemoryMailer
    from otocore.auth import Role
    from otocore.clock import FixedClock
    from otocore.orders import OrderItem
    from otocore.telesales import PaymentMethod, TelesalesPolicy

    clock = FixedClock(datetime(2026, 10, 31, 14, 0, tzinfo=ZoneInfo(BRAND_TIME_ZONE)))
    service = AccountService(
        database.unit_of_work,
        mailer=InMemoryMailer(),  # the welcome e-mails of the demo's accounts go nowhere
        clock=clock,
        policy=SecurityPolicy(app_url="https://app.example.com"),
    )
    admin = service.principal_for(_first_admin(service).account_id)
    operator = service.principal_for(
        service.create_account(admin, email=DEMO_OPERATOR, roles=[Role.CALL_CENTER]).account_id
    )
    approver = service.principal_for(
        service.create_account(admin, email=DEMO_APPROVER, roles=[Role.ORDER_APPROVER]).account_id
    )
    service.set_telesales_policy(admin, TelesalesPolicy(manual_price_stores=frozenset({"L01"})))
    steps: list[str] = [f"{DEMO_ADMIN} enabled manual prices in L01 (every one waits)"]

    def step(line: str) -> None:
        steps.append(line)
        clock.advance(timedelta(minutes=5))

    cart = service.open_cart(operator, customer_id=DEMO_CUSTOMER, store_id="L01")
    order_id = cart.order_id
    step(f"{DEMO_OPERATOR} opened cart {order_id} for {DEMO_CUSTOMER} at L01")
    service.put_cart_item(
        operator,
        order_id,
        OrderItem(sku="VESTIDO-MIDI", quantity=1, list_price=Decimal("399.90")),
    )
    order = service.put_cart_item(
        operator,
        order_id,
        OrderItem(
            sku="CAMISA-LINHO",
            quantity=2,
            list_price=Decimal("199.90"),
            manual_price=Decimal("179.90"),
        ),
    )
    step(f"{DEMO_OPERATOR} added 2 items, CAMISA-LINHO at 179.90 by hand (list 199.90)")
    order = service.place_order(operator, order_id, payment_method=PaymentMethod.PROMISSORY_NOTE)
    step(f"{DEMO_OPERATOR} placed it on the customer's behalf: {order.state.value}")
    order = service.approve_promissory_note(operator, order_id)
    step(f"{DEMO_OPERATOR} approved the promissory note: payment {order.payment_status.value}")
    order = service.authorize_order(approver, order_id, reason="cliente fiel: 10% na camisa")
    step(f"{DEMO_APPROVER} authorized the manual price: {order.state.value}")
    order = service.invoice_order(operator, order_id)
    step(f"{DEMO_OPERATOR} invoiced it: {order.state.value}, total {order.total}")
    return _Sale(
        order_id=order_id,
        customer_id=order.customer_id,
        state=order.state,
        total=order.total,
        steps=steps,
    )


def _demo_suggestions(uow: Any) -> Any:
    """Load the sample campaigns and opt-ins, then generate the demo day's suggestions."""
    from otocore.attendance import generate_suggestions
    from otocore.campaigns import sample_campaigns
    from otocore.sample import consent_events

    with uow:
        for campaign in sample_campaigns():
            uow.campaigns.add(campaign)
        uow.consent.append_many(consent_events(uow.customers.list()))
    return generate_suggestions(uow, DEMO_AS_OF)


def _one_per_rule(changes: Any) -> list[Any]:
    """The first change decided by each rule, so the demo shows every tie-break at work."""
    seen: dict[str | None, Any] = {}
    for change in changes:
        seen.setdefault(change.decided_by, change)
    return [seen[k] for k in sorted(seen, key=str)]


def bundled_directory() -> Path:
    """The folder of the bundled sample brand's CSV files (its four files and contacts.csv)."""
    folder = resources.files("otocore") / "data" / "sample"
    if not isinstance(folder, Path):  # pragma: no cover - zipped installs only
        raise ConfigurationError("the bundled sample brand needs otocore installed as files")
    return folder
