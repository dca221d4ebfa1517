"""Lesson 1's EMA explorer: one β slider over a seeded noisy sequence whose mean jumps once.

Left: the noisy values x_t, their true mean, the EMA m_t (orange: uncorrected) and the
bias-corrected m̂_t (blue, the course's colours for the two), with a marker one half-life after the
jump. Right: the share of the EMA's weight carried by the newest k steps, which crosses 1/2 at the
half-life and 63-75% at the effective window 1/(1 − β). The readout measures, on the noise-free
mean, how much of the jump m_t and m̂_t have covered one half-life after it, and states the
start-up bias as the factor 1 − β^t (never from the noisy values). The maths lives in
:mod:`adam_edu.ema`. Taught in lessons/01_math_of_adam.ipynb.
"""
from __future__ import annotations

import numpy as np

from adam_edu.ema import effective_window, ema, ema_weights, half_life, step_signal
from adam_edu.plots import (CORRECTED, CORRECTED_LINE, MEAN_LINE, PALETTE, UNCORRECTED,
                            UNCORRECTED_LINE)
from adam_edu.widgets import Playground

BETAS = (0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999)
STEPS, JUMP_AT, SIGMA, SEED = 300, 150, 0.5, 0   # the sequence: mean 1, then 2 after step 150
AGES = 5000                                       # the weight panel shows ages 1 .. AGES


class EMAExplorer(Playground):
    """Move β and watch smoothing, lag, the start-up bias and the half-life change together.

    Examples
    --------
    >>> explorer = EMAExplorer()
    >>> explorer.inputs["beta"].value = 0.99
    >>> explorer.last_update_ms is not None
    True
    """

    figsize = (9.0, 3.6)
    figure_description = (
        "Left, against step t from 0 to 300: noisy values x_t (grey dots) whose true mean "
        "(black, dash-dotted) jumps from 1 to 2 at step 150; the EMA m_t (orange, dashed) and the "
        "bias-corrected m̂_t (blue, solid) follow them; a vertical dotted line marks one half-life "
        "after the jump. Right: the share of the EMA's weight carried by the newest k steps (log "
        "axis), with the half-life dotted and the effective window 1/(1 − β) dashed.")

    def controls(self) -> dict:
        import ipywidgets as widgets

        return {
            "beta": widgets.SelectionSlider(options=BETAS, value=0.9, description="β",
                                            continuous_update=True),
            "corrected": widgets.Checkbox(value=True, description="show corrected m̂_t"),
        }

    def draw(self, fig) -> None:
        left, right = fig.subplots(1, 2, width_ratios=[1.8, 1])
        self.t = np.arange(1, STEPS + 1)
        self.mean, self.x = step_signal(STEPS, jump_at=JUMP_AT, sigma=SIGMA, seed=SEED)
        mean = self.mean
        left.plot(self.t, self.x, ".", color="0.6", markersize=3, label="$x_t$ (noisy)")
        left.plot(self.t, mean, MEAN_LINE, color=PALETTE["black"], linewidth=1.2, label="true mean")
        left.axvline(JUMP_AT, color="0.4", linewidth=0.8)
        self.m_line, = left.plot(self.t, self.t * 0.0, UNCORRECTED_LINE, color=UNCORRECTED,
                                 linewidth=2, label=r"$m_t$", animated=True)
        self.m_hat_line, = left.plot(self.t, self.t * 0.0, CORRECTED_LINE, color=CORRECTED,
                                     linewidth=2, label=r"$\hat m_t$", animated=True)
        self.lag_line = left.axvline(JUMP_AT, color=PALETTE["vermillion"], linestyle=":",
                                     linewidth=2, label="jump + half-life", animated=True)
        left.set(xlim=(0, STEPS), ylim=(-0.5, 4.4), xlabel="step $t$", ylabel="value")
        left.legend(loc="upper left", ncols=3, fontsize=9)

        self.ages = np.arange(1, AGES + 1)
        self.share_line, = right.plot(self.ages, self.ages * 0.0, color=PALETTE["blue"],
                                      linewidth=2, animated=True)
        right.axhline(0.5, color="0.4", linewidth=0.8)
        self.half_marker = right.axvline(1, color=PALETTE["vermillion"], linestyle=":", linewidth=2,
                                         label=r"half-life $\ln\frac{1}{2}/\ln\beta$", animated=True)
        self.window_marker = right.axvline(1, color=PALETTE["green"], linestyle="--", linewidth=1.5,
                                           label=r"window $1/(1-\beta)$", animated=True)
        right.set(xscale="log", xlim=(1, AGES), ylim=(0, 1.02), xlabel="newest $k$ steps",
                  ylabel="share of the weight")
        right.legend(loc="upper left", fontsize=9)

    def update(self, *, beta, corrected) -> str:
        """Set the animated artists for ``beta``; return the readout's HTML."""
        m = ema(self.x, beta)
        m_hat = ema(self.x, beta, bias_correction=True)
        h, window = half_life(beta), effective_window(beta)
        self.m_line.set_ydata(m)
        self.m_hat_line.set_ydata(m_hat)
        self.m_hat_line.set_visible(corrected)
        self.lag_line.set_xdata([JUMP_AT + h] * 2)
        share = np.cumsum(ema_weights(beta, AGES)[::-1])       # of the newest 1, 2, ... steps
        self.share_line.set_ydata(share)
        self.half_marker.set_xdata([h] * 2)
        self.window_marker.set_xdata([window] * 2)
        return self.describe(beta, h, window, share[round(window) - 1])

    def describe(self, beta, h, window, window_share) -> str:
        """The readout: half-life and window, the lag measured on the noise-free mean, the bias.

        Three short lines, so that it fits under the figure on a 1280x720 slide."""
        lines = [f"β = {beta:g}: <b>half-life</b> ln(1/2)/ln β = <b>{h:.1f}</b> steps (half of the "
                 f"weight); <b>window</b> 1/(1 − β) = {window:.0f} steps ({window_share:.0%})."]
        at = int(np.ceil(JUMP_AT + h))                          # first whole step past jump + h
        if at <= STEPS:
            covered = [(ema(self.mean, beta, bias_correction=c)[at - 1] - 1.0) for c in (True, False)]
            lines.append(f"<b>Lag</b>: one half-life after the jump (t = {at}), m̂<sub>t</sub> has "
                         f"covered {covered[0]:.0%} of it, m<sub>t</sub> {covered[1]:.0%}" + (
                             f" (its weights sum to 1 − β<sup>t</sup> = {1 - beta**at:.2f})"
                             if 1 - beta**at < 0.99 else "") + ".")
        else:
            lines.append(f"<b>Lag</b>: one half-life after the jump is t = {at}, beyond the plot; "
                         f"m<sub>t</sub>'s weights would sum to only {1 - beta**at:.2f} there.")
        lines.append(f"<b>Start-up bias</b>: m<sub>t</sub>'s weights sum to 1 − β<sup>t</sup> = "
                     f"{1 - beta:.3f} at t = 1, {1 - beta**10:.3f} at t = 10; m̂<sub>t</sub> divides "
                     "by it.")
        return "<br>".join(lines)
