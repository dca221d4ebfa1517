"""adam_edu agrees with PyTorch: Adam, AMSGrad, Adam + L2 and AdamW, step by step.

``tests/data/torch_reference.npz`` holds 24 PyTorch 2.13 runs in float64 (4 optimizers x 3 problems
x 2 hyperparameter sets, 200 steps each), written by ``tools/make_reference.py`` (read its docstring
for what is stored and how to regenerate it). These tests never import torch: they feed the stored
gradients to ``ae.<name>_step`` and compare every parameter vector, then the final moments.

Tolerances
----------
``rtol = 1e-12`` everywhere. Because the replayed gradients are fixed, the only difference between
the two implementations is rounding: torch computes ``m.lerp_(g, 1 - beta1)`` and
``p.addcdiv_(m, sqrt(v)/sqrt(1 - beta2^t) + eps, value=-lr/(1 - beta1^t))``, adam_edu the textbook
``beta1*m + (1 - beta1)*g`` and ``p - lr*m_hat/(sqrt(v_hat) + eps)``. Each differs by about one unit
in the last place (ulp) per step, and the differences do not compound. A pure ``rtol`` is too strict
only where a coordinate passes close to zero (the smallest is 8e-5): parameters are the running sum
x0 - sum of steps, so their error is absolute, on the scale of the largest coordinate. Hence
``atol = 16 ulp x (largest |coordinate| in the run)``, at most 7e-15 here. Measured worst absolute
difference over all 4800 steps: 4.4e-16 (2 ulp of 1.0). A real formula mistake is far larger:
applying AdamW's decay after the Adam step instead of before moves the default-hyperparameter run
by lr^2 * wd = 1e-8 per step, 2e-6 after 200 steps.
First moments are sums of gradients that can cancel, so ``m`` gets the analogous
``atol = 16 ulp x max |gradient|``; second moments are sums of squares (no cancellation): rtol only.
"""

import json
import pathlib

import numpy as np
import pytest

import adam_edu as ae

DATA = pathlib.Path(__file__).parent / "data" / "torch_reference.npz"
ULP = np.finfo(np.float64).eps
RTOL = 1e-12
HYPER_NAMES = {
    "adam": ("lr", "beta1", "beta2", "eps"),
    "amsgrad": ("lr", "beta1", "beta2", "eps"),
    "adam_l2": ("lr", "beta1", "beta2", "eps", "weight_decay"),
    "adamw": ("lr", "beta1", "beta2", "eps", "weight_decay"),
}

with np.load(DATA) as _npz:
    REF = {key: _npz[key] for key in _npz.files}
META = json.loads(str(REF["meta"]))
CASES = {case["key"]: case for case in META["cases"]}


def arrays(key):
    """The stored arrays of one case, by short name (x0, grads, params, exp_avg, ...)."""
    prefix = key + "."
    return {k[len(prefix):]: v for k, v in REF.items() if k.startswith(prefix)}


def hyper(key):
    """The hyperparameters torch used, under adam_edu's names."""
    case = CASES[key]
    return {name: case["resolved"][name] for name in HYPER_NAMES[case["optimizer"]]}


def numpy_grad(problem, x, t):
    """The gradient of the stored problem at x for step t (t counts from 1), in numpy."""
    if problem == "rosenbrock":
        return np.array([-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2),
                         200 * (x[1] - x[0] ** 2)])
    g = REF["problem.quadratic.A"] @ x - REF["problem.quadratic.b"]
    return g + REF["problem.noisy.noise"][t - 1] if problem == "noisy" else g


def replay(key, *, numpy_grads=False, defaults=False):
    """Run ae.<optimizer>_step on case ``key``; return (params after each step, final state).

    numpy_grads=False replays the stored gradients; True recomputes them at adam_edu's own
    parameters with numpy_grad (closed loop). defaults=True calls step(params, grads, state) with
    no hyperparameters; otherwise the case's hyperparameters are passed explicitly.
    """
    case, data = CASES[key], arrays(key)
    name = case["optimizer"]
    init, step = getattr(ae, f"{name}_init"), getattr(ae, f"{name}_step")
    kwargs = {} if defaults else hyper(key)
    params = data["x0"].copy()
    state = init(params)
    out = []
    for t in range(1, len(data["grads"]) + 1):
        g = numpy_grad(case["problem"], params, t) if numpy_grads else data["grads"][t - 1]
        params, state = step(params, g, state, **kwargs)
        out.append(params)
    return np.array(out), state


def params_atol(data):
    """16 ulp of the largest coordinate the run visits (see the module docstring)."""
    return 16 * ULP * max(np.abs(data["x0"]).max(), np.abs(data["params"]).max())


def assert_trajectory_close(actual, expected, *, rtol, atol, what):
    """assert_allclose on a (steps, d) array, naming the first step that disagrees."""
    bad = ~np.isclose(actual, expected, rtol=rtol, atol=atol)
    first = int(np.argmax(bad.any(axis=1))) + 1 if bad.any() else None
    np.testing.assert_allclose(
        actual, expected, rtol=rtol, atol=atol,
        err_msg=f"{what}: first disagreement at step t={first} "
                f"(adam_edu {actual[first - 1] if first else ''} vs torch "
                f"{expected[first - 1] if first else ''})")


@pytest.mark.parametrize("key", sorted(CASES))
def test_params_agree_with_torch_at_every_step(key):
    data = arrays(key)
    actual, _ = replay(key)
    assert actual.shape == data["params"].shape
    assert_trajectory_close(actual, data["params"], rtol=RTOL, atol=params_atol(data),
                            what=f"{key} with {hyper(key)}")


@pytest.mark.parametrize("key", sorted(CASES))
def test_final_moments_agree_with_torch(key):
    data, name = arrays(key), CASES[key]["optimizer"]
    _, state = replay(key)
    assert state.t == int(data["step"]) == len(data["grads"])
    # m is a weighted mean of the gradients the moments saw (for L2: g + wd * params).
    wd = hyper(key).get("weight_decay", 0.0) if name == "adam_l2" else 0.0
    g_scale = np.abs(data["grads"]).max() + wd * np.abs(data["params"]).max()
    np.testing.assert_allclose(state.m, data["exp_avg"], rtol=RTOL, atol=16 * ULP * g_scale,
                               err_msg=f"{key}: m vs torch exp_avg")
    np.testing.assert_allclose(state.v, data["exp_avg_sq"], rtol=RTOL, atol=0,
                               err_msg=f"{key}: v vs torch exp_avg_sq")
    if name == "amsgrad":
        np.testing.assert_allclose(state.v_max, data["max_exp_avg_sq"], rtol=RTOL, atol=0,
                                   err_msg=f"{key}: v_max vs torch max_exp_avg_sq")


@pytest.mark.parametrize("key", sorted(k for k in CASES if CASES[k]["hyper_set"] == "default"))
def test_defaults_are_torch_defaults(key):
    """Called with no hyperparameters, adam_edu reproduces torch's default constructor.

    The adam_l2 reference was built with Adam(weight_decay=0.01), adam_edu's documented default
    (torch's own default, 0, would make it plain Adam); the others use torch's bare constructor.
    """
    assert CASES[key]["torch_kwargs"] == ({"weight_decay": 0.01} if "adam_l2" in key
                                          else {"amsgrad": True} if "amsgrad" in key else {})
    data = arrays(key)
    actual, _ = replay(key, defaults=True)
    assert_trajectory_close(actual, data["params"], rtol=RTOL, atol=params_atol(data),
                            what=f"{key} called with adam_edu's defaults")


@pytest.mark.parametrize("key", sorted(CASES))
def test_stored_gradients_are_the_problem_gradients(key):
    """numpy's gradient at torch's iterate x_{t-1} equals the gradient torch fed at step t.

    torch autograd and the closed-form numpy gradient round differently; measured worst
    difference 2.6e-13 on Rosenbrock gradients of size 160, i.e. 1.6e-15 of the scale.
    """
    data, problem = arrays(key), CASES[key]["problem"]
    before = np.vstack([data["x0"], data["params"][:-1]])
    recomputed = np.array([numpy_grad(problem, x, t) for t, x in enumerate(before, start=1)])
    atol = 64 * ULP * np.abs(data["grads"]).max()
    assert_trajectory_close(recomputed, data["grads"], rtol=RTOL, atol=atol,
                            what=f"{key}: numpy gradient vs stored torch gradient")


@pytest.mark.parametrize("key", sorted(CASES))
def test_closed_loop_run_with_numpy_gradients_agrees(key):
    """adam_edu computing its own gradients (numpy) stays on torch's trajectory.

    Now rounding differences feed back through the gradient, so errors could grow; on these
    problems they do not. Measured worst absolute difference over all 24 runs: 1.0e-15. The
    tolerance 1e-12 (rtol and atol) leaves a wide margin for another platform's BLAS and libm
    while staying four orders of magnitude below the 1e-8 per-step effect of the smallest formula
    mistake we test for (AdamW's decay applied after the step).
    """
    data = arrays(key)
    actual, _ = replay(key, numpy_grads=True)
    assert_trajectory_close(actual, data["params"], rtol=1e-12, atol=1e-12,
                            what=f"{key} closed loop")


def test_reference_data_can_tell_the_variants_apart():
    """The stored runs are different enough that a wrong variant cannot pass by accident."""
    assert META["steps"] == 200 and META["torch_version"].startswith("2.13")
    for problem in ("quadratic", "rosenbrock", "noisy"):
        key = f"amsgrad.{problem}.custom"
        # The running max is in use at the end: v_max > v by more than 5% in some coordinate.
        data = arrays(key)
        assert np.max(data["max_exp_avg_sq"] / data["exp_avg_sq"]) > 1.05, key
        for a, b in (("adam", "amsgrad"), ("adam", "adam_l2"), ("adam_l2", "adamw")):
            pa = arrays(f"{a}.{problem}.custom")["params"]
            pb = arrays(f"{b}.{problem}.custom")["params"]
            assert np.abs(pa - pb).max() > 1e-3, (a, b, problem)
