"""Exercise 4, the effective step and the signal-to-noise ratio (solutions/ex04_snr.ipynb).

Tasks: ``effective_step(m, v, t, *, lr, beta1, beta2, eps)``, ``snr(m, v, t, *, beta1, beta2)``,
``step_bound(lr, beta1, beta2)``, ``largest_step(params)``, ``spike_step(t, beta1, beta2)``
(predict, then verify) and ``adamax_step(params, grads, state, *, lr, beta1, beta2)`` (transfer:
AdaMax from the paper's section 7.1).
"""
from __future__ import annotations

import math

import numpy as np

import adam_edu as ae
from adam_edu import snr as snr_module
from exercise_checks.adam_mistakes import MUTATED_INPUTS, mistake, ratio
from grader import Criterion, Exercise, Mistake, call

_trajectory = ae.run("adam", ae.noisy(ae.bowl(), sigma=2.0, seed=4), steps=60, lr=0.2)
RECORDED = np.round(_trajectory.params, 6)
_DIAG = (("m", np.array([0.3, -0.2, 0.05])), ("v", np.array([0.09, 0.5, 0.0025])))

CRITERIA = (
    Criterion("ex04.effective_step", 1, 3, "effective step at t = 7 and at t = 1",
              (call("effective_step", *_DIAG, ("t", 7), lr=0.01, eps=1e-3),
               call("effective_step", *_DIAG, ("t", 1), lr=0.01, beta1=0.8, beta2=0.99, eps=1e-3))),
    Criterion("ex04.snr", 2, 2, "SNR at t = 7 and at t = 2",
              (call("snr", *_DIAG, ("t", 7)), call("snr", *_DIAG, ("t", 2), beta1=0.8, beta2=0.99))),
    Criterion("ex04.snr_zero", 2, 1, "SNR is 0 where v̂ = 0",
              (call("snr", ("m", np.array([0.0, 0.4])), ("v", np.array([0.0, 0.16])), ("t", 3)),)),
    Criterion("ex04.step_bound", 3, 2, "the paper's step bound for four pairs of betas",
              tuple(call("step_bound", ("lr", 0.01), ("beta1", b1), ("beta2", b2))
                    for b1, b2 in ((0.9, 0.999), (0.9, 0.9999), (0.5, 0.999), (0.9, 0.9)))),
    Criterion("ex04.largest_step", 4, 2, "largest step of a recorded noisy trajectory",
              (call("largest_step", ("params", RECORDED)),)),
    Criterion("ex04.spike_step", 5, 2, "the step of a sparse spike at step t, predicted",
              tuple(call("spike_step", ("t", t), ("beta1", b1), ("beta2", b2))
                    for t, b1, b2 in ((1000, 0.9, 0.999), (10, 0.9, 0.999), (1, 0.9, 0.999),
                                      (50, 0.8, 0.99)))),
    Criterion("ex04.adamax", 6, 3, "AdaMax: a first step and a step from t = 4",
              (call("adamax_step", ("params", np.array([3.0, 4.0, -1.0])),
                    ("grads", np.array([6.0, -8.0, 0.5])),
                    ("state", ae.AdaMaxState(0, np.zeros(3), np.zeros(3))), lr=0.1),
               call("adamax_step", ("params", np.array([1.0, -2.0, 0.5])),
                    ("grads", np.array([0.5, -3.0, 2.0])),
                    ("state", ae.AdaMaxState(4, np.array([0.2, -0.5, 0.1]), np.array([2.5, 0.3, 1.0]))),
                    lr=0.05, beta1=0.8, beta2=0.99)), ("new_params", "new_state")),
    Criterion("ex04.adamax_pure", 6, 1, "adamax_step leaves its inputs unchanged",
              (call("adamax_step", ("params", np.array([1.0, -2.0])), ("grads", np.array([0.5, -3.0])),
                    ("state", ae.AdaMaxState(4, np.array([0.2, -0.5]), np.array([2.5, 0.3])))),),
              pure=True),
)


def spike_step(t, beta1, beta2, *, slip=None):
    """|Δ_t|/α for a gradient that was 0 at every earlier step (adam_edu.snr, the reference), or
    a slip: ``"limit"`` (the t → ∞ value), ``"only_m"`` (v left uncorrected)."""
    if slip == "limit":
        return (1 - beta1) / math.sqrt(1 - beta2)
    if slip == "only_m":
        return (1 - beta1) / (1 - beta1**t) / math.sqrt(1 - beta2)
    return snr_module.sparse_spike_ratio(t, beta1, beta2)


def adamax(slip=None):
    """AdaMax (adam_edu.adamax_step with the paper's ε = 0, the reference), or a slip:
    ``"u_corrected"``, ``"u_no_decay"``, ``"m_uncorrected"``, ``"u_signed"``."""
    def adamax_step(params, grads, state, *, lr=2e-3, beta1=0.9, beta2=0.999):
        if slip is None:
            return ae.adamax_step(params, grads, state, lr=lr, beta1=beta1, beta2=beta2)
        grads = np.asarray(grads, dtype=float)
        t = state.t + 1
        m = beta1 * state.m + (1 - beta1) * grads
        u = np.maximum(state.u if slip == "u_no_decay" else beta2 * state.u,
                       grads if slip == "u_signed" else np.abs(grads))
        with np.errstate(all="ignore"):
            u_used = u / (1 - beta2**t) if slip == "u_corrected" else u
            m_used = m if slip == "m_uncorrected" else m / (1 - beta1**t)
            return params - lr * m_used / u_used, ae.AdaMaxState(t, m, u)
    return adamax_step


def functions(flags=(), *, correct=True, bound="right", largest="right", nan_snr=False,
              spike=None, adamax_slip=None) -> dict:
    """The six functions, with the slips in ``flags`` (see adam_mistakes.ratio) or named here."""
    def effective_step(m, v, t, *, lr, beta1=0.9, beta2=0.999, eps=1e-8):
        b1, b2 = (beta2, beta1) if "betas_swapped" in flags else (beta1, beta2)
        return lr * ratio(np.asarray(m, float), np.asarray(v, float), t, b1, b2, eps, flags, correct)

    def snr(m, v, t, *, beta1=0.9, beta2=0.999):
        b1, b2 = (beta2, beta1) if "betas_swapped" in flags else (beta1, beta2)
        m, v = np.asarray(m, float), np.asarray(v, float)
        with np.errstate(all="ignore"):
            result = ratio(m, v, t, b1, b2, 0.0, flags, correct)
        return result if nan_snr else np.where(v == 0, 0.0, result)

    def step_bound(lr, beta1, beta2):
        big = lr * (1 - beta1) / math.sqrt(1 - beta2)
        if bound == "one_case":
            return big
        if bound == "always_lr":
            return lr
        return big if (1 - beta1) > math.sqrt(1 - beta2) else lr

    def largest_step(params):
        params = np.asarray(params, dtype=float)
        if largest == "from_start":
            return float(np.max(np.abs(params - params[0])))
        steps = np.diff(params, axis=0)
        return float(np.max(steps if largest == "signed" else np.abs(steps)))

    return {"effective_step": effective_step, "snr": snr, "step_bound": step_bound,
            "largest_step": largest_step, "adamax_step": adamax(adamax_slip),
            "spike_step": lambda t, beta1, beta2: spike_step(t, beta1, beta2, slip=spike)}


def _reference() -> dict:
    def effective_step(m, v, t, *, lr, beta1=0.9, beta2=0.999, eps=1e-8):
        return ae.diagnostics_from_moments(t, np.asarray(m, float), np.asarray(v, float), lr=lr,
                                           beta1=beta1, beta2=beta2, eps=eps, bias_correction=True).step

    def snr(m, v, t, *, beta1=0.9, beta2=0.999):
        return ae.diagnostics_from_moments(t, np.asarray(m, float), np.asarray(v, float), lr=1.0,
                                           beta1=beta1, beta2=beta2, eps=0.0, bias_correction=True).snr

    return dict(functions(), effective_step=effective_step, snr=snr)


_SQRT = "(np.sqrt(v_hat) + eps)"
MISTAKES = (
    mistake("t_from_zero", [functions(("t_from_zero",))]),
    mistake("eps_inside_sqrt", [functions(("eps_inside_sqrt",))], [(_SQRT, "np.sqrt(v_hat + eps)")]),
    mistake("sqrt_forgotten", [functions(("sqrt_forgotten",))], [(_SQRT, "(v_hat + eps)")]),
    mistake("only_m_corrected", [functions(("only_m_corrected",), spike="only_m")],
            [("v_hat = np.asarray(v) / (1 - beta2**t)", "v_hat = np.asarray(v)")]),
    mistake("betas_swapped", [functions(("betas_swapped",))]),
    mistake("no_bias_correction", [functions(correct=False)]),
    Mistake("snr_zero_over_zero", "0/0 left as nan",
            "Where v̂ = 0 (a coordinate whose gradients were all 0) the SNR must be 0, not nan: "
            "there is no signal. Divide only where v̂ > 0, e.g. np.divide(..., "
            "out=np.zeros_like(m), where=...).", (functions(nan_snr=True),),
            (("return np.divide(m_hat, root, out=np.zeros_like(m_hat), where=root > 0)",
              "return m_hat / root"),)),
    Mistake("bound_one_case", "step bound without its second case",
            "The paper's bound (a rule of thumb, not a worst case) has two cases: "
            "α(1 − β1)/√(1 − β2) when (1 − β1) > √(1 − β2), and α otherwise.",
            (functions(bound="one_case"),)),
    Mistake("bound_always_lr", "step bound always α",
            "The paper's rule of thumb is α only when (1 − β1) ≤ √(1 − β2); otherwise it is "
            "α(1 − β1)/√(1 − β2) (3.16α with the default betas).", (functions(bound="always_lr"),)),
    Mistake("step_sign_kept", "signed steps compared",
            "The largest step is the largest |θ_t − θ_{t−1}|: take the absolute value before the "
            "max, or a large negative step is missed.", (functions(largest="signed"),),
            (("np.max(np.abs(np.diff(", "np.max((np.diff("),)),
    Mistake("step_from_start", "distance from θ_0 instead of the step",
            "A step is θ_t − θ_{t−1}, between consecutive points (np.diff), not the distance "
            "θ_t − θ_0.", (functions(largest="from_start"),)),
    Mistake("spike_limit", "the t → ∞ value given for every t",
            "(1 − β1)/√(1 − β2) is the spike's step only as t → ∞ (and the uncorrected step). At "
            "step t the corrections 1/(1 − β1^t) and 1/(1 − β2^t) still differ from 1: at t = 10 "
            "the step is about 0.48α, not 3.16α.", (functions(spike="limit"),),
            (("    return m_hat / math.sqrt(v_hat)", "    return (1 - beta1) / math.sqrt(1 - beta2)"),)),
    Mistake("adamax_u_corrected", "u bias-corrected",
            "u_t needs no bias correction: a maximum is not an average, so starting from u_0 = 0 "
            "does not pull it toward 0 once a gradient has been seen. Only m̂_t = m_t/(1 − β1^t) "
            "is corrected: θ_t = θ_{t−1} − (α/(1 − β1^t))·m_t/u_t.",
            (functions(adamax_slip="u_corrected"),)),
    Mistake("adamax_u_no_decay", "u never decays",
            "u_t = max(β2·u_{t−1}, |g_t|): the old maximum decays by β2 each step, so one large "
            "gradient is forgotten; without β2 it would shrink every later step forever.",
            (functions(adamax_slip="u_no_decay"),),
            (("np.maximum(beta2 * state.u, np.abs(grads))", "np.maximum(state.u, np.abs(grads))"),)),
    Mistake("adamax_m_uncorrected", "m not bias-corrected in AdaMax",
            "m_t still starts at 0 and needs its correction: divide the step by 1 − β1^t, "
            "θ_t = θ_{t−1} − (α/(1 − β1^t))·m_t/u_t. (Without it the first step is (1 − β1)·α.)",
            (functions(adamax_slip="m_uncorrected"),)),
    Mistake("adamax_u_signed", "u takes the max of g instead of |g|",
            "u_t is the maximum of the gradient's size: max(β2·u_{t−1}, |g_t|). Without the "
            "absolute value a negative gradient is ignored (or u is negative).",
            (functions(adamax_slip="u_signed"),)),
)

EXERCISE = Exercise(
    "ex04", "ex04_snr.ipynb", "The effective step and the signal-to-noise ratio",
    {1: "effective_step", 2: "snr", 3: "step_bound", 4: "largest_step", 5: "spike_step",
     6: "adamax_step"}, CRITERIA, _reference(), MISTAKES, MUTATED_INPUTS)
