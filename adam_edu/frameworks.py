"""The course's Adam against PyTorch's, on the stored reference runs (no torch needed).

``tests/data/torch_reference.npz`` holds PyTorch 2.13 runs in float64 (written by
``tools/make_reference.py``): the gradients torch saw at every step and the parameters it produced.
Replaying the same gradients through :func:`adam_edu.adam_step` must give the same parameters up to
rounding. ``tests/test_reference.py`` checks this with per-case tolerances; lesson 6 shows the gap.
"""
from __future__ import annotations

import json

import numpy as np

from adam_edu.adam import adam_init, adam_step


def torch_reference_gap(path, optimizer="adam") -> tuple[int, int, float]:
    """Replay every stored ``optimizer`` case: (cases, steps in all, largest |θ_course − θ_torch|).

    Only plain Adam (``optimizer="adam"``) is replayed here; lesson 7 covers the variants.
    """
    if optimizer != "adam":
        raise ValueError(f"optimizer == {optimizer!r}, must be 'adam'.")
    with np.load(path) as npz:
        stored = {key: npz[key] for key in npz.files}
    cases = [c for c in json.loads(str(stored["meta"]))["cases"] if c["optimizer"] == optimizer]
    steps, gap = 0, 0.0
    for case in cases:
        hyper = {k: case["resolved"][k] for k in ("lr", "beta1", "beta2", "eps")}
        params = stored[case["key"] + ".x0"]
        state = adam_init(params)
        for grads, torch_params in zip(stored[case["key"] + ".grads"], stored[case["key"] + ".params"]):
            params, state = adam_step(params, grads, state, **hyper)
            gap = max(gap, float(np.abs(params - torch_params).max()))
            steps += 1
    return len(cases), steps, gap
