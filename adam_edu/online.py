r"""Reddi, Kale & Kumar's online problems, where Adam converges to the worst point, and AMSGrad.

At step :math:`t` the loss is linear, :math:`f_t(x) = g_t\,x` on :math:`x \in [-1, 1]`, with

.. math::
    g_t = C \ \text{ if } t \bmod p = 1, \qquad g_t = -c \ \text{ otherwise}

(or, in the stochastic version, :math:`g_t = C` with probability :math:`q`). The sum of the losses
grows with :math:`x` when :math:`C > (p - 1)c`, so the best fixed point is :math:`x = -1`. Every
optimizer steps with :math:`\alpha_t = \alpha/\sqrt t` and projects back onto the interval (clips):

.. math::
    x_t = \Pi_{[-1, 1]}\big(x_{t-1} - \alpha_t\,\hat m_t / (\sqrt{\hat v_t} + \epsilon)\big)

:math:`g_t` does not depend on :math:`x`, so :math:`m_t`, :math:`v_t` and their running maximum are
fixed sequences: they are computed for every :math:`t` at once, and only the projection couples
:math:`x_t` to :math:`x_{t-1}` (:mod:`adam_edu.scan`: the plain loops reorganised into blocks of
about :math:`\sqrt T` steps, so :math:`3\cdot10^5` steps take milliseconds, not seconds).

References
----------
S. J. Reddi, S. Kale and S. Kumar, "On the Convergence of Adam and Beyond", ICLR 2018: Theorem 1
(:func:`theorem1`), Theorem 2 and section 5 (:func:`synthetic`, :func:`stochastic`).

Taught in lessons/07_when_adam_fails.ipynb.
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from adam_edu import _validate as validate
from adam_edu.scan import ema_blocked, project_blocked, project_end

# rule -> what it computes (the names of online runs, the lesson and the playground)
RULES = {
    "adam": "Adam, Algorithm 1: v̂_t = v_t/(1 − β2^t)",
    "adam_uncorrected": "Adam without bias correction: m_t/√v_t",
    "amsgrad": "AMSGrad as PyTorch and Keras: max over the raw v_t, then ÷ (1 − β2^t)",
    "amsgrad_vhat": "AMSGrad as optax: max over the corrected v̂_t",
    "amsgrad_paper": "AMSGrad as the paper: max over v_t, no bias correction",
}


class Problem(NamedTuple):
    """An online problem on [−1, 1]: gradient ``big`` at the rare steps, ``-small`` at the others."""

    big: float                   # C
    small: float                 # c
    period: int = 0              # rare steps: t mod period == 1 (0 for the stochastic version)
    probability: float = 0.0     # stochastic version: each step is rare with this probability


def theorem1(C=3.0) -> Problem:
    r"""Theorem 1: :math:`g_t = C` when :math:`t \bmod 3 = 1`, else :math:`-1` (:math:`C > 2`)."""
    return Problem(validate.positive("C", C), 1.0, period=3)


def synthetic(period=101) -> Problem:
    r"""Section 5's synthetic problem: :math:`10\,p\,x` when :math:`t \bmod p = 1`, else :math:`-10x`.

    ``period`` :math:`p` is 101 in the paper (gradients 1010 and −10).
    """
    period = validate.count("period", period)
    if period < 2:
        raise ValueError(f"period == {period}, must be a whole number in [2, inf).")
    return Problem(10.0 * period, 10.0, period=period)


def stochastic(probability=0.01) -> Problem:
    """Section 5's stochastic problem: gradient 1010 with probability 0.01, else −10."""
    probability = validate.real_number("probability", probability)
    if not 0.0 < probability < 1.0:
        raise ValueError(f"probability == {probability!r}, must be in (0, 1).")
    return Problem(1010.0, 10.0, probability=probability)


def gradients(problem: Problem, steps, *, seeds=None) -> np.ndarray:
    r""":math:`g_1, \dots, g_T`, shape (steps,), or (steps, len(seeds)) for the stochastic version.

    >>> gradients(theorem1(), 4)
    array([ 3., -1., -1.,  3.])
    """
    t = np.arange(1, validate.step_number("steps", steps) + 1)
    if problem.period:
        return np.where(t % problem.period == 1 % problem.period, problem.big, -problem.small)
    if seeds is None:
        raise ValueError("seeds is None; the stochastic problem needs a list of seeds.")
    rare = np.stack([np.random.default_rng(s).random(len(t)) < problem.probability
                     for s in seeds], axis=1)
    return np.where(rare, problem.big, -problem.small)


class OnlineRun(NamedTuple):
    """A run on an online problem: every array has the steps t = 1, ..., T on axis 0."""

    x: np.ndarray        # x_t; shape (T, seeds..., lrs...)
    m: np.ndarray        # m_t
    v: np.ndarray        # v_t, the raw second moment
    v_hat: np.ndarray    # what the step takes the root of: v̂_t, or AMSGrad's running maximum
    ratio: np.ndarray    # m̂_t/(√v̂_t + ε): the step is α_t times it


def run(problem: Problem, steps, *, lr, beta1, beta2, rule="adam", eps=0.0, x0=0.0,
        seeds=None) -> OnlineRun:
    r"""Adam or AMSGrad (``rule``, a key of :data:`RULES`) with :math:`\alpha_t = \alpha/\sqrt t`.

    ``lr`` may be an array of :math:`\alpha` values: they share the moments and become the last
    axes of ``x``. ``seeds`` (stochastic problems) become the axis after the steps.

    >>> r = run(theorem1(), 300_000, lr=[0.1, 0.5, 1.0], beta1=0.0, beta2=0.1)
    >>> r.x[-1]
    array([1., 1., 1.])
    """
    lr = np.asarray(lr, dtype=np.float64)
    if not np.all((lr > 0) & np.isfinite(lr)):
        raise ValueError(f"lr == {lr.tolist()!r}, every value must be in (0, inf).")
    x0 = validate.real_number("x0", x0)
    if not -1.0 <= x0 <= 1.0:
        raise ValueError(f"x0 == {x0!r}, must be in [-1, 1].")
    m, v, v_hat, ratio = moments(problem, steps, beta1=beta1, beta2=beta2, rule=rule, eps=eps,
                                 seeds=seeds)
    t = np.arange(1.0, len(ratio) + 1).reshape((-1,) + (1,) * (ratio.ndim - 1))
    x = project_blocked(x0, np.multiply.outer(ratio / np.sqrt(t), lr))   # x_t, steps α_t·ratio
    return OnlineRun(x, m, v, v_hat, ratio)


def moments(problem: Problem, steps, *, beta1, beta2, rule="adam", eps=0.0, seeds=None):
    r""":math:`m_t`, :math:`v_t`, the :math:`\hat v_t` the rule divides by, and
    :math:`\hat m_t/(\sqrt{\hat v_t} + \epsilon)` (the step is :math:`\alpha_t` times it)."""
    beta1, beta2 = validate.beta("beta1", beta1), validate.beta("beta2", beta2)
    g = gradients(problem, steps, seeds=seeds)
    m = ema_blocked(g, beta1)                                          # m_t
    v = ema_blocked(g**2, beta2)                                       # v_t
    return (m, v) + denominator(m, v, beta1=beta1, beta2=beta2, rule=rule, eps=eps)


def denominator(m, v, *, beta1, beta2, rule, eps=0.0):
    r"""The rule's :math:`\hat v_t` and the ratio :math:`\hat m_t/(\sqrt{\hat v_t} + \epsilon)`."""
    eps = validate.non_negative("eps", eps)
    if rule not in RULES:
        raise ValueError(f"rule == {rule!r}, must be one of {sorted(RULES)}.")
    t = np.arange(1.0, len(m) + 1).reshape((-1,) + (1,) * (np.ndim(m) - 1))
    corrected = rule not in ("adam_uncorrected", "amsgrad_paper")
    m_hat = m / _one_minus_power(beta1, t) if corrected else m         # m̂_t
    c2 = _one_minus_power(beta2, t)                                    # 1 − β2^t
    v_hat = {"adam": lambda: v / c2,
             "adam_uncorrected": lambda: v,
             "amsgrad": lambda: np.maximum.accumulate(v, axis=0) / c2,
             "amsgrad_vhat": lambda: np.maximum.accumulate(v / c2, axis=0),
             "amsgrad_paper": lambda: np.maximum.accumulate(v, axis=0)}[rule]()
    return v_hat, m_hat / (np.sqrt(v_hat) + eps)


def drift(problem: Problem, *, beta1, beta2, rule="adam") -> float:
    r"""How far one period moves x in the long run, in units of :math:`\alpha_t`: :math:`-\sum` ratio.

    Measured over the last period of a run long enough for the moments to settle (20 effective
    windows :math:`1/(1-\beta_2)`). Positive: x climbs toward +1, the worst point, and since
    :math:`\sum_t \alpha/\sqrt t` diverges it gets there. Negative: x goes to −1, the best.

    >>> round(drift(theorem1(), beta1=0.0, beta2=0.1), 3)   # Theorem 1's setting: Adam climbs
    0.681
    """
    if not problem.period:
        raise ValueError("problem is stochastic; drift needs a periodic problem.")
    periods = max(20, math.ceil(20 / (1 - beta2) / problem.period))
    ratio = moments(problem, periods * problem.period, beta1=beta1, beta2=beta2, rule=rule)[3]
    return float(-ratio[-problem.period:].sum())


def final_x(problem: Problem, steps, *, seeds, lr, beta1, beta2, rules=("adam", "amsgrad"),
            batch=5) -> dict:
    r""":math:`x_T` for each seed and rule: ``{rule: array of shape (len(seeds),)}``, from x = 0.

    The rules share each seed's gradients and moments; ``batch`` seeds at a time, so memory stays
    about T times the batch however many seeds there are.
    """
    seeds, ends = list(seeds), {rule: [] for rule in rules}
    lr = validate.positive("lr", lr)
    beta1, beta2 = validate.beta("beta1", beta1), validate.beta("beta2", beta2)
    for i in range(0, len(seeds), batch):
        g = gradients(problem, steps, seeds=seeds[i:i + batch])
        m, v = ema_blocked(g, beta1), ema_blocked(g**2, beta2)
        t = np.arange(1.0, len(g) + 1)[:, None]
        for rule in rules:
            ratio = denominator(m, v, beta1=beta1, beta2=beta2, rule=rule)[1]
            ends[rule].append(project_end(0.0, lr * ratio / np.sqrt(t)))
    return {rule: np.concatenate(found) for rule, found in ends.items()}


def _one_minus_power(beta: float, t: np.ndarray) -> np.ndarray:
    """1 − β^t, with t capped where β^t < 1e-20: 1 − β^t is 1.0 there anyway, and powers that
    underflow into subnormal numbers are slow."""
    horizon = t if beta == 0.0 else np.minimum(t, math.ceil(20 / -math.log10(beta)))
    return 1 - beta**horizon
