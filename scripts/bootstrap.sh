#!/usr/bin/env bash
# Create .venv with Python >= 3.11 and install otocore into it.
#   bash scripts/bootstrap.sh          everything: the extras and the dev group (lint, types,
#                                      tests, docs, packaging), what scripts/check.sh needs
#   bash scripts/bootstrap.sh runtime  only otocore and its runtime dependencies (the demo)
# Fast when run again: an install is skipped while pyproject.toml is unchanged since the last
# one of that kind (or of the full kind, which includes the runtime one).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
MODE=${1:-dev}
case "$MODE" in
    dev | runtime) ;;
    *) echo "usage: bash scripts/bootstrap.sh [runtime]" >&2; exit 2 ;;
esac
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
KEY=$(.venv/bin/python -c \
    'import hashlib, sys; print(hashlib.sha256(open("pyproject.toml", "rb").read()).hexdigest())')
stamped() { [ -f ".venv/.otocore-$1" ] && [ "$(cat ".venv/.otocore-$1")" = "$KEY" ]; }
if stamped dev || { [ "$MODE" = runtime ] && stamped runtime; }; then
    exit 0
fi
if [ "$MODE" = runtime ]; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
else
    # dependency groups need pip >= 25.1
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=25.1"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check \
        -e ".[testing,postgresql]" --group dev
fi
echo "$KEY" > ".venv/.otocore-$MODE"
