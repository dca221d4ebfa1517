"""Exercise 3, bias correction (solutions/ex03_bias_correction.ipynb).

Tasks: ``adam_step(params, grads, state, *, lr, beta1, beta2, eps)`` with bias correction, and
``first_step_sizes(grads, *, lr)``, the first-step fact.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

import adam_edu as ae
from exercise_checks.adam_mistakes import MUTATED_INPUTS, make_step, mistake, step_mistakes
from exercise_checks.ex02_adam_step import STEP_NAMES
from grader import Call, Criterion, Exercise, call
from grader.compare import path_text, show

FIRST = call("adam_step", ("params", np.array([3.0, 4.0, -1.0])), ("grads", np.array([6.0, -8.0, 0.5])),
             ("state", ae.AdamState(0, np.zeros(3), np.zeros(3))), lr=0.1, eps=1e-2)
LATER = call("adam_step", ("params", np.array([1.0, -2.0, 0.5])), ("grads", np.array([0.5, -3.0, 2.0])),
             ("state", ae.AdamState(4, np.array([0.2, -0.5, 0.1]), np.array([0.04, 0.3, 0.02]))),
             lr=0.05, beta1=0.8, beta2=0.99, eps=1e-3)


class BowlRun(NamedTuple):
    params: list     # θ_0, θ_1, ..., as plain lists
    t: list          # new_state.t after each step


def bowl_run(step, x0, steps, **kwargs) -> BowlRun:
    """``steps`` calls of ``step`` on x² + y² from ``x0``, each returned state fed into the next."""
    params = np.array(x0, dtype=float)
    state, path, t = ae.adam_init(params), [params.tolist()], []
    for _ in range(steps):
        params, state = step(params, 2 * np.asarray(params), state, **kwargs)
        path.append(np.asarray(params, dtype=float))
        t.append(getattr(state, "t", None))
    return BowlRun(path, t)


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
    Criterion("ex03.pure", 1, 1, "adam_step leaves its inputs unchanged", (LATER,), pure=True),
    Criterion("ex03.first_step_sizes", 2, 3, "the first step moves every coordinate by lr",
              (call("first_step_sizes", ("grads", np.array([1e-3, -5.0, 200.0, 0.3])), lr=0.05),
               call("first_step_sizes", ("grads", np.array([-2.0, 7.0])), lr=1.0))),
)


def functions(step) -> dict:
    """The two functions built on ``step`` (Adam with bias correction, or a wrong one)."""
    def first_step_sizes(grads, *, lr):
        params = np.zeros(np.shape(grads))
        new_params, _ = step(params, np.asarray(grads, dtype=float), ae.adam_init(params), lr=lr,
                             eps=0.0)
        return np.abs(new_params - params)

    return {"adam_step": step, "first_step_sizes": first_step_sizes}


_M, _V = "m = beta1 * state.m + (1 - beta1) * grads", "v = beta2 * state.v + (1 - beta2) * grads**2"
_M_HAT, _V_HAT = "m_hat = m / (1 - beta1**t)", "v_hat = v / (1 - beta2**t)"
_RETURN = "    return new_params, ae.AdamState(t, m, v)"
WRITTEN = {   # each mistake as a student writes it in the solution's adam_step
    "t_never_incremented": [(_RETURN, "    return new_params, ae.AdamState(state.t, m, v)")],
    "t_from_zero": [("    t = state.t + 1\n", "    t = state.t\n"),
                    (_RETURN, "    return new_params, ae.AdamState(t + 1, m, v)")],
    "eps_inside_sqrt": [("(np.sqrt(v_hat) + eps)", "np.sqrt(v_hat + eps)")],
    "eps_on_param": [("lr * m_hat / (np.sqrt(v_hat) + eps)", "lr * m_hat / np.sqrt(v_hat) + eps")],
    "one_minus_beta_dropped": [(_M, "m = beta1 * state.m + grads")],
    "sqrt_forgotten": [("(np.sqrt(v_hat) + eps)", "(v_hat + eps)")],
    "only_m_corrected": [(_V_HAT, "v_hat = v")],
    "betas_swapped": [(_M, "m = beta2 * state.m + (1 - beta2) * grads"),
                      (_V, "v = beta1 * state.v + (1 - beta1) * grads**2"),
                      (_M_HAT, "m_hat = m / (1 - beta2**t)"), (_V_HAT, "v_hat = v / (1 - beta1**t)")],
    "ascent": [("new_params = params - lr", "new_params = params + lr")],
}

MISTAKES = (
    *step_mistakes(("t_never_incremented", "t_from_zero", "eps_inside_sqrt", "eps_on_param",
                    "one_minus_beta_dropped", "sqrt_forgotten", "only_m_corrected",
                    "betas_swapped", "ascent"), functions, correct=True, written=WRITTEN),
    mistake("no_bias_correction", [functions(make_step(correct=False))],
            [(_M_HAT, "m_hat = m"), (_V_HAT, "v_hat = v")]),
)

EXERCISE = Exercise(
    "ex03", "ex03_bias_correction.ipynb", "Bias correction", {1: "adam_step", 2: "first_step_sizes"},
    CRITERIA, functions(ae.adam_step), MISTAKES,
    MUTATED_INPUTS._replace(written=((_M, "m = state.m\n    m *= beta1\n    m += (1 - beta1) * grads"),)))
