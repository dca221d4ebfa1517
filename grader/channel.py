"""The result channel from a student's process: what the grader accepts, and why it stopped one.

The process writes JSON lines: ``{"event": "start", "exercise": ...}`` when a notebook starts, then
``{"event": "done", "exercise", "notes", "results"}`` when its calls are answered. :func:`read`
takes them in order under the rules of :mod:`grader.isolated` (one wall-clock budget per student,
one ``Limits.notebook`` per notebook from its ``start``) and accepts a line only if it is the next
message expected, with known keys and plain values (:func:`accept`). Anything else ends the
process with a typed reason, a :class:`Stopped`: it :class:`Exited`, :class:`TimedOut`, was
:class:`Flooded` or :class:`Garbled`.
"""
from __future__ import annotations

import json
import os
import selectors
import time
from dataclasses import dataclass

MAX_REPLY_BYTES = 4_000_000
RESULT_KEYS = {"value", "error", "message", "mutated"}


class Stopped:
    """Why a student process was ended; ``why`` completes "the notebook ..." in a report."""

    why = "stopped"


@dataclass(frozen=True)
class Exited(Stopped):
    """The process ended on its own (a crash, ``sys.exit``, a kill) before it finished."""

    code: int

    @property
    def why(self) -> str:
        return f"stopped its process (exit code {self.code})"


@dataclass(frozen=True)
class TimedOut(Stopped):
    """The notebook's or the student's wall-clock budget ran out."""

    why = "did not finish within the time limit (an endless loop?); it was stopped"


@dataclass(frozen=True)
class Flooded(Stopped):
    """More than ``MAX_REPLY_BYTES`` came back."""

    why = "sent back more data than the grader accepts; it was stopped"


@dataclass(frozen=True)
class Garbled(Stopped):
    """A line that is not the next expected message (see :func:`accept`)."""

    why = ("sent back something that is not the grader's data (was the output tampered with?); "
           "it was stopped")


def accept(message, expected: str, phase: str, work: Work):
    """``message`` if it is the ``phase`` ("start" or "done") event for exercise ``expected``, with
    known keys and plain values; else None. A "done" carries the results of every call it was sent."""
    if not isinstance(message, dict) or message.get("exercise") != expected:
        return None
    if phase == "start":
        return message if message == {"event": "start", "exercise": expected} else None
    if set(message) != {"event", "exercise", "notes", "results"} or message["event"] != "done":
        return None
    notes, results = message["notes"], message["results"]
    if not (isinstance(notes, list) and all(isinstance(n, str) for n in notes)):
        return None
    if not (isinstance(results, dict) and set(results) == set(work.calls)):
        return None
    for check, answers in results.items():
        if not (isinstance(answers, list) and len(answers) == len(work.calls[check])):
            return None
        if not all(isinstance(a, dict) and set(a) <= RESULT_KEYS for a in answers):
            return None
    return {"notes": [note[:300] for note in notes[:20]], "results": results}


def read(process, todo: list, limits, deadline: float):
    """Yield (exercise, accepted "done" message) for each of ``todo`` (:class:`grader.isolated.Work`)
    in order, or (exercise, {"grader_error": why, "stopped": Stopped}) once, at the first failure."""
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    buffer, received, index, phase = b"", 0, 0, "start"
    until = deadline

    def fail(event: Stopped):
        return todo[index].exercise, {"grader_error": event.why, "stopped": event}

    try:
        while index < len(todo):
            left = until - time.monotonic()
            if left <= 0:
                yield fail(TimedOut())
                return
            if not selector.select(timeout=min(left, 1.0)):
                continue
            chunk = os.read(process.stdout.fileno(), 65536)
            if not chunk:
                yield fail(Exited(process.wait()))
                return
            received += len(chunk)
            if received > MAX_REPLY_BYTES:
                yield fail(Flooded())
                return
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            for line in lines:
                try:
                    message = json.loads(line)
                except (ValueError, RecursionError):
                    message = None
                accepted = accept(message, todo[index].exercise, phase, todo[index])
                if accepted is None:
                    yield fail(Garbled())
                    return
                if phase == "start":
                    phase, until = "done", min(deadline, time.monotonic() + limits.notebook)
                else:
                    yield todo[index].exercise, accepted
                    index, phase, until = index + 1, "start", deadline
    finally:
        selector.close()
