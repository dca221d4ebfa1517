"""Lesson 2's playground: Adam on f(x, y) = x² + y² from (3, 4), with and without bias correction.

Each run has its own step size α, and both start at the α that :func:`adam_edu.tune_lr` picks for
it on the slider's grid (fewest steps to f(θ_t) < TOL · f(θ_0)), so the first figure is a fair
comparison. Both runs are recomputed with :func:`adam_edu.run` on every move and drawn on the
contour plot (left) and as loss curves (right, x axis fitted to the number of steps): the
corrected run blue and solid, the uncorrected one orange and dashed. The highlight toggle chooses
which run is drawn thick and described first.
Taught in lessons/02_xy_walkthrough.ipynb (and shown in 00_welcome as a first playground).
"""
from __future__ import annotations

import numpy as np
from matplotlib.patches import Rectangle
from matplotlib.transforms import Bbox

from adam_edu.objectives import bowl
from adam_edu.plots import CORRECTED, CORRECTED_LINE, UNCORRECTED, UNCORRECTED_LINE, contour
from adam_edu.trajectory import run
from adam_edu.tuning import steps_to_tolerance, tune_lr
from adam_edu.widgets import Playground

X0 = (3.0, 4.0)
MAX_STEPS = 500
LEARNING_RATES = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0)
BETA1, BETA2, STEPS = 0.9, 0.9999, 150        # the walkthrough's settings
TOL = 1e-6                                     # "reached": f(θ_t) < TOL · f(θ_0)
COLORS = {True: CORRECTED, False: UNCORRECTED}
LINES = {True: CORRECTED_LINE, False: UNCORRECTED_LINE}    # so colour is not the only cue
NAMES = {True: "with correction", False: "without correction"}
INPUT = {True: "lr", False: "lr_plain"}        # each run's own α control
X_LIMITS = (10, 20, 50, 100, 150, 200, 300, 400, 500)   # loss axis: the first ≥ steps


def tuned_defaults() -> dict:
    """Each run's α tuned on LEARNING_RATES at the walkthrough's β1, β2 and steps."""
    return {corrected: tune_lr("adam", bowl(), np.array(X0), LEARNING_RATES, steps=STEPS, tol=TOL,
                               beta1=BETA1, beta2=BETA2, bias_correction=corrected).lr
            for corrected in (True, False)}


class WalkthroughPlayground(Playground):
    """An α per run, β1, β2, the number of steps and the highlight toggle; both runs redrawn.

    Examples
    --------
    >>> playground = WalkthroughPlayground()
    >>> playground.inputs["lr"].value, playground.inputs["lr_plain"].value   # tuned on the grid
    (1.0, 0.2)
    >>> playground.inputs["lr_plain"].value = 0.02
    >>> playground.last_update_ms is not None
    True
    """

    figsize = (9.0, 3.6)
    figure_description = (
        "Left: contours of f(θ) = θ₁² + θ₂² with the minimum (star) at the origin and the start "
        "(3, 4); the path of each run: with bias correction blue and solid, without it orange and "
        "dashed. Right: f(θ_t) of each run against step t on a log scale, in the same styles, "
        "with a dotted line at 10⁻⁶·f(θ₀). The highlighted run is drawn thick.")

    def __init__(self):
        self.objective = bowl()
        self.tuned = tuned_defaults()
        super().__init__()

    def controls(self) -> dict:
        import ipywidgets as w

        # Exact values (a log slider would snap 0.02 to 10**-1.7 = 0.01995 in the browser).
        return {
            "lr": w.SelectionSlider(options=LEARNING_RATES, value=self.tuned[True],
                                    description="α corrected"),
            "lr_plain": w.SelectionSlider(options=LEARNING_RATES, value=self.tuned[False],
                                          description="α uncorrected"),
            "bias_correction": w.Checkbox(value=True, description="highlight: bias correction"),
            "beta1": w.FloatSlider(value=BETA1, min=0.0, max=0.99, step=0.01, description="β1"),
            "beta2": w.SelectionSlider(options=[0.9, 0.99, 0.999, 0.9999, 0.99999], value=BETA2,
                                       description="β2"),
            "steps": w.IntSlider(value=STEPS, min=1, max=MAX_STEPS, description="steps"),
        }

    def draw(self, fig) -> None:
        path_ax, self.loss_ax = fig.subplots(1, 2, width_ratios=[1, 1.3])
        contour(path_ax, self.objective, levels=15)
        path_ax.plot(*X0, "o", color="black", markersize=6, zorder=4)
        self.paths, self.losses = {}, {}
        for corrected in (True, False):
            self.paths[corrected], = path_ax.plot([], [], LINES[corrected], color=COLORS[corrected],
                                                  marker="o", markersize=2.5,
                                                  label=NAMES[corrected], animated=True)
            self.losses[corrected], = self.loss_ax.plot([], [], LINES[corrected],
                                                        color=COLORS[corrected],
                                                        label=NAMES[corrected], animated=True)
        path_ax.set_title(r"$f(\theta) = \theta_1^2 + \theta_2^2$ from (3, 4)", fontsize=11)
        self.loss_ax.axhline(TOL * self.objective.value(np.array(X0)), color="0.4", linewidth=0.8,
                             linestyle=":", label=r"$10^{-6} f(\theta_0)$")
        self.loss_ax.set(yscale="log", ylim=(1e-12, 1e5), xlabel="step $t$",
                         ylabel=r"$f(\theta_t)$")
        self.loss_ax.legend(loc="upper right", fontsize=9)
        self.shown_limit, self.panel = None, None

    def update(self, *, steps, **values) -> str:
        limit = min(x for x in X_LIMITS if x >= steps)  # the x axis follows the run's length
        if limit != self.shown_limit and not self.refit(limit):
            self._background = None                        # the base class redraws everything
        return self.move(steps=steps, **values)

    def refit(self, limit) -> bool:
        """Set the loss axis to 0 … limit and redraw only that panel into the cached background
        (a full redraw, contours included, costs several times the 50 ms a move may take).
        Return False when nothing is cached yet and the whole figure must be drawn."""
        self.shown_limit = limit
        self.loss_ax.set_xlim(0, limit)
        if getattr(self, "_background", None) is None:     # still in draw(): nothing cached
            return False
        renderer = self.canvas.get_renderer()
        if self.panel is None:                             # the right panel, labels included
            left = self.fig.axes[0].get_tightbbox(renderer).x1 + 1
            self.panel = Bbox([[left, 0], [self.fig.bbox.x1, self.fig.bbox.y1]])
        self.canvas.restore_region(self._background)
        Rectangle(self.panel.p0, self.panel.width, self.panel.height, transform=None,
                  figure=self.fig, facecolor=self.fig.get_facecolor(), edgecolor="none").draw(renderer)
        self.loss_ax.draw(renderer)                        # skips the animated (dynamic) artists
        self._background = self.canvas.copy_from_bbox(self.fig.bbox)
        return True

    def move(self, *, lr, lr_plain, beta1, beta2, steps, bias_correction) -> str:
        """Recompute both runs, move their artists; return the readout's HTML."""
        rows = []
        rates = {True: lr, False: lr_plain}
        for corrected in (bias_correction, not bias_correction):   # highlighted run first
            traj = run("adam", self.objective, np.array(X0), steps=steps, lr=rates[corrected],
                       beta1=beta1, beta2=beta2, eps=1e-8, bias_correction=corrected,
                       on_nonfinite="stop")
            highlighted = corrected == bias_correction
            for artist in (self.paths[corrected], self.losses[corrected]):
                artist.set(linewidth=2.2 if highlighted else 1.0, zorder=3 if highlighted else 2)
            self.paths[corrected].set_data(traj.params[:, 0], traj.params[:, 1])
            self.losses[corrected].set_data(np.arange(len(traj.loss)), traj.loss)
            rows.append(self.describe(traj, highlighted, self.tuned[corrected]))
        return "<br>".join(rows)

    @staticmethod
    def describe(traj, highlighted, tuned) -> str:
        """One readout line: α, the largest step in units of α, when f fell below TOL·f(θ_0)."""
        name = NAMES[traj.hyper["bias_correction"]]
        style = "font-weight:bold" if highlighted else "color:#555"
        lr = traj.hyper["lr"]
        if not len(traj.grads):
            return f"<span style='{style}'>{name}: diverged at step {traj.diverged_at}</span>"
        largest = np.abs(traj.diagnostics.step).max() / lr
        reached = steps_to_tolerance(traj.loss, TOL)
        when = f"f < 10⁻⁶·f(θ₀) at t = {reached}" if reached else "f never below 10⁻⁶·f(θ₀)"
        which = "tuned" if lr == tuned else f"tuned: {tuned:g}"
        return (f"<span style='{style}'>{name}, α = {lr:g} ({which}): largest step "
                f"{largest:.3g}·α, worst f(θ<sub>t</sub>) = {traj.loss.max() / traj.loss[0]:.3g}"
                f"·f(θ<sub>0</sub>); {when}</span>")
