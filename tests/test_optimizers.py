"""Properties every optimizer in the registry must have. Adding an optimizer adds it here."""
import numpy as np
import pytest

import adam_edu as ae

NAMES = sorted(ae.OPTIMIZERS)
# Learning rates at which each optimizer takes visible steps on the bowl from (3, 4).
LR = {"sgd": 0.1, "momentum": 0.05, "nesterov": 0.05, "adagrad": 0.5, "rmsprop": 0.05}


def lr_for(name):
    return LR.get(name, 0.1)


def test_registry_names_match_functions():
    for name, opt in ae.OPTIMIZERS.items():
        assert opt.name == name
        assert opt.step is getattr(ae, f"{name}_step")
        assert opt.init is getattr(ae, f"{name}_init")


@pytest.mark.parametrize("name", NAMES)
def test_goes_downhill_on_the_bowl_within_20_steps(name):
    opt, f = ae.OPTIMIZERS[name], ae.bowl()
    params = f.x0
    state = opt.init(params)
    losses = [f.value(params)]
    for _ in range(20):
        params, state = opt.step(params, f.grad(params), state, lr=lr_for(name))
        losses.append(f.value(params))
    assert losses[-1] < 0.9 * losses[0], f"{name}: loss {losses[0]} -> {losses[-1]} in 20 steps"
    assert state.t == 20


@pytest.mark.parametrize("name", NAMES)
def test_default_hyperparameters_also_go_downhill(name):
    opt, f = ae.OPTIMIZERS[name], ae.bowl()
    params, state = opt.step(f.x0, f.grad(f.x0), opt.init(f.x0))
    assert f.value(params) < f.value(f.x0)


@pytest.mark.parametrize("name", NAMES)
def test_zero_gradient_leaves_parameters_unchanged(name):
    opt = ae.OPTIMIZERS[name]
    params = np.array([1.5, -2.0, 0.25])
    hyper = {"weight_decay": 0.0} if "weight_decay" in opt.defaults else {}
    state = opt.init(params)
    for _ in range(5):
        new_params, state = opt.step(params, np.zeros(3), state, **hyper)
        np.testing.assert_array_equal(new_params, params)


@pytest.mark.parametrize("name", NAMES)
def test_zero_gradient_with_eps_zero_is_still_a_no_op(name):
    opt = ae.OPTIMIZERS[name]
    if "eps" not in opt.defaults:
        pytest.skip(f"{name} has no eps")
    hyper = {"eps": 0.0, **({"weight_decay": 0.0} if "weight_decay" in opt.defaults else {})}
    params = np.array([1.0, 2.0])
    new_params, _ = opt.step(params, [0.0, 0.0], opt.init(params), **hyper)
    np.testing.assert_array_equal(new_params, params)


@pytest.mark.parametrize("name", NAMES)
def test_inputs_are_not_modified(name):
    opt = ae.OPTIMIZERS[name]
    params, grads = np.array([1.0, -2.0]), np.array([0.5, 3.0])
    state = opt.init(params)
    params, state = opt.step(params, grads, state)       # a state with non-zero moments
    saved = (params.copy(), grads.copy(), [np.copy(x) for x in state])
    opt.step(params, grads, state)
    np.testing.assert_array_equal(params, saved[0])
    np.testing.assert_array_equal(grads, saved[1])
    for before, after in zip(saved[2], state):
        np.testing.assert_array_equal(after, before)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_and_shape_are_kept(name, dtype):
    opt = ae.OPTIMIZERS[name]
    params = np.ones((2, 3), dtype=dtype)
    new_params, state = opt.step(params, np.full((2, 3), 0.5), opt.init(params))
    assert new_params.dtype == dtype and new_params.shape == (2, 3)
    for field in state[1:]:
        assert field.dtype == dtype


@pytest.mark.parametrize("name", NAMES)
def test_scalar_params_give_a_scalar(name):
    opt = ae.OPTIMIZERS[name]
    new_params, state = opt.step(2.0, 1.0, opt.init(2.0))
    assert np.ndim(new_params) == 0 and new_params < 2.0


@pytest.mark.parametrize("name", NAMES)
def test_errors_name_the_parameter_and_the_range(name):
    opt = ae.OPTIMIZERS[name]
    state = opt.init([1.0, 2.0])
    with pytest.raises(ValueError, match=r"^lr == -0.1, must be in \(0, inf\)\.$"):
        opt.step([1.0, 2.0], [1.0, 1.0], state, lr=-0.1)
    with pytest.raises(ValueError, match=r"grads has shape \(3,\) but params has shape \(2,\)"):
        opt.step([1.0, 2.0], [1.0, 1.0, 1.0], state)
    with pytest.raises(TypeError, match="grads must hold real numbers"):
        opt.step([1.0, 2.0], ["a", "b"], state)
    with pytest.raises(ValueError, match=r"grads contains np.float64\(nan\) at index \(1,\)"):
        opt.step([1.0, 2.0], [1.0, np.nan], state)
    for beta in [b for b in ("beta", "beta1", "beta2") if b in opt.defaults]:
        with pytest.raises(ValueError, match=rf"^{beta} == 1.0, must be in \[0, 1\)\.$"):
            opt.step([1.0, 2.0], [1.0, 1.0], state, **{beta: 1.0})
    if "eps" in opt.defaults:
        with pytest.raises(ValueError, match=r"^eps == -1e-08, must be in \[0, inf\)\.$"):
            opt.step([1.0, 2.0], [1.0, 1.0], state, eps=-1e-8)
    if "weight_decay" in opt.defaults:
        with pytest.raises(ValueError, match=r"^weight_decay == -0.5, must be in \[0, inf\)\.$"):
            opt.step([1.0, 2.0], [1.0, 1.0], state, weight_decay=-0.5)
    with pytest.raises(ValueError, match=r"^state.t == -1, must be a whole number in \[0, inf\)\.$"):
        opt.step([1.0, 2.0], [1.0, 1.0], state._replace(t=-1))
    with pytest.raises(TypeError, match=r"^state.t must be a whole number in \[0, inf\), got 1.5"):
        opt.step([1.0, 2.0], [1.0, 1.0], state._replace(t=1.5))


@pytest.mark.parametrize("name", NAMES)
def test_hyperparameter_checks_agree_between_step_and_registry(name):
    """``run`` checks through the registry, ``step`` checks itself: both must reject the same."""
    opt = ae.OPTIMIZERS[name]
    with pytest.raises(ValueError, match="lr == 0.0"):
        opt.hyper(lr=0.0)
    with pytest.raises(TypeError, match="has no hyperparameter 'bogus'"):
        opt.hyper(bogus=1)
    assert opt.hyper() == opt.defaults


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


def test_non_bool_flag_is_rejected():
    with pytest.raises(TypeError, match=r"^bias_correction must be True or False, got 0.9\.$"):
        ae.adam_step([1.0], [1.0], ae.adam_init([1.0]), bias_correction=0.9)
    with pytest.raises(TypeError, match=r"^lr must be a real number, got '0.1' of type str\.$"):
        ae.adam_step([1.0], [1.0], ae.adam_init([1.0]), lr="0.1")


def test_integer_params_become_float64():
    new_params, state = ae.adam_step([1, 2], [1, 1], ae.adam_init([1, 2]), lr=0.5)
    assert new_params.dtype == np.float64
    np.testing.assert_allclose(new_params, [0.5, 1.5])
