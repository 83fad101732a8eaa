#!/usr/bin/env bash
# Set up .venv with otocore and its runtime dependencies only (no lint, docs or packaging
# tools; fast when run again) and run otocore's main job on the bundled sample brand.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh runtime
exec .venv/bin/otocore demo "$@"
