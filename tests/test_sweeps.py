"""adam_edu.sweeps: seed × α sweeps agree run for run with adam_edu.run, and refuse bad input."""
from __future__ import annotations

import numpy as np
import pytest

import adam_edu as ae
from adam_edu.snr import scaled
from adam_edu.sweeps import noise, sweep

WAVY = ae.wavy()


@pytest.mark.parametrize("name, hyper", [("adam", dict(beta1=0.9, beta2=0.999)),
                                         ("adam", dict(bias_correction=False, beta2=0.9999)),
                                         ("sgd", {}), ("momentum", dict(beta=0.9))])
def test_every_run_equals_adam_edu_run_on_the_same_seed(name, hyper):
    lrs, seeds = [0.05, 0.3], [0, 5, 11]
    runs = sweep(name, WAVY, 3.0, lrs=lrs, seeds=seeds, steps=120, sigma=0.4, **hyper)
    assert runs.params.shape == (2, 121, 3)
    for a, lr in enumerate(lrs):
        for s, seed in enumerate(seeds):
            one = ae.run(name, ae.noisy(WAVY, 0.4, seed=seed), 3.0, steps=120, lr=lr, **hyper)
            np.testing.assert_array_equal(runs.params[a, :, s], one.params)


def test_noise_matches_noisy_beyond_one_block():
    z = noise([2], steps=2500)                 # the noise table draws blocks of 1024 rows
    objective = ae.noisy(WAVY, 1.0, seed=2)
    for t in (1, 1024, 1025, 2500):
        assert objective.stochastic_grad(0.5, t) == WAVY.grad(0.5) + z[t - 1, 0]


def test_fraction_counts_final_params_per_lr():
    runs = sweep("adam", WAVY, 3.0, lrs=[0.02, 0.5], seeds=range(20), steps=300, sigma=0.3)
    crossed = runs.fraction(lambda theta: theta < WAVY.points["local_max"])
    assert crossed.tolist() == [0.0, 1.0]
    assert np.array_equal(runs.final(), runs.params[:, -1, :])


def test_adam_sweep_is_scale_invariant_and_sgd_is_not():
    grid = dict(lrs=[0.1, 0.3], seeds=range(30), steps=200)
    base = sweep("adam", WAVY, 3.0, sigma=0.3, eps=0.0, **grid)
    big = sweep("adam", scaled(WAVY, 2.0**10), 3.0, sigma=0.3 * 2.0**10, eps=0.0, **grid)
    np.testing.assert_array_equal(base.params, big.params)
    sgd = sweep("sgd", scaled(WAVY, 1000.0), 3.0, sigma=300.0, **grid)
    assert not np.isfinite(sgd.final()).any()        # diverges: kept non-finite, not raised


def test_one_start_per_seed():
    starts = [-3.0, 0.5, 3.0]
    runs = sweep("adam", WAVY, starts, lrs=[0.1], seeds=range(3), steps=80, sigma=0.0,
                 bias_correction=False, beta2=0.9999)
    for s, x0 in enumerate(starts):
        one = ae.run("adam", WAVY, x0, steps=80, lr=0.1, bias_correction=False, beta2=0.9999)
        np.testing.assert_array_equal(runs.params[0, :, s], one.params)


def test_zero_steps_and_zero_noise():
    runs = sweep("sgd", WAVY, 1.0, lrs=[0.1], seeds=[0], steps=0, sigma=0.0)
    assert runs.params.shape == (1, 1, 1) and runs.params[0, 0, 0] == 1.0
    calm = sweep("adam", WAVY, 3.0, lrs=[0.1], seeds=[0, 1], steps=50, sigma=0.0)
    np.testing.assert_array_equal(calm.params[0, :, 0], calm.params[0, :, 1])


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(lrs=[0.1, -1.0]), ValueError, r"lrs == -1.0, must be in \(0, inf\)"),
    (dict(lrs=[]), ValueError, "lrs is empty"),
    (dict(seeds=[1, 1]), ValueError, "seeds has repeated values"),
    (dict(seeds=[]), ValueError, "seeds is empty"),
    (dict(seeds=[-3]), ValueError, r"seeds == -3, must be a whole number in \[0, inf\)"),
    (dict(seeds=[1.5]), TypeError, "seeds must be a whole number"),
    (dict(sigma=-0.1), ValueError, r"sigma == -0.1, must be in \[0, inf\)"),
    (dict(steps=-1), ValueError, "steps"),
    (dict(x0="a"), TypeError, "x0 must be a real number"),
    (dict(x0=[1.0, float("nan")], seeds=[0, 1]), ValueError, "x0 == nan"),
    (dict(x0=[1.0, 2.0], seeds=[0, 1, 2]), ValueError, "x0 has 2 starts but there are 3 seeds"),
    (dict(beta1=1.0), ValueError, r"beta1 == 1.0, must be in \[0, 1\)"),
    (dict(optimizer="adamm"), ValueError, "optimizer == 'adamm'"),
    (dict(objective=ae.noisy(WAVY, 0.1)), ValueError, "must be an exact 1-D objective"),
    (dict(objective=ae.bowl()), ValueError, "must be an exact 1-D objective"),
])
def test_bad_input_names_the_parameter(kwargs, error, message):
    args = dict(optimizer="adam", objective=WAVY, x0=3.0, lrs=[0.1], seeds=[0], steps=5, sigma=0.1)
    args.update(kwargs)
    with pytest.raises(error, match=message):
        sweep(args.pop("optimizer"), args.pop("objective"), args.pop("x0"), **args)
