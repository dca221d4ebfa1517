"""adam_edu.epsilon (where each framework puts ε) and AdaMax's step bound and ε placement."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import adam_edu as ae
from adam_edu import epsilon
from adam_edu.ema import ema

GRADS = np.random.default_rng(7).standard_normal(50) * np.logspace(-7, 0, 50)


def library_steps(step, init, grads, **hyper):
    """θ_{t-1} − θ_t for each t, from a library step function with lr = 1."""
    params, state, out = 0.0, init(0.0), []
    for g in grads:
        new, state = step(params, g, state, lr=1.0, **hyper)
        out.append(params - new)
        params = new
    return np.array(out)


def test_pytorch_adam_is_algorithm_1():
    np.testing.assert_allclose(epsilon.pytorch_adam(GRADS),
                               library_steps(ae.adam_step, ae.adam_init, GRADS, eps=1e-8), rtol=1e-10)


def test_keras_adam_is_algorithm_1_with_a_time_varying_eps():
    keras = epsilon.keras_adam(GRADS, eps=1e-7)
    t = np.arange(1, len(GRADS) + 1)
    m_hat = ema(GRADS, 0.9) / (1 - 0.9**t)
    v_hat = ema(GRADS**2, 0.999) / (1 - 0.999**t)
    eps_t = np.array([epsilon.keras_effective_eps(1e-7, 0.999, int(s)) for s in t])
    np.testing.assert_allclose(keras, m_hat / (np.sqrt(v_hat) + eps_t), rtol=1e-10)
    assert np.isclose(eps_t[0], 1e-7 / np.sqrt(0.001)) and eps_t[-1] < eps_t[0]


def test_optax_adam_with_eps_root_zero_is_pytorch_and_eps_root_goes_inside():
    np.testing.assert_allclose(epsilon.optax_adam(GRADS), epsilon.pytorch_adam(GRADS), rtol=1e-12)
    first = epsilon.optax_adam([1e-6], eps=0.0, eps_root=1e-12)[0]
    assert np.isclose(first, 1e-6 / np.sqrt(1e-12 + 1e-12))


def test_keras_rmsprop_puts_eps_inside_the_root():
    v = ema(GRADS**2, 0.9)
    np.testing.assert_allclose(epsilon.keras_rmsprop(GRADS), GRADS / np.sqrt(v + 1e-7), rtol=1e-12)


def test_pytorch_adamax_is_the_librarys_adamax():
    np.testing.assert_allclose(epsilon.pytorch_adamax(GRADS, eps=1e-8),
                               library_steps(ae.adamax_step, ae.adamax_init, GRADS, eps=1e-8),
                               rtol=1e-12)


def test_adamax_step_puts_eps_inside_the_max():
    _, state = ae.adamax_step(0.0, 0.0, ae.adamax_init(0.0), eps=0.5)
    assert state.u == 0.5                        # max(0, |0| + ε)
    p, state = ae.adamax_step(0.0, 1.0, ae.adamax_init(0.0), lr=1.0, eps=0.5)
    assert state.u == 1.5 and np.isclose(p, -1.0 / 1.5)


def test_tiny_gradients_first_step():
    assert round(float(epsilon.pytorch_adam([1e-6])[0]), 2) == 0.99
    assert round(float(epsilon.keras_adam([1e-6])[0]), 2) == 0.24


def test_large_eps_is_momentum_sgd_with_rate_lr_over_eps():
    grads = np.random.default_rng(3).standard_normal(100)
    t = np.arange(1, 101)
    momentum = ema(grads, 0.9) / (1 - 0.9**t) / 1e4             # m̂_t / ε
    np.testing.assert_allclose(epsilon.pytorch_adam(grads, eps=1e4), momentum, rtol=1e-3)


def test_eps_underflows_in_float16():
    assert np.float16(1e-8) == 0                     # below the smallest subnormal, 2**-24
    assert np.float16(1e-7) == 2.0**-23              # Keras's 1e-7: a subnormal, 19 % off
    assert 1 + np.float16(1e-4) == 1                 # and next to 1 even 1e-4 vanishes


def test_table_lists_every_rule():
    assert set(epsilon.RULES) == {"PyTorch Adam", "Keras Adam", "optax adam", "Keras RMSprop",
                                  "PyTorch Adamax"}
    for function, _ in epsilon.RULES.values():
        assert np.all(np.isfinite(function(GRADS)))


@pytest.mark.parametrize("call, message", [
    (lambda: epsilon.keras_effective_eps(-1.0, 0.999, 1), r"eps_hat == -1.0, must be in \[0, inf\)"),
    (lambda: epsilon.keras_effective_eps(1e-7, 1.0, 1), r"beta2 == 1.0, must be in \[0, 1\)"),
    (lambda: epsilon.keras_effective_eps(1e-7, 0.999, 0), r"t == 0, must be a whole number in \[1, inf\)"),
    (lambda: epsilon.pytorch_adam(GRADS, eps=-1.0), r"eps == -1.0, must be in \[0, inf\)"),
    (lambda: epsilon.optax_adam(GRADS, eps_root=-1.0), r"eps_root == -1.0, must be in \[0, inf\)"),
    (lambda: epsilon.keras_rmsprop(GRADS, rho=1.0), r"rho == 1.0, must be in \[0, 1\)"),
    (lambda: epsilon.pytorch_adamax(GRADS, beta2=1.5), r"beta2 == 1.5, must be in \[0, 1\)"),
    (lambda: epsilon.pytorch_adam([[1.0]]), r"grads has shape \(1, 1\); it must be a sequence"),
])
def test_bad_arguments_are_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def adamax_bound(beta1, beta2):
    return (1 - beta1) / (1 - beta1 / beta2)


@pytest.mark.parametrize("beta2, expected", [(0.999, 1.009), (0.99, 1.1)])
def test_adamax_bound_is_reached_by_gradients_shrinking_by_beta2(beta2, expected):
    assert round(adamax_bound(0.9, beta2), 3) == expected
    grads = beta2 ** np.arange(1, 3001)
    steps = library_steps(ae.adamax_step, ae.adamax_init, grads, beta2=beta2)
    assert steps.max() <= adamax_bound(0.9, beta2) * (1 + 1e-12)
    assert steps[-1] > adamax_bound(0.9, beta2) * (1 - 1e-6) and steps[-1] > 1.0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=1, max_size=40),
       st.sampled_from([0.0, 0.5, 0.9]), st.sampled_from([0.9, 0.99, 0.999]))
def test_adamax_step_never_exceeds_the_bound(grads, beta1, beta2):
    if beta1 >= beta2:
        return
    steps = library_steps(ae.adamax_step, ae.adamax_init, np.array(grads), beta1=beta1, beta2=beta2)
    assert np.all(np.abs(steps) <= adamax_bound(beta1, beta2) * (1 + 1e-9))
