"""What each exercise's checks call, with inputs the grader chooses, as plain JSON-ready data.

A call is ``{"fn": name, "args": [[arg_name, value], ...], "kwargs": {...}}``; an array is written
``{"array": [...]}`` and an Adam state ``{"adam_state": {"t": ..., "m": [...], "v": [...]}}``. A loop
``{"loop": "bowl", "fn": ..., "x0": [...], "steps": n, "kwargs": {...}}`` feeds each returned state
into the next call with the gradient of x² + y². The same calls run on the student's functions (in the
student's process) and on the reference and the mistake models (in the grader's).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

import adam_edu as ae


class Check(NamedTuple):
    """One graded property of one task."""

    id: str               # "ex03.first_step"
    task: int
    points: int
    title: str
    calls: tuple          # call specs, each graded in turn
    names: tuple = ()     # labels of the parts of a returned tuple, e.g. ("new_params", "new_state")
    pure: bool = False    # graded only on "returns without error and modifies no input"


class Exercise(NamedTuple):
    """One notebook: its title, the lesson it practises, its tasks and checks."""

    name: str
    title: str
    lesson: str
    tasks: dict           # task number -> function name
    checks: tuple


def arr(values) -> dict:
    return {"array": np.asarray(values, dtype=float).tolist()}


def adam_state(t, m, v) -> dict:
    return {"adam_state": {"t": t, "m": list(map(float, m)), "v": list(map(float, v))}}


def call(fn, *args, **kwargs) -> dict:
    return {"fn": fn, "args": [list(pair) for pair in args], "kwargs": kwargs}


STEP_NAMES = ("new_params", "new_state")
_rng = np.random.default_rng(4)
NOISY_VALUES = np.round(1.0 + _rng.standard_normal(10), 3)
_trajectory = ae.run("adam", ae.noisy(ae.bowl(), sigma=2.0, seed=4), steps=60, lr=0.2)
RECORDED = np.round(_trajectory.params, 6)

_first = call("adam_step", ("params", arr([3.0, 4.0, -1.0])), ("grads", arr([6.0, -8.0, 0.5])),
              ("state", adam_state(0, [0, 0, 0], [0, 0, 0])), lr=0.1, eps=1e-2)
_later = call("adam_step", ("params", arr([1.0, -2.0, 0.5])), ("grads", arr([0.5, -3.0, 2.0])),
              ("state", adam_state(4, [0.2, -0.5, 0.1], [0.04, 0.3, 0.02])), lr=0.05, beta1=0.8,
              beta2=0.99, eps=1e-3)
_loop = {"loop": "bowl", "fn": "adam_step", "x0": [3.0, 4.0], "steps": 10, "kwargs": {"lr": 0.1}}


def _uncorrected(spec: dict) -> dict:
    return dict(spec, fn="adam_step_uncorrected")


_moments = call("update_moments", ("m", arr([0.1, -0.2])), ("v", arr([0.01, 0.05])),
                ("grads", arr([0.5, -1.5])), beta1=0.9, beta2=0.99)
_diag = (("m", arr([0.3, -0.2, 0.05])), ("v", arr([0.09, 0.5, 0.0025])))

EXERCISES = {
    "ex01": Exercise("ex01", "Moments and the exponential moving average", "01_math_of_adam",
                     {1: "ema", 2: "update_moments", 3: "half_life"}, (
        Check("ex01.ema_constant", 1, 2, "EMA of a constant sequence climbs from 0 toward it",
              (call("ema", ("values", arr([1.0] * 6)), ("beta", 0.5)),)),
        Check("ex01.ema_noisy", 1, 2, "EMA of a noisy sequence",
              (call("ema", ("values", arr(NOISY_VALUES)), ("beta", 0.8)),)),
        Check("ex01.ema_pure", 1, 1, "ema leaves its input unchanged",
              (call("ema", ("values", arr(NOISY_VALUES)), ("beta", 0.8)),), pure=True),
        Check("ex01.moments", 2, 2, "update_moments returns m_t and v_t", (_moments,), ("m", "v")),
        Check("ex01.moments_pure", 2, 1, "update_moments leaves its inputs unchanged", (_moments,),
              pure=True),
        Check("ex01.half_life", 3, 2, "half-life of the EMA for three betas",
              tuple(call("half_life", ("beta", b)) for b in (0.9, 0.99, 0.999))),
    )),
    "ex02": Exercise("ex02", "The Adam step without bias correction", "02_xy_walkthrough",
                     {1: "adam_step_uncorrected", 2: "run_bowl", 3: "first_step_ratio"}, (
        Check("ex02.first_step", 1, 2, "first step from a zero state", (_uncorrected(_first),),
              STEP_NAMES),
        Check("ex02.later_step", 1, 2, "a step from a state with t = 4", (_uncorrected(_later),),
              STEP_NAMES),
        Check("ex02.pure", 1, 1, "adam_step_uncorrected leaves its inputs unchanged",
              (_uncorrected(_later),), pure=True),
        Check("ex02.run_bowl", 2, 3, "lesson 2's x² + y² walkthrough, 151 steps from (3, 4)",
              (call("run_bowl", ("x0", arr([3.0, 4.0])), ("steps", 151), lr=0.02, beta2=0.9999),)),
        Check("ex02.first_step_ratio", 3, 2, "first step / lr without correction",
              tuple(call("first_step_ratio", ("beta1", 0.9), ("beta2", b)) for b in (0.999, 0.9999))),
    )),
    "ex03": Exercise("ex03", "Bias correction", "03_bias_correction",
                     {1: "adam_step", 2: "first_step_sizes"}, (
        Check("ex03.first_step", 1, 2, "first step from a zero state", (_first,), STEP_NAMES),
        Check("ex03.later_step", 1, 2, "a step from a state with t = 4", (_later,), STEP_NAMES),
        Check("ex03.ten_steps", 1, 2, "ten steps on x² + y², each state fed into the next call",
              (_loop,)),
        Check("ex03.pure", 1, 1, "adam_step leaves its inputs unchanged", (_later,), pure=True),
        Check("ex03.first_step_sizes", 2, 3, "the first step moves every coordinate by lr",
              (call("first_step_sizes", ("grads", arr([1e-3, -5.0, 200.0, 0.3])), lr=0.05),
               call("first_step_sizes", ("grads", arr([-2.0, 7.0])), lr=1.0))),
    )),
    "ex04": Exercise("ex04", "The effective step and the signal-to-noise ratio", "04_snr_annealing",
                     {1: "effective_step", 2: "snr", 3: "step_bound", 4: "largest_step"}, (
        Check("ex04.effective_step", 1, 3, "effective step at t = 7 and at t = 1",
              (call("effective_step", *_diag, ("t", 7), lr=0.01, eps=1e-3),
               call("effective_step", *_diag, ("t", 1), lr=0.01, beta1=0.8, beta2=0.99, eps=1e-3))),
        Check("ex04.snr", 2, 2, "SNR at t = 7 and at t = 2",
              (call("snr", *_diag, ("t", 7)), call("snr", *_diag, ("t", 2), beta1=0.8, beta2=0.99))),
        Check("ex04.snr_zero", 2, 1, "SNR is 0 where v̂ = 0",
              (call("snr", ("m", arr([0.0, 0.4])), ("v", arr([0.0, 0.16])), ("t", 3)),)),
        Check("ex04.step_bound", 3, 2, "the paper's step bound for four pairs of betas",
              tuple(call("step_bound", ("lr", 0.01), ("beta1", b1), ("beta2", b2))
                    for b1, b2 in ((0.9, 0.999), (0.9, 0.9999), (0.5, 0.999), (0.9, 0.9)))),
        Check("ex04.largest_step", 4, 2, "largest step of a recorded noisy trajectory",
              (call("largest_step", ("params", arr(RECORDED))),)),
    )),
}


def max_points(exercise: str) -> int:
    """Total points of ``exercise``."""
    return sum(check.points for check in EXERCISES[exercise].checks)
