"""Any registry optimizer over many arrays: a dict (or list) of parameters, one state per array.

A network's parameters are several arrays (``W1``, ``b1``, ...). Adam and its family are
elementwise, so stepping them together is stepping each array with its own state: what
``optax`` does by mapping over a pytree and ``torch.optim`` over ``model.parameters()``.

>>> import adam_edu as ae
>>> params = {"W": np.ones((2, 2)), "b": np.zeros(2)}
>>> states = tree_init("adam", params)
>>> grads = {"W": np.ones((2, 2)), "b": -np.ones(2)}
>>> new, states = tree_step("adam", params, grads, states, lr=0.1)
>>> new["W"].round(6).tolist(), new["b"].round(6).tolist(), states["b"].t
([[0.9, 0.9], [0.9, 0.9]], [0.1, 0.1], 1)

Taught in lessons/06_training.ipynb.
"""
from __future__ import annotations

import numpy as np

from adam_edu.registry import get_optimizer


def _keys(tree) -> list:
    if isinstance(tree, dict):
        return list(tree)
    if isinstance(tree, (list, tuple)):
        return list(range(len(tree)))
    raise TypeError(f"params must be a dict or a list of arrays, got {type(tree).__name__}.")


def _rebuild(like, values: dict):
    """A tree of the same kind as ``like`` (dict, list or tuple) holding ``values``."""
    if isinstance(like, dict):
        return {k: values[k] for k in like}
    return type(like)(values[i] for i in range(len(like)))


def _same_keys(name: str, tree, params) -> None:
    if type(tree) is not type(params) or _keys(tree) != _keys(params):
        raise ValueError(f"{name} has keys {_keys(tree) if isinstance(tree, (dict, list, tuple)) else tree!r}"
                         f" but params has keys {_keys(params)}; they must match.")


def tree_init(optimizer, params):
    """One fresh state per array: ``{key: init(params[key])}`` (a list for a list)."""
    opt = get_optimizer(optimizer)
    return _rebuild(params, {k: opt.init(params[k]) for k in _keys(params)})


def tree_step(optimizer, params, grads, states, **hyper):
    """One step of ``optimizer`` on every array, each with its own state. Pure.

    Parameters
    ----------
    optimizer : str or Optimizer
        A name in :data:`adam_edu.OPTIMIZERS`.
    params, grads, states : dict (or list) with the same keys
        ``states`` from :func:`tree_init` or the previous call.
    **hyper
        The optimizer's hyperparameters (``lr``, ``beta1``, ...), checked once, the same for
        every array.

    Returns
    -------
    new_params, new_states : trees of the same kind and keys.
    """
    opt = get_optimizer(optimizer)
    _same_keys("grads", grads, params)
    _same_keys("states", states, params)
    hyper = opt.hyper(**hyper)
    new_params, new_states = {}, {}
    for k in _keys(params):
        new_params[k], new_states[k] = opt.step(params[k], grads[k], states[k], **hyper)
    return _rebuild(params, new_params), _rebuild(params, new_states)


def tree_update(optimizer, params: dict, grads: dict, states: dict, *, lr, **hyper):
    """:func:`tree_step` without input checks, and ``lr`` may hold one α per run.

    For stacked runs (a leading axis of length R on every array, as in :mod:`adam_edu.nn`), an
    ``lr`` of shape (R,) gives run r the step size ``lr[r]``; the other hyperparameters are shared.
    Check them first with ``get_optimizer(optimizer).hyper(...)``: this is the inner loop of
    :func:`adam_edu.training.train`.
    """
    opt = get_optimizer(optimizer)
    lr = np.asarray(lr, dtype=float)
    new_params, new_states = {}, {}
    for k in params:
        rate = lr.reshape(lr.shape + (1,) * (np.ndim(params[k]) - lr.ndim)) if lr.ndim else float(lr)
        new_params[k], new_states[k] = opt.update(params[k], grads[k], states[k], lr=rate, **hyper)
    return new_params, new_states


def global_norm(tree) -> float:
    """√(Σ over arrays of Σ x²): the size of a whole tree (e.g. of an update or of the weights)."""
    return float(np.sqrt(sum(np.sum(np.square(tree[k])) for k in _keys(tree))))

