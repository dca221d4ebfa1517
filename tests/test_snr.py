"""Tests for adam_edu.snr: the paper's section 2.1 figure, the exact worst case, scaled objectives.

What is true (and tested here): every step obeys the exact Cauchy-Schwarz worst case
sqrt(sum w_i²/u_i); the paper's figure holds for the sparse spike, for gradients whose size never
grows, and (with the defaults) for every sequence of at most 209 steps; it does NOT hold for a
gradient that grows by about β2/β1 per step (up to 7.27 against 3.16 with the defaults).
"""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import adam_edu as ae
from adam_edu.bias import adam_on_sequence
from adam_edu.snr import (scaled, sparse_spike, sparse_spike_ratio, step_bound, weights,
                          worst_case_gradients, worst_case_ratio)

SPIKE = [(1, 1.0), (10, 0.48), (100, 0.98), (1000, 2.5), (10_000, 3.16)]   # sparse_spike_ratio's docstring
PAPER = step_bound(1.0, 0.9, 0.999)                                       # 3.1623 (defaults)
betas = st.floats(0.0, 0.9999)
# Zero or of a size whose square is still a normal float (g² of 1e-162 underflows and loses digits).
sized = st.one_of(st.just(0.0), st.floats(1e-100, 1e3), st.floats(-1e3, -1e-100))


def snr_at_every_step(grads, beta1=0.9, beta2=0.999):
    """|m̂_t/√v̂_t| for t = 1 ... len(grads), from Adam's own update (ε = 0)."""
    return np.abs(adam_on_sequence(grads, beta1=beta1, beta2=beta2, eps=0.0).diagnostics.snr)


@pytest.mark.parametrize("t, ratio", SPIKE)
def test_sparse_spike_ratios(t, ratio):
    snr = snr_at_every_step(sparse_spike(t))[-1]
    assert snr == pytest.approx(ratio, abs=0.02)
    assert snr == pytest.approx(sparse_spike_ratio(t), rel=1e-9)


def test_bound_cases():
    assert step_bound(0.1, 0.9, 0.999) == pytest.approx(0.1 * 0.1 / math.sqrt(0.001))
    assert step_bound(0.1, 0.9, 0.99) == 0.1             # (1 − β1) = √(1 − β2): second case
    assert step_bound(0.1, 0.95, 0.99) == 0.1


# (a) The exact worst case holds for every sequence.

@settings(max_examples=150, deadline=None)
@given(grads=arrays(np.float64, st.integers(1, 60), elements=sized), beta1=betas, beta2=betas)
def test_every_step_is_within_the_exact_worst_case(grads, beta1, beta2):
    """Cauchy-Schwarz: |m̂_t| = |Σ w_i g_i| ≤ sqrt(Σ w_i²/u_i)·sqrt(Σ u_i g_i²) for any gradients."""
    snr = snr_at_every_step(grads, beta1, beta2)
    limit = [worst_case_ratio(t, beta1, beta2) for t in range(1, len(grads) + 1)]
    assert np.all(snr <= np.array(limit) * (1 + 1e-9))


@pytest.mark.parametrize("t, beta1, beta2", [(1, 0.9, 0.999), (7, 0.5, 0.5), (60, 0.9, 0.999),
                                             (1000, 0.9, 0.999), (50, 0.3, 0.1), (40, 0.99, 0.9),
                                             (30, 0.0, 0.5)])
def test_worst_case_gradients_reach_the_worst_case(t, beta1, beta2):
    w, u = weights(t, beta1, beta2)
    assert worst_case_ratio(t, beta1, beta2) == pytest.approx(np.sqrt(np.sum(w * w / u)), rel=1e-9)
    reached = snr_at_every_step(worst_case_gradients(t, beta1, beta2), beta1, beta2)[-1]
    assert reached == pytest.approx(worst_case_ratio(t, beta1, beta2), rel=1e-9)


def test_worst_case_tends_to_the_closed_form_limit():
    limit = 0.1 / math.sqrt(0.001) / math.sqrt(1 - 0.81 / 0.999)
    assert round(limit, 2) == 7.27
    assert worst_case_ratio(100_000) == pytest.approx(limit, rel=1e-12)
    # no underflow where the weights themselves underflow (u_i = 0.9 · 0.1^(t−i))
    assert worst_case_ratio(100_000, 0.3, 0.1) == pytest.approx(0.7 / math.sqrt(0.9 - 0.81), rel=1e-12)


# (b) Where the paper's figure does hold.

@pytest.mark.parametrize("beta1, beta2", [(0.9, 0.999), (0.9, 0.9999), (0.9, 0.99), (0.5, 0.999),
                                          (0.99, 0.999), (0.0, 0.9), (0.3, 0.1)])
def test_paper_figure_holds_for_the_sparse_spike_at_every_step(beta1, beta2):
    """w_t/√u_t rises (after a dip) to (1 − β1)/√(1 − β2) and never passes the paper's figure."""
    steps = range(1, 20_001)
    ratios = np.array([sparse_spike_ratio(t, beta1, beta2) for t in steps])
    assert np.all(ratios <= step_bound(1.0, beta1, beta2) * (1 + 1e-12))
    measured = snr_at_every_step(sparse_spike(500), beta1, beta2)[-1]
    assert measured == pytest.approx(ratios[499], rel=1e-9)


@settings(max_examples=150, deadline=None)
@given(sizes=arrays(np.float64, st.integers(1, 100), elements=st.floats(1e-100, 1e3)),
       signs=st.lists(st.sampled_from([-1.0, 1.0]), min_size=100, max_size=100),
       beta1=betas, beta2=betas)
def test_gradients_whose_size_never_grows_stay_within_lr(sizes, signs, beta1, beta2):
    """If |g_1| ≥ |g_2| ≥ ... and β1 ≤ β2, then |m̂_t/√v̂_t| ≤ 1 ≤ the paper's figure.

    Proof: for β1 ≤ β2 the weights w put at least as much mass as u on every block of recent steps
    (Σ_{i≥k} w_i = (1 − β1^{t−k+1})/(1 − β1^t) falls as β1 grows), and the older gradients are the
    larger, so |m̂_t| ≤ Σ w_i|g_i| ≤ Σ u_i|g_i| ≤ sqrt(Σ u_i g_i²) = √v̂_t (Jensen, Σ u_i = 1).
    """
    beta1, beta2 = min(beta1, beta2), max(beta1, beta2)
    grads = np.sort(sizes)[::-1] * np.array(signs[:len(sizes)])
    snr = snr_at_every_step(grads, beta1, beta2)
    assert np.all(snr <= 1 + 1e-9)
    assert np.all(snr <= step_bound(1.0, beta1, beta2) * (1 + 1e-9))


def test_with_the_defaults_no_sequence_of_209_steps_passes_the_paper_figure():
    assert worst_case_ratio(209) <= PAPER < worst_case_ratio(210)


@settings(max_examples=100, deadline=None)
@given(grads=arrays(np.float64, st.integers(1, 209), elements=sized))
def test_paper_figure_holds_for_any_sequence_of_at_most_209_steps(grads):
    assert np.all(snr_at_every_step(grads) <= PAPER * (1 + 1e-9))


# (c) Where it does not: a gradient that grows.

def test_a_quiet_then_growing_gradient_exceeds_the_paper_figure():
    """10 000 zero gradients, then 40 growing by β2/β1 ≈ 1.11 per step (1 to 58.6): 7.27, not 3.16."""
    growth = 0.999 / 0.9
    grads = np.concatenate([np.zeros(10_000), growth ** np.arange(40)])
    snr = snr_at_every_step(grads)[-1]
    assert round(grads[-1], 1) == 58.6
    assert round(snr, 3) == 7.269 and snr > 2.29 * PAPER
    assert snr == pytest.approx(worst_case_ratio(len(grads)), rel=2e-4)   # the 40 steps hold it all
    assert snr <= worst_case_ratio(len(grads))


def test_a_growing_gradient_exceeds_the_paper_figure_at_t_1000():
    snr = snr_at_every_step(worst_case_gradients(1000))[-1]
    assert round(snr, 2) == 5.78 > PAPER


def test_the_second_case_fails_too():
    """β1 = 0.3, β2 = 0.1: the paper says |Δ_t| ≤ α, yet a growing gradient reaches 2.33 α."""
    assert step_bound(1.0, 0.3, 0.1) == 1.0
    snr = snr_at_every_step(worst_case_gradients(60, 0.3, 0.1), 0.3, 0.1)[-1]
    assert round(snr, 2) == 2.33


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
    (lambda: sparse_spike(0), r"t == 0, must be a whole number in \[1, inf\)"),
    (lambda: sparse_spike_ratio(0), r"t == 0, must be a whole number in \[1, inf\)"),
    (lambda: worst_case_ratio(0), r"t == 0, must be a whole number in \[1, inf\)"),
    (lambda: weights(3, 0.9, 1.0), r"beta2 == 1.0, must be in \[0, 1\)"),
    (lambda: worst_case_gradients(5, 0.5, 0.0), r"beta2 == 0.0 with beta1 == 0.5: .*unbounded"),
    (lambda: scaled(ae.bowl(), 0.0), r"c == 0.0, must be in \(0, inf\)"),
    (lambda: step_bound(0.1, 1.0, 0.9), r"beta1 == 1.0, must be in \[0, 1\)"),
])
def test_bad_input_is_named(call, match):
    with pytest.raises(ValueError, match=match):
        call()
