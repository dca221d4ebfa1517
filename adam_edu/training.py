"""Mini-batch training on the digits, many runs at once: a grid of α × a list of seeds.

Every run is the same loop a framework runs (shuffle, mini-batches, forward, backward, one
optimizer step per batch, evaluate after each epoch). Runs are stacked on a leading axis (see
:mod:`adam_edu.nn`), so a sweep of 7 α × 5 seeds is one training of 35 networks in lock-step: run
``(a, s)`` starts from the network of seed ``seeds[s]`` and sees that seed's batch order, whatever
its α, so every α and every optimizer is compared on the same initialisations and batches.
Taught in lessons/06_training.ipynb.
"""
from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

from adam_edu import _validate as check
from adam_edu import nn, schedules
from adam_edu.data import DigitsSplit, load_digits_split
from adam_edu.registry import get_optimizer
from adam_edu.tree import tree_init, tree_update

MODELS = {"mlp": nn.init_mlp, "logistic": nn.init_logistic}


class History(NamedTuple):
    """Per-epoch metrics, each of shape (epochs + 1, len(lrs), len(seeds)); row 0 is before training.

    Rows of epochs not in ``train(record=...)`` are nan.
    """

    train_loss: np.ndarray     # mean cross-entropy on the whole training set
    val_loss: np.ndarray
    train_acc: np.ndarray
    val_acc: np.ndarray
    test_acc: np.ndarray
    update_ratio: np.ndarray   # (steps, lrs, seeds): ‖Δθ‖/‖θ‖ of the first weight matrix
    params: dict               # final parameters, arrays of shape (lrs * seeds, ...)
    lrs: np.ndarray
    seeds: tuple


def batch_order(seed: int, n: int, epochs: int, batch_size: int) -> list[np.ndarray]:
    """The mini-batches of ``seeds``' run: each epoch a fresh permutation, cut into batches.

    The last batch of an epoch is smaller when ``batch_size`` does not divide ``n`` (PyTorch's
    ``DataLoader`` default, ``drop_last=False``).
    """
    rng = np.random.default_rng(seed)
    return [order[i:i + batch_size] for _ in range(epochs)
            for order in [rng.permutation(n)] for i in range(0, n, batch_size)]


def _stack(trees: list[dict]) -> dict:
    return {k: np.stack([tree[k] for tree in trees]) for k in trees[0]}


def _metrics(params, split: DigitsSplit, shape):
    """Losses and accuracies of every run: train loss, val loss, train, val and test accuracy."""
    found = {}
    for name, x, y in (("train", split.x_train, split.y_train), ("val", split.x_val, split.y_val),
                       ("test", split.x_test, split.y_test)):
        z = nn.logits(params, x)
        found[name] = nn.softmax_cross_entropy(z, np.broadcast_to(y, z.shape[:-1]))[0], \
            (z.argmax(axis=-1) == y).mean(axis=-1)
    values = (found["train"][0], found["val"][0], found["train"][1], found["val"][1], found["test"][1])
    return [np.reshape(v, shape) for v in values]


def train(optimizer="adam", lrs=(1e-3,), seeds=(0, 1, 2, 3, 4), *, model="mlp", epochs=2,
          batch_size=32, schedule="constant", split: DigitsSplit | None = None,
          record=None, on_epoch: Callable | None = None, **hyper) -> History:
    """Train ``len(lrs) × len(seeds)`` networks on the digits with mini-batch ``optimizer``.

    Parameters
    ----------
    optimizer : str
        A name in :data:`adam_edu.OPTIMIZERS`.
    lrs : sequence of float
        The α of each row of runs (the peak α for a schedule), each in (0, inf).
    seeds : sequence of int
        Seeds of the initialisation and of the batch order, one column of runs each.
    model : {"mlp", "logistic"}
    epochs, batch_size : int, in [1, inf)
    schedule : str
        A name in :data:`adam_edu.schedules.SCHEDULES`; step t uses α·factor_t.
    split : DigitsSplit, default ``load_digits_split()``
    record : sequence of int, optional
        The epochs after which to evaluate (0 is before training); default every epoch. Other
        rows of the metrics are nan: a wide sweep that needs two epochs' numbers skips the rest.
    on_epoch : callable, optional
        Called as ``on_epoch(epoch, epochs)`` after each epoch (a progress bar).
    **hyper
        The optimizer's other hyperparameters (``beta1``, ``beta``, ...).
    """
    opt = get_optimizer(optimizer)
    lrs = np.array([check.positive("lr", lr) for lr in np.atleast_1d(lrs)])
    seeds = tuple(check.count("seed", s) for s in np.atleast_1d(seeds))
    epochs, batch_size = check.step_number("epochs", epochs), check.step_number("batch_size", batch_size)
    if model not in MODELS:
        raise ValueError(f"model == {model!r}, must be one of {sorted(MODELS)}.")
    hyper = {k: v for k, v in opt.hyper(lr=1.0, **hyper).items() if k != "lr"}
    split = split or load_digits_split()
    shape = (len(lrs), len(seeds))
    params = _stack([MODELS[model](s) for _ in lrs for s in seeds])
    run_lr = np.repeat(lrs, len(seeds))
    batches = [batch_order(s, len(split.y_train), epochs, batch_size) for s in seeds]
    per_epoch = len(batches[0]) // epochs
    factor = schedules.factors(schedule, len(batches[0]))
    states = tree_init(opt, params)
    record = set(range(epochs + 1) if record is None else record)
    skipped = [np.full(shape, np.nan)] * 5
    records = [_metrics(params, split, shape) if 0 in record else skipped]
    ratios = []
    for epoch in range(epochs):
        for step in range(epoch * per_epoch, (epoch + 1) * per_epoch):
            index = np.stack([batches[s][step] for s in range(len(seeds))] * len(lrs))
            _, grads = nn.loss_and_grads(params, split.x_train[index], split.y_train[index])
            new, states = tree_update(opt, params, grads, states, lr=run_lr * factor[step], **hyper)
            ratios.append(update_ratio(params, new).reshape(shape))
            params = new
        records.append(_metrics(params, split, shape) if epoch + 1 in record else skipped)
        if on_epoch is not None:
            on_epoch(epoch + 1, epochs)
    columns = [np.array(column) for column in zip(*records)]
    return History(*columns, np.array(ratios), params, lrs, seeds)


def update_ratio(old: dict, new: dict) -> np.ndarray:
    """‖Δθ‖/‖θ‖ of the first weight matrix (``W1`` or ``W``), one value per stacked run.

    The monitoring number of CS231n's notes ("ratio of the updates to the values", about 1e-3 is a
    healthy target).
    """
    key = "W1" if "W1" in old else "W"
    axes = tuple(range(1, np.ndim(old[key])))
    change = np.sqrt(np.sum(np.square(new[key] - old[key]), axis=axes))
    size = np.sqrt(np.sum(np.square(old[key]), axis=axes))
    return np.divide(change, size, out=np.full_like(change, np.inf), where=size > 0)


def best_lr(scores) -> int:
    """Index of the α whose mean score over seeds is highest (``scores`` of shape (lrs, seeds))."""
    return int(np.nanargmax(np.nanmean(scores, axis=-1)))


def plateau(lrs, scores, within=0.02) -> tuple[float, float, float]:
    """The contiguous range of α around the best whose mean score is within ``within`` of the best.

    Returns ``(low, high, decades)`` with ``decades = log10(high / low)``: the plateau's width on
    the grid (0 when only the best α qualifies).

    >>> plateau([1e-3, 1e-2, 1e-1, 1.0], [[0.5], [0.95], [0.96], [0.2]])
    (0.01, 0.1, 1.0)
    """
    mean = np.nanmean(np.asarray(scores, dtype=float), axis=-1)
    best = best_lr(scores)
    good = mean >= mean[best] - within
    low = high = best
    while low > 0 and good[low - 1]:
        low -= 1
    while high < len(mean) - 1 and good[high + 1]:
        high += 1
    return float(lrs[low]), float(lrs[high]), float(np.log10(lrs[high] / lrs[low]))
