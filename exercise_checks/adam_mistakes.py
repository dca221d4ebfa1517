"""The Adam-step mistakes that several exercises catalogue: each hint beside the model that makes it.

The first ten are the mistakes found in well-known material (the step counter never incremented, ε
in the wrong place, the (1 − β) factor dropped, ...); then three that students write (v from m²,
β1 in the v update, m̂ and v̂ kept in the state); ``no_bias_correction`` is shared by exercises 3
and 4. An exercise module picks the ones that apply with :func:`mistake`, giving its own models
(built with :func:`make_step`) and the text a student would write (``written``).
"""
from __future__ import annotations

import numpy as np

import adam_edu as ae
from grader import Mistake

SHARED = {mistake.name: mistake for mistake in (
    Mistake("t_never_incremented", "the step counter t is never incremented",
        "The step counter t is never incremented: the state you return has the same t as the one you "
        "got, so every step is bias-corrected as if it were step 1. Step t then comes out "
        "(1 − β1^t)/(1 − β1)·√((1 − β2)/(1 − β2^t)) times the right size: with the default betas "
        "up to 2.08 times too large (at t = 12), below 1 only from t = 106, 0.398 at t = 1000, "
        "tending to 0.316. Return AdamState(t, m, v) with t = state.t + 1."),
    Mistake("t_from_zero", "bias correction uses t starting at 0",
        "The bias correction uses t before it is incremented (t starting at 0, or a 0-based data "
        "index): at the first step 1 − β^0 = 0, a division by zero (m/0 = inf, then inf/inf = nan "
        "in numpy; ZeroDivisionError in plain Python), and every later step is corrected with the "
        "previous step's factor (or, if the returned t is never incremented either, divides by "
        "zero again). Increment first, t = state.t + 1, divide by 1 − β^t, and return that t.",
        raises=("ZeroDivisionError",)),
    Mistake("eps_inside_sqrt", "ε inside the square root",
        "ε is inside the square root: you computed √(v̂ + ε). Adam (Algorithm 1, and PyTorch) adds it "
        "outside: m̂ / (√v̂ + ε)."),
    Mistake("eps_on_param", "ε added to the parameter",
        "ε is added to the parameter instead of the denominator (misplaced parentheses): write "
        "θ − α·m̂ / (√v̂ + ε), not θ − α·m̂/√v̂ + ε."),
    Mistake("one_minus_beta_dropped", "the (1 − β) factor dropped from a moment update",
        "The (1 − β) factor is missing from a moment update: m_t = β1·m_{t−1} + (1 − β1)·g_t and "
        "v_t = β2·v_{t−1} + (1 − β2)·g_t². Without it the moments are growing sums, not averages."),
    Mistake("sqrt_forgotten", "√ forgotten",
        "The square root is missing: divide by √v̂ + ε, not by v̂ + ε. v̂ averages squared "
        "gradients; its root has the units of the gradient, which is what makes the step about α."),
    Mistake("only_m_corrected", "only m bias-corrected",
        "Only m is bias-corrected: v̂_t = v_t / (1 − β2^t) is needed too. Without it √v_t is too small "
        "early on and the first steps are up to 1/√(1 − β2) ≈ 31.6 times too large."),
    Mistake("betas_swapped", "β1 and β2 swapped",
        "β1 and β2 are swapped: β1 (0.9) belongs to the first moment m, the average of g; β2 (0.999) "
        "to the second moment v, the average of g²."),
    Mistake("ascent", "ascent instead of descent",
        "The step goes uphill: Adam subtracts, θ_t = θ_{t−1} − α·m̂_t / (√v̂_t + ε)."),
    Mistake("mutated_inputs", "inputs modified in place",
        "An in-place operation (x *= ..., x += ..., x -= ..., x[...] = ...) on an argument, or on a "
        "name bound to it (m = state.m does not copy), changes the caller's array: build new "
        "arrays instead (m = beta1 * state.m + ...; new_params = params - ...). A lesson that "
        "starts three optimizers from the same arrays would otherwise be corrupted."),
    Mistake("v_from_m_squared", "v averages m² instead of g²",
        "v is updated from m² instead of g²: v_t = β2·v_{t−1} + (1 − β2)·g_t², the average of the "
        "squared gradients, not the square of their average. m_t² is much smaller than g_t² "
        "(m_1 = (1 − β1)·g_1), so √v is too small and the first step comes out 1/(1 − β1) = 10 "
        "times too large with β1 = 0.9."),
    Mistake("beta1_in_v", "β1 used in the v update",
        "The v update uses β1 where it needs β2: v_t = β2·v_{t−1} + (1 − β2)·g_t². (m is right.) "
        "β1 = 0.9 would make v forget in about 10 steps instead of 1/(1 − β2) = 1000, and its "
        "size no longer matches the correction 1 − β2^t."),
    Mistake("hat_in_state", "m̂ and v̂ stored in the state",
        "The state holds the corrected m̂_t and v̂_t instead of m_t and v_t: return "
        "AdamState(t, m, v) with the uncorrected moments. The next step averages on top of "
        "moments already divided by 1 − β^t and divides again, so they are inflated more at "
        "every step (the first step is still right, which hides it)."),
    Mistake("no_bias_correction", "no bias correction",
        "There is no bias correction: divide m_t by 1 − β1^t and v_t by 1 − β2^t, with t the new "
        "step count. Without it the first step is α(1 − β1)/√(1 − β2) ≈ 3.16α instead of α."),
)}

# The slips make_step knows, per mistake: (1 − β) can be dropped from m, v or both.
STEP_FLAGS = {"t_never_incremented": [("t_never_incremented",)],
              "t_from_zero": [("t_from_zero",), ("t_from_zero", "t_never_incremented")],
              "eps_inside_sqrt": [("eps_inside_sqrt",)], "eps_on_param": [("eps_on_param",)],
              "one_minus_beta_dropped": [("drop_m", "drop_v"), ("drop_m",), ("drop_v",)],
              "sqrt_forgotten": [("sqrt_forgotten",)], "only_m_corrected": [("only_m_corrected",)],
              "betas_swapped": [("betas_swapped",)], "ascent": [("ascent",)],
              "v_from_m_squared": [("v_from_m_squared",)], "beta1_in_v": [("beta1_in_v",)],
              "hat_in_state": [("hat_in_state",)]}


def mistake(name: str, models=(), written=()) -> Mistake:
    """The shared mistake ``name`` with this exercise's models and written form."""
    return SHARED[name]._replace(models=tuple(models), written=tuple(written))


MUTATED_INPUTS = mistake("mutated_inputs")


def ratio(m, v, t, beta1, beta2, eps, flags=(), correct=True):
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
        decay = b1 if "beta1_in_v" in flags else b2
        square = m**2 if "v_from_m_squared" in flags else grads**2
        v = decay * state.v + (1.0 if "drop_v" in flags else 1 - decay) * square
        update = lr * ratio(m, v, t, b1, b2, eps, flags, correct)
        new_params = params + update if "ascent" in flags else params - update
        if "eps_on_param" in flags:
            new_params = new_params + eps
        if "hat_in_state" in flags:
            m, v = m / (1 - b1**t), v / (1 - b2**t)
        return new_params, ae.AdamState(state.t if "t_never_incremented" in flags else t, m, v)
    return step


def step_mistakes(names: tuple, build, *, correct: bool, written: dict) -> list:
    """For each shared step mistake in ``names``: its models, ``build(step)`` for each way of
    making it, and the text ``written[name]`` (if any) that makes it in the solution notebook."""
    return [mistake(name, [build(make_step(flags, correct=correct)) for flags in STEP_FLAGS[name]],
                    written.get(name, ())) for name in names]
