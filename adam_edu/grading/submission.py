"""Grade one student's folder: run their notebooks in a separate, time-limited process.

One process runs all of a student's notebooks. Where the OS can fork, that process is forked from a
server that has numpy, matplotlib and adam_edu imported already (importing them is most of the cost
of grading), so it starts in milliseconds; elsewhere it is a fresh ``python -m adam_edu.grading``.
It reports each notebook as it finishes. If it hangs, crashes or floods its output during a notebook,
it is killed, that notebook scores 0 with a note saying why, and a fresh process grades the notebooks
still to do: one broken notebook costs its own checks and nothing else. The process runs in a
temporary directory, never in the submission, and nothing it sends back is executed or unpickled.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import selectors
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

from adam_edu.grading import runner
from adam_edu.grading.compare import CheckResult, grade_results
from adam_edu.grading.exercises import EXERCISES

NOTEBOOKS = {"ex01": "ex01_moments.ipynb", "ex02": "ex02_adam_step.ipynb",
             "ex03": "ex03_bias_correction.ipynb", "ex04": "ex04_snr.ipynb"}
MAX_REPLY_BYTES = 4_000_000


class Limits(NamedTuple):
    """Time limits: per code cell and per call in CPU seconds (in the student's process, so a busy
    machine does not stop a correct notebook), per notebook and for start-up in wall seconds
    (enforced from outside by killing the process)."""

    cell: float = 3.0
    call: float = 1.0
    notebook: float = 30.0
    startup: float = 30.0


class ExerciseResult(NamedTuple):
    exercise: str
    title: str
    checks: list                 # [CheckResult]
    notes: list                  # cell errors, time-outs, a missing notebook ...

    @property
    def points(self) -> int:
        return sum(check.points for check in self.checks)

    @property
    def max_points(self) -> int:
        return sum(check.max_points for check in self.checks)


def _all_lost(exercise: str, note: str) -> ExerciseResult:
    checks = [CheckResult(c.id, c.task, c.title, 0, c.points, note) for c in EXERCISES[exercise].checks]
    return ExerciseResult(exercise, EXERCISES[exercise].title, checks, [note])


def _environment(limits: Limits) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    env.update(MPLBACKEND="Agg", PYTHONHASHSEED="0", OMP_NUM_THREADS="1",
               OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1", ADAM_EDU_CELL_S=str(limits.cell),
               ADAM_EDU_CALL_S=str(limits.call), PYTHONDONTWRITEBYTECODE="1")
    return env


_server = {}


def _fork_context():
    """A forkserver context preloaded with numpy, matplotlib and adam_edu, or None if unavailable."""
    if "context" not in _server:
        context = None
        if "forkserver" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["adam_edu.grading._preload"])
        _server["context"] = context
    return _server["context"]


def _run_process(folder: Path, exercises: list, limits: Limits, workdir: str):
    """Yield (event dict | failure str) from one student process until it ends or is killed."""
    context = _fork_context()
    if context is None:
        yield from _run_subprocess(folder, exercises, limits, workdir)
        return
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=runner.forked_main, daemon=True, args=(
        sender, str(folder), list(exercises), limits.cell, limits.call, workdir))
    process.start()
    sender.close()

    def read():
        try:
            return [receiver.recv_bytes(MAX_REPLY_BYTES)]   # bytes, parsed as JSON: never unpickled
        except EOFError:
            process.join()
            return f"exit {process.exitcode}"
        except OSError:
            return "flood"

    try:
        yield from _watch(receiver.poll, read, limits)
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join()
        process.close()


def _run_subprocess(folder: Path, exercises: list, limits: Limits, workdir: str):
    """Like :func:`_run_process`, starting a fresh interpreter (where fork is unavailable)."""
    command = [sys.executable, "-m", "adam_edu.grading", str(folder), *exercises]
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, cwd=workdir, env=_environment(limits))
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    buffer = b""

    def read():
        nonlocal buffer
        chunk = os.read(process.stdout.fileno(), 65536)
        if not chunk:
            return f"exit {process.wait()}"
        buffer += chunk
        if len(buffer) > MAX_REPLY_BYTES:        # one endless line must not grow without bound
            return "flood"
        *lines, buffer = buffer.split(b"\n")
        return lines

    try:
        yield from _watch(lambda seconds: bool(selector.select(timeout=seconds)), read, limits)
    finally:
        selector.close()
        if process.poll() is None:
            process.kill()
        process.wait()
        process.stdout.close()


def _watch(wait, read, limits: Limits):
    """The watchdog both transports share: the start-up deadline, then one per notebook; the cap on
    what a student process may send; JSON parsing. ``wait(seconds)`` says whether data is ready;
    ``read()`` returns a list of messages, or a failure string (``exit N``, ``flood``) that ends it."""
    deadline, received = time.monotonic() + limits.startup, 0
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            yield "timeout"
            return
        if not wait(min(left, 1.0)):
            continue
        messages = read()
        if isinstance(messages, str):
            yield messages
            return
        for data in messages:
            received += len(data)
            if received > MAX_REPLY_BYTES:
                yield "flood"
                return
            event = _parse(data)
            if isinstance(event, dict) and event.get("event") == "start":
                deadline = time.monotonic() + limits.notebook
            yield event
            if event == "garbled":
                return


def _parse(line: bytes):
    try:
        return json.loads(line)
    except (ValueError, RecursionError):
        return "garbled"


WHY = {"timeout": "did not finish within the time limit (an endless loop?); it was stopped",
       "flood": "sent back more data than the grader accepts; it was stopped",
       "garbled": "sent back something that is not the grader's data (was the output tampered with?)"}


def grade_folder(folder, exercises=None, limits: Limits = Limits()) -> list:
    """Grade a student's folder of notebooks; returns an ExerciseResult per exercise."""
    folder = Path(folder).resolve()
    pending = list(exercises or NOTEBOOKS)
    done: dict = {}
    with tempfile.TemporaryDirectory(prefix="adam-edu-grading-") as workdir:
        while pending:
            current, started_any = None, False
            for event in _run_process(folder, pending, limits, workdir):
                if isinstance(event, str):
                    why = WHY.get(event, f"stopped its process ({event.replace('exit', 'exit code')})")
                    if current is None:
                        for name in pending:
                            done[name] = _all_lost(name, f"The grader could not run this notebook: "
                                                         f"its process {why}.")
                        pending = []
                    else:
                        done[current] = _all_lost(current, f"{NOTEBOOKS[current]} {why}.")
                        pending.remove(current)
                    break
                name = event.get("exercise")
                if name not in pending:
                    continue
                if event.get("event") == "start":
                    current, started_any = name, True
                elif event.get("event") == "done" and name == current:
                    try:
                        done[name] = _exercise_result(name, event)
                    except Exception:   # noqa: BLE001 - malformed data from the student's process
                        done[name] = _all_lost(name, f"{NOTEBOOKS[name]}: {WHY['garbled']}.")
                    pending.remove(name)
                    current = None
            else:
                pending = [] if not started_any else pending
    return [done[name] for name in (exercises or NOTEBOOKS) if name in done]


def _exercise_result(name: str, event: dict) -> ExerciseResult:
    if event.get("missing"):
        return _all_lost(name, f"{NOTEBOOKS[name]} is missing from the folder.")
    if event.get("unreadable"):
        return _all_lost(name, f"{event['unreadable']}; fix or replace the file to be graded.")
    notes = [str(note)[:300] for note in event.get("notes", [])][:20]
    return ExerciseResult(name, EXERCISES[name].title, grade_results(name, event.get("results")),
                          notes)
