r"""Two small classifiers written by hand: logistic regression and a one-hidden-layer MLP.

Parameters are a dict of arrays (``W``, ``b`` or ``W1``, ``b1``, ``W2``, ``b2``), the shape an
optimizer over many arrays (:mod:`adam_edu.tree`) steps. Forward and backward passes are written out
line by line; ``tests/test_nn.py`` checks every gradient against :func:`adam_edu.numerical_grad`.

Every function also takes a leading *runs* axis: ``W1`` of shape (R, 64, 64) and inputs of shape
(R, n, 64) are R independent networks (matmul broadcasts over it), so a sweep over seeds or α trains
them all at once. Taught in lessons/06_training.ipynb.
"""
from __future__ import annotations

import numpy as np


def softmax_cross_entropy(logits, labels):
    r"""Mean cross-entropy of softmax(logits) against integer labels, and its gradient.

    .. math::
        p_{ij} = \frac{e^{z_{ij} - \max_k z_{ik}}}{\sum_k e^{z_{ik} - \max_k z_{ik}}}, \quad
        L = -\frac1n \sum_i \log p_{i y_i}, \quad
        \frac{\partial L}{\partial z_{ij}} = \frac{p_{ij} - [j = y_i]}{n}

    Subtracting the row maximum changes nothing mathematically and keeps ``exp`` finite for logits
    of any size (±1000 included); the log-probabilities are computed as ``z - max - log Σ e^(z - max)``.

    Parameters
    ----------
    logits : ndarray, shape (..., n, k)
    labels : ndarray of int, shape (..., n), values in [0, k)

    Returns
    -------
    loss : float or ndarray of shape (...)
        The mean over the n examples (one mean per run).
    dlogits : ndarray, shape (..., n, k)

    Examples
    --------
    >>> loss, d = softmax_cross_entropy(np.array([[1000.0, 0.0]]), np.array([1]))
    >>> float(loss), d.round(3).tolist()
    (1000.0, [[1.0, -1.0]])
    """
    logits = np.asarray(logits, dtype=float)
    labels = np.asarray(labels)
    if labels.shape != logits.shape[:-1]:
        raise ValueError(f"labels has shape {labels.shape} but logits has shape {logits.shape}; "
                         "labels must have the shape of logits without its last axis.")
    if labels.size and (labels.min() < 0 or labels.max() >= logits.shape[-1]):
        raise ValueError(f"labels contains {labels.min()} to {labels.max()}, must be in "
                         f"[0, {logits.shape[-1]}).")
    shifted = logits - logits.max(axis=-1, keepdims=True)                  # z − max z
    log_p = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))  # log softmax
    picked = np.take_along_axis(log_p, labels[..., None], axis=-1)[..., 0]
    n = logits.shape[-2]
    loss = -picked.mean(axis=-1)
    one_hot = np.zeros_like(logits)
    np.put_along_axis(one_hot, labels[..., None], 1.0, axis=-1)
    dlogits = (np.exp(log_p) - one_hot) / n
    return loss, dlogits


def init_logistic(seed=0, n_in=64, n_out=10) -> dict:
    """Logistic regression ``{W: (n_in, n_out), b: (n_out,)}``, all zeros (its loss is convex).

    ``seed`` is unused (zeros need none); it keeps the signature of :func:`init_mlp`.
    """
    return {"W": np.zeros((n_in, n_out)), "b": np.zeros(n_out)}


def init_mlp(seed=0, n_in=64, n_hidden=64, n_out=10) -> dict:
    r"""An MLP ``n_in → n_hidden (ReLU) → n_out`` with He-initialised weights, zero biases.

    :math:`W_1 \sim \mathcal N(0, 2/n_{in})`, :math:`W_2 \sim \mathcal N(0, 2/n_{hidden})` (He et
    al., 2015, "Delving Deep into Rectifiers").

    Examples
    --------
    >>> {k: v.shape for k, v in init_mlp().items()}
    {'W1': (64, 64), 'b1': (64,), 'W2': (64, 10), 'b2': (10,)}
    """
    rng = np.random.default_rng(seed)
    return {"W1": rng.standard_normal((n_in, n_hidden)) * np.sqrt(2 / n_in),
            "b1": np.zeros(n_hidden),
            "W2": rng.standard_normal((n_hidden, n_out)) * np.sqrt(2 / n_hidden),
            "b2": np.zeros(n_out)}


def _t(a):
    return np.swapaxes(a, -1, -2)   # transpose the last two axes (a batch of matrices)


def _shared_input(x, W):
    """``x @ W`` for one input x (n, d) shared by stacked weights W (R, d, k): (R, n, k).

    The same numbers as ``x @ W``; numpy's broadcasting matmul does not use BLAS for a shared
    operand, tensordot does (10 to 100 times faster for a sweep's evaluation).
    """
    if np.ndim(x) == 2 and np.ndim(W) == 3:
        return np.moveaxis(np.tensordot(x, W, axes=([1], [1])), 0, 1)
    return x @ W


def logits(params: dict, x):
    """The network's output scores, shape (..., n, 10), for inputs x of shape (..., n, 64)."""
    if "W" in params:
        return _shared_input(x, params["W"]) + params["b"][..., None, :]
    hidden = np.maximum(_shared_input(x, params["W1"]) + params["b1"][..., None, :], 0.0)
    return hidden @ params["W2"] + params["b2"][..., None, :]


def loss_and_grads(params: dict, x, labels):
    r"""Mean cross-entropy loss and its gradient with respect to every array in ``params``.

    MLP, forward then backward (:math:`\odot` elementwise, :math:`[\cdot]` the indicator):

    .. math::
        a &= x W_1 + b_1, \quad h = \max(a, 0), \quad z = h W_2 + b_2, \quad L = CE(z, y) \\
        \partial z &= \partial L/\partial z, \quad \partial W_2 = h^\top \partial z, \quad
        \partial b_2 = \textstyle\sum_i \partial z_i, \quad \partial h = \partial z\, W_2^\top \\
        \partial a &= \partial h \odot [a > 0], \quad \partial W_1 = x^\top \partial a, \quad
        \partial b_1 = \textstyle\sum_i \partial a_i

    Logistic regression is the last line of each: :math:`z = xW + b`, :math:`\partial W =
    x^\top \partial z`, :math:`\partial b = \sum_i \partial z_i`.

    Returns
    -------
    loss : float or ndarray of shape (runs,)
    grads : dict with the keys and shapes of ``params``
    """
    if "W" in params:
        z = x @ params["W"] + params["b"][..., None, :]
        loss, dz = softmax_cross_entropy(z, labels)
        return loss, {"W": _t(x) @ dz, "b": dz.sum(axis=-2)}
    a = x @ params["W1"] + params["b1"][..., None, :]     # pre-activation
    h = np.maximum(a, 0.0)                                # ReLU
    z = h @ params["W2"] + params["b2"][..., None, :]     # logits
    loss, dz = softmax_cross_entropy(z, labels)
    dh = dz @ _t(params["W2"])
    da = dh * (a > 0)
    grads = {"W1": _t(x) @ da, "b1": da.sum(axis=-2), "W2": _t(h) @ dz, "b2": dz.sum(axis=-2)}
    return loss, grads


def accuracy(params: dict, x, labels):
    """Fraction of examples whose largest logit is the label (one value per run)."""
    return (logits(params, x).argmax(axis=-1) == labels).mean(axis=-1)
