"""The README's "More:" command-line sequence runs exactly as written, top to bottom.

The block is taken from README.md and run by bash, line by line in one shell (so its
``export`` line holds for the lines after it), in an empty folder, with ``otocore`` this
interpreter's command line. Every line must exit 0; a few outputs are checked for real.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.source_tree

README = Path(__file__).resolve().parents[2] / "README.md"
BASH = shutil.which("bash") or "/bin/bash"


def readme_lines() -> list[str]:
    """The commands of the README's "More:" bash block, comments and blank lines aside."""
    text = README.read_text(encoding="utf-8")
    match = re.search(r"\nMore: .*?```bash\n(.*?)```", text, re.S)
    assert match, "the README lost its More: block"
    lines = [line for line in match.group(1).splitlines() if line.strip()]
    return [line for line in lines if not line.lstrip().startswith("#")]


def run_block(lines: list[str], folder: Path) -> list[tuple[str, int, str, str]]:
    """Run ``lines`` in one bash in ``folder``: each line's text, exit code, stdout, stderr.

    Stops after the first line that fails (the lines after it depend on it).
    """
    bin_dir = folder / ".bin"
    bin_dir.mkdir()
    shim = bin_dir / "otocore"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m otocore.cli "$@"\n', encoding="utf-8")
    shim.chmod(shim.stat().st_mode | stat.S_IXUSR)
    out = folder / ".out"
    out.mkdir()
    script = ["set -uo pipefail"]
    for n, line in enumerate(lines):
        # braces, not a subshell: an `export` holds for the next lines; the newline before
        # the closing brace ends a trailing `# comment`
        script += [
            "{",
            line,
            f"}} >.out/{n}.out 2>.out/{n}.err </dev/null",
            f"echo $? >.out/{n}.rc",
            f'[ "$(cat .out/{n}.rc)" = 0 ] || exit 0',
        ]
    (folder / ".readme.sh").write_text("\n".join(script) + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTOCORE_")}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    src = Path(__file__).resolve().parents[2] / "src"
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(src), env.get("PYTHONPATH")) if p)
    env["COLUMNS"] = "100"
    subprocess.run([BASH, ".readme.sh"], cwd=folder, env=env, check=True, timeout=600)  # noqa: S603
    results = []
    for n, line in enumerate(lines):
        rc_file = out / f"{n}.rc"
        if not rc_file.exists():
            break
        results.append(
            (
                line,
                int(rc_file.read_text()),
                (out / f"{n}.out").read_text(encoding="utf-8"),
                (out / f"{n}.err").read_text(encoding="utf-8"),
            )
        )
    return results


@pytest.mark.slow
def test_the_more_block_runs_as_written_on_the_sample_brand(tmp_path: Path) -> None:
    lines = readme_lines()
    results = run_block(lines, tmp_path)
    for line, code, out, err in results:
        assert code == 0, f"README line failed (exit {code}):\n{line}\n{out}{err}"
    assert len(results) == len(lines)
    outputs = {line: out for line, _, out, _ in results}

    def output_of(start: str) -> str:
        found = [out for line, out in outputs.items() if start in line]
        assert found, f"the README has no line with {start!r}"
        return found[0]

    assert "orders.csv: 30000 rows read" in output_of("otocore import")
    assert "customers 3000" in output_of("otocore daily")
    assert "brand admin" in output_of("otocore accounts create admin@example.com --bootstrap")
    assert "ana@example.com" in output_of("otocore accounts list")
    assert "unlocked" in output_of("otocore accounts unlock ana@example.com")
    assert "V004 activated" in output_of("otocore sellers activate V004")
    assert "V007 deactivated" in output_of("otocore sellers deactivate V007")
    shown = json.loads(output_of("otocore customers show C000413"))
    assert shown["customer"]["customer_id"] == "C000413"
    assert shown["portfolio"]["seller_code"] == "V005"
    assert "3 campaigns loaded" in output_of("otocore campaigns load")
    assert output_of("otocore explain C000413").startswith("C000413 on 2026-11-02: ")
    # the imported opt-ins give V005 a day of suggestions; the CLI's opt-in is in the history
    assert "email" in output_of("otocore consent show C000413")
    assert "C000413" in output_of("otocore suggestions --seller V005")
    assert "C000413" in output_of("otocore contacts list C000413")
    assert "371.732.219-27" in output_of("otocore blocks list")
    # the e-mails went to files: each account's welcome, and Ana's PINs
    mail = sorted(p.name for p in (tmp_path / "mail").iterdir())
    assert "0001-welcome-gerente@example.com.eml" in mail
    assert [m for m in mail if m.endswith("-new_pin-ana@example.com.eml")]
    assert (tmp_path / "v005.png").read_bytes().startswith(b"\x89PNG")


def test_the_block_stops_at_and_reports_a_failing_line(tmp_path: Path) -> None:
    results = run_block(
        ["otocore --version", "otocore daily --as-of tomorrow --db x.sqlite", "true"], tmp_path
    )
    assert [code for _, code, _, _ in results] == [0, 2]
    assert "--as-of: expected YYYY-MM-DD, got 'tomorrow'" in results[1][3]
