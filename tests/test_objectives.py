"""Every analytic gradient matches a numerical one; the named points are what they claim to be.

The objectives checked are every entry of ``ae.OBJECTIVES`` (with its defaults), some with other
settings too, and the wrappers ``noisy`` and ``scaled``; an objective left out of the registry fails
``test_every_objective_is_registered``.
"""
import inspect

import numpy as np
import pytest

import adam_edu as ae
from adam_edu import objectives

OTHER_SETTINGS = [ae.ill_conditioned(100), ae.rotated_quadratic(5, 1.0), ae.rosenbrock(2.0, 10.0),
                  ae.scaled(ae.rosenbrock(), 3.0), ae.scaled(ae.wavy(), 0.25)]
OBJECTIVES = [make() for make in ae.OBJECTIVES.values()] + OTHER_SETTINGS


def test_every_objective_is_registered():
    """A public function of objectives.py that returns an Objective from nothing is in OBJECTIVES."""
    makers = {name for name, f in vars(objectives).items()
              if inspect.isfunction(f) and f.__module__ == objectives.__name__
              and not name.startswith("_") and f.__annotations__.get("return") == "Objective"
              and all(p.default is not p.empty for p in inspect.signature(f).parameters.values())}
    assert makers == set(ae.OBJECTIVES)
    assert all(ae.OBJECTIVES[name]().name == name for name in ae.OBJECTIVES)


@pytest.mark.parametrize("f", OBJECTIVES, ids=lambda f: f.name)
def test_analytic_gradient_matches_central_differences(f):
    rng = np.random.default_rng(42)
    shape = () if f.dim == 1 else (f.dim,)
    for _ in range(20):
        x = rng.uniform(-2, 2, size=shape)
        numeric = ae.numerical_grad(lambda z: float(f.value(z)), x)
        np.testing.assert_allclose(f.grad(x), numeric, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("f", OBJECTIVES, ids=lambda f: f.name)
def test_vectorised_over_leading_axes(f):
    rng = np.random.default_rng(0)
    xs = rng.uniform(-2, 2, size=(4, 3) + (() if f.dim == 1 else (f.dim,)))
    values, grads = f.value(xs), f.grad(xs)
    assert values.shape == (4, 3) and grads.shape == xs.shape
    np.testing.assert_allclose(values[2, 1], f.value(xs[2, 1]))
    np.testing.assert_allclose(grads[2, 1], f.grad(xs[2, 1]))


@pytest.mark.parametrize("f", [f for f in OBJECTIVES if f.minimizer is not None], ids=lambda f: f.name)
def test_minimizer_is_stationary_and_lowest_nearby(f):
    np.testing.assert_allclose(f.grad(f.minimizer), 0.0, atol=1e-12)
    rng = np.random.default_rng(1)
    shape = np.shape(f.minimizer)
    for _ in range(50):
        assert f.value(f.minimizer + rng.normal(scale=0.1, size=shape)) > f.value(f.minimizer)


def test_wavy_stationary_points_match_the_facts():
    f = ae.wavy()
    assert round(f.points["global_min"], 4) == -0.8037 and round(float(f.value(f.points["global_min"])), 4) == -0.4312
    assert round(f.points["local_max"], 4) == 1.5565
    assert round(f.points["local_min"], 4) == 2.2139 and round(float(f.value(f.points["local_min"])), 4) == 0.8733
    for x in f.points.values():
        assert abs(f.grad(x)) < 1e-12
    grid = np.linspace(-10, 10, 200001)
    assert abs(grid[np.argmin(f.value(grid))] - f.points["global_min"]) < 1e-4


def test_noise_depends_only_on_seed_and_step():
    f, g = ae.noisy(ae.bowl(), 0.5, seed=3), ae.noisy(ae.bowl(), 0.5, seed=3)
    late_first = g.stochastic_grad(np.zeros(2), 3000)          # g draws far ahead first
    np.testing.assert_array_equal(f.stochastic_grad(np.zeros(2), 3000), late_first)
    np.testing.assert_array_equal(f.stochastic_grad(np.ones(2), 7) - 2, g.stochastic_grad(np.ones(2), 7) - 2)
    other = ae.noisy(ae.bowl(), 0.5, seed=4)
    assert not np.array_equal(f.stochastic_grad(np.zeros(2), 7), other.stochastic_grad(np.zeros(2), 7))
    assert f.value(np.ones(2)) == 2.0          # values stay exact


def test_same_noisy_objective_gives_every_optimizer_the_same_noise():
    f = ae.noisy(ae.wavy(), 1.0, seed=0)
    adam, sgd = ae.run("adam", f, steps=50, lr=0.1), ae.run("sgd", f, steps=50, lr=0.1)
    exact = ae.wavy().grad
    np.testing.assert_allclose(adam.grads - exact(adam.params[:-1]), sgd.grads - exact(sgd.params[:-1]),
                               atol=1e-12)


def test_noise_level_is_sigma():
    f = ae.noisy(ae.bowl(), 0.3, seed=0)
    noise = np.array([f.stochastic_grad(np.zeros(2), t) for t in range(1, 5001)])
    assert abs(noise.std() - 0.3) < 0.01 and abs(noise.mean()) < 0.01


@pytest.mark.parametrize("call, error, message", [
    (lambda: ae.ill_conditioned(0.5), ValueError, r"kappa == 0.5, must be in \[1, inf\)"),
    (lambda: ae.noisy(ae.bowl(), -1), ValueError, r"sigma == -1.0, must be in \[0, inf\)"),
    (lambda: ae.noisy(ae.bowl(), 1, seed=-2), ValueError, r"seed == -2, must be a whole number"),
    (lambda: ae.noisy(ae.noisy(ae.bowl(), 1), 1), ValueError, "is noisy already"),
    (lambda: ae.rosenbrock(b=0), ValueError, r"b == 0.0, must be in \(0, inf\)"),
    (lambda: ae.numerical_grad(np.sum, [1.0], h=0), ValueError, r"h == 0.0"),
])
def test_bad_arguments(call, error, message):
    with pytest.raises(error, match=message):
        call()
