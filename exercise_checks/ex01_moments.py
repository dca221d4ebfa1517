"""Exercise 1, moments and the exponential moving average (solutions/ex01_moments.ipynb).

Tasks: ``ema(values, beta)``, ``update_moments(m, v, grads, *, beta1, beta2)``, ``half_life(beta)``.
The reference is computed with adam_edu; each mistake sits beside its model and its written form.
"""
from __future__ import annotations

import math

import numpy as np

import adam_edu as ae
from exercise_checks.adam_mistakes import MUTATED_INPUTS, mistake
from grader import Criterion, Exercise, Mistake, call

_rng = np.random.default_rng(4)
NOISY_VALUES = np.round(1.0 + _rng.standard_normal(10), 3)
_moments = call("update_moments", ("m", np.array([0.1, -0.2])), ("v", np.array([0.01, 0.05])),
                ("grads", np.array([0.5, -1.5])), beta1=0.9, beta2=0.99)

CRITERIA = (
    Criterion("ex01.ema_constant", 1, 2, "EMA of a constant sequence climbs from 0 toward it",
              (call("ema", ("values", np.ones(6)), ("beta", 0.5)),)),
    Criterion("ex01.ema_noisy", 1, 2, "EMA of a noisy sequence",
              (call("ema", ("values", NOISY_VALUES), ("beta", 0.8)),)),
    Criterion("ex01.ema_pure", 1, 1, "ema leaves its input unchanged",
              (call("ema", ("values", NOISY_VALUES), ("beta", 0.8)),), pure=True),
    Criterion("ex01.moments", 2, 2, "update_moments returns m_t and v_t", (_moments,), ("m", "v")),
    Criterion("ex01.moments_pure", 2, 1, "update_moments leaves its inputs unchanged", (_moments,),
              pure=True),
    Criterion("ex01.half_life", 3, 2, "half-life of the EMA for three betas",
              tuple(call("half_life", ("beta", b)) for b in (0.9, 0.99, 0.999))),
)


def ema(values, beta, *, start_at_first=False, drop=False, swapped=False):
    """EMA m_t = β m_{t−1} + (1 − β) x_t from m_0 = 0 (the reference), or one of its slips."""
    values = np.asarray(values, dtype=float)
    if not (start_at_first or drop or swapped):     # the reference: Adam's own first moment
        state, out = ae.adam_init(values[0]), []
        for x in values:
            _, state = ae.adam_step(0.0, x, state, beta1=beta)
            out.append(float(state.m))
        return np.array(out)
    m, out = (values[0] if start_at_first else 0.0), []
    for x in values:
        m = (1 - beta) * m + beta * x if swapped else beta * m + (1.0 if drop else 1 - beta) * x
        out.append(m)
    return np.array(out)


def _update_moments(*, drop=False, swapped=False, unsquared=False, reference=False):
    def update_moments(m, v, grads, *, beta1, beta2):
        if reference:
            state = ae.AdamState(0, np.asarray(m, float), np.asarray(v, float))
            _, new = ae.adam_step(np.zeros(np.shape(grads)), grads, state, beta1=beta1, beta2=beta2)
            return new.m, new.v
        b1, b2 = (beta2, beta1) if swapped else (beta1, beta2)
        grads = np.asarray(grads, float)
        keep1, keep2 = (1.0, 1.0) if drop else (1 - b1, 1 - b2)
        return b1 * np.asarray(m) + keep1 * grads, b2 * np.asarray(v) + keep2 * (
            grads if unsquared else grads**2)
    return update_moments


def functions(*, ema_kind=None, moments=None, window=False) -> dict:
    """The three functions, correct unless a slip is named."""
    kinds = {None: {}, "first": {"start_at_first": True}, "drop": {"drop": True},
             "swapped": {"swapped": True}}
    return {"ema": lambda values, beta: ema(values, beta, **kinds[ema_kind]),
            "update_moments": _update_moments(**(moments or {"reference": True})),
            "half_life": (lambda beta: 1 / (1 - beta)) if window else
            (lambda beta: math.log(0.5) / math.log(beta))}


_M_LINE = "m_new = beta1 * np.asarray(m) + (1 - beta1) * grads"
MISTAKES = (
    mistake("one_minus_beta_dropped", [functions(ema_kind="drop", moments={"drop": True})],
            [("m = beta * m + (1 - beta) * x", "m = beta * m + x")]),
    Mistake("ema_weights_swapped", "EMA weights swapped",
            "The weights are swapped: the old average keeps the weight β and the new value gets "
            "(1 − β), m_t = β·m_{t−1} + (1 − β)·x_t.", (functions(ema_kind="swapped"),)),
    Mistake("ema_from_first_value", "EMA started at the first value",
            "Your average starts from the first value; Adam's starts from m_0 = 0 (and that start "
            "at zero is exactly the bias that lesson 3 corrects).", (functions(ema_kind="first"),)),
    mistake("betas_swapped", [functions(moments={"swapped": True})],
            [(_M_LINE, "m_new = beta2 * np.asarray(m) + (1 - beta2) * grads"),
             ("v_new = beta2 * np.asarray(v) + (1 - beta2) * grads**2",
              "v_new = beta1 * np.asarray(v) + (1 - beta1) * grads**2")]),
    Mistake("v_not_squared", "v averages g instead of g²",
            "v must average the squared gradients: v_t = β2·v_{t−1} + (1 − β2)·g_t².",
            (functions(moments={"unsquared": True}),)),
    Mistake("half_life_is_window", "half-life taken as 1/(1 − β)",
            "1/(1 − β) is the effective window, not the half-life. The half-life h solves "
            "β^h = 1/2, so h = ln(1/2)/ln(β): 6.6 steps for β = 0.9, not 10.",
            (functions(window=True),),
            (("return math.log(0.5) / math.log(beta)", "return 1 / (1 - beta)"),)),
)

EXERCISE = Exercise(
    "ex01", "ex01_moments.ipynb", "Moments and the exponential moving average",
    {1: "ema", 2: "update_moments", 3: "half_life"}, CRITERIA, functions(), MISTAKES,
    MUTATED_INPUTS._replace(written=(
        (_M_LINE, "m_new = np.asarray(m)\n    m_new *= beta1\n    m_new += (1 - beta1) * grads"),)))
