"""Lesson 3 playground: what bias correction does to m_t and to Adam's step (constant or noisy g).

Left: the gradients g_t (true mean 1), the raw EMA m_t and the corrected m̂_t. Right: the step Adam
takes, |Δ_t|/α, with or without correction. Colours are the course's (``adam_edu.plots``): corrected
blue, uncorrected orange. Taught in lessons/03_bias_correction.ipynb.
"""
from __future__ import annotations

import numpy as np

from adam_edu.bias import adam_on_sequence, correction_matters_for
from adam_edu.plots import (CORRECTED, CORRECTED_LINE, MEAN_LINE, PALETTE, UNCORRECTED,
                            UNCORRECTED_LINE)
from adam_edu.widgets import Playground

STEPS = 1000        # t = 1 ... STEPS, on a log axis
TRUE_MEAN = 1.0     # E[g]
SEED = 0


class BiasPlayground(Playground):
    """m_t against m̂_t and the true mean, and the step they produce; toggle the correction."""

    figure_description = (
        "Two panels against step t from 1 to 1000 on a log axis. Left: the gradients g_t (grey "
        "dots), their true mean 1 (black, dash-dotted), the raw EMA m_t (orange, dashed) and the "
        "corrected m̂_t (blue, solid, shown only with bias correction on). Right, on a log scale: "
        "the step Adam takes, |Δ_t|/α (blue solid with correction, orange dashed without), and "
        "a dotted line at |Δ_t| = α.")

    def __init__(self):
        # The unit-variance noise of every step, drawn once: moving σ rescales the same draws.
        self.noise = np.random.default_rng(SEED).standard_normal(STEPS)
        super().__init__()

    def controls(self) -> dict:
        import ipywidgets as w

        style = {"description_width": "initial"}
        return {
            "gradients": w.Dropdown(options=["constant", "noisy"], value="noisy",
                                    description="gradients", style=style,
                                    layout=w.Layout(width="200px")),
            "sigma": w.FloatSlider(value=0.5, min=0.0, max=2.0, step=0.1, description="noise σ",
                                   continuous_update=True, style=style),
            "corrected": w.Checkbox(value=True, description="bias correction"),
            "beta1": w.SelectionSlider(options=[0.0, 0.5, 0.8, 0.9, 0.95, 0.99], value=0.9,
                                       description="β1", style=style),
            "beta2": w.SelectionSlider(options=[0.9, 0.99, 0.999, 0.9999], value=0.999,
                                       description="β2", style=style),
        }

    def gradients(self, gradients, sigma) -> np.ndarray:
        return TRUE_MEAN + (sigma if gradients == "noisy" else 0.0) * self.noise

    def draw(self, fig) -> None:
        left, right = fig.subplots(1, 2)
        t = np.arange(1, STEPS + 1)
        (self.dots,) = left.plot(t, np.ones(STEPS), ".", color="0.6", markersize=2.5, animated=True,
                                 label="$g_t$")
        left.axhline(TRUE_MEAN, color=PALETTE["black"], linestyle=MEAN_LINE, linewidth=1.2,
                     label=r"true mean $E[g]$")
        (self.m,) = left.plot(t, t, UNCORRECTED_LINE, color=UNCORRECTED, linewidth=2, animated=True,
                              label=r"$m_t$ (raw)")
        (self.m_hat,) = left.plot(t, t, CORRECTED_LINE, color=CORRECTED, linewidth=2, animated=True,
                                  label=r"$\hat m_t$ (corrected)")
        left.set(xscale="log", xlim=(1, STEPS), ylim=(-1.5, 3.5), xlabel="step $t$",
                 ylabel="first moment", title="what the EMA estimates")
        left.legend(loc="upper right", fontsize=9, ncols=2)
        (self.step,) = right.plot(t, t, color=CORRECTED, linewidth=2, animated=True)
        right.axhline(1.0, color=PALETTE["black"], linestyle=":", linewidth=1.2)
        right.text(1.3, 1.15, r"$|\Delta_t| = \alpha$", fontsize=9)
        right.plot([], [], CORRECTED_LINE, color=CORRECTED, linewidth=2, label="with correction")
        right.plot([], [], UNCORRECTED_LINE, color=UNCORRECTED, linewidth=2, label="without")
        right.legend(loc="upper right", fontsize=9)
        right.set(xscale="log", yscale="log", xlim=(1, STEPS), ylim=(1e-2, 60), xlabel="step $t$",
                  ylabel=r"$|\Delta_t| / \alpha$", title=r"Adam's step ($\epsilon = 0$)")

    def update(self, gradients, sigma, corrected, beta1, beta2) -> str:
        self.inputs["sigma"].disabled = gradients == "constant"
        g = self.gradients(gradients, sigma)
        run = adam_on_sequence(g, lr=1.0, beta1=beta1, beta2=beta2, eps=0.0,
                               bias_correction=corrected)
        self.dots.set_ydata(g)
        self.m.set_ydata(run.m)
        self.m_hat.set_ydata(run.diagnostics.m_hat)      # equals m_t when not corrected: hidden
        self.m_hat.set_visible(corrected)
        step = np.abs(run.diagnostics.step)
        self.step.set_ydata(step)
        self.step.set(color=CORRECTED if corrected else UNCORRECTED,
                      linestyle=CORRECTED_LINE if corrected else UNCORRECTED_LINE)
        worst = int(np.argmax(step))
        return (
            f"<b>{'with' if corrected else 'without'} bias correction</b>: first step "
            f"{step[0]:.2f}·α, largest step {step[worst]:.2f}·α at t = {worst + 1}. "
            f"m̂ and m differ by more than 1% until t = {correction_matters_for(beta1)}, "
            f"v̂ and v until t = {correction_matters_for(beta2)}.")
