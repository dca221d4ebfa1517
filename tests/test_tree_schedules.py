"""Optimizers over many arrays (adam_edu.tree) and learning-rate schedules (adam_edu.schedules)."""
import numpy as np
import pytest

import adam_edu as ae
from adam_edu import schedules
from adam_edu.tree import global_norm, tree_init, tree_step, tree_update

RNG = np.random.default_rng(1)
PARAMS = {"W": RNG.standard_normal((3, 2)), "b": RNG.standard_normal(2)}
HYPER = {"adam": dict(lr=0.1), "sgd": dict(lr=0.1), "momentum": dict(lr=0.1, beta=0.8),
         "adagrad": dict(lr=0.1), "rmsprop": dict(lr=0.1), "amsgrad": dict(lr=0.1),
         "adamw": dict(lr=0.1, weight_decay=0.1), "adam_l2": dict(lr=0.1, weight_decay=0.1),
         "adamax": dict(lr=0.1), "nesterov": dict(lr=0.1, beta=0.5)}


@pytest.mark.parametrize("name", sorted(ae.OPTIMIZERS))
def test_tree_step_is_the_single_array_step_on_each_array(name):
    opt = ae.get_optimizer(name)
    assert set(HYPER) == set(ae.OPTIMIZERS)
    params, states = PARAMS, tree_init(name, PARAMS)
    singles = {k: (v, opt.init(v)) for k, v in PARAMS.items()}
    for step in range(4):
        grads = {k: RNG.standard_normal(v.shape) for k, v in PARAMS.items()}
        before = {k: v.copy() for k, v in params.items()}
        params, states = tree_step(name, params, grads, states, **HYPER[name])
        for k in singles:
            singles[k] = opt.step(*singles[k][:1], grads[k], singles[k][1], **HYPER[name])
            np.testing.assert_array_equal(params[k], singles[k][0])
            assert states[k].t == step + 1
        if step == 0:
            assert all(np.array_equal(PARAMS[k], before[k]) for k in PARAMS)  # pure


def test_one_state_per_array():
    states = tree_init("adam", PARAMS)
    assert states["W"].m.shape == (3, 2) and states["b"].m.shape == (2,)
    assert states["W"].m is not states["b"].m


def test_lists_work_like_dicts():
    params = [np.ones(2), np.zeros((2, 2))]
    grads = [np.ones(2), np.ones((2, 2))]
    new, states = tree_step("sgd", params, grads, tree_init("sgd", params), lr=0.5)
    assert isinstance(new, list) and new[0].tolist() == [0.5, 0.5] and states[1].t == 1


def test_tree_step_errors_name_the_problem():
    states = tree_init("adam", PARAMS)
    with pytest.raises(ValueError, match=r"grads has keys \['W'\] but params has keys \['W', 'b'\]"):
        tree_step("adam", PARAMS, {"W": PARAMS["W"]}, states)
    with pytest.raises(ValueError, match=r"beta1 == 1.0, must be in \[0, 1\)"):
        tree_step("adam", PARAMS, PARAMS, states, beta1=1.0)
    with pytest.raises(ValueError, match=r"grads has shape \(2,\) but params has shape \(3, 2\)"):
        tree_step("adam", PARAMS, {"W": np.ones(2), "b": np.ones(2)}, states)
    with pytest.raises(TypeError, match="params must be a dict or a list of arrays"):
        tree_init("adam", np.ones(3))


def test_tree_update_with_one_lr_per_run():
    stacked = {"W": np.ones((2, 3, 2)), "b": np.ones((2, 2))}
    grads = {"W": np.ones((2, 3, 2)), "b": -np.ones((2, 2))}
    opt = ae.get_optimizer("sgd")
    new, _ = tree_update(opt, stacked, grads, tree_init(opt, stacked), lr=np.array([0.1, 0.5]))
    assert new["W"][0].tolist() == [[0.9] * 2] * 3 and new["b"][1].tolist() == [1.5, 1.5]


def test_global_norm():
    assert global_norm({"a": np.array([3.0]), "b": np.array([[4.0]])}) == 5.0


def test_schedule_values():
    t = np.arange(1, 11)
    assert schedules.constant(t, lr=0.3).tolist() == [0.3] * 10
    assert schedules.inverse_sqrt(9, lr=0.3) == pytest.approx(0.1)
    assert schedules.step_decay(t, lr=1.0, every=4, factor=0.5).tolist() == [1] * 4 + [0.5] * 4 + [0.25] * 2
    wc = schedules.warmup_cosine(t, peak_lr=2.0, warmup=4, total=10)
    np.testing.assert_allclose(wc[:4], [0.5, 1.0, 1.5, 2.0])            # peak_lr * t / warmup
    np.testing.assert_allclose(wc[4:], 1 + np.cos(np.pi * np.arange(1, 7) / 6), atol=1e-15)
    assert wc[-1] == pytest.approx(0.0, abs=1e-15) and np.all(np.diff(wc[3:]) < 0)
    np.testing.assert_allclose(schedules.cosine(t, lr=2.0, total=10),
                               schedules.warmup_cosine(t, peak_lr=2.0, warmup=0, total=10))
    assert schedules.warmup_cosine(1, peak_lr=1.0, warmup=1, total=3) == 1.0


def test_factors_are_the_schedules_with_lr_one():
    f = schedules.factors("warmup_cosine", 100)
    assert f[4] == 1.0 and f[0] == 0.2 and f[-1] == pytest.approx(0.0, abs=1e-15)   # 5 % warmup
    assert schedules.factors("constant", 3).tolist() == [1.0, 1.0, 1.0]
    np.testing.assert_allclose(schedules.factors("step_decay", 9), [1.0] * 3 + [0.1] * 3 + [0.01] * 3)


def test_schedule_errors():
    with pytest.raises(ValueError, match=r"t == 0, must be a whole number in \[1, inf\]"):
        schedules.inverse_sqrt(0, lr=1.0)
    with pytest.raises(ValueError, match=r"t == 11, must be a whole number in \[1, 10\]"):
        schedules.warmup_cosine(11, peak_lr=1.0, warmup=2, total=10)
    with pytest.raises(ValueError, match=r"warmup == 10, must be in \[0, total\) = \[0, 10\)"):
        schedules.warmup_cosine(1, peak_lr=1.0, warmup=10, total=10)
    with pytest.raises(ValueError, match=r"factor == 2.0, must be in \(0, 1\]"):
        schedules.step_decay(1, lr=1.0, every=2, factor=2.0)
    with pytest.raises(TypeError, match="t must be a whole number"):
        schedules.constant(1.5, lr=1.0)
    with pytest.raises(ValueError, match=r"schedule == 'linear', must be one of"):
        schedules.factors("linear", 10)
