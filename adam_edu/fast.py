"""A faster Adam trajectory for the small problems the playgrounds redraw on every slider move.

numpy spends about 0.5 µs per call whatever the array size, so on a 2-parameter problem Algorithm 1
costs more in call overhead than in arithmetic. This module runs the same lines of Algorithm 1 on
Python floats, one coordinate at a time, in the same order of operations as
:func:`adam_edu.adam.adam_update`, so every number is bit for bit the same (IEEE 754 rounds +, −, ×,
÷ and √ identically in both). ``tests/test_fast.py`` checks that equality; :func:`adam_edu.run` uses
this path only where it holds: plain Adam on float64 parameters with at most ``MAX_SIZE`` entries.
Read :func:`adam_edu.adam.adam_update` to learn Adam; this file only makes it quick.
"""
from __future__ import annotations

import math

import numpy as np

MAX_SIZE = 16   # above this, numpy's vectorised update is as fast


def applies(params: np.ndarray) -> bool:
    """Whether the readable path would compute ``grads**2`` as ``g * g`` (array, not numpy scalar).

    For a 0-d parameter numpy returns numpy scalars, whose ``**2`` goes through C ``pow`` and can
    differ from ``g * g`` in the last bit; those stay on the readable path.
    """
    return params.dtype == np.float64 and params.ndim == 1 and params.size <= MAX_SIZE


def adam_trajectory(grad, x0: np.ndarray, steps: int, *, lr, beta1, beta2, eps, bias_correction):
    """Run ``steps`` Adam steps from ``x0`` (where :func:`applies`) with gradients ``grad(params, t)``.

    Returns lists (params θ_0..θ_steps, grads, m, v), each entry a list of floats in ``x0.ravel()``
    order. Hyperparameters must already be checked (:func:`adam_edu.adam.adam_hyper`).
    """
    if not applies(x0):
        raise ValueError(f"x0 has shape {x0.shape} and dtype {x0.dtype}; the fast path takes float64 "
                         f"vectors of at most {MAX_SIZE} entries.")
    shape, sqrt = x0.shape, math.sqrt
    p = x0.ravel().tolist()
    m, v = [0.0] * len(p), [0.0] * len(p)
    all_params, all_grads, all_m, all_v = [p], [], [], []
    for t in range(1, steps + 1):
        g = np.asarray(grad(np.array(p).reshape(shape), t), dtype=np.float64).ravel().tolist()
        c1 = 1 - beta1**t                                       # as adam_update: m / (1 − β1^t)
        c2 = 1 - beta2**t
        m = [beta1 * mi + (1 - beta1) * gi for mi, gi in zip(m, g)]          # m_t
        v = [beta2 * vi + (1 - beta2) * (gi * gi) for vi, gi in zip(v, g)]   # v_t
        new = []
        for pi, mi, vi in zip(p, m, v):
            m_hat = mi / c1 if bias_correction else mi
            v_hat = vi / c2 if bias_correction else vi
            denominator = sqrt(v_hat) + eps
            ratio = m_hat / denominator if denominator != 0 else 0.0    # 0/0 := 0, as safe_divide
            new.append(pi - lr * ratio)
        p = new
        all_params.append(p)
        all_grads.append(g)
        all_m.append(m)
        all_v.append(v)
    return all_params, all_grads, all_m, all_v
