"""Replay the golden export vectors in ``tests/vectors/exports``.

Format ``"otocore-exports-vector/1"``: ``format``, ``description``, ``seed`` (the help
page the rule comes from), and either

* ``columns`` (the header, :data:`otocore.exports.COLUMNS`) and ``cells``: each case a
  ``customer`` as otocore's converter writes a :class:`~otocore.customers.Customer` and the
  ``expected`` cells of its row (:func:`otocore.exports.customer_cells`), with a ``note``; or
* ``record`` (an :class:`~otocore.exports.ExportRecord` as the converter writes it) and
  ``downloads``: each a ``token``, an ``account_id``, a ``now`` (ISO 8601 with an offset)
  and ``refused``: ``null`` when :func:`otocore.exports.check_download` lets the download
  through, else the :class:`~otocore.errors.DownloadRefused` reason.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from otocore.customers import Customer
from otocore.errors import DownloadRefused
from otocore.exports import COLUMNS, ExportRecord, check_download, customer_cells
from otocore.serialization import converter

FOLDER = Path(__file__).parent.parent / "vectors" / "exports"
VECTORS = sorted(FOLDER.glob("*.json"))
DATA = {path.name: json.loads(path.read_text("utf-8")) for path in VECTORS}
CELLS = [case for data in DATA.values() for case in data.get("cells", [])]
DOWNLOADS = [(data["record"], case) for data in DATA.values() for case in data.get("downloads", [])]


def test_the_vectors_are_there_and_well_formed() -> None:
    assert len(CELLS) >= 4
    assert len(DOWNLOADS) >= 10
    for path in VECTORS:
        data = DATA[path.name]
        assert data["format"] == "otocore-exports-vector/1"
        assert data["description"]
        assert data["seed"]
        assert path.read_text("utf-8") == json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        if "columns" in data:
            assert tuple(data["columns"]) == COLUMNS


@pytest.mark.parametrize("case", CELLS, ids=lambda c: c["customer"]["customer_id"])
def test_a_cells_vector(case: dict[str, Any]) -> None:
    customer = converter.structure(case["customer"], Customer)
    assert list(customer_cells(customer)) == case["expected"]


@pytest.mark.parametrize(("record", "case"), DOWNLOADS)
def test_a_download_vector(record: dict[str, Any], case: dict[str, Any]) -> None:
    stored = converter.structure(record, ExportRecord)
    now = datetime.fromisoformat(case["now"])
    if case["refused"] is None:
        check_download(stored, case["token"], account_id=case["account_id"], now=now)
        return
    with pytest.raises(DownloadRefused) as refused:
        check_download(stored, case["token"], account_id=case["account_id"], now=now)
    assert refused.value.reason == case["refused"]
