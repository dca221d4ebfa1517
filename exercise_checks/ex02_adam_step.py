"""Exercise 2, the Adam step without bias correction (solutions/ex02_adam_step.ipynb).

Tasks: ``adam_step_uncorrected(params, grads, state, *, lr, beta1, beta2, eps)``,
``run_bowl(x0, steps, *, lr, beta1, beta2, eps)`` and ``first_step_ratio(beta1, beta2)``.
"""
from __future__ import annotations

import numpy as np

import adam_edu as ae
from exercise_checks.adam_mistakes import MUTATED_INPUTS, make_step, step_mistakes
from grader import Criterion, Exercise, Mistake, call

STEP_NAMES = ("new_params", "new_state")
FIRST = call("adam_step_uncorrected", ("params", np.array([3.0, 4.0, -1.0])),
             ("grads", np.array([6.0, -8.0, 0.5])),
             ("state", ae.AdamState(0, np.zeros(3), np.zeros(3))), lr=0.1, eps=1e-2)
LATER = call("adam_step_uncorrected", ("params", np.array([1.0, -2.0, 0.5])),
             ("grads", np.array([0.5, -3.0, 2.0])),
             ("state", ae.AdamState(4, np.array([0.2, -0.5, 0.1]), np.array([0.04, 0.3, 0.02]))),
             lr=0.05, beta1=0.8, beta2=0.99, eps=1e-3)

CRITERIA = (
    Criterion("ex02.first_step", 1, 2, "first step from a zero state", (FIRST,), STEP_NAMES),
    Criterion("ex02.later_step", 1, 2, "a step from a state with t = 4", (LATER,), STEP_NAMES),
    Criterion("ex02.pure", 1, 1, "adam_step_uncorrected leaves its inputs unchanged", (LATER,),
              pure=True),
    Criterion("ex02.run_bowl", 2, 3, "lesson 2's x² + y² walkthrough, 151 steps from (3, 4)",
              (call("run_bowl", ("x0", np.array([3.0, 4.0])), ("steps", 151), lr=0.02,
                    beta2=0.9999),)),
    Criterion("ex02.first_step_ratio", 3, 2, "first step / lr without correction",
              tuple(call("first_step_ratio", ("beta1", 0.9), ("beta2", b)) for b in (0.999, 0.9999))),
)


def functions(step, *, drop_start=False) -> dict:
    """The three functions built on ``step`` (an uncorrected Adam step, or a wrong one)."""
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


def _uncorrected(*args, **kwargs):
    return ae.adam_step(*args, bias_correction=False, **kwargs)


MISTAKES = (
    # Before the step slips: the first corrected step ratio, 1.0, is also what dropping (1 − β)
    # from both moments gives, and a bias-corrected step is the likelier slip here.
    Mistake("corrected_too_early", "bias correction applied in exercise 2",
            "This step should have no bias correction (use m_t and v_t as they are); you divided "
            "by 1 − β^t, which is exercise 3.", (functions(make_step(correct=True)),),
            (("lr * m / (np.sqrt(v) + eps)",
              "lr * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps)"),)),
    Mistake("trajectory_without_start", "trajectory without θ_0",
            "The trajectory must start with the starting point θ_0, so it has steps + 1 rows.",
            (functions(_uncorrected, drop_start=True),),
            (("    path = [params]\n", "    path = []\n"),)),
    *step_mistakes(("t_never_incremented", "eps_inside_sqrt", "eps_on_param",
                    "one_minus_beta_dropped", "sqrt_forgotten", "betas_swapped", "ascent"),
                   functions, correct=False, written={}),
)

EXERCISE = Exercise(
    "ex02", "ex02_adam_step.ipynb", "The Adam step without bias correction",
    {1: "adam_step_uncorrected", 2: "run_bowl", 3: "first_step_ratio"}, CRITERIA,
    functions(_uncorrected), MISTAKES, MUTATED_INPUTS)
