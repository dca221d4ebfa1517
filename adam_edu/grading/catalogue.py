"""The catalogue of typical wrong implementations, each with the hint a student sees.

Every entry here has a model (a deliberately wrong function in :mod:`adam_edu.grading.models`); when a
student's answer equals what a model returns on the grader's inputs, the feedback names that mistake.
The first ten are the mistakes FACTS.md lists from well-known material; the rest are smaller slips
that the exercises make likely. ``tests/test_grader.py`` proves each one is caught with its hint.
"""
from __future__ import annotations

from typing import NamedTuple


class Mistake(NamedTuple):
    """One misconception: a short title and the hint that explains it."""

    title: str
    hint: str


MISTAKES = {
    "t_never_incremented": Mistake(
        "the step counter t is never incremented",
        "The step counter t is never incremented: the state you return has the same t as the one you "
        "got, so every step is bias-corrected as if it were step 1 (later steps end up a factor "
        "√(1 − β2)/(1 − β1) ≈ 0.316 too small with the default betas). Return AdamState(t, m, v) "
        "with t = state.t + 1."),
    "t_from_zero": Mistake(
        "bias correction uses t starting at 0",
        "The bias correction uses t before it is incremented (t starting at 0, or a 0-based data "
        "index): at the first step "
        "1 − β^0 = 0, a division by zero (inf, nan or ZeroDivisionError). Increment first, "
        "t = state.t + 1, then divide by 1 − β^t."),
    "eps_inside_sqrt": Mistake(
        "ε inside the square root",
        "ε is inside the square root: you computed √(v̂ + ε). Adam (Algorithm 1, and PyTorch) adds it "
        "outside: m̂ / (√v̂ + ε)."),
    "eps_on_param": Mistake(
        "ε added to the parameter",
        "ε is added to the parameter instead of the denominator (misplaced parentheses): write "
        "θ − α·m̂ / (√v̂ + ε), not θ − α·m̂/√v̂ + ε."),
    "one_minus_beta_dropped": Mistake(
        "the (1 − β) factor dropped from a moment update",
        "The (1 − β) factor is missing from a moment update: m_t = β1·m_{t−1} + (1 − β1)·g_t and "
        "v_t = β2·v_{t−1} + (1 − β2)·g_t². Without it the moments are growing sums, not averages."),
    "sqrt_forgotten": Mistake(
        "√ forgotten",
        "The square root is missing: divide by √v̂ + ε, not by v̂ + ε. v̂ averages squared "
        "gradients; its root has the units of the gradient, which is what makes the step about α."),
    "only_m_corrected": Mistake(
        "only m bias-corrected",
        "Only m is bias-corrected: v̂_t = v_t / (1 − β2^t) is needed too. Without it √v_t is too small "
        "early on and the first steps are up to 1/√(1 − β2) ≈ 31.6 times too large."),
    "betas_swapped": Mistake(
        "β1 and β2 swapped",
        "β1 and β2 are swapped: β1 (0.9) belongs to the first moment m, the average of g; β2 (0.999) "
        "to the second moment v, the average of g²."),
    "ascent": Mistake(
        "ascent instead of descent",
        "The step goes uphill: Adam subtracts, θ_t = θ_{t−1} − α·m̂_t / (√v̂_t + ε)."),
    "mutated_inputs": Mistake(
        "inputs modified in place",
        "Your function modified its inputs in place. A step must return new arrays and leave params, "
        "grads and the state as they were (write m = beta1 * state.m + ..., not state.m *= beta1): "
        "a lesson that starts three optimizers from the same params would otherwise be corrupted."),
    # Smaller slips, specific to one exercise.
    "ema_from_first_value": Mistake(
        "EMA started at the first value",
        "Your average starts from the first value; Adam's starts from m_0 = 0 (and that start at zero "
        "is exactly the bias that lesson 3 corrects)."),
    "ema_weights_swapped": Mistake(
        "EMA weights swapped",
        "The weights are swapped: the old average keeps the weight β and the new value gets (1 − β), "
        "m_t = β·m_{t−1} + (1 − β)·x_t."),
    "v_not_squared": Mistake(
        "v averages g instead of g²",
        "v must average the squared gradients: v_t = β2·v_{t−1} + (1 − β2)·g_t²."),
    "half_life_is_window": Mistake(
        "half-life taken as 1/(1 − β)",
        "1/(1 − β) is the effective window, not the half-life. The half-life h solves β^h = 1/2, so "
        "h = ln(1/2)/ln(β): 6.6 steps for β = 0.9, not 10."),
    "corrected_too_early": Mistake(
        "bias correction applied in exercise 2",
        "This step should have no bias correction (use m_t and v_t as they are); you divided by "
        "1 − β^t, which is exercise 3."),
    "no_bias_correction": Mistake(
        "no bias correction",
        "There is no bias correction: divide m_t by 1 − β1^t and v_t by 1 − β2^t, with t the new "
        "step count. Without it the first step is α(1 − β1)/√(1 − β2) ≈ 3.16α instead of α."),
    "trajectory_without_start": Mistake(
        "trajectory without θ_0",
        "The trajectory must start with the starting point θ_0, so it has steps + 1 rows."),
    "snr_zero_over_zero": Mistake(
        "0/0 left as nan",
        "Where v̂ = 0 (a coordinate whose gradients were all 0) the SNR must be 0, not nan: there is "
        "no signal. Divide only where v̂ > 0, e.g. np.divide(..., out=np.zeros_like(m), where=...)."),
    "bound_one_case": Mistake(
        "step bound without its second case",
        "The paper's bound has two cases: α(1 − β1)/√(1 − β2) when (1 − β1) > √(1 − β2), and α "
        "otherwise."),
    "bound_always_lr": Mistake(
        "step bound always α",
        "The paper's bound is α only when (1 − β1) ≤ √(1 − β2); otherwise it is "
        "α(1 − β1)/√(1 − β2) (3.16α with the default betas)."),
    "step_sign_kept": Mistake(
        "signed steps compared",
        "The largest step is the largest |θ_t − θ_{t−1}|: take the absolute value before the max, "
        "or a large negative step is missed."),
    "step_from_start": Mistake(
        "distance from θ_0 instead of the step",
        "A step is θ_t − θ_{t−1}, between consecutive points (np.diff), not the distance θ_t − θ_0."),
}
