"""A fair race between Adam and its family: every optimizer with its own tuned α, many α at once.

A *racer* is a registry optimizer with fixed hyperparameters (``RACERS``). :func:`race` runs one
racer on a list of objectives for every α of a grid at once: the rows of one array are the
(objective, α) pairs, so one call of the optimizer's ``update`` advances all of them, and a sweep
costs about what one run costs. The metric is the number of steps until ``reached`` (by default
f(θ_t) < tol·f(θ_0)); ``inf`` means never within ``steps`` (or diverged).

The valley ``f = ½θᵀR diag(1, κ) Rᵀθ`` started at ``R(−4, 2)`` is the same problem at every angle, only
turned: GD and momentum follow the turned path, the per-coordinate methods do not.
Taught in lessons/05_family_race.ipynb.

References
----------
B. T. Polyak, "Some methods of speeding up the convergence of iteration methods", USSR
Computational Mathematics and Mathematical Physics 4(5), 1964 (the heavy ball and its rate).
D. P. Kingma and J. Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015, arXiv:1412.6980.
"""
from __future__ import annotations

import math

import numpy as np

from adam_edu import _validate as validate
from adam_edu.objectives import Objective
from adam_edu.registry import get_optimizer
from adam_edu.tuning import Tuning

GRID = 2.0 ** np.arange(-16, 4)      # α grid 2^-16 ... 2^3
TOL = 1e-6                           # "reached": f(θ_t) < TOL · f(θ_0)
START = np.array([-4.0, 2.0])        # the valley's start before rotation
RACERS = {   # name -> (registry optimizer, hyperparameters other than lr; the rest are defaults)
    "sgd": ("sgd", {}), "momentum": ("momentum", {}), "nesterov": ("nesterov", {}),
    "adagrad": ("adagrad", {}), "rmsprop": ("rmsprop", {}),
    "rmsprop_bc": ("rmsprop", {"bias_correction": True}), "adam": ("adam", {}),
    "amsgrad": ("amsgrad", {}), "adamax": ("adamax", {}),
}
LABELS = {"sgd": "GD", "momentum": "momentum", "nesterov": "Nesterov", "adagrad": "AdaGrad",
          "rmsprop": "RMSProp", "rmsprop_bc": "RMSProp+bc", "adam": "Adam", "amsgrad": "AMSGrad",
          "adamax": "AdaMax"}


def rotation(degrees) -> np.ndarray:
    """The 2×2 matrix R that turns the plane by ``degrees`` counter-clockwise.

    Examples
    --------
    >>> (rotation(90) @ [1.0, 0.0]).round(12)
    array([0., 1.])
    """
    angle = math.radians(validate.real_number("degrees", degrees))
    c, s = math.cos(angle), math.sin(angle)
    return np.array([[c, -s], [s, c]])


def valley(kappa=1000.0, degrees=0.0) -> Objective:
    r"""f(θ) = ½ θᵀ R diag(1, κ) Rᵀ θ started at R·(−4, 2): one valley, turned by ``degrees``.

    ``kappa`` κ in [1, inf) is the condition number; ``degrees`` is any real angle. Rotating the
    start with the problem makes every angle the same problem for a rotation-invariant optimizer.

    Examples
    --------
    >>> f = valley(1000, 20)
    >>> float(f.value(f.x0))            # ½·16 + ½·1000·4 at every angle
    2008.0
    """
    kappa = validate.real_number("kappa", kappa)
    if not 1.0 <= kappa < math.inf:
        raise ValueError(f"kappa == {kappa!r}, must be in [1, inf).")
    turn = rotation(degrees)
    matrix = turn @ np.diag([1.0, kappa]) @ turn.T
    return Objective("valley", 2, lambda x: 0.5 * np.einsum("...i,ij,...j->...", x, matrix, x),
                     lambda x: np.asarray(x) @ matrix, turn @ START, (-5.0, 5.0), (-5.0, 5.0),
                     np.zeros(2), rf"\frac12\theta^\top R\,\mathrm{{diag}}(1, {kappa:g})R^\top\theta",
                     {"kappa": kappa, "degrees": float(degrees)})


def heavy_ball(kappa) -> dict:
    r"""The optimal heavy-ball (momentum) ``lr`` and ``beta`` for curvatures 1 and κ.

    .. math:: \alpha = \frac{4}{(1 + \sqrt\kappa)^2}, \quad
              \beta = \Big(\frac{\sqrt\kappa - 1}{\sqrt\kappa + 1}\Big)^2,
              \quad \text{rate } \frac{\sqrt\kappa - 1}{\sqrt\kappa + 1} \text{ per step (Polyak, 1964)}

    In the registry's form :math:`b_t = \beta b_{t-1} + g_t`, :math:`\theta_t = \theta_{t-1} -
    \alpha b_t`, which is the heavy ball :math:`\theta_{t+1} = \theta_t - \alpha g +
    \beta(\theta_t - \theta_{t-1})` with the same α and β.

    Examples
    --------
    >>> heavy_ball(100)
    {'lr': 0.03305785123966942, 'beta': 0.6694214876033059}
    """
    root = math.sqrt(validate.real_number("kappa", kappa))
    return {"lr": 4 / (1 + root) ** 2, "beta": ((root - 1) / (root + 1)) ** 2}


def _stack(objectives, count):
    """value(P), grad(P, t) and the start rows for rows = (objective, α) pairs, α fastest."""
    if all(f.name == "valley" for f in objectives):     # one matrix per row: one einsum for all
        matrices = np.repeat(np.stack([f.grad(np.eye(2)) for f in objectives]), count, axis=0)
        grad = lambda p, t: np.einsum("rj,rji->ri", p, matrices)   # θᵀA, as f.grad does
        value = lambda p: 0.5 * np.einsum("ri,ri->r", p, grad(p, 0))
    elif len(objectives) == 1:
        value, grad = objectives[0].value, objectives[0].stochastic_grad
    else:
        raise ValueError("race() stacks valleys, or takes a single objective of another kind.")
    starts = np.repeat(np.stack([np.asarray(f.x0, float) for f in objectives]), count, axis=0)
    return value, grad, starts


def race(racer, objectives, grid=GRID, *, steps, tol=TOL, stop="best", reached=None,
         keep=False, **hyper):
    """Steps to tolerance of ``racer`` on every objective for every α in ``grid``, all at once.

    Parameters
    ----------
    racer : str
        A key of :data:`RACERS`.
    objectives : Objective or list of Objective
        Valleys stack; another objective comes alone.
    grid : array_like of float, shape (α,) or (objectives, α)
        The α values (each in (0, inf)): one grid for all, or one row per objective.
    steps : int
        At most this many steps, in [1, inf).
    tol : float, default=TOL
        Reached when f(θ_t) < tol·f(θ_0), unless ``reached(params, loss, loss0)`` is given.
    stop : {"best", "all"}
        "best" stops when each objective's fastest α is known (the others may be unfinished);
        "all" runs every α until it reaches, diverges, or ``steps`` ends (the sensitivity curve).
    keep : bool
        Also return θ_0 ... θ_steps, shape (steps + 1, objectives, α, 2); runs all ``steps``.
    **hyper
        Overrides of the racer's hyperparameters (momentum's ``beta``, say).

    Returns
    -------
    numpy.ndarray, shape (objectives, α)
        The first t that reached, ``inf`` if none (a run that diverges first never reaches; one
        that diverges after reaching keeps its t); with ``keep``, (that, the path). With ``stop="best"`` an α slower than its objective's best may show ``inf``
        because it was stopped.

    Examples
    --------
    >>> race("sgd", valley(1000, 0), [2.0**-9, 2.0**-10], steps=5000, stop="all")
    array([[2121., 4243.]])
    """
    objectives = [objectives] if isinstance(objectives, Objective) else list(objectives)
    name, fixed = RACERS[racer] if racer in RACERS else (None, None)
    if name is None:
        raise ValueError(f"racer == {racer!r}, must be one of {sorted(RACERS)}.")
    if stop not in ("best", "all"):
        raise ValueError(f"stop == {stop!r}, must be 'best' or 'all'.")
    if not objectives:
        raise ValueError("objectives is empty, must hold at least one Objective.")
    steps = validate.count("steps", steps)
    if not 0.0 < validate.real_number("tol", tol) < 1.0:
        raise ValueError(f"tol == {tol!r}, must be in (0, 1).")
    grid = np.array([[validate.positive("grid value", a) for a in row] for row in np.atleast_2d(grid)])
    grid = np.broadcast_to(grid, (len(objectives), grid.shape[1]))
    opt = get_optimizer(name)
    settings = opt.hyper(**{**fixed, **hyper})
    settings.pop("lr")
    count = grid.shape[1]
    value, grad, params = _stack(objectives, count)
    lr = grid.reshape(-1, 1)
    loss0 = value(params)
    reached = reached or (lambda p, loss, f0: loss < tol * f0)
    hits = np.full(len(params), np.inf)
    alive = np.ones(len(params), bool)
    state, path = opt.init(params), [params]
    with np.errstate(all="ignore"):
        for t in range(1, steps + 1):
            params, state = opt.update(params, grad(params, t), state, lr=lr, **settings)
            loss = value(params)
            alive &= np.isfinite(loss)
            hits[alive & np.isinf(hits) & reached(params, loss, loss0)] = t
            if keep:
                path.append(params)
            elif t % 8 == 0 and _finished(hits, alive, count, stop):
                break
    hits = hits.reshape(len(objectives), count)
    if keep:
        return hits, np.stack(path).reshape(steps + 1, len(objectives), count, -1)
    return hits


def _finished(hits, alive, count, stop) -> bool:
    open_rows = (np.isinf(hits) & alive).reshape(-1, count)
    if stop == "all":
        return not open_rows.any()
    return bool(np.all(np.isfinite(hits).reshape(-1, count).any(axis=1) | ~open_rows.any(axis=1)))


def tuned(hits, grid=GRID) -> Tuning:
    """One row of :func:`race` as a :class:`adam_edu.tuning.Tuning`: the α with the fewest steps
    (ties to the larger α, None if none reached) and α -> steps (None: not reached).

    The selection rule is :func:`adam_edu.tuning.tune_lr`'s; tests check the two agree.

    Examples
    --------
    >>> tuned(np.array([9.0, 5.0, 5.0, np.inf]), [0.1, 0.2, 0.4, 0.8])
    Tuning(lr=0.4, steps={0.1: 9, 0.2: 5, 0.4: 5, 0.8: None})
    """
    taken = {float(a): int(t) if np.isfinite(t) else None for a, t in zip(grid, hits)}
    reached = [(t, -lr) for lr, t in taken.items() if t is not None]
    return Tuning(-min(reached)[1] if reached else None, taken)


def measured_rate(path) -> float:
    """Contraction per step of ‖θ_t‖ over the second half of a path (θ* = 0), shape (steps + 1, d).

    Only the part of the path above 1e-200·‖θ_0‖ counts (later steps may underflow to 0).

    Examples
    --------
    >>> measured_rate([[4.0, 0.0], [2.0, 0.0], [1.0, 0.0], [0.5, 0.0]])
    0.5
    """
    norms = np.linalg.norm(np.asarray(path), axis=-1)
    norms = norms[: np.argmax(norms < 1e-200 * norms[0]) or len(norms)]
    half = len(norms) // 2
    return float((norms[-1] / norms[half]) ** (1 / (len(norms) - 1 - half)))


def escaped(params, loss, loss0) -> np.ndarray:
    """The saddle's criterion for :func:`race`: |θ₂| ≥ 1, the start's 1e-3 grown a thousandfold.

    Examples
    --------
    >>> escaped(np.array([[2.0, 0.5], [0.1, -1.0]]), None, None)
    array([False,  True])
    """
    return np.abs(params[:, 1]) >= 1.0


def stationary_spread(racer, lr, sigma, *, h=1.0, seeds=200, steps=2000, seed=0, **hyper):
    """Spread (standard deviation) of θ_t around 0 on f = ½hθ² with N(0, σ²) gradient noise.

    ``lr`` and ``sigma`` broadcast against each other; every (α, σ) pair and every seed is one row,
    all advanced at once. The spread is over seeds and the second half of the steps (the start
    θ_0 = 0 is forgotten by then). Small-step predictions: SGD √(α/2h)·σ, Adam √(ασ/2h).

    Examples
    --------
    >>> spread = stationary_spread("sgd", 0.01, 1.0, seeds=50, steps=1000)
    >>> bool(abs(spread - (0.01 / 2) ** 0.5) < 0.01)
    True
    """
    name, fixed = RACERS[racer]
    lr, sigma = np.broadcast_arrays(np.asarray(lr, float), np.asarray(sigma, float))
    for a, s in zip(lr.ravel(), sigma.ravel()):
        validate.positive("lr", a), validate.non_negative("sigma", s)
    opt = get_optimizer(name)
    settings = opt.hyper(**{**fixed, **hyper})
    settings.pop("lr")
    rng = np.random.default_rng(validate.count("seed", seed))
    rows = (lr.size, validate.count("seeds", seeds))
    params, rates, scales = np.zeros(rows), lr.reshape(-1, 1), sigma.reshape(-1, 1)
    state, second_half = opt.init(params), []
    for t in range(validate.count("steps", steps)):
        noisy_grad = h * params + scales * rng.standard_normal(rows)
        params, state = opt.update(params, noisy_grad, state, lr=rates, **settings)
        if t >= steps // 2:
            second_half.append(params)
    return np.std(np.stack(second_half), axis=(0, 2)).reshape(lr.shape)[()]
