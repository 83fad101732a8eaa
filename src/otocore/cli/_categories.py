"""``otocore categories``: customer categories (Altegio): list, add, show, discounts, members.

The commands that change something (``add``, ``remove``, ``set-discount``,
``add-customers``, ``remove-customers``) act as the account named by ``--as``
(``manage_categories``: brand admins), through :class:`otocore.bulk.BulkService`,
and are written to the audit log with the selection and the counts.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from otocore.cli._common import (
    AsOption,
    DbOption,
    JsonOption,
    console,
    open_db,
    open_uow,
    parse_day,
    today,
)

categories_app = typer.Typer(
    help="Customer categories (Altegio): name, colour, automatic discount, members.",
    no_args_is_help=True,
)

IdsOption = Annotated[
    list[str] | None,
    typer.Option("--ids", help="Customer ids: repeat it, or separate them with commas."),
]
FilterOption = Annotated[
    str | None,
    typer.Option(
        "--filter",
        help='An audience filter: a JSON file, or the JSON itself (\'{"sex_in": ["female"]}\').',
    ),
]
OnOption = Annotated[
    str | None,
    typer.Option("--on", help="The local day the filter is evaluated on (default today)."),
]
QueryOption = Annotated[
    str | None,
    typer.Option(
        "--query",
        metavar="TEXT",
        help="The customers of a registry search, as `customers search` reads TEXT: CPF, RG,"
        " name words, e-mail, mobile or card.",
    ),
]
FieldOption = Annotated[
    str | None,
    typer.Option(
        "--field", help="Read --query as one field: name, cpf, rg, email, mobile or card."
    ),
]


def search_options(query: str | None, field: str | None) -> tuple[str, Any] | None:
    """``(text, SearchField or None)`` of ``--query``/``--field``, ``None`` without a query.

    A usage error (exit 2) for ``--field`` without ``--query`` and for an empty
    ``--query``; a malformed value of ``--field`` is one too.
    """
    from otocore.cli._common import choice, usage_error
    from otocore.search import SearchField

    chosen = choice("--field", field, SearchField)
    if query is None:
        if chosen is not None:
            raise usage_error("--field says how to read --query: give it with --query")
        return None
    if not query.strip():
        raise usage_error("--query must not be empty: give the search text (nothing was done)")
    return query, chosen


def split_ids(values: list[str] | None) -> list[str]:
    """The ids of repeated ``--ids`` options, each possibly comma-separated."""
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def load_filter(text: str) -> Any:
    """The filter of ``--filter``: JSON text, or a file holding it."""
    from otocore.errors import ValidationError
    from otocore.filters import parse_filter

    source = text
    if not text.lstrip().startswith(("{", "[")):
        path = Path(text)
        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ValidationError(
                "--filter", text, f"must be JSON or a readable file ({exc})"
            ) from None
    try:
        data = json.loads(source)
    except json.JSONDecodeError as exc:
        raise ValidationError("--filter", text, f"is not valid JSON ({exc.msg})") from None
    return parse_filter(data, path="filter")


def selected_ids(  # noqa: PLR0917 - the options of a selection
    uow: Any,
    ids: list[str] | None,
    filter_text: str | None,
    on: str | None,
    query: str | None = None,
    field: str | None = None,
) -> list[str]:
    """The customers of ``--ids``, ``--filter`` or ``--query`` (exactly one), or a usage error.

    ``--query`` (with ``--field``) is a registry search, read as ``otocore
    customers search`` reads it (``otocore.registry.find_customer_ids``).
    """
    from otocore.bulk import customers_of_filter
    from otocore.cli._common import BRAND_TIME_ZONE, usage_error

    given = split_ids(ids)
    search = search_options(query, field)
    if bool(given) + (filter_text is not None) + (search is not None) != 1:
        raise usage_error("give one of --ids, --filter or --query (exactly one)")
    if on is not None and filter_text is None:
        raise usage_error("--on is the filter's day: give it with --filter")
    if search is not None:
        from otocore.registry import find_customer_ids

        return find_customer_ids(uow, search[0], field=search[1])
    if filter_text is None:
        return given
    day = today() if on is None else parse_day("--on", on)
    return customers_of_filter(uow, load_filter(filter_text), day, time_zone=BRAND_TIME_ZONE)


def selection_label(
    filter_text: str | None, on: str | None, query: str | None, field: str | None
) -> str | None:
    """How ``--filter``/``--query`` chose the customers, for the audit entry (``None``: ``--ids``)."""
    if query is not None:
        return f"query {query!r}" + ("" if field is None else f" (field {field})")
    if filter_text is not None:
        return f"filter {filter_text.strip()}" + ("" if on is None else f" on {on}")
    return None


def bulk_service(database: Any, actor: str) -> tuple[Any, Any]:
    """The bulk service over ``database`` and the acting principal (``--as``).

    The account is found by its login e-mail, as every ``--as`` command finds it
    (``acting_principal``); the service checks, and audits, whether it may act.
    """
    from otocore.bulk import BulkService
    from otocore.cli._account_service import account_service, acting_principal
    from otocore.cli._common import BRAND_TIME_ZONE
    from otocore.clock import SystemClock
    from otocore.consent import ConsentPolicy

    principal = acting_principal(database, account_service(database), actor)
    service = BulkService(
        database.unit_of_work,
        clock=SystemClock(),
        consent_policy=ConsentPolicy(time_zone=BRAND_TIME_ZONE),
    )
    return service, principal


def _discount(percent: str | None, first: str | None, last: str | None) -> Any:
    from decimal import Decimal, InvalidOperation

    from otocore.categories import CategoryDiscount
    from otocore.cli._common import usage_error

    if percent is None:
        if first is not None or last is not None:
            raise usage_error("--from and --until need --discount")
        return None
    try:
        value = Decimal(percent.strip().rstrip("%"))
    except InvalidOperation:
        raise typer.BadParameter(
            f"--discount: expected a percentage such as 10 or 12.5, got {percent!r}"
        ) from None
    return CategoryDiscount(
        value,
        first_day=None if first is None else parse_day("--from", first),
        last_day=None if last is None else parse_day("--until", last),
    )


def _discount_text(category: Any) -> str:
    d = category.discount
    return "" if d is None else f"{d.percentage}% ({d.period})"


def _data(category: Any, members: int) -> dict[str, Any]:
    from otocore.serialization import converter

    data: dict[str, Any] = converter.unstructure(category)
    data["members"] = members
    return data


DiscountOption = Annotated[
    str | None, typer.Option("--discount", help="Automatic discount, a percentage (0 < p <= 100).")
]
FromOption = Annotated[str | None, typer.Option("--from", help="First local day of the discount.")]
UntilOption = Annotated[str | None, typer.Option("--until", help="Last local day of the discount.")]


@categories_app.command("list")
def _list(db: DbOption, as_json: JsonOption = False) -> None:
    """List the categories, by name, with their discount and number of customers."""
    uow = open_uow(db)
    with uow:
        rows = [(c, uow.categories.count_members(c.category_id)) for c in uow.categories.list()]
    if as_json:
        typer.echo(json.dumps([_data(c, n) for c, n in rows], ensure_ascii=False))
        return
    table = Table(title="Customer categories")
    for column in ("id", "name", "colour", "discount", "customers"):
        table.add_column(column)
    for c, n in rows:
        table.add_row(c.category_id, c.name, c.colour, _discount_text(c), str(n))
    console().print(table)


@categories_app.command("add")
def _add(  # noqa: PLR0917 - typer maps options to parameters
    category_id: Annotated[str, typer.Argument(help="The new category's id.")],
    db: DbOption,
    actor: AsOption,
    name: Annotated[str, typer.Option("--name", help="Its name, e.g. 'Clientes VIP'.")],
    colour: Annotated[str, typer.Option("--colour", "--color", help="Hex colour, e.g. '#c0392b'.")],
    discount: DiscountOption = None,
    first: FromOption = None,
    last: UntilOption = None,
) -> None:
    """Create a category (an id already used is an error: change it with set-discount)."""
    from otocore.categories import CustomerCategory

    category = CustomerCategory(
        category_id, name, colour, discount=_discount(discount, first, last)
    )
    service, principal = bulk_service(open_db(db), actor)
    service.create_category(principal, category)
    console().print(f"category {category.category_id} ({category.name}) added")


@categories_app.command("show")
def _show(
    category_id: Annotated[str, typer.Argument(help="The category.")],
    db: DbOption,
    as_json: JsonOption = False,
) -> None:
    """Show a category and the ids of its customers."""
    uow = open_uow(db)
    with uow:
        category = uow.categories.get(category_id)
        members = uow.categories.members(category_id)
    if as_json:
        data = _data(category, len(members))
        data["customer_ids"] = members
        typer.echo(json.dumps(data, ensure_ascii=False))
        return
    table = Table(title=f"Category {category.category_id}", show_header=False)
    table.add_row("name", category.name)
    table.add_row("colour", category.colour)
    table.add_row("discount", _discount_text(category) or "(none)")
    table.add_row("customers", str(len(members)))
    console().print(table)
    for member in members:
        console().print(member)


@categories_app.command("set-discount")
def _set_discount(  # noqa: PLR0917 - typer maps options to parameters
    category_id: Annotated[str, typer.Argument(help="The category.")],
    db: DbOption,
    actor: AsOption,
    discount: DiscountOption = None,
    first: FromOption = None,
    last: UntilOption = None,
    none: Annotated[bool, typer.Option("--none", help="Take the discount away.")] = False,
) -> None:
    """Give a category an automatic discount (--discount P [--from DAY] [--until DAY]) or --none."""
    from otocore.cli._common import usage_error

    if none == (discount is not None):
        raise usage_error("give either --discount or --none")
    chosen = _discount(discount, first, last)
    service, principal = bulk_service(open_db(db), actor)
    saved = service.set_category_discount(principal, category_id, chosen)
    console().print(f"category {saved.category_id}: discount {_discount_text(saved) or '(none)'}")


@categories_app.command("remove")
def _remove(
    category_id: Annotated[str, typer.Argument(help="The category.")],
    db: DbOption,
    actor: AsOption,
) -> None:
    """Delete a category; its customers stay in the registry (only their membership goes)."""
    service, principal = bulk_service(open_db(db), actor)
    members = service.delete_category(principal, category_id)
    console().print(f"category {category_id} removed ({members} customers were in it)")


@categories_app.command("add-customers")
def _add_customers(  # noqa: PLR0917 - typer maps options to parameters
    category_id: Annotated[str, typer.Argument(help="The category.")],
    db: DbOption,
    actor: AsOption,
    ids: IdsOption = None,
    filter_text: FilterOption = None,
    on: OnOption = None,
    query: QueryOption = None,
    field: FieldOption = None,
    as_json: JsonOption = False,
) -> None:
    """Add a selection (--ids), a search (--query) or a filter's customers (--filter): all or none."""
    database = open_db(db)
    chosen = selected_ids(database.unit_of_work(), ids, filter_text, on, query, field)
    service, principal = bulk_service(database, actor)
    change = service.add_to_category(
        principal, category_id, chosen, selected_by=selection_label(filter_text, on, query, field)
    )
    _print_change(change, "added", "already in", as_json=as_json)


@categories_app.command("remove-customers")
def _remove_customers(  # noqa: PLR0917 - typer maps options to parameters
    category_id: Annotated[str, typer.Argument(help="The category.")],
    db: DbOption,
    actor: AsOption,
    ids: IdsOption = None,
    filter_text: FilterOption = None,
    on: OnOption = None,
    query: QueryOption = None,
    field: FieldOption = None,
    as_json: JsonOption = False,
) -> None:
    """Take a selection (--ids), a search (--query) or a filter's customers out of a category."""
    database = open_db(db)
    chosen = selected_ids(database.unit_of_work(), ids, filter_text, on, query, field)
    service, principal = bulk_service(database, actor)
    change = service.remove_from_category(
        principal, category_id, chosen, selected_by=selection_label(filter_text, on, query, field)
    )
    _print_change(change, "removed", "not in it", as_json=as_json)


def _print_change(change: Any, did: str, had: str, *, as_json: bool) -> None:
    if as_json:
        from otocore.serialization import converter

        typer.echo(json.dumps(converter.unstructure(change)))
        return
    console().print(
        f"category {change.category_id}: {change.changed} {did}, {change.unchanged} {had};"
        f" {change.members} customers now"
    )


@categories_app.command("discount")
def _discount_of(
    customer_id: Annotated[str, typer.Argument(help="The customer.")],
    db: DbOption,
    on: Annotated[str | None, typer.Option("--on", help="The local day (default today).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Which automatic discount a customer's categories give on a day, and why."""
    from otocore.bulk import category_discount

    day: date = today() if on is None else parse_day("--on", on)
    decision = category_discount(open_uow(db), customer_id, day)
    if as_json:
        category = decision.category
        typer.echo(
            json.dumps(
                {
                    "customer_id": decision.customer_id,
                    "on": decision.day.isoformat(),
                    "percentage": None if decision.percentage is None else str(decision.percentage),
                    "category_id": None if category is None else category.category_id,
                    "reason": decision.reason.value,
                    "detail": decision.detail,
                },
                ensure_ascii=False,
            )
        )
        return
    console().print(f"{customer_id} on {day}: {decision.detail}")
