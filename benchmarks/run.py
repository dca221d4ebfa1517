"""Run the speed benchmarks: every ``benchmarks/bench_*.py`` (or those named) and print their tables.

    python3 course.py bench                     all of them
    python3 course.py bench library             only bench_library.py (``bench_library`` also works)

Each ``bench_*.py`` defines ``main()``, which measures and prints plain-text tables using the helpers
below (``from run import measure, table, machine_line``). Benchmarks are scripts, never timed tests:
the figures depend on the machine and its load, so every section prints the load average beside them.
"""
from __future__ import annotations

import gc
import importlib.util
import os
import platform
import sys
import time
import traceback
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def measure(func, *, repeats: int, warmup: int = 2, budget_s: float | None = None) -> np.ndarray:
    """Call ``func()`` ``warmup`` times untimed, then ``repeats`` times; return the times in ms.

    With ``budget_s`` the timed calls stop early once that many seconds have passed (at least 5 calls
    are always made), so a slow case cannot blow the benchmark's total runtime.
    """
    for _ in range(warmup):
        func()
    gc.collect()
    times, started = [], time.perf_counter()
    for i in range(repeats):
        start = time.perf_counter()
        func()
        times.append(1e3 * (time.perf_counter() - start))
        if budget_s is not None and i >= 4 and time.perf_counter() - started > budget_s:
            break
    return np.array(times)


def measure_interleaved(funcs: dict, *, repeats: int, warmup: int = 2) -> dict:
    """Like :func:`measure` for several functions, called in turn in every round.

    Returns name -> {"wall": ms, "cpu": ms}: wall-clock time and the thread's CPU time of every call
    (CPU time leaves out the time spent waiting for a core, so it barely moves with the load). On a
    busy machine the load drifts; interleaving exposes every function to the same drift, so their
    ratio is more trustworthy than that of two series measured one after the other.
    """
    for func in funcs.values():
        for _ in range(warmup):
            func()
    gc.collect()
    times = {name: {"wall": [], "cpu": []} for name in funcs}
    for _ in range(repeats):
        for name, func in funcs.items():
            wall, cpu = time.perf_counter(), time.thread_time()
            func()
            times[name]["cpu"].append(1e3 * (time.thread_time() - cpu))
            times[name]["wall"].append(1e3 * (time.perf_counter() - wall))
    return {name: {k: np.array(v) for k, v in series.items()} for name, series in times.items()}


def summary(times_ms) -> dict:
    """Median, 90th percentile, minimum and count of a series of times in ms (or of the wall times
    of a :func:`measure_interleaved` entry, with ``cpu`` the median CPU time)."""
    cpu = None
    if isinstance(times_ms, dict):
        cpu, times_ms = float(np.median(times_ms["cpu"])), times_ms["wall"]
    times_ms = np.asarray(times_ms, dtype=float)
    return dict(median=float(np.median(times_ms)), p90=float(np.percentile(times_ms, 90)),
                min=float(times_ms.min()), n=len(times_ms), cpu=cpu)


def fmt_ms(value) -> str:
    """A time in ms with 3 significant digits ('-' for None)."""
    if value is None:
        return "-"
    return f"{value:.3g}" if value < 1000 else f"{value:.0f}"


def table(headers: list[str], rows: list[list], title: str = "") -> str:
    """A plain-text table: first column left-aligned, the others right-aligned."""
    cells = [[str(c) for c in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row):
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths)))

    out = [title] if title else []
    out += [line(cells[0]), "  ".join("-" * w for w in widths)] + [line(row) for row in cells[1:]]
    return "\n".join(out)


def load_line() -> str:
    """The 1/5/15-minute load averages and the CPU count, to judge how busy the machine was."""
    try:
        one, five, fifteen = os.getloadavg()
        return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"
    except OSError:   # not available on Windows
        return f"load average unavailable; {os.cpu_count()} CPUs"


def machine_line() -> str:
    return (f"{platform.machine()} {platform.system()} {platform.release()}, Python "
            f"{platform.python_version()}, numpy {np.__version__}; {load_line()}")


def discover(names: list[str]) -> list[Path]:
    """The bench_*.py files, all of them or those named (with or without the ``bench_`` prefix)."""
    found = {p.stem: p for p in sorted(HERE.glob("bench_*.py"))}
    if not names:
        return list(found.values())
    chosen = []
    for name in names:
        stem = Path(name).stem
        stem = stem if stem.startswith("bench_") else f"bench_{stem}"
        if stem not in found:
            sys.exit(f"benchmark {name!r} not found; choose from {sorted(found)}.")
        chosen.append(found[stem])
    return chosen


def main(argv: list[str]) -> int:
    if any(a in ("-h", "--help") for a in argv):
        print(__doc__)
        return 0
    sys.path.insert(0, str(HERE))     # so bench modules can `from run import ...`
    sys.modules.setdefault("run", sys.modules[__name__])   # ... without importing this file twice
    failed = []
    for path in discover(argv):
        print(f"=== {path.name} ===  {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}")
        print(machine_line())
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        started = time.perf_counter()
        try:
            spec.loader.exec_module(module)
            module.main()
        except Exception as error:   # report and go on: one broken benchmark must not hide the rest
            failed.append(path.name)
            traceback.print_exc(file=sys.stdout)
            print(f"FAILED: {type(error).__name__}: {error}")
        print(f"({path.name} took {time.perf_counter() - started:.1f} s; {load_line()})\n", flush=True)
    if failed:
        print(f"{len(failed)} benchmark(s) failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
