"""The grader's side: compare a student's plain-data answers with the reference, explain failures.

Everything here runs in the grader's process on JSON data the student's process sent back; the
expected answers and the mistake models' answers are computed here, from adam_edu, never there.
"""
from __future__ import annotations

import functools
import math
import re
from typing import NamedTuple

from adam_edu.grading import models
from adam_edu.grading.catalogue import MISTAKES
from adam_edu.grading.exercises import EXERCISES
from adam_edu.grading.calls import run_call

RTOL, ATOL = 1e-6, 1e-9


class CheckResult(NamedTuple):
    """How one check went: points earned, and for a failure the feedback and the mistake named."""

    id: str
    task: int
    title: str
    points: int
    max_points: int
    feedback: str = ""
    mistake: str | None = None

    @property
    def passed(self) -> bool:
        return self.points == self.max_points


@functools.lru_cache(maxsize=None)
def expected(exercise: str) -> dict:
    """The reference answers to every call of ``exercise`` (computed once per process)."""
    return _answers(models.reference(exercise), exercise)


@functools.lru_cache(maxsize=None)
def mistake_answers(exercise: str) -> tuple:
    """((mistake id, answers), ...) for every mistake model of ``exercise``."""
    return tuple((name, _answers(namespace, exercise)) for name, namespace in models.models(exercise))


def _answers(namespace: dict, exercise: str) -> dict:
    return {check.id: [run_call(spec, namespace) for spec in check.calls]
            for check in EXERCISES[exercise].checks}


def difference(got, want, path=""):
    """None if ``got`` matches ``want``; else (path, got part, wanted part, why).

    Numbers match to a relative 1e-6 (nan matches nan, inf matches inf of the same sign); lists
    must have the same length; a list may stand for a NamedTuple given as a dict.

    Examples
    --------
    >>> difference([1.0, 2.0], [1.0, 2.0 + 1e-12]) is None
    True
    >>> difference({"t": 0, "m": [0.1]}, {"t": 1, "m": [0.1]})
    ('.t', 0, 1, '')
    """
    if isinstance(want, bool) or want is None:
        return None if got == want else (path, got, want, "")
    if isinstance(want, (int, float)):
        if isinstance(got, bool) or not isinstance(got, (int, float)):
            return path, got, want, "not a number"
        if math.isnan(want) and math.isnan(got):
            return None
        return None if math.isclose(got, want, rel_tol=RTOL, abs_tol=ATOL) else (path, got, want, "")
    if isinstance(want, dict):
        if isinstance(got, list) and len(got) == len(want):   # a plain tuple for a NamedTuple
            got = dict(zip(want, got))
        if not isinstance(got, dict) or set(got) != set(want):
            return path, got, want, "not the same kind of result"
        for key in want:
            found = difference(got[key], want[key], f"{path}.{key}")
            if found:
                return found
        return None
    if not isinstance(got, list):
        return path, got, want, "not a list or array"
    if len(got) != len(want):
        return path, got, want, f"length {len(got)}, expected {len(want)}"
    for i, (g, w) in enumerate(zip(got, want)):
        found = difference(g, w, f"{path}[{i}]")
        if found:
            return found
    return None


def show(value, limit=6) -> str:
    """A short, readable rendering of plain data (4 significant digits, long lists cut).

    >>> show([0.123456, 2.0, {"t": 1, "m": [0.6], "v": [0.036]}])
    '[0.1235, 2, AdamState(t=1, m=[0.6], v=[0.036])]'
    """
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list):
        items = [show(v, limit) for v in value[:limit]]
        return "[" + ", ".join(items + (["..."] if len(value) > limit else [])) + "]"
    if isinstance(value, dict):
        if set(value) == {"t", "m", "v"}:
            return f"AdamState(t={show(value['t'])}, m={show(value['m'])}, v={show(value['v'])})"
        return "{" + ", ".join(f"{k}: {show(v, limit)}" for k, v in list(value.items())[:limit]) + "}"
    return repr(value)[:80]


def describe(spec: dict) -> str:
    """The call as a student would write it, with the grader's inputs."""
    if "loop" in spec:
        kwargs = ", ".join(f"{k}={v!r}" for k, v in spec["kwargs"].items())
        return (f"{spec['steps']} steps of {spec['fn']}(params, 2 * params, state, {kwargs}) on "
                f"x² + y² from {show(spec['x0'])}, each returned state passed to the next call")
    parts = [f"{name}={_show_arg(value)}" for name, value in spec["args"]]
    parts += [f"{key}={_show_arg(value)}" for key, value in spec["kwargs"].items()]
    return f"{spec['fn']}({', '.join(parts)})"


def _show_arg(value) -> str:
    if isinstance(value, dict) and "array" in value:
        return show(value["array"])
    if isinstance(value, dict) and "adam_state" in value:
        return show(value["adam_state"])
    return repr(value)


def _label(path: str, names: tuple) -> str:
    """Name the part of a result at ``path``: ``new_state.t``, ``θ_3[0]`` (loops), ``result[1]``."""
    loop = re.match(r"\.params\[(\d+)\](.*)", path)
    if loop:
        return f"θ_{loop.group(1)}{loop.group(2)}"
    if re.match(r"\.t\[(\d+)\]", path):
        return f"new_state.t after step {int(path[3:path.index(']')]) + 1}"
    if names and path.startswith("[") and path[1:path.index("]")].isdigit():
        index = int(path[1:path.index("]")])
        if index < len(names):
            return names[index] + path[path.index("]") + 1:]
    return "the result" + path if path else "the result"


def _failure_hint(result: dict, spec: dict, task: int) -> str:
    error = result.get("error")
    if error == "TypeError":
        return "Keep the signature from the exercise (the same argument names and keywords)."
    return ""


def grade_check(check, student: list, exercise: str) -> CheckResult:
    """Grade one check from the student's call results (plain data)."""
    want = expected(exercise)[check.id]
    lost = CheckResult(check.id, check.task, check.title, 0, check.points)
    for i, (spec, got, ref) in enumerate(zip(check.calls, student, want)):
        called = describe(spec)
        if not isinstance(got, dict) or ("value" not in got and "error" not in got):
            return lost._replace(feedback=f"Called {called}: no answer came back.")
        if got.get("error") == "NotImplementedError":
            return lost._replace(feedback=(
                f"Not written yet: {spec['fn']} raised NotImplementedError. Replace the "
                f"`raise NotImplementedError` line of Task {check.task} with your code."))
        if got.get("error") == "MissingFunction":
            return lost._replace(feedback=(
                f"Could not call {spec['fn']}: the notebook defines no function with that name "
                "(was it renamed, or is its cell not run yet?). Keep the name and signature from "
                "the exercise; the grader calls that function."))
        if got.get("error") == "TimeLimit":
            return lost._replace(feedback=(
                f"Called {called} and it did not finish ({got.get('message', '')}). "
                "Is there a loop that never ends?"))
        if "error" in got:
            message = f"Called {called} and it raised {got['error']}: {got.get('message', '')}"
            mistake = _match_error(got, check, exercise, i)
            hint = MISTAKES[mistake].hint if mistake else _failure_hint(got, spec, check.task)
            return lost._replace(feedback=f"{message}. {hint}".strip(), mistake=mistake)
        if check.pure:
            if got.get("mutated"):
                mutated = got["mutated"]
                changed = ", ".join(map(str, mutated)) if isinstance(mutated, list) else "an input"
                return lost._replace(mistake="mutated_inputs", feedback=(
                    f"Called {called}; afterwards {changed} had changed. "
                    f"{MISTAKES['mutated_inputs'].hint}"))
            continue
        found = difference(got["value"], ref["value"])
        if found:
            path, part, wanted, why = found
            mistake = _match_value(got["value"], check, exercise, i)
            message = (f"Called {called} and got {_label(path, check.names)} = {show(part)}"
                       f"{' (' + why + ')' if why else ''}; expected {show(wanted)}.")
            hint = MISTAKES[mistake].hint if mistake else "Compare your formula line by line with " \
                "the task's; the plot above shows where your version and adam_edu part."
            return lost._replace(feedback=f"{message} {hint}", mistake=mistake)
    return lost._replace(points=check.points)


def _match_value(value, check, exercise, index):
    for name, answers in mistake_answers(exercise):
        model = answers[check.id][index]
        if "value" in model and difference(value, model["value"]) is None:
            return name
    return None


def _match_error(result, check, exercise, index):
    if result["error"] == "ZeroDivisionError":
        for name, answers in mistake_answers(exercise):
            if name == "t_from_zero" and answers[check.id][index] != expected(exercise)[check.id][
                    index]:
                return name
    return None


def grade_results(exercise: str, results: dict) -> list:
    """[CheckResult] for every check of ``exercise`` from {check id: [call results]}."""
    results = results if isinstance(results, dict) else {}
    out = []
    for check in EXERCISES[exercise].checks:
        student = results.get(check.id)
        if not isinstance(student, list) or len(student) != len(check.calls):
            student = [{}] * len(check.calls)
        try:
            out.append(grade_check(check, student, exercise))
        except Exception:   # noqa: BLE001 - malformed data from a student's process scores 0
            out.append(CheckResult(check.id, check.task, check.title, 0, check.points,
                                   "The answer that came back could not be read."))
    return out
