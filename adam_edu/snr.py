r"""How large is Adam's step? The paper's section 2.1 bound and its exact worst case.

With :math:`\epsilon = 0` the step is :math:`\Delta_t = \alpha\,\hat m_t/\sqrt{\hat v_t}`, and
:math:`\hat m_t/\sqrt{\hat v_t}` is what the paper calls the signal-to-noise ratio (SNR). Both
moments are weighted sums of the same gradients:

.. math::
    \hat m_t = \sum_{i=1}^t w_i g_i, \quad w_i = \frac{(1-\beta_1)\beta_1^{t-i}}{1-\beta_1^t}, \qquad
    \hat v_t = \sum_{i=1}^t u_i g_i^2, \quad u_i = \frac{(1-\beta_2)\beta_2^{t-i}}{1-\beta_2^t}.

Cauchy-Schwarz gives :math:`|\hat m_t| \le \sqrt{\sum_i w_i^2/u_i}\,\sqrt{\hat v_t}`, with equality
for :math:`g_i \propto w_i/u_i`: that is the exact worst case, :func:`worst_case_ratio`. The paper's
figure, :func:`step_bound`, is the limit of a "sparse spike" (:func:`sparse_spike_ratio`): a good
rule of thumb, not a worst case. A gradient that *grows* geometrically,
:math:`g_i \propto (\beta_2/\beta_1)^i`, exceeds it: 5.78 at t = 1000 with the defaults, against
3.16. Taught in lessons/04_snr_annealing.ipynb.
"""
from __future__ import annotations

import math

import numpy as np

from adam_edu import _validate as validate
from adam_edu.ema import ema_weights
from adam_edu.objectives import scaled  # noqa: F401  (lesson 4 imports it from here)


def _betas(beta1, beta2) -> tuple[float, float]:
    checked = validate.hyperparameters(beta1=beta1, beta2=beta2)
    return checked["beta1"], checked["beta2"]


def step_bound(lr, beta1, beta2) -> float:
    r"""The paper's figure for the largest :math:`|\Delta_t|` (section 2.1), in the case that applies.

    .. math::
        |\Delta_t| \le \alpha \frac{1 - \beta_1}{\sqrt{1 - \beta_2}}
        \ \text{if}\ (1 - \beta_1) > \sqrt{1 - \beta_2},
        \qquad |\Delta_t| \le \alpha \ \text{otherwise}.

    Parameters
    ----------
    lr : float
        Step size α, in (0, inf).
    beta1, beta2 : float
        Decay rates, each in [0, 1).

    Returns
    -------
    float
        The paper's figure for the effective step :math:`\alpha \hat m_t / \sqrt{\hat v_t}` (ε = 0).

    Notes
    -----
    The first case is the limit of a sparse spike (:func:`sparse_spike_ratio`); typical steps stay
    near α or below. It is a rule of thumb, not a theorem: :func:`worst_case_ratio` is the true
    worst case, up to 7.27α with the defaults (and 2.33α for β1 = 0.3, β2 = 0.1, the second case).

    References
    ----------
    D. P. Kingma and J. Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015, section 2.1.

    Examples
    --------
    >>> round(step_bound(1.0, 0.9, 0.999), 4)      # first case: (1 − β1) > √(1 − β2)
    3.1623
    >>> step_bound(1.0, 0.9, 0.99), step_bound(1.0, 0.99, 0.999)   # second case
    (1.0, 1.0)

    Taught in lessons/04_snr_annealing.ipynb.
    """
    hyper = validate.hyperparameters(lr=lr, beta1=beta1, beta2=beta2)
    lr, beta1, beta2 = hyper["lr"], hyper["beta1"], hyper["beta2"]
    if (1 - beta1) > math.sqrt(1 - beta2):
        return lr * (1 - beta1) / math.sqrt(1 - beta2)
    return lr


def weights(t, beta1=0.9, beta2=0.999) -> tuple[np.ndarray, np.ndarray]:
    r"""The weights :math:`w_i, u_i` (i = 1 ... t) with :math:`\hat m_t = \sum w_i g_i` and
    :math:`\hat v_t = \sum u_i g_i^2` (bias-corrected, see the module notes).

    Parameters
    ----------
    t : int
        Step, in [1, inf).
    beta1, beta2 : float, default=0.9, 0.999
        Decay rates, each in [0, 1).

    Returns
    -------
    w, u : ndarray of shape (t,)
        Each sums to 1 (up to rounding): m̂_t and v̂_t are weighted averages.

    Examples
    --------
    >>> w, u = weights(2, 0.5, 0.5)
    >>> w, u
    (array([0.33333333, 0.66666667]), array([0.33333333, 0.66666667]))
    """
    t = validate.step_number("t", t)
    beta1, beta2 = _betas(beta1, beta2)
    w = ema_weights(beta1, t) / (1 - beta1**t)             # m_t's weights, bias-corrected
    u = ema_weights(beta2, t) / (1 - beta2**t)             # v_t's weights, bias-corrected
    return w, u


def worst_case_ratio(t, beta1=0.9, beta2=0.999) -> float:
    r"""The largest :math:`|\hat m_t/\sqrt{\hat v_t}|` that any gradients :math:`g_1 \dots g_t` give.

    .. math::
        \sqrt{\sum_i \frac{w_i^2}{u_i}}
        = \frac{1-\beta_1}{1-\beta_1^t}\sqrt{\frac{1-\beta_2^t}{1-\beta_2}
          \sum_{k=0}^{t-1} \Big(\frac{\beta_1^2}{\beta_2}\Big)^k}
        \ \xrightarrow{t\to\infty}\ \frac{1-\beta_1}{\sqrt{1-\beta_2}}
        \Big/ \sqrt{1-\beta_1^2/\beta_2} \quad (\beta_1^2 < \beta_2).

    Parameters
    ----------
    t : int
        Step, in [1, inf).
    beta1, beta2 : float, default=0.9, 0.999
        Decay rates, each in [0, 1).

    Returns
    -------
    float
        1 at t = 1; with the defaults 2.24 at t = 100, 5.78 at t = 1000, tending to 7.27. ``inf``
        when β2 = 0 < β1 and t > 1 (v̂ forgets every gradient but g_t, m̂ does not).

    Examples
    --------
    >>> [round(worst_case_ratio(t), 2) for t in (1, 100, 1000, 100_000)]
    [1.0, 2.24, 5.78, 7.27]

    Taught in lessons/04_snr_annealing.ipynb.
    """
    t = validate.step_number("t", t)
    beta1, beta2 = _betas(beta1, beta2)
    if t == 1 or beta1 == 0.0:                  # only w_t > 0: the sparse spike is the worst case
        return sparse_spike_ratio(t, beta1, beta2)
    q = beta1**2 / beta2 if beta2 > 0 else math.inf   # w_i²/u_i shrinks by q per step back
    if math.isinf(q):
        return math.inf
    if q == 0.0 or q == 1.0:
        total = 1.0 if q == 0.0 else float(t)
    else:                                       # sum of q^k for k < t, accurate for q near 1
        with np.errstate(over="ignore", divide="ignore"):      # q → 0 or t·ln q → inf
            total = float(np.expm1(t * np.log1p(q - 1)) / (q - 1))
    scale = (1 - beta1) / (1 - beta1**t) * math.sqrt((1 - beta2**t) / (1 - beta2))
    return scale * math.sqrt(total)


def worst_case_gradients(t, beta1=0.9, beta2=0.999) -> np.ndarray:
    r"""Gradients :math:`g_1 \dots g_t` that reach :func:`worst_case_ratio` at step t.

    :math:`g_i \propto w_i/u_i \propto (\beta_2/\beta_1)^i`, scaled so the largest is 1: with
    β1 < β2 a gradient that grows by β2/β1 per step (1.11 with the defaults).

    Parameters
    ----------
    t : int
        Step, in [1, inf).
    beta1, beta2 : float, default=0.9, 0.999
        Decay rates, each in [0, 1); β2 = 0 < β1 is refused for t > 1 (no worst case exists).

    Returns
    -------
    ndarray of shape (t,)

    Examples
    --------
    >>> worst_case_gradients(3, 0.5, 0.75)
    array([0.44444444, 0.66666667, 1.        ])

    Taught in lessons/04_snr_annealing.ipynb.
    """
    t = validate.step_number("t", t)
    beta1, beta2 = _betas(beta1, beta2)
    if beta2 == 0.0 and beta1 > 0.0 and t > 1:
        raise ValueError(f"beta2 == 0.0 with beta1 == {beta1!r}: the ratio is unbounded, so no "
                         "sequence reaches a worst case; use beta2 in (0, 1).")
    age = t - np.arange(1, t + 1)                          # t - i
    if beta1 <= beta2:                                     # largest at the newest step
        return (beta1 / beta2 if beta2 > 0 else 0.0) ** age
    return (beta2 / beta1) ** (t - 1 - age)                # largest at the oldest step


def sparse_spike(t, size=1.0) -> np.ndarray:
    """Gradients g_1 ... g_t that are 0 at every step before t and ``size`` at step t.

    The classic case near the paper's figure: at step t, m̂ holds a (1 − β1)/(1 − β1^t) share of
    the spike, √v̂ only a √((1 − β2)/(1 − β2^t)) share (:func:`sparse_spike_ratio`). Feed it to
    :func:`adam_edu.bias.adam_on_sequence` and read ``diagnostics.snr[-1]``.

    Parameters
    ----------
    t : int
        The step of the spike, in [1, inf).
    size : float, default=1.0
        The spike's value (the ratio does not depend on it).

    Examples
    --------
    >>> sparse_spike(4)
    array([0., 0., 0., 1.])

    Taught in lessons/04_snr_annealing.ipynb.
    """
    t = validate.step_number("t", t)
    size = validate.real_number("size", size)
    grads = np.zeros(t)
    grads[-1] = size
    return grads


def sparse_spike_ratio(t, beta1=0.9, beta2=0.999) -> float:
    r""":math:`|\hat m_t/\sqrt{\hat v_t}|` for a :func:`sparse_spike` at step t: :math:`w_t/\sqrt{u_t}`.

    Parameters
    ----------
    t : int
        Step of the spike, in [1, inf).
    beta1, beta2 : float, default=0.9, 0.999
        Decay rates, each in [0, 1).

    Returns
    -------
    float
        About 1.0, 0.48, 0.98, 2.5, 3.16 at t = 1, 10, 100, 1000, 10000 with the defaults,
        tending to the paper's figure :math:`(1-\beta_1)/\sqrt{1-\beta_2}`.

    Examples
    --------
    >>> [round(sparse_spike_ratio(t), 2) for t in (1, 10, 100, 1000, 10000)]
    [1.0, 0.48, 0.98, 2.5, 3.16]

    Taught in lessons/04_snr_annealing.ipynb.
    """
    t = validate.step_number("t", t)
    beta1, beta2 = _betas(beta1, beta2)
    w_t = (1 - beta1) / (1 - beta1**t)
    u_t = (1 - beta2) / (1 - beta2**t)
    return w_t / math.sqrt(u_t)
