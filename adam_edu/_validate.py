"""Checks at the public boundary: each error names the parameter, the value and the valid range.

Every hyperparameter has one rule, found by its name in :data:`HYPERPARAMETERS` (its default lives
in the step function's signature, nowhere else). Optimizer step functions check once per call;
`adam_edu.run` checks once per trajectory and then uses the unchecked update functions, so a long
trajectory pays for validation only once.
"""
from __future__ import annotations

import math
import numbers

import numpy as np


def real_number(name: str, value) -> float:
    """Return ``value`` as a float, or raise TypeError if it is not a real number."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {value!r} of type {type(value).__name__}.")
    value = float(value)
    if math.isnan(value):
        raise ValueError(f"{name} == nan, must be a real number.")
    return value


def positive(name: str, value) -> float:
    """``value`` in (0, inf)."""
    value = real_number(name, value)
    if not 0.0 < value < math.inf:
        raise ValueError(f"{name} == {value!r}, must be in (0, inf).")
    return value


def non_negative(name: str, value) -> float:
    """``value`` in [0, inf)."""
    value = real_number(name, value)
    if not 0.0 <= value < math.inf:
        raise ValueError(f"{name} == {value!r}, must be in [0, inf).")
    return value


def beta(name: str, value) -> float:
    """``value`` in [0, 1): a decay rate of an exponential moving average."""
    value = real_number(name, value)
    if not 0.0 <= value < 1.0:
        raise ValueError(f"{name} == {value!r}, must be in [0, 1).")
    return value


def flag(name: str, value) -> bool:
    """A plain bool (0 and 1 are not accepted: a typo like ``bias_correction=0.9`` should fail)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}.")
    return bool(value)


# name -> the rule every function taking that hyperparameter applies (the range is in its message).
HYPERPARAMETERS = {
    "lr": positive,                 # α in (0, inf)
    "beta": beta,                   # β in [0, 1)
    "beta1": beta,                  # β1 in [0, 1)
    "beta2": beta,                  # β2 in [0, 1)
    "eps": non_negative,            # ε in [0, inf)
    "weight_decay": non_negative,   # λ in [0, inf)
    "bias_correction": flag,        # True or False
}


def hyperparameters(**given) -> dict:
    """Each hyperparameter checked by the rule for its name, as plain Python values.

    Examples
    --------
    >>> hyperparameters(lr=0.1, bias_correction=False)
    {'lr': 0.1, 'bias_correction': False}
    """
    return {name: HYPERPARAMETERS[name](name, value) for name, value in given.items()}


def count(name: str, value) -> int:
    """A whole number in [0, inf), such as a step count."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number in [0, inf), got {value!r} "
                        f"of type {type(value).__name__}.")
    if value < 0:
        raise ValueError(f"{name} == {value!r}, must be a whole number in [0, inf).")
    return int(value)


def step_number(name: str, value) -> int:
    """A step t, a whole number in [1, inf): moments and weights exist from the first step on."""
    value = count(name, value)
    if value < 1:
        raise ValueError(f"{name} == {value}, must be a whole number in [1, inf).")
    return value


def _real_array(name: str, value) -> np.ndarray:
    """``value`` as an array of integers or floats, or a TypeError naming ``name``."""
    if isinstance(value, (bool, np.bool_, str, bytes)):
        raise TypeError(f"{name} must be a real number or an array of them, got {value!r}.")
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be a real number or an array of them: {error}") from None
    if array.dtype.kind not in "iuf":
        raise TypeError(f"{name} must hold real numbers, got an array of dtype {array.dtype}.")
    return array


def params_array(params) -> np.ndarray:
    """``params`` as a floating-point array (integers become float64; float32 stays float32)."""
    array = _real_array("params", params)
    if array.dtype.kind in "iu":
        array = array.astype(np.float64)
    if not np.isfinite(array).all():
        raise ValueError("params contains nan or inf; every parameter must be finite.")
    return array


def grads_array(grads, params: np.ndarray) -> np.ndarray:
    """``grads`` as an array of ``params``' dtype and shape; nan and inf are rejected."""
    array = _real_array("grads", grads)
    if array.shape != params.shape:
        raise ValueError(f"grads has shape {array.shape} but params has shape {params.shape}; "
                         "they must match.")
    if not np.isfinite(array).all():
        bad = np.argwhere(~np.isfinite(array))[0]
        where = f" at index {tuple(int(i) for i in bad)}" if array.ndim else ""
        raise ValueError(f"grads contains {array[tuple(bad)]!r}{where}; every gradient must be finite "
                         "(one nan would make every later step nan).")
    return array.astype(params.dtype, copy=False)


def state_like(state, state_type: type, params: np.ndarray) -> None:
    """``state`` is a ``state_type`` whose arrays match ``params`` and whose t is a valid count."""
    if not isinstance(state, state_type):
        raise TypeError(f"state must be a {state_type.__name__} (from the matching init function), "
                        f"got {type(state).__name__}.")
    count("state.t", state.t)
    for field in state._fields[1:]:
        shape = np.shape(getattr(state, field))
        if shape != params.shape:
            raise ValueError(f"state.{field} has shape {shape} but params has shape {params.shape}; "
                             "they must match (was the state made for other params?).")


def checked_step(update, state_type: type, params, grads, state, **hyper):
    """What every ``<name>_step`` does: check its input, then run its unchecked ``update``.

    Returns the new params (a numpy scalar when ``params`` was a scalar) and the new state.
    """
    params = params_array(params)
    grads = grads_array(grads, params)
    state_like(state, state_type, params)
    new_params, new_state = update(params, grads, state, **hyperparameters(**hyper))
    return new_params[()], new_state
