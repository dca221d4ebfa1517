"""Closed-form facts about Adam, checked on adam_edu's own computations.

D. P. Kingma and J. Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015, arXiv:1412.6980
(Algorithm 1, sections 2.1 and 3); the docstrings of adam_edu/adam.py, bias.py and snr.py.
"""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import adam_edu as ae

finite = st.floats(-1e3, 1e3, allow_nan=False).filter(lambda x: abs(x) > 1e-3)
betas = st.floats(0.0, 0.9999)
rates = st.floats(1e-4, 1.0)
gradient_vectors = arrays(np.float64, st.integers(1, 4), elements=finite)


@settings(max_examples=200, deadline=None)
@given(g=gradient_vectors, lr=rates, beta1=betas, beta2=betas)
def test_first_corrected_step_is_lr_times_sign(g, lr, beta1, beta2):
    params = np.zeros_like(g)
    new, _ = ae.adam_step(params, g, ae.adam_init(params), lr=lr, beta1=beta1, beta2=beta2, eps=0.0)
    np.testing.assert_allclose(params - new, lr * np.sign(g), rtol=1e-12)


@settings(max_examples=200, deadline=None)
@given(g=gradient_vectors, lr=rates, beta1=betas, beta2=betas)
def test_first_uncorrected_step(g, lr, beta1, beta2):
    params = np.zeros_like(g)
    new, _ = ae.adam_step(params, g, ae.adam_init(params), lr=lr, beta1=beta1, beta2=beta2, eps=0.0,
                          bias_correction=False)
    expected = lr * (1 - beta1) / math.sqrt(1 - beta2) * np.sign(g)
    np.testing.assert_allclose(params - new, expected, rtol=1e-12)


@pytest.mark.parametrize("beta2, factor", [(0.999, 3.1623), (0.9999, 10.0)])
def test_uncorrected_first_step_is_3_16_or_10_times_lr(beta2, factor):
    new, _ = ae.adam_step(0.0, 5.0, ae.adam_init(0.0), lr=0.02, beta2=beta2, eps=0.0,
                          bias_correction=False)
    assert round(float(-new / 0.02), 4) == factor


@settings(max_examples=100, deadline=None)
@given(grads=arrays(np.float64, st.tuples(st.integers(1, 30), st.integers(1, 3)), elements=finite),
       c=st.floats(1e-3, 1e3), beta1=betas, beta2=betas, correct=st.booleans())
def test_gradient_scale_invariance(grads, c, beta1, beta2, correct):
    """Multiplying every gradient by c > 0 leaves every step unchanged when eps = 0."""
    hyper = dict(lr=0.1, beta1=beta1, beta2=beta2, eps=0.0, bias_correction=correct)
    p, q = np.zeros(grads.shape[1]), np.zeros(grads.shape[1])
    sp, sq = ae.adam_init(p), ae.adam_init(q)
    for g in grads:
        p, sp = ae.adam_step(p, g, sp, **hyper)
        q, sq = ae.adam_step(q, c * g, sq, **hyper)
        np.testing.assert_allclose(q, p, rtol=1e-9, atol=1e-12)


def test_scale_invariance_is_only_approximate_with_eps():
    """With eps > 0 tiny gradients are damped: the invariance is exact only for eps = 0."""
    f = ae.bowl()
    tiny = ae.run("adam", f, steps=1, lr=0.1, eps=1e-3)
    assert tiny.diagnostics.step[0, 0] < 0.1 * (1 - 1e-4)
    exact = ae.run("adam", f, steps=1, lr=0.1, eps=0.0)
    assert exact.diagnostics.step[0, 0] == pytest.approx(0.1, rel=1e-15)


# The step-size bound (paper's figure, exact worst case, sparse spike) is tested in test_snr.py.


def test_adam_with_beta1_zero_is_bias_corrected_rmsprop():
    rng = np.random.default_rng(0)
    p = q = rng.standard_normal(3)
    sp, sq = ae.adam_init(p), ae.rmsprop_init(q)
    for g in rng.standard_normal((50, 3)):
        p, sp = ae.adam_step(p, g, sp, lr=0.01, beta1=0.0, beta2=0.9, eps=1e-8)
        q, sq = ae.rmsprop_step(q, g, sq, lr=0.01, beta=0.9, eps=1e-8, bias_correction=True)
        np.testing.assert_allclose(p, q, rtol=1e-13)


def test_momentum_with_beta_zero_is_sgd():
    rng = np.random.default_rng(1)
    p = q = rng.standard_normal(3)
    sp, sq = ae.momentum_init(p), ae.sgd_init(q)
    for g in rng.standard_normal((50, 3)):
        p, sp = ae.momentum_step(p, g, sp, lr=0.1, beta=0.0)
        q, sq = ae.sgd_step(q, g, sq, lr=0.1)
        np.testing.assert_array_equal(p, q)


@pytest.mark.parametrize("objective, steps, lr, tolerance", [
    (ae.bowl(), 2000, 0.05, 1e-3), (ae.rosenbrock(), 5000, 0.02, 1e-2)])
def test_adam_reaches_the_minimum(objective, steps, lr, tolerance):
    traj = ae.run("adam", objective, steps=steps, lr=lr)
    assert np.linalg.norm(traj.params[-1] - objective.minimizer) < tolerance


def test_adamw_decays_every_weight_alike_but_l2_spares_large_gradients():
    """Loshchilov & Hutter: L2 through Adam is divided by √v̂, so a weight with large gradients keeps
    almost all of it; AdamW's decoupled decay shrinks both weights alike."""
    rng = np.random.default_rng(0)
    grads = rng.choice([-1.0, 1.0], size=(200, 2)) * np.array([1e-3, 1e3])   # zero-mean noise
    final = {}
    for name in ("adam", "adam_l2", "adamw"):
        opt = ae.OPTIMIZERS[name]
        hyper = {} if name == "adam" else {"weight_decay": 0.5}
        params, state = np.ones(2), opt.init(np.ones(2))
        for g in grads:
            params, state = opt.step(params, g, state, lr=0.01, **hyper)
        final[name] = params
    l2, w = final["adam_l2"] / final["adam"], final["adamw"] / final["adam"]
    assert l2[0] < 0.05 and l2[1] > 0.99          # small-gradient weight decayed, large one spared
    assert abs(w[0] - w[1]) < 0.05 and w.max() < 0.4   # both decayed alike


def test_adamw_step_is_adam_minus_lr_lambda_theta():
    params, grads = np.array([1.0, -2.0]), np.array([0.3, 4.0])
    w, _ = ae.adamw_step(params, grads, ae.adam_init(params), lr=0.1, weight_decay=0.5)
    plain, _ = ae.adam_step(params, grads, ae.adam_init(params), lr=0.1)
    np.testing.assert_allclose(w, plain - 0.1 * 0.5 * params, rtol=1e-15)
