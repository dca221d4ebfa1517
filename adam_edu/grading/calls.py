"""Call a student's functions on the grader's inputs and turn what comes back into plain data.

Runs in the student's process (see :mod:`adam_edu.grading.runner`) and, for the reference answers and
the mistake models, in the grader's. Each call has a CPU-time limit; an exception, a time-out or a
missing function becomes ``{"error": name, "message": text}``; arrays a call modified in place are
listed under ``"mutated"``.
"""
from __future__ import annotations

import contextlib
import signal
import threading

import numpy as np

import adam_edu as ae

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
