"""adam_edu.online: the online problems of Reddi, Kale & Kumar (2018), Adam and AMSGrad on them.

The fast block-wise functions are checked against the plain loops; the runs against a per-step
reference written straight from the paper's update (one step at a time, projected), and against the
library's own amsgrad_step; the published results are pinned (the lesson asserts them too).
"""
import numpy as np
import pytest

import adam_edu as ae
from adam_edu import online, scan
from adam_edu.ema import ema


def reference(problem, steps, *, lr, beta1, beta2, rule, x0=0.0):
    """Step by step, as written in the paper: x_t = clip(x - α/√t · m̂/√v̂)."""
    x, m, v, v_max, v_hat_max, path = x0, 0.0, 0.0, 0.0, 0.0, []
    for t, g in enumerate(online.gradients(problem, steps), start=1):
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        v_max, v_hat_max = max(v_max, v), max(v_hat_max, v / (1 - beta2**t))
        m_hat = m if rule in ("adam_uncorrected", "amsgrad_paper") else m / (1 - beta1**t)
        v_hat = {"adam": v / (1 - beta2**t), "adam_uncorrected": v,
                 "amsgrad": v_max / (1 - beta2**t), "amsgrad_vhat": v_hat_max,
                 "amsgrad_paper": v_max}[rule]
        x = min(1.0, max(-1.0, x - lr / np.sqrt(t) * m_hat / np.sqrt(v_hat)))
        path.append(x)
    return np.array(path)


@pytest.mark.parametrize("rule", sorted(online.RULES))
@pytest.mark.parametrize("problem, beta1, beta2", [(online.theorem1(), 0.0, 0.1),
                                                   (online.synthetic(), 0.9, 0.99),
                                                   (online.synthetic(7), 0.5, 0.9)])
def test_run_matches_the_step_by_step_reference(rule, problem, beta1, beta2):
    fast = online.run(problem, 3000, lr=[0.5, 0.1], beta1=beta1, beta2=beta2, rule=rule).x
    for i, lr in enumerate((0.5, 0.1)):
        slow = reference(problem, 3000, lr=lr, beta1=beta1, beta2=beta2, rule=rule)
        np.testing.assert_allclose(fast[:, i], slow, rtol=0, atol=1e-9)


def test_amsgrad_rule_is_the_librarys_amsgrad_step():
    g = online.gradients(online.synthetic(), 500)
    m, v, v_hat, ratio = online.moments(online.synthetic(), 500, beta1=0.9, beta2=0.99,
                                        rule="amsgrad")
    state, x = ae.amsgrad_init(0.0), 0.0
    for t, g_t in enumerate(g, start=1):
        new_x, state = ae.amsgrad_step(x, g_t, state, lr=1.0, beta1=0.9, beta2=0.99, eps=0.0)
        assert np.isclose(x - new_x, ratio[t - 1], rtol=1e-12)
        x = new_x
    assert np.isclose(state.v_max, np.max(v), rtol=1e-12)


@pytest.mark.parametrize("shape, beta", [((1000,), 0.9), ((777, 3), 0.999), ((5,), 0.0), ((1,), 0.5)])
def test_ema_blocked_is_the_plain_ema(shape, beta):
    values = np.random.default_rng(0).standard_normal(shape)
    np.testing.assert_allclose(scan.ema_blocked(values, beta), ema(values, beta), rtol=1e-12,
                               atol=1e-15)


@pytest.mark.parametrize("shape", [(1000,), (999, 2), (3,), (1,)])
def test_project_blocked_is_the_plain_loop(shape):
    steps = 0.3 * np.random.default_rng(1).standard_normal(shape)
    path = scan.project(0.2, steps)
    np.testing.assert_allclose(scan.project_blocked(0.2, steps), path, rtol=0, atol=1e-12)
    np.testing.assert_allclose(scan.project_end(0.2, steps), path[-1], rtol=0, atol=1e-12)


def test_gradients_and_the_best_point():
    g = online.gradients(online.synthetic(), 202)
    assert g[0] == g[101] == 1010 and np.all(np.delete(g, [0, 101]) == -10)
    assert g.sum() > 0    # the loss grows with x: x = -1 is the best point
    noisy = online.gradients(online.stochastic(), 100_000, seeds=[0, 1])
    assert noisy.shape == (100_000, 2) and abs((noisy == 1010).mean() - 0.01) < 0.002
    assert 0.01 * 1010 - 0.99 * 10 > 0   # so in expectation too


def test_theorem1_adam_goes_to_the_worst_point_amsgrad_to_the_best():
    for rule in ("adam", "adam_uncorrected"):
        x = online.run(online.theorem1(), 300_000, lr=[0.1, 0.5, 1.0], beta1=0.0, beta2=0.1,
                       rule=rule).x[-1]
        assert np.all(x == 1.0)
    x = online.run(online.theorem1(), 300_000, lr=[0.1, 0.5, 1.0], beta1=0.0, beta2=0.1,
                   rule="amsgrad").x[-1]
    assert np.all(x < -0.998)


def test_synthetic_experiment():
    adam = online.run(online.synthetic(), 500_000, lr=0.5, beta1=0.9, beta2=0.99).x[-1]
    ams = online.run(online.synthetic(), 500_000, lr=[0.5, 0.1], beta1=0.9, beta2=0.99,
                     rule="amsgrad").x[-1]
    assert round(float(adam), 3) == 0.997 and round(float(ams[0]), 3) == -0.999
    assert -0.5 < ams[1] < -0.3


def test_drift_sign_decides_the_outcome():
    assert online.drift(online.theorem1(), beta1=0.0, beta2=0.1) > 0
    assert online.drift(online.theorem1(), beta1=0.9, beta2=0.999) < 0      # default betas: fine
    assert online.drift(online.synthetic(101), beta1=0.9, beta2=0.999) > 0  # slow failure
    for problem in (online.theorem1(), online.synthetic(101), online.synthetic(1001)):
        assert online.drift(problem, beta1=0.9, beta2=0.999, rule="amsgrad") < 0


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(lr=0.0), ValueError, r"lr == 0.0, every value must be in \(0, inf\)"),
    (dict(lr=[0.1, -1.0]), ValueError, r"lr == \[0.1, -1.0\]"),
    (dict(beta2=1.0), ValueError, r"beta2 == 1.0, must be in \[0, 1\)"),
    (dict(rule="adamw"), ValueError, r"rule == 'adamw', must be one of"),
    (dict(x0=2.0), ValueError, r"x0 == 2.0, must be in \[-1, 1\]"),
    (dict(eps=-1.0), ValueError, r"eps == -1.0, must be in \[0, inf\)"),
])
def test_run_rejects_bad_arguments(kwargs, error, message):
    hyper = {**dict(lr=0.1, beta1=0.9, beta2=0.99), **kwargs}
    with pytest.raises(error, match=message):
        online.run(online.theorem1(), 10, **hyper)


def test_problem_constructors_reject_bad_arguments():
    with pytest.raises(ValueError, match=r"C == -1.0, must be in \(0, inf\)"):
        online.theorem1(-1.0)
    with pytest.raises(ValueError, match=r"period == 1, must be a whole number in \[2, inf\)"):
        online.synthetic(1)
    with pytest.raises(ValueError, match=r"probability == 1.5, must be in \(0, 1\)"):
        online.stochastic(1.5)
    with pytest.raises(ValueError, match=r"beta2 == 1.0, must be in \[0, 1\)"):
        online.final_x(online.stochastic(), 10, seeds=[0], lr=0.1, beta1=0.9, beta2=1.0)
    with pytest.raises(ValueError, match="stochastic; drift needs a periodic problem"):
        online.drift(online.stochastic(), beta1=0.9, beta2=0.99)
    with pytest.raises(ValueError, match="needs a list of seeds"):
        online.gradients(online.stochastic(), 10)
    with pytest.raises(ValueError, match=r"steps == 0, must be a whole number in \[1, inf\)"):
        online.gradients(online.theorem1(), 0)
