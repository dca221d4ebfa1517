"""The trajectory recorder agrees with stepping by hand and reports divergence clearly."""
import numpy as np
import pytest

import adam_edu as ae
from tests.optimizer_info import CASE_IDS, CASES


@pytest.mark.parametrize("name, config", CASES, ids=CASE_IDS)
def test_run_equals_stepping_by_hand(name, config):
    """Bit for bit, in every configuration of the optimizer's row (bias correction off, decay on...)."""
    f = ae.noisy(ae.rosenbrock(), 0.1, seed=5)
    traj = ae.run(name, f, steps=40, **{"lr": 1e-3, **config})
    opt = ae.OPTIMIZERS[name]
    params, state = f.x0, opt.init(f.x0)
    for t in range(1, 41):
        g = f.stochastic_grad(params, t)
        np.testing.assert_array_equal(traj.grads[t - 1], g)
        params, state = opt.step(params, g, state, **traj.hyper)
        np.testing.assert_array_equal(traj.params[t], params)
        for field in state._fields[1:]:
            np.testing.assert_array_equal(traj.state[field][t - 1], getattr(state, field))
    np.testing.assert_allclose(traj.loss, f.value(traj.params))
    np.testing.assert_array_equal(traj.t, np.arange(1, 41))


@pytest.mark.parametrize("name", ["adam", "amsgrad", "adamw", "adam_l2"])
def test_diagnostics_match_adam_diagnostics_at_every_step(name):
    f = ae.noisy(ae.bowl(), 0.5, seed=2)
    traj = ae.run(name, f, steps=30, lr=0.05, beta2=0.99)
    opt = ae.OPTIMIZERS[name]
    params, state = f.x0, opt.init(f.x0)
    moments = {k: traj.hyper[k] for k in ("lr", "beta1", "beta2", "eps", "bias_correction")}
    for t in range(30):
        before = params
        params, state = opt.step(params, traj.grads[t], state, **traj.hyper)
        d = ae.adam_diagnostics(state, **moments)
        for field in d._fields:
            np.testing.assert_allclose(getattr(traj.diagnostics, field)[t], getattr(d, field), rtol=1e-14)
        if name in ("adam", "amsgrad"):   # with no decay, the step is exactly what params moved by
            np.testing.assert_allclose(before - params, d.step, rtol=1e-12, atol=1e-15)


def test_first_recorded_step_and_snr():
    traj = ae.run("adam", ae.bowl(), steps=5, lr=0.02, beta2=0.9999, eps=0.0)
    np.testing.assert_allclose(traj.diagnostics.step[0], [0.02, 0.02], rtol=1e-15)
    np.testing.assert_allclose(traj.diagnostics.snr[0], [1.0, 1.0], rtol=1e-15)
    assert ae.run("sgd", ae.bowl(), steps=5).diagnostics is None


def test_zero_gradients_with_eps_zero_stay_put():
    flat = ae.Objective("flat", 2, lambda x: np.zeros(np.shape(x)[:-1]), lambda x: np.zeros(np.shape(x)),
                        np.array([1.0, -1.0]), (-2, 2), (-2, 2))
    traj = ae.run("adam", flat, steps=5, eps=0.0)
    np.testing.assert_array_equal(traj.params, np.tile([1.0, -1.0], (6, 1)))


def test_float32_trajectory_stays_float32():
    traj = ae.run("adam", ae.bowl(), np.array([3.0, 4.0], dtype=np.float32), steps=10, lr=0.1)
    assert traj.params.dtype == traj.loss.dtype == traj.diagnostics.snr.dtype == np.float32


def test_wavy_runs_on_scalars():
    traj = ae.run("adam", ae.wavy(), steps=20, lr=0.1)
    assert traj.params.shape == (21,) and traj.grads.shape == (20,) and traj.loss.shape == (21,)


def test_a_diverged_run_stops_early_and_records_the_same():
    """After divergence every step is nan arithmetic: the loop stops within CHECK_EVERY steps of
    it, and the record (cut at the first non-finite step) is what the full run would give."""
    from dataclasses import replace

    from adam_edu.trajectory import CHECK_EVERY

    calls = []
    f = ae.rosenbrock()
    counting = replace(f, grad=lambda x: calls.append(1) or f.grad(x))
    long = ae.run("sgd", counting, steps=10**6, lr=0.1, on_nonfinite="stop")
    short = ae.run("sgd", f, steps=200, lr=0.1, on_nonfinite="stop")
    assert long.diverged_at == short.diverged_at is not None
    np.testing.assert_array_equal(long.params, short.params)
    assert len(calls) <= short.diverged_at + CHECK_EVERY
    with pytest.raises(ValueError, match=rf"step {short.diverged_at} of 1000000 produced"):
        ae.run("sgd", f, steps=10**6, lr=0.1)


def test_divergence_raises_by_default_and_stops_on_request():
    with pytest.raises(ValueError, match=r"^sgd diverged: step \d+ of 200 produced a non-finite"):
        ae.run("sgd", ae.rosenbrock(), steps=200, lr=0.1)
    traj = ae.run("sgd", ae.rosenbrock(), steps=200, lr=0.1, on_nonfinite="stop")
    assert traj.diverged_at is not None and len(traj.params) == traj.diverged_at
    assert np.isfinite(traj.params).all() and np.isfinite(traj.grads).all()
    assert ae.run("adam", ae.rosenbrock(), steps=50, lr=0.1).diverged_at is None


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(steps=-1), ValueError, r"steps == -1, must be a whole number in \[0, inf\)"),
    (dict(steps=2.5), TypeError, r"steps must be a whole number in \[0, inf\), got 2.5"),
    (dict(lr=0), ValueError, r"lr == 0.0, must be in \(0, inf\)"),
    (dict(beta=0.5), TypeError, "adam has no hyperparameter 'beta'"),
    (dict(on_nonfinite="ignore"), ValueError, "on_nonfinite == 'ignore'"),
    (dict(x0=[1.0, 2.0, 3.0]), ValueError, r"x0 has shape \(3,\) but bowl takes shape \(2,\)"),
])
def test_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        ae.run("adam", ae.bowl(), **kwargs)
    with pytest.raises(ValueError, match="optimizer == 'adma', must be one of"):
        ae.run("adma", ae.bowl())
