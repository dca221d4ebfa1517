"""adam_edu.fast gives the readable Adam's numbers bit for bit, so run() may use it."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import adam_edu as ae
from adam_edu import fast, runner

OBJECTIVES = {"bowl": ae.bowl, "ill": ae.ill_conditioned, "rosenbrock": ae.rosenbrock,
              "rotated": ae.rotated_quadratic, "saddle": ae.saddle}


def readable(objective, x0, steps, hyper):
    """The general path: adam_update called once per step."""
    params, grads, states = runner._loop(ae.OPTIMIZERS["adam"], objective, np.asarray(x0, float),
                                         steps, hyper)
    return [np.array(rows) for rows in (params, grads, states["m"], states["v"])]


@settings(max_examples=60, deadline=None)
@given(name=st.sampled_from(sorted(OBJECTIVES)), sigma=st.sampled_from([0.0, 0.3, 5.0]),
       seed=st.integers(0, 5), steps=st.integers(0, 150), lr=st.floats(1e-4, 1.0),
       beta1=st.floats(0.0, 0.999), beta2=st.floats(0.0, 0.99999),
       eps=st.sampled_from([0.0, 1e-12, 1e-8, 1e-3]), correct=st.booleans())
def test_fast_path_equals_the_readable_adam_bit_for_bit(name, sigma, seed, steps, lr, beta1, beta2,
                                                        eps, correct):
    objective = OBJECTIVES[name]()
    if sigma:
        objective = ae.noisy(objective, sigma, seed=seed)
    hyper = ae.OPTIMIZERS["adam"].hyper(lr=lr, beta1=beta1, beta2=beta2, eps=eps,
                                        bias_correction=correct)
    with np.errstate(all="ignore"):
        quick = [np.array(rows) for rows in fast.adam_trajectory(
            objective.stochastic_grad, np.asarray(objective.x0, float), steps, **hyper)]
        slow = readable(objective, objective.x0, steps, hyper)
    for a, b in zip(quick, slow):
        np.testing.assert_array_equal(a.reshape(b.shape), b)


def test_zero_gradients_with_eps_zero_stay_put_on_both_paths():
    flat = ae.Objective("flat", 2, lambda x: np.zeros(np.shape(x)[:-1]), lambda x: np.zeros(np.shape(x)),
                        np.array([1.0, -1.0]), (-2, 2), (-2, 2))
    traj = ae.run("adam", flat, steps=5, eps=0.0)
    np.testing.assert_array_equal(traj.params, np.tile([1.0, -1.0], (6, 1)))


@pytest.mark.parametrize("objective, x0, expect_fast", [
    (ae.bowl(), np.zeros(2), True), (ae.bowl(), np.zeros(2, np.float32), False),
    (ae.wavy(), 1.0, False)])
def test_run_takes_the_fast_path_only_for_small_float64_adam(monkeypatch, objective, x0, expect_fast):
    calls = []
    original = fast.adam_trajectory
    monkeypatch.setattr(fast, "adam_trajectory", lambda *a, **k: calls.append(1) or original(*a, **k))
    ae.run("adam", objective, x0, steps=3)
    ae.run("amsgrad", objective, x0, steps=3)
    assert bool(calls) == expect_fast


def test_fast_path_refuses_what_it_cannot_match():
    with pytest.raises(ValueError, match=r"x0 has shape \(\) and dtype float64; the fast path takes"):
        fast.adam_trajectory(ae.wavy().stochastic_grad, np.array(1.0), 3, lr=0.1, beta1=0.9,
                             beta2=0.999, eps=1e-8, bias_correction=True)
