"""Exercise 5, a fair race and what turning the valley does (solutions/ex05_family.ipynb).

Tasks: ``steps_to_tolerance(losses, tol)``, ``best_lr(name, objective, x0, grid, *, steps, tol)``,
``rotation_invariant(name)`` and ``turns_with_problem(name, degrees, *, lr, steps)``. The reference
is the library's: :func:`adam_edu.steps_to_tolerance`, :func:`adam_edu.tune_lr` and
:func:`adam_edu.race.race` on :func:`adam_edu.race.valley`.
"""
from __future__ import annotations

import math

import numpy as np

import adam_edu as ae
import adam_edu.race as race_module
from adam_edu.race import race, rotation, valley
from exercise_checks.adam_mistakes import MUTATED_INPUTS
from grader import Call, Criterion, Exercise, Mistake, call

NAMES = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "amsgrad", "adamax")
_VALLEY = ("valley", 100, 30)                 # an objective travels as its recipe (see tune_on)
_GRID = [2.0**k for k in range(-8, 1)]        # 2^-8 ... 1
_losses = lambda *values: ("losses", np.array(values, dtype=float))


def tune_on(fn, name, objective, x0, grid, **kwargs):
    """Call ``fn`` (a student's best_lr) on the objective that ``objective`` names: ("bowl",) or
    ("valley", kappa, degrees). An objective holds functions, which cannot travel to the sandbox
    as data, so the sandbox builds it from its recipe (this function runs there from its source,
    with numpy and adam_edu only; see grader.wire.driver)."""
    kind, *numbers = objective
    made = ae.bowl() if kind == "bowl" else race_module.valley(*numbers)
    return fn(name, made, x0, grid, **kwargs)


def best_lr_call(name, objective, grid, x0=None, **kwargs) -> Call:
    """best_lr(name, <objective>, x0, grid, ...), driven by :func:`tune_on`."""
    kind, *numbers = objective
    made = f"ae.{kind}()" if kind == "bowl" else f"valley({', '.join(map(str, numbers))})"
    text = (f"best_lr({name!r}, {made}, {x0}, {grid}, "
            f"{', '.join(f'{k}={v!r}' for k, v in kwargs.items())})")
    return Call("best_lr", (("name", name), ("objective", objective), ("x0", x0), ("grid", grid)),
                kwargs, tune_on, text)

CRITERIA = (
    Criterion("ex05.first_below", 1, 2, "first step below a relative tolerance",
              (call("steps_to_tolerance", _losses(8, 4, 1, 0.5, 0.4, 2), ("tol", 0.2)),
               call("steps_to_tolerance", _losses(100, 50, 5, 20), ("tol", 0.1)),
               call("steps_to_tolerance", _losses(3, 2, 1, 0.1), ("tol", 0.5)))),
    Criterion("ex05.never_below", 1, 1, "None when the tolerance is never reached",
              (call("steps_to_tolerance", _losses(8, 4, 1, 0.5, 2), ("tol", 0.01)),
               call("steps_to_tolerance", _losses(10, 5, 2), ("tol", 0.1)),
               call("steps_to_tolerance", _losses(10, 5, 0.05), ("tol", 0.1)))),   # and reached
    Criterion("ex05.diverged", 1, 1, "inf and nan are never below the tolerance",
              (call("steps_to_tolerance", _losses(4, math.inf, math.nan, 1e-4), ("tol", 1e-3)),)),
    Criterion("ex05.best_lr", 2, 3, "tuned α for GD and Adam on a turned valley",
              tuple(best_lr_call(name, _VALLEY, list(_GRID), steps=1000, tol=1e-6)
                    for name in ("sgd", "adam"))),
    Criterion("ex05.best_lr_ties", 2, 1, "a tie goes to the larger α, in any grid order",
              tuple(best_lr_call("sgd", ("bowl",), grid, [0.6, 0.8], steps=10, tol=0.2)
                    for grid in ([0.4, 0.6], [0.6, 0.4]))),   # each α: one step, in every draw
    Criterion("ex05.best_lr_none", 2, 1, "None when no α reaches the tolerance",
              (best_lr_call("sgd", _VALLEY, [1e-5, 2e-5], steps=50, tol=1e-6),
               best_lr_call("sgd", ("bowl",), [1e-5, 0.4], [0.6, 0.8], steps=10, tol=0.2))),
    Criterion("ex05.rotation_invariant", 3, 2, "which optimizers turn with the problem",
              tuple(call("rotation_invariant", ("name", name)) for name in NAMES)),
    Criterion("ex05.turns_with_problem", 4, 2, "the rotation experiment, 20° to 45°",
              tuple(call("turns_with_problem", ("name", name), ("degrees", degrees), lr=0.01,
                         steps=100)
                    for name, degrees in (("sgd", 30), ("momentum", 45), ("adam", 30),
                                          ("adagrad", 20)))),
)


def functions(*, absolute=False, shift=0, last=False, never=None, ties="larger",
              invariant=("sgd", "momentum", "nesterov"), start_turned=True) -> dict:
    """The four task functions, written with the given slips (the defaults are correct)."""
    def steps_to_tolerance(losses, tol):
        losses = np.asarray(losses, dtype=float)
        with np.errstate(invalid="ignore"):
            below = np.flatnonzero(losses < (tol if absolute else tol * losses[0]))
        if not below.size:
            return never
        return int(below[-1] if last else below[0]) + shift

    def best_lr(name, objective, x0, grid, *, steps, tol):
        reached = []
        for lr in grid:
            traj = ae.run(name, objective, x0, steps=steps, lr=lr, on_nonfinite="stop")
            t = steps_to_tolerance(traj.loss, tol)
            if t is not None:
                reached.append((t, -lr if ties == "larger" else lr))
        if not reached:
            return None
        best = min(reached)[1]
        return -best if ties == "larger" else best

    def rotation_invariant(name):
        return name in invariant

    def turns_with_problem(name, degrees, *, lr, steps):
        start = None if start_turned else [-4.0, 2.0]
        flat = ae.run(name, valley(100, 0), steps=steps, lr=lr).params
        turned = ae.run(name, valley(100, degrees), start, steps=steps, lr=lr).params
        return bool(np.abs(turned - flat @ rotation(degrees).T).max() <= 1e-9)

    return {"steps_to_tolerance": steps_to_tolerance, "best_lr": best_lr,
            "rotation_invariant": rotation_invariant, "turns_with_problem": turns_with_problem}


def _reference() -> dict:
    """The library's answers: tuning.steps_to_tolerance and tune_lr, race() for the rotation."""
    def best_lr(name, objective, x0, grid, *, steps, tol):
        return ae.tune_lr(name, objective, x0, grid, steps=steps, tol=tol).lr

    def turns_with_problem(name, degrees, *, lr, steps):
        _, path = race(name, [valley(100, 0), valley(100, degrees)], [lr], steps=steps, keep=True)
        return bool(np.abs(path[:, 1, 0] - path[:, 0, 0] @ rotation(degrees).T).max() <= 1e-9)

    def rotation_invariant(name):     # the experiment at three angles that are not 90°
        return all(turns_with_problem(name, d, lr=0.01, steps=100) for d in (15, 30, 45))

    return {"steps_to_tolerance": ae.steps_to_tolerance, "best_lr": best_lr,
            "rotation_invariant": rotation_invariant, "turns_with_problem": turns_with_problem}


_SOLVED_BELOW = "below = np.flatnonzero(losses < tol * losses[0])"
MISTAKES = (
    Mistake("tolerance_absolute", "tolerance compared with 0, not with losses[0]",
            "The tolerance is relative: reached means losses[t] < tol · losses[0], a fraction of the "
            "starting loss. Comparing with tol alone makes the finish line depend on the loss's "
            "units (multiply the loss by 1000 and the race changes).",
            (functions(absolute=True),), ((_SOLVED_BELOW, "below = np.flatnonzero(losses < tol)"),)),
    Mistake("off_by_one", "off by one",
            "losses[0] is f(θ_0), before any step, so the index of losses is the step count t: "
            "return the index itself, not one more or one less (did you search losses[1:] and "
            "forget to add 1 back, or add 1 twice?).",
            (functions(shift=1), functions(shift=-1)),
            (("return int(below[0]) if below.size else None",
              "return int(below[0]) + 1 if below.size else None"),)),
    Mistake("last_below", "the last step below, not the first",
            "The finish line is the first time the loss goes below the tolerance. A fixed-α Adam run "
            "can dip below and come back up, so the last index is not the same thing.",
            (functions(last=True),)),
    Mistake("never_is_zero", "0 or -1 instead of None",
            "When no step reaches the tolerance, return None: 0 (or -1) reads as a step count, and "
            "0 steps would be the best possible score.",
            (functions(never=0), functions(never=-1))),
    Mistake("ties_smaller", "ties broken toward the smaller α",
            "On a tie in steps, return the larger α: with the same steps, the larger α is the one "
            "that is not held back by its step size (and the lesson's rule). Sort by (steps, −α), "
            "not (steps, α), and do not rely on the order of the grid.",
            (functions(ties="smaller"),),
            (("reached.append((t, -lr))", "reached.append((t, lr))"),
             ("return -min(reached)[1] if reached else None",
              "return min(reached)[1] if reached else None"))),
    Mistake("all_invariant", "every optimizer predicted to turn with the problem",
            "Turning maps every gradient g to Rg. GD, momentum and Nesterov only add and scale "
            "gradients by numbers, so their paths turn too. AdaGrad, RMSProp, Adam, AMSGrad and "
            "AdaMax divide coordinate by coordinate, and (Rg)² per coordinate is not R(g²): they "
            "do not turn (except by 90°, a swap of coordinates).",
            (functions(invariant=NAMES),),
            (('return name in ("sgd", "momentum", "nesterov")', "return True"),)),
    Mistake("invariance_reversed", "invariant and not invariant swapped",
            "It is the other way round: the per-coordinate methods (AdaGrad, RMSProp, Adam, AMSGrad, "
            "AdaMax) are the ones that do not turn with the problem; GD, momentum and Nesterov do.",
            (functions(invariant=NAMES[3:]),)),
    Mistake("start_not_turned", "the problem turned but not the start",
            "Turn the start with the problem: valley(100, degrees).x0 is already R·(−4, 2), so pass "
            "None (or that x0). From the unturned start (−4, 2) even GD's path is not the turned "
            "path, because it is a different problem.",
            (functions(start_turned=False),),
            (("turned = ae.run(name, valley(100, degrees), steps=steps, lr=lr).params",
              "turned = ae.run(name, valley(100, degrees), [-4.0, 2.0], steps=steps,\n"
              "                    lr=lr).params"),)),
)

EXERCISE = Exercise(
    "ex05", "ex05_family.ipynb", "A fair race, and what turning the valley does",
    {1: "steps_to_tolerance", 2: "best_lr", 3: "rotation_invariant", 4: "turns_with_problem"},
    CRITERIA, _reference(), MISTAKES, MUTATED_INPUTS)
