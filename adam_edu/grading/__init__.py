"""Instant feedback inside an exercise notebook. After your code::

    from adam_edu.grading import check
    check("ex03")

``check`` calls the functions defined in your own kernel, so it sees your latest code before you
save. Official grades come from the shell, ``python3 course.py check`` (one student) and
``python3 course.py grade SUBMISSIONS --out gradebook`` (a class), which run the saved notebooks in
a separate, time-limited process. The grader itself lives outside the library: the engine in
``grader/``, the course's exercises in ``exercise_checks/``.
"""
from __future__ import annotations

import inspect

__all__ = ["check"]


def check(exercise: str, namespace: dict | None = None, *, seconds: float = 5.0) -> None:
    """Grade the functions of ``exercise`` defined in the calling notebook and print a scorecard.

    Parameters
    ----------
    exercise : str
        The exercise's name, ``"ex01"`` to ``"ex04"`` (one per notebook in ``exercises/``).
    namespace : dict, optional
        Where to find your functions; default the caller's globals (the notebook).
    seconds : float, default=5.0
        Time limit for each call, in (0, inf).

    Prints ✓ or ✗ per criterion with its points and, for each ✗, what was called, what came back,
    what was expected and the likely misconception.

    Raises
    ------
    ValueError
        If ``exercise`` is not the name of an exercise.
    """
    from exercise_checks import EXERCISES
    from grader.report import exercise_lines
    from grader.score import grade_namespace

    if exercise not in EXERCISES:
        raise ValueError(f"exercise == {exercise!r}, must be one of {', '.join(EXERCISES)}.")
    if namespace is None:
        namespace = inspect.currentframe().f_back.f_globals
    result = grade_namespace(EXERCISES[exercise], namespace, seconds=seconds)
    print("\n".join(exercise_lines(result, live=True)))
