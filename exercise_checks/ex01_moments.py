"""Exercise 1, moments and the exponential moving average (solutions/ex01_moments.ipynb).

Tasks: ``ema(values, beta)``, ``update_moments(m, v, grads, *, beta1, beta2)``, ``half_life(beta)``,
``steps_to_reach(beta, fraction)`` (predict, then verify) and ``smooth(values, beta)`` (a bug hunt in
a tutorial's bias-corrected average, with a written answer). The reference is computed with
adam_edu; each mistake sits beside its model and its written form.
"""
from __future__ import annotations

import functools
import math

import numpy as np

import adam_edu as ae
from adam_edu import ema as ema_module
from exercise_checks.adam_mistakes import MUTATED_INPUTS, mistake
from grader import Criterion, Exercise, Mistake, call

_rng = np.random.default_rng(4)
NOISY_VALUES = np.round(1.0 + _rng.standard_normal(10), 3)
FAR_START = np.round(5.0 + 0.5 * _rng.standard_normal(12), 3)     # a signal far from m_0 = 0
_moments = call("update_moments", ("m", np.array([0.1, -0.2])), ("v", np.array([0.01, 0.05])),
                ("grads", np.array([0.5, -1.5])), beta1=0.9, beta2=0.99)

CRITERIA = (
    Criterion("ex01.ema_constant", 1, 2, "EMA of a constant sequence climbs from 0 toward it",
              (call("ema", ("values", np.ones(6)), ("beta", 0.5)),)),
    Criterion("ex01.ema_noisy", 1, 2, "EMA of a noisy sequence",
              (call("ema", ("values", NOISY_VALUES), ("beta", 0.8)),)),
    Criterion("ex01.ema_pure", 1, 1, "ema returns the EMA and leaves its input unchanged",
              (call("ema", ("values", NOISY_VALUES), ("beta", 0.8)),), pure=True),
    Criterion("ex01.moments", 2, 2, "update_moments returns m_t and v_t", (_moments,), ("m", "v")),
    Criterion("ex01.moments_pure", 2, 1, "update_moments is right and leaves its inputs unchanged",
              (_moments,), pure=True),
    Criterion("ex01.half_life", 3, 2, "half-life of the EMA for three betas",
              tuple(call("half_life", ("beta", b)) for b in (0.9, 0.99, 0.999))),
    Criterion("ex01.steps_to_reach", 4, 2, "steps until the EMA of a constant reaches a fraction of it",
              tuple(call("steps_to_reach", ("beta", b), ("fraction", f))
                    for b, f in ((0.9, 0.99), (0.9, 0.5), (0.99, 0.95), (0.5, 0.9)))),
    Criterion("ex01.smooth", 5, 3, "the tutorial's smooth, fixed: a bias-corrected EMA",
              (call("smooth", ("values", NOISY_VALUES), ("beta", 0.8)),
               call("smooth", ("values", FAR_START), ("beta", 0.9)))),
)


def ema(values, beta, *, start_at_first=False, drop=False, swapped=False, span="m_1..m_T"):
    """EMA m_t = β m_{t−1} + (1 − β) x_t from m_0 = 0 (the reference), or one of its slips;
    ``span`` is what is returned: ``m_1..m_T``, ``m_0..m_T`` or ``m_0..m_T-1``."""
    values = np.asarray(values, dtype=float)
    if not (start_at_first or drop or swapped) and span == "m_1..m_T":   # Adam's own first moment
        state, out = ae.adam_init(values[0]), []
        for x in values:
            _, state = ae.adam_step(0.0, x, state, beta1=beta)
            out.append(float(state.m))
        return np.array(out)
    m = values[0] if start_at_first else 0.0
    out = [m] if span != "m_1..m_T" else []
    for x in values:
        m = (1 - beta) * m + beta * x if swapped else beta * m + (1.0 if drop else 1 - beta) * x
        out.append(m)
    return np.array(out[:len(values)] if span == "m_0..m_T-1" else out)


def smooth(values, beta, *, slips=()):
    """The bias-corrected EMA m̂_1..m̂_T (the reference: adam_edu.ema), or the tutorial's slips:
    ``"m0"`` (m_0 kept in front), ``"t0"`` (t counted from 0), ``"plain"`` (no correction)."""
    if not slips:
        return ema_module.ema(values, beta, bias_correction=True)
    m, out = 0.0, ([0.0] if "m0" in slips else [])
    with np.errstate(all="ignore"):
        for t, x in enumerate(np.asarray(values, dtype=float), 0 if "t0" in slips else 1):
            m = beta * m + (1 - beta) * x
            out.append(m if "plain" in slips else m / np.float64(1 - beta**t))
    return np.array(out)


def steps_to_reach(beta, fraction, *, slip=None):
    """The first t with m_t ≥ fraction·c for a constant c, counted on adam_edu's EMA (the
    reference), or a slip: ``"window"`` (1/(1 − β)) or ``"floor"`` (rounded down: one short)."""
    if slip == "window":
        return 1 / (1 - beta)
    if slip == "floor":
        return math.floor(math.log(1 - fraction) / math.log(beta))
    return _measured_steps(beta, fraction)


@functools.lru_cache(maxsize=256)
def _measured_steps(beta, fraction) -> int:
    """The first t where adam_edu's EMA of ones reaches ``fraction`` (once per input: grading
    builds many models on this reference)."""
    return int(np.argmax(ema_module.ema(np.ones(10_000), beta) >= fraction)) + 1


def _update_moments(*, drop=False, swapped=False, unsquared=False, square_of=None,
                    beta1_in_v=False, reference=False):
    """update_moments, or a slip: ``square_of="m_new"`` or ``"m"`` squares m instead of g."""
    def update_moments(m, v, grads, *, beta1, beta2):
        if reference:
            state = ae.AdamState(0, np.asarray(m, float), np.asarray(v, float))
            _, new = ae.adam_step(np.zeros(np.shape(grads)), grads, state, beta1=beta1, beta2=beta2)
            return new.m, new.v
        b1, b2 = (beta2, beta1) if swapped else (beta1, beta2)
        b2 = b1 if beta1_in_v else b2
        grads = np.asarray(grads, float)
        keep1, keep2 = (1.0, 1.0) if drop else (1 - b1, 1 - b2)
        m_new = b1 * np.asarray(m) + keep1 * grads
        square = {"m_new": m_new**2, "m": np.asarray(m)**2}.get(square_of, grads**2)
        return m_new, b2 * np.asarray(v) + keep2 * (grads if unsquared else square)
    return update_moments


def functions(*, ema_kind=None, moments=None, window=False, smooth_slips=(), reach=None) -> dict:
    """The five functions, correct unless a slip is named."""
    kinds = {None: {}, "first": {"start_at_first": True}, "drop": {"drop": True},
             "swapped": {"swapped": True}, "with_m0": {"span": "m_0..m_T"},
             "late": {"span": "m_0..m_T-1"}}
    return {"ema": lambda values, beta: ema(values, beta, **kinds[ema_kind]),
            "update_moments": _update_moments(**(moments or {"reference": True})),
            "half_life": (lambda beta: 1 / (1 - beta)) if window else
            (lambda beta: math.log(0.5) / math.log(beta)),
            "steps_to_reach": lambda beta, fraction: steps_to_reach(beta, fraction, slip=reach),
            "smooth": lambda values, beta: smooth(values, beta, slips=smooth_slips)}


_M_LINE = "m_new = beta1 * np.asarray(m) + (1 - beta1) * grads"
MISTAKES = (
    mistake("one_minus_beta_dropped", [functions(ema_kind="drop", moments={"drop": True})],
            [("m = beta * m + (1 - beta) * x\n        averages.append(m)\n",
              "m = beta * m + x\n        averages.append(m)\n")]),
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
    mistake("v_from_m_squared", [functions(moments={"square_of": "m_new"}),
                                 functions(moments={"square_of": "m"})],
            [("(1 - beta2) * grads**2", "(1 - beta2) * m_new**2")]),
    mistake("beta1_in_v", [functions(moments={"beta1_in_v": True})],
            [("v_new = beta2 * np.asarray(v) + (1 - beta2) * grads**2",
              "v_new = beta1 * np.asarray(v) + (1 - beta1) * grads**2")]),
    Mistake("ema_includes_m0", "EMA output includes m_0",
            "Your averages start with m_0 = 0, one value too many: return m_1, …, m_T, the average "
            "after each value (as many as there are values). m_0 is only where the average starts.",
            (functions(ema_kind="with_m0", smooth_slips=("m0",)),),
            (("    averages = []\n    for x in", "    averages = [m]\n    for x in"),)),
    Mistake("ema_drops_last", "EMA output one step late (m_T dropped)",
            "Your averages are one step late: the value is stored before it is updated, so you "
            "return m_0, …, m_{T−1} and m_T, the average that includes the last value, is missing. "
            "Update m first, then store it.", (functions(ema_kind="late"),),
            (("        m = beta * m + (1 - beta) * x\n        averages.append(m)\n",
              "        averages.append(m)\n        m = beta * m + (1 - beta) * x\n"),)),
    Mistake("t_from_zero", "bias correction uses t starting at 0",
            "The correction counts t from 0 (enumerate starts at 0): at the first value "
            "1 − β^0 = 0, a division by zero (inf in numpy, ZeroDivisionError in plain Python), "
            "and every later average is divided by the previous step's factor. The first value "
            "is step t = 1.", (functions(smooth_slips=("t0",)),),
            (("enumerate(np.asarray(values, dtype=float), 1)",
              "enumerate(np.asarray(values, dtype=float))"),), ("ZeroDivisionError",)),
    Mistake("tutorial_unchanged", "both of the tutorial's bugs left in smooth",
            "This is still the tutorial's smooth, with both of its bugs: look at how many averages "
            "it returns and at the first one, and at what the correction divides by at the very "
            "first value.", (functions(smooth_slips=("m0", "t0")),),
            (("    averages = []\n    for t, x in enumerate(np.asarray(values, dtype=float), 1)",
              "    averages = [m]\n    for t, x in enumerate(np.asarray(values, dtype=float))"),)),
    Mistake("no_bias_correction", "no bias correction",
            "smooth must return the bias-corrected average m̂_t = m_t/(1 − β^t); you returned "
            "m_t, which starts at (1 − β)·x_1, far below a signal that is far from 0.",
            (functions(smooth_slips=("plain",)),)),
    Mistake("reach_window", "the window 1/(1 − β) given as the answer",
            "1/(1 − β) is the EMA's effective window; it does not depend on the fraction asked "
            "for. After t steps of a constant c from m_0 = 0 the EMA holds (1 − β^t)·c: find "
            "the first whole t where that reaches the fraction.", (functions(reach="window"),)),
    Mistake("reach_floor", "rounded down: one step short",
            "One step short: solving β^t ≤ 1 − fraction gives a t that is not whole; rounding it "
            "down gives a step where the EMA has not reached the fraction yet. Round up (the "
            "first whole step that gets there).", (functions(reach="floor"),),
            (("return math.ceil(math.log(1 - fraction) / math.log(beta))",
              "return math.floor(math.log(1 - fraction) / math.log(beta))"),)),
    Mistake("half_life_is_window", "half-life taken as 1/(1 − β)",
            "1/(1 − β) is the effective window, not the half-life. The half-life h solves "
            "β^h = 1/2, so h = ln(1/2)/ln(β): 6.6 steps for β = 0.9, not 10.",
            (functions(window=True),),
            (("return math.log(0.5) / math.log(beta)", "return 1 / (1 - beta)"),)),
)

EXERCISE = Exercise(
    "ex01", "ex01_moments.ipynb", "Moments and the exponential moving average",
    {1: "ema", 2: "update_moments", 3: "half_life", 4: "steps_to_reach", 5: "smooth"}, CRITERIA,
    functions(), MISTAKES,
    MUTATED_INPUTS._replace(hint=(
        "An in-place operation (x *= ..., x += ..., x[...] = ...) on an argument, or on a name "
        "bound to it (m_new = np.asarray(m) does not copy an array), changes the caller's array: "
        "build new arrays instead (m_new = beta1 * m + ...). Adam's state would otherwise change "
        "under the caller."), written=(
        (_M_LINE, "m_new = np.asarray(m)\n    m_new *= beta1\n    m_new += (1 - beta1) * grads"),)),
    questions={5: "which bugs did you find in the tutorial's smooth, and what did each do to the "
                  "output?"})
