"""Score a student's answers: compare them with the reference, name the mistake, write the feedback.

Everything here runs in the grader's process on plain data; the expected answers and the mistake
models' answers are computed here, from the exercise module's own functions, never in the
student's process.
"""
from __future__ import annotations

import functools
import json

from grader.calls import collect
from grader.compare import describe, difference, label, show_pair
from grader.results import CriterionResult, ExerciseResult, questions


@functools.cache
def expected(exercise) -> dict:
    """The reference answers to every call of ``exercise`` (computed once per process)."""
    return collect(exercise, exercise.reference)


@functools.cache
def mistake_answers(exercise) -> tuple:
    """((mistake, answers), ...) for every model of every mistake of ``exercise``, in order."""
    return tuple((mistake, collect(exercise, model)) for mistake in exercise.mistakes
                 for model in mistake.models)


def support(exercise, results: dict) -> list:
    """For each mistake model (in :func:`mistake_answers` order), how many of the student's call
    results it gives too: the evidence for that model across the whole exercise."""
    counts = []
    for _, answers in mistake_answers(exercise):
        count = 0
        for criterion in exercise.criteria:
            student = results.get(criterion.id)
            for got, model in zip(student if isinstance(student, list) else [], answers[criterion.id]):
                if (isinstance(got, dict) and "value" in got and "value" in model
                        and difference(got["value"], model["value"]) is None):
                    count += 1
        counts.append(count)
    return counts


def named_mistake(exercise, criterion, index: int, value, evidence=lambda: None):
    """The mistake whose model gives ``value`` at this call, or None. Where several models do,
    the one that also gives most of the student's other answers is named; a tie between two
    different mistakes names none (a wrong name is worse than none). ``evidence()`` returns
    :func:`support` (called only here, so a student who passes everything costs no model runs)."""
    counts = None
    fits = [(i, mistake)
            for i, (mistake, answers) in enumerate(mistake_answers(exercise))
            if "value" in answers[criterion.id][index]
            and difference(value, answers[criterion.id][index]["value"]) is None]
    if not fits:
        return None
    if len({mistake.name for _, mistake in fits}) > 1:
        counts = evidence()
    fits = [(counts[i] if counts else 0, mistake) for i, mistake in fits]
    best = max(count for count, _ in fits)
    names = {mistake.name for count, mistake in fits if count == best}
    return next(m for count, m in fits if count == best) if len(names) == 1 else None


def grade_criterion(exercise, criterion, student: list, evidence=lambda: None) -> CriterionResult:
    """Grade one criterion from the student's call results (plain data); ``evidence()`` gives
    :func:`support` for the whole exercise (without it, a fit two mistakes share names none)."""
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
                changed = _and(map(str, mutated)) if isinstance(mutated, list) else "an input"
                names = [name for name, value in call.args   # the arguments that can change
                         if hasattr(value, "shape") or hasattr(value, "_fields")]
                mistake = exercise.mutation
                return lost._replace(mistake=mistake and mistake.name, feedback=(
                    f"Called {called}; afterwards {changed} had changed: {call.fn} must return "
                    f"new values and leave {_and(names) or 'its arguments'} as "
                    f"{'it was' if len(names) == 1 else 'they were'}. "
                    f"{mistake.hint if mistake else ''}").strip())
        # A pure criterion's answers must be right too: a stub that changes nothing earns nothing.
        found = difference(got["value"], ref["value"])
        if found:
            mistake = named_mistake(exercise, criterion, index, got["value"], evidence)
            got_text, want_text, error = show_pair(found.got, found.want)
            message = (f"Called {called} and got {label(found.path, criterion.names, call)} = "
                       f"{got_text}{' (' + found.why + ')' if found.why else ''}; "
                       f"expected {want_text}{error}.")
            hint = mistake.hint if mistake else generic_hint(exercise, criterion)
            return lost._replace(feedback=f"{message} {hint}", mistake=mistake and mistake.name)
    return lost._replace(points=criterion.points)


def generic_hint(exercise, criterion) -> str:
    """What a failure no catalogued mistake explains says: where to look (true in a notebook and
    in a shell, where there is no plot)."""
    return (f"This answer matches none of the catalogued mistakes: compare your code line by line "
            f"with Task {criterion.task}'s formula in {exercise.notebook}, where the plot under "
            f"the task draws your function beside the reference.")


def _and(names) -> str:
    """``["a", "b", "c"]`` as ``a, b and c``."""
    names = list(names)
    return " and ".join(filter(None, [", ".join(names[:-1]), *names[-1:]]))


def _error_feedback(exercise, criterion, index: int, got: dict, called: str) -> tuple:
    """(feedback, mistake name or None) for a call that raised, timed out or found no function."""
    error, message, fn = got["error"], got.get("message", ""), criterion.calls[index].fn
    if error == "NotImplementedError":
        return (f"Not written yet: {fn} raised NotImplementedError ({message}). Replace the "
                "`raise NotImplementedError` line of that task with your code."), None
    if error == "MissingFunction":
        return (f"Could not call {fn}: the notebook defines no function with that name (was it "
                "renamed, or is its cell not run yet?). Keep the name and signature from the "
                "exercise; the grader calls that function."), None
    if error == "TimeLimit":
        return (f"Called {called} and it did not finish ({message}). Is there a loop that never "
                "ends?"), None
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
    @functools.cache
    def evidence():
        try:
            return support(exercise, results)
        except Exception:   # noqa: BLE001 - malformed data: no evidence, the first fit is named
            return None
    out = []
    for criterion in exercise.criteria:
        student = results.get(criterion.id)
        if not isinstance(student, list) or len(student) != len(criterion.calls):
            student = [{}] * len(criterion.calls)
        try:
            out.append(grade_criterion(exercise, criterion, student, evidence))
        except Exception:   # noqa: BLE001 - malformed data from a student's process scores 0
            out.append(CriterionResult(criterion.id, criterion.task, criterion.title, 0,
                                       criterion.points, "The answer that came back could not be read."))
    return _blame_dependencies(exercise, out)


def _blame_dependencies(exercise, out: list) -> list:
    """A failure no mistake explains is blamed on its cause where there is one: the function
    modifies its inputs in place (its own check of that failed), or it calls another task's
    function that fails its own check. The feedback names that function, check and mistake."""
    mutates = {c.calls[0].fn: r for c, r in zip(exercise.criteria, out)
               if c.pure and not r.passed and r.mistake}
    for blame in ("own", "used"):
        failed = {}
        for criterion, result in zip(exercise.criteria, out):
            if not result.passed:
                failed.setdefault(criterion.calls[0].fn, mutates.get(criterion.calls[0].fn, result))
        for index, (criterion, result) in enumerate(zip(exercise.criteria, out)):
            fn = criterion.calls[0].fn
            if result.passed or result.mistake or result.feedback.startswith(("Not written",
                                                                              "Could not")):
                continue
            if blame == "own" and fn in mutates:
                cause = mutates[fn]
                why = (f"{fn} modifies its inputs in place (its check \"{cause.title}\" fails), so "
                       f"the arrays this check reads change under it. Fix that first; this check "
                       f"may then pass too.")
            elif blame == "used" and any(used in failed for used in exercise.uses.get(fn, ())):
                used = next(used for used in exercise.uses[fn] if used in failed)
                cause = failed[used]
                named = f" ({_mistake_title(exercise, cause.mistake)})" if cause.mistake else ""
                why = (f"{fn} calls your {used}, which fails its own check, Task {cause.task}: "
                       f"{cause.title}{named}. Fix {used} first; this check may then pass too.")
            else:
                continue
            feedback = result.feedback.replace(generic_hint(exercise, criterion), "").strip()
            out[index] = result._replace(mistake=cause.mistake, feedback=f"{feedback} {why}")
    return out


def _mistake_title(exercise, name: str) -> str:
    mistakes = (*exercise.mistakes, exercise.mutation)
    return next((m.title for m in mistakes if m is not None and m.name == name), name)


def grade_namespace(exercise, namespace: dict, *, seconds: float = 0) -> ExerciseResult:
    """Grade the functions in ``namespace`` (a dict of name -> function) in this process."""
    # Round-trip through JSON so the comparison sees exactly the plain data a student process sends.
    results = json.loads(json.dumps(collect(exercise, namespace, seconds)))
    return ExerciseResult(exercise.name, exercise.title, grade_results(exercise, results), [],
                          questions(exercise))
