#!/usr/bin/env bash
# Mutation testing of one rule module: scripts/mutation.sh MODULE [--survivors] [--max-children N]
#
# MODULE is a module or package of otocore (rfv, distribution, quarantine,
# filters, suggestions, auth, ...). mutmut (configured under [tool.mutmut] in
# pyproject.toml) mutates only that module and runs, for each mutant, the
# tests that exercise it (scripts/mutation_report.py --tests MODULE lists
# them), under the CI Hypothesis profile. The work happens in a scratch copy,
# .mutation/MODULE/, so several modules can run side by side and the
# working tree is never touched. The report at the end compares the survivors
# with the equivalent mutants listed in docs/mutation.md.
#
# --survivors re-runs only the last run's survivors against the current tests
# (after you wrote tests to kill them; the source must be unchanged, or run
# the whole module again).
#
# Not part of CI: a module takes one to ten minutes on two cores. Run it when
# you add or change a rule (CONTRIBUTING.md, "Mutation testing").
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
if [[ $# -lt 1 || $1 == -h || $1 == --help ]]; then
    sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
fi
module=$1
shift
survivors=false
if [[ ${1:-} == --survivors ]]; then
    survivors=true
    shift
fi
python=${PYTHON:-}
if [[ -z $python ]]; then
    if [[ -x $root/.venv/bin/python ]]; then python=$root/.venv/bin/python; else python=$(command -v python3); fi
fi
if ! "$python" -c "import mutmut" 2>/dev/null; then
    echo "mutmut is not installed: $python -m pip install mutmut (it is in the 'mutation' dependency group)" >&2
    exit 2
fi
target=$("$python" scripts/mutation_report.py --target "$module")   # fails on an unknown module
mapfile -t tests < <("$python" scripts/mutation_report.py --tests "$module")

# The per-module part of the configuration goes right under [tool.mutmut] of a
# fresh copy of pyproject.toml (again on --survivors: new test files count).
configure() {
    cp pyproject.toml "$work/pyproject.toml"
    "$python" - "$work/pyproject.toml" "$target" "${tests[@]}" <<'PY'
import json, sys
path, target, *tests = sys.argv[1:]
text = open(path, encoding="utf-8").read()
extra = f"only_mutate = {json.dumps([target])}\npytest_add_cli_args_test_selection = {json.dumps(tests)}\n"
header = "[tool.mutmut]\n"
assert header in text, "pyproject.toml has no [tool.mutmut] table"
open(path, "w", encoding="utf-8").write(text.replace(header, header + extra, 1))
PY
}

work=$root/.mutation/$module
export HYPOTHESIS_PROFILE=${HYPOTHESIS_PROFILE:-ci}
if $survivors; then
    [[ -d $work/mutants ]] || { echo "no earlier run in $work: run scripts/mutation.sh $module first" >&2; exit 2; }
    mapfile -t alive < <("$python" scripts/mutation_report.py --alive "$module" | sed "/^$/d")
    if [[ ${#alive[@]} -eq 0 ]]; then
        exec "$python" scripts/mutation_report.py --report "$module"
    fi
    rm -rf "$work/tests" "$work/mutants/mutmut-stats.json"   # new tests: collect again
    cp -r tests "$work"/
    configure
    cd "$work"
    status=0
    "$python" -m mutmut run "$@" "${alive[@]}" > mutmut.log 2>&1 || status=$?
    [[ $status -eq 0 ]] || { tail -n 40 mutmut.log >&2; exit "$status"; }
    cd "$root"
    exec "$python" scripts/mutation_report.py --report "$module"
fi
rm -rf "$work"
mkdir -p "$work"
cp -r src tests docs README.md "$work"/
find "$work" -name __pycache__ -prune -exec rm -rf {} +
configure

cd "$work"
status=0
"$python" -m mutmut run "$@" > mutmut.log 2>&1 || status=$?
if [[ $status -ne 0 ]]; then
    tail -n 40 mutmut.log >&2
    echo "mutmut failed (exit $status); the whole log is $work/mutmut.log" >&2
    exit "$status"
fi
cd "$root"
exec "$python" scripts/mutation_report.py --report "$module"
