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
fixed sequences: they are computed for every :math:`t` at once (:func:`ema_blocked`), and only the
projection couples :math:`x_t` to :math:`x_{t-1}` (:func:`project_blocked`). Both are the plain loops
(:func:`adam_edu.ema.ema`, :func:`project`) reorganised into blocks of about :math:`\sqrt T` steps,
so :math:`3\cdot10^5` steps take milliseconds, not seconds; tests check they agree.

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

# rule -> (m corrected?, how the denominator's v̂ is formed from the raw v_t)
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
    for i in range(0, len(seeds), batch):
        g = gradients(problem, steps, seeds=seeds[i:i + batch])
        m, v = ema_blocked(g, beta1), ema_blocked(g**2, beta2)
        t = np.arange(1.0, len(g) + 1)[:, None]
        for rule in rules:
            ratio = denominator(m, v, beta1=beta1, beta2=beta2, rule=rule)[1]
            ends[rule].append(project_end(0.0, lr * ratio / np.sqrt(t)))
    return {rule: np.concatenate(found) for rule, found in ends.items()}


def ema_blocked(values, beta) -> np.ndarray:
    r""":func:`adam_edu.ema.ema` of ``values`` (shape (T, ...)), computed in blocks of ~√T steps.

    Every block is first averaged from zero, all blocks at once; then each block adds what it
    inherits from the one before, :math:`\beta^k m_{\text{start}}`. Equal to the plain loop up to
    rounding.

    >>> ema_blocked([1.0, 1.0, 1.0], 0.9)
    array([0.1  , 0.19 , 0.271])
    """
    values = np.asarray(values, dtype=np.float64)
    local, length = _blocks(values)            # local[k, j]: step k of block j
    m = np.zeros_like(local[0])
    for k in range(len(local)):                # within every block at once, from m = 0
        m = beta * m + (1 - beta) * local[k]
        local[k] = m
    decay = (beta ** np.arange(1.0, len(local) + 1)).reshape((-1,) + (1,) * values.ndim)
    carry, inherited = np.zeros(values.shape[1:]), np.empty_like(local[0])
    for j in range(local.shape[1]):            # block by block, the m each block starts from
        inherited[j] = carry
        carry = local[-1, j] + beta ** len(local) * carry
    return _unblock(local + decay * inherited, length)


def project(x0, steps, low=-1.0, high=1.0) -> np.ndarray:
    r""":math:`x_t = \Pi_{[low, high]}(x_{t-1} - s_t)` for every t: the readable loop.

    >>> project(0.0, [0.6, 0.6, -0.5])
    array([-0.6, -1. , -0.5])
    """
    steps = np.asarray(steps, dtype=np.float64)
    x, path = np.broadcast_to(np.asarray(x0, dtype=np.float64), steps.shape[1:]), []
    for s in steps:
        x = np.clip(x - s, low, high)
        path.append(x)
    return np.array(path)


def project_blocked(x0, steps, low=-1.0, high=1.0) -> np.ndarray:
    r""":func:`project`, in blocks of ~√T steps, equal up to rounding.

    The first k steps of a block, composed, are again a shift then a clip:
    :math:`x \mapsto \Pi_{[a_k, b_k]}(x + s_k)`, with :math:`s_k = s_{k-1} + d_k`,
    :math:`a_k = \Pi(a_{k-1} + d_k)` and :math:`b_k = \Pi(b_{k-1} + d_k)`. These maps are
    found for every block at once; then each block applies them to where the one before ended.

    >>> project_blocked(0.0, [0.6, 0.6, -0.5])
    array([-0.6, -1. , -0.5])
    """
    d, length = _blocks(-np.asarray(steps, dtype=np.float64))   # d[k, j]: step k of block j
    shift, a, b = np.empty_like(d), np.empty_like(d), np.empty_like(d)
    s, lo, hi = np.zeros_like(d[0]), np.full_like(d[0], -np.inf), np.full_like(d[0], np.inf)
    for k in range(len(d)):                   # within every block at once
        s = s + d[k]
        lo = np.minimum(np.maximum(lo + d[k], low), high)
        hi = np.minimum(np.maximum(hi + d[k], low), high)
        shift[k], a[k], b[k] = s, lo, hi
    x, start = np.broadcast_to(np.asarray(x0, dtype=np.float64), d.shape[2:]), np.empty_like(d[0])
    for j in range(d.shape[1]):               # block by block, the x each block starts from
        start[j] = x
        x = np.minimum(np.maximum(x + shift[-1, j], a[-1, j]), b[-1, j])
    return _unblock(np.minimum(np.maximum(start + shift, a), b), length)


def project_end(x0, steps, low=-1.0, high=1.0) -> np.ndarray:
    """The last row of :func:`project_blocked`, without storing the path (for sweeps).

    >>> float(project_end(0.0, [0.6, 0.6, -0.5]))
    -0.5
    """
    d, _ = _blocks(-np.asarray(steps, dtype=np.float64))
    s, lo, hi = np.zeros_like(d[0]), np.full_like(d[0], -np.inf), np.full_like(d[0], np.inf)
    for k in range(len(d)):                   # each block's whole map, every block at once
        s = s + d[k]
        lo = np.minimum(np.maximum(lo + d[k], low), high)
        hi = np.minimum(np.maximum(hi + d[k], low), high)
    x = np.broadcast_to(np.asarray(x0, dtype=np.float64), d.shape[2:])
    for j in range(d.shape[1]):               # then the blocks one after another
        x = np.minimum(np.maximum(x + s[j], lo[j]), hi[j])
    return x


def _one_minus_power(beta: float, t: np.ndarray) -> np.ndarray:
    """1 − β^t, with t capped where β^t < 1e-20: 1 − β^t is 1.0 there anyway, and powers that
    underflow into subnormal numbers are slow."""
    horizon = t if beta == 0.0 else np.minimum(t, math.ceil(20 / -math.log10(beta)))
    return 1 - beta**horizon


def _blocks(values: np.ndarray):
    """``values`` (T, ...) as a copy of shape (~√T, blocks, ...): row k holds step k of every
    block (contiguous, so a loop over k is fast); zero-padded at the end. Also returns T."""
    length = len(values)
    size = max(1, math.isqrt(length))
    count = -(-length // size)
    padded = np.zeros((count * size,) + values.shape[1:])
    padded[:length] = values
    blocks = padded.reshape((count, size) + values.shape[1:]).swapaxes(0, 1)
    return np.ascontiguousarray(blocks), length


def _unblock(blocks: np.ndarray, length: int) -> np.ndarray:
    """The inverse of :func:`_blocks`: shape (T, ...) again."""
    return blocks.swapaxes(0, 1).reshape((-1,) + blocks.shape[2:])[:length]
