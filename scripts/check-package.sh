#!/usr/bin/env bash
# Build wheel and sdist, twine-check both, install the wheel into a fresh venv
# and check that import otocore works and the version matches the metadata.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
.venv/bin/python -m build --outdir "$out/dist" . >"$out/build.log" 2>&1 || { cat "$out/build.log"; exit 1; }
.venv/bin/twine check --strict "$out"/dist/*
python3 -m venv "$out/venv"
"$out/venv/bin/python" -m pip install --quiet --disable-pip-version-check "$out"/dist/*.whl
(cd "$out" && "$out/venv/bin/python" - <<'PY'
import importlib.metadata, otocore
meta = importlib.metadata.version("otocore")
assert otocore.__version__ == meta, (otocore.__version__, meta)
assert otocore.__file__.startswith(__import__("sys").prefix), otocore.__file__
print(f"wheel installs: otocore {meta} from {otocore.__file__}")
PY
)
rm -rf "$out"
