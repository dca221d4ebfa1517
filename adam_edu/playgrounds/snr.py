"""Lesson 4 playground: Adam against SGD on f(x) = 0.2x² + 0.6 sin(1.5x), same noisy gradients.

Both optimizers see the same seeded noise at every step (``ae.noisy``), so any difference comes
from the update rule; by default each runs at its own α, tuned in lesson 4 (one seed: a demonstration). Left: the function, the global minimum and where each optimizer is at step
k. Right: θ_t and the step size |Δ_t| over the whole run, with a cursor at k. The step slider
(driven by the play button, or "step +1") only moves markers, so playing is a blit; the other
controls recompute both runs. Taught in lessons/04_snr_annealing.ipynb.
"""
from __future__ import annotations

import numpy as np

from adam_edu.objectives import noisy, wavy
from adam_edu.plots import COLORS, PALETTE, curve
from adam_edu.trajectory import run
from adam_edu.widgets import Playground

STEPS = 300
X0 = 3.0        # right of the hill at 1.56: SGD settles in the local minimum near 2.21
SEED = 0
# Each optimizer's α tuned on lesson 4's grid {0.02, ..., 1} over 200 seeds (the lesson asserts it).
# Marker and line style of each optimizer, so that colour is not the only difference.
STYLES = {"adam": ("o", "-"), "sgd": ("s", "--")}
DEFAULTS = dict(lr_adam=0.5, lr_sgd=1.0, beta1=0.9, beta2=0.999, sigma=0.3, corrected=True)


def runs(lr_adam, lr_sgd, beta1, beta2, sigma, corrected, steps=STEPS, x0=X0, seed=SEED):
    """The two trajectories the playground shows (also what the lesson checks): (adam, sgd)."""
    objective = noisy(wavy(), sigma, seed=seed)
    adam = run("adam", objective, x0, steps=steps, lr=lr_adam, beta1=beta1, beta2=beta2,
               bias_correction=corrected, on_nonfinite="stop")
    sgd = run("sgd", objective, x0, steps=steps, lr=lr_sgd, on_nonfinite="stop")
    return adam, sgd


class SNRPlayground(Playground):
    """Adam and SGD side by side on the same noisy gradients; play through the steps."""

    figsize = (9.0, 3.3)      # leaves room on a 1280x720 slide for the controls and the table
    figure_description = (
        "Left: the curve f(θ) = 0.2θ² + 0.6 sin 1.5θ with its global minimum (star) and where "
        "each optimizer is at step k: Adam a blue circle, SGD a vermillion square. Right, against "
        "step t from 0 to 300 with a cursor at k: θ_t (top) and the step size |Δ_t| on a log "
        "scale (bottom), Adam solid and SGD dashed.")

    def __init__(self):
        import ipywidgets as w

        super().__init__()
        step = self.inputs["step"]
        self.play = w.Play(value=step.value, min=0, max=STEPS, interval=80, description="play")
        w.jslink((self.play, "value"), (step, "value"))
        self.next_button = w.Button(description="step +1", tooltip="one step forward",
                                    layout=w.Layout(width="90px"))
        self.next_button.on_click(lambda _: setattr(step, "value", min(step.value + 1, STEPS)))
        for row in self.widget.children:            # put play and step +1 beside the slider
            if step in getattr(row, "children", ()):
                row.children = (*row.children, self.play, self.next_button)

    def controls(self) -> dict:
        import ipywidgets as w

        style = {"description_width": "initial"}
        rate = dict(min=0.01, max=1.0, step=0.01, readout_format=".2f", style=style)
        return {   # plain sliders: every default lies on their grid, so what you see is what ran
            "lr_adam": w.FloatSlider(value=DEFAULTS["lr_adam"], description="Adam α", **rate),
            "lr_sgd": w.FloatSlider(value=DEFAULTS["lr_sgd"], description="SGD α", **rate),
            "sigma": w.FloatSlider(value=DEFAULTS["sigma"], min=0.0, max=1.5, step=0.05,
                                   description="noise σ", style=style),
            "beta1": w.FloatSlider(value=DEFAULTS["beta1"], min=0.0, max=0.99, step=0.01,
                                   description="β1", style=style),
            "beta2": w.SelectionSlider(options=[0.9, 0.99, 0.999, 0.9999],
                                       value=DEFAULTS["beta2"], description="β2", style=style),
            "corrected": w.Checkbox(value=DEFAULTS["corrected"], description="bias correction"),
            "step": w.IntSlider(value=STEPS, min=0, max=STEPS, description="step k", style=style),
        }

    def draw(self, fig) -> None:
        grid = fig.add_gridspec(2, 2)
        left = fig.add_subplot(grid[:, 0])
        self.path_ax = fig.add_subplot(grid[0, 1])
        self.step_ax = fig.add_subplot(grid[1, 1], sharex=self.path_ax)
        objective = wavy()
        curve(left, objective)
        best = objective.points["global_min"]
        left.plot(best, objective.value(best), "*", color=PALETTE["yellow"], markersize=16,
                  markeredgecolor="black", zorder=4, label="global minimum")
        self.lines, self.dots, self.cursors = {}, {}, []
        for name in ("adam", "sgd"):
            color = COLORS[name]
            marker, line = STYLES[name]
            label = "Adam" if name == "adam" else "SGD"
            (self.dots[name],) = left.plot([], [], marker, color=color, markersize=10,
                                           animated=True, label=label, zorder=5)
            (path,) = self.path_ax.plot([], [], line, color=color, linewidth=1.5, animated=True,
                                        label=label)
            (size,) = self.step_ax.plot([], [], line, color=color, linewidth=1, animated=True)
            self.lines[name] = (path, size)
        for point in ("global_min", "local_min"):
            self.path_ax.axhline(objective.points[point], color="0.5", linestyle=":", linewidth=1)
        for ax in (self.path_ax, self.step_ax):
            self.cursors.append(ax.axvline(0, color="0.3", linewidth=1, animated=True))
        left.set(ylim=(-0.8, 4.2), title=r"$f(\theta) = 0.2\theta^2 + 0.6\sin 1.5\theta$")
        left.legend(loc="upper center", fontsize=9, ncols=3)
        self.path_ax.set(xlim=(0, STEPS), ylim=objective.xlim, ylabel=r"$\theta_t$")
        self.path_ax.tick_params(labelbottom=False)
        self.path_ax.legend(loc="upper right", fontsize=9, ncols=2)
        self.step_ax.set(yscale="log", ylim=(1e-4, 5), xlabel="step $t$", ylabel=r"$|\Delta_t|$")
        self.key = None

    def update(self, step, **hyper) -> str:
        key = tuple(sorted(hyper.items()))
        if key != self.key:                      # a hyperparameter moved: recompute both runs
            self.key = key
            self.adam, self.sgd = runs(**hyper)
            for name, traj in (("adam", self.adam), ("sgd", self.sgd)):
                path, size = self.lines[name]
                path.set_data(np.arange(len(traj.params)), traj.params)
                size.set_data(traj.t, np.abs(traj.params[:-1] - traj.params[1:]))
        for name, traj in (("adam", self.adam), ("sgd", self.sgd)):
            k = min(step, len(traj.params) - 1)
            self.dots[name].set_data([traj.params[k]], [traj.loss[k]])
        for cursor in self.cursors:
            cursor.set_xdata([step, step])
        return self.readout_html(step)

    def readout_html(self, k) -> str:
        cell = "<td style='padding: 0 10px; text-align: right'>{}</td>".format
        rows = []
        for label, traj in (("Adam", self.adam), ("SGD", self.sgd)):
            if traj.diverged_at is not None and k >= traj.diverged_at:
                rows.append(f"<tr>{cell(label)}<td colspan=4>diverged at step {traj.diverged_at}"
                            "</td></tr>")
                continue
            x = f"{float(traj.params[k]):+.4f}"
            m_hat = v_hat = delta = "—"
            if k >= 1:
                delta = f"{float(traj.params[k - 1] - traj.params[k]):+.4f}"
                if traj.diagnostics is not None:
                    m_hat = f"{float(traj.diagnostics.m_hat[k - 1]):+.4f}"
                    v_hat = f"{float(traj.diagnostics.v_hat[k - 1]):.4f}"
            values = (label, x, m_hat, v_hat, delta)
            rows.append("<tr>" + "".join(cell(v) for v in values) + "</tr>")
        names = ("", "θ<sub>k</sub>", "m̂<sub>k</sub>", "v̂<sub>k</sub>",
                 "step θ<sub>k−1</sub> − θ<sub>k</sub>")
        head = "<tr>" + "".join(cell(f"<b>{name}</b>") for name in names) + "</tr>"
        return (f"<b>step k = {k}</b> (global minimum at θ ≈ −0.8037; tuned α: Adam "
                f"{DEFAULTS['lr_adam']}, SGD {DEFAULTS['lr_sgd']})"
                "<table style='font-family: monospace; line-height: 1.1'>"
                f"{head}{''.join(rows)}</table>")
