"""Start a student's process and turn what it sends back into typed events, under a watchdog.

Where the OS can fork, the process is forked from a server that has the catalogue (and what it
lists in ``PRELOAD``) imported already, so it starts in milliseconds; elsewhere it is a fresh
``python -m grader.worker``. Either way :func:`student_process` yields :class:`Started` and
:class:`Finished` per exercise and ends with one :class:`Stopped` event: the process exited, or was
killed because it ran past its deadline, sent too much, or sent something that is not JSON. What
comes back is parsed as JSON, never executed or unpickled.
"""
from __future__ import annotations

import importlib
import importlib.util
import json
import multiprocessing
import os
import selectors
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from grader.worker import forked_main

MAX_REPLY_BYTES = 4_000_000


class Limits(NamedTuple):
    """Time limits: per code cell and per call in CPU seconds (in the student's process, so a busy
    machine does not stop a correct notebook), per notebook and for start-up in wall seconds
    (enforced from outside by killing the process)."""

    cell: float = 3.0
    call: float = 1.0
    notebook: float = 30.0
    startup: float = 30.0


@dataclass(frozen=True)
class Started:
    """The process began an exercise."""
    exercise: str


@dataclass(frozen=True)
class Finished:
    """The process finished an exercise; ``reply`` is its plain-data report."""
    exercise: str
    reply: dict


class Stopped:
    """The process ended; ``why`` completes "its process ..." or "the notebook ..."."""
    why = "stopped"


@dataclass(frozen=True)
class Exited(Stopped):
    code: int

    @property
    def why(self) -> str:
        return f"stopped its process (exit code {self.code})"


@dataclass(frozen=True)
class TimedOut(Stopped):
    why = "did not finish within the time limit (an endless loop?); it was stopped"


@dataclass(frozen=True)
class Flooded(Stopped):
    why = "sent back more data than the grader accepts; it was stopped"


@dataclass(frozen=True)
class Garbled(Stopped):
    why = "sent back something that is not the grader's data (was the output tampered with?)"


def catalogue_paths(catalogue: str) -> list:
    """The folder the catalogue module is imported from, for the student's process."""
    spec = importlib.util.find_spec(catalogue)
    up = catalogue.count(".") + (1 if spec.submodule_search_locations else 0)
    return [str(Path(spec.origin).resolve().parents[up])]


_server = {}


def _fork_context(catalogue: str):
    """A forkserver context preloaded with the catalogue, or None where there is no forkserver."""
    if "context" not in _server:
        context = None
        if "forkserver" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("forkserver")
            preload = getattr(importlib.import_module(catalogue), "PRELOAD", ())
            context.set_forkserver_preload(["grader.worker", catalogue, *preload])
        _server["context"] = context
    return _server["context"]


def student_process(catalogue: str, folder: Path, names: list, limits: Limits, workdir: str):
    """Start one process grading the exercises ``names`` of ``folder``; yield its events."""
    context = _fork_context(catalogue)
    launch = _fresh_interpreter if context is None else _forked
    yield from launch(context, catalogue, str(folder), list(names), limits, workdir)


def _forked(context, catalogue, folder, names, limits, workdir):
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=forked_main, daemon=True, args=(
        sender, catalogue, catalogue_paths(catalogue), folder, names, limits.cell, limits.call,
        workdir))
    process.start()
    sender.close()

    def read():
        try:
            return [receiver.recv_bytes(MAX_REPLY_BYTES)]   # bytes, parsed as JSON: never unpickled
        except EOFError:
            process.join()
            return Exited(process.exitcode)
        except OSError:
            return Flooded()

    try:
        yield from _watch(receiver.poll, read, limits)
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join()
        process.close()


def _fresh_interpreter(context, catalogue, folder, names, limits, workdir):
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    env.update(MPLBACKEND="Agg", PYTHONHASHSEED="0", OMP_NUM_THREADS="1",
               OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1", PYTHONDONTWRITEBYTECODE="1",
               GRADER_CELL_S=str(limits.cell), GRADER_CALL_S=str(limits.call),
               GRADER_PATH=os.pathsep.join(catalogue_paths(catalogue)))
    process = subprocess.Popen([sys.executable, "-m", "grader.worker", catalogue, folder, *names],
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, cwd=workdir, env=env)
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    buffer = b""

    def read():
        nonlocal buffer
        chunk = os.read(process.stdout.fileno(), 65536)
        if not chunk:
            return Exited(process.wait())
        buffer += chunk
        if len(buffer) > MAX_REPLY_BYTES:        # one endless line must not grow without bound
            return Flooded()
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
    """The watchdog both transports share: the start-up deadline, then one per exercise; the cap
    on what a student process may send; parsing into events. ``wait(seconds)`` says whether data is
    ready; ``read()`` returns a list of messages (bytes), or the :class:`Stopped` event that ends it."""
    deadline, received = time.monotonic() + limits.startup, 0
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            yield TimedOut()
            return
        if not wait(min(left, 1.0)):
            continue
        messages = read()
        if isinstance(messages, Stopped):
            yield messages
            return
        for data in messages:
            received += len(data)
            event = Flooded() if received > MAX_REPLY_BYTES else parse(data)
            if isinstance(event, Started):
                deadline = time.monotonic() + limits.notebook
            yield event
            if isinstance(event, Stopped):
                return


def parse(data: bytes):
    """One message as :class:`Started`, :class:`Finished`, or :class:`Garbled` if it is neither."""
    try:
        message = json.loads(data)
    except (ValueError, RecursionError):
        return Garbled()
    if not isinstance(message, dict) or not isinstance(message.get("exercise"), str):
        return Garbled()
    if message.get("event") == "start":
        return Started(message["exercise"])
    if message.get("event") == "done":
        return Finished(message["exercise"], message)
    return Garbled()
