r"""Where :math:`\epsilon` goes in each framework, each rule as code.

Every function takes a gradient sequence :math:`g_1, \dots, g_T` (one coordinate) and returns the
steps :math:`\Delta_t/\alpha` that framework's optimizer takes, with its own default
:math:`\epsilon`:

=====================  ==================================================================  ======
rule                   step / lr                                                           ε
=====================  ==================================================================  ======
PyTorch ``Adam``       :math:`\hat m_t/(\sqrt{\hat v_t} + \epsilon)` (Algorithm 1)           1e-8
Keras ``Adam``         :math:`\frac{\sqrt{1-\beta_2^t}}{1-\beta_1^t}\, m_t/(\sqrt{v_t} + \hat\epsilon)`   1e-7
optax ``adam``         :math:`\hat m_t/(\sqrt{\hat v_t + \epsilon_{root}} + \epsilon)`     1e-8, 0
Keras ``RMSprop``      :math:`g_t/\sqrt{v_t + \epsilon}` (inside the root, :math:`\rho = 0.9`)   1e-7
PyTorch ``Adamax``     :math:`\hat m_t / u_t`, :math:`u_t = \max(\beta_2 u_{t-1}, |g_t| + \epsilon)`  1e-8
=====================  ==================================================================  ======

Keras's form is the paper's "efficient version" (section 2): it equals Algorithm 1 with the
time-varying :math:`\epsilon_t = \hat\epsilon/\sqrt{1-\beta_2^t}` (:func:`keras_effective_eps`),
which is :math:`\sqrt{1000} \approx 31.6` times :math:`\hat\epsilon` at the first step.

References
----------
Kingma & Ba (2015), Algorithm 1, section 2 (the efficient version) and section 7.1 (AdaMax).
torch.optim.Adam and torch.optim.Adamax; keras.optimizers.Adam and keras.optimizers.RMSprop;
optax.scale_by_adam (their documentation and source).

Taught in lessons/07_when_adam_fails.ipynb.
"""
from __future__ import annotations

import math

import numpy as np

from adam_edu import _validate as validate
from adam_edu.ema import ema


def _steps(grads):
    """``grads`` as a float array of shape (T,), and t = 1, ..., T."""
    grads = np.asarray(grads, dtype=np.float64)
    if grads.ndim != 1 or not len(grads):
        raise ValueError(f"grads has shape {grads.shape}; it must be a sequence g_1, ..., g_T.")
    return grads, np.arange(1.0, len(grads) + 1)


def pytorch_adam(grads, *, beta1=0.9, beta2=0.999, eps=1e-8) -> np.ndarray:
    r"""Steps / lr of PyTorch ``Adam``: :math:`\hat m_t/(\sqrt{\hat v_t} + \epsilon)`.

    >>> pytorch_adam([1e-6]).round(4)   # the first step is 0.99 lr, not lr
    array([0.9901])
    """
    grads, t = _steps(grads)
    m_hat = ema(grads, beta1) / (1 - beta1**t)
    v_hat = ema(grads**2, beta2) / (1 - beta2**t)
    return m_hat / (np.sqrt(v_hat) + validate.non_negative("eps", eps))


def keras_adam(grads, *, beta1=0.9, beta2=0.999, eps=1e-7) -> np.ndarray:
    r"""Steps / lr of Keras ``Adam``: the efficient form, :math:`\hat\epsilon` added to :math:`\sqrt{v_t}`.

    >>> keras_adam([1e-6]).round(4)     # the first step is 0.24 lr
    array([0.2403])
    """
    grads, t = _steps(grads)
    alpha_t = np.sqrt(1 - beta2**t) / (1 - beta1**t)          # α_t / α
    return alpha_t * ema(grads, beta1) / (np.sqrt(ema(grads**2, beta2))
                                          + validate.non_negative("eps", eps))


def keras_effective_eps(eps_hat, beta2, t):
    r"""The :math:`\epsilon` of Algorithm 1 that Keras's :math:`\hat\epsilon` is at step t:
    :math:`\hat\epsilon/\sqrt{1-\beta_2^t}`.

    >>> round(keras_effective_eps(1e-7, 0.999, 1), 10)
    3.1623e-06
    """
    eps_hat = validate.non_negative("eps_hat", eps_hat)
    beta2 = validate.beta("beta2", beta2)
    t = validate.step_number("t", t)
    return eps_hat / math.sqrt(1 - beta2**t)


def optax_adam(grads, *, beta1=0.9, beta2=0.999, eps=1e-8, eps_root=0.0) -> np.ndarray:
    """Steps / lr of optax ``adam``: ``eps_root`` inside the root, ``eps`` outside.

    >>> optax_adam([1e-6], eps=0.0, eps_root=1e-12).round(4)
    array([0.7071])
    """
    grads, t = _steps(grads)
    m_hat = ema(grads, beta1) / (1 - beta1**t)
    v_hat = ema(grads**2, beta2) / (1 - beta2**t)
    return m_hat / (np.sqrt(v_hat + validate.non_negative("eps_root", eps_root))
                    + validate.non_negative("eps", eps))


def keras_rmsprop(grads, *, rho=0.9, eps=1e-7) -> np.ndarray:
    r"""Steps / lr of Keras ``RMSprop``: :math:`g_t/\sqrt{v_t + \epsilon}`, no bias correction.

    >>> keras_rmsprop([1.0]).round(4)   # v_1 = 0.1 g²: the first step is 3.16 lr
    array([3.1623])
    """
    grads, _ = _steps(grads)
    v = ema(grads**2, validate.beta("rho", rho))
    return grads / np.sqrt(v + validate.non_negative("eps", eps))


def pytorch_adamax(grads, *, beta1=0.9, beta2=0.999, eps=1e-8) -> np.ndarray:
    r"""Steps / lr of PyTorch ``Adamax``: :math:`\epsilon` inside the max, :math:`|g_t| + \epsilon`.

    >>> pytorch_adamax([1e-6]).round(4)
    array([0.9901])
    """
    grads, t = _steps(grads)
    eps, u, norms = validate.non_negative("eps", eps), 0.0, []
    beta2 = validate.beta("beta2", beta2)
    for g in grads:
        u = max(beta2 * u, abs(g) + eps)                       # u_t
        norms.append(u)
    return ema(grads, beta1) / (1 - beta1**t) / np.array(norms)


RULES = {   # the lesson's table: name -> (function, where ε goes)
    "PyTorch Adam": (pytorch_adam, "outside √v̂"),
    "Keras Adam": (keras_adam, "outside √v (efficient form)"),
    "optax adam": (optax_adam, "eps_root inside, eps outside"),
    "Keras RMSprop": (keras_rmsprop, "inside the root"),
    "PyTorch Adamax": (pytorch_adamax, "inside the max"),
}
