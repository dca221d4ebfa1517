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

# The course's library: mounted read-only in each student's sandbox, and the package whose own
# answers a student's function may not call. The grading packages the sandbox never shows.
LIBRARY = "adam_edu"
HIDDEN = ("exercise_checks", "adam_edu.grading")

# For each task's function, the names in adam_edu that compute its answer: a student's function that
# calls one of them scores 0 for the criteria that call it (grader.source_inspection). A function not
# listed here is checked against adam_edu's function of the same name.
LIBRARY_ANSWERS = {
    "ema": ("ema", "adam_step", "adam_on_sequence"),
    "update_moments": ("adam_step", "adam_on_sequence"),
    "half_life": ("half_life",),
    "adam_step_uncorrected": ("adam_step", "run", "adam_on_sequence"),
    "run_bowl": ("run", "adam_step", "adam_on_sequence"),
    "first_step_ratio": ("uncorrected_first_step", "adam_step", "run"),
    "adam_step": ("adam_step", "run", "adam_on_sequence", "adam_diagnostics"),
    "first_step_sizes": ("adam_step", "run", "adam_on_sequence"),
    "effective_step": ("adam_diagnostics", "adam_step", "run"),
    "snr": ("snr", "adam_diagnostics"),
    "step_bound": ("step_bound",),
    "largest_step": (),
    "steps_to_reach": ("ema", "adam_step", "adam_on_sequence", "correction_matters_for"),
    "smooth": ("ema", "adam_step", "adam_on_sequence"),
    "uncorrected_step": ("adam_step", "run", "adam_on_sequence", "uncorrected_first_step"),
    "fit_bowl": ("run", "adam_step", "adam_on_sequence"),
    "steps_until_unbiased": ("correction_matters_for", "correction_factor"),
    "adam_step_efficient": ("adam_step", "run", "adam_on_sequence", "adam_diagnostics"),
    "spike_step": ("sparse_spike_ratio", "adam_on_sequence", "adam_step", "run"),
    "adamax_step": ("adamax_step", "adamax_update", "run"),
}
