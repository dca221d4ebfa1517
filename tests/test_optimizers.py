"""Properties every registered optimizer has, in every configuration of its row in the table.

The table is ``tests/optimizer_info.py`` (one row per optimizer, like PyTorch's ``OptimizerInfo``):
adding an optimizer and its row adds it, with its configurations and its error inputs, to every test
here and to ``tests/test_trajectory.py``.
"""
import numpy as np
import pytest

import adam_edu as ae
from tests.optimizer_info import CASE_IDS, CASES, ERROR_IDS, ERRORS, INFO


def no_decay(name, config):
    """``config`` with weight decay off, for the properties that hold only without it."""
    return {**config, "weight_decay": 0.0} if "weight_decay" in ae.OPTIMIZERS[name].defaults else config


@pytest.mark.parametrize("name, config", CASES, ids=CASE_IDS)
def test_goes_downhill_on_the_bowl_within_20_steps(name, config):
    opt, f = ae.OPTIMIZERS[name], ae.bowl()
    params = f.x0
    state = opt.init(params)
    losses = [f.value(params)]
    for _ in range(20):
        params, state = opt.step(params, f.grad(params), state, **{"lr": INFO[name].lr, **config})
        losses.append(f.value(params))
    assert losses[-1] < 0.9 * losses[0], f"{name} {config}: loss {losses[0]} -> {losses[-1]}"
    assert state.t == 20


@pytest.mark.parametrize("name", sorted(INFO))
def test_default_hyperparameters_also_go_downhill(name):
    opt, f = ae.OPTIMIZERS[name], ae.bowl()
    params, state = opt.step(f.x0, f.grad(f.x0), opt.init(f.x0))
    assert f.value(params) < f.value(f.x0)


@pytest.mark.parametrize("name, config", CASES, ids=CASE_IDS)
def test_zero_gradient_leaves_parameters_unchanged(name, config):
    """Also with ε = 0, where a zero gradient would give 0/0: it is defined to stay put."""
    opt = ae.OPTIMIZERS[name]
    params = np.array([1.5, -2.0, 0.25])
    state = opt.init(params)
    for _ in range(5):
        new_params, state = opt.step(params, np.zeros(3), state, **no_decay(name, config))
        np.testing.assert_array_equal(new_params, params)


@pytest.mark.parametrize("name, config", CASES, ids=CASE_IDS)
def test_inputs_are_not_modified(name, config):
    opt = ae.OPTIMIZERS[name]
    params, grads = np.array([1.0, -2.0]), np.array([0.5, 3.0])
    state = opt.init(params)
    params, state = opt.step(params, grads, state, **config)       # a state with non-zero moments
    saved = (params.copy(), grads.copy(), [np.copy(x) for x in state])
    opt.step(params, grads, state, **config)
    np.testing.assert_array_equal(params, saved[0])
    np.testing.assert_array_equal(grads, saved[1])
    for before, after in zip(saved[2], state):
        np.testing.assert_array_equal(after, before)


@pytest.mark.parametrize("name, config", CASES, ids=CASE_IDS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_and_shape_are_kept(name, config, dtype):
    opt = ae.OPTIMIZERS[name]
    params = np.ones((2, 3), dtype=dtype)
    new_params, state = opt.step(params, np.full((2, 3), 0.5), opt.init(params), **config)
    assert new_params.dtype == dtype and new_params.shape == (2, 3)
    for field in state[1:]:
        assert field.dtype == dtype


@pytest.mark.parametrize("name, config", CASES, ids=CASE_IDS)
def test_scalar_params_give_a_scalar(name, config):
    opt = ae.OPTIMIZERS[name]
    new_params, state = opt.step(2.0, 1.0, opt.init(2.0), **config)
    assert np.ndim(new_params) == 0 and new_params < 2.0


@pytest.mark.parametrize("name, hyper, error, message", ERRORS, ids=ERROR_IDS)
def test_bad_hyperparameters_are_refused_by_step_and_registry_alike(name, hyper, error, message):
    """``step`` checks on every call, ``run`` once through the registry: the same rule, the same words."""
    opt = ae.OPTIMIZERS[name]
    with pytest.raises(error, match=message):
        opt.step([1.0, 2.0], [1.0, 1.0], opt.init([1.0, 2.0]), **hyper)
    with pytest.raises(error, match=message):
        opt.hyper(**hyper)


@pytest.mark.parametrize("name", sorted(INFO))
def test_shared_errors_name_the_parameter_and_the_range(name):
    opt = ae.OPTIMIZERS[name]
    state = opt.init([1.0, 2.0])
    with pytest.raises(ValueError, match=r"^lr == -0.1, must be in \(0, inf\)\.$"):
        opt.step([1.0, 2.0], [1.0, 1.0], state, lr=-0.1)
    with pytest.raises(TypeError, match=r"^lr must be a real number, got '0.1' of type str\.$"):
        opt.step([1.0, 2.0], [1.0, 1.0], state, lr="0.1")
    with pytest.raises(ValueError, match=r"grads has shape \(3,\) but params has shape \(2,\)"):
        opt.step([1.0, 2.0], [1.0, 1.0, 1.0], state)
    with pytest.raises(TypeError, match="grads must hold real numbers"):
        opt.step([1.0, 2.0], ["a", "b"], state)
    with pytest.raises(ValueError, match=r"grads contains np.float64\(nan\) at index \(1,\)"):
        opt.step([1.0, 2.0], [1.0, np.nan], state)
    with pytest.raises(ValueError, match=r"^state.t == -1, must be a whole number in \[0, inf\)\.$"):
        opt.step([1.0, 2.0], [1.0, 1.0], state._replace(t=-1))
    with pytest.raises(TypeError, match=r"^state.t must be a whole number in \[0, inf\), got 1.5"):
        opt.step([1.0, 2.0], [1.0, 1.0], state._replace(t=1.5))
    with pytest.raises(TypeError, match=rf"^{name} has no hyperparameter 'bogus'"):
        opt.hyper(bogus=1)


def test_state_from_another_optimizer_is_rejected():
    with pytest.raises(TypeError, match=r"state must be a AMSGradState .*got AdamState"):
        ae.amsgrad_step([1.0], [1.0], ae.adam_init([1.0]))
    with pytest.raises(ValueError, match=r"state.m has shape \(3,\) but params has shape \(2,\)"):
        ae.adam_step([1.0, 2.0], [1.0, 1.0], ae.adam_init([1.0, 2.0, 3.0]))


@pytest.mark.parametrize("bad, error, message", [
    ("abc", TypeError, "params must be a real number or an array of them, got 'abc'"),
    (True, TypeError, "params must be a real number or an array of them, got True"),
    ([1 + 2j], TypeError, "params must hold real numbers, got an array of dtype complex128"),
    ([np.inf], ValueError, "params contains nan or inf"),
])
def test_bad_params_are_rejected(bad, error, message):
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)")):
        ae.adam_init(bad)


def test_integer_params_become_float64():
    new_params, state = ae.adam_step([1, 2], [1, 1], ae.adam_init([1, 2]), lr=0.5)
    assert new_params.dtype == np.float64
    np.testing.assert_allclose(new_params, [0.5, 1.5])
