"""Exercise 4, the effective step and the signal-to-noise ratio (solutions/ex04_snr.ipynb).

Tasks: ``effective_step(m, v, t, *, lr, beta1, beta2, eps)``, ``snr(m, v, t, *, beta1, beta2)``,
``step_bound(lr, beta1, beta2)`` and ``largest_step(params)``.
"""
from __future__ import annotations

import math

import numpy as np

import adam_edu as ae
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
)


def functions(flags=(), *, correct=True, bound="right", largest="right", nan_snr=False) -> dict:
    """The four functions, with the slips in ``flags`` (see adam_mistakes.ratio) or named here."""
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
            "largest_step": largest_step}


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
    mistake("only_m_corrected", [functions(("only_m_corrected",))],
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
            "The paper's bound has two cases: α(1 − β1)/√(1 − β2) when (1 − β1) > √(1 − β2), and "
            "α otherwise.", (functions(bound="one_case"),)),
    Mistake("bound_always_lr", "step bound always α",
            "The paper's bound is α only when (1 − β1) ≤ √(1 − β2); otherwise it is "
            "α(1 − β1)/√(1 − β2) (3.16α with the default betas).", (functions(bound="always_lr"),)),
    Mistake("step_sign_kept", "signed steps compared",
            "The largest step is the largest |θ_t − θ_{t−1}|: take the absolute value before the "
            "max, or a large negative step is missed.", (functions(largest="signed"),),
            (("np.max(np.abs(np.diff(", "np.max((np.diff("),)),
    Mistake("step_from_start", "distance from θ_0 instead of the step",
            "A step is θ_t − θ_{t−1}, between consecutive points (np.diff), not the distance "
            "θ_t − θ_0.", (functions(largest="from_start"),)),
)

EXERCISE = Exercise(
    "ex04", "ex04_snr.ipynb", "The effective step and the signal-to-noise ratio",
    {1: "effective_step", 2: "snr", 3: "step_bound", 4: "largest_step"}, CRITERIA, _reference(),
    MISTAKES, MUTATED_INPUTS)
