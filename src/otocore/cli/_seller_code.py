"""``otocore seller-code``: a seller's link to the online store as a QR code."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from otocore.cli._common import JsonOption, console, open_uow
from otocore.errors import NotFound

seller_code_app = typer.Typer(
    help="Seller codes (código do vendedor): links and QR codes.", no_args_is_help=True
)


def _active_seller(db: str, code: str) -> Any:
    """The active seller whose code is ``code`` (as written, else in canonical form)."""
    from otocore.errors import RuleViolation, ValidationError
    from otocore.seller_codes import normalize_code

    uow = open_uow(db)
    with uow:
        try:
            seller = uow.sellers.get(code)
        except NotFound:
            try:
                canonical = normalize_code(code)
            except ValidationError:
                raise NotFound("Seller", code) from None
            seller = uow.sellers.get(canonical)
    if not seller.is_active:
        raise RuleViolation(
            f"seller {seller.code} is inactive: online orders with this code would not be "
            "credited to anyone, so no QR code is made for it"
        )
    return seller


def _code_as_given(code: str) -> str:
    """A code in canonical form when it is one of the brand's issued kind, else as written."""
    from otocore.errors import ValidationError
    from otocore.seller_codes import normalize_code

    try:
        return normalize_code(code)
    except ValidationError:
        return code  # a code carried over from an older system (say V01)


@seller_code_app.command("qr")
def _seller_code_qr(  # noqa: PLR0917 - typer maps options to parameters
    code: Annotated[str, typer.Argument(help="The seller's code.")],
    store_url: Annotated[
        str, typer.Option("--store-url", help="The brand's online store address (https://...).")
    ],
    out: Annotated[
        Path, typer.Option("--out", help="The image to write: FILE.png, or FILE.svg for SVG.")
    ],
    parameter: Annotated[
        str, typer.Option("--parameter", help="The query parameter that carries the code.")
    ] = "vendedor",
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="OTOCORE_DB",
            help="Check first that the code names an active seller of this database's brand.",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Write the QR code of a seller's link to the online store (PNG or SVG)."""
    from otocore.seller_codes import seller_link, seller_qr_png, seller_qr_svg

    kind = out.suffix.lower()
    if kind not in {".png", ".svg"}:
        raise typer.BadParameter(f"--out must end in .png or .svg, got {str(out)!r}")
    canonical = _active_seller(db, code).code if db is not None else _code_as_given(code)
    link = seller_link(canonical, store_url, parameter=parameter)
    image = seller_qr_svg(link).encode("utf-8") if kind == ".svg" else seller_qr_png(link)
    try:
        out.write_bytes(image)
    except OSError as exc:
        raise typer.BadParameter(f"cannot write {out}: {exc.strerror}") from None
    if as_json:
        typer.echo(json.dumps({"code": canonical, "link": link, "out": str(out)}))
        return
    console().print(f"seller {canonical}: {link}")
    console().print(f"QR code written to {out}")
