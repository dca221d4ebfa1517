"""tune_lr picks the fastest α of a grid (ties to the larger), and every bad argument is named."""
import math

import numpy as np
import pytest

import adam_edu as ae
from adam_edu.tuning import Tuning, steps_to_tolerance, tune_lr


def test_steps_to_tolerance_is_the_first_step_strictly_below():
    assert steps_to_tolerance([10.0, 5.0, 1.0, 0.5, 2.0], 0.1) == 3     # 1.0 is not < 1.0
    assert steps_to_tolerance(np.array([10.0, 0.9]), 0.1) == 1
    assert steps_to_tolerance([10.0, 5.0, 1.0], 0.1) is None
    assert steps_to_tolerance([10.0], 0.5) is None                      # no step taken
    assert steps_to_tolerance([10.0, np.nan, np.inf, 0.1], 0.5) == 3    # nan and inf never count


@pytest.mark.parametrize("losses, tol, error, message", [
    ([1.0, 0.5], 0.0, ValueError, r"^tol == 0.0, must be in \(0, 1\)\.$"),
    ([1.0, 0.5], 1.0, ValueError, r"^tol == 1.0, must be in \(0, 1\)\.$"),
    ([1.0, 0.5], "0.1", TypeError, r"^tol must be a real number"),
    ([], 0.1, ValueError, r"^losses has shape \(0,\), must be 1-D"),
    ([[1.0, 0.5]], 0.1, ValueError, r"^losses has shape \(1, 2\), must be 1-D"),
    ([0.0, 0.5], 0.1, ValueError, r"^losses\[0\] == 0.0, must be in \(0, inf\)"),
    ([-1.0, -2.0], 0.1, ValueError, r"^losses\[0\] == -1.0, must be in \(0, inf\)"),
    ([math.inf, 1.0], 0.1, ValueError, r"^losses\[0\] == inf, must be in \(0, inf\)"),
    (["a", "b"], 0.1, TypeError, r"^losses must hold real numbers"),
])
def test_steps_to_tolerance_rejects_bad_input(losses, tol, error, message):
    with pytest.raises(error, match=message):
        steps_to_tolerance(losses, tol)


def test_tune_lr_on_the_bowl_matches_gradient_descent_in_closed_form():
    # SGD on x² + y²: θ_t = (1 − 2α)^t θ_0, so f(θ_t)/f(θ_0) = (1 − 2α)^(2t).
    grid = [0.01, 0.1, 0.4, 1.5]
    tuned = tune_lr("sgd", ae.bowl(), None, grid, steps=50, tol=1e-6)
    assert isinstance(tuned, Tuning) and list(tuned.steps) == grid
    for lr, taken in tuned.steps.items():
        ratio = abs(1 - 2 * lr) ** 2
        expected = math.ceil(math.log(1e-6) / math.log(ratio) + 1e-12) if ratio < 1 else None
        assert taken == (expected if expected is not None and expected <= 50 else None), lr
    assert tuned.lr == 0.4


def test_ties_go_to_the_larger_step_size():
    # α = 0.4 and α = 0.6 contract by the same |1 − 2α| = 0.2 on the bowl.
    tuned = tune_lr("sgd", ae.bowl(), None, [0.6, 0.4], steps=20, tol=1e-6)
    assert tuned.steps == {0.6: 5, 0.4: 5} and tuned.lr == 0.6


def test_no_step_size_reaches_the_tolerance():
    tuned = tune_lr("adam", ae.bowl(), None, [1e-4, 1e-3], steps=10, tol=1e-3)
    assert tuned == Tuning(None, {1e-4: None, 1e-3: None})


def test_a_diverging_run_counts_as_never():
    tuned = tune_lr("sgd", ae.bowl(), [3.0, 4.0], [0.1, 1e6], steps=400, tol=1e-3)
    assert tuned.steps[1e6] is None and tuned.lr == 0.1


def test_hyperparameters_reach_the_optimizer():
    grid = [0.05, 0.1, 0.3]
    corrected = tune_lr("adam", ae.bowl(), None, grid, steps=150, tol=1e-4)
    uncorrected = tune_lr("adam", ae.bowl(), None, grid, steps=150, tol=1e-4, bias_correction=False)
    assert corrected.steps != uncorrected.steps
    for lr in grid:
        traj = ae.run("adam", ae.bowl(), steps=150, lr=lr, bias_correction=False)
        assert uncorrected.steps[lr] == steps_to_tolerance(traj.loss, 1e-4)


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(grid=[]), ValueError, r"^grid is empty, must hold at least one step size in \(0, inf\)\.$"),
    (dict(grid=[0.1, -0.1]), ValueError, r"^grid\[1\] == -0.1, must be in \(0, inf\)\.$"),
    (dict(grid=[0.1, math.nan]), ValueError, r"^grid\[1\] == nan, must be a real number\.$"),
    (dict(steps=0), ValueError, r"^steps == 0, must be a whole number in \[1, inf\)\.$"),
    (dict(steps=2.5), TypeError, r"^steps must be a whole number"),
    (dict(tol=2.0), ValueError, r"^tol == 2.0, must be in \(0, 1\)\.$"),
    (dict(lr=0.1), ValueError, r"^lr == 0.1 was passed, but tune_lr takes α from grid"),
    (dict(beta1=1.0), ValueError, r"^beta1 == 1.0, must be in \[0, 1\)\.$"),
    (dict(name="adamm"), ValueError, r"^optimizer == 'adamm', must be one of"),
])
def test_tune_lr_rejects_bad_input(kwargs, error, message):
    args = dict(name="adam", grid=[0.1], steps=10, tol=0.1) | kwargs
    name, grid = args.pop("name"), args.pop("grid")
    with pytest.raises(error, match=message):
        tune_lr(name, ae.bowl(), None, grid, **args)
