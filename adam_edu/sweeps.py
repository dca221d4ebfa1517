r"""Seed × α sweeps of noisy runs, vectorised over seeds: what a lesson asserts as "true in general".

One run with one seed and one α is a demonstration. A claim about how an optimizer *behaves* ("Adam
crosses the hill") is a fraction over a grid of α and many noise seeds. :func:`sweep` runs one
optimizer from the same start for every α of a grid and every seed at once: the parameters of all
seeds form one array, and each step is one call of the optimizer's own update (the same code
:func:`adam_edu.run` uses), so 200 seeds cost about as much as one. Seed ``s`` sees exactly the
noise of ``noisy(objective, sigma, seed=s)``: :func:`noise` draws it with the same table.

.. math::
    g_t^{(s)} = \nabla f(\theta_{t-1}^{(s)}) + \sigma z_t^{(s)}, \qquad z_t^{(s)} \sim N(0, 1)
    \ \text{(seeded by } s\text{)}.

Taught in lessons/04_snr_annealing.ipynb (and used in 03_bias_correction.ipynb).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from adam_edu import _validate as validate
from adam_edu.objectives import Objective, _NoiseTable
from adam_edu.registry import get_optimizer


class Sweep(NamedTuple):
    """Every run of a sweep: ``params[a, t, s]`` is θ_t for α = ``lrs[a]`` and seed ``seeds[s]``."""

    optimizer: str
    hyper: dict              # the hyperparameters shared by every run (α excluded)
    lrs: np.ndarray          # (n_lr,)
    seeds: np.ndarray        # (n_seeds,)
    params: np.ndarray       # (n_lr, steps + 1, n_seeds)

    def final(self) -> np.ndarray:
        """θ at the last step, shape (n_lr, n_seeds)."""
        return self.params[:, -1, :]

    def fraction(self, condition) -> np.ndarray:
        """For each α, the fraction of seeds whose final θ satisfies ``condition`` (an array test)."""
        return np.mean(condition(self.final()), axis=1)


def _seeds(seeds) -> np.ndarray:
    """``seeds`` as a 1-D array of distinct whole numbers in [0, inf), at least one."""
    values = [validate.count("seeds", s) for s in np.atleast_1d(np.asarray(seeds)).tolist()]
    if not values:
        raise ValueError("seeds is empty, must hold at least one seed.")
    if len(set(values)) != len(values):
        raise ValueError(f"seeds has repeated values, must be distinct: {values[:10]}")
    return np.array(values)


def _starts(x0, n) -> np.ndarray:
    """``x0`` as n starts: one real number for all, or exactly one per seed."""
    values = [validate.real_number("x0", x) for x in np.atleast_1d(np.asarray(x0, dtype=object))]
    if len(values) not in (1, n):
        raise ValueError(f"x0 has {len(values)} starts but there are {n} seeds; give one start "
                         "or one per seed.")
    return np.broadcast_to(np.array(values, dtype=float), (n,)).copy()


def noise(seeds, steps) -> np.ndarray:
    """The unit noise z_t of every seed, shape (steps, n_seeds): column s is what
    ``noisy(f, sigma, seed=seeds[s])`` adds (times σ) to a 1-D gradient at steps 1 ... steps.

    Examples
    --------
    >>> from adam_edu.objectives import noisy, wavy
    >>> z = noise([3, 7], steps=5)
    >>> bool(noisy(wavy(), 1.0, seed=7).stochastic_grad(0.0, 4) == wavy().grad(0.0) + z[3, 1])
    True
    """
    seeds = _seeds(seeds)
    steps = validate.count("steps", steps)
    columns = []
    for seed in seeds:
        table = _NoiseTable(int(seed), ())
        table.row(max(steps, 1))                     # draw the blocks up to step `steps`
        columns.append(table.rows[:steps])
    return np.stack(columns, axis=1)


def sweep(optimizer, objective: Objective, x0, *, lrs, seeds, steps, sigma, **hyper) -> Sweep:
    """Run ``optimizer`` on ``objective`` plus N(0, σ²) gradient noise for every α and every seed.

    Parameters
    ----------
    optimizer : str
        A name in :data:`adam_edu.OPTIMIZERS` (``"adam"``, ``"sgd"``, ``"momentum"``, ...).
    objective : Objective
        An exact 1-D objective (``wavy()``, or ``scaled(wavy(), c)``); the noise is added here.
    x0 : float or sequence of float
        The start θ_0 of every run, or one start per seed (with σ = 0 that sweeps the start).
    lrs : sequence of float
        The α grid, each in (0, inf).
    seeds : sequence of int
        Distinct noise seeds, each in [0, inf).
    steps : int
        Steps per run, in [0, inf).
    sigma : float
        Noise standard deviation σ, in [0, inf).
    **hyper
        The optimizer's other hyperparameters (``beta1``, ``beta2``, ``eps``, ``beta`` ...).

    Returns
    -------
    Sweep
        ``params`` of shape (len(lrs), steps + 1, len(seeds)). A run whose θ stops being finite
        keeps non-finite values from that step on (it counts as reaching no basin).

    Examples
    --------
    >>> from adam_edu.objectives import wavy
    >>> runs = sweep("adam", wavy(), 3.0, lrs=[0.05, 0.3], seeds=range(4), steps=300, sigma=0.3)
    >>> runs.params.shape
    (2, 301, 4)
    >>> runs.fraction(lambda theta: theta < 0).tolist()   # in the global minimum's basin
    [0.0, 1.0]

    Taught in lessons/04_snr_annealing.ipynb.
    """
    opt = get_optimizer(optimizer)
    if objective.noise is not None or objective.dim != 1:
        raise ValueError(f"objective {objective.name!r} must be an exact 1-D objective; "
                         "sweep adds the noise itself.")
    lrs = np.array([validate.positive("lrs", lr) for lr in np.atleast_1d(lrs).tolist()])
    if lrs.size == 0:
        raise ValueError("lrs is empty, must hold at least one learning rate.")
    seeds = _seeds(seeds)
    starts = _starts(x0, len(seeds))
    sigma = validate.non_negative("sigma", sigma)
    z = sigma * noise(seeds, steps)                              # (steps, n_seeds)
    params = np.empty((len(lrs), z.shape[0] + 1, len(seeds)))
    with np.errstate(all="ignore"):                              # a diverging run stays non-finite
        for a, lr in enumerate(lrs):
            checked = opt.hyper(lr=float(lr), **hyper)
            theta = starts.copy()
            state = opt.init(theta)
            params[a, 0] = theta
            for t in range(1, z.shape[0] + 1):
                g = objective.grad(theta) + z[t - 1]             # g_t, one per seed
                theta, state = opt.update(theta, g, state, **checked)
                params[a, t] = theta
    shared = {k: v for k, v in opt.hyper(**hyper).items() if k != "lr"}
    return Sweep(opt.name, shared, lrs, seeds, params)
