"""The optimizers Adam is compared with, in the same pure init/step shape as Adam.

Defaults are PyTorch's. Taught in lessons/01_math_of_adam.ipynb (GD, momentum, RMSProp) and the
later lesson "Adam against the optimizer family".
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from adam_edu import _validate as validate
from adam_edu.adam import safe_divide
from adam_edu.optimizer import Optimizer


class SGDState(NamedTuple):
    """Plain gradient descent keeps only the step count."""

    t: int


class MomentumState(NamedTuple):
    """Heavy-ball momentum: the velocity buffer ``b``."""

    t: int
    b: np.ndarray   # b_t = β·b_{t-1} + g_t


class AdaGradState(NamedTuple):
    """AdaGrad: the running sum of squared gradients ``s``."""

    t: int
    s: np.ndarray   # s_t = s_{t-1} + g_t²


class RMSPropState(NamedTuple):
    """RMSProp: the EMA of squared gradients ``v``."""

    t: int
    v: np.ndarray   # v_t = β·v_{t-1} + (1 − β)·g_t²


def sgd_init(params) -> SGDState:
    """Start gradient descent (``t = 0``)."""
    validate.params_array(params)
    return SGDState(t=0)


def sgd_step(params, grads, state, *, lr=1e-3):
    r"""One gradient-descent step :math:`\theta_t = \theta_{t-1} - \alpha g_t`. Pure.

    ``lr`` :math:`\alpha` in (0, inf).

    Examples
    --------
    >>> sgd_step([1.0, 2.0], [1.0, -1.0], sgd_init([1.0, 2.0]), lr=0.5)
    (array([0.5, 2.5]), SGDState(t=1))
    """
    return validate.checked_step(sgd_update, SGDState, params, grads, state, lr=lr)


def sgd_update(params, grads, state, *, lr):
    return params - lr * grads, SGDState(state.t + 1)


def momentum_init(params) -> MomentumState:
    """Start momentum with a zero velocity."""
    params = validate.params_array(params)
    return MomentumState(t=0, b=np.zeros_like(params))


def momentum_step(params, grads, state, *, lr=1e-3, beta=0.9):
    r"""One heavy-ball momentum step, as PyTorch ``SGD(momentum=beta)``. Pure.

    .. math:: b_t = \beta b_{t-1} + g_t, \quad \theta_t = \theta_{t-1} - \alpha b_t

    ``beta`` in [0, 1); with ``beta = 0`` this is :func:`sgd_step`. (Lesson 1 writes momentum as an
    EMA, :math:`(1-\beta)` times this ``b``: the same path with ``lr`` scaled by :math:`1/(1-\beta)`.)

    Examples
    --------
    >>> momentum_step([1.0], [1.0], momentum_init([1.0]), lr=0.1, beta=0.9)
    (array([0.9]), MomentumState(t=1, b=array([1.])))
    """
    return validate.checked_step(momentum_update, MomentumState, params, grads, state,
                                 lr=lr, beta=beta)


def momentum_update(params, grads, state, *, lr, beta):
    b = beta * state.b + grads             # b_t
    return params - lr * b, MomentumState(state.t + 1, b)


def nesterov_init(params) -> MomentumState:
    """Start Nesterov momentum with a zero velocity."""
    return momentum_init(params)


def nesterov_step(params, grads, state, *, lr=1e-3, beta=0.9):
    r"""One Nesterov momentum step, as PyTorch ``SGD(momentum=beta, nesterov=True)``. Pure.

    .. math:: b_t = \beta b_{t-1} + g_t, \quad \theta_t = \theta_{t-1} - \alpha (g_t + \beta b_t)

    Examples
    --------
    >>> nesterov_step([1.0], [1.0], nesterov_init([1.0]), lr=0.1, beta=0.5)[0]
    array([0.85])
    """
    return validate.checked_step(nesterov_update, MomentumState, params, grads, state,
                                 lr=lr, beta=beta)


def nesterov_update(params, grads, state, *, lr, beta):
    b = beta * state.b + grads                       # b_t
    return params - lr * (grads + beta * b), MomentumState(state.t + 1, b)


def adagrad_init(params) -> AdaGradState:
    """Start AdaGrad with a zero sum of squares."""
    params = validate.params_array(params)
    return AdaGradState(t=0, s=np.zeros_like(params))


def adagrad_step(params, grads, state, *, lr=1e-2, eps=1e-10):
    r"""One AdaGrad step, as PyTorch ``Adagrad`` (no lr decay). Pure.

    .. math:: s_t = s_{t-1} + g_t^2, \quad \theta_t = \theta_{t-1} - \alpha g_t / (\sqrt{s_t} + \epsilon)

    References
    ----------
    J. Duchi, E. Hazan and Y. Singer, "Adaptive Subgradient Methods", JMLR 12, 2011.

    Examples
    --------
    >>> adagrad_step([1.0], [4.0], adagrad_init([1.0]), lr=0.1, eps=0.0)[0]
    array([0.9])
    """
    return validate.checked_step(adagrad_update, AdaGradState, params, grads, state, lr=lr, eps=eps)


def adagrad_update(params, grads, state, *, lr, eps):
    s = state.s + grads**2                                       # s_t
    denominator = np.sqrt(s) + eps
    ratio = grads / denominator if eps > 0 else safe_divide(grads, denominator)   # 0/0 := 0
    return params - lr * ratio, AdaGradState(state.t + 1, s)


def rmsprop_init(params) -> RMSPropState:
    """Start RMSProp with ``v = 0``."""
    params = validate.params_array(params)
    return RMSPropState(t=0, v=np.zeros_like(params))


def rmsprop_step(params, grads, state, *, lr=1e-2, beta=0.99, eps=1e-8, bias_correction=False):
    r"""One RMSProp step, as PyTorch ``RMSprop`` (its ``alpha`` is ``beta`` here). Pure.

    .. math::
        v_t = \beta v_{t-1} + (1 - \beta) g_t^2, \quad
        \theta_t = \theta_{t-1} - \alpha g_t / (\sqrt{\hat v_t} + \epsilon)

    with :math:`\hat v_t = v_t` (PyTorch, Hinton's lecture 6e) or, if ``bias_correction``,
    :math:`\hat v_t = v_t / (1 - \beta^t)`: then this is Adam with :math:`\beta_1 = 0`.

    Examples
    --------
    >>> rmsprop_step([1.0], [2.0], rmsprop_init([1.0]), lr=0.1, beta=0.99, eps=0.0,
    ...              bias_correction=True)[0]
    array([0.9])
    """
    return validate.checked_step(rmsprop_update, RMSPropState, params, grads, state,
                                 lr=lr, beta=beta, eps=eps, bias_correction=bias_correction)


def rmsprop_update(params, grads, state, *, lr, beta, eps, bias_correction):
    t = state.t + 1
    v = beta * state.v + (1 - beta) * grads**2                  # v_t
    v_hat = v / (1 - beta**t) if bias_correction else v         # v̂_t
    denominator = np.sqrt(v_hat) + eps
    ratio = grads / denominator if eps > 0 else safe_divide(grads, denominator)   # 0/0 := 0
    return params - lr * ratio, RMSPropState(t, v)


# Entries in adam_edu.OPTIMIZERS (defaults are each step's).
REGISTERED = (
    Optimizer("sgd", "SGD", sgd_init, sgd_step, sgd_update, color="vermillion"),
    Optimizer("momentum", "Momentum", momentum_init, momentum_step, momentum_update, color="orange"),
    Optimizer("nesterov", "Nesterov", nesterov_init, nesterov_step, nesterov_update, color="yellow"),
    Optimizer("adagrad", "AdaGrad", adagrad_init, adagrad_step, adagrad_update, color="purple"),
    Optimizer("rmsprop", "RMSProp", rmsprop_init, rmsprop_step, rmsprop_update, color="green"),
)
