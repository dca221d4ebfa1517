"""Tests for adam_edu.snr: the section 2.1 bound, the sparse spike, scaled objectives."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import adam_edu as ae
from adam_edu.bias import adam_on_sequence
from adam_edu.snr import scaled, sparse_spike, step_bound


SPIKE = [(1, 1.0), (10, 0.48), (100, 0.98), (1000, 2.5), (10_000, 3.16)]   # FACTS.md


@pytest.mark.parametrize("t, ratio", SPIKE)
def test_sparse_spike_ratios(t, ratio):
    snr = adam_on_sequence(sparse_spike(t), eps=0.0).diagnostics.snr[-1]
    assert snr == pytest.approx(ratio, abs=0.02)
    assert snr <= step_bound(1.0, 0.9, 0.999)


def test_bound_cases():
    assert step_bound(0.1, 0.9, 0.999) == pytest.approx(0.1 * 0.1 / math.sqrt(0.001))
    assert step_bound(0.1, 0.9, 0.99) == 0.1             # (1 − β1) = √(1 − β2): second case
    assert step_bound(0.1, 0.95, 0.99) == 0.1


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=60), st.sampled_from([0.0, 0.5, 0.9]),
       st.sampled_from([0.9, 0.99, 0.999]))
def test_bound_holds_on_any_sequence(grads, beta1, beta2):
    snr = adam_on_sequence(grads, beta1=beta1, beta2=beta2, eps=0.0).diagnostics.snr
    assert np.all(np.abs(snr) <= step_bound(1.0, beta1, beta2) * (1 + 1e-9))


def test_scaled_objective_gives_the_same_path():
    base = ae.bowl()
    path = ae.run("adam", base, steps=100, lr=0.05, eps=0.0).params
    for c in (2.0**10, 2.0**-10):
        np.testing.assert_array_equal(ae.run("adam", scaled(base, c), steps=100, lr=0.05,
                                             eps=0.0).params, path)
    other = ae.run("adam", scaled(base, 1e3), steps=100, lr=0.05, eps=0.0).params
    np.testing.assert_allclose(other, path, rtol=1e-12, atol=1e-12)


def test_scaled_keeps_noise_scaled():
    noisy = ae.noisy(ae.wavy(), 0.5, seed=2)
    expected = 3 * noisy.stochastic_grad(1.0, 5)
    assert scaled(noisy, 3.0).stochastic_grad(1.0, 5) == pytest.approx(expected)


@pytest.mark.parametrize("call, match", [
    (lambda: sparse_spike(0), r"t == 0, must be in \[1, inf\)"),
    (lambda: scaled(ae.bowl(), 0.0), r"c == 0.0, must be in \(0, inf\)"),
    (lambda: step_bound(0.1, 1.0, 0.9), r"beta1 == 1.0, must be in \[0, 1\)"),
])
def test_bad_input_is_named(call, match):
    with pytest.raises(ValueError, match=match):
        call()
