"""Serialização (serialization): every public value type to JSON-ready data and back.

Serialization lives here, never on the classes, and depends on the model, never
the reverse. :data:`converter` is a cattrs converter configured for otocore:
datetimes become ISO 8601 strings with their offset, dates ISO strings,
:class:`~decimal.Decimal` a string (so no float ever touches money), enums
their value. :func:`loads` and :func:`dumps` read and write JSON text;
:func:`load_campaigns` and :func:`dump_campaigns` a brand's campaign file.
:func:`make_converter` builds a fresh converter to customize (with the
brand's options); :func:`configure_converter` applies otocore's hooks to a
converter of your own.

Importing this module builds nothing: :data:`converter` is built on first
use, and the hooks of each part of the model are installed when a type of
that part is first seen.

>>> from datetime import datetime, UTC
>>> from decimal import Decimal
>>> from otocore.orders import Order
>>> order = Order(
...     order_id="P1",
...     customer_id="C1",
...     store_id="L1",
...     placed_at=datetime(2026, 5, 10, 18, 30, tzinfo=UTC),
...     total=Decimal("199.90"),
...     seller_code="V01",
... )
>>> data = converter.unstructure(order)
>>> data["placed_at"], data["total"], data["status"]
('2026-05-10T18:30:00+00:00', '199.90', 'completed')
>>> converter.structure(data, Order) == order
True
>>> loads(dumps(order), Order) == order
True

Malformed input is a :class:`~otocore.errors.ValidationError` naming the path
of every bad field, never a bare ``KeyError`` or ``TypeError``:

>>> bad = dict(data, total="R$ 3", placed_at="2026-05-10T18:30:00")
>>> converter.structure(bad, Order)
Traceback (most recent call last):
...
otocore.errors.ValidationError: 2 errors:
  Order.placed_at must be an ISO 8601 datetime with a UTC offset, got '2026-05-10T18:30:00'
  Order.total must be a decimal string such as '199.90', got 'R$ 3'
>>> converter.structure(dict(data, total="-3"), Order)
Traceback (most recent call last):
...
otocore.errors.ValidationError: Order.total must be >= 0 with at most 2 decimal places, got Decimal('-3')
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, cast

import cattrs

from otocore.errors import ValidationError
from otocore.serialization import _primitives
from otocore.serialization._core import Installer, OtocoreConverter, install_lazily

if TYPE_CHECKING:
    from otocore.campaigns import Campaign
    from otocore.customers import CpfPolicy
    from otocore.rfv import SegmentGrid

__all__ = [
    "OtocoreConverter",
    "configure_converter",
    "converter",
    "dump_campaigns",
    "dumps",
    "load_campaigns",
    "loads",
    "make_converter",
    "structure",
]

T = TypeVar("T")

converter: OtocoreConverter
"""The converter otocore uses, built on first use. Build your own with :func:`make_converter`."""

# The hook modules of this package, each with the domain modules whose types it
# serves and the options of make_converter it takes. A new rule's hooks go in a
# module of their own here, with one line in this table.
_AREAS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "_access": (("otocore.access",), ()),
    "_auth": (("otocore.auth",), ()),
    "_blocking": (("otocore.blocking",), ()),
    "_campaigns": (("otocore.campaigns",), ("grid",)),
    "_consent": (("otocore.consent",), ()),
    "_contacts": (("otocore.contacts", "otocore.quarantine"), ()),
    "_customers": (("otocore.customers",), ("cpf_policy",)),
    "_distribution": (("otocore.distribution",), ()),
    "_exports": (("otocore.exports",), ()),
    "_filters": (("otocore.filters",), ("grid",)),
    "_portfolio": (("otocore.portfolio",), ()),
    "_rfv": (("otocore.rfv",), ()),
    "_security": (("otocore.auth",), ()),
}


def _by_module() -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for area, (modules, _) in _AREAS.items():
        for module in modules:
            out[module] = (*out.get(module, ()), area)
    return out


_BY_MODULE = _by_module()


def _installers(options: dict[str, Any]) -> dict[str, Installer]:
    def installer(area: str, takes: tuple[str, ...]) -> Installer:
        def install(conv: cattrs.Converter) -> None:
            module = importlib.import_module(f"{__name__}.{area}")
            module.configure(conv, **{name: options[name] for name in takes})

        return install

    return {area: installer(area, takes) for area, (_, takes) in _AREAS.items()}


def _options(cpf_policy: Any, grid: Any) -> dict[str, Any]:
    if cpf_policy is not None:
        from otocore.customers import CpfPolicy

        if not isinstance(cpf_policy, CpfPolicy):
            raise ValidationError("cpf_policy", cpf_policy, "must be a CpfPolicy or None")
    if grid is not None:
        from otocore.rfv import SegmentGrid

        if not isinstance(grid, SegmentGrid):
            raise ValidationError("grid", grid, "must be a SegmentGrid or None")
    return {"cpf_policy": cpf_policy, "grid": grid}


def configure_converter(
    conv: cattrs.Converter,
    *,
    cpf_policy: CpfPolicy | None = None,
    grid: SegmentGrid | None = None,
) -> None:
    """Install otocore's hooks on ``conv``, with the options of :func:`make_converter`.

    On an :class:`OtocoreConverter` the hooks of each part of the model are
    installed when a type of that part is first seen; on any other converter,
    all at once.

    >>> from decimal import Decimal
    >>> conv = cattrs.Converter()
    >>> configure_converter(conv)
    >>> conv.unstructure(Decimal("1.50"))
    '1.50'
    """
    installers = _installers(_options(cpf_policy, grid))
    _primitives.configure(conv)
    if isinstance(conv, OtocoreConverter):
        install_lazily(conv, installers, _BY_MODULE)
    else:
        for install in installers.values():
            install(conv)


def make_converter(
    *,
    cpf_policy: CpfPolicy | None = None,
    grid: SegmentGrid | None = None,
    forbid_extra_keys: bool = True,
) -> OtocoreConverter:
    """A new converter with otocore's hooks; customize it without touching :data:`converter`.

    >>> make_converter() is not converter
    True

    Args:
        cpf_policy: the brand's :class:`~otocore.customers.CpfPolicy` for
            reading CPFs (default: repeated-digit CPFs are refused).

            >>> from otocore.customers import Cpf, CpfPolicy
            >>> permissive = make_converter(cpf_policy=CpfPolicy(allow_repeated_digits=True))
            >>> permissive.structure("111.111.111-11", Cpf)
            Cpf('11111111111', allow_repeated=True)
            >>> make_converter().structure("111.111.111-11", Cpf)
            Traceback (most recent call last):
            ...
            otocore.errors.ValidationError: Cpf must not repeat one digit 11 times (a brand may accept it with CpfPolicy(allow_repeated_digits=True)), got '111.111.111-11'

        grid: the brand's :class:`~otocore.rfv.SegmentGrid`; when given, every
            ``segment_in`` key of a filter read (a campaign's audience
            included) must be one of its segments (default: any well-formed
            key).

            >>> from otocore.filters import Filter
            >>> from otocore.rfv import default_grid
            >>> make_converter().structure({"segment_in": ["vips"]}, Filter)
            SegmentIn(segments=('vips',))
            >>> make_converter(grid=default_grid()).structure({"segment_in": ["vips"]}, Filter)
            Traceback (most recent call last):
            ...
            otocore.errors.ValidationError: Filter.segment_in[0] must be a segment of the grid (about_to_sleep, at_risk, cant_lose, champions, hibernating, loyal_customers, need_attention, new_customers, potential_loyalists, promising), got 'vips'

        forbid_extra_keys: whether a key that is not a field of the class is a
            fault (default ``True``); ``False`` ignores it.

            >>> from otocore.sellers import Store
            >>> data = {"store_id": "L1", "name": "Centro", "manager": "Ana"}
            >>> make_converter(forbid_extra_keys=False).structure(data, Store)
            Store(store_id='L1', name='Centro', city=None, state=None)
            >>> make_converter().structure(data, Store)
            Traceback (most recent call last):
            ...
            otocore.errors.ValidationError: Store.manager is not a known field, got 'Ana'
    """
    if not isinstance(forbid_extra_keys, bool):
        raise ValidationError("forbid_extra_keys", forbid_extra_keys, "must be True or False")
    conv = OtocoreConverter(forbid_extra_keys=forbid_extra_keys)
    configure_converter(conv, cpf_policy=cpf_policy, grid=grid)
    return conv


_LOCK = threading.Lock()


def _default() -> OtocoreConverter:
    built: OtocoreConverter | None = globals().get("converter")
    if built is None:
        with _LOCK:
            built = globals().get("converter")
            if built is None:
                built = make_converter()
                globals()["converter"] = built
    return built


def __getattr__(name: str) -> Any:
    if name == "converter":
        return _default()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


def structure(data: Any, cl: type[T]) -> T:
    """Shorthand for ``converter.structure(data, cl)``.

    >>> from otocore.sellers import Store
    >>> structure({"store_id": "L1", "name": "Centro", "city": None, "state": None}, Store)
    Store(store_id='L1', name='Centro', city=None, state=None)
    """
    return cast(T, _default().structure(data, cl))


def loads(text: str | bytes | bytearray, cl: type[T]) -> T:
    """Read JSON ``text`` into a value of ``cl`` with :data:`converter`.

    Text that is not JSON, and every bad field, is a
    :class:`~otocore.errors.ValidationError` naming its path.

    >>> from otocore.rfv import SegmentGrid
    >>> text = '''{"bins": 2, "segments": [
    ...   {"key": "all", "label_en": "All", "label_pt": "Todos",
    ...    "rectangles": [{"r": [1, 2], "f": [1, 2]}]}]}'''
    >>> loads(text, SegmentGrid).segment(1, 2)
    'all'
    >>> loads('{"bins": 2, "segments": [{"key": "all"}]}', SegmentGrid)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: 3 errors:
      SegmentGrid.segments[0].label_en is required, got <missing>
      SegmentGrid.segments[0].label_pt is required, got <missing>
      SegmentGrid.segments[0].rectangles is required, got <missing>
    >>> loads("{not json", SegmentGrid)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: SegmentGrid must be valid JSON (Expecting property name enclosed in double quotes: line 1 column 2 (char 1)), got '{not json'
    """
    return cast(T, _default().loads(text, cl))


def dumps(value: Any, *, indent: int | None = None) -> str:
    """Write ``value`` as JSON text with :data:`converter` (what :func:`loads` reads back).

    Args:
        value: any value otocore can serialize.
        indent: indent nested values by this many spaces (default: one line).

    >>> from otocore.sellers import Store
    >>> dumps(Store(store_id="L1", name="Centro São Paulo"))
    '{"store_id": "L1", "name": "Centro São Paulo", "city": null, "state": null}'
    """
    return _default().dumps(value, indent=indent)


def load_campaigns(
    source: str | bytes | Sequence[Any], *, grid: SegmentGrid | None = None
) -> tuple[Campaign, ...]:
    """Read a list of campaigns from JSON text (or from the already parsed list).

    The format is a JSON array of campaign objects, as :func:`dump_campaigns`
    writes it (see the *Campaigns* page). Campaign ids must be unique. Every
    fault of every campaign is reported at once, each with its path
    (``campaigns[1].audience.all[2].age_between.min``).

    Args:
        source: JSON text, or the parsed JSON array.
        grid: when given, every ``segment_in`` key of every audience must be a
            segment of this :class:`~otocore.rfv.SegmentGrid`.

    Returns:
        The campaigns, in the order of the file.

    Examples:
        >>> from otocore.campaigns import sample_campaigns
        >>> [c.name for c in load_campaigns(dump_campaigns(sample_campaigns()))]
        ['Aniversariantes do mês', 'Pós-venda 30 dias', 'Reconquista: clientes em risco']
        >>> load_campaigns('{"campaign_id": "X"}')
        Traceback (most recent call last):
        ...
        otocore.errors.ValidationError: campaigns must be a JSON array of campaign objects, got {'campaign_id': 'X'}
        >>> load_campaigns(
        ...     '[{"campaign_id": "X", "audience": {"all": [{"age_between": {"min": -1}}]}}]'
        ... )
        Traceback (most recent call last):
        ...
        otocore.errors.ValidationError: 7 errors:
          campaigns[0].name is required, got <missing>
          campaigns[0].priority is required, got <missing>
          campaigns[0].first_day is required, got <missing>
          campaigns[0].last_day is required, got <missing>
          campaigns[0].audience.all[0].age_between.min must be >= 0, got -1
          campaigns[0].channels is required, got <missing>
          campaigns[0].message is required, got <missing>
    """
    from otocore.serialization import _campaigns

    return _campaigns.load_campaigns(source, grid=grid)


def dump_campaigns(campaigns: Iterable[Campaign]) -> str:
    """Write campaigns as the JSON text :func:`load_campaigns` reads (UTF-8, indented).

    Examples:
        >>> from otocore.campaigns import sample_campaigns
        >>> text = dump_campaigns(sample_campaigns()[:1])
        >>> text.splitlines()[:3]
        ['[', '  {', '    "campaign_id": "ANIVERSARIO_DO_MES",']
    """
    from otocore.serialization import _campaigns

    return _campaigns.dump_campaigns(campaigns)
