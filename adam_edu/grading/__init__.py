"""Autograder for the adam-edu exercises: instant feedback in a notebook, scorecards and gradebooks.

In an exercise notebook, after your code::

    from adam_edu.grading import check
    check("ex03")

From the shell: ``python3 course.py check [folder]`` (one student) and
``python3 course.py grade SUBMISSIONS --out gradebook`` (a class). Official grades run the student's
notebooks in a separate, time-limited process (:mod:`adam_edu.grading.submission`); ``check`` here
calls the functions defined in your own kernel, so it sees your latest code before you save.
"""
from __future__ import annotations

import inspect
import json

from adam_edu.grading.compare import grade_results
from adam_edu.grading.exercises import EXERCISES
from adam_edu.grading.report import exercise_lines
from adam_edu.grading.calls import collect
from adam_edu.grading.submission import ExerciseResult, Limits, grade_folder

__all__ = ["check", "grade_namespace", "grade_folder", "Limits", "EXERCISES"]


def check(exercise: str, namespace: dict | None = None, *, seconds: float = 5.0) -> None:
    """Grade the functions of ``exercise`` defined in the calling notebook and print a scorecard.

    Parameters
    ----------
    exercise : str
        One of ``"ex01"``, ``"ex02"``, ``"ex03"``, ``"ex04"``.
    namespace : dict, optional
        Where to find your functions; default the caller's globals (the notebook).
    seconds : float, default=5.0
        Time limit for each call, in (0, inf).

    Prints ✓ or ✗ per check with its points and, for each ✗, what was called, what came back, what
    was expected and the likely misconception. Use :func:`grade_namespace` for the result as data.
    """
    if namespace is None:
        namespace = inspect.currentframe().f_back.f_globals
    print("\n".join(exercise_lines(grade_namespace(exercise, namespace, seconds=seconds))))


def grade_namespace(exercise: str, namespace: dict, *, seconds: float = 0) -> ExerciseResult:
    """Grade the functions in ``namespace`` (a dict of name -> function) in this process."""
    if exercise not in EXERCISES:
        raise ValueError(f"exercise == {exercise!r}, must be one of {', '.join(EXERCISES)}.")
    # Round-trip through JSON so the comparison sees exactly the plain data a grader process would.
    results = json.loads(json.dumps(collect(exercise, namespace, seconds)))
    return ExerciseResult(exercise, EXERCISES[exercise].title, grade_results(exercise, results), [])
