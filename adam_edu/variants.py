"""Adam's variants, each with the semantics of the framework or paper it mirrors.

Taught in the later lesson "When Adam fails" (AMSGrad, AdamW, where epsilon goes).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from adam_edu import _validate as validate
from adam_edu.adam import AdamState, adam_init, adam_update, safe_divide
from adam_edu.optimizer import Optimizer


class AMSGradState(NamedTuple):
    """AMSGrad's state: Adam's, plus the running maximum of the raw second moment."""

    t: int
    m: np.ndarray       # m_t
    v: np.ndarray       # v_t
    v_max: np.ndarray   # max(v_1, ..., v_t), elementwise


class AdaMaxState(NamedTuple):
    """AdaMax's state: the first moment and the exponentially weighted infinity norm."""

    t: int
    m: np.ndarray   # m_t
    u: np.ndarray   # u_t = max(β2·u_{t-1}, |g_t|)


def amsgrad_init(params) -> AMSGradState:
    """Start AMSGrad: ``t = 0`` and ``m``, ``v``, ``v_max`` zero."""
    state = adam_init(params)
    return AMSGradState(state.t, state.m, state.v, np.zeros_like(state.v))


def amsgrad_step(params, grads, state, *, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8,
                 bias_correction=True):
    r"""One AMSGrad step, as PyTorch ``Adam(amsgrad=True)``. Pure.

    Parameters are those of :func:`adam_edu.adam_step`; ``state`` is an :class:`AMSGradState`.

    Notes
    -----
    .. math::
        v^{\max}_t = \max(v^{\max}_{t-1}, v_t), \quad
        \theta_t = \theta_{t-1} - \alpha \frac{m_t / (1 - \beta_1^t)}
                   {\sqrt{v^{\max}_t / (1 - \beta_2^t)} + \epsilon}

    The maximum is over the *raw* :math:`v_t`, then bias-corrected (PyTorch and Keras). optax takes it
    over the corrected :math:`\hat v_t`; the paper's AMSGrad has no bias correction at all
    (``bias_correction=False`` gives that).

    References
    ----------
    S. J. Reddi, S. Kale and S. Kumar, "On the Convergence of Adam and Beyond", ICLR 2018.

    Examples
    --------
    >>> p, s = amsgrad_step([1.0], [2.0], amsgrad_init([1.0]), lr=0.1, eps=0.0)
    >>> p, s.v_max
    (array([0.9]), array([0.004]))
    """
    return validate.checked_step(amsgrad_update, AMSGradState, params, grads, state,
                                 lr=lr, beta1=beta1, beta2=beta2, eps=eps,
                                 bias_correction=bias_correction)


def amsgrad_update(params, grads, state, *, lr, beta1, beta2, eps, bias_correction):
    """AMSGrad's lines with no input checks."""
    t = state.t + 1
    m = beta1 * state.m + (1 - beta1) * grads                       # m_t
    v = beta2 * state.v + (1 - beta2) * grads**2                    # v_t
    v_max = np.maximum(state.v_max, v)                              # max over raw v_t
    m_hat = m / (1 - beta1**t) if bias_correction else m            # m̂_t
    v_hat = v_max / (1 - beta2**t) if bias_correction else v_max    # v̂_t from the maximum
    denominator = np.sqrt(v_hat) + eps                        # √v̂_t + ε
    ratio = m_hat / denominator if eps > 0 else safe_divide(m_hat, denominator)  # 0/0 := 0
    new_params = params - lr * ratio                          # θ_t
    return new_params, AMSGradState(t, m, v, v_max)


adam_l2_init = adam_init   # Adam + L2 keeps Adam's state


def adam_l2_step(params, grads, state, *, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8,
                 bias_correction=True, weight_decay=0.01):
    r"""One Adam step with L2 regularisation, as PyTorch ``Adam(weight_decay=...)``. Pure.

    The decay :math:`\lambda\theta` is added to the gradient, so Adam divides it by
    :math:`\sqrt{\hat v_t}` like the rest: weights with large gradients are barely regularised
    (Loshchilov & Hutter, 2019). ``weight_decay`` is in [0, inf); 0 gives plain Adam. The state is
    an :class:`AdamState` (from :func:`adam_edu.adam_init`).

    Examples
    --------
    >>> p, _ = adam_l2_step([1.0], [0.0], adam_init([1.0]), lr=0.1, eps=0.0, weight_decay=0.5)
    >>> p  # the decay alone is a gradient, so the first step still has length lr
    array([0.9])
    """
    return validate.checked_step(adam_l2_update, AdamState, params, grads, state,
                                 lr=lr, beta1=beta1, beta2=beta2, eps=eps,
                                 bias_correction=bias_correction, weight_decay=weight_decay)


def adam_l2_update(params, grads, state, *, weight_decay, **hyper):
    """L2: add λθ to the gradient, then Algorithm 1."""
    return adam_update(params, grads + weight_decay * params, state, **hyper)


adamw_init = adam_init      # AdamW keeps Adam's state


def adamw_step(params, grads, state, *, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8,
               bias_correction=True, weight_decay=0.01):
    r"""One AdamW step (decoupled weight decay), as PyTorch ``AdamW``. Pure.

    .. math::
        \theta' = \theta_{t-1}(1 - \alpha\lambda), \quad
        \theta_t = \theta' - \alpha \hat m_t / (\sqrt{\hat v_t} + \epsilon)

    The decay multiplies the weights first (PyTorch's order) and never enters m or v, so every
    weight shrinks at the same rate. ``weight_decay`` :math:`\lambda` is in [0, inf), default 0.01
    as in PyTorch. The state is an :class:`AdamState`.

    References
    ----------
    I. Loshchilov and F. Hutter, "Decoupled Weight Decay Regularization", ICLR 2019.

    Examples
    --------
    >>> p, _ = adamw_step([1.0], [0.0], adam_init([1.0]), lr=0.1, weight_decay=0.5)
    >>> p  # a zero gradient moves nothing through Adam; the decay alone shrinks by 1 - 0.1*0.5
    array([0.95])
    """
    return validate.checked_step(adamw_update, AdamState, params, grads, state,
                                 lr=lr, beta1=beta1, beta2=beta2, eps=eps,
                                 bias_correction=bias_correction, weight_decay=weight_decay)


def adamw_update(params, grads, state, *, weight_decay, **hyper):
    """Decoupled decay, then Algorithm 1."""
    return adam_update(params * (1 - hyper["lr"] * weight_decay), grads, state, **hyper)


def adamax_init(params) -> AdaMaxState:
    """Start AdaMax: ``t = 0``, ``m = u = 0``."""
    state = adam_init(params)
    return AdaMaxState(state.t, state.m, state.v)


def adamax_step(params, grads, state, *, lr=2e-3, beta1=0.9, beta2=0.999, eps=0.0):
    r"""One AdaMax step (paper section 7.1). Pure.

    .. math::
        m_t = \beta_1 m_{t-1} + (1 - \beta_1) g_t, \quad
        u_t = \max(\beta_2 u_{t-1}, |g_t|), \quad
        \theta_t = \theta_{t-1} - \frac{\alpha}{1 - \beta_1^t} \frac{m_t}{u_t + \epsilon}

    :math:`u_t` needs no bias correction, and :math:`|\Delta_t| \le \alpha`. The paper has no
    :math:`\epsilon` (default 0 here); PyTorch adds one. Where :math:`u_t = 0` every gradient so far
    was 0, so :math:`m_t = 0` too and the step is defined as 0.

    References
    ----------
    Kingma & Ba (2015), section 7.1, Algorithm 2.

    Examples
    --------
    >>> p, s = adamax_step([1.0], [-3.0], adamax_init([1.0]))
    >>> p, s.u
    (array([1.002]), array([3.]))
    """
    return validate.checked_step(adamax_update, AdaMaxState, params, grads, state,
                                 lr=lr, beta1=beta1, beta2=beta2, eps=eps)


def adamax_update(params, grads, state, *, lr, beta1, beta2, eps):
    """AdaMax's lines with no input checks."""
    t = state.t + 1
    m = beta1 * state.m + (1 - beta1) * grads                    # m_t
    u = np.maximum(beta2 * state.u, np.abs(grads))               # u_t
    ratio = safe_divide(m, u + eps)                              # 0/0 := 0
    new_params = params - lr / (1 - beta1**t) * ratio
    return new_params, AdaMaxState(t, m, u)


# Entries in adam_edu.OPTIMIZERS (defaults are each step's): Adam's variants, drawn near Adam.
REGISTERED = (
    Optimizer("amsgrad", "AMSGrad", amsgrad_init, amsgrad_step, amsgrad_update, color="sky",
              adam_like=True),
    Optimizer("adam_l2", "Adam + L2", adam_l2_init, adam_l2_step, adam_l2_update, color="purple",
              linestyle="--", adam_like=True),
    Optimizer("adamw", "AdamW", adamw_init, adamw_step, adamw_update, color="black", adam_like=True),
    Optimizer("adamax", "AdaMax", adamax_init, adamax_step, adamax_update, color="green",
              linestyle="--"),
)
