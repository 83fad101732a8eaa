#!/usr/bin/env bash
# Set everything up and run otocore's main job on the bundled sample brand.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
exec .venv/bin/otocore demo "$@"
