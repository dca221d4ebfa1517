"""The student's side of grading: run a notebook's code, call its functions, reply with plain data.

``python -m adam_edu.grading FOLDER ex01 ex02 ...`` runs in its own process (started by
:mod:`adam_edu.grading.submission`). For each exercise it prints one JSON line ``{"event": "start"}``,
executes the notebook's code cells (not the ones that call ``check(...)``, not IPython magics), calls
the student's functions on the grader's inputs and prints ``{"event": "done", "results": ...}`` with
only numbers, lists, strings and booleans. Nothing is compared here: a student who patches numpy or
this module only changes what their own process replies.
"""
from __future__ import annotations

import contextlib
import copy
import json
import os
import re
import signal
import sys
import threading

import numpy as np

import adam_edu as ae

CHECK_CALL = re.compile(r"^\s*(?:from\s+adam_edu\.grading\s+import|check\s*\()", re.M)
MAX_ELEMENTS = 100_000       # a returned array larger than this is not sent back
_dumps = json.dumps          # bound before student code runs


class TimeLimit(BaseException):
    """Raised in the student's code when a cell or a call runs too long."""


@contextlib.contextmanager
def time_limit(seconds: float):
    """Raise :class:`TimeLimit` after ``seconds`` of CPU time (POSIX main thread; elsewhere no limit).

    CPU time, not wall time, so a busy machine grading a class in parallel does not stop a correct
    notebook; a student process that sleeps instead is stopped by the grader's wall-clock deadline.
    """
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable or not seconds:
        yield
        return

    def expire(signum, frame):
        raise TimeLimit(f"did not finish within {seconds:g} s of CPU time")

    previous = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def to_plain(value, depth=0):
    """``value`` as JSON-ready data: arrays become lists, NamedTuples dicts, anything else a repr."""
    if depth > 20:
        return {"unsupported": "nested too deeply"}
    if value is None or isinstance(value, (bool, np.bool_)):
        return None if value is None else bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value)
    if isinstance(value, np.ndarray):
        if value.size > MAX_ELEMENTS:
            return {"unsupported": f"an array of shape {value.shape}, too large to compare"}
        if value.dtype.kind not in "biuf":
            return {"unsupported": f"an array of dtype {value.dtype}"}
        return value.tolist()
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return {name: to_plain(getattr(value, name), depth + 1) for name in value._fields}
    if isinstance(value, (list, tuple)):
        if len(value) > MAX_ELEMENTS:
            return {"unsupported": f"a sequence of length {len(value)}, too large to compare"}
        return [to_plain(item, depth + 1) for item in value]
    return {"unsupported": f"an object of type {type(value).__name__}"}


def decode(value):
    """A call argument from its JSON spec: arrays, Adam states, or plain values."""
    if isinstance(value, dict) and "array" in value:
        return np.array(value["array"], dtype=float)
    if isinstance(value, dict) and "adam_state" in value:
        s = value["adam_state"]
        return ae.AdamState(s["t"], np.array(s["m"], dtype=float), np.array(s["v"], dtype=float))
    return value


def _arrays(name, value):
    if isinstance(value, np.ndarray):
        yield name, value
    elif isinstance(value, ae.AdamState):
        yield f"{name}.m", value.m
        yield f"{name}.v", value.v


def run_call(spec: dict, namespace: dict, seconds: float = 0) -> dict:
    """Run one call spec on the functions in ``namespace``; return ``{"value"|"error": ...}``."""
    fn = namespace.get(spec["fn"])
    if not callable(fn):
        return {"error": "MissingFunction", "message": f"no function named {spec['fn']} was defined"}
    try:
        with time_limit(seconds), np.errstate(all="ignore"):
            if "loop" in spec:
                return {"value": _run_loop(fn, spec)}
            args = [decode(value) for _, value in spec["args"]]
            kwargs = {key: decode(value) for key, value in spec["kwargs"].items()}
            before = [(name, array.copy()) for (arg_name, _), arg in zip(spec["args"], args)
                      for name, array in _arrays(arg_name, arg)]
            result = to_plain(fn(*args, **kwargs))
            after = dict(name_array for (arg_name, _), arg in zip(spec["args"], args)
                         for name_array in _arrays(arg_name, arg))
            mutated = [name for name, old in before
                       if not np.array_equal(old, after[name], equal_nan=True)]
            return {"value": result, "mutated": mutated}
    except BaseException as error:   # noqa: BLE001 - SystemExit and timeouts cost only this call
        return {"error": type(error).__name__, "message": str(error)[:300]}


def _run_loop(fn, spec):
    params = np.array(spec["x0"], dtype=float)
    state, path, t = ae.adam_init(params), [params.tolist()], []
    for _ in range(spec["steps"]):
        params, state = fn(params, 2 * np.asarray(params), state, **spec["kwargs"])
        path.append(to_plain(np.asarray(params, dtype=float)))
        t.append(to_plain(getattr(state, "t", None)))
    return {"params": path, "t": t}


def collect(exercise: str, namespace: dict, seconds: float = 0) -> dict:
    """{check id: [call results]} for every check of ``exercise``, run on ``namespace``."""
    from adam_edu.grading.exercises import EXERCISES

    return {check.id: [run_call(spec, namespace, seconds) for spec in check.calls]
            for check in EXERCISES[exercise].checks}


def code_cells(path) -> list:
    """The code cells the grader runs, as (cell number, source); raises ValueError if unreadable."""
    try:
        with open(path, encoding="utf-8") as handle:
            notebook = json.load(handle)
        cells = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
        sources = [cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
                   for cell in cells]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
        raise ValueError(f"{os.path.basename(path)} is not a readable notebook ({error})") from None
    lines = (lambda src: "\n".join("pass  # " + line if line.lstrip().startswith(("%", "!")) else line
                                   for line in src.splitlines()))
    return [(n, lines(src)) for n, src in enumerate(sources, 1) if not CHECK_CALL.search(src)]


def execute(path, seconds: float) -> tuple[dict, list]:
    """Run the notebook's code cells in a fresh namespace; returns (namespace, notes on errors)."""
    namespace, notes = {"__name__": "__student__"}, []
    for number, source in code_cells(path):
        try:
            with time_limit(seconds):
                exec(compile(source, f"<code cell {number}>", "exec"), namespace)   # noqa: S102
        except TimeLimit:
            notes.append(f"code cell {number} did not finish within {seconds:g} s of CPU time; it was stopped")
        except BaseException as error:   # noqa: BLE001 - SystemExit included
            notes.append(f"code cell {number} raised {type(error).__name__}: {str(error)[:200]}")
    return namespace, notes


class _Capped:
    """A text stream that keeps nothing: student prints cost time, never memory or disk."""

    def write(self, text):
        return len(text)

    def flush(self):
        pass


def _silence() -> None:
    """Send the student's prints (Python and C level) nowhere."""
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    sys.stdout = sys.stderr = _Capped()


def serve(folder: str, exercises: list, cell_seconds: float, call_seconds: float, send) -> None:
    """Grade ``exercises`` of ``folder`` in this process, calling ``send(message)`` for each event."""
    for exercise in exercises:
        send({"event": "start", "exercise": exercise})
        path = os.path.join(folder, _notebook_name(exercise))
        if not os.path.isfile(path):
            send({"event": "done", "exercise": exercise, "missing": True, "notes": [], "results": {}})
            continue
        try:
            namespace, notes = execute(path, cell_seconds)
        except ValueError as error:
            send({"event": "done", "exercise": exercise, "unreadable": str(error), "notes": [],
                  "results": {}})
            continue
        send({"event": "done", "exercise": exercise, "notes": notes,
              "results": collect(exercise, namespace, call_seconds)})


def forked_main(connection, folder, exercises, cell_seconds, call_seconds, workdir) -> None:
    """Entry point in a process forked from the preloaded fork server: replies on ``connection``."""
    os.chdir(workdir)
    limit_resources()
    _silence()
    send_bytes, dumps = connection.send_bytes, _dumps
    serve(folder, exercises, cell_seconds, call_seconds,
          lambda message: send_bytes(dumps(message).encode("utf-8")))
    connection.close()
    os._exit(0)   # skip atexit handlers a student may have registered


def main(argv: list) -> None:
    """Entry point of ``python -m adam_edu.grading FOLDER ex..``: replies as JSON lines on stdout."""
    folder, exercises = argv[0], argv[1:]
    cell_seconds, call_seconds = float(os.environ.get("ADAM_EDU_CELL_S", 5)), float(
        os.environ.get("ADAM_EDU_CALL_S", 2))
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8")
    limit_resources()
    _silence()
    serve(folder, exercises, cell_seconds, call_seconds,
          lambda message: (channel.write(_dumps(message) + "\n"), channel.flush()))
    channel.close()
    os._exit(0)


def limit_resources() -> None:
    """At most 4 GiB of memory and 64 MiB per written file (POSIX; elsewhere nothing)."""
    try:
        import resource
    except ImportError:
        return
    for limit, value in ((resource.RLIMIT_AS, 4 << 30), (resource.RLIMIT_FSIZE, 64 << 20)):
        try:
            resource.setrlimit(limit, (value, value))
        except (ValueError, OSError):
            pass


def _notebook_name(exercise: str) -> str:
    from adam_edu.grading.submission import NOTEBOOKS

    return NOTEBOOKS[exercise]


if __name__ == "__main__":
    main(sys.argv[1:])
