"""Lesson 2's playground: Adam on f(x, y) = x² + y² from (3, 4), with and without bias correction.

Both runs are recomputed with :func:`adam_edu.run` on every move and drawn on the contour plot (left)
and as loss curves (right). The correction toggle chooses which run is highlighted (thick, solid,
described in the readout); the other is drawn thin and dashed for comparison.
Taught in lessons/02_xy_walkthrough.ipynb (and shown in 00_welcome as a first playground).
"""
from __future__ import annotations

import numpy as np

from adam_edu.objectives import bowl
from adam_edu.plots import PALETTE, contour
from adam_edu.trajectory import run
from adam_edu.widgets import Playground

X0 = (3.0, 4.0)
MAX_STEPS = 500
LEARNING_RATES = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0)
COLORS = {True: PALETTE["blue"], False: PALETTE["vermillion"]}
NAMES = {True: "with correction", False: "without correction"}


class WalkthroughPlayground(Playground):
    """lr, β1, β2, the number of steps and the correction toggle; both runs redrawn on every move.

    Examples
    --------
    >>> playground = WalkthroughPlayground()
    >>> playground.inputs["lr"].value = 0.1
    >>> playground.last_update_ms is not None
    True
    """

    figsize = (9.0, 3.6)

    def __init__(self):
        self.objective = bowl()
        super().__init__()

    def controls(self) -> dict:
        import ipywidgets as w

        return {
            # Exact values (a log slider would snap 0.02 to 10**-1.7 = 0.01995 in the browser).
            "lr": w.SelectionSlider(options=LEARNING_RATES, value=0.02, description="lr α"),
            "beta1": w.FloatSlider(value=0.9, min=0.0, max=0.99, step=0.01, description="β1"),
            "beta2": w.SelectionSlider(options=[0.9, 0.99, 0.999, 0.9999, 0.99999], value=0.9999,
                                       description="β2"),
            "steps": w.IntSlider(value=151, min=1, max=MAX_STEPS, description="steps"),
            "bias_correction": w.Checkbox(value=True, description="highlight: bias correction"),
        }

    def draw(self, fig) -> None:
        path_ax, loss_ax = fig.subplots(1, 2, width_ratios=[1, 1.3])
        contour(path_ax, self.objective, levels=15)
        path_ax.plot(*X0, "o", color="black", markersize=6, zorder=4)
        self.paths, self.losses = {}, {}
        for corrected in (True, False):
            self.paths[corrected], = path_ax.plot([], [], color=COLORS[corrected], marker="o",
                                                  markersize=2.5, label=NAMES[corrected],
                                                  animated=True)
            self.losses[corrected], = loss_ax.plot([], [], color=COLORS[corrected],
                                                   label=NAMES[corrected], animated=True)
        path_ax.set_title(r"$f(\theta) = \theta_1^2 + \theta_2^2$ from (3, 4)", fontsize=11)
        loss_ax.set(yscale="log", xlim=(0, MAX_STEPS), ylim=(1e-10, 1e3), xlabel="step $t$",
                    ylabel=r"$f(\theta_t)$")
        loss_ax.legend(loc="upper right", fontsize=9)

    def update(self, *, lr, beta1, beta2, steps, bias_correction) -> str:
        """Recompute both runs, move their artists; return the readout's HTML."""
        rows = []
        for corrected in (bias_correction, not bias_correction):   # highlighted run first
            traj = run("adam", self.objective, np.array(X0), steps=steps, lr=lr, beta1=beta1,
                       beta2=beta2, eps=1e-8, bias_correction=corrected, on_nonfinite="stop")
            highlighted = corrected == bias_correction
            for artist in (self.paths[corrected], self.losses[corrected]):
                artist.set(linewidth=2.2 if highlighted else 1.0,
                           linestyle="-" if highlighted else "--", zorder=3 if highlighted else 2)
            self.paths[corrected].set_data(traj.params[:, 0], traj.params[:, 1])
            self.losses[corrected].set_data(np.arange(len(traj.loss)), traj.loss)
            rows.append(self.describe(traj, highlighted))
        return "<br>".join(rows)

    @staticmethod
    def describe(traj, highlighted) -> str:
        """One readout line: the first step (in units of α) and where the run ended."""
        name = NAMES[traj.hyper["bias_correction"]]
        style = "font-weight:bold" if highlighted else "color:#555"
        if not len(traj.grads):
            return f"<span style='{style}'>{name}: diverged at step {traj.diverged_at}</span>"
        first = np.abs(traj.diagnostics.step[0]).max()
        ratio = np.abs(traj.diagnostics.snr[0]).max()          # |m̂_1|/√v̂_1 = |Δ_1|/α when ε = 0
        end = (f"diverged at step {traj.diverged_at}" if traj.diverged_at else
               f"θ = {np.array2string(traj.params[-1], precision=4)}, f(θ) = {traj.loss[-1]:.3g}")
        return (f"<span style='{style}'>{name}: first step |Δ<sub>1</sub>| = {first:.4g} "
                f"({ratio:.3g}·α); after {len(traj.grads)} steps {end}</span>")
