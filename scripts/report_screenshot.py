"""Render a sample results report and take its picture with headless Chromium.

    python scripts/report_screenshot.py                       # docs/img/report.png
    python scripts/report_screenshot.py --html /tmp/r.html --png /tmp/r.png

The figures are a fictional month of a fictional brand (seeded, so the picture is the same
every run); the page is otocore.report.render_report's. Chromium is Debian's
(/usr/bin/chromium, `apt-get install chromium`), run headless with no network: the page
needs none. The picture is of the top of the page (the totals and the four charts).
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from otocore.report import DayFigures, ReportFigures, ReportTotals, SellerFigures, render_report

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
SELLERS = (
    ("V001", "Ana Souza", "L01"),
    ("V002", "Bruno Lima", "L01"),
    ("V003", "Carla Dias", "L01"),
    ("V004", "Daniel Marques", "L02"),
    ("V005", "Eduarda Reis", "L02"),
    ("V006", "Fábio Nunes", "L02"),
    ("V007", "Gabriela Rocha", "L03"),
    ("V008", "Heitor Alves", "L03"),
)


def sample_figures(seed: int = 2026) -> ReportFigures:
    """A month of a fictional brand: eight sellers in three stores, seeded."""
    rng = random.Random(seed)  # noqa: S311 - sample data, not secrets
    first, last = date(2026, 11, 1), date(2026, 11, 30)
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    sales: list[tuple[str, date, Decimal, bool]] = []  # seller, day, total, still stands
    rows: list[SellerFigures] = []
    for code, name, store in SELLERS:
        suggested = rng.randint(120, 260)
        started = rng.randint(suggested // 3, suggested * 2 // 3)
        finished = rng.randint(started // 2, started)
        count = rng.randint(3, max(4, finished // 4))
        mine = [
            (code, rng.choice(days), Decimal(rng.randint(8_000, 90_000)) / 100, rng.random() > 0.1)
            for _ in range(count)
        ]
        sales += mine
        gross = sum((t for _, _, t, _ in mine), Decimal(0))
        net = sum((t for _, _, t, stands in mine if stands), Decimal(0))
        rows.append(
            SellerFigures(
                seller_code=code,
                seller_name=name,
                store_id=store,
                suggested=suggested,
                started=started,
                finished=finished,
                attributed_sales=count,
                revenue_gross=gross,
                revenue_net=net,
            )
        )
    trend = [
        DayFigures(
            day=day,
            attributed_sales=sum(1 for _, d, _, _ in sales if d == day),
            revenue=sum((t for _, d, t, _ in sales if d == day), Decimal(0)),
        )
        for day in days
        if any(d == day for _, d, _, _ in sales)
    ]
    return ReportFigures(
        brand="Moda Exemplo",
        first_day=first,
        last_day=last,
        totals=ReportTotals.of_sellers(rows),
        sellers=tuple(rows),
        trend=tuple(trend),
    )


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
    page = render_report(sample_figures())
    with tempfile.TemporaryDirectory(prefix="otocore-report-") as tmp:
        html = args.html or Path(tmp) / "report.html"
        html.write_text(page, encoding="utf-8")
        args.png.parent.mkdir(parents=True, exist_ok=True)
        screenshot(html, args.png, height=args.height)
    sys.stdout.write(f"wrote {args.png}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
