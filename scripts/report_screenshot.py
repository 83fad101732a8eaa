"""Render the sample brand's results report and take its picture with headless Chromium.

    python scripts/report_screenshot.py                       # docs/img/report.png
    python scripts/report_screenshot.py --html /tmp/r.html --png /tmp/r.png

The page is the one `otocore demo` writes: the bundled sample brand's (Brisa's) report of
September 2026, the month of its contact log (the same every run); the page is
otocore.report.render_report's. Chromium is Debian's
(/usr/bin/chromium, `apt-get install chromium`), run headless with no network: the page
needs none. The picture is of the top of the page (the totals and the four charts).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from otocore.report import render_report

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--proxy-server=127.0.0.1:9",  # nothing answers there: any fetch would fail
)


def sample_page() -> str:
    """The page ``otocore demo`` writes: the sample brand's results report of September 2026.

    The bundled brand (its orders and its September contact log) is imported into a store in
    memory and its results drawn as ``otocore report --from 2026-09-01 --to 2026-09-30
    --brand Brisa`` draws them.
    """
    from otocore.adapters.memory import InMemoryUnitOfWork
    from otocore.cli._demo import (
        DEMO_BRAND,
        DEMO_REPORT_FIRST_DAY,
        DEMO_REPORT_LAST_DAY,
        bundled_directory,
    )
    from otocore.importing import import_directory
    from otocore.results import load_results, report_figures

    uow = InMemoryUnitOfWork()
    import_directory(uow, bundled_directory())
    found = load_results(uow, DEMO_REPORT_FIRST_DAY, DEMO_REPORT_LAST_DAY)
    return render_report(report_figures(found, brand=DEMO_BRAND))


def screenshot(page: Path, png: Path, *, width: int = 1280, height: int = 1300) -> None:
    """Take a ``width`` x ``height`` picture of ``page`` with headless Chromium."""
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with tempfile.TemporaryDirectory(prefix="otocore-chromium-") as profile:
        subprocess.run(  # noqa: S603
            [
                chromium,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                f"--window-size={width},{height}",
                f"--screenshot={png}",
                page.resolve().as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, help="also keep the page here")
    parser.add_argument("--png", type=Path, default=ROOT / "docs" / "img" / "report.png")
    parser.add_argument("--height", type=int, default=1300)
    args = parser.parse_args()
    page = sample_page()
    with tempfile.TemporaryDirectory(prefix="otocore-report-") as tmp:
        html = args.html or Path(tmp) / "report.html"
        html.write_text(page, encoding="utf-8")
        args.png.parent.mkdir(parents=True, exist_ok=True)
        screenshot(html, args.png, height=args.height)
    sys.stdout.write(f"wrote {args.png}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
