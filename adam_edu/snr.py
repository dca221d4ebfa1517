"""Adam's effective step as a signal-to-noise ratio: the section 2.1 bound, sparse spike, scaling.

Adam's effective step with ε = 0 is Δ_t = α·m̂_t/√v̂_t; m̂_t/√v̂_t is what the paper calls the
signal-to-noise ratio (SNR). Taught in lessons/04_snr_annealing.ipynb.
"""
from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from adam_edu import _validate as check
from adam_edu.adam import adam_hyper
from adam_edu.objectives import Objective


def step_bound(lr, beta1, beta2) -> float:
    r"""The paper's bound on :math:`|\Delta_t|` (section 2.1), taking the case that applies.

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
        The bound on the effective step :math:`\alpha \hat m_t / \sqrt{\hat v_t}` (ε = 0).

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
    hyper = adam_hyper(lr=lr, beta1=beta1, beta2=beta2)
    lr, beta1, beta2 = hyper["lr"], hyper["beta1"], hyper["beta2"]
    if (1 - beta1) > math.sqrt(1 - beta2):
        return lr * (1 - beta1) / math.sqrt(1 - beta2)
    return lr


def sparse_spike(t, size=1.0) -> np.ndarray:
    """Gradients g_1 ... g_t that are 0 at every step before t and ``size`` at step t.

    The case that comes closest to the section 2.1 bound: at step t, m̂ holds a (1 − β1)/(1 − β1^t)
    share of the spike, √v̂ only a √((1 − β2)/(1 − β2^t)) share. Feed it to
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
    t = check.count("t", t)
    if t < 1:
        raise ValueError(f"t == {t}, must be in [1, inf): the spike comes at step t.")
    size = check.real_number("size", size)
    grads = np.zeros(t)
    grads[-1] = size
    return grads


def scaled(objective: Objective, c) -> Objective:
    """``objective`` multiplied by ``c`` > 0: values, gradients and gradient noise all scale by c.

    The stationary points (and ``minimizer``, ``points``, ``x0``) stay where they are. Adam's path
    on the result is the same as on ``objective`` when ε = 0 (gradient-scale invariance); SGD's
    is not.

    Parameters
    ----------
    objective : Objective
        Exact or noisy (a noisy one keeps its noise sequence, scaled by c).
    c : float
        The factor, in (0, inf).

    Examples
    --------
    >>> from adam_edu.objectives import bowl
    >>> scaled(bowl(), 10.0).grad(np.array([1.0, 2.0]))
    array([20., 40.])

    Taught in lessons/04_snr_annealing.ipynb.
    """
    c = check.positive("c", c)
    value, grad = objective.value, objective.grad
    return replace(objective, name=f"{c:g} * {objective.name}", value=lambda x: c * value(x),
                   grad=lambda x: c * grad(x), sigma=c * objective.sigma,
                   formula=rf"{c:g}\,({objective.formula})" if objective.formula else "")
