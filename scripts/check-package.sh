#!/usr/bin/env bash
# Build wheel and sdist, twine-check both, install the wheel into a fresh venv,
# check that import otocore works and the version matches the metadata, then run
# the unit and property tests against that installed wheel, with src/ nowhere on
# the path: a copy of tests/ (and the docs, README and pyproject they read) outside
# the source tree, PYTHONPATH unset, the test dependency group installed beside.
# Left out: tests marked source_tree (they read src/), slow ones, the contract and
# stateful suites, and the doctests in src/ (src is not there).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
.venv/bin/python -m build --outdir "$out/dist" . >"$out/build.log" 2>&1 || { cat "$out/build.log"; exit 1; }
.venv/bin/twine check --strict "$out"/dist/*
python3 -m venv "$out/venv"
py="$out/venv/bin/python"
"$py" -m pip install --quiet --disable-pip-version-check "$out"/dist/*.whl
(cd "$out" && "$py" - <<'PY'
import importlib.metadata, otocore
meta = importlib.metadata.version("otocore")
assert otocore.__version__ == meta, (otocore.__version__, meta)
assert otocore.__file__.startswith(__import__("sys").prefix), otocore.__file__
print(f"wheel installs: otocore {meta} from {otocore.__file__}")
PY
)

# the test dependencies: pyproject's [dependency-groups] test (pip 23 has no --group)
mapfile -t test_deps < <("$py" -c '
import tomllib
with open("pyproject.toml", "rb") as f:
    print("\n".join(tomllib.load(f)["dependency-groups"]["test"]))')
"$py" -m pip install --quiet --disable-pip-version-check "${test_deps[@]}"

# the tests, outside the source tree
tree="$out/tree"
mkdir "$tree"
tar -c --exclude=__pycache__ --exclude=.hypothesis tests docs README.md pyproject.toml | tar -x -C "$tree"
cd "$tree"
env -u PYTHONPATH "$py" -c '
import sys, otocore
assert otocore.__file__.startswith(sys.prefix), otocore.__file__
print(f"tests import otocore from {otocore.__file__}")'
# the fast profile, seeded so that this check gives the same answer every time
env -u PYTHONPATH -u CI HYPOTHESIS_PROFILE=dev "$py" -m pytest -p no:cacheprovider -q \
    --import-mode=importlib --hypothesis-seed=0 -m "not source_tree and not slow" \
    tests/unit tests/property
