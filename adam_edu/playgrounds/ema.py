"""Lesson 1's EMA explorer: one β slider over a seeded noisy sequence whose mean jumps once.

Left: the noisy values x_t, their true mean, the EMA m_t and the bias-corrected m̂_t, with a marker
one half-life after the jump (where the EMA has covered half of the jump: the lag). Right: the share
of the EMA's weight carried by the newest k steps, which crosses 1/2 at the half-life and 63-75% at
the effective window 1/(1 − β). The maths lives in :mod:`adam_edu.ema`.
"""
from __future__ import annotations

import numpy as np

from adam_edu.ema import effective_window, ema, ema_weights, half_life, step_signal
from adam_edu.plots import PALETTE
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
        mean, self.x = step_signal(STEPS, jump_at=JUMP_AT, sigma=SIGMA, seed=SEED)
        left.plot(self.t, self.x, ".", color="0.6", markersize=3, label="$x_t$ (noisy)")
        left.plot(self.t, mean, "--", color=PALETTE["black"], linewidth=1.2, label="true mean")
        left.axvline(JUMP_AT, color="0.4", linewidth=0.8)
        self.m_line, = left.plot(self.t, self.t * 0.0, color=PALETTE["blue"], linewidth=2,
                                 label=r"$m_t$", animated=True)
        self.m_hat_line, = left.plot(self.t, self.t * 0.0, color=PALETTE["orange"], linewidth=2,
                                     label=r"$\hat m_t$", animated=True)
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
        after = f"t = {JUMP_AT + h:.0f}" if JUMP_AT + h <= STEPS else "off the plot"
        return (
            f"β = {beta:g}: <b>half-life</b> ln(1/2)/ln β = <b>{h:.1f}</b> steps (the newest "
            f"{h:.1f} steps carry half of the weight; half of the jump is covered at {after}); "
            f"<b>effective window</b> 1/(1 − β) = {window:.0f} steps ({share[round(window) - 1]:.0%} of "
            f"the weight): "
            f"<i>not</i> the half-life.<br><b>Start-up bias</b>: m<sub>1</sub> = {m[0]:.3f} and "
            f"m<sub>10</sub> = {m[9]:.3f}, while the mean is 1; corrected: "
            f"m̂<sub>1</sub> = {m_hat[0]:.3f}, m̂<sub>10</sub> = {m_hat[9]:.3f}.")
