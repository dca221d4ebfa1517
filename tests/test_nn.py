"""adam_edu.nn, data, training and wilson: gradients by hand against central differences, the split,
stacked runs equal separate runs, and the Wilson et al. construction's numbers."""
import numpy as np
import pytest

import adam_edu as ae
from adam_edu import nn, wilson
from adam_edu.data import load_digits_split, stratified_split
from adam_edu.training import batch_order, best_lr, plateau, train, update_ratio

RNG = np.random.default_rng(0)


def small_net(kind):
    params = nn.init_mlp(3, n_in=5, n_hidden=4, n_out=3) if kind == "mlp" else {
        "W": RNG.standard_normal((5, 3)), "b": RNG.standard_normal(3)}
    params = {k: v + 0.1 * RNG.standard_normal(v.shape) for k, v in params.items()}  # nonzero biases
    return params, RNG.standard_normal((7, 5)), RNG.integers(0, 3, size=7)


@pytest.mark.parametrize("kind", ["mlp", "logistic"])
def test_every_gradient_matches_numerical_grad(kind):
    params, x, y = small_net(kind)
    _, grads = nn.loss_and_grads(params, x, y)
    assert set(grads) == set(params)
    for key in params:
        def loss_of(value, key=key):
            return float(nn.loss_and_grads({**params, key: value}, x, y)[0])
        np.testing.assert_allclose(grads[key], ae.numerical_grad(loss_of, params[key]),
                                   rtol=1e-6, atol=1e-8, err_msg=key)


def test_softmax_cross_entropy_gradient_and_stability():
    logits, labels = RNG.standard_normal((4, 6)), np.array([0, 5, 2, 2])
    _, d = nn.softmax_cross_entropy(logits, labels)
    numerical = ae.numerical_grad(lambda z: float(nn.softmax_cross_entropy(z, labels)[0]), logits)
    np.testing.assert_allclose(d, numerical, rtol=1e-6, atol=1e-9)
    loss, d = nn.softmax_cross_entropy(np.array([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 0.0]]),
                                       np.array([0, 0]))
    assert np.isfinite(loss) and np.isfinite(d).all()
    assert loss == pytest.approx(1000.0)      # (0 + 2000) / 2
    np.testing.assert_allclose(d.sum(axis=1), 0.0, atol=1e-15)


def test_softmax_cross_entropy_rejects_bad_labels():
    with pytest.raises(ValueError, match=r"labels has shape \(3,\) but logits has shape \(2, 4\)"):
        nn.softmax_cross_entropy(np.zeros((2, 4)), np.zeros(3, dtype=int))
    with pytest.raises(ValueError, match=r"labels contains 0 to 4, must be in \[0, 4\)"):
        nn.softmax_cross_entropy(np.zeros((2, 4)), np.array([0, 4]))


def test_stacked_networks_are_independent():
    nets = [small_net("mlp") for _ in range(3)]
    stacked = {k: np.stack([p[k] for p, _, _ in nets]) for k in nets[0][0]}
    loss, grads = nn.loss_and_grads(stacked, np.stack([x for _, x, _ in nets]),
                                    np.stack([y for _, _, y in nets]))
    for r, (params, x, y) in enumerate(nets):
        one_loss, one = nn.loss_and_grads(params, x, y)
        assert loss[r] == pytest.approx(one_loss, rel=1e-12)
        for key in one:
            np.testing.assert_allclose(grads[key][r], one[key], rtol=1e-12, atol=1e-15)


def test_digits_split_is_stratified_disjoint_and_fixed():
    split = load_digits_split()
    assert (len(split.y_train), len(split.y_val), len(split.y_test)) == (1078, 360, 359)
    for y in (split.y_train, split.y_val, split.y_test):
        shares = np.bincount(y, minlength=10) / len(y)
        assert np.abs(shares - 0.1).max() < 0.01          # ten classes, about 10 % each
    rows = {tuple(r) for x in (split.x_train, split.x_val, split.x_test) for r in x}
    assert len(rows) > 1700 and 0.0 <= split.x_train.min() and split.x_train.max() == 1.0
    again = load_digits_split()
    assert np.array_equal(split.x_val, again.x_val)
    assert not np.array_equal(load_digits_split(seed=1).y_val, split.y_val)


def test_digits_are_scikit_learns():
    from sklearn.datasets import load_digits

    from adam_edu.data import _digits
    x, y = _digits()
    bunch = load_digits()
    assert np.array_equal(x * 16, bunch.data) and np.array_equal(y, bunch.target)


def test_stratified_split_rejects_bad_fractions():
    with pytest.raises(ValueError, match=r"fractions == \[0.5, 0.6\], must be positive and sum to 1"):
        stratified_split([0, 1], (0.5, 0.6))


def test_batch_order_covers_every_example_once_per_epoch():
    batches = batch_order(4, n=10, epochs=2, batch_size=4)
    assert [len(b) for b in batches] == [4, 4, 2, 4, 4, 2]
    assert sorted(np.concatenate(batches[:3])) == list(range(10))
    assert not np.array_equal(np.concatenate(batches[:3]), np.concatenate(batches[3:]))


def test_a_sweep_equals_its_runs_one_by_one():
    sweep = train("adam", lrs=(1e-3, 1e-2), seeds=(0, 1), epochs=1, batch_size=256)
    for a, lr in enumerate((1e-3, 1e-2)):
        for s, seed in enumerate((0, 1)):
            one = train("adam", lrs=(lr,), seeds=(seed,), epochs=1, batch_size=256)
            assert one.val_acc[-1, 0, 0] == sweep.val_acc[-1, a, s]
            assert one.train_loss[-1, 0, 0] == pytest.approx(sweep.train_loss[-1, a, s], rel=1e-12)


def test_train_by_hand_with_tree_step():
    """train() is the loop a student would write with tree_step, batch by batch."""
    split = load_digits_split()
    params = nn.init_mlp(2)
    states = ae.tree_init("momentum", params)
    for index in batch_order(2, len(split.y_train), 1, 200):
        _, grads = nn.loss_and_grads(params, split.x_train[index], split.y_train[index])
        params, states = ae.tree_step("momentum", params, grads, states, lr=0.05, beta=0.9)
    run = train("momentum", lrs=(0.05,), seeds=(2,), epochs=1, batch_size=200, beta=0.9)
    for key in params:
        np.testing.assert_allclose(run.params[key][0], params[key], rtol=1e-12, atol=1e-15)


def test_train_records_only_what_is_asked_and_checks_arguments():
    run = train("sgd", lrs=(0.1,), seeds=(0,), epochs=3, batch_size=512, record=(3,))
    assert np.isnan(run.val_acc[:3]).all() and np.isfinite(run.val_acc[3]).all()
    assert run.update_ratio.shape == (9, 1, 1) and (run.update_ratio > 0).all()   # 3 batches an epoch
    with pytest.raises(ValueError, match=r"lr == -1.0, must be in \(0, inf\)"):
        train("sgd", lrs=(-1.0,))
    with pytest.raises(ValueError, match=r"model == 'cnn', must be one of \['logistic', 'mlp'\]"):
        train("sgd", model="cnn")
    with pytest.raises(ValueError, match=r"schedule == 'linear', must be one of"):
        train("sgd", schedule="linear")
    with pytest.raises(TypeError, match="sgd has no hyperparameter 'beta'"):
        train("sgd", beta=0.9)


def test_best_lr_and_plateau():
    scores = np.array([[0.1, 0.2], [0.90, 0.92], [0.95, 0.93], [0.5, 0.6]])
    assert best_lr(scores) == 2
    assert plateau(np.array([1e-3, 1e-2, 1e-1, 1.0]), scores, within=0.05) == (0.01, 0.1, 1.0)
    assert plateau(np.array([1e-3, 1e-2, 1e-1, 1.0]), scores, within=0.001)[2] == 0.0


def test_update_ratio():
    old = {"W1": np.ones((1, 2, 2)), "b1": np.zeros((1, 2))}
    new = {"W1": np.ones((1, 2, 2)) * 1.001, "b1": np.ones((1, 2))}
    assert update_ratio(old, new)[0] == pytest.approx(1e-3)


def test_wilson_construction_reproduces_the_paper():
    X, y = wilson.wilson_problem(n=60, p=0.7, seed=0)
    assert X.shape == (60, 303)
    assert set(X[y > 0].sum(axis=1)) == {4.0} and set(X[y < 0].sum(axis=1)) == {6.0}
    min_norm = np.linalg.pinv(X) @ y
    gd = wilson.fit("sgd", X, y, steps=5000, lrs=(0.1,))[0]
    np.testing.assert_allclose(gd, min_norm, atol=1e-9)
    np.testing.assert_allclose(gd[:3], [0.932, 0.028, 0.028], atol=5e-4)
    adam = wilson.fit("adam", X, y, steps=20_000, lrs=(1e-3, 1e-2))
    np.testing.assert_allclose(adam[:, :3], 0.25, atol=5e-3)
    assert wilson.generalization_error(gd) == 0.0
    assert wilson.generalization_error(adam) == pytest.approx([0.3, 0.3], abs=0.01)


def test_wilson_problem_rejects_bad_p():
    with pytest.raises(ValueError, match=r"p == 1.0, must be in \(0, 1\)"):
        wilson.wilson_problem(p=1.0)


def test_the_course_adam_replays_pytorchs_stored_runs():
    from pathlib import Path

    from adam_edu.frameworks import torch_reference_gap
    cases, steps, gap = torch_reference_gap(Path(__file__).parent / "data" / "torch_reference.npz")
    assert (cases, steps) == (6, 1200) and gap < 1e-14
    with pytest.raises(ValueError, match="optimizer == 'sgd', must be 'adam'"):
        torch_reference_gap("unused.npz", optimizer="sgd")
