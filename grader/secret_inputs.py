"""Inputs the student cannot know in advance: every grading run perturbs the published inputs.

A secret seed, drawn from the operating system's randomness in the grader's process and never sent
to the sandbox, moves every real number of every call a little: a value in (0, 1) (β, ε, a small α)
stays in (0, 1) by a shift of its log-odds, any other real number is scaled by a factor near 1 (one
factor per array, so its shape is kept: the largest step stays the largest)
(rounded to a few significant digits, so feedback shows numbers a student can type), and zero,
signs, integers (t, a number of steps), booleans and strings stay as they are. So each check
still asks the same question (a zero state is still zero; β1 < β2 still holds for the paper's
defaults; the case of the step bound stays the case), but a student who hard-codes the answers to
the published inputs gets nothing. The reference answers and the mistake models are computed on the
same drawn inputs, in the grader's process.

>>> import random
>>> spec = {"fn": "f", "args": [["x", {"array": [0.0, 2.0, -3.0]}], ["t", 7]], "kwargs": {"beta": 0.9}}
>>> drawn = perturb(spec, random.Random(1))
>>> drawn["args"][0][1]["array"][0], drawn["args"][1], 0 < drawn["kwargs"]["beta"] < 1
(0.0, ['t', 7], True)
>>> drawn["args"][0][1]["array"][1] != 2.0 and drawn["args"][0][1]["array"][2] < 0
True
"""
from __future__ import annotations

import math
import random
import secrets

import numpy as np

SCALE = 0.2          # a real number is multiplied by a factor in [1 − SCALE, 1 + SCALE]
LOGIT_SHIFT = 0.2    # a value in (0, 1) has its log-odds moved by at most this


def secret_seed() -> int:
    """A fresh seed from the operating system; one per grading run, kept in the grader's process."""
    return secrets.randbits(64)


def perturb_number(x: float, rng: random.Random) -> float:
    """``x`` moved a little, keeping 0, its sign and membership of (0, 1); integers unchanged."""
    if isinstance(x, bool) or isinstance(x, int) or x == 0 or not math.isfinite(x):
        return x
    if 0 < x < 1:
        logit = math.log(x / (1 - x)) + rng.uniform(-LOGIT_SHIFT, LOGIT_SHIFT)
        moved = 1 / (1 + math.exp(-logit))
        if moved > 0.5:            # 3 significant digits of 1 − x: 0.9988, not 0.99876543...
            return float(f"{1 - float(f'{1 - moved:.3g}'):.12g}")
        return float(f"{moved:.3g}")
    return float(f"{x * rng.uniform(1 - SCALE, 1 + SCALE):.4g}")


def perturb(value, rng: random.Random):
    """A copy of a call's arguments (plain data, float arrays, NamedTuples) with every real number
    perturbed; strings, keys, integers and booleans kept."""
    if isinstance(value, (float, np.floating)):
        return type(value)(perturb_number(float(value), rng))
    if isinstance(value, np.ndarray):            # one factor for the whole array: which entry is
        if value.dtype.kind != "f":              # largest, or where it changes sign, is kept
            return value.copy()
        factor = rng.uniform(1 - SCALE, 1 + SCALE)
        return np.array([float(f"{x * factor:.4g}") for x in value.ravel()],
                        dtype=value.dtype).reshape(value.shape)
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return type(value)(*(perturb(item, rng) for item in value))
    if isinstance(value, list):
        return [perturb(item, rng) for item in value]
    if isinstance(value, tuple):
        return tuple(perturb(item, rng) for item in value)
    if isinstance(value, dict):
        return {key: perturb(item, rng) for key, item in value.items()}
    return value
