"""Bias correction: the factors 1/(1 − β^t), how long they matter, Adam on a gradient sequence.

An EMA started at zero, m_t = (1 − β) Σ_{i=1..t} β^{t−i} g_i, has E[m_t] = E[g](1 − β^t) when the
gradients are stationary; dividing by (1 − β^t) removes that start-up bias (paper, section 3).

Taught in lessons/03_bias_correction.ipynb (and used in 04_snr_annealing.ipynb).
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from adam_edu import _validate as validate
from adam_edu.adam import Diagnostics, diagnostics_from_moments
from adam_edu.ema import ema


def _steps(t) -> np.ndarray:
    """``t`` as an integer array of step numbers, each in [1, inf)."""
    array = np.asarray(t)
    if array.dtype.kind not in "iu":
        raise TypeError(f"t must be a whole number or an array of them in [1, inf), got {t!r}.")
    if array.size and array.min() < 1:
        raise ValueError(f"t == {int(array.min())}, must be in [1, inf): steps count from 1.")
    return array


def correction_factor(beta, t):
    r"""The bias-correction factor :math:`1/(1 - \beta^t)` at step ``t`` (vectorised over ``t``).

    Parameters
    ----------
    beta : float
        EMA decay rate :math:`\beta`, in [0, 1).
    t : int or array_like of int
        Step number(s), in [1, inf).

    Returns
    -------
    float or ndarray
        :math:`1/(1 - \beta^t)`: what :math:`m_t` (or :math:`v_t`) is multiplied by to give
        :math:`\hat m_t` (or :math:`\hat v_t`). It is 1/(1 − β) at t = 1 and falls towards 1.

    Examples
    --------
    >>> float(correction_factor(0.9, 1)), round(float(correction_factor(0.999, 20)), 2)
    (10.000000000000002, 50.5)
    >>> correction_factor(0.5, [1, 2, 3])
    array([2.        , 1.33333333, 1.14285714])

    Taught in lessons/03_bias_correction.ipynb.
    """
    beta = validate.beta("beta", beta)
    t = _steps(t)
    factor = 1.0 / (1.0 - beta ** t.astype(np.float64))
    return factor if factor.ndim else float(factor)


def correction_matters_for(beta, tol=0.01) -> int:
    r"""How long correction matters: the first t with :math:`1/(1 - \beta^t) \le 1 + \mathrm{tol}`.

    Solving :math:`\beta^t \le \mathrm{tol}/(1 + \mathrm{tol})` gives
    :math:`t = \lceil \ln(\mathrm{tol}/(1+\mathrm{tol})) / \ln \beta \rceil`, which grows like
    :math:`\ln(1/\mathrm{tol})/(1 - \beta)`: on the order of the EMA window 1/(1 − β).

    Parameters
    ----------
    beta : float
        EMA decay rate, in [0, 1).
    tol : float, default=0.01
        Relative size below which the correction counts as negligible, in (0, inf).

    Examples
    --------
    >>> correction_matters_for(0.9), correction_matters_for(0.999), correction_matters_for(0.9999)
    (44, 4613, 46149)

    Taught in lessons/03_bias_correction.ipynb ("not the first ~20 steps").
    """
    beta = validate.beta("beta", beta)
    tol = validate.positive("tol", tol)
    if beta == 0.0:
        return 1
    t = max(1, math.ceil(math.log(tol / (1 + tol)) / math.log(beta)))
    while t > 1 and correction_factor(beta, t - 1) <= 1 + tol:   # the log may round up...
        t -= 1
    while correction_factor(beta, t) > 1 + tol:                  # ...or down
        t += 1
    return t


def uncorrected_first_step(lr, beta1, beta2) -> float:
    r"""Size of Adam's first step without bias correction (ε = 0).

    With correction the first step is exactly α. Without it, :math:`m_1 = (1-\beta_1)g_1` and
    :math:`\sqrt{v_1} = \sqrt{1-\beta_2}\,|g_1|`, so the step is
    :math:`\alpha(1-\beta_1)/\sqrt{1-\beta_2}` whatever the size of :math:`g_1`.

    Parameters
    ----------
    lr : float
        Step size α, in (0, inf).
    beta1, beta2 : float
        Decay rates, each in [0, 1).

    Returns
    -------
    float
        :math:`\alpha(1-\beta_1)/\sqrt{1-\beta_2}`: 3.16·α with the defaults, 10·α for β2 = 0.9999.

    Examples
    --------
    >>> round(uncorrected_first_step(1.0, 0.9, 0.999), 4)
    3.1623
    >>> round(uncorrected_first_step(1.0, 0.9, 0.9999), 4)
    10.0

    Taught in lessons/03_bias_correction.ipynb and lessons/02_xy_walkthrough.ipynb.
    """
    hyper = validate.hyperparameters(lr=lr, beta1=beta1, beta2=beta2)
    return hyper["lr"] * (1 - hyper["beta1"]) / math.sqrt(1 - hyper["beta2"])


class SequenceRun(NamedTuple):
    """Adam's statistics for a gradient sequence given in advance; row i is step t = i + 1."""

    t: np.ndarray              # (steps,)  1 ... steps
    grads: np.ndarray          # (steps, ...)  g_1 ... g_steps
    m: np.ndarray              # (steps, ...)  m_t
    v: np.ndarray              # (steps, ...)  v_t
    diagnostics: Diagnostics   # m̂_t, v̂_t, step, snr as Adam computes them


def adam_on_sequence(grads, *, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8,
                     bias_correction=True) -> SequenceRun:
    r"""Feed the gradients ``grads[0], grads[1], ...`` to Adam; record m, v and the step.

    The gradient does not depend on the parameters here, which isolates the statistics: it is how
    lesson 3 shows :math:`m_t`, :math:`\hat m_t` against the true mean, and how lesson 4 measures
    the step for a "sparse spike". The moments are the EMAs :func:`adam_edu.ema.ema` computes, the
    same two lines as :func:`adam_edu.adam_step` (``tests/test_bias.py`` checks they agree bit for
    bit); m̂, v̂, the step and the SNR come from :func:`adam_edu.diagnostics_from_moments`.

    Parameters
    ----------
    grads : array_like of float, shape (steps, ...)
        Row i is the gradient :math:`g_{i+1}`; extra axes are independent coordinates.
    lr, beta1, beta2, eps, bias_correction
        As in :func:`adam_edu.adam_step`.

    Examples
    --------
    >>> run = adam_on_sequence([2.0, 2.0, 2.0], beta1=0.5, beta2=0.5)
    >>> run.m                      # 2(1 − 0.5^t): biased towards the zero start
    array([1.  , 1.5 , 1.75])
    >>> run.diagnostics.m_hat      # corrected: the true mean
    array([2., 2., 2.])

    Taught in lessons/03_bias_correction.ipynb; used in lessons/04_snr_annealing.ipynb.
    """
    hyper = validate.hyperparameters(lr=lr, beta1=beta1, beta2=beta2, eps=eps,
                                     bias_correction=bias_correction)
    grads = np.asarray(grads, dtype=np.float64)
    if grads.ndim == 0:
        raise ValueError("grads has shape (), must have shape (steps, ...): one row per step.")
    if not np.isfinite(grads).all():
        raise ValueError("grads contains nan or inf; every gradient must be finite.")
    m = ema(grads, hyper["beta1"])        # m_t: the EMA of the gradients
    v = ema(grads**2, hyper["beta2"])     # v_t: the EMA of their squares
    t = np.arange(1, len(grads) + 1)
    return SequenceRun(t, grads, m, v, diagnostics_from_moments(t, m, v, **hyper))
