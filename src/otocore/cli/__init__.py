"""Linha de comando (the command line): ``otocore``.

A thin layer: parse the arguments, call a service, print. Tables for people,
``--json`` for programs. Exit codes: 0 on success, 1 on a validation error,
a rule violation or a database that cannot be used (one line on stderr,
``error: ...``), 2 on usage errors. No error prints a traceback unless
``otocore --debug ...`` asks for it; an error otocore did not expect is
``error: internal error: TYPE: MESSAGE (...)``, exit code 1.

This package holds the app, the entry point and the one place where an
:class:`~otocore.errors.OtocoreError` becomes a one-line message; each
command area lives in a private module of its own (``_import``, ``_daily``,
``_sellers``, ``_accounts``, ...), and a new command goes in one too.

>>> from typer.testing import CliRunner
>>> result = CliRunner().invoke(app, ["--version"])
>>> result.exit_code, result.output.startswith("otocore ")
(0, True)
"""

from __future__ import annotations

import sys
import traceback
from typing import Annotated

import typer

import otocore
from otocore.cli import (
    _accounts,
    _blocks,
    _campaigns,
    _categories,
    _consent,
    _contacts,
    _customers,
    _daily,
    _db,
    _demo,
    _exports,
    _import,
    _insights,
    _lgpd,
    _logs,
    _orders,
    _privacy_sac,
    _results,
    _sample,
    _seller_code,
    _sellers,
    _suggestions,
)
from otocore.cli._common import BRAND_TIME_ZONE as BRAND_TIME_ZONE
from otocore.cli._common import close_databases, console
from otocore.cli._demo import DEMO_AS_OF as DEMO_AS_OF
from otocore.cli._demo import DEMO_SELLER as DEMO_SELLER
from otocore.cli._demo import DEMO_STORE_URL as DEMO_STORE_URL
from otocore.errors import OtocoreError

__all__ = ["app", "main", "run"]

app = typer.Typer(
    name="otocore",
    help="Exact domain rules for Brazilian retail clienteling.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = _db.db_app
sellers_app = _sellers.sellers_app
customers_app = _customers.customers_app
_exports.register()  # `customers export` and `customers download` (issue 15)
# the LGPD's commands (issue 15): `lgpd export|anonymize|delete|revoke-consent` and
# `customers remove` (erasure); `lgpd requests`, `lgpd request open|answer` and
# `customers edit|history` (sac) join the same groups
_lgpd.register()
_privacy_sac.register(customers_app, _lgpd.lgpd_app)
campaigns_app = _campaigns.campaigns_app
accounts_app = _accounts.accounts_app
seller_code_app = _seller_code.seller_code_app
sample_app = _sample.sample_app

# the order here is the order of `otocore --help`: commands first, then the groups
app.command("import")(_import.import_files)
app.command("daily")(_daily.daily)
app.command("suggestions")(_suggestions.suggestions)
app.command("explain")(_suggestions.explain)
app.command("results")(_results.results)
app.command("report")(_results.report)
app.command("demo")(_demo.demo)
app.add_typer(db_app, name="db")
app.add_typer(sellers_app, name="sellers")
app.add_typer(accounts_app, name="accounts")
app.add_typer(seller_code_app, name="seller-code")
app.add_typer(customers_app, name="customers")
app.add_typer(campaigns_app, name="campaigns")
app.add_typer(_contacts.contacts_app, name="contacts")
app.add_typer(_consent.consent_app, name="consent")
app.add_typer(_blocks.blocks_app, name="blocks")
app.add_typer(_orders.orders_app, name="orders")
app.add_typer(sample_app, name="sample")
app.add_typer(_insights.insights_app, name="insights")
app.add_typer(_categories.categories_app, name="categories")
app.add_typer(_logs.audit_app, name="audit")
app.add_typer(_lgpd.lgpd_app, name="lgpd")  # issue 15, erasure


class _Options:
    """The root options that outlive the command: read by :func:`main` after it ran."""

    debug = False


def _version(value: bool) -> None:
    if value:
        typer.echo(f"otocore {otocore.__version__}")
        raise typer.Exit


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
    debug: Annotated[
        bool,
        typer.Option("--debug", help="On an error, print the full traceback too."),
    ] = False,
) -> None:
    """otocore: carteiras, RFV, preferred sellers and more, on your own data."""
    _Options.debug = debug


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 1 rule, input or database error, 2 usage).

    An error is one line on stderr, never a traceback unless ``--debug``
    (given before the command: ``otocore --debug daily ...``) asks for it.

    >>> main(["--version"])
    otocore ...
    0
    """
    _Options.debug = False
    try:
        # standalone mode: typer reports usage errors itself and exits with 2
        app(args=argv, prog_name="otocore", standalone_mode=True)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except OtocoreError as exc:
        return _fail(exc, f"error: {exc}")
    except Exception as exc:  # noqa: BLE001 - the last line of defence: one line, no traceback
        return _fail(
            exc,
            f"error: internal error: {type(exc).__name__}: {_first_line(exc)}"
            " (run `otocore --debug ...` to see the traceback)",
        )
    finally:
        close_databases()
    return 0


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else "(no message)"


def _fail(exc: BaseException, line: str) -> int:
    """Print ``line`` (after the traceback, with ``--debug``) on stderr; the exit code 1."""
    if _Options.debug:
        traceback.print_exception(exc, file=sys.stderr)
    console(stderr=True).print(line, markup=False)
    return 1


def run() -> None:
    """Console-script entry point: ``sys.exit(main())``."""
    sys.exit(main())
