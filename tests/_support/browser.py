"""Render an HTML page in headless Chromium (Debian's) with no network, and read what it drew.

:func:`load` writes the page to a temporary file with a small probe script added at the end
of its body, opens it in ``/usr/bin/chromium --headless --dump-dom`` (a fresh profile, every
background service off, any request sent to a proxy where nothing listens), and reads back
what the probe measured once the page had loaded:

* every ``<figure data-chart="...">``: the size of its SVG on screen and each mark in it (an
  SVG group whose id ends in ``-bar-N`` or ``-line-N``): its bounding box and its paint;
* every element with ``data-figure``: its ``data-value``, its text and whether it shows;
* the resources the page requested (``performance.getEntriesByType("resource")``), which a
  self-contained page leaves empty, and the document's height.

The browser is never downloaded: the check script installs Debian's ``chromium`` package when
it is missing (scripts/ensure-chromium.sh), and a missing browser fails the test (no skip).
The CLI's report test reuses this module.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    # no network: names resolve to nothing and any request goes to a port nobody listens on
    "--proxy-server=127.0.0.1:9",
    "--host-resolver-rules=MAP * ~NOTFOUND",
)

PROBE_ID = "otocore-probe"
PROBE = f"""<script>
window.addEventListener("load", () => {{
  const mark = /-(bar|line)-(\\d+)$/;
  const out = {{charts: {{}}, figures: [], resources: [], height: 0}};
  for (const fig of document.querySelectorAll("figure[data-chart]")) {{
    const svg = fig.querySelector("svg");
    const box = svg ? svg.getBoundingClientRect() : {{width: 0, height: 0}};
    const marks = [];
    for (const g of fig.querySelectorAll("svg g[id]")) {{
      const m = mark.exec(g.id);
      if (!m) continue;
      const b = g.getBBox();
      const shape = g.querySelector("path, use, rect");
      const style = shape ? getComputedStyle(shape) : null;
      marks.push({{
        kind: m[1], index: Number(m[2]), width: b.width, height: b.height,
        fill: style ? style.fill : "none", stroke: style ? style.stroke : "none",
      }});
    }}
    out.charts[fig.dataset.chart] = {{width: box.width, height: box.height, marks}};
  }}
  for (const el of document.querySelectorAll("[data-figure]")) {{
    const r = el.getBoundingClientRect();
    out.figures.push({{
      key: el.dataset.figure, value: el.dataset.value, text: el.textContent,
      shown: r.width > 0 && r.height > 0,
    }});
  }}
  out.resources = performance.getEntriesByType("resource").map((e) => e.name);
  out.height = document.documentElement.scrollHeight;
  const pre = document.createElement("pre");
  pre.id = "{PROBE_ID}";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
}});
</script>"""


@dataclass(frozen=True)
class Mark:
    """One mark of a chart: ``kind`` "bar" or "line", its box (SVG user units) and paint."""

    kind: str
    index: int
    width: float
    height: float
    fill: str
    stroke: str

    @property
    def drawn(self) -> bool:
        """A bar has area and paint; a line has length and a stroke (or markers)."""
        if self.kind == "bar":
            return self.width > 0 and self.height > 0 and self.fill not in ("none", "")
        return (self.width > 0 or self.height > 0) and self.stroke not in ("none", "")


@dataclass(frozen=True)
class Chart:
    """A ``<figure data-chart>`` as drawn: its SVG's size on screen and its marks."""

    width: float
    height: float
    marks: tuple[Mark, ...]

    def drawn(self, kind: str) -> list[Mark]:
        """The marks of ``kind`` that were drawn."""
        return [m for m in self.marks if m.kind == kind and m.drawn]


@dataclass(frozen=True)
class Figure:
    """An element with ``data-figure``: its value, its text, and whether it has a size."""

    value: str
    text: str
    shown: bool


@dataclass(frozen=True)
class Page:
    """What the probe read from the loaded page."""

    charts: Mapping[str, Chart]
    figures: Mapping[str, Figure]
    duplicate_keys: tuple[str, ...]
    resources: tuple[str, ...]
    height: int
    dom: str


def chromium() -> str:
    """The path of Debian's Chromium; the test fails (never skips) when it is missing."""
    found = shutil.which("chromium") or (CHROMIUM if Path(CHROMIUM).exists() else None)
    if found is None:
        pytest.fail(
            "Chromium not found: install Debian's 'chromium' package (scripts/ensure-chromium.sh"
            " does it, and scripts/check.sh runs that); the report's tests render it in a real"
            " browser and never skip",
            pytrace=False,
        )
    return found


def run_chromium(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium with :data:`FLAGS`, a fresh profile and ``args``."""
    with tempfile.TemporaryDirectory(prefix="otocore-chromium-") as profile:
        return subprocess.run(  # noqa: S603
            [chromium(), *FLAGS, f"--user-data-dir={profile}", *args],
            check=False,
            capture_output=True,
            text=True,
            timeout=timeout,
        )


def load(page: str, *, width: int = 1280, height: int = 1000, budget_ms: int = 10_000) -> Page:
    """Open ``page`` (an HTML document) in headless Chromium and read what it drew."""
    if "</body>" not in page:
        raise ValueError("the page has no </body> to put the probe before")
    probed = page.replace("</body>", f"{PROBE}\n</body>", 1)
    with tempfile.TemporaryDirectory(prefix="otocore-page-") as tmp:
        path = Path(tmp) / "page.html"
        path.write_text(probed, encoding="utf-8")
        done = run_chromium(
            f"--window-size={width},{height}",
            f"--virtual-time-budget={budget_ms}",
            "--dump-dom",
            path.as_uri(),
        )
    found = re.search(rf'<pre id="{PROBE_ID}">(.*?)</pre>', done.stdout, flags=re.DOTALL)
    if found is None:
        pytest.fail(
            f"Chromium did not run the probe (exit {done.returncode}):\n{done.stderr[-3000:]}",
            pytrace=False,
        )
    raw: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    figures: dict[str, Figure] = {}
    duplicates: list[str] = []
    for item in raw["figures"]:
        if item["key"] in figures:
            duplicates.append(item["key"])
        figures[item["key"]] = Figure(item["value"], item["text"], item["shown"])
    charts = {
        name: Chart(chart["width"], chart["height"], tuple(Mark(**mark) for mark in chart["marks"]))
        for name, chart in raw["charts"].items()
    }
    return Page(
        charts=charts,
        figures=figures,
        duplicate_keys=tuple(duplicates),
        resources=tuple(raw["resources"]),
        height=int(raw["height"]),
        dom=done.stdout,
    )
