"""The student's side of grading, run inside the sandbox: ``python -I child.py MEMORY NPROC FSIZE CPU NOFILE``.

It reads one JSON job from stdin (the grader writes it and closes the pipe)::

    {"cell_seconds": 3, "call_seconds": 1, "drivers": {name: drive function, see grader.wire},
     "exercises": [{"exercise": "ex03", "cells": [[2, "python source"], ...],
                    "calls": {"ex03.first_step": [{"fn", "args", "kwargs", "drive"}, ...]}}, ...]}

The cells are already plain Python: the grader read the notebook, applied IPython's input
transformations (magics become ``get_ipython().run_line_magic(...)``) and removed the ``check(...)``
lines. For each exercise it prints the JSON lines ``{"event": "start", "exercise": ...}`` and
``{"event": "done", "exercise": ..., "notes": [...], "results": {...}}``. Nothing is compared here and
nothing here is secret: the grader checks every message, and a student who changes this process only
changes what their own process replies. It imports nothing of the grader but ``calls.py`` and
``wire.py``, mounted beside it.
"""
import asyncio
import ast
import json
import os
import sys
from typing import NamedTuple

_dumps, _loads = json.dumps, json.loads       # bound before student code runs


def limit_resources(memory, processes, file_size, cpu, open_files) -> None:
    """Caps inherited by every process the student starts; hard limits, so they cannot be raised."""
    import resource

    for limit, value in ((resource.RLIMIT_AS, memory), (resource.RLIMIT_NPROC, processes),
                         (resource.RLIMIT_FSIZE, file_size), (resource.RLIMIT_CPU, cpu),
                         (resource.RLIMIT_NOFILE, open_files), (resource.RLIMIT_CORE, 0)):
        resource.setrlimit(limit, (value, value))


class Shell:
    """What ``get_ipython()`` returns: enough of IPython for transformed cells to run as in Jupyter.
    Shell commands do nothing (there is nothing to run them on); ``%time``, ``%timeit`` and
    ``%%time`` run their code once; other magics do nothing."""

    def __init__(self, namespace):
        self.namespace = namespace

    def run_line_magic(self, name, line, _stack_depth=1):
        if name in ("time", "timeit", "prun") and line.strip():
            words = line.split()
            while name != "time" and words and words[0].startswith("-"):   # %timeit -n 3 -r 1 f()
                words = words[2:] if words[0] in ("-n", "-r", "-p", "-s") else words[1:]
            return run_source(" ".join(words) if name != "time" else line, self.namespace, "<magic>")
        return None

    def run_cell_magic(self, name, line, cell):
        if name in ("time", "timeit", "prun", "capture"):
            run_source(cell, self.namespace, "<magic>")

    def system(self, command):
        return None

    def getoutput(self, command, split=True):
        return []


def run_source(source, namespace, name):
    """Run one cell as IPython does: statements, and top-level ``await`` in an event loop."""
    code = compile(source, name, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    result = eval(code, namespace)          # noqa: S307 - the student's own code, in the sandbox
    if asyncio.iscoroutine(result):
        asyncio.new_event_loop().run_until_complete(result)


def execute(cells, seconds, time_limit, timeout_error) -> tuple:
    """Run the cells in a fresh namespace; returns (namespace, notes on errors)."""
    namespace, notes = {"__name__": "__main__"}, []
    namespace.update(get_ipython=lambda: shell, display=lambda *objects, **options: None)
    shell = Shell(namespace)
    for where, source in cells:          # where: "the cell defining ema", as the student finds it
        try:
            with time_limit(seconds):
                run_source(source, namespace, f"<{where}>")
        except timeout_error:
            notes.append(f"{where} did not finish within {seconds:g} s of CPU time; it was stopped")
        except BaseException as error:   # noqa: BLE001 - SystemExit included
            notes.append(f"{where} raised {type(error).__name__}: {str(error)[:200]}")
    return namespace, notes


class Call(NamedTuple):
    """What :func:`calls.run_call` needs of the grader's call: decoded arguments, the drive function."""

    fn: str
    args: tuple
    kwargs: dict
    drive: object = None


def _call(spec, drivers) -> Call:
    import wire

    return Call(spec["fn"], tuple((name, wire.decode(value)) for name, value in spec["args"]),
                dict(wire.decode(spec["kwargs"])), drivers.get(spec["drive"]))


class _Nowhere:
    """A text stream that keeps nothing: student prints cost time, never memory or disk."""

    def write(self, text):
        return len(text)

    def flush(self):
        pass


def main(argv) -> None:
    limit_resources(*(int(value) for value in argv))
    job = _loads(sys.stdin.buffer.read())
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8")
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 0)
    os.dup2(null, 1)
    os.dup2(null, 2)
    sys.stdout = sys.stderr = _Nowhere()
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import matplotlib

    matplotlib.use("Agg")
    import calls                                   # noqa: E402 - mounted beside this file
    import wire                                    # noqa: E402

    drivers = {name: wire.load_driver(spec) for name, spec in job["drivers"].items()}
    work = [(item["exercise"], item["cells"], {criterion: [_call(spec, drivers) for spec in specs]
                                               for criterion, specs in item["calls"].items()})
            for item in job["exercises"]]

    def send(message):
        channel.write(_dumps(message) + "\n")
        channel.flush()

    for exercise, cells, criteria in work:
        send({"event": "start", "exercise": exercise})
        namespace, notes = execute(cells, job["cell_seconds"], calls.time_limit, calls.TimeLimit)
        results = {criterion: [calls.run_call(call, namespace, job["call_seconds"]) for call in specs]
                   for criterion, specs in criteria.items()}
        send({"event": "done", "exercise": exercise, "notes": notes, "results": results})
    channel.close()
    os._exit(0)   # skip atexit handlers a student may have registered


if __name__ == "__main__":
    main(sys.argv[1:])
