"""Run one student's notebooks in the sandbox and bring back only well-formed answers.

:func:`run_student` is the one place a student process starts. The grader's process reads the
notebooks (:mod:`grader.notebook_source`), copies them into a private folder, starts the sandbox
(:mod:`grader.sandbox`; without it, a plain separate process and a warning from the CLI), sends the
code and the calls on stdin and reads JSON lines back under three rules:

- one wall-clock budget for the whole student, ``Limits.startup + Limits.notebook × notebooks``,
  fixed when the student starts, and inside it one ``Limits.notebook`` per notebook, started by the
  grader when that notebook's ``start`` arrives: a second ``start`` is a protocol error, not more time;
- a message is accepted only if it is the next one expected, with known keys and plain values
  (:mod:`grader.channel`); anything else, a crash, a kill, a flood or a hang ends the process,
  costs the notebook it was on (a "grader error" note) and the notebooks still to do run in a
  fresh sandbox within what is left of the budget;
- when it returns, every process of the student has ended (the sandbox's PID namespace, its cgroup)
  and its folders are deleted; the student never had write access to them.
"""
from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

from grader import channel, notebook_source, sandbox


class Limits(NamedTuple):
    """CPU seconds per code cell and per call (inside); wall seconds per notebook and for start-up."""

    cell: float = 3.0
    call: float = 1.0
    notebook: float = 30.0
    startup: float = 30.0


class Work(NamedTuple):
    """One notebook to grade: its exercise name, file name and {criterion id: [encoded call]}
    (see :mod:`grader.wire`)."""

    exercise: str
    notebook: str
    calls: dict


def prepare(folder: Path, work: list, private: Path) -> tuple:
    """Read each notebook (grader side); copy it into ``private``/submission. Returns
    ({exercise: [(cell number, source)]}, {exercise: outcome for notebooks that cannot run})."""
    copies = private / "submission"
    copies.mkdir()
    cells, outcomes = {}, {}
    for item in work:
        path, note = notebook_source.find(folder, item.notebook)
        if path is None:
            outcomes[item.exercise] = {"missing": f"{item.notebook} is missing from the folder."}
            continue
        try:
            data = notebook_source.read(path)
            (copies / item.notebook).write_bytes(data)
            cells[item.exercise] = notebook_source.code_cells(data, path.name)
        except ValueError as error:
            outcomes[item.exercise] = {"unreadable": f"{error}; fix or replace the file to be graded."}
            continue
        outcomes[item.exercise] = {"notes": [note] if note else [], "cells": cells[item.exercise]}
    return cells, outcomes


def run_student(folder, work: list, drivers: dict, limits: Limits = Limits(),
                caps: sandbox.Caps = sandbox.Caps(), library: str | None = None,
                hidden: tuple = ()) -> dict:
    """Grade ``work`` (:class:`Work` items) of ``folder``; ``drivers`` are the drive functions its
    calls name (:func:`grader.wire.driver`); ``library`` and ``hidden`` as for
    :func:`grader.sandbox.command`. Returns {exercise: {"notes": [...], "cells": [...]} plus
    "results" (the process's answers), or "missing", "unreadable" or "grader_error" (why)}."""
    folder = Path(folder)
    private = Path(tempfile.mkdtemp(prefix="adam-edu-student-"))
    try:
        cells, outcomes = prepare(folder, work, private)
        todo = [item for item in work if item.exercise in cells]
        deadline = time.monotonic() + limits.startup + limits.notebook * len(todo)
        while todo:
            argv, cwd = _command(private, caps, library, hidden)
            for exercise, outcome in _one_process(argv, cwd, todo, cells, drivers, limits, caps,
                                                  private, deadline):
                notes = outcomes[exercise]["notes"] + outcome.get("notes", [])
                outcomes[exercise] = {**outcomes[exercise], **outcome, "notes": notes}
                todo = [item for item in todo if item.exercise != exercise]
                if "grader_error" in outcome and time.monotonic() >= deadline:
                    for item in todo:
                        outcomes[item.exercise]["grader_error"] = ("not run: the student's time "
                                                                   "budget was used up")
                    todo = []
        return outcomes
    finally:
        shutil.rmtree(private, ignore_errors=True)


def _command(private: Path, caps: sandbox.Caps, library, hidden) -> tuple:
    if sandbox.isolation().available:
        return sandbox.command(sandbox.child_argv(caps), str(private / "submission"), caps, library,
                               hidden), None
    child = private / "child"                 # no sandbox: the same runner, in a plain process
    child.mkdir(exist_ok=True)
    for name, source in sandbox.CHILD_FILES.items():
        shutil.copyfile(source, child / name)
    work = private / "work"
    work.mkdir(exist_ok=True)
    return [sys.executable, "-I", str(child / "child.py"), *sandbox.child_argv(caps)[3:]], work


def _one_process(argv: list, cwd, todo: list, cells: dict, drivers: dict, limits: Limits, caps,
                 private: Path, deadline: float):
    """Yield (exercise, outcome) from one student process, ending it at the first failure."""
    job = {"cell_seconds": limits.cell, "call_seconds": limits.call, "drivers": drivers,
           "exercises": [{"exercise": item.exercise,     # each cell named as the student finds it
                          "cells": [[notebook_source.cell_label(python), python]
                                    for _, python in cells[item.exercise]],
                          "calls": item.calls} for item in todo]}
    group = sandbox.Cgroup(caps) if sandbox.isolation().cgroup else None
    env = {"PATH": "/usr/bin:/bin", "MPLBACKEND": "Agg", "PYTHONHASHSEED": "0", "LANG": "C.UTF-8",
           "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "HOME": str(cwd or private)}
    try:
        process = subprocess.Popen(group.wrap(argv) if group else argv, stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                   cwd=cwd or private, env=env, start_new_session=True)
        try:
            with contextlib.suppress(OSError):
                process.stdin.write(json.dumps(job).encode("utf-8"))
                process.stdin.close()
            yield from channel.read(process, todo, limits, deadline)
        finally:
            if process.poll() is None:
                process.kill()
            process.wait()
            process.stdout.close()
    finally:
        if group is not None:             # the student's last processes, then the cgroup itself
            group.remove()
