"""Adam, exactly as Algorithm 1 of Kingma & Ba (2015), as a pure init/step pair.

Taught in lessons/01_math_of_adam.ipynb (the algorithm), 02 (a walkthrough), 03 (bias correction)
and 04 (the effective step and the signal-to-noise ratio).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from adam_edu import _validate as validate
from adam_edu.optimizer import Optimizer


class AdamState(NamedTuple):
    """Adam's running statistics; ``m`` and ``v`` have the shape of params."""

    t: int          # steps taken so far
    m: np.ndarray   # first-moment estimate  m_t   (EMA of gradients)
    v: np.ndarray   # second-moment estimate v_t   (EMA of squared gradients)


class Diagnostics(NamedTuple):
    """What a lesson wants to see at each step, beside the parameters."""

    m_hat: np.ndarray   # bias-corrected first moment   m̂_t
    v_hat: np.ndarray   # bias-corrected second moment  v̂_t
    step: np.ndarray    # amount subtracted from params: lr·m̂_t/(√v̂_t + ε)
    snr: np.ndarray     # signal-to-noise ratio m̂_t/√v̂_t (0 where v̂_t = 0)


def safe_divide(numerator, denominator):
    """numerator / denominator elementwise, with 0 where the denominator is 0 (0/0 := 0)."""
    return np.divide(numerator, denominator, out=np.zeros_like(numerator), where=denominator != 0)


def adam_init(params) -> AdamState:
    """Start Adam: ``t = 0`` and both moments zero, with the shape and dtype of ``params``.

    Examples
    --------
    >>> adam_init([1.0, 2.0])
    AdamState(t=0, m=array([0., 0.]), v=array([0., 0.]))
    """
    params = validate.params_array(params)
    return AdamState(t=0, m=np.zeros_like(params), v=np.zeros_like(params))


def adam_step(params, grads, state: AdamState, *, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8,
              bias_correction=True):
    r"""Take one Adam step. Pure: returns new params and a new state, modifies nothing.

    Parameters
    ----------
    params : float or array_like of float
        Current parameters :math:`\theta_{t-1}`, any shape. float32 stays float32; integers become
        float64.
    grads : float or array_like of float
        Gradient :math:`g_t = \nabla f(\theta_{t-1})`, same shape as ``params``; must be finite.
    state : AdamState
        From :func:`adam_init` or the previous call.
    lr : float, default=1e-3
        Step size :math:`\alpha`, in (0, inf).
    beta1 : float, default=0.9
        Decay rate :math:`\beta_1` of the first moment, in [0, 1).
    beta2 : float, default=0.999
        Decay rate :math:`\beta_2` of the second moment, in [0, 1).
    eps : float, default=1e-8
        :math:`\epsilon`, added to :math:`\sqrt{\hat v_t}` (outside the root, as in the paper and
        PyTorch), in [0, inf).
    bias_correction : bool, default=True
        If False, use :math:`m_t` and :math:`v_t` in place of :math:`\hat m_t` and :math:`\hat v_t`
        (the version many tutorials write first).

    Returns
    -------
    new_params : ndarray (a numpy scalar if params was a scalar)
        :math:`\theta_t`.
    new_state : AdamState
        ``t + 1`` and the new moments.

    Raises
    ------
    ValueError
        A hyperparameter out of range, mismatched shapes, or a nan/inf in params or grads.
    TypeError
        Non-numeric input, or a state that is not an AdamState.

    Notes
    -----
    Algorithm 1 of the paper, elementwise:

    .. math::
        t &\leftarrow t + 1 \\
        m_t &= \beta_1 m_{t-1} + (1 - \beta_1) g_t \\
        v_t &= \beta_2 v_{t-1} + (1 - \beta_2) g_t^2 \\
        \hat m_t &= m_t / (1 - \beta_1^t) \\
        \hat v_t &= v_t / (1 - \beta_2^t) \\
        \theta_t &= \theta_{t-1} - \alpha \, \hat m_t / (\sqrt{\hat v_t} + \epsilon)

    With ``eps = 0`` a coordinate whose gradients were all zero would compute 0/0; it is defined to
    stay where it is (its :math:`m_t` is 0, so it has no direction to move in).

    References
    ----------
    D. P. Kingma and J. Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015,
    arXiv:1412.6980, Algorithm 1.

    Examples
    --------
    With bias correction the first step moves every coordinate by ``lr`` (up to ``eps``):

    >>> state = adam_init([3.0, 4.0])
    >>> params, state = adam_step([3.0, 4.0], [6.0, -8.0], state, lr=0.1, eps=0.0)
    >>> params
    array([2.9, 4.1])
    >>> state.t
    1
    """
    return validate.checked_step(adam_update, AdamState, params, grads, state,
                                 lr=lr, beta1=beta1, beta2=beta2, eps=eps,
                                 bias_correction=bias_correction)


def adam_update(params, grads, state, *, lr, beta1, beta2, eps, bias_correction):
    """The lines of Algorithm 1, with no input checks (:func:`adam_step` checks, then calls this)."""
    t = state.t + 1
    m = beta1 * state.m + (1 - beta1) * grads                 # m_t
    v = beta2 * state.v + (1 - beta2) * grads**2              # v_t
    m_hat = m / (1 - beta1**t) if bias_correction else m      # m̂_t
    v_hat = v / (1 - beta2**t) if bias_correction else v      # v̂_t
    denominator = np.sqrt(v_hat) + eps                        # √v̂_t + ε
    ratio = m_hat / denominator if eps > 0 else safe_divide(m_hat, denominator)  # 0/0 := 0
    new_params = params - lr * ratio                          # θ_t
    return new_params, AdamState(t, m, v)


def adam_diagnostics(state, *, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8,
                     bias_correction=True) -> Diagnostics:
    r"""m̂_t, v̂_t, the step and the SNR for the state *after* step t.

    ``step`` is :math:`\alpha \hat m_t / (\sqrt{\hat v_t} + \epsilon)`, so ``params - step`` is the
    new params. ``snr`` is :math:`\hat m_t / \sqrt{\hat v_t}`, what the paper (section 2.1) calls the
    signal-to-noise ratio; the step with :math:`\epsilon = 0` is :math:`\alpha \cdot` snr. For an
    AMSGrad state the running maximum ``v_max`` stands in for ``v``.

    Examples
    --------
    >>> state = adam_init([0.0])
    >>> _, state = adam_step([0.0], [2.0], state, lr=0.1)
    >>> d = adam_diagnostics(state, lr=0.1)
    >>> d.m_hat, d.v_hat, d.snr
    (array([2.]), array([4.]), array([1.]))
    """
    hyper = validate.hyperparameters(lr=lr, beta1=beta1, beta2=beta2, eps=eps,
                                     bias_correction=bias_correction)
    validate.count("state.t", state.t)
    if state.t == 0:
        raise ValueError("state.t == 0: diagnostics exist only after the first step (t in [1, inf)).")
    v = getattr(state, "v_max", state.v)
    return diagnostics_from_moments(state.t, state.m, v, **hyper)


def diagnostics_from_moments(t, m, v, *, lr, beta1, beta2, eps, bias_correction) -> Diagnostics:
    """Vectorised diagnostics: ``t`` an int, or shape (steps,) with m, v of shape (steps, ...)."""
    t = np.asarray(t, dtype=np.float64).reshape(np.shape(t) + (1,) * (np.ndim(m) - np.ndim(t)))
    m_hat = m / (1 - beta1**t) if bias_correction else m
    v_hat = v / (1 - beta2**t) if bias_correction else v
    root = np.sqrt(v_hat)
    snr = safe_divide(m_hat, root)
    step = lr * m_hat / (root + eps) if eps > 0 else lr * snr
    return Diagnostics(m_hat.astype(m.dtype, copy=False), v_hat.astype(m.dtype, copy=False),
                       step.astype(m.dtype, copy=False), snr.astype(m.dtype, copy=False))


# Adam's entry in adam_edu.OPTIMIZERS (its defaults are adam_step's).
REGISTERED = (Optimizer("adam", "Adam", adam_init, adam_step, adam_update, color="blue", adam_like=True),)
