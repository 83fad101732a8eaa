"""``otocore orders``: telesales carts and orders ("Todos os pedidos"), authorization, invoicing.

Every command that acts takes ``--as EMAIL`` and goes through the audited
telesales part of :class:`~otocore.accounts.AccountService` (authorized, and
written to the hash-chained audit log, denied attempts included). Two take no
``--as``, because no account acts: ``orders complete`` (the customer's side of
a shared cart's link: the token is the credential) and ``orders gateway-paid``
(the payment gateway's event). ``orders policy show`` reads the brand's
settings.

Money options take a decimal point (``199.90``) or a decimal comma
(``199,90``, and ``1.234,56`` with ``.`` between thousands); at most two
places, never negative.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from otocore.cli._account_service import account_service, acting_principal
from otocore.cli._common import (
    BRAND_TIME_ZONE,
    AsOption,
    DbOption,
    JsonOption,
    choice,
    console,
    open_db,
    parse_day,
    usage_error,
)
from otocore.cli._consent import local_minute, required_choice
from otocore.errors import OtocoreError, RuleViolation, ValidationError

orders_app = typer.Typer(
    help="Telesales orders (televendas): carts, manual prices, authorization, invoicing.",
    no_args_is_help=True,
)
policy_app = typer.Typer(
    help="The brand's telesales settings: stores with manual prices, authorization rules.",
    no_args_is_help=True,
)
orders_app.add_typer(policy_app, name="policy")

DEFAULT_AUTHORIZE_REASON = "manual prices authorized"
"""The reason ``orders authorize`` records when ``--reason`` is not given."""

OrderArg = Annotated[str, typer.Argument(metavar="ID", help="The order's id (T000001, ...).")]
SkuOption = Annotated[str, typer.Option("--sku", help="The product's SKU.")]
PaymentOption = Annotated[
    str, typer.Option("--payment", help="promissory_note (promissória) or gateway.")
]
ReasonOption = Annotated[str, typer.Option("--reason", help="Why (kept in the order's history).")]

_CENT = Decimal("0.01")
_COMMA_MONEY = re.compile(r"(?:[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:,[0-9]+)?")


def parse_money(option: str, text: str) -> Decimal:
    """A money option: ``199.90``, or with a decimal comma ``199,90`` / ``1.234,56``.

    The amount comes back with exactly two places. At most two places and not negative; anything else is a
    :class:`~otocore.errors.ValidationError` naming the option (exit code 1).

    >>> parse_money("--price", "199,90"), parse_money("--price", "1.234,56")
    (Decimal('199.90'), Decimal('1234.56'))
    >>> parse_money("--price", "59.9"), parse_money("--price", "100")
    (Decimal('59.90'), Decimal('100.00'))
    >>> parse_money("--price", "1,999")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: --price must be >= 0 with at most 2 decimal places, got '1,999'
    """
    rule = "must be an amount such as 199.90 or 199,90"
    cleaned = text.strip()
    if "," in cleaned:
        if _COMMA_MONEY.fullmatch(cleaned) is None:
            raise ValidationError(option, text, rule)
        cleaned = cleaned.replace(".", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationError(option, text, rule) from None
    if not value.is_finite() or "e" in cleaned.lower():
        raise ValidationError(option, text, rule)
    exponent = value.as_tuple().exponent
    if value < 0 or not isinstance(exponent, int) or exponent < -2:
        raise ValidationError(option, text, "must be >= 0 with at most 2 decimal places")
    return value.quantize(_CENT)


def _payment(value: str) -> Any:
    from otocore.telesales import PaymentMethod

    return required_choice("--payment", value, PaymentMethod)


def _acting(db: str, actor: str, *, app_url: str | None = None) -> tuple[Any, Any]:
    """The service over ``db`` and the principal of ``--as``."""
    database = open_db(db)
    service = account_service(database, app_url=app_url)
    return service, acting_principal(database, service, actor)


def _unattended(db: str) -> Any:
    return account_service(open_db(db))


# what the commands print ---------------------------------------------------------------------


def document(order: Any) -> dict[str, Any]:
    """An order as JSON: its fields, ``total``, and its link's expiry (never the token's hash)."""
    from otocore.serialization import converter

    data: dict[str, Any] = converter.unstructure(order)
    link = data.pop("share_link", None)
    data["share_link_expires_at"] = None if link is None else link["expires_at"]
    data["total"] = str(order.total)
    data["placed_at"] = _placed_at_iso(order)
    return data


def _placed(order: Any) -> datetime | None:
    from otocore.telesales import TelesalesState

    return next((t.at for t in order.history if t.to_state is TelesalesState.PLACED), None)


def _placed_at_iso(order: Any) -> str | None:
    at = _placed(order)
    return None if at is None else at.isoformat()


def _said(order: Any) -> str:
    return (
        f"order {order.order_id}: {order.state.value} "
        f"(customer {order.customer_id}, store {order.store_id}, "
        f"{sum(i.quantity for i in order.items)} items, total {order.total})"
    )


def _done(order: Any, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(document(order), ensure_ascii=False))
    else:
        console().print(_said(order))


def _orders_table(orders: list[Any], title: str) -> Table:
    table = Table(title=title)
    table.add_column("order\nplaced", overflow="fold")
    table.add_column("state\ncustomer, store", overflow="fold")
    table.add_column("operator", overflow="fold")
    table.add_column("total", justify="right")
    for order in orders:
        placed = _placed(order)
        operator = order.operator_email or (f"shared by {order.built_by}" if order.shared else "-")
        table.add_row(
            f"{order.order_id}\n{'-' if placed is None else local_minute(placed)}",
            f"{order.state.value}\n{order.customer_id}, {order.store_id}",
            operator,
            str(order.total),
        )
    return table


def _print_orders(orders: list[Any], title: str, empty: str, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps([document(o) for o in orders], ensure_ascii=False))
        return
    if not orders:
        console().print(empty)
        return
    console().print(_orders_table(orders, title))


# reading -------------------------------------------------------------------------------------


def _day_start(day: date) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime.combine(day, time(0), tzinfo=ZoneInfo(BRAND_TIME_ZONE))


@orders_app.command("list")
def _list(  # noqa: PLR0917 - typer maps options to parameters
    db: DbOption,
    actor: AsOption,
    state: Annotated[
        str | None, typer.Option("--state", help="Only orders in this state (cart, placed, ...).")
    ] = None,
    operator: Annotated[
        str | None,
        typer.Option("--operator", metavar="EMAIL", help="Only orders this operator placed."),
    ] = None,
    customer: Annotated[
        str | None, typer.Option("--customer", help="Only this customer's.")
    ] = None,
    store: Annotated[str | None, typer.Option("--store", help="Only this store's.")] = None,
    day_from: Annotated[
        str | None,
        typer.Option("--from", metavar="YYYY-MM-DD", help="Placed on this local day or later."),
    ] = None,
    day_to: Annotated[
        str | None,
        typer.Option("--to", metavar="YYYY-MM-DD", help="Placed on this local day or earlier."),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000, help="At most this many.")] = 50,
    offset: Annotated[int, typer.Option("--offset", min=0, help="Skip this many first.")] = 0,
    as_json: JsonOption = False,
) -> None:
    """ "Todos os pedidos": orders by state, operator, customer, store and period, newest first.

    The period is of placement, in the brand's local days, both days included;
    a cart (never placed) has no placement, so a period leaves carts out.
    """
    from otocore.telesales import TelesalesState

    wanted = choice("--state", state, TelesalesState)
    start = None if day_from is None else parse_day("--from", day_from)
    end = None if day_to is None else parse_day("--to", day_to)
    if start is not None and end is not None and end < start:
        raise usage_error(f"--to {end} is before --from {start}")
    service, principal = _acting(db, actor)
    operator_email = None
    if operator is not None:
        from otocore.auth import normalize_login_email

        operator_email = normalize_login_email(operator).address
    orders = service.telesales_orders(
        principal,
        state=wanted,
        operator_email=operator_email,
        customer_id=customer,
        store_id=store,
        placed_from=None if start is None else _day_start(start),
        placed_to=None if end is None else _day_start(end + timedelta(days=1)),
        limit=limit,
        offset=offset,
    )
    _print_orders(orders, "Todos os pedidos (newest first)", "no order matches", as_json)


@orders_app.command("queue")
def _queue(
    db: DbOption,
    actor: AsOption,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000, help="At most this many.")] = 50,
    as_json: JsonOption = False,
) -> None:
    """The orders awaiting a person's authorization, oldest placed first (the approver's queue)."""
    service, principal = _acting(db, actor)
    orders = service.authorization_queue(principal, limit=limit)
    _print_orders(
        orders, "Awaiting authorization (oldest first)", "no order awaits authorization", as_json
    )


@orders_app.command("show")
def _show(order_id: OrderArg, db: DbOption, actor: AsOption, as_json: JsonOption = False) -> None:
    """One order: its items and totals, its approval, and its history (from, to, who, when, why)."""
    service, principal = _acting(db, actor)
    order = service.telesales_order(principal, order_id)
    if as_json:
        typer.echo(json.dumps(document(order), ensure_ascii=False))
        return
    out = console()
    out.print(_said(order))
    out.print(f"built by {order.built_by}; operator {order.operator_email or '-'}")
    if order.shared:
        who = "completed by the customer" if order.completed_by_customer else "not completed yet"
        out.print(f"shared with the customer through a link ({who})")
    method = "-" if order.payment_method is None else order.payment_method.value
    out.print(f"payment: {method}, {order.payment_status.value}")
    if order.commercial_policy is not None:
        out.print(f"commercial policy: {order.commercial_policy}")
    if order.approval is None:
        out.print("approval: none")
    else:
        a = order.approval
        by = f"rule {a.decided_by}" if a.by_rule else a.decided_by
        bound = "these items" if a.digest == order.digest else "items since changed"
        out.print(
            f"approval: {a.outcome.value} by {by} at {local_minute(a.at)} ({bound}): "
            f"{' '.join(a.reason.split())}"
        )
    items = Table(title=f"Items of {order.order_id}")
    for column in ("sku", "qty", "list price", "manual price", "line total"):
        items.add_column(column, justify="left" if column == "sku" else "right", overflow="fold")
    for item in order.items:
        manual = "-" if item.manual_price is None else str(item.manual_price)
        items.add_row(
            item.sku, str(item.quantity), str(item.list_price), manual, str(item.line_total)
        )
    items.add_row("total", str(sum(i.quantity for i in order.items)), "", "", str(order.total))
    out.print(items)
    out.print(f"items digest: {order.digest[:_SEEN_LENGTH]} (pass --seen to authorize or reject)")
    history = Table(title="History")
    history.add_column("from\nto", overflow="fold")
    history.add_column("who\nwhen", overflow="fold")
    history.add_column("why", overflow="fold", ratio=1)
    for t in order.history:
        history.add_row(
            f"{t.from_state.value}\n{t.to_state.value}",
            f"{t.who}\n{local_minute(t.at)}",
            " ".join(t.why.split()),
        )
    out.print(history)


# the call center -----------------------------------------------------------------------------


@orders_app.command("cart")
def _cart(  # noqa: PLR0917 - typer maps options to parameters
    db: DbOption,
    actor: AsOption,
    customer: Annotated[str, typer.Option("--customer", help="The customer it is for.")],
    store: Annotated[str, typer.Option("--store", help="The store it is booked to.")],
    order_id: Annotated[
        str | None, typer.Option("--id", help="The order's id (default: the next T000001).")
    ] = None,
    commercial_policy: Annotated[
        str | None,
        typer.Option("--commercial-policy", help="The brand's commercial policy (política)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Open an empty cart for a customer, built by the --as operator (call center)."""
    service, principal = _acting(db, actor)
    cart = service.open_cart(
        principal,
        customer_id=customer,
        store_id=store,
        order_id=order_id,
        commercial_policy=commercial_policy,
    )
    _done(cart, as_json)


@orders_app.command("item")
def _item(  # noqa: PLR0917 - typer maps options to parameters
    order_id: OrderArg,
    db: DbOption,
    actor: AsOption,
    sku: SkuOption,
    quantity: Annotated[int, typer.Option("--quantity", help="How many units, 1 or more.")],
    list_price: Annotated[str, typer.Option("--list-price", help="The price list's unit price.")],
    manual_price: Annotated[
        str | None,
        typer.Option("--manual-price", help="A unit price typed by hand (needs authorization)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Add a line to the order, or replace the line of its SKU."""
    from otocore.orders import OrderItem

    listed = parse_money("--list-price", list_price)
    manual = None if manual_price is None else parse_money("--manual-price", manual_price)
    item = OrderItem(sku=sku, quantity=quantity, list_price=listed, manual_price=manual)
    service, principal = _acting(db, actor)
    _done(service.put_cart_item(principal, order_id, item), as_json)


@orders_app.command("remove-item")
def _remove_item(
    order_id: OrderArg, db: DbOption, actor: AsOption, sku: SkuOption, as_json: JsonOption = False
) -> None:
    """Remove the line of a SKU."""
    service, principal = _acting(db, actor)
    _done(service.remove_cart_item(principal, order_id, sku), as_json)


@orders_app.command("price")
def _price(  # noqa: PLR0917 - typer maps options to parameters
    order_id: OrderArg,
    db: DbOption,
    actor: AsOption,
    sku: SkuOption,
    price: Annotated[
        str | None, typer.Option("--price", help="The manual unit price to set.")
    ] = None,
    clear: Annotated[
        bool, typer.Option("--clear", help="Remove the manual price (the list price applies).")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Set a line's manual price (--price), or remove it (--clear)."""
    if (price is None) == (not clear):
        raise usage_error("give --price AMOUNT or --clear, one of them")
    value = None if price is None else parse_money("--price", price)
    service, principal = _acting(db, actor)
    _done(service.set_cart_manual_price(principal, order_id, sku, value), as_json)


@orders_app.command("share")
def _share(  # noqa: PLR0917 - typer maps options to parameters
    order_id: OrderArg,
    db: DbOption,
    actor: AsOption,
    app_url: Annotated[
        str | None,
        typer.Option(
            "--app-url", envvar="OTOCORE_APP_URL", help="The brand app's address (https://...)."
        ),
    ] = None,
    valid_hours: Annotated[
        int, typer.Option("--valid-hours", min=1, max=720, help="How long the link works.")
    ] = 72,
    as_json: JsonOption = False,
) -> None:
    """Share the cart with the customer: prints the link once (only its hash is kept)."""
    if not app_url:
        raise usage_error("the link needs the brand app's address: --app-url (OTOCORE_APP_URL)")
    service, principal = _acting(db, actor, app_url=app_url)
    shared = service.share_cart(principal, order_id, valid_for=timedelta(hours=valid_hours))
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "order_id": shared.order_id,
                    "link": shared.link,
                    "expires_at": shared.expires_at.isoformat(),
                },
                ensure_ascii=False,
            )
        )
        return
    out = console()
    out.print(
        f"cart {shared.order_id} shared; send the customer this link (shown only now, "
        f"it works until {local_minute(shared.expires_at)}):"
    )
    out.print(shared.link, markup=False)


@orders_app.command("place")
def _place(
    order_id: OrderArg,
    db: DbOption,
    actor: AsOption,
    payment: PaymentOption,
    as_json: JsonOption = False,
) -> None:
    """Place the cart on the customer's behalf (your e-mail is kept); the automatic rules run."""
    method = _payment(payment)
    service, principal = _acting(db, actor)
    _done(service.place_order(principal, order_id, payment_method=method), as_json)


@orders_app.command("pay")
def _pay(order_id: OrderArg, db: DbOption, actor: AsOption, as_json: JsonOption = False) -> None:
    """Approve the order's promissory note (promissória) by hand."""
    service, principal = _acting(db, actor)
    _done(service.approve_promissory_note(principal, order_id), as_json)


@orders_app.command("cancel")
def _cancel(
    order_id: OrderArg,
    db: DbOption,
    actor: AsOption,
    reason: ReasonOption,
    as_json: JsonOption = False,
) -> None:
    """Cancel a cart or an order not yet invoiced, with a reason."""
    service, principal = _acting(db, actor)
    _done(service.cancel_order(principal, order_id, reason=reason), as_json)


# approvers, invoicing ------------------------------------------------------------------------


_SEEN_LENGTH = 12

SeenOption = Annotated[
    str | None,
    typer.Option(
        "--seen",
        help="The items digest `orders show` printed: refuse if the items changed since.",
    ),
]


def _seen_digest(service: Any, principal: Any, order_id: str, seen: str | None) -> str | None:
    """The order's full digest if it still starts with what the approver saw; else an error.

    The service compares that digest again inside the deciding transaction, so a change
    made after this read is refused there.
    """
    if seen is None:
        return None
    text = seen.strip().lower()
    if len(text) < _SEEN_LENGTH or any(c not in "0123456789abcdef" for c in text):
        raise usage_error(
            f"--seen must be at least {_SEEN_LENGTH} hex digits of the items digest, got {seen!r}"
        )
    order = service.telesales_order(principal, order_id)
    if not order.digest.startswith(text):
        raise RuleViolation(
            f"order {order_id} is {order.state.value}: its items changed since they were seen"
            f" (digest {text[:_SEEN_LENGTH]}..., now {order.digest[:_SEEN_LENGTH]}...);"
            " look at the order again"
        )
    return str(order.digest)


@orders_app.command("authorize")
def _authorize(  # noqa: PLR0917 - typer maps options to parameters
    order_id: OrderArg,
    db: DbOption,
    actor: AsOption,
    reason: Annotated[
        str, typer.Option("--reason", help="Why (kept in the order's history).")
    ] = DEFAULT_AUTHORIZE_REASON,
    seen: SeenOption = None,
    as_json: JsonOption = False,
) -> None:
    """Authorize the order's manual prices (order approver or brand admin; never your own)."""
    service, principal = _acting(db, actor)
    digest = _seen_digest(service, principal, order_id, seen)
    _done(service.authorize_order(principal, order_id, reason=reason, seen_digest=digest), as_json)


@orders_app.command("reject")
def _reject(  # noqa: PLR0917 - typer maps options to parameters
    order_id: OrderArg,
    db: DbOption,
    actor: AsOption,
    reason: ReasonOption,
    seen: SeenOption = None,
    as_json: JsonOption = False,
) -> None:
    """Reject the order's manual prices, with a reason: the order is cancelled."""
    service, principal = _acting(db, actor)
    digest = _seen_digest(service, principal, order_id, seen)
    _done(service.reject_order(principal, order_id, reason=reason, seen_digest=digest), as_json)


@orders_app.command("invoice")
def _invoice(
    order_id: OrderArg, db: DbOption, actor: AsOption, as_json: JsonOption = False
) -> None:
    """Invoice an order ready for invoicing; it then counts for RFV, preferred seller, results."""
    from otocore.telesales import TelesalesState

    service, principal = _acting(db, actor)
    order = service.invoice_order(principal, order_id)
    if order.state is not TelesalesState.INVOICED:
        raise OtocoreError(
            f"order {order.order_id} was not invoiced: its items changed since the approval, "
            f"so it is {order.state.value} again"
        )
    _done(order, as_json)


# neither an account nor a permission -----------------------------------------------------------


@orders_app.command("complete")
def _complete(
    order_id: OrderArg,
    db: DbOption,
    token: Annotated[str, typer.Option("--token", help="The token=... of the shared link.")],
    payment: PaymentOption,
    as_json: JsonOption = False,
) -> None:
    """The customer completes a shared cart through its link (no operator e-mail is kept)."""
    method = _payment(payment)
    order = _unattended(db).complete_shared_cart(order_id, token, payment_method=method)
    _done(order, as_json)


@orders_app.command("gateway-paid")
def _gateway_paid(
    order_id: OrderArg,
    db: DbOption,
    event: Annotated[
        str, typer.Option("--event", help="The payment gateway's event id (verified by you).")
    ],
    as_json: JsonOption = False,
) -> None:
    """Record the payment gateway's approval of the order's payment (its event id)."""
    order = _unattended(db).record_gateway_payment(order_id, event_id=event)
    _done(order, as_json)


# the policy ----------------------------------------------------------------------------------


def read_policy(path: Path) -> Any:
    """The :class:`~otocore.telesales.TelesalesPolicy` in the JSON file ``path``.

    A missing file, bad JSON or a policy that breaks a rule is one
    :class:`~otocore.errors.ValidationError` naming the file and the first
    problem (with how many more there are).
    """
    from otocore.serialization import converter
    from otocore.telesales import TelesalesPolicy

    field = f"policy file {path}"
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(field, type(exc).__name__, "cannot be read as UTF-8 text") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            field, f"line {exc.lineno} column {exc.colno}", f"is not JSON ({exc.msg})"
        ) from None
    if not isinstance(data, dict):
        raise ValidationError(
            field, type(data).__name__, "must be a JSON object with manual_price_stores and rules"
        )
    unknown = sorted(set(data) - {"manual_price_stores", "rules"})
    if unknown:
        raise ValidationError(field, unknown, "may hold only manual_price_stores and rules")
    stores = data.get("manual_price_stores")
    if not isinstance(stores, list):
        raise ValidationError(
            f"{field}: manual_price_stores", stores, "must be a list of store ids"
        )
    try:
        return converter.structure(data, TelesalesPolicy)
    except ValidationError as exc:
        first, more = exc.errors[0], len(exc.errors) - 1
        also = f" (and {more} more: {exc.errors[1].field}, ...)" if more else ""
        raise ValidationError(f"{field}: {first.field}", first.value, first.rule + also) from None


def _policy_document(policy: Any) -> Any:
    from otocore.serialization import converter

    data = converter.unstructure(policy)
    data["manual_price_stores"] = sorted(data["manual_price_stores"])
    return data


def _print_policy(policy: Any, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(_policy_document(policy), ensure_ascii=False, indent=2))
        return
    out = console()
    stores = ", ".join(sorted(policy.manual_price_stores)) or "none"
    out.print(f"manual prices enabled in: {stores}")
    table = Table(title="Authorization rules (price divergence, %)")
    table.add_column("rule", overflow="fold")
    table.add_column("divergence", overflow="fold")
    table.add_column("outcome")
    for rule in policy.rules.ranges:
        table.add_row(rule.rule_id, rule.interval, rule.outcome.value)
    out.print(table)


@policy_app.command("show")
def _policy_show(db: DbOption, as_json: JsonOption = False) -> None:
    """The stores with manual prices and the authorization rules (--json: a file for `set`)."""
    _print_policy(_unattended(db).telesales_policy(), as_json)


@policy_app.command("set")
def _policy_set(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The policy as JSON.")],
    db: DbOption,
    actor: AsOption,
    as_json: JsonOption = False,
) -> None:
    """Store the policy of a JSON file (brand admins); the new rules apply from the next placing."""
    policy = read_policy(file)
    service, principal = _acting(db, actor)
    _print_policy(service.set_telesales_policy(principal, policy), as_json)
