"""Which strategy draws each public value type: the table behind ``st.from_type``.

This module sits above the per-area strategy modules and imports them all, so
none of them has to import it back (no cycle inside :mod:`otocore.testing`).
"""

from __future__ import annotations

from hypothesis import strategies as st

from otocore.orders import Order
from otocore.rfv import RawRfv, RfvPolicy, RfvScore, RfvThresholds, SegmentGrid
from otocore.sellers import Seller, Store
from otocore.testing import (
    _attribution,
    _auth,
    _categories,
    _consent,
    _contacts,
    _customers,
    _distribution,
    _filters,
    _history,
    _insights,
    _privacy,
    _rfv,
    _suggestions,
)
from otocore.testing._strategies import orders, sellers, stores


def strategy_for(cls: type) -> st.SearchStrategy[object]:
    """The default strategy for one of otocore's public value types.

    >>> from otocore.orders import Order
    >>> strategy_for(Order) is not None
    True
    """
    table: dict[type, st.SearchStrategy[object]] = {
        Order: orders(),
        Seller: sellers(),
        Store: stores(),
    }
    areas = (
        _customers,
        _distribution,
        _consent,
        _filters,
        _contacts,
        _suggestions,
        _auth,
        _attribution,
        _privacy,
        _categories,
        _history,
        _insights,
    )
    for area in areas:
        table.update(area.strategy_table())
    table.update(
        {
            RawRfv: _rfv.raw_rfvs(),
            RfvPolicy: _rfv.rfv_policies(),
            RfvScore: _rfv.rfv_score_values(),
            RfvThresholds: _rfv.rfv_thresholds(),
            SegmentGrid: _rfv.segment_grids(),
        }
    )
    return table[cls]
