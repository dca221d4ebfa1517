r"""Learning-rate schedules: the step size :math:`\alpha_t` as a pure function of the step t.

Each takes t (an int or an int array, counting from 1 like the optimizers' ``t``) and keyword
arguments, and returns :math:`\alpha_t`. The optimizer then takes step t with ``lr=alpha_t``; as
PyTorch's ``torch.optim.lr_scheduler`` and optax's ``schedules`` do, the schedule is kept apart from
the update rule. Taught in lessons/06_training.ipynb.

>>> t = np.arange(1, 6)
>>> warmup_cosine(t, peak_lr=1.0, warmup=2, total=5).round(3).tolist()
[0.5, 1.0, 0.75, 0.25, 0.0]
"""
from __future__ import annotations

import numpy as np

from adam_edu import _validate as check


def _steps(t, total=None) -> np.ndarray:
    """``t`` as int array, every entry in [1, inf) (or [1, total])."""
    array = np.asarray(t)
    if array.dtype.kind not in "iu":
        raise TypeError(f"t must be a whole number or an array of them, got {t!r}.")
    top = np.inf if total is None else total
    if array.size and (array.min() < 1 or array.max() > top):
        bad = array.min() if array.min() < 1 else array.max()
        raise ValueError(f"t == {bad}, must be a whole number in [1, {'inf' if total is None else total}].")
    return array


def _out(values, t):
    return float(values) if np.ndim(t) == 0 else values


def constant(t, *, lr):
    r""":math:`\alpha_t = \alpha`."""
    steps = _steps(t)
    return _out(np.full(steps.shape, check.positive("lr", lr)), t)


def step_decay(t, *, lr, every, factor=0.1):
    r""":math:`\alpha_t = \alpha \cdot \text{factor}^{\lfloor (t-1)/\text{every} \rfloor}`: divide by
    1/factor every ``every`` steps (PyTorch's ``StepLR``). ``factor`` in (0, 1].

    >>> step_decay(np.array([1, 10, 11, 21]), lr=1.0, every=10, factor=0.5).tolist()
    [1.0, 1.0, 0.5, 0.25]
    """
    steps = _steps(t)
    every = check.step_number("every", every)
    factor = check.positive("factor", factor)
    if factor > 1:
        raise ValueError(f"factor == {factor!r}, must be in (0, 1].")
    return _out(check.positive("lr", lr) * factor ** ((steps - 1) // every), t)


def inverse_sqrt(t, *, lr):
    r""":math:`\alpha_t = \alpha/\sqrt t`, the decay Kingma & Ba use in section 6.1 and in their
    convergence analysis (section 4).

    >>> inverse_sqrt(4, lr=1.0)
    0.5
    """
    steps = _steps(t)
    return _out(check.positive("lr", lr) / np.sqrt(steps), t)


def warmup_cosine(t, *, peak_lr, warmup, total):
    r"""Linear warmup to ``peak_lr``, then a half cosine down to 0 at ``total``.

    .. math::
        \alpha_t = \begin{cases}
        \alpha\, t / w & 1 \le t \le w \\
        \tfrac{\alpha}{2}\left(1 + \cos\frac{\pi (t - w)}{T - w}\right) & w < t \le T
        \end{cases}

    with :math:`\alpha` = ``peak_lr``, :math:`w` = ``warmup`` in [0, T), :math:`T` = ``total``. The
    first step has :math:`\alpha/w`, step :math:`w` has :math:`\alpha`, the last has 0. With
    ``warmup=0`` this is :func:`cosine`.

    References
    ----------
    I. Loshchilov and F. Hutter, "SGDR: Stochastic Gradient Descent with Warm Restarts", ICLR 2017
    (the cosine); P. Goyal et al., "Accurate, Large Minibatch SGD", arXiv:1706.02677 (the warmup).
    """
    total = check.step_number("total", total)
    warmup = check.count("warmup", warmup)
    if warmup >= total:
        raise ValueError(f"warmup == {warmup}, must be in [0, total) = [0, {total}).")
    peak_lr = check.positive("peak_lr", peak_lr)
    steps = _steps(t, total)
    rising = peak_lr * steps / max(warmup, 1)
    falling = peak_lr / 2 * (1 + np.cos(np.pi * (steps - warmup) / (total - warmup)))
    return _out(np.where(steps <= warmup, rising, falling), t)


def cosine(t, *, lr, total):
    r""":math:`\alpha_t = \tfrac{\alpha}{2}(1 + \cos(\pi t / T))`, from near α down to 0 at T."""
    return warmup_cosine(t, peak_lr=lr, warmup=0, total=total)


SCHEDULES = {"constant": constant, "step_decay": step_decay, "inverse_sqrt": inverse_sqrt,
             "cosine": cosine, "warmup_cosine": warmup_cosine}


def factors(name: str, total: int, **kwargs) -> np.ndarray:
    r""":math:`\alpha_t/\alpha` for t = 1 … total: the schedule ``name`` with α = 1.

    What a training loop multiplies each run's own α by. ``kwargs`` are the schedule's other
    arguments; ``total`` is passed on to the schedules that take it, and ``warmup_cosine`` defaults
    to a warmup of 5 % of the steps, ``step_decay`` to a decay by 10 every third of them.

    >>> factors("inverse_sqrt", 4).tolist()
    [1.0, 0.7071067811865475, 0.5773502691896258, 0.5]
    """
    if name not in SCHEDULES:
        raise ValueError(f"schedule == {name!r}, must be one of {sorted(SCHEDULES)}.")
    t = np.arange(1, check.step_number("total", total) + 1)
    if name == "warmup_cosine":
        return warmup_cosine(t, peak_lr=1.0, **{"warmup": max(1, total // 20), "total": total, **kwargs})
    if name == "cosine":
        return cosine(t, lr=1.0, total=total, **kwargs)
    if name == "step_decay":
        return step_decay(t, lr=1.0, **{"every": max(1, total // 3), **kwargs})
    return SCHEDULES[name](t, lr=1.0, **kwargs)
