"""Tests for adam_edu.bias: correction factors, how long they matter, Adam on a given sequence."""
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import adam_edu as ae
from adam_edu.bias import (adam_on_sequence, correction_factor, correction_matters_for,
                           uncorrected_first_step)

betas = st.floats(0.0, 0.9999)


@given(betas, st.integers(1, 100_000))
def test_factor_times_bias_is_one(beta, t):
    assert correction_factor(beta, t) * (1 - beta**t) == pytest.approx(1.0)


def test_factor_is_vectorised_and_decreasing():
    factors = correction_factor(0.999, np.arange(1, 5000))
    assert factors[0] == pytest.approx(1000.0)
    assert np.all(np.diff(factors) < 0) and factors[-1] > 1.0


@pytest.mark.parametrize("beta, tol", [(0.9, 0.01), (0.99, 0.01), (0.999, 0.01), (0.999, 0.1),
                                       (0.9999, 0.01), (0.5, 1e-6), (0.0, 0.01)])
def test_matters_for_is_the_first_step_below_tolerance(beta, tol):
    t = correction_matters_for(beta, tol)
    assert correction_factor(beta, t) <= 1 + tol
    assert t == 1 or correction_factor(beta, t - 1) > 1 + tol


def test_matters_for_thousands_of_steps_not_twenty():
    assert correction_matters_for(0.999) > 1000 / 0.999 * math.log(100) * 0.99
    assert correction_factor(0.999, 20) > 50        # far from 1 after "the first ~20 steps"


@pytest.mark.parametrize("beta2, ratio", [(0.999, math.sqrt(10)), (0.9999, 10.0)])
def test_uncorrected_first_step_matches_adam_step(beta2, ratio):
    lr = 0.02
    assert uncorrected_first_step(lr, 0.9, beta2) == pytest.approx(ratio * lr)
    new, _ = ae.adam_step(1.0, 7.0, ae.adam_init(1.0), lr=lr, beta2=beta2, eps=0.0,
                          bias_correction=False)
    assert 1.0 - new == pytest.approx(ratio * lr)


def test_sequence_matches_adam_step_loop():
    grads = np.random.default_rng(3).standard_normal((50, 2))
    run = adam_on_sequence(grads, lr=0.1, beta2=0.99)
    params, state = np.zeros(2), ae.adam_init(np.zeros(2))
    for i, g in enumerate(grads):
        new, state = ae.adam_step(params, g, state, lr=0.1, beta2=0.99)
        np.testing.assert_allclose(run.diagnostics.step[i], params - new, rtol=1e-12)
        np.testing.assert_array_equal(run.m[i], state.m)
        params = new


def test_sequence_of_scalars_gives_adam_steps_moments_bit_for_bit():
    grads = 1.0 + np.random.default_rng(3).standard_normal(200)
    run = adam_on_sequence(grads, beta1=0.7, beta2=0.9)
    state = ae.adam_init(np.zeros(1))
    for i, g in enumerate(grads):
        _, state = ae.adam_step(np.zeros(1), [g], state, beta1=0.7, beta2=0.9)
        assert run.m[i] == state.m[0] and run.v[i] == state.v[0]


def test_expected_m_is_biased_by_one_minus_beta_t():
    """E[m_t] = E[g](1 − β^t): checked on the mean over many seeded noisy sequences."""
    grads = 2.0 + np.random.default_rng(0).standard_normal((30, 20_000))
    run = adam_on_sequence(grads, beta1=0.8)
    expected = 2.0 * (1 - 0.8 ** run.t)
    np.testing.assert_allclose(run.m.mean(axis=1), expected, atol=0.02)
    np.testing.assert_allclose(run.diagnostics.m_hat.mean(axis=1), 2.0, atol=0.03)


@pytest.mark.parametrize("call, match", [
    (lambda: correction_factor(1.0, 3), r"beta == 1.0, must be in \[0, 1\)"),
    (lambda: correction_factor(0.9, 0), r"t == 0, must be in \[1, inf\)"),
    (lambda: correction_factor(0.9, 1.5), r"t must be a whole number"),
    (lambda: correction_matters_for(0.9, tol=0.0), r"tol == 0.0, must be in \(0, inf\)"),
    (lambda: uncorrected_first_step(0.1, 0.9, -0.1), r"beta2 == -0.1, must be in \[0, 1\)"),
    (lambda: adam_on_sequence(1.0), r"grads has shape \(\)"),
    (lambda: adam_on_sequence([1.0, np.nan]), r"grads contains nan or inf"),
])
def test_bad_input_is_named(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()


def test_one_dimensional_fast_path_agrees_with_adam_step():
    grads = np.random.default_rng(4).standard_normal(200) * 10.0 ** np.arange(-4, 4, 0.04)
    run = adam_on_sequence(grads, beta1=0.8, beta2=0.99)
    state = ae.adam_init(0.0)
    for i, g in enumerate(grads):
        _, state = ae.adam_step(0.0, g, state, beta1=0.8, beta2=0.99)
        assert run.m[i] == state.m and run.v[i] == state.v
