"""Exercise 3, bias correction (solutions/ex03_bias_correction.ipynb).

Tasks: ``adam_step(params, grads, state, *, lr, beta1, beta2, eps)`` with bias correction,
``first_step_sizes(grads, *, lr)`` (the first-step fact), ``steps_until_unbiased(beta, tolerance)``
(predict, then verify) and ``adam_step_efficient(..., eps_hat)``, the paper's efficient version
(transfer: it equals Algorithm 1 when ε̂ = ε·√(1 − β2^t)).
"""
from __future__ import annotations

import math

import numpy as np

import adam_edu as ae
from adam_edu import bias
from exercise_checks.adam_mistakes import MUTATED_INPUTS, make_step, mistake, step_mistakes
from exercise_checks.ex02_adam_step import STEP_NAMES
from grader import Call, Criterion, Exercise, Mistake, call
from grader.compare import path_text, show

FIRST = call("adam_step", ("params", np.array([3.0, 4.0, -1.0])), ("grads", np.array([6.0, -8.0, 0.5])),
             ("state", ae.AdamState(0, np.zeros(3), np.zeros(3))), lr=0.1, eps=1e-2)
LATER = call("adam_step", ("params", np.array([1.0, -2.0, 0.5])), ("grads", np.array([0.5, -3.0, 2.0])),
             ("state", ae.AdamState(4, np.array([0.2, -0.5, 0.1]), np.array([0.04, 0.3, 0.02]))),
             lr=0.05, beta1=0.8, beta2=0.99, eps=1e-3)

EFFICIENT_FIRST = FIRST._replace(fn="adam_step_efficient", kwargs=dict(lr=0.1, eps_hat=1e-2))
EFFICIENT_LATER = LATER._replace(fn="adam_step_efficient",
                                 kwargs=dict(lr=0.05, beta1=0.8, beta2=0.99, eps_hat=0.1))
EFFICIENT_EQUALS = LATER._replace(   # ε = 0.1 at step t = 5: ε̂ = 0.1·√(1 − 0.99^5)
    fn="adam_step_efficient", kwargs=dict(lr=0.05, beta1=0.8, beta2=0.99,
                                          eps_hat=0.1 * math.sqrt(1 - 0.99**5)))


def bowl_run(step, x0, steps, **kwargs) -> dict:
    """``steps`` calls of ``step`` on x² + y² from ``x0``, each returned state fed into the next.
    Plain data (θ_0, θ_1, ... and new_state.t after each step): the sandbox runs this function from
    its source, with numpy and adam_edu only (see grader.wire.driver)."""
    params = np.array(x0, dtype=float)
    state, path, t = ae.adam_init(params), [params.tolist()], []
    for _ in range(steps):
        params, state = step(params, 2 * np.asarray(params), state, **kwargs)
        path.append(np.asarray(params, dtype=float))
        t.append(getattr(state, "t", None))
    return {"params": path, "t": t}


def bowl_label(path: tuple) -> str | None:
    """``("params", 3, 0)`` as θ_3[0], ``("t", 2)`` as new_state.t after step 3."""
    if len(path) >= 2 and path[0] == "params":
        return f"θ_{path[1]}{path_text(path[2:])}"
    if len(path) >= 2 and path[0] == "t":
        return f"new_state.t after step {path[1] + 1}"
    return None


def bowl_call(fn: str, x0, steps: int, **kwargs) -> Call:
    """A driven call: ``steps`` steps of ``fn`` on x² + y² from ``x0``."""
    text = (f"{steps} steps of {fn}(params, 2 * params, state, "
            f"{', '.join(f'{k}={v!r}' for k, v in kwargs.items())}) on x² + y² from {show(list(x0))}, "
            "each returned state passed to the next call")
    return Call(fn, (("x0", np.array(x0, dtype=float)), ("steps", steps)), kwargs, bowl_run, text,
                bowl_label)


CRITERIA = (
    Criterion("ex03.first_step", 1, 2, "first step from a zero state", (FIRST,), STEP_NAMES),
    Criterion("ex03.later_step", 1, 2, "a step from a state with t = 4", (LATER,), STEP_NAMES),
    Criterion("ex03.ten_steps", 1, 2, "ten steps on x² + y², each state fed into the next call",
              (bowl_call("adam_step", [3.0, 4.0], 10, lr=0.1),)),
    Criterion("ex03.pure", 1, 1, "a right step that leaves its inputs unchanged", (LATER,), pure=True),
    Criterion("ex03.first_step_sizes", 2, 3, "the first step moves every coordinate by lr",
              (call("first_step_sizes", ("grads", np.array([1e-3, -5.0, 200.0, 0.3])), lr=0.05),
               call("first_step_sizes", ("grads", np.array([-2.0, 7.0])), lr=1.0))),
    Criterion("ex03.steps_until_unbiased", 3, 2,
              "steps until the correction factor is within a tolerance of 1, predicted",
              tuple(call("steps_until_unbiased", ("beta", b), ("tolerance", tol))
                    for b, tol in ((0.999, 0.01), (0.9, 0.01), (0.99, 0.05), (0.9999, 0.001)))),
    Criterion("ex03.efficient", 4, 2, "the efficient version: first step and a step from t = 4",
              (EFFICIENT_FIRST, EFFICIENT_LATER), STEP_NAMES),
    Criterion("ex03.efficient_equals", 4, 2, "with ε̂ = ε·√(1 − β2^t) it gives Algorithm 1's step",
              (EFFICIENT_EQUALS,), STEP_NAMES),
)


def efficient(slip=None):
    """The paper's efficient version, α_t = α·√(1 − β2^t)/(1 − β1^t) and ε̂ added to √v_t (the
    reference: adam_edu's Algorithm 1 with ε = ε̂/√(1 − β2^t), the identity the task shows), or
    a slip: ``"eps_on_v_hat"``, ``"lr_t_inverted"``, ``"lr_t_no_sqrt"``."""
    def adam_step_efficient(params, grads, state, *, lr=1e-3, beta1=0.9, beta2=0.999, eps_hat=1e-8):
        t = state.t + 1
        if slip is None:
            return ae.adam_step(params, grads, state, lr=lr, beta1=beta1, beta2=beta2,
                                eps=eps_hat / math.sqrt(1 - beta2**t))
        if slip == "eps_on_v_hat":
            return ae.adam_step(params, grads, state, lr=lr, beta1=beta1, beta2=beta2, eps=eps_hat)
        m = beta1 * state.m + (1 - beta1) * np.asarray(grads, dtype=float)
        v = beta2 * state.v + (1 - beta2) * np.asarray(grads, dtype=float)**2
        lr_t = (lr * (1 - beta1**t) / math.sqrt(1 - beta2**t) if slip == "lr_t_inverted" else
                lr * (1 - beta2**t) / (1 - beta1**t))
        return params - lr_t * m / (np.sqrt(v) + eps_hat), ae.AdamState(t, m, v)
    return adam_step_efficient


def steps_until_unbiased(beta, tolerance, *, slip=None):
    """The first t with 1/(1 − β^t) ≤ 1 + tolerance (adam_edu.bias, the reference), or a slip:
    ``"window"``, ``"floor"``, ``"no_one_plus"`` (β^t ≤ tolerance), ``"step_factor"`` (√ of it)."""
    exact = math.log(tolerance / (1 + tolerance)) / math.log(beta)
    return {None: lambda: bias.correction_matters_for(beta, tolerance),
            "window": lambda: 1 / (1 - beta), "floor": lambda: math.floor(exact),
            "no_one_plus": lambda: math.ceil(math.log(tolerance) / math.log(beta)),
            "step_factor": lambda: math.ceil(math.log(1 - 1 / (1 + tolerance)**2) / math.log(beta)),
            }[slip]()


def functions(step, *, efficient_slip=None, unbiased=None) -> dict:
    """The four functions, built on ``step`` (Adam with bias correction, or a wrong one), with the
    efficient version's and the prediction's slips named."""
    def first_step_sizes(grads, *, lr):
        params = np.zeros(np.shape(grads))
        new_params, _ = step(params, np.asarray(grads, dtype=float), ae.adam_init(params), lr=lr,
                             eps=0.0)
        return np.abs(new_params - params)

    return {"adam_step": step, "first_step_sizes": first_step_sizes,
            "steps_until_unbiased": lambda beta, tolerance: steps_until_unbiased(beta, tolerance,
                                                                                  slip=unbiased),
            "adam_step_efficient": efficient(efficient_slip)}


_M = "m = beta1 * state.m + (1 - beta1) * grads      # m_t"      # the comments: only in adam_step
_V = "v = beta2 * state.v + (1 - beta2) * grads**2   # v_t"
_M_HAT, _V_HAT = "m_hat = m / (1 - beta1**t)", "v_hat = v / (1 - beta2**t)"
_RETURN = "    return new_params, ae.AdamState(t, m, v)"
WRITTEN = {   # each mistake as a student writes it in the solution's adam_step
    "t_never_incremented": [(_RETURN, "    return new_params, ae.AdamState(state.t, m, v)")],
    "t_from_zero": [("    t = state.t + 1\n", "    t = state.t\n")],   # nan from the first step on
    "eps_inside_sqrt": [("(np.sqrt(v_hat) + eps)", "np.sqrt(v_hat + eps)")],
    "eps_on_param": [("lr * m_hat / (np.sqrt(v_hat) + eps)", "lr * m_hat / np.sqrt(v_hat) + eps")],
    "one_minus_beta_dropped": [(_M, "m = beta1 * state.m + grads")],
    "sqrt_forgotten": [("(np.sqrt(v_hat) + eps)", "(v_hat + eps)")],
    "only_m_corrected": [(_V_HAT, "v_hat = v")],
    "betas_swapped": [(_M, "m = beta2 * state.m + (1 - beta2) * grads"),
                      (_V, "v = beta1 * state.v + (1 - beta1) * grads**2"),
                      (_M_HAT, "m_hat = m / (1 - beta2**t)"), (_V_HAT, "v_hat = v / (1 - beta1**t)")],
    "ascent": [("new_params = params - lr", "new_params = params + lr")],
    "v_from_m_squared": [(_V, "v = beta2 * state.v + (1 - beta2) * m**2")],
    "beta1_in_v": [(_V, "v = beta1 * state.v + (1 - beta1) * grads**2")],
    "hat_in_state": [(_RETURN, "    return new_params, ae.AdamState(t, m_hat, v_hat)")],
}

def _with(**slips) -> dict:
    return functions(ae.adam_step, **slips)


MISTAKES = (
    *step_mistakes(("t_never_incremented", "t_from_zero", "eps_inside_sqrt", "eps_on_param",
                    "one_minus_beta_dropped", "sqrt_forgotten", "only_m_corrected",
                    "betas_swapped", "ascent", "v_from_m_squared", "beta1_in_v", "hat_in_state"),
                   functions, correct=True, written=WRITTEN),
    mistake("no_bias_correction", [functions(make_step(correct=False))],
            [(_M_HAT, "m_hat = m"), (_V_HAT, "v_hat = v")]),
    Mistake("unbiased_window", "the window 1/(1 − β) given as the answer",
            "1/(1 − β) is the EMA's effective window; it does not depend on the tolerance. The "
            "factor is 1/(1 − β^t): find the first whole t where it is ≤ 1 + tolerance.",
            (_with(unbiased="window"),)),
    Mistake("unbiased_floor", "rounded down: one step short",
            "One step short: the t that solves the inequality exactly is not whole, and rounding "
            "it down gives a step where the factor is still above 1 + tolerance. Round up.",
            (_with(unbiased="floor"),),
            (("    return math.ceil(math.log(tolerance / (1 + tolerance)) / math.log(beta))",
              "    return math.floor(math.log(tolerance / (1 + tolerance)) / math.log(beta))"),)),
    Mistake("unbiased_no_one_plus", "β^t ≤ tolerance instead of the exact condition",
            "Close, but not exact: 1/(1 − β^t) ≤ 1 + tolerance means β^t ≤ tolerance/(1 + tolerance), "
            "not β^t ≤ tolerance (a few steps earlier).", (_with(unbiased="no_one_plus"),)),
    Mistake("unbiased_step_factor", "the step's factor √(1/(1 − β^t)) used",
            "That is when the step's factor, √(1/(1 − β2^t)), is within the tolerance. The task "
            "asks for v's own factor, 1/(1 − β^t), which needs more steps.",
            (_with(unbiased="step_factor"),)),
    Mistake("efficient_eps_on_v_hat", "ε̂ added to √v̂_t (Algorithm 1 with ε = ε̂)",
            "This is Algorithm 1 with ε̂ in place of ε. In the efficient version the corrections "
            "move into α_t = α·√(1 − β2^t)/(1 − β1^t), and ε̂ is added to √v_t, the uncorrected "
            "moment: θ_t = θ_{t−1} − α_t·m_t/(√v_t + ε̂).", (_with(efficient_slip="eps_on_v_hat"),)),
    Mistake("efficient_lr_t_inverted", "α_t's factors upside down",
            "α_t is upside down: m̂/√v̂ = m·√(1 − β2^t)/((1 − β1^t)·√v), so "
            "α_t = α·√(1 − β2^t)/(1 − β1^t).", (_with(efficient_slip="lr_t_inverted"),)),
    Mistake("efficient_lr_t_no_sqrt", "α_t without the square root",
            "v's correction sits under the square root: α_t = α·√(1 − β2^t)/(1 − β1^t), not "
            "α·(1 − β2^t)/(1 − β1^t).", (_with(efficient_slip="lr_t_no_sqrt"),),
            (("    lr_t = lr * math.sqrt(1 - beta2**t) / (1 - beta1**t)",
              "    lr_t = lr * (1 - beta2**t) / (1 - beta1**t)"),)),
)

EXERCISE = Exercise(
    "ex03", "ex03_bias_correction.ipynb", "Bias correction",
    {1: "adam_step", 2: "first_step_sizes", 3: "steps_until_unbiased", 4: "adam_step_efficient"},
    CRITERIA, functions(ae.adam_step), MISTAKES,
    MUTATED_INPUTS._replace(written=((
        "    new_params = params - lr * m_hat / (np.sqrt(v_hat) + eps)",
        "    params -= lr * m_hat / (np.sqrt(v_hat) + eps)\n    new_params = params"),)),
    uses={"first_step_sizes": ("adam_step",)})
