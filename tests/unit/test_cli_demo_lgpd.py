"""The demo shows a SAC edit with its history and an anonymization, with its own log key (issue 15)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from _support.cli import run as _run


@pytest.mark.slow  # the demo brand, end to end
def test_the_demo_edits_anonymizes_and_keeps_its_log_key_beside_the_database(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OTOCORE_LOG_KEY_FILE", raising=False)
    monkeypatch.delenv("OTOCORE_LOG_KEY", raising=False)
    db = tmp_path / "demo.sqlite"
    code, out, err = _run(capsys, "demo", "--db", str(db), "--json")
    assert code == 0, err
    data = json.loads(out)
    key_file = tmp_path / "demo-log-key.json"
    assert data["log_key_file"] == str(key_file)
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert data["sac_edit"]["history"][-1]["new_value"] == "vanessa.pereira@example.com"
    erasure = data["anonymization"]
    assert erasure["found_before"] == ["C000157"]
    assert erasure["found_after"] == []
    assert erasure["orders_kept"] == erasure["orders_before"] > 0
    assert erasure["again"] == "customer C000157 was already anonymized; nothing to do"
    # the kept database answers the LGPD commands: they find the demo's key beside it
    code, out, err = _run(
        capsys, "lgpd", "export", "C000413", "--db", str(db), "--as", "admin@example.com"
    )
    assert code == 0, err
    assert json.loads(out)["customer"]["email"] == "vanessa.pereira@example.com"
