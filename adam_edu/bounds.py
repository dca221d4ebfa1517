r"""How large can an Adam step be? The paper's section 2.1 bound, and the exact worst case.

With :math:`\epsilon = 0` the step is :math:`\alpha \cdot \hat m_t / \sqrt{\hat v_t}`, and both
moments are weighted sums of the same gradients:

.. math::
    \hat m_t = \sum_{i=1}^t w_i g_i, \quad w_i = \frac{(1-\beta_1)\beta_1^{t-i}}{1-\beta_1^t}, \qquad
    \hat v_t = \sum_{i=1}^t u_i g_i^2, \quad u_i = \frac{(1-\beta_2)\beta_2^{t-i}}{1-\beta_2^t}.

Cauchy-Schwarz gives :math:`|\hat m_t| \le \sqrt{\sum_i w_i^2/u_i}\,\sqrt{\hat v_t}`, with equality
for :math:`g_i \propto w_i/u_i`. So the exact worst case over all gradient sequences is
:func:`worst_case_ratio`. The paper's bound :func:`paper_bound` is the value of a single "sparse
spike" (a gradient that was zero before step t) as t grows; a gradient that *grows* geometrically,
:math:`g_i \propto (\beta_2/\beta_1)^i`, exceeds it (5.78 at t = 1000 with the defaults, against 3.16).

Taught in lessons/04_snr_annealing.ipynb.
"""
from __future__ import annotations

import math

import numpy as np

from adam_edu import _validate as check


def paper_bound(beta1=0.9, beta2=0.999) -> float:
    r"""Kingma & Ba's section 2.1 bound on :math:`|\Delta_t|/\alpha`.

    :math:`(1-\beta_1)/\sqrt{1-\beta_2}` when :math:`(1-\beta_1) > \sqrt{1-\beta_2}`, else 1.

    Examples
    --------
    >>> round(paper_bound(0.9, 0.999), 4), paper_bound(0.9, 0.9)
    (3.1623, 1.0)
    """
    beta1, beta2 = check.beta("beta1", beta1), check.beta("beta2", beta2)
    ratio = (1 - beta1) / math.sqrt(1 - beta2)
    return ratio if (1 - beta1) > math.sqrt(1 - beta2) else 1.0


def weights(t, beta1=0.9, beta2=0.999):
    """The weights (w_i, u_i), i = 1..t, that make m̂_t and v̂_t from g_1..g_t (see module notes)."""
    t = check.count("t", t)
    if t == 0:
        raise ValueError("t == 0, must be in [1, inf): the moments exist after the first step.")
    beta1, beta2 = check.beta("beta1", beta1), check.beta("beta2", beta2)
    age = t - np.arange(1, t + 1)                          # t - i
    w = (1 - beta1) * beta1**age / (1 - beta1**t)
    u = (1 - beta2) * beta2**age / (1 - beta2**t)
    return w, u


def worst_case_ratio(t, beta1=0.9, beta2=0.999) -> float:
    r"""The largest :math:`|\hat m_t/\sqrt{\hat v_t}|` any gradient sequence can reach at step t.

    Equals :math:`\sqrt{\sum_i w_i^2/u_i}`; it is 1 at t = 1 and, when :math:`\beta_1^2 < \beta_2`,
    tends to :math:`\frac{1-\beta_1}{\sqrt{1-\beta_2}} / \sqrt{1-\beta_1^2/\beta_2}` (7.27 with the
    defaults).

    Examples
    --------
    >>> [round(worst_case_ratio(t), 2) for t in (1, 100, 1000)]
    [1.0, 2.24, 5.78]
    """
    w, u = weights(t, beta1, beta2)
    # u_i = 0 only when beta2 = 0 (v̂ forgets all but g_t): then any w_i > 0 makes the ratio unbounded.
    with np.errstate(over="ignore"):
        terms = np.divide(w * w, u, out=np.where(w == 0, 0.0, np.inf), where=u > 0)
    return float(np.sqrt(np.sum(terms)))


def worst_case_gradients(t, beta1=0.9, beta2=0.999) -> np.ndarray:
    """A gradient sequence g_1..g_t that reaches :func:`worst_case_ratio` at step t (g_i ∝ w_i/u_i)."""
    w, u = weights(t, beta1, beta2)
    g = w / u
    return g / g.max()


def sparse_spike_ratio(t, beta1=0.9, beta2=0.999) -> float:
    r""":math:`|\hat m_t/\sqrt{\hat v_t}|` when g_1 = ... = g_{t-1} = 0 and g_t ≠ 0.

    Equals :math:`w_t/\sqrt{u_t}`; about 1.0, 0.48, 0.98, 2.5, 3.16 at t = 1, 10, 100, 1000, 10000
    with the defaults, tending to the paper's bound.

    Examples
    --------
    >>> [round(sparse_spike_ratio(t), 2) for t in (1, 10, 100, 1000, 10000)]
    [1.0, 0.48, 0.98, 2.5, 3.16]
    """
    t = check.count("t", t)
    if t == 0:
        raise ValueError("t == 0, must be in [1, inf): the moments exist after the first step.")
    beta1, beta2 = check.beta("beta1", beta1), check.beta("beta2", beta2)
    w_t = (1 - beta1) / (1 - beta1**t)
    u_t = (1 - beta2) / (1 - beta2**t)
    return w_t / math.sqrt(u_t)
