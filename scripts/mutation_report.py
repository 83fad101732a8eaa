"""The helper behind scripts/mutation.sh: what to mutate, which tests, and the report.

    python scripts/mutation_report.py --target MODULE   # the only_mutate glob
    python scripts/mutation_report.py --tests MODULE    # the tests that exercise it
    python scripts/mutation_report.py --report MODULE [--diffs]   # .mutation/MODULE's results

The report prints mutants, killed, survived and the equivalent mutants listed
in docs/mutation.md, then every survivor that is not on that list (with the
command that shows its diff), and every listed one that no longer survives.
It exits 1 when a survivor is not on the list, so a clean run says "0 new".
"""

# ruff: noqa: T201, S603  (a command-line report; runs mutmut by its module path)
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "otocore"

#: Test files beyond tests/{unit,property,stateful}/test_<module>*.py that
#: exercise a module (the module's own doctests always run).
EXTRA_TESTS: dict[str, tuple[str, ...]] = {
    "rfv": ("tests/unit/test_windows.py", "tests/property/test_windows.py"),
    "distribution": (
        "tests/unit/test_windows.py",
        "tests/property/test_windows.py",
        "tests/unit/test_preferred_seller_vectors.py",
        "tests/property/test_preferred_seller.py",
        "tests/property/test_redistribution.py",
        "tests/unit/test_suggestion_limiter_vectors.py",
        "tests/property/test_suggestion_limiter.py",
    ),
    "quarantine": ("tests/unit/test_suggestions.py", "tests/unit/test_suggestions_vectors.py"),
    "auth": ("tests/stateful/test_lockout_machine.py", "tests/unit/test_security_policy_json.py"),
    "access": ("tests/unit/test_accounts.py",),
    "blocking": ("tests/stateful/test_consent_machine.py",),
    "contacts": ("tests/unit/test_attendance.py", "tests/property/test_quarantine.py"),
    "filters": ("tests/unit/test_campaigns.py",),
    "search": (
        "tests/unit/test_registry.py",
        "tests/unit/test_registry_vectors.py",
        "tests/property/test_registry.py",
    ),
    # the kernel's validation toolkit and window arithmetic, which the rules share
    "_validate": (
        "tests/unit/test_validate.py",
        "tests/unit/test_validate_factories.py",
        "tests/unit/test_values.py",
        "tests/unit/test_customers.py",
    ),
    "_time": (
        "tests/unit/test_windows.py",
        "tests/property/test_windows.py",
        "tests/unit/test_rfv.py",
        "tests/unit/test_distribution.py",
        "tests/unit/test_distribution_limits.py",
        "tests/unit/test_consent.py",
        "tests/unit/test_blocking.py",
        "tests/unit/test_quarantine.py",
        "tests/unit/test_time_limits.py",
    ),
}

#: Where each module's equivalent mutants are named, with why.
EQUIVALENTS = ROOT / "docs" / "mutation.md"
_ROW = re.compile(r"^\|\s*`?(?P<module>[\w.]+)`?\s*\|\s*`(?P<mutant>otocore\.[^`]+)`\s*\|")


def target(module: str) -> str:
    """The only_mutate glob of a module or package, relative to the root."""
    if not re.fullmatch(r"[a-z_]+", module):
        raise SystemExit(f"not a module name: {module!r}")
    if (PACKAGE / module).is_dir():
        return f"src/otocore/{module}/*"
    if (PACKAGE / f"{module}.py").is_file():
        return f"src/otocore/{module}.py"
    raise SystemExit(f"otocore has no module or package named {module!r}")


def tests(module: str) -> list[str]:
    """The test files (and doctest sources) that exercise ``module``."""
    source = target(module).removesuffix("/*")
    found = {
        str(path.relative_to(ROOT))
        for kind in ("unit", "property", "stateful")
        for path in (ROOT / "tests" / kind).glob(f"test_{module}*.py")
    }
    found.update(EXTRA_TESTS.get(module, ()))
    missing = [name for name in found if not (ROOT / name).exists()]
    if missing:
        raise SystemExit(f"listed tests do not exist: {missing}")
    return [*sorted(found), source]


def equivalents(module: str) -> dict[str, str]:
    """The mutants of ``module`` that docs/mutation.md lists as equivalent."""
    listed: dict[str, str] = {}
    for line in EQUIVALENTS.read_text(encoding="utf-8").splitlines():
        match = _ROW.match(line)
        if match and match["module"] == module:
            listed[match["mutant"]] = line
    return listed


def verdicts(module: str) -> dict[str, str]:
    """Each mutant of the last run of ``module`` and mutmut's verdict on it."""
    mutants = ROOT / ".mutation" / module / "mutants"
    metas = sorted(mutants.rglob("*.py.meta"))
    if not metas:
        raise SystemExit(f"no results under {mutants}: run scripts/mutation.sh {module} first")
    status: dict[str, int | None] = {}
    for meta in metas:
        status.update(json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"])
    # mutmut's own reading of its exit codes (imported here: --target and --tests
    # run without mutmut installed)
    from mutmut.stats import status_by_exit_code

    return {key: status_by_exit_code[code] for key, code in status.items()}


def alive(verdict: dict[str, str]) -> list[str]:
    """The mutants no test killed (a timeout is a kill: the mutant made a test loop)."""
    return sorted(k for k, v in verdict.items() if v not in {"killed", "timeout"})


def report(module: str, *, diffs: bool = False) -> int:
    """Print the figures of .mutation/MODULE and return the exit status."""
    mutants = ROOT / ".mutation" / module / "mutants"
    verdict = verdicts(module)
    counts = Counter(verdict.values())
    alive_ = alive(verdict)
    listed = equivalents(module)
    new = [k for k in alive_ if k not in listed]
    stale = sorted(k for k in listed if k not in alive_)
    total = len(verdict)
    killed = counts["killed"] + counts["timeout"]
    print(f"{module}: {total} mutants, {killed} killed ({100 * killed / max(total, 1):.1f}%)")
    print(f"  by verdict: {dict(sorted(counts.items()))}")
    print(f"  surviving: {len(alive_)}, equivalent (docs/mutation.md): {len(alive_) - len(new)}")
    print(f"  new survivors: {len(new)}")
    for key in new:
        print(f"    {key}: {verdict[key]}")
        if diffs:
            show = [sys.executable, "-m", "mutmut", "show", key]
            shown = subprocess.run(
                show, check=False, cwd=mutants.parent, capture_output=True, text=True
            )
            lines = shown.stdout.splitlines()
            print(
                "\n".join(
                    "      " + line
                    for line in lines
                    if line[:1] in "+-@" and line[:3] not in ("---", "+++")
                )
            )
    if new and not diffs:
        print(f"  each one's diff: (cd .mutation/{module} && mutmut show NAME), or --diffs")
    if stale:
        print(
            f"  listed as equivalent but no longer surviving ({len(stale)}): remove from the docs"
        )
        for key in stale:
            print(f"    {key}")
    return 1 if new or stale else 0


def main(argv: list[str]) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--target", metavar="MODULE")
    group.add_argument("--tests", metavar="MODULE")
    group.add_argument("--report", metavar="MODULE")
    group.add_argument("--alive", metavar="MODULE", help="the last run's surviving mutants")
    parser.add_argument("--diffs", action="store_true", help="with --report: each survivor's diff")
    args = parser.parse_args(argv)
    if args.target:
        print(target(args.target))
    elif args.tests:
        print("\n".join(tests(args.tests)))
    elif args.alive:
        print("\n".join(alive(verdicts(args.alive))))
    else:
        return report(args.report, diffs=args.diffs)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
