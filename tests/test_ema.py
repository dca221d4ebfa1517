"""adam_edu.ema: the EMA, its weights, half-life, window and the explorer's seeded sequence."""
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import adam_edu as ae
from adam_edu.ema import effective_window, ema, ema_weights, half_life, step_signal

betas = st.floats(0.0, 0.999)
sequences = st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=40)


@given(sequences, betas)
def test_ema_is_the_weighted_sum(values, beta):
    m = ema(values, beta)
    for t in (1, len(values)):
        expected = np.dot(ema_weights(beta, t), values[:t])
        assert m[t - 1] == pytest.approx(expected, rel=1e-9, abs=1e-9)


@given(st.floats(-10, 10), st.floats(0.0, 0.999), st.integers(1, 50))
def test_corrected_ema_of_a_constant_is_exact(c, beta, steps):
    assert np.allclose(ema(np.full(steps, c), beta, bias_correction=True), c, rtol=1e-9, atol=1e-12)


def test_weights_sum_to_one_minus_beta_to_the_t():
    for beta, t in [(0.9, 1), (0.9, 10), (0.999, 100)]:
        assert ema_weights(beta, t).sum() == pytest.approx(1 - beta**t)


def test_ema_matches_adam_moments():
    traj = ae.run("adam", ae.noisy(ae.bowl(), sigma=1.0, seed=3), steps=50, lr=0.05)
    assert np.allclose(traj.state["m"], ema(traj.grads, 0.9))
    assert np.allclose(traj.state["v"], ema(traj.grads**2, 0.999))
    assert np.allclose(traj.diagnostics.m_hat, ema(traj.grads, 0.9, bias_correction=True))


def test_ema_along_axis_0_of_a_2d_sequence():
    values = np.arange(12.0).reshape(6, 2)
    both = ema(values, 0.8, bias_correction=True)
    assert np.allclose(both[:, 1], ema(values[:, 1], 0.8, bias_correction=True))


def test_half_life_values_from_facts():
    assert half_life(0.9) == pytest.approx(6.58, abs=0.005)
    assert half_life(0.999) == pytest.approx(692.8, abs=0.05)
    # A common mistake is to call 1/(1 - beta) the half-life: it is not.
    assert abs(half_life(0.9) - effective_window(0.9)) > 3


@given(st.floats(0.05, 0.999))
def test_half_of_the_weight_lies_within_the_half_life(beta):
    h = half_life(beta)
    assert beta**h == pytest.approx(0.5)                  # the weight has halved
    assert 1 - beta**h == pytest.approx(0.5)              # the newest h steps carry half of it


def test_effective_window_is_mean_age_plus_one():
    beta = 0.9
    ages = np.arange(2000)
    weights = (1 - beta) * beta**ages
    assert np.sum(weights * (ages + 1)) == pytest.approx(effective_window(beta))


def test_step_signal_is_seeded_and_jumps():
    mean, values = step_signal(300, seed=4)
    again = step_signal(300, seed=4)[1]
    assert np.array_equal(values, again)
    assert not np.array_equal(values, step_signal(300, seed=5)[1])
    assert (mean[:150] == 1.0).all() and (mean[150:] == 2.0).all()
    assert math.isclose(np.std(values - mean), 0.5, rel_tol=0.15)


@pytest.mark.parametrize("call, error, match", [
    (lambda: ema([1.0], 1.0), ValueError, r"beta == 1.0, must be in \[0, 1\)"),
    (lambda: ema(1.0, 0.5), ValueError, "values is a scalar"),
    (lambda: ema([1.0], 0.5, bias_correction=1), TypeError, "bias_correction must be True or False"),
    (lambda: ema_weights(0.5, 0), ValueError, r"t == 0, must be a whole number in \[1, inf\)"),
    (lambda: half_life(0.0), ValueError, r"beta == 0.0, must be in \(0, 1\)"),
    (lambda: effective_window(-0.1), ValueError, r"beta == -0.1, must be in \[0, 1\)"),
    (lambda: step_signal(0), ValueError, r"steps == 0"),
    (lambda: step_signal(10, jump_at=11), ValueError, r"jump_at == 11, must be in \[0, steps\]"),
    (lambda: step_signal(10, jump_at=5, sigma=-1), ValueError, r"sigma == -1.0, must be in \[0, inf\)"),
])
def test_errors_name_the_parameter_and_range(call, error, match):
    with pytest.raises(error, match=match):
        call()


@pytest.mark.parametrize("beta, share", [(0.5, 0.75), (0.9, 0.651), (0.999, 0.632)])
def test_share_of_the_weight_within_the_effective_window(beta, share):
    window = round(effective_window(beta))
    assert ema_weights(beta, 20000)[::-1][:window].sum() == pytest.approx(share, abs=0.001)
