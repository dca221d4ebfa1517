"""Record a whole trajectory of any optimizer on any objective.

Widgets recompute whole trajectories on every slider move, so the hyperparameters are checked once,
the loop calls the optimizer's unchecked ``update`` (the same lines its ``step`` runs) and keeps the
rows in lists stacked once at the end, and losses and Adam's diagnostics are computed afterwards in
one vectorised pass. A run that has diverged is cut short: once a parameter is inf or nan every
later step is nan arithmetic, and the record ends at the first non-finite step either way.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from adam_edu import _validate as validate
from adam_edu.adam import Diagnostics, diagnostics_from_moments
from adam_edu.objectives import Objective
from adam_edu.registry import Optimizer, get_optimizer


class Trajectory(NamedTuple):
    """Everything about a run; row i of ``params`` is θ_i, row i of the others belongs to step i+1."""

    optimizer: str
    hyper: dict
    t: np.ndarray                    # (steps,)  1, 2, ..., steps
    params: np.ndarray               # (steps + 1, *shape)  θ_0 ... θ_steps
    loss: np.ndarray                 # (steps + 1,)  f(θ_0) ... f(θ_steps)
    grads: np.ndarray                # (steps, *shape)  g_1 ... g_steps
    state: dict                      # field -> (steps, *shape): the state after each step
    diagnostics: Diagnostics | None  # m̂, v̂, step, snr per step, for the Adam family
    diverged_at: int | None          # first step with a non-finite gradient or parameter, if any


def run(optimizer, objective: Objective, x0=None, *, steps=100, on_nonfinite="raise",
        **hyper) -> Trajectory:
    """Run ``optimizer`` for ``steps`` steps on ``objective`` from ``x0`` and record everything.

    Parameters
    ----------
    optimizer : str or Optimizer
        A name in :data:`adam_edu.OPTIMIZERS` (``"adam"``, ``"sgd"``, ...) or an entry of it.
    objective : Objective
        Supplies ``stochastic_grad(x, t)`` for the steps and ``value(x)`` for the losses.
    x0 : float or array_like, optional
        Start; default ``objective.x0``. Its dtype is kept (float32 stays float32).
    steps : int, default=100
        Number of steps, in [0, inf).
    on_nonfinite : {"raise", "stop"}, default="raise"
        What to do when a gradient or parameter stops being finite (a too-large ``lr`` diverges):
        raise ValueError naming the step, or return the finite part with ``diverged_at`` set.
    **hyper
        Hyperparameters; missing ones take the optimizer's defaults.

    Examples
    --------
    >>> from adam_edu.objectives import bowl
    >>> traj = run("adam", bowl(), steps=150, lr=0.02, beta2=0.9999)
    >>> traj.params.shape, traj.grads.shape, sorted(traj.state)
    ((151, 2), (150, 2), ['m', 'v'])
    >>> float(traj.diagnostics.step[0, 0])   # the first corrected step is lr
    0.02
    """
    opt: Optimizer = get_optimizer(optimizer)
    hyper = opt.hyper(**hyper)
    steps = validate.count("steps", steps)
    if on_nonfinite not in ("raise", "stop"):
        raise ValueError(f"on_nonfinite == {on_nonfinite!r}, must be 'raise' or 'stop'.")
    params = validate.params_array(objective.x0 if x0 is None else x0)
    want = () if objective.dim == 1 else (objective.dim,)
    if params.shape != want:
        raise ValueError(f"x0 has shape {params.shape} but {objective.name} takes shape {want}.")

    shape, dtype = params.shape, params.dtype
    with np.errstate(all="ignore"):   # divergence is detected below, after the loop
        all_params, all_grads, states = _loop(opt, objective, params, steps, hyper)
        done = len(all_grads)           # fewer than steps when the run diverged
        all_params = np.array(all_params, dtype=dtype).reshape((done + 1,) + shape)
        all_grads = np.array(all_grads, dtype=dtype).reshape((done,) + shape)
        states = {name: np.array(rows, dtype=dtype).reshape((done,) + shape)
                  for name, rows in states.items()}
        loss = np.asarray(objective.value(all_params), dtype=dtype)
    return _finish(opt, hyper, all_params, loss, all_grads, states, on_nonfinite, steps)


CHECK_EVERY = 100   # steps between checks for divergence (a check costs about as much as a step)


def _loop(opt, objective, params, steps, hyper):
    """The optimizer's own update, one call per step, rows kept in lists (stacking lists once is
    cheaper than writing rows into preallocated arrays every step); stops early once the
    parameters are no longer finite."""
    state = opt.init(params)
    all_params, all_grads, states = [params], [], []
    update, grad = opt.update, objective.stochastic_grad
    for i in range(steps):
        g = grad(params, i + 1)
        params, state = update(params, g, state, **hyper)
        all_params.append(params)
        all_grads.append(g)
        states.append(state)
        if (i + 1) % CHECK_EVERY == 0 and not np.isfinite(params).all():
            break
    fields = state._fields[1:]
    return all_params, all_grads, {name: [getattr(s, name) for s in states] for name in fields}


def _finish(opt, hyper, params, loss, grads, states, on_nonfinite, steps) -> Trajectory:
    axes = tuple(range(1, params.ndim))
    bad = ~(np.isfinite(params[1:]).all(axis=axes) & np.isfinite(grads).all(axis=axes))
    diverged_at = int(np.argmax(bad)) + 1 if bad.any() else None
    if diverged_at is not None:
        if on_nonfinite == "raise":
            raise ValueError(f"{opt.name} diverged: step {diverged_at} of {steps} produced a non-finite "
                             f"gradient or parameter with {hyper}; try a smaller lr, or "
                             "on_nonfinite='stop' to keep the finite part.")
        keep = diverged_at - 1          # steps 1 .. diverged_at - 1 were finite
        params, loss, grads = params[: keep + 1], loss[: keep + 1], grads[:keep]
        states = {name: values[:keep] for name, values in states.items()}
        steps = keep
    t = np.arange(1, steps + 1)
    diagnostics = None
    if opt.adam_like:
        moments = dict(beta1=hyper["beta1"], beta2=hyper["beta2"], lr=hyper["lr"], eps=hyper["eps"],
                       bias_correction=hyper["bias_correction"])
        second = states["v_max"] if "v_max" in states else states["v"]
        diagnostics = diagnostics_from_moments(t, states["m"], second, **moments)
    return Trajectory(opt.name, hyper, t, params, loss, grads, states, diagnostics, diverged_at)
