r"""Exponential moving averages (EMAs): the building block of momentum, RMSProp and Adam.

An EMA with decay rate :math:`\beta` started at zero,

.. math::
    m_0 = 0, \qquad m_t = \beta m_{t-1} + (1 - \beta) x_t
        = (1 - \beta) \sum_{i=1}^{t} \beta^{t-i} x_i,

weights a value that is :math:`k` steps old by :math:`(1 - \beta)\beta^k`. Adam's :math:`m_t` is the
EMA of the gradients with :math:`\beta_1`, its :math:`v_t` the EMA of the squared gradients with
:math:`\beta_2`.

Taught in lessons/01_math_of_adam.ipynb (the EMA explorer) and used by 03 (bias correction).
"""
from __future__ import annotations

import math

import numpy as np

from adam_edu import _validate as validate


def ema(values, beta, *, bias_correction=False) -> np.ndarray:
    r"""The EMA :math:`m_1, \dots, m_T` of ``values`` :math:`x_1, \dots, x_T`, started at :math:`m_0 = 0`.

    Parameters
    ----------
    values : array_like of float, shape (T, ...)
        The sequence, step along axis 0 (row ``i`` is :math:`x_{i+1}`).
    beta : float
        Decay rate :math:`\beta`, in [0, 1).
    bias_correction : bool, default=False
        If True return :math:`\hat m_t = m_t / (1 - \beta^t)` instead of :math:`m_t`.

    Returns
    -------
    ndarray, same shape as ``values``
        Row ``i`` is :math:`m_{i+1}` (or :math:`\hat m_{i+1}`).

    Examples
    --------
    A constant sequence: the plain EMA starts far below it (the start-up bias), the corrected one
    is exact from the first step.

    >>> ema([1.0, 1.0, 1.0], 0.9)
    array([0.1  , 0.19 , 0.271])
    >>> ema([1.0, 1.0, 1.0], 0.9, bias_correction=True)
    array([1., 1., 1.])
    """
    beta = validate.beta("beta", beta)
    validate.flag("bias_correction", bias_correction)
    values = np.asarray(values, dtype=np.float64)
    if values.ndim == 0:
        raise ValueError("values is a scalar; it must be a sequence (shape (T, ...)).")
    out = np.empty_like(values)
    m = np.zeros_like(values[0])
    for i, x in enumerate(values):
        m = beta * m + (1 - beta) * x           # m_t
        out[i] = m
    if bias_correction:
        t = np.arange(1, len(values) + 1).reshape((-1,) + (1,) * (values.ndim - 1))
        out = out / (1 - beta**t)               # m̂_t
    return out


def ema_weights(beta, t) -> np.ndarray:
    r"""The weights :math:`(1 - \beta)\beta^{t-i}` of :math:`x_1, \dots, x_t` in :math:`m_t`.

    They sum to :math:`1 - \beta^t` (not 1): the missing :math:`\beta^t` is the weight the EMA
    still gives to its zero start, which is the start-up bias.

    Parameters
    ----------
    beta : float
        In [0, 1).
    t : int
        Step, in [1, inf).

    Examples
    --------
    >>> ema_weights(0.5, 3)
    array([0.125, 0.25 , 0.5  ])
    """
    beta = validate.beta("beta", beta)
    t = validate.step_number("t", t)
    return (1 - beta) * beta ** np.arange(t - 1, -1, -1, dtype=np.float64)


def half_life(beta) -> float:
    r"""Steps after which a value's weight in the EMA has halved: :math:`\ln(1/2) / \ln\beta`.

    Equivalently, the most recent ``half_life(beta)`` steps carry half of the EMA's total weight.
    Not the same as the effective window :math:`1/(1-\beta)` (:func:`effective_window`).

    Parameters
    ----------
    beta : float
        In (0, 1).

    Examples
    --------
    >>> round(half_life(0.9), 2), round(half_life(0.999), 1)
    (6.58, 692.8)
    """
    beta = validate.beta("beta", beta)
    if beta == 0.0:
        raise ValueError("beta == 0.0, must be in (0, 1) for a half-life.")
    return math.log(0.5) / math.log(beta)


def effective_window(beta) -> float:
    r"""The EMA's effective window :math:`1/(1 - \beta)`: the mean of the weights' age + 1.

    The most recent :math:`1/(1-\beta)` steps carry :math:`1 - \beta^{1/(1-\beta)}` of the weight:
    about :math:`1 - e^{-1} \approx 63\%` when :math:`\beta` is close to 1 (65% for 0.9, 75% for
    0.5). The weight fades over on the order of this many steps; it halves after
    :func:`half_life` steps, which is fewer.

    Parameters
    ----------
    beta : float
        In [0, 1).

    Examples
    --------
    >>> round(effective_window(0.9), 6), round(effective_window(0.999), 6)
    (10.0, 1000.0)
    """
    return 1.0 / (1.0 - validate.beta("beta", beta))


def step_signal(steps=300, *, jump_at=150, before=1.0, after=2.0, sigma=0.5, seed=0):
    r"""A seeded noisy sequence whose mean jumps once: what the EMA explorer smooths.

    Parameters
    ----------
    steps : int, default=300
        Length T, in [1, inf).
    jump_at : int, default=150
        The mean is ``before`` for steps :math:`t \le` ``jump_at`` and ``after`` from then on; in
        [0, steps].
    before, after : float, default=1.0, 2.0
        The two means.
    sigma : float, default=0.5
        Standard deviation of the Gaussian noise, in [0, inf).
    seed : int, default=0
        Seed of ``numpy.random.default_rng``; the same seed gives the same sequence.

    Returns
    -------
    mean, values : ndarray, shape (steps,)
        The true mean at each step and the noisy values (row ``i`` is step ``t = i + 1``).

    Examples
    --------
    >>> mean, values = step_signal(4, jump_at=2, sigma=0.0)
    >>> mean, values
    (array([1., 1., 2., 2.]), array([1., 1., 2., 2.]))
    """
    steps, seed = validate.count("steps", steps), validate.count("seed", seed)
    if steps < 1:
        raise ValueError(f"steps == {steps}, must be a whole number in [1, inf).")
    jump_at = validate.count("jump_at", jump_at)
    if jump_at > steps:
        raise ValueError(f"jump_at == {jump_at}, must be in [0, steps] = [0, {steps}].")
    before, after = validate.real_number("before", before), validate.real_number("after", after)
    sigma = validate.non_negative("sigma", sigma)
    mean = np.where(np.arange(1, steps + 1) <= jump_at, before, after)
    values = mean + sigma * np.random.default_rng(seed).standard_normal(steps)
    return mean, values
