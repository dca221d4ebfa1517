r"""The least-squares problem of Wilson et al. (2017, section 3.3) where Adam generalises badly.

n samples, label :math:`y_i = +1` with probability p (else −1), features

.. math:: x_i = [\,y_i,\ 1,\ 1,\ \text{unique}_i\,] \in \mathbb R^{3 + 5n},

where sample i owns the five coordinates 3 + 5i … 3 + 5i + 4 and sets the first of them to 1 if
:math:`y_i = +1`, all five if :math:`y_i = -1`. A new sample's unique coordinates were never seen
in training (their weights stay 0), so it is classified by :math:`\mathrm{sign}(w_1 y + w_2 + w_3)`.

Gradient descent from 0 stays in the row space of X and converges to the minimum-norm solution,
which leans on the label feature :math:`w_1`; Adam's first steps have size α in *every* coordinate
that sees a gradient, and it ends with weights proportional to sign(Xᵀy), where
:math:`w_1 = w_2 = w_3` and every new sample is called +1 (test error 1 − p).

References
----------
A. C. Wilson, R. Roelofs, M. Stern, N. Srebro and B. Recht, "The Marginal Value of Adaptive
Gradient Methods in Machine Learning", NeurIPS 2017, section 3.3. Taught in lessons/06_training.ipynb.
"""
from __future__ import annotations

import numpy as np

from adam_edu import _validate as check
from adam_edu.registry import get_optimizer


def wilson_problem(n=60, p=0.7, seed=0):
    """Features X of shape (n, 3 + 5n) and labels y of shape (n,), seeded.

    Examples
    --------
    >>> X, y = wilson_problem(n=2, p=0.5, seed=0)
    >>> X.shape, X.sum(axis=1).tolist(), y.tolist()
    ((2, 13), [6.0, 4.0], [-1.0, 1.0])
    """
    n = check.step_number("n", n)
    p = check.real_number("p", p)
    if not 0.0 < p < 1.0:
        raise ValueError(f"p == {p!r}, must be in (0, 1).")
    rng = np.random.default_rng(check.count("seed", seed))
    y = np.where(rng.random(n) < p, 1.0, -1.0)
    X = np.zeros((n, 3 + 5 * n))
    X[:, 0], X[:, 1], X[:, 2] = y, 1.0, 1.0
    for i in range(n):
        X[i, 3 + 5 * i: 3 + 5 * i + (1 if y[i] > 0 else 5)] = 1.0
    return X, y


def least_squares_grad(X, y, w):
    r"""Gradient of :math:`\frac{1}{2n}\lVert Xw - y\rVert^2`: :math:`X^\top (Xw - y)/n`, over leading axes."""
    residual = (X @ w[..., None])[..., 0] - y
    return (np.swapaxes(X, -1, -2) @ residual[..., None])[..., 0] / X.shape[-2]


def fit(optimizer, X, y, *, steps, lrs, **hyper):
    """Full-batch ``optimizer`` from w = 0 on each problem (leading axis of X) and each α.

    Returns weights of shape (len(lrs), d), or (len(lrs), problems, d) for stacked problems.
    """
    opt = get_optimizer(optimizer)
    hyper = {k: v for k, v in opt.hyper(lr=1.0, **hyper).items() if k != "lr"}
    lrs = np.array([check.positive("lr", lr) for lr in np.atleast_1d(lrs)])
    X = np.repeat(np.asarray(X, dtype=float)[None], len(lrs), axis=0)   # a copy: matmul uses BLAS
    y = np.repeat(np.asarray(y, dtype=float)[None], len(lrs), axis=0)
    w = np.zeros(X.shape[:-2] + X.shape[-1:])
    state = opt.init(w)
    rate = lrs.reshape((-1,) + (1,) * (w.ndim - 1))
    for _ in range(check.step_number("steps", steps)):
        w, state = opt.update(w, least_squares_grad(X, y, w), state, lr=rate, **hyper)
    return w


def generalization_error(w, p=0.7, samples=100_000, seed=1):
    """Error rate on fresh samples, classified by sign(w₁y + w₂ + w₃) (one rate per weight vector).

    A tie (exactly 0) counts as an error.
    """
    y = np.where(np.random.default_rng(seed).random(samples) < p, 1.0, -1.0)
    w = np.asarray(w)
    score = w[..., :1] * y + w[..., 1:2] + w[..., 2:3]
    return (np.sign(score) != y).mean(axis=-1)
