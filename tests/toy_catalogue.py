"""A toy catalogue for the grading engine's own tests: one exercise about lists, no Adam.

The smallest complete exercise module: a task, criteria with points, a reference, a mistake with
its model, and the mutation mistake. ``tests/test_grader_engine.py`` writes its notebooks.
"""
from __future__ import annotations

import numpy as np

from grader import Criterion, Exercise, Mistake, call


def _running_total(values):
    return np.cumsum(values)


def _without_first(values):
    return np.cumsum(values)[1:]


SHORT = Mistake("first_dropped", "first value dropped", "Start the total with the first value.",
                ({"running_total": _without_first, "pid": lambda: 0},))
MUTATES = Mistake("mutated", "input changed", "Leave the input as it was.")

EXERCISES = {"toy": Exercise(
    "toy", "toy.ipynb", "Running totals", {1: "running_total", 2: "pid"},
    (Criterion("toy.totals", 1, 3, "running total of four values",
               (call("running_total", ("values", np.array([1.0, 2.0, 3.0, 4.0]))),)),
     Criterion("toy.pure", 1, 1, "running_total leaves its input unchanged",
               (call("running_total", ("values", np.array([1.0, 2.0]))),), pure=True),
     Criterion("toy.pid", 2, 1, "the process it runs in", (call("pid"),))),
    {"running_total": _running_total, "pid": lambda: 0}, (SHORT,), MUTATES)}
