"""Score a student's answers: compare them with the reference, name the mistake, write the feedback.

Everything here runs in the grader's process on plain data; the expected answers and the mistake
models' answers are computed here, from the exercise module's own functions, never in the
student's process.
"""
from __future__ import annotations

import functools
import json

from grader.calls import collect
from grader.compare import describe, difference, label, show
from grader.results import CriterionResult, ExerciseResult


@functools.cache
def expected(exercise) -> dict:
    """The reference answers to every call of ``exercise`` (computed once per process)."""
    return collect(exercise, exercise.reference)


@functools.cache
def mistake_answers(exercise) -> tuple:
    """((mistake, answers), ...) for every model of every mistake of ``exercise``, in order."""
    return tuple((mistake, collect(exercise, model)) for mistake in exercise.mistakes
                 for model in mistake.models)


def grade_criterion(exercise, criterion, student: list) -> CriterionResult:
    """Grade one criterion from the student's call results (plain data)."""
    want = expected(exercise)[criterion.id]
    lost = CriterionResult(criterion.id, criterion.task, criterion.title, 0, criterion.points)
    for index, (call, got, ref) in enumerate(zip(criterion.calls, student, want)):
        called = describe(call)
        if not isinstance(got, dict) or ("value" not in got and "error" not in got):
            return lost._replace(feedback=f"Called {called}: no answer came back.")
        if "error" in got:
            feedback, mistake = _error_feedback(exercise, criterion, index, got, called)
            return lost._replace(feedback=feedback, mistake=mistake)
        if criterion.pure:
            if got.get("mutated"):
                mutated = got["mutated"]
                changed = ", ".join(map(str, mutated)) if isinstance(mutated, list) else "an input"
                mistake = exercise.mutation
                return lost._replace(mistake=mistake and mistake.name, feedback=(
                    f"Called {called}; afterwards {changed} had changed. "
                    f"{mistake.hint if mistake else 'Return new values; leave the inputs as they were.'}"))
            continue
        found = difference(got["value"], ref["value"])
        if found:
            mistake = next((m for m, answers in mistake_answers(exercise)
                            if "value" in answers[criterion.id][index]
                            and difference(got["value"], answers[criterion.id][index]["value"]) is None),
                           None)
            message = (f"Called {called} and got {label(found.path, criterion.names, call)} = "
                       f"{show(found.got)}{' (' + found.why + ')' if found.why else ''}; "
                       f"expected {show(found.want)}.")
            hint = mistake.hint if mistake else ("Compare your formula line by line with the "
                                                 "task's; the plot above shows where your version "
                                                 "and the reference part.")
            return lost._replace(feedback=f"{message} {hint}", mistake=mistake and mistake.name)
    return lost._replace(points=criterion.points)


def _error_feedback(exercise, criterion, index: int, got: dict, called: str) -> tuple:
    """(feedback, mistake name or None) for a call that raised, timed out or found no function."""
    error, message, fn = got["error"], got.get("message", ""), criterion.calls[index].fn
    if error == "NotImplementedError":
        return (f"Not written yet: {fn} raised NotImplementedError. Replace the "
                f"`raise NotImplementedError` line of Task {criterion.task} with your code."), None
    if error == "MissingFunction":
        return (f"Could not call {fn}: the notebook defines no function with that name (was it "
                "renamed, or is its cell not run yet?). Keep the name and signature from the "
                "exercise; the grader calls that function."), None
    if error == "TimeLimit":
        return f"Called {called} and it did not finish ({message}). Is there a loop that never ends?", None
    # A mistake known to raise this error, if this very call gives a different answer with it.
    reference = expected(exercise)[criterion.id][index]
    mistake = next((m for m, answers in mistake_answers(exercise) if error in m.raises
                    and answers[criterion.id][index] != reference), None)
    hint = (mistake.hint if mistake else "Keep the signature from the exercise (the same argument "
            "names and keywords)." if error == "TypeError" else "")
    return f"Called {called} and it raised {error}: {message}. {hint}".strip(), mistake and mistake.name


def grade_results(exercise, results) -> list:
    """[CriterionResult] for every criterion of ``exercise`` from {criterion id: [call results]}."""
    results = results if isinstance(results, dict) else {}
    out = []
    for criterion in exercise.criteria:
        student = results.get(criterion.id)
        if not isinstance(student, list) or len(student) != len(criterion.calls):
            student = [{}] * len(criterion.calls)
        try:
            out.append(grade_criterion(exercise, criterion, student))
        except Exception:   # noqa: BLE001 - malformed data from a student's process scores 0
            out.append(CriterionResult(criterion.id, criterion.task, criterion.title, 0,
                                       criterion.points, "The answer that came back could not be read."))
    return out


def grade_namespace(exercise, namespace: dict, *, seconds: float = 0) -> ExerciseResult:
    """Grade the functions in ``namespace`` (a dict of name -> function) in this process."""
    # Round-trip through JSON so the comparison sees exactly the plain data a student process sends.
    results = json.loads(json.dumps(collect(exercise, namespace, seconds)))
    return ExerciseResult(exercise.name, exercise.title, grade_results(exercise, results), [])
