"""How snappy are the playgrounds? A control move must update the figure in <= 50 ms (median).

Finds every subclass of ``adam_edu.widgets.Playground`` defined in a module of
``adam_edu/playgrounds/``, builds it with its default controls (headless: ipywidgets works without a
kernel), then moves each control through several values programmatically, as a student would, and
records ``playground.last_update_ms`` (the recomputation and the redraw into the PNG). Sliders sweep
their range, checkboxes and toggles flip, selections cycle, a Play widget ticks forward step by step,
buttons found anywhere in the playground's widget tree are clicked. Every control goes back to its
default before the next one moves. A Play widget joined to a slider with ``jslink`` moves it only in a
browser; headless, that slider's own row stands for it (same update).

Run: ``python3 course.py bench playgrounds`` (or ``python -m benchmarks.bench_playgrounds``).
"""
from __future__ import annotations

import importlib
import inspect
import os
import pkgutil
import time

import numpy as np

from benchmarks.timing import fmt_ms, load_line, measure, summary, table

os.environ.setdefault("MPLBACKEND", "Agg")   # should a playground import pyplot: never open a window

TARGET_MS = 50.0
POSITIONS = 8     # distinct values each slider visits per pass
PASSES = 3        # sweeps per control (up, then down), so every control gets >= 24 moves


def discover() -> tuple[list[type], list[str]]:
    """Playground subclasses defined in adam_edu/playgrounds/*.py, and modules that failed to import."""
    import adam_edu.playgrounds as package
    from adam_edu.widgets import Playground

    classes, broken = [], []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        name = f"{package.__name__}.{info.name}"
        try:
            module = importlib.import_module(name)
        except Exception as error:   # a lesson helper may be mid-edit: report it, time the rest
            broken.append(f"{name}: {type(error).__name__}: {error}")
            continue
        classes += [cls for _, cls in inspect.getmembers(module, inspect.isclass)
                    if issubclass(cls, Playground) and cls is not Playground
                    and cls.__module__ == name and not inspect.isabstract(cls)]
    return classes, broken


def _grid(widget, count: int) -> list:
    """``count`` values spread over a numeric widget's [min, max], on its step grid."""
    low, high, step = widget.min, widget.max, widget.step or 0
    spread = np.linspace(low, high, count)
    if step:
        spread = np.clip(low + np.round((spread - low) / step) * step, low, high)
    if type(widget).__name__ == "FloatLogSlider":   # its min, max and step are exponents
        spread = widget.base ** spread
    cast = type(widget.value)
    return list(dict.fromkeys(cast(v) for v in spread))   # no duplicates, in order


def moves(widget) -> tuple[str, list] | None:
    """How to move ``widget``: ("value", values), ("index", indices), ("click", n) or None.

    The values end at the widget's default and never repeat the value before them (a move that
    changes nothing triggers no update).
    """
    kind, count = type(widget).__name__, POSITIONS * PASSES
    if kind == "Button":
        return "click", [None] * count
    if not hasattr(widget, "value"):
        return None
    if kind == "Play":   # ticks forward one step at a time, as when it plays
        start, step = widget.value, widget.step or 1
        return "value", [v for v in range(start + step, start + (count + 1) * step, step)
                         if v <= widget.max] + [start]
    if hasattr(widget, "options") and hasattr(widget, "index"):   # selection widgets
        how, start, path = "index", widget.index, list(range(len(widget.options)))
    elif isinstance(widget.value, bool):
        how, start, path = "value", widget.value, [not widget.value, widget.value]
    elif isinstance(widget.value, (int, float)) and hasattr(widget, "min") and hasattr(widget, "max"):
        how, start, path = "value", widget.value, _grid(widget, POSITIONS)
    else:
        return None   # text boxes, ranges: not moved
    sweep = (path + path[-2:0:-1]) if len(path) > 2 else path      # up, then down
    values, last = [], start
    for value in (sweep * count)[:count] + [start]:
        if value != last:
            values.append(value)
            last = value
    return how, values


def move_control(playground, widget) -> dict:
    """Move one control through its values; the update times and how many moves changed the image."""
    plan = moves(widget)
    if plan is None:
        return dict(times=[], cpu=[], changed=0, skipped=f"{type(widget).__name__} not moved")
    how, values = plan
    before_all = playground.values()
    times, cpu, changed, silent = [], [], 0, 0
    for value in values:
        before = playground.image.value
        playground.last_update_ms = None
        start = time.thread_time()
        if how == "click":
            widget.click()
        else:
            setattr(widget, how, value)
        spent = 1e3 * (time.thread_time() - start)
        if playground.last_update_ms is None:
            silent += 1          # the move triggered no refresh
            continue
        times.append(playground.last_update_ms)
        cpu.append(spent)
        changed += playground.image.value != before
    for name, value in before_all.items():   # a button may have moved other controls: undo, untimed
        if playground.inputs[name].value != value:
            playground.inputs[name].value = value
    return dict(times=times, cpu=cpu, changed=changed,
                skipped=f"{silent} moves without refresh" if silent else "")


def all_controls(playground) -> dict:
    """The playground's inputs, plus any Button in its widget tree (step buttons live outside
    ``inputs``, which holds only widgets with a value)."""
    controls, stack = dict(playground.inputs), [playground.widget]
    known = {id(w) for w in controls.values()}
    while stack:
        widget = stack.pop(0)
        stack += list(getattr(widget, "children", ()))
        if type(widget).__name__ == "Button" and id(widget) not in known:
            controls[f"button {widget.description or len(controls)!s}"] = widget
            known.add(id(widget))
    return controls


def _verdict(wall_ms: float, cpu_ms: float) -> str:
    """The target is on wall-clock time; say when only the load (not the code) misses it."""
    if wall_ms <= TARGET_MS:
        return "ok"
    return "OVER (cpu ok: load)" if cpu_ms <= TARGET_MS else "OVER"


def bench_playground(cls) -> tuple[list, list]:
    """Rows of the per-control table and the per-playground summary row for one class."""
    start = time.perf_counter()
    playground = cls()
    build_ms = 1e3 * (time.perf_counter() - start)
    rows, pooled, pooled_cpu = [], [], []
    for name, widget in all_controls(playground).items():
        result = move_control(playground, widget)
        if type(widget).__name__ == "Button" and not result["times"]:
            # A step button does nothing at the last step (the default of a step slider, say):
            # start the integer controls at their minimum, untimed, and click again.
            for control in playground.inputs.values():
                if type(control).__name__ == "IntSlider":
                    control.value = control.min
            result = move_control(playground, widget)
            result["skipped"] = ("clicked with int sliders at their min; " + result["skipped"]).strip("; ")
        pooled += result["times"]
        pooled_cpu += result["cpu"]
        if result["times"]:
            stats = summary(result["times"])
            verdict = _verdict(stats["median"], np.median(result["cpu"]))
            rows.append([cls.__name__, f"{name} ({type(widget).__name__})", stats["n"],
                         f"{result['changed']}/{stats['n']}", fmt_ms(stats["median"]),
                         fmt_ms(stats["p90"]), fmt_ms(max(result["times"])),
                         fmt_ms(np.median(result["cpu"])), verdict,
                         result["skipped"]])
        else:
            rows.append([cls.__name__, f"{name} ({type(widget).__name__})", 0, "-", "-", "-", "-",
                         "-", "-", result["skipped"]])
    blit = summary(measure(lambda: playground.render(), repeats=15))["median"]
    full = summary(measure(lambda: playground.render(full=True), repeats=10))["median"]
    overall = summary(pooled) if pooled else None
    summary_row = [f"{cls.__module__.rsplit('.', 1)[-1]}.{cls.__name__}", fmt_ms(build_ms),
                   overall["n"] if overall else 0,
                   fmt_ms(overall["median"]) if overall else "-",
                   fmt_ms(overall["p90"]) if overall else "-",
                   fmt_ms(np.median(pooled_cpu)) if overall else "-", fmt_ms(blit), fmt_ms(full),
                   f"{len(playground.image.value) / 1024:.0f}",
                   _verdict(overall["median"], np.median(pooled_cpu)) if overall else "-"]
    return rows, summary_row


def bench(classes: list[type], broken: list[str] = ()) -> None:
    """Time every class and print the per-control and per-playground tables."""
    print(f"start: {load_line()}")
    rows, summaries = [], []
    for cls in classes:
        try:
            control_rows, summary_row = bench_playground(cls)
        except Exception as error:   # one broken playground must not hide the others
            summaries.append([cls.__name__, "-", 0, "-", "-", "-", "-", "-", "-",
                              f"ERROR {type(error).__name__}: {error}"])
            continue
        rows += control_rows
        summaries.append(summary_row)
    if not classes:
        print("no Playground subclasses found in adam_edu/playgrounds/")
    for line in broken:
        print(f"could not import {line}")
    print(table(["playground", "control", "moves", "img changed", "median ms", "p90 ms", "max ms",
                 "cpu ms", f"<= {TARGET_MS:g} ms", "note"], rows,
                title="per control: last_update_ms (compute + redraw, wall clock) over programmatic "
                      "moves; cpu = median CPU time of a move (waiting for a core left out)"))
    print()
    print(table(["playground", "build ms", "moves", "median ms", "p90 ms", "cpu ms", "blit render ms",
                 "full render ms", "PNG kB", f"<= {TARGET_MS:g} ms"], summaries,
                title="per playground: all moves pooled; render = the PNG alone (blitted / full); "
                      "PNG kB = what each move sends to the browser"))
    print(f"end: {load_line()}\n")


def main() -> None:
    bench(*discover())


if __name__ == "__main__":
    main()
