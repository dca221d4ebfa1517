"""Timing helpers every benchmark uses, so every table looks alike.

``from benchmarks.timing import measure, table, machine_line``; ``python3 course.py bench`` runs the
benchmarks (``benchmarks/__main__.py``). Benchmarks are scripts, never timed tests: the figures depend
on the machine and its load, so every section prints the load average beside them.
"""
from __future__ import annotations

import gc
import os
import platform
import time

import numpy as np

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
