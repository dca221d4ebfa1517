"""A property check ("leaves its inputs unchanged") earns its points only with the right answer:
a function that changes nothing and computes nothing scores 0 on every criterion, in the toy
exercise and in every course exercise (grader/score.py, the ``pure`` criteria)."""
from __future__ import annotations

import copy

import numpy as np
import pytest

from exercise_checks import EXERCISES
from grader import grade_namespace
from toy_catalogue import EXERCISES as TOY


def do_nothing(*args, **kwargs):
    """A stub that returns its first argument untouched (or zeros): no work, no mutation."""
    return copy.deepcopy(args[0]) if args else np.zeros(1)


def zeros_like_first(*args, **kwargs):
    return np.zeros_like(np.asarray(args[0], dtype=float)) if args else 0.0


@pytest.mark.parametrize("stub", [do_nothing, zeros_like_first])
@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_a_stub_earns_no_property_points(name, stub):
    exercise = EXERCISES[name]
    result = grade_namespace(exercise, {fn: stub for fn in exercise.reference})
    pure = [c for c, criterion in zip(result.criteria, exercise.criteria) if criterion.pure]
    assert [c.points for c in pure] == [0] * len(pure)
    assert all("expected" in c.feedback for c in pure)


def test_the_reference_still_earns_every_property_point():
    for exercise in EXERCISES.values():
        assert grade_namespace(exercise, exercise.reference).points == exercise.max_points


def test_toy_property_needs_the_right_answer_and_names_a_mutation_first():
    toy = TOY["toy"]
    zeros = grade_namespace(toy, {"running_total": np.zeros_like, "pid": lambda: 0}).criteria[1]
    assert zeros.points == 0 and "got the result[0] = 0; expected 1 (relative error" in zeros.feedback

    def mutates(values):
        values += 1
        return np.cumsum(values - 1)

    mutated = grade_namespace(toy, {"running_total": mutates, "pid": lambda: 0}).criteria[1]
    assert mutated.points == 0 and mutated.mistake == "mutated"
