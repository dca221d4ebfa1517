"""Exercise 2, the Adam step without bias correction (solutions/ex02_adam_step.ipynb).

Tasks: ``adam_step_uncorrected(params, grads, state, *, lr, beta1, beta2, eps)``,
``run_bowl(x0, steps, *, lr, beta1, beta2, eps)``, ``first_step_ratio(beta1, beta2)``,
``uncorrected_step(t, beta1, beta2)`` (predict, then verify) and ``fit_bowl(x0, steps, lr, ...)``
(a bug hunt in a tutorial's training loop, with a written answer).
"""
from __future__ import annotations

import functools
import math

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
    Criterion("ex02.pure", 1, 1, "a right step that leaves its inputs unchanged", (LATER,),
              pure=True),
    Criterion("ex02.run_bowl", 2, 3, "lesson 2's x² + y² walkthrough, 150 steps from (3, 4)",
              (call("run_bowl", ("x0", np.array([3.0, 4.0])), ("steps", 150), lr=0.02,
                    beta2=0.9999),)),
    Criterion("ex02.first_step_ratio", 3, 2, "first step / lr without correction",
              tuple(call("first_step_ratio", ("beta1", 0.9), ("beta2", b)) for b in (0.999, 0.9999))),
    Criterion("ex02.uncorrected_step", 4, 2, "step t / lr for a constant gradient, predicted",
              tuple(call("uncorrected_step", ("t", t), ("beta1", b1), ("beta2", b2))
                    for t, b1, b2 in ((12, 0.9, 0.999), (12, 0.9, 0.9999), (1, 0.9, 0.999),
                                      (40, 0.8, 0.99)))),
    Criterion("ex02.fit_bowl", 5, 3, "the tutorial's fit_bowl, fixed",
              (call("fit_bowl", ("x0", np.array([3.0, 4.0])), ("steps", 40), ("lr", 0.05)),
               call("fit_bowl", ("x0", np.array([-1.0, 2.0])), ("steps", 25), ("lr", 0.1),
                    beta1=0.8, beta2=0.99))),
)


def functions(step, *, drop_start=False, one_short=False, predict=None) -> dict:
    """The five functions built on ``step`` (an uncorrected Adam step, or a wrong one), with the
    trajectory slips named (θ_0 dropped, one step short) and a wrong prediction ``predict``."""
    def run_bowl(x0, steps, *, lr, beta1=0.9, beta2=0.999, eps=1e-8):
        taken = steps - 1 if one_short else steps
        path = _path(step, tuple(np.asarray(x0, dtype=float).tolist()), taken, lr, beta1, beta2, eps)
        return path[1:] if drop_start else path

    def fit_bowl(x0, steps, lr, beta1=0.9, beta2=0.999, eps=1e-8):
        return run_bowl(x0, steps, lr=lr, beta1=beta1, beta2=beta2, eps=eps)

    def uncorrected_step(t, beta1, beta2):
        if predict is not None:
            return predict(t, beta1, beta2)
        return _measured_step(step, t, beta1, beta2)

    def first_step_ratio(beta1, beta2):
        params, _ = step(np.zeros(1), np.ones(1), ae.adam_init(np.zeros(1)), lr=1.0, beta1=beta1,
                         beta2=beta2, eps=0.0)
        return float(-params[0])

    return {"adam_step_uncorrected": step, "run_bowl": run_bowl, "first_step_ratio": first_step_ratio,
            "uncorrected_step": uncorrected_step, "fit_bowl": fit_bowl}


# Cached by step function and inputs (bounded: each grading run may draw new inputs): grading
# builds many models on the same step.
@functools.lru_cache(maxsize=64)
def _path(step, x0: tuple, steps: int, lr, beta1, beta2, eps) -> np.ndarray:
    """θ_0 … θ_steps of ``step`` on x² + y² from ``x0``."""
    params = np.array(x0)
    state, path = ae.adam_init(params), [params]
    for _ in range(steps):
        params, state = step(params, 2 * params, state, lr=lr, beta1=beta1, beta2=beta2, eps=eps)
        path.append(params)
    return np.array(path)


@functools.lru_cache(maxsize=256)
def _measured_step(step, t: int, beta1, beta2) -> float:
    """|θ_t − θ_{t−1}| of ``step`` after t steps with g = 1, lr = 1, eps = 0: measured."""
    params, state = np.zeros(1), ae.adam_init(np.zeros(1))
    for _ in range(t):
        before = params
        params, state = step(params, np.ones(1), state, lr=1.0, beta1=beta1, beta2=beta2, eps=0.0)
    return float(before[0] - params[0])


def _uncorrected(*args, **kwargs):
    return ae.adam_step(*args, bias_correction=False, **kwargs)


def _tutorial(*flags, drop_start=False) -> dict:
    """The reference with only fit_bowl wrong: the tutorial's bugs left in."""
    wrong = functions(make_step(flags, correct=False), drop_start=drop_start)
    return dict(functions(_uncorrected), fit_bowl=wrong["fit_bowl"])


def _predicts(formula) -> dict:
    return functions(_uncorrected, predict=formula)


MISTAKES = (
    # Before the step slips: the first corrected step ratio, 1.0, is also what dropping (1 − β)
    # from both moments gives, and a bias-corrected step is the likelier slip here.
    Mistake("corrected_too_early", "bias correction applied in exercise 2",
            "This step should have no bias correction (use m_t and v_t as they are); you divided "
            "by 1 − β^t, which is exercise 3.", (functions(make_step(correct=True)),),
            (("params - lr * m / (np.sqrt(v) + eps)",
              "params - lr * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps)"),)),
    Mistake("trajectory_without_start", "trajectory without θ_0",
            "The trajectory has no θ_0: it must start with the starting point, then θ_1 … θ_T, so "
            "it has steps + 1 rows (θ_t is the point after step t). Put θ_0 in the list before "
            "the loop.",
            (functions(_uncorrected, drop_start=True),),
            (("    path = [params]\n", "    path = []\n"),)),
    Mistake("trajectory_one_short", "trajectory one step short",
            "The trajectory stops one step short: it has θ_0 but ends at θ_{T−1}. The loop must "
            "take all `steps` steps (range(steps)), giving steps + 1 points θ_0 … θ_T.",
            (functions(_uncorrected, one_short=True),),
            (("    for _ in range(steps):\n        params, state = adam_step_uncorrected(",
              "    for _ in range(steps - 1):\n        params, state = adam_step_uncorrected("),)),
    Mistake("fit_bowl_unchanged", "both of the tutorial's bugs left in fit_bowl",
            "This is still the tutorial's fit_bowl with both of its bugs: count the points a run "
            "of `steps` steps should return, and check the size of the first step against "
            "(1 − β1)/√(1 − β2)·lr.", (_tutorial("v_from_m_squared", drop_start=True),),
            (("    history = [x]\n", "    history = []\n"), ("(1 - beta2) * g**2", "(1 - beta2) * m**2"))),
    *step_mistakes(("t_never_incremented", "eps_inside_sqrt", "eps_on_param",
                    "one_minus_beta_dropped", "sqrt_forgotten", "betas_swapped", "ascent",
                    "v_from_m_squared", "beta1_in_v"),
                   functions, correct=False,
                   written={"v_from_m_squared": [("(1 - beta2) * grads**2", "(1 - beta2) * m**2")],
                            "beta1_in_v": [("v = beta2 * state.v + (1 - beta2) * grads**2",
                                            "v = beta1 * state.v + (1 - beta1) * grads**2")]}),
    Mistake("prediction_first_step", "the first step's size given for every t",
            "(1 − β1)/√(1 − β2) is the size of step 1 only. With a constant gradient the "
            "uncorrected m_t and v_t keep growing toward g and g², at different speeds, so the "
            "step changes with t: find m_t and v_t after t steps (geometric series).",
            (_predicts(lambda t, b1, b2: (1 - b1) / math.sqrt(1 - b2)),),
            (("    return (1 - beta1**t) / math.sqrt(1 - beta2**t)",
              "    return (1 - beta1) / math.sqrt(1 - beta2)"),)),
    Mistake("prediction_no_sqrt", "v's factor used without its square root",
            "The step divides by √v_t, so v's factor 1 − β2^t enters under a square root: "
            "(1 − β1^t)/√(1 − β2^t), not (1 − β1^t)/(1 − β2^t).",
            (_predicts(lambda t, b1, b2: (1 - b1**t) / (1 - b2**t)),)),
    Mistake("prediction_corrected", "the bias-corrected step predicted",
            "1 is the size of a bias-corrected step for a constant gradient. This task asks for "
            "the uncorrected one, m_t/√v_t with m_t = (1 − β1^t)·g and v_t = (1 − β2^t)·g².",
            (_predicts(lambda t, b1, b2: 1.0),)),
)

EXERCISE = Exercise(
    "ex02", "ex02_adam_step.ipynb", "The Adam step without bias correction",
    {1: "adam_step_uncorrected", 2: "run_bowl", 3: "first_step_ratio", 4: "uncorrected_step",
     5: "fit_bowl"}, CRITERIA, functions(_uncorrected), MISTAKES, MUTATED_INPUTS,
    uses={"run_bowl": ("adam_step_uncorrected",), "first_step_ratio": ("adam_step_uncorrected",),
          "uncorrected_step": ("adam_step_uncorrected",)},
    questions={5: "which bugs did you find in the tutorial's fit_bowl, and how did each show?"})
