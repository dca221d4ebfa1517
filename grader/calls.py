"""Call a student's functions on the grader's inputs and turn what comes back into plain data.

Runs in the student's process (see :mod:`grader.worker`) and, for the reference answers and the
mistake models, in the grader's. Each call has a CPU-time limit; an exception, a time-out or a
missing function becomes ``{"error": name, "message": text}``; arrays a call modified in place are
listed under ``"mutated"``.
"""
from __future__ import annotations

import contextlib
import copy
import signal
import threading

import numpy as np

MAX_ELEMENTS = 100_000       # a returned array larger than this is not sent back


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
    """``value`` as JSON-ready data: arrays become lists, NamedTuples dicts, anything else a note."""
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
    if isinstance(value, dict) and all(isinstance(key, str) for key in value):
        if len(value) > MAX_ELEMENTS:
            return {"unsupported": f"a dict of {len(value)} keys, too large to compare"}
        return {key: to_plain(item, depth + 1) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        if len(value) > MAX_ELEMENTS:
            return {"unsupported": f"a sequence of length {len(value)}, too large to compare"}
        return [to_plain(item, depth + 1) for item in value]
    return {"unsupported": f"an object of type {type(value).__name__}"}


def arrays(name: str, value):
    """(name, array) for ``value`` if it is an array, or for each array field of a NamedTuple."""
    if isinstance(value, np.ndarray):
        yield name, value
    elif isinstance(value, tuple) and hasattr(value, "_fields"):
        for field in value._fields:
            if isinstance(getattr(value, field), np.ndarray):
                yield f"{name}.{field}", getattr(value, field)


def run_call(call, namespace: dict, seconds: float = 0) -> dict:
    """Run one :class:`~grader.exercise.Call` on the functions in ``namespace``, as plain data."""
    fn = namespace.get(call.fn)
    if not callable(fn):
        return {"error": "MissingFunction", "message": f"no function named {call.fn} was defined"}
    names = [name for name, _ in call.args]
    args, kwargs = copy.deepcopy([value for _, value in call.args]), copy.deepcopy(call.kwargs)
    try:
        with time_limit(seconds), np.errstate(all="ignore"):
            if call.drive is not None:
                return {"value": to_plain(call.drive(fn, *args, **kwargs))}
            before = [(name, array.copy()) for arg_name, arg in zip(names, args)
                      for name, array in arrays(arg_name, arg)]
            result = to_plain(fn(*args, **kwargs))
            after = dict(pair for arg_name, arg in zip(names, args) for pair in arrays(arg_name, arg))
            mutated = [name for name, old in before
                       if not np.array_equal(old, after[name], equal_nan=True)]
            return {"value": result, "mutated": mutated}
    except BaseException as error:   # noqa: BLE001 - SystemExit and timeouts cost only this call
        return {"error": type(error).__name__, "message": str(error)[:300]}


def collect(exercise, namespace: dict, seconds: float = 0) -> dict:
    """{criterion id: [call results]} for every criterion of ``exercise``, run on ``namespace``."""
    return {criterion.id: [run_call(call, namespace, seconds) for call in criterion.calls]
            for criterion in exercise.criteria}
