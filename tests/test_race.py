"""The race engine agrees with the one-run recorder, and the facts lesson 5 teaches hold."""
import dataclasses
import math

import numpy as np
import pytest

import adam_edu as ae
from adam_edu import race as rc

ANGLES = (0.0, 20.0, 45.0, 90.0)


def test_valley_is_the_same_problem_at_every_angle():
    for degrees in ANGLES:
        f = rc.valley(1000, degrees)
        assert f.value(f.x0) == pytest.approx(2008.0)
        np.testing.assert_allclose(f.x0, rc.rotation(degrees) @ rc.START)
        rng = np.random.default_rng(0)
        x = rng.uniform(-2, 2, size=2)
        np.testing.assert_allclose(f.grad(x), ae.numerical_grad(lambda z: float(f.value(z)), x),
                                   rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("racer", sorted(rc.RACERS))
def test_batched_race_matches_one_run_at_a_time(racer):
    grid = [2.0**-9, 2.0**-4, 1.0]
    objectives = [rc.valley(100, 0), rc.valley(100, 30)]
    hits, path = rc.race(racer, objectives, grid, steps=300, keep=True)
    name, fixed = rc.RACERS[racer]
    for i, f in enumerate(objectives):
        for j, lr in enumerate(grid):
            traj = ae.run(name, f, steps=300, lr=lr, on_nonfinite="stop", **fixed)
            np.testing.assert_allclose(path[: len(traj.params), i, j], traj.params, rtol=1e-9,
                                       atol=1e-15)   # einsum and @ round differently
            taken = ae.steps_to_tolerance(traj.loss, rc.TOL)
            assert hits[i, j] == (math.inf if taken is None else taken)


def test_one_grid_row_per_objective():
    fs = [rc.valley(100, 0), rc.valley(100, 45)]
    both = rc.race("adam", fs, [[0.5, 1.0], [0.25, 2.0]], steps=500, stop="all")
    for row, f, grid in zip(both, fs, ([0.5, 1.0], [0.25, 2.0])):
        np.testing.assert_array_equal(row, rc.race("adam", f, grid, steps=500, stop="all")[0])


def test_gd_steps_are_the_closed_form_on_the_axis_aligned_valley():
    for lr in (2.0**-9, 2.0**-10, 2.0**-12):   # only the slow direction matters at these α
        t = rc.race("sgd", rc.valley(1000, 0), [lr], steps=20000)[0, 0]
        x = 4 * (1 - lr) ** np.arange(20000)
        y = 2 * np.abs(1 - 1000 * lr) ** np.arange(20000)
        closed = np.flatnonzero(0.5 * x**2 + 500 * y**2 < 1e-6 * 2008.0)[0]
        assert t == closed


@pytest.mark.parametrize("racer", sorted(rc.RACERS))
def test_only_the_gradient_methods_are_rotation_invariant(racer):
    hits = rc.race(racer, [rc.valley(1000, d) for d in ANGLES], steps=6000)
    best = [min(t for t in rc.tuned(row).steps.values() if t) for row in hits]
    if racer in ("sgd", "momentum", "nesterov"):
        assert len(set(best)) == 1
    else:
        assert best[0] < best[1] < best[2]      # 0° < 20° < 45°: the diagonal fits only at 0°


def test_stop_best_finds_the_same_winner_as_stop_all():
    fs = [rc.valley(1000, d) for d in (0, 20)]
    everything = rc.race("adam", fs, steps=3000, stop="all")
    early = rc.race("adam", fs, steps=3000, stop="best")
    for a, b in zip(everything, early):
        assert rc.tuned(a).lr == rc.tuned(b).lr and a.min() == b.min()


def test_tuned_breaks_ties_toward_the_larger_alpha():
    assert rc.tuned([3.0, 3.0, 7.0], [0.1, 0.2, 0.4]).lr == 0.2
    assert rc.tuned([math.inf, math.inf], [0.1, 0.2]) == ae.Tuning(None, {0.1: None, 0.2: None})


@pytest.mark.parametrize("racer", ["sgd", "rmsprop_bc", "adam"])
def test_race_tunes_like_tune_lr(racer):
    f, grid = rc.valley(100, 30), 2.0 ** np.arange(-10, 2)
    name, fixed = rc.RACERS[racer]
    expected = ae.tune_lr(name, f, None, grid, steps=400, tol=rc.TOL, **fixed)
    assert rc.tuned(rc.race(racer, f, grid, steps=400, stop="all")[0], grid) == expected


@pytest.mark.parametrize("kappa", [100.0, 1000.0, 10000.0])
def test_measured_rates_are_the_textbook_rates(kappa):
    f = rc.valley(kappa, 30)
    _, gd = rc.race("sgd", f, [2 / (1 + kappa)], steps=2000, keep=True)
    assert rc.measured_rate(gd[:, 0, 0]) == pytest.approx((kappa - 1) / (kappa + 1), rel=1e-9)
    best = rc.heavy_ball(kappa)
    _, hb = rc.race("momentum", f, [best["lr"]], steps=2000, keep=True, beta=best["beta"])
    root = math.sqrt(kappa)
    assert rc.measured_rate(hb[:, 0, 0]) == pytest.approx((root - 1) / (root + 1), rel=1e-3)


def test_gd_escapes_the_saddle_in_the_closed_form_number_of_steps():
    start = dataclasses.replace(ae.saddle(), x0=np.array([2.0, 1e-3]))
    grid = [0.003, 0.01, 0.03, 0.1, 0.3]
    hits = rc.race("sgd", start, grid, steps=5000, stop="all", reached=rc.escaped)[0]
    expected = [math.ceil(math.log(1000) / math.log(1 + 2 * lr)) for lr in grid]
    assert hits.tolist() == expected


def test_stationary_spreads_follow_the_small_step_formulas():
    lr, sigma = np.meshgrid([0.003, 0.01, 0.03], [0.3, 1.0, 3.0])
    adam = rc.stationary_spread("adam", lr, sigma, seeds=100, steps=3000)
    sgd = rc.stationary_spread("sgd", lr, sigma, seeds=100, steps=3000)
    assert adam.shape == sgd.shape == (3, 3)
    np.testing.assert_allclose(adam, np.sqrt(lr * sigma / 2), rtol=0.1)
    np.testing.assert_allclose(sgd, np.sqrt(lr / 2) * sigma, rtol=0.1)
    one = rc.stationary_spread("sgd", 0.01, 1.0, seeds=100, steps=3000)
    assert isinstance(one, float)


def test_bad_arguments_name_the_parameter():
    f = rc.valley()
    with pytest.raises(ValueError, match=r"racer == 'lion', must be one of"):
        rc.race("lion", f, steps=10)
    with pytest.raises(ValueError, match=r"stop == 'first', must be 'best' or 'all'"):
        rc.race("adam", f, steps=10, stop="first")
    with pytest.raises(ValueError, match=r"grid value == -0.1, must be in \(0, inf\)"):
        rc.race("adam", f, [-0.1], steps=10)
    with pytest.raises(ValueError, match=r"steps == -1"):
        rc.race("adam", f, steps=-1)
    with pytest.raises(ValueError, match=r"tol == 1.5, must be in \(0, 1\)"):
        rc.race("adam", f, steps=10, tol=1.5)
    with pytest.raises(ValueError, match="objectives is empty"):
        rc.race("adam", [], steps=10)
    with pytest.raises(ValueError, match=r"kappa == 0.5, must be in \[1, inf\)"):
        rc.valley(0.5)
    with pytest.raises(ValueError, match=r"beta == 1.0"):
        rc.race("momentum", f, steps=10, beta=1.0)
    with pytest.raises(ValueError, match=r"sigma == -1.0, must be in \[0, inf\)"):
        rc.stationary_spread("sgd", 0.1, -1.0)
    with pytest.raises(ValueError, match="stacks valleys"):
        rc.race("adam", [ae.saddle(), ae.rosenbrock()], steps=10)
