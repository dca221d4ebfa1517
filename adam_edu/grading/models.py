"""Reference answers (built on adam_edu) and deliberately wrong models of each exercise's functions.

:func:`reference` gives the functions a perfect student would write, computed with the library the
course teaches; :func:`models` gives, for each catalogued mistake, the same functions written with that
mistake. The grader runs both on its own inputs in its own process: a student's answer that equals a
model's answer gets that mistake's hint. Only trusted code runs here.
"""
from __future__ import annotations

import math

import numpy as np

import adam_edu as ae

STEP_FLAGS = ("t_never_incremented", "t_from_zero", "eps_inside_sqrt", "eps_on_param", "drop_m",
              "drop_v", "sqrt_forgotten", "only_m_corrected", "betas_swapped", "ascent")


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


def _ratio(m, v, t, beta1, beta2, eps, flags=(), correct=True):
    """m̂/(√v̂ + ε) with the given slips; numpy semantics, so 1/0 gives inf rather than raising."""
    tc = t - 1 if "t_from_zero" in flags else t
    with np.errstate(all="ignore"):
        m_hat = m / (1 - beta1**tc) if correct else m
        v_hat = v / (1 - beta2**tc) if correct and "only_m_corrected" not in flags else v
        if "sqrt_forgotten" in flags:
            denominator = v_hat + eps
        elif "eps_inside_sqrt" in flags:
            denominator = np.sqrt(v_hat + eps)
        elif "eps_on_param" in flags:
            denominator = np.sqrt(v_hat)
        else:
            denominator = np.sqrt(v_hat) + eps
        return m_hat / denominator


def make_step(flags=(), *, correct=True):
    """An Adam step with the slips in ``flags`` (see STEP_FLAGS); ``correct`` = bias correction."""
    def step(params, grads, state, *, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        params, grads = np.asarray(params, dtype=float), np.asarray(grads, dtype=float)
        b1, b2 = (beta2, beta1) if "betas_swapped" in flags else (beta1, beta2)
        t = state.t + 1
        m = b1 * state.m + (1.0 if "drop_m" in flags else 1 - b1) * grads
        v = b2 * state.v + (1.0 if "drop_v" in flags else 1 - b2) * grads**2
        update = lr * _ratio(m, v, t, b1, b2, eps, flags, correct)
        new_params = params + update if "ascent" in flags else params - update
        if "eps_on_param" in flags:
            new_params = new_params + eps
        return new_params, ae.AdamState(state.t if "t_never_incremented" in flags else t, m, v)
    return step


def _exercise2(step, *, drop_start=False):
    def run_bowl(x0, steps, *, lr, beta1=0.9, beta2=0.999, eps=1e-8):
        params = np.asarray(x0, dtype=float)
        state, path = ae.adam_init(params), [params]
        for _ in range(steps):
            params, state = step(params, 2 * params, state, lr=lr, beta1=beta1, beta2=beta2, eps=eps)
            path.append(params)
        return np.array(path[1:] if drop_start else path)

    def first_step_ratio(beta1, beta2):
        params, _ = step(np.zeros(1), np.ones(1), ae.adam_init(np.zeros(1)), lr=1.0, beta1=beta1,
                         beta2=beta2, eps=0.0)
        return float(-params[0])

    return {"adam_step_uncorrected": step, "run_bowl": run_bowl, "first_step_ratio": first_step_ratio}


def _exercise3(step):
    def first_step_sizes(grads, *, lr):
        params = np.zeros(np.shape(grads))
        new_params, _ = step(params, np.asarray(grads, dtype=float), ae.adam_init(params), lr=lr,
                             eps=0.0)
        return np.abs(new_params - params)

    return {"adam_step": step, "first_step_sizes": first_step_sizes}


def _exercise4(flags=(), *, correct=True, bound="right", largest="right", nan_snr=False):
    def effective_step(m, v, t, *, lr, beta1=0.9, beta2=0.999, eps=1e-8):
        b1, b2 = (beta2, beta1) if "betas_swapped" in flags else (beta1, beta2)
        return lr * _ratio(np.asarray(m, float), np.asarray(v, float), t, b1, b2, eps, flags, correct)

    def snr(m, v, t, *, beta1=0.9, beta2=0.999):
        b1, b2 = (beta2, beta1) if "betas_swapped" in flags else (beta1, beta2)
        m, v = np.asarray(m, float), np.asarray(v, float)
        with np.errstate(all="ignore"):
            ratio = _ratio(m, v, t, b1, b2, 0.0, flags, correct)
        return ratio if nan_snr else np.where(v == 0, 0.0, ratio)

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


def _reference_ex4():
    namespace = _exercise4()

    def effective_step(m, v, t, *, lr, beta1=0.9, beta2=0.999, eps=1e-8):
        return ae.diagnostics_from_moments(t, np.asarray(m, float), np.asarray(v, float), lr=lr,
                                           beta1=beta1, beta2=beta2, eps=eps, bias_correction=True).step

    def snr(m, v, t, *, beta1=0.9, beta2=0.999):
        return ae.diagnostics_from_moments(t, np.asarray(m, float), np.asarray(v, float), lr=1.0,
                                           beta1=beta1, beta2=beta2, eps=0.0, bias_correction=True).snr

    return dict(namespace, effective_step=effective_step, snr=snr)


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


def _exercise1(*, ema_kind=None, moments=None, window=False):
    kinds = {None: {}, "first": {"start_at_first": True}, "drop": {"drop": True},
             "swapped": {"swapped": True}}
    return {"ema": lambda values, beta: ema(values, beta, **kinds[ema_kind]),
            "update_moments": _update_moments(**(moments or {"reference": True})),
            "half_life": (lambda beta: 1 / (1 - beta)) if window else
            (lambda beta: math.log(0.5) / math.log(beta))}


def reference(exercise: str) -> dict:
    """The functions of ``exercise`` as a perfect student would write them, via adam_edu."""
    if exercise == "ex01":
        return _exercise1()
    if exercise == "ex02":
        return _exercise2(lambda *a, **k: ae.adam_step(*a, bias_correction=False, **k))
    if exercise == "ex03":
        return _exercise3(ae.adam_step)
    if exercise == "ex04":
        return _reference_ex4()
    raise KeyError(f"exercise == {exercise!r}, must be one of ex01, ex02, ex03, ex04.")


def _step_models(correct: bool, names: tuple) -> list:
    """(mistake, step) pairs for the step-level slips; (1 − β) has three ways to go wrong."""
    flags = {"t_never_incremented": [("t_never_incremented",)], "t_from_zero": [("t_from_zero",)],
             "eps_inside_sqrt": [("eps_inside_sqrt",)], "eps_on_param": [("eps_on_param",)],
             "one_minus_beta_dropped": [("drop_m", "drop_v"), ("drop_m",), ("drop_v",)],
             "sqrt_forgotten": [("sqrt_forgotten",)], "only_m_corrected": [("only_m_corrected",)],
             "betas_swapped": [("betas_swapped",)], "ascent": [("ascent",)]}
    return [(name, make_step(f, correct=correct)) for name in names for f in flags[name]]


def models(exercise: str) -> list:
    """[(mistake id, namespace)] for every catalogued mistake that applies to ``exercise``."""
    if exercise == "ex01":
        return [("one_minus_beta_dropped", _exercise1(ema_kind="drop", moments={"drop": True})),
                ("ema_weights_swapped", _exercise1(ema_kind="swapped")),
                ("ema_from_first_value", _exercise1(ema_kind="first")),
                ("betas_swapped", _exercise1(moments={"swapped": True})),
                ("v_not_squared", _exercise1(moments={"unsquared": True})),
                ("half_life_is_window", _exercise1(window=True))]
    if exercise == "ex02":
        names = ("t_never_incremented", "eps_inside_sqrt", "eps_on_param", "one_minus_beta_dropped",
                 "sqrt_forgotten", "betas_swapped", "ascent")
        out = [(name, _exercise2(step)) for name, step in _step_models(False, names)]
        return out + [("corrected_too_early", _exercise2(make_step(correct=True))),
                      ("trajectory_without_start", _exercise2(reference("ex02")[
                          "adam_step_uncorrected"], drop_start=True))]
    if exercise == "ex03":
        names = ("t_never_incremented", "t_from_zero", "eps_inside_sqrt", "eps_on_param",
                 "one_minus_beta_dropped", "sqrt_forgotten", "only_m_corrected", "betas_swapped",
                 "ascent")
        out = [(name, _exercise3(step)) for name, step in _step_models(True, names)]
        return out + [("no_bias_correction", _exercise3(make_step(correct=False)))]
    if exercise == "ex04":
        slips = ("t_from_zero", "eps_inside_sqrt", "sqrt_forgotten", "only_m_corrected",
                 "betas_swapped")
        return [(name, _exercise4((name,))) for name in slips] + [
            ("no_bias_correction", _exercise4(correct=False)),
            ("snr_zero_over_zero", _exercise4(nan_snr=True)),
            ("bound_one_case", _exercise4(bound="one_case")),
            ("bound_always_lr", _exercise4(bound="always_lr")),
            ("step_sign_kept", _exercise4(largest="signed")),
            ("step_from_start", _exercise4(largest="from_start"))]
    raise KeyError(f"exercise == {exercise!r}, must be one of ex01, ex02, ex03, ex04.")
