"""Run the speed benchmarks: every ``benchmarks/bench_*.py`` (or those named) and print their tables.

    python3 course.py bench                     all of them
    python3 course.py bench library             only bench_library.py (``bench_library`` also works)

Each ``bench_*.py`` defines ``main()``, which measures and prints plain-text tables using the helpers
in :mod:`benchmarks.timing`.
"""
from __future__ import annotations

import importlib
import sys
import time
import traceback
from pathlib import Path

from benchmarks.timing import load_line, machine_line

HERE = Path(__file__).resolve().parent


def discover(names: list[str]) -> list[str]:
    """The bench_*.py module stems, all of them or those named (with or without ``bench_``)."""
    found = sorted(p.stem for p in HERE.glob("bench_*.py"))
    if not names:
        return found
    chosen = []
    for name in names:
        stem = Path(name).stem
        stem = stem if stem.startswith("bench_") else f"bench_{stem}"
        if stem not in found:
            sys.exit(f"benchmark {name!r} not found; choose from {found}.")
        chosen.append(stem)
    return chosen


def main(argv: list[str]) -> int:
    if any(a in ("-h", "--help") for a in argv):
        print(__doc__)
        return 0
    failed = []
    for stem in discover(argv):
        print(f"=== {stem}.py ===  {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}")
        print(machine_line())
        started = time.perf_counter()
        try:
            importlib.import_module(f"benchmarks.{stem}").main()
        except Exception as error:   # report and go on: one broken benchmark must not hide the rest
            failed.append(f"{stem}.py")
            traceback.print_exc(file=sys.stdout)
            print(f"FAILED: {type(error).__name__}: {error}")
        print(f"({stem}.py took {time.perf_counter() - started:.1f} s; {load_line()})\n", flush=True)
    if failed:
        print(f"{len(failed)} benchmark(s) failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
