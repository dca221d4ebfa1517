"""Grade one student's folder: their notebooks run in the sandbox, their answers are judged here.

For a grading run the exercises' inputs are drawn from a secret seed (:func:`draw`); the reference
answers and the mistake models are computed on them in this process. The student's notebooks are
read and inspected here (:mod:`grader.source_inspection`), run in the sandbox
(:func:`grader.isolated.run_student`), and what comes back is scored by :mod:`grader.score`. A
notebook whose process failed (a crash, garbage on the channel, a hang) scores 0 with a
"grader error" note saying why; the student's other notebooks are graded as usual.
"""
from __future__ import annotations

import dataclasses
import importlib
import random

from grader import isolated, secret_inputs, source_inspection, wire
from grader.calls import to_plain
from grader.compare import show
from grader.results import CriterionResult, ExerciseResult, all_lost, questions
from grader.score import grade_results

GRADER_ERROR = "grader error"


def draw(exercise, seed: int):
    """``exercise`` with every call's inputs perturbed by the generator seeded with ``seed`` (and
    the exercise's name, so two exercises never share a stream)."""
    rng = random.Random(f"{seed}:{exercise.name}")

    def moved(call):
        args = tuple((name, secret_inputs.perturb(value, rng)) for name, value in call.args)
        kwargs = {key: secret_inputs.perturb(value, rng) for key, value in call.kwargs.items()}
        text = call.text and (f"{call.text}, with this run's inputs " + ", ".join(
            f"{name}={show(to_plain(value))}" for name, value in (*args, *kwargs.items())))
        return call._replace(args=args, kwargs=kwargs, text=text)

    criteria = tuple(c._replace(calls=tuple(moved(call) for call in c.calls)) for c in exercise.criteria)
    return dataclasses.replace(exercise, criteria=criteria)


def drawn_exercises(catalogue: str, names=None, seed: int | None = None) -> dict:
    """{name: drawn exercise} for ``names`` (default all) of ``catalogue``; a fresh secret seed
    unless ``seed`` is given (tests)."""
    exercises = importlib.import_module(catalogue).EXERCISES
    seed = secret_inputs.secret_seed() if seed is None else seed
    return {name: draw(exercises[name], seed) for name in (names or exercises)}


def _encoded(exercise, drivers: dict, hidden: tuple) -> dict:
    calls = {}
    for criterion in exercise.criteria:
        calls[criterion.id] = []
        for call in criterion.calls:
            if call.drive is not None:
                drivers.setdefault(call.drive.__name__, wire.driver(call.drive, hidden))
            calls[criterion.id].append({
                "fn": call.fn, "args": [[name, wire.encode(value, hidden)] for name, value in call.args],
                "kwargs": wire.encode(dict(call.kwargs), hidden),
                "drive": call.drive.__name__ if call.drive is not None else None})
    return calls


def grade_folder(folder, catalogue: str, names=None, limits: isolated.Limits = isolated.Limits(),
                 *, drawn: dict | None = None) -> list:
    """Grade a student's folder of notebooks; returns an ExerciseResult per exercise.

    ``catalogue`` names the module whose ``EXERCISES`` dict holds the exercises; ``names`` picks
    some of them (default all, in the catalogue's order); ``drawn`` are the exercises with this
    run's inputs (:func:`drawn_exercises`; drawn afresh when not given).
    """
    module = importlib.import_module(catalogue)
    wanted = list(names or module.EXERCISES)
    drawn = drawn or drawn_exercises(catalogue, wanted)
    library, hidden = getattr(module, "LIBRARY", None), tuple(getattr(module, "HIDDEN", ()))
    drivers = {}
    work = [isolated.Work(name, drawn[name].notebook, _encoded(drawn[name], drivers, hidden))
            for name in wanted]
    outcomes = isolated.run_student(folder, work, drivers, limits, library=library, hidden=hidden)
    course = (library, getattr(module, "LIBRARY_ANSWERS", {}), hidden)
    return [_result(drawn[name], outcomes[name], course) for name in wanted]


def _result(exercise, outcome: dict, course: tuple) -> ExerciseResult:
    """The ExerciseResult of one notebook from what the grader read and the process replied."""
    if "missing" in outcome or "unreadable" in outcome:
        return all_lost(exercise, outcome.get("missing") or outcome["unreadable"])
    notes = outcome["notes"]
    if "grader_error" in outcome:
        lost = all_lost(exercise, f"{GRADER_ERROR}: {exercise.notebook} {outcome['grader_error']}.")
        return lost._replace(notes=notes + lost.notes)
    cells, (library, library_answers, hidden) = outcome["cells"], course
    tampering = source_inspection.tampering(cells, hidden)
    if tampering:
        lost = all_lost(exercise, (
            f"{exercise.notebook} uses {', '.join(tampering)}: grading does not allow reaching into "
            "the grader or the interpreter's internals, or building code from text, so this exercise "
            "scores 0. Remove it and grade again."))
        return lost._replace(notes=notes + lost.notes)
    borrowed = {fn: source_inspection.borrowed(cells, fn, tuple(library_answers.get(fn, (fn,))), library)
                for fn in set(exercise.tasks.values())} if library else {}
    criteria = grade_results(exercise, outcome["results"])
    for index, (criterion, result) in enumerate(zip(exercise.criteria, criteria)):
        why = next((borrowed[call.fn] for call in criterion.calls if borrowed.get(call.fn)), "")
        if why:
            criteria[index] = CriterionResult(
                result.id, result.task, result.title, 0, result.max_points,
                f"{why}: a task's function must compute its answer itself, not call the library's "
                f"implementation of what it asks for, so this criterion scores 0.")
    return ExerciseResult(exercise.name, exercise.title, criteria, notes, questions(exercise))
