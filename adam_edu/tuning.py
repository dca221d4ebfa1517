"""Tune the step size α of any optimizer on a stated grid, so comparisons are tuned against tuned.

A lesson that races two optimizers gives each its own α: the one on the grid that first brings the
loss below a fraction ``tol`` of its starting value. The steps each α needs (the sensitivity curve)
come back too, so a lesson can show how narrow or wide the good range is. Taught in
lessons/01_math_of_adam.ipynb and lessons/02_xy_walkthrough.ipynb.
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from adam_edu import _validate as validate
from adam_edu.objectives import Objective
from adam_edu.trajectory import run


class Tuning(NamedTuple):
    """The tuned α and, for every α of the grid in its order, the steps to tolerance (None: never)."""

    lr: float | None            # fewest steps to tolerance; ties go to the larger α
    steps: dict                 # α -> steps to tolerance, or None if never reached or diverged


def _tolerance(tol) -> float:
    tol = validate.real_number("tol", tol)
    if not 0.0 < tol < 1.0:
        raise ValueError(f"tol == {tol!r}, must be in (0, 1).")
    return tol


def steps_to_tolerance(losses, tol) -> int | None:
    r"""The first step t at which the loss is below ``tol`` times the starting loss.

    Parameters
    ----------
    losses : array_like of float, shape (T + 1,)
        f(θ_0), f(θ_1), ..., f(θ_T), as in ``Trajectory.loss``; f(θ_0) must be in (0, inf).
        Later values may be nan or inf (a diverging run): those are never below the tolerance.
    tol : float
        Relative tolerance, in (0, 1).

    Returns
    -------
    int or None
        :math:`\min\{t \ge 1 : f(\theta_t) < \mathrm{tol} \cdot f(\theta_0)\}`, or None if no such t.

    Raises
    ------
    ValueError
        If ``losses`` is not 1-D with at least one value, if f(θ_0) is not in (0, inf), or if
        ``tol`` is not in (0, 1).

    Examples
    --------
    >>> steps_to_tolerance([8.0, 4.0, 1.0, 0.5], tol=0.1)
    3
    >>> steps_to_tolerance([8.0, 4.0], tol=0.1) is None
    True
    """
    tol = _tolerance(tol)
    losses = np.asarray(validate._real_array("losses", losses), dtype=np.float64)
    if losses.ndim != 1 or losses.size == 0:
        raise ValueError(f"losses has shape {losses.shape}, must be 1-D with at least one value "
                         "(f(θ_0), f(θ_1), ...).")
    start = float(losses[0])
    if not 0.0 < start < math.inf:
        raise ValueError(f"losses[0] == {start!r}, must be in (0, inf): the tolerance is "
                         "relative to the starting loss.")
    with np.errstate(invalid="ignore"):
        below = np.flatnonzero(losses[1:] < tol * start)
    return int(below[0]) + 1 if below.size else None


def tune_lr(name, objective: Objective, x0, grid, *, steps, tol, **hyper) -> Tuning:
    r"""Pick the α on ``grid`` with which ``name`` reaches the tolerance in the fewest steps.

    Every α runs :func:`adam_edu.run` for ``steps`` steps from ``x0``; a run whose parameters or
    gradients stop being finite counts as never reaching the tolerance.

    Parameters
    ----------
    name : str
        An optimizer in :data:`adam_edu.OPTIMIZERS` (``"adam"``, ``"sgd"``, ...).
    objective : Objective
        What to minimise; its value at ``x0`` must be in (0, inf).
    x0 : float or array_like or None
        The start; None means ``objective.x0``.
    grid : sequence of float
        The candidate step sizes α, each in (0, inf), at least one.
    steps : int
        Steps per run, in [1, inf).
    tol : float
        Relative tolerance in (0, 1): reached at the first t with f(θ_t) < tol · f(θ_0).
    **hyper
        The optimizer's other hyperparameters (``beta1=0.9``, ``bias_correction=False``, ...);
        ``lr`` is not allowed here, the grid supplies it.

    Returns
    -------
    Tuning
        ``lr``: :math:`\arg\min_{\alpha \in \mathrm{grid}} T(\alpha)` with
        :math:`T(\alpha)` = :func:`steps_to_tolerance`, ties to the larger α, None if no α reaches
        the tolerance; ``steps``: :math:`\alpha \mapsto T(\alpha)` for the whole grid.

    Raises
    ------
    ValueError
        If ``grid`` is empty or holds a value outside (0, inf), if ``steps`` < 1, if ``tol`` is not
        in (0, 1), if ``lr`` is passed in ``hyper``, or (from :func:`adam_edu.run`) if ``name`` or
        a hyperparameter is not valid.

    Examples
    --------
    >>> from adam_edu.objectives import bowl
    >>> tuned = tune_lr("sgd", bowl(), None, [0.01, 0.1, 0.4, 1.5], steps=50, tol=1e-6)
    >>> tuned.lr, tuned.steps
    (0.4, {0.01: None, 0.1: 31, 0.4: 5, 1.5: None})
    """
    tol = _tolerance(tol)
    steps = validate.count("steps", steps)
    if steps < 1:
        raise ValueError(f"steps == {steps}, must be a whole number in [1, inf).")
    if "lr" in hyper:
        raise ValueError(f"lr == {hyper['lr']!r} was passed, but tune_lr takes α from grid; "
                         "remove lr.")
    values = [validate.positive(f"grid[{i}]", a) for i, a in enumerate(np.ravel(grid).tolist())]
    if not values:
        raise ValueError("grid is empty, must hold at least one step size in (0, inf).")
    taken = {}
    for lr in values:
        traj = run(name, objective, x0, steps=steps, on_nonfinite="stop", lr=lr, **hyper)
        taken[lr] = None if traj.diverged_at is not None else steps_to_tolerance(traj.loss, tol)
    reached = [(t, -lr) for lr, t in taken.items() if t is not None]
    return Tuning(-min(reached)[1] if reached else None, taken)
