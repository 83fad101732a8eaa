#!/usr/bin/env bash
# The whole test suite: lint, format, types, tests (with doctests, a real PostgreSQL and
# headless Chromium for the report), docs build, packaging check. Sets everything up first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
bash scripts/ensure-postgres.sh
bash scripts/ensure-chromium.sh
export PATH="$PWD/.venv/bin:$PATH"
export NO_MKDOCS_2_WARNING=1
# the thorough, derandomized Hypothesis profile (tests/conftest.py), whoever runs this
export HYPOTHESIS_PROFILE=${HYPOTHESIS_PROFILE:-ci}

echo "== ruff check";        ruff check src tests benchmarks
echo "== ruff format";       ruff format --check src tests benchmarks
echo "== mypy --strict";     mypy --strict src
echo "== import contracts";  lint-imports --no-cache
echo "== pytest";            python -m pytest -p no:cacheprovider
echo "== mkdocs build";      mkdocs build --strict --site-dir "$(mktemp -d)/site"
echo "== packaging";         bash scripts/check-package.sh
echo "all checks passed"
