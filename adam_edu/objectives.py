"""Test functions with values and analytic gradients, vectorised over leading axes.

A d-dimensional objective takes x of shape (..., d) and returns values of shape (...); the 1-D
``wavy`` takes x of any shape and works elementwise. :data:`OBJECTIVES` lists them by name;
``tests/test_objectives.py`` checks every one's analytic gradient against :func:`numerical_grad`.
:func:`noisy` and :func:`scaled` wrap any of them.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Callable

import numpy as np

from adam_edu import _validate as validate


@dataclass(frozen=True)
class Objective:
    """A function to minimise, with what the lessons need to plot and check it."""

    name: str
    dim: int                              # 1 means scalar params (shape ())
    value: Callable                       # f(x)
    grad: Callable                        # ∇f(x), exact
    x0: np.ndarray                        # the lessons' default start
    xlim: tuple
    ylim: tuple | None                    # None for 1-D objectives
    minimizer: np.ndarray | None = None   # global minimiser, None if unbounded below
    formula: str = ""                     # LaTeX, for titles
    points: dict = field(default_factory=dict)   # named stationary points
    sigma: float = 0.0                    # noise level of stochastic_grad (see noisy)
    noise: "_NoiseTable | None" = field(default=None, repr=False)

    def stochastic_grad(self, x, t: int):
        """The gradient the optimizer sees at step ``t``: exact, plus ``sigma`` × noise of step t."""
        if self.noise is None:
            return self.grad(x)
        return self.grad(x) + self.sigma * self.noise.row(t)


def bowl() -> Objective:
    """f(x, y) = x² + y², minimum 0 at the origin (lesson 2)."""
    return Objective("bowl", 2, lambda x: np.sum(np.square(x), axis=-1), lambda x: 2 * np.asarray(x),
                     np.array([3.0, 4.0]), (-5.0, 5.0), (-5.0, 5.0), np.zeros(2), r"x^2 + y^2")


WAVY_POINTS = {"global_min": -0.8036888286570883, "local_max": 1.5564936746359346,
               "local_min": 2.2139292486712403}


def wavy() -> Objective:
    """f(x) = 0.2x² + 0.6 sin(1.5x): global min x ≈ −0.8037, local max ≈ 1.5565, local min ≈ 2.2139.

    Examples
    --------
    >>> f = wavy()
    >>> round(float(f.value(f.points["global_min"])), 4), round(float(f.value(f.points["local_min"])), 4)
    (-0.4312, 0.8733)
    """
    return Objective("wavy", 1, lambda x: 0.2 * np.square(x) + 0.6 * np.sin(1.5 * np.asarray(x)),
                     lambda x: 0.4 * np.asarray(x) + 0.9 * np.cos(1.5 * np.asarray(x)),
                     np.array(3.0), (-4.0, 4.0), None, np.array(WAVY_POINTS["global_min"]),
                     r"0.2x^2 + 0.6\sin(1.5x)", dict(WAVY_POINTS))


def _quadratic(name, matrix, x0, lim, formula) -> Objective:
    """f(x) = xᵀ A x for a symmetric positive definite A; gradient 2 A x."""
    return Objective(name, 2, lambda x: np.einsum("...i,ij,...j->...", x, matrix, x),
                     lambda x: 2 * np.asarray(x) @ matrix, np.asarray(x0, dtype=float),
                     lim, lim, np.zeros(2), formula)


def ill_conditioned(kappa=10.0) -> Objective:
    """f(x, y) = x² + κy²: curvatures differ by κ ≥ 1 along the axes."""
    kappa = validate.real_number("kappa", kappa)
    if not 1.0 <= kappa < math.inf:
        raise ValueError(f"kappa == {kappa!r}, must be in [1, inf).")
    return _quadratic("ill_conditioned", np.diag([1.0, kappa]), [-4.0, 2.0], (-5.0, 5.0),
                      rf"x^2 + {kappa:g}y^2")


def rotated_quadratic(kappa=10.0, angle=math.pi / 6) -> Objective:
    """The ill-conditioned bowl rotated by ``angle`` radians: Adam's diagonal scaling no longer fits."""
    angle = validate.real_number("angle", angle)
    c, s = math.cos(angle), math.sin(angle)
    rotation = np.array([[c, -s], [s, c]])
    matrix = rotation @ ill_conditioned(kappa).grad(np.eye(2)) / 2 @ rotation.T
    return _quadratic("rotated_quadratic", matrix, [-4.0, 2.0], (-5.0, 5.0),
                      rf"\mathrm{{rotated}}\ x^2 + {kappa:g}y^2")


def rosenbrock(a=1.0, b=100.0) -> Objective:
    """f(x, y) = (a − x)² + b(y − x²)², minimum 0 at (a, a²) in a curved valley."""
    a, b = validate.real_number("a", a), validate.positive("b", b)

    def value(x):
        x = np.asarray(x)
        return (a - x[..., 0]) ** 2 + b * (x[..., 1] - x[..., 0] ** 2) ** 2

    def grad(x):
        x = np.asarray(x)
        inner = x[..., 1] - x[..., 0] ** 2
        return np.stack([-2 * (a - x[..., 0]) - 4 * b * x[..., 0] * inner, 2 * b * inner], axis=-1)

    return Objective("rosenbrock", 2, value, grad, np.array([-1.5, 2.0]), (-2.0, 2.0), (-1.0, 3.0),
                     np.array([a, a * a]), rf"({a:g} - x)^2 + {b:g}(y - x^2)^2")


def saddle() -> Objective:
    """f(x, y) = x² − y²: a saddle at the origin, unbounded below along y."""
    return Objective("saddle", 2, lambda x: np.asarray(x)[..., 0] ** 2 - np.asarray(x)[..., 1] ** 2,
                     lambda x: np.asarray(x) * np.array([2.0, -2.0]), np.array([2.0, 1e-3]),
                     (-3.0, 3.0), (-3.0, 3.0), None, r"x^2 - y^2")


class _NoiseTable:
    """Row t−1 is the noise of step t; rows are drawn in blocks, so they depend only on seed and t."""

    def __init__(self, seed: int, shape: tuple):
        self.rng = np.random.default_rng(seed)
        self.shape = shape
        self.rows = np.empty((0,) + shape)

    def row(self, t: int):
        while t > len(self.rows):
            block = self.rng.standard_normal((max(1024, len(self.rows)),) + self.shape)
            self.rows = np.concatenate([self.rows, block])
        return self.rows[t - 1]


def noisy(objective: Objective, sigma, seed=0) -> Objective:
    """``objective`` whose gradient at step t has Gaussian noise of standard deviation ``sigma``.

    The noise of step t depends only on ``seed`` and t, so optimizers compared on the same noisy
    objective see the same noise sequence. ``sigma`` in [0, inf); values stay exact.

    Examples
    --------
    >>> f = noisy(wavy(), sigma=0.5, seed=1)
    >>> bool(f.stochastic_grad(0.0, 7) == noisy(wavy(), 0.5, seed=1).stochastic_grad(0.0, 7))
    True
    """
    sigma = validate.non_negative("sigma", sigma)
    seed = validate.count("seed", seed)
    if objective.noise is not None:
        raise ValueError(f"objective {objective.name!r} is noisy already; wrap the exact objective.")
    table = _NoiseTable(seed, () if objective.dim == 1 else (objective.dim,))
    return replace(objective, name=f"noisy {objective.name} (sigma={sigma:g}, seed={seed})",
                   sigma=sigma, noise=table)


def scaled(objective: Objective, c) -> Objective:
    """``objective`` multiplied by ``c`` > 0: values, gradients and gradient noise all scale by c.

    The stationary points (and ``minimizer``, ``points``, ``x0``) stay where they are. Adam's path
    on the result is the same as on ``objective`` when ε = 0 (gradient-scale invariance); SGD's
    is not.

    Parameters
    ----------
    objective : Objective
        Exact or noisy (a noisy one keeps its noise sequence, scaled by c).
    c : float
        The factor, in (0, inf).

    Examples
    --------
    >>> scaled(bowl(), 10.0).grad(np.array([1.0, 2.0]))
    array([20., 40.])

    Taught in lessons/04_snr_annealing.ipynb.
    """
    c = validate.positive("c", c)
    value, grad = objective.value, objective.grad
    return replace(objective, name=f"{c:g} * {objective.name}", value=lambda x: c * value(x),
                   grad=lambda x: c * grad(x), sigma=c * objective.sigma,
                   formula=rf"{c:g}\,({objective.formula})" if objective.formula else "")


def numerical_grad(f, x, h=1e-6) -> np.ndarray:
    """Central-difference gradient of a scalar function ``f`` at ``x`` (error O(h²)).

    Examples
    --------
    >>> numerical_grad(lambda z: float(np.sum(z**2)), np.array([1.0, -2.0])).round(6)
    array([ 2., -4.])
    """
    h = validate.positive("h", h)
    x = np.array(x, dtype=np.float64)
    grad = np.empty_like(x)
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = h
        grad[index] = (f(x + step) - f(x - step)) / (2 * h)
    return grad


# Every objective by name (each with its default settings). The gradient, vectorisation and
# minimiser tests in tests/test_objectives.py iterate this, and fail for an objective left out.
OBJECTIVES = {f.__name__: f for f in (bowl, wavy, ill_conditioned, rotated_quadratic, rosenbrock,
                                      saddle)}
