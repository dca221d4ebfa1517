"""The course's exercises, one module per notebook in solutions/: ``ex03_bias_correction.py``
grades ``solutions/ex03_bias_correction.ipynb``.

Each module defines ``EXERCISE``, a :class:`grader.Exercise`: the notebook's name, title and tasks,
its criteria (calls with points) and its catalogued mistakes, each hint beside its model and its
written form. This package collects them in ``EXERCISES`` for the grading engine (:mod:`grader`);
CONTRIBUTING.md, "Adding an exercise", says how to add one.
"""
from __future__ import annotations

import importlib
import pkgutil

EXERCISES = {}
for _module in sorted(info.name for info in pkgutil.iter_modules(__path__)):
    if _module.startswith("ex"):
        _exercise = importlib.import_module(f"{__name__}.{_module}").EXERCISE
        EXERCISES[_exercise.name] = _exercise

# Imported once by the grader's fork server, so each student's process starts with them loaded
# (importing them is most of the cost of grading a notebook).
PRELOAD = ("numpy", "matplotlib.pyplot", "matplotlib.backends.backend_agg", "adam_edu.plots")
