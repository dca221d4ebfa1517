"""Lesson 7 playground: Reddi et al.'s online problem, where Adam can converge to the worst point.

f_t(x) = C·x when t mod p = 1, else −x, on [−1, 1], with α_t = α/√t. Left: x_t over 5·10⁴ steps
(log time). Right: the last three periods of v_t and of the v̂ the step divides by (both over C²):
Adam's v̂ forgets the rare large gradient within a few steps when β2 is small, so the rare step
that points the right way is divided by a large √v̂ only briefly; AMSGrad's maximum keeps it.
Taught in lessons/07_when_adam_fails.ipynb.
"""
from __future__ import annotations

import numpy as np

from adam_edu import online
from adam_edu.plots import PALETTE
from adam_edu.widgets import Playground

STEPS = 50_000
SHOWN = 1000                                  # points of the x_t curve, spaced evenly in log t
DEFAULTS = dict(rule="adam", C=3.0, period=3, beta1=0.0, beta2=0.1, lr=0.5)


def playground_run(rule, C, period, beta1, beta2, lr, steps=STEPS):
    """The run the playground shows (and the lesson checks)."""
    problem = online.Problem(float(C), 1.0, period=int(period))
    return online.run(problem, steps, lr=lr, beta1=beta1, beta2=beta2, rule=rule)


class FailurePlayground(Playground):
    """x_t of Adam or an AMSGrad variant on the online problem, and what v̂ remembers."""

    figure_description = (
        "Left: x_t, the point the chosen rule plays, against step t on a log axis, inside [-1, 1], "
        "with dashed lines at the best point -1 (green) and the worst point +1 (vermillion). "
        "Right, over the last three periods on a log scale, in units of C²: v_t (orange, dashed) "
        "and the v̂_t the step divides by (blue, solid); a rare large gradient makes v jump, then "
        "it decays until the next one.")

    def controls(self) -> dict:
        import ipywidgets as w

        style = {"description_width": "initial"}
        pick = dict(style=style, continuous_update=True)
        return {
            "rule": w.Dropdown(options=[(text.split(":")[0], key) for key, text in online.RULES.items()],
                               value=DEFAULTS["rule"], description="optimizer", style=style),
            "C": w.SelectionSlider(options=[1.5, 2.5, 3.0, 5.0, 10.0, 30.0, 101.0, 1001.0],
                                   value=DEFAULTS["C"], description="rare gradient C", **pick),
            "period": w.SelectionSlider(options=[3, 5, 11, 101, 1001], value=DEFAULTS["period"],
                                        description="period p", **pick),
            "beta1": w.SelectionSlider(options=[0.0, 0.5, 0.9, 0.99], value=DEFAULTS["beta1"],
                                       description="β1", **pick),
            "beta2": w.SelectionSlider(options=[0.1, 0.5, 0.9, 0.99, 0.999],
                                       value=DEFAULTS["beta2"], description="β2", **pick),
            "lr": w.SelectionSlider(options=[0.05, 0.1, 0.5, 1.0], value=DEFAULTS["lr"],
                                    description="α (α_t = α/√t)", **pick),
        }

    def draw(self, fig) -> None:
        left, right = fig.subplots(1, 2)
        self.shown = np.unique(np.geomspace(1, STEPS, SHOWN).astype(int)) - 1
        (self.path,) = left.plot(self.shown + 1, np.zeros(len(self.shown)), color=PALETTE["blue"],
                                 linewidth=1.5, animated=True)
        left.axhline(-1, color=PALETTE["green"], linestyle="--", linewidth=1)
        left.axhline(1, color=PALETTE["vermillion"], linestyle="--", linewidth=1)
        left.set(xscale="log", xlim=(1, STEPS), ylim=(-1.1, 1.1), xlabel="step $t$",
                 ylabel="$x_t$", title=r"$x_t$ on $[-1, 1]$")
        (self.v,) = right.plot([], [], color=PALETTE["orange"], linewidth=1.5, linestyle="--",
                               animated=True, label="$v_t$")
        (self.v_hat,) = right.plot([], [], color=PALETTE["blue"], linewidth=2, animated=True,
                                   label=r"$\hat v_t$ the step divides by")
        right.set(yscale="log", xlim=(0, 3), ylim=(1e-7, 3), xlabel="periods (last three)",
                  ylabel="$/\\,C^2$", title="what the second moment remembers")
        right.legend(loc="lower left", fontsize=9)

    def update(self, rule, C, period, beta1, beta2, lr) -> str:
        result = playground_run(rule, C, period, beta1, beta2, lr)
        self.path.set_ydata(result.x[self.shown])
        window = slice(-3 * period, None)
        periods = np.arange(3 * period) / period
        self.v.set_data(periods, result.v[window] / C**2)
        self.v_hat.set_data(periods, result.v_hat[window] / C**2)
        move = -float(result.ratio[-period:].sum())       # x moves by about α_t times this
        best = -1 if C > period - 1 else 1
        where = "toward +1" if move > 0 else "toward −1"
        name = online.RULES[rule].split(":")[0]
        return (f"{name}: <b>x<sub>T</sub> = {result.x[-1]:+.3f}</b> after {STEPS:,} steps; the best "
                f"fixed point is x = {best:+d} (C {'>' if best < 0 else '≤'} p − 1). Over the "
                f"last period the steps add up to {move:+.3f}·α<sub>t</sub>: {where}.")
