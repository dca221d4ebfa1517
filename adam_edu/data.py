"""Real images, offline: scikit-learn's bundled handwritten digits, split once, stratified and seeded.

``sklearn.datasets.load_digits`` reads 1 797 grey 8×8 images (pixel values 0 to 16, ten classes)
from a file inside the scikit-learn package: nothing is ever downloaded. Taught in
lessons/06_training.ipynb.
"""
from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np

from adam_edu import _validate as check


class DigitsSplit(NamedTuple):
    """Features in [0, 1] (64 pixels / 16), integer labels 0 to 9, and the 8×8 test images."""

    x_train: np.ndarray    # (n_train, 64) float64
    y_train: np.ndarray    # (n_train,) int64
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


@lru_cache(maxsize=1)
def _digits() -> tuple[np.ndarray, np.ndarray]:
    """Pixels / 16 and labels of the 1 797 digits.

    The file ``sklearn/datasets/data/digits.csv.gz`` (64 pixels and the label per row) is what
    ``sklearn.datasets.load_digits`` reads; reading it directly skips importing scikit-learn (about
    0.6 s). If it is not where it has been since scikit-learn 0.x, ``load_digits`` is used.
    """
    spec = importlib.util.find_spec("sklearn")
    path = Path(spec.origin).parent / "datasets" / "data" / "digits.csv.gz" if spec else None
    if path is not None and path.is_file():
        table = np.loadtxt(path, delimiter=",")
        return table[:, :-1] / 16.0, table[:, -1].astype(np.int64)
    from sklearn.datasets import load_digits

    bunch = load_digits()
    return bunch.data / 16.0, bunch.target.astype(np.int64)


def stratified_split(labels, fractions, seed=0) -> list[np.ndarray]:
    """Indices of ``labels`` cut into parts of the given ``fractions``, each class cut alike.

    Within every class the indices are shuffled with ``seed`` and cut at the cumulative fractions
    (rounded), so each part has (up to rounding) the class proportions of the whole. Each returned
    index array is sorted. ``fractions`` are positive and sum to 1.

    Examples
    --------
    >>> parts = stratified_split(np.repeat([0, 1], [6, 4]), (0.5, 0.5), seed=1)
    >>> [np.bincount(np.repeat([0, 1], [6, 4])[p]).tolist() for p in parts]
    [[3, 2], [3, 2]]
    """
    labels = np.asarray(labels)
    fractions = np.asarray(fractions, dtype=float)
    if np.any(fractions <= 0) or not np.isclose(fractions.sum(), 1.0):
        raise ValueError(f"fractions == {fractions.tolist()}, must be positive and sum to 1.")
    rng = np.random.default_rng(check.count("seed", seed))
    parts = [[] for _ in fractions]
    for label in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == label))
        cuts = np.round(np.cumsum(fractions)[:-1] * len(members)).astype(int)
        for part, chunk in zip(parts, np.split(members, cuts)):
            part.append(chunk)
    return [np.sort(np.concatenate(part)) for part in parts]


def load_digits_split(seed=0, fractions=(0.6, 0.2, 0.2)) -> DigitsSplit:
    """The digits split into train / validation / test, stratified by class, seeded.

    Parameters
    ----------
    seed : int, default=0
        Seed of the split, in [0, inf). The lesson's split is ``seed=0``: fixed, so every run of
        every experiment sees the same three sets.
    fractions : tuple of 3 floats, default=(0.6, 0.2, 0.2)
        Shares of train, validation and test.

    Examples
    --------
    >>> split = load_digits_split()
    >>> split.x_train.shape, split.x_val.shape, split.x_test.shape
    ((1078, 64), (360, 64), (359, 64))
    """
    if len(fractions) != 3:
        raise ValueError(f"fractions has {len(fractions)} entries, must have 3 (train, val, test).")
    x, y = _digits()
    train, val, test = stratified_split(y, fractions, seed)
    return DigitsSplit(x[train], y[train], x[val], y[val], x[test], y[test])
