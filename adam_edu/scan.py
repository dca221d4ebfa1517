r"""Two recurrences over a long sequence, in blocks of about √T steps: an EMA and a projected sum.

:func:`ema_blocked` is :func:`adam_edu.ema.ema`, and :func:`project_blocked` the loop
:func:`project`, reorganised so that a Python loop runs about 2√T times instead of T times: first
every block at once (a row holds step k of every block), then block by block, carrying what each
block inherits. They agree with the plain loops up to rounding (``tests/test_online.py``). They make
:mod:`adam_edu.online`'s runs of :math:`3\cdot10^5` steps take milliseconds.

Taught in lessons/07_when_adam_fails.ipynb (through :mod:`adam_edu.online`).
"""
from __future__ import annotations

import math

import numpy as np


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
