"""Plot helpers shared by the lessons: each takes an ``ax``, draws, and returns what it drew.

They never call ``plt.show()`` or create figures, so a widget can keep one figure and update the
returned artists (``line.set_data``) instead of redrawing from scratch. Colours are the Okabe-Ito
palette, which stays distinguishable under the common colour-vision deficiencies.
"""
from __future__ import annotations

import numpy as np
from cycler import cycler

from adam_edu.registry import OPTIMIZERS

# Okabe & Ito (2008), "Color Universal Design": safe for deuteranopia, protanopia and tritanopia.
PALETTE = {
    "blue": "#0072B2", "orange": "#E69F00", "green": "#009E73", "vermillion": "#D55E00",
    "sky": "#56B4E9", "purple": "#CC79A7", "yellow": "#F0E442", "black": "#000000",
}
# One colour per optimizer, the same in every lesson: each optimizer's registry entry names it.
COLORS = {name: PALETTE[opt.color] for name, opt in OPTIMIZERS.items()}
# One colour per quantity, the same in every lesson and playground: what is bias-corrected (m̂_t,
# v̂_t, a run with correction) is blue, its uncorrected counterpart (m_t, v_t, a run without) orange.
CORRECTED, UNCORRECTED = PALETTE["blue"], PALETTE["orange"]
# A line style each too, so that colour is never the only difference: corrected solid, uncorrected
# dashed; a true mean (what both estimate) dash-dotted.
CORRECTED_LINE, UNCORRECTED_LINE, MEAN_LINE = "-", "--", "-."
# Figures are drawn for a 1280x720 slide and still fit a notebook column. One inch of figure is
# DISPLAY_DPI CSS pixels on screen, so 12.5 pt tick labels are 17 px (the back row of a hall needs
# >= 16 px); PNGs are rendered at SCALE x that ("retina"), so they stay sharp when projected.
DISPLAY_DPI = 100
SCALE = 2
STYLE = {
    "figure.dpi": DISPLAY_DPI, "figure.figsize": (10.0, 4.0), "savefig.dpi": SCALE * DISPLAY_DPI,
    "font.size": 14, "axes.labelsize": 15, "axes.titlesize": 15, "xtick.labelsize": 12.5,
    "ytick.labelsize": 12.5, "legend.fontsize": 13, "lines.linewidth": 2.0,
    "axes.grid": True, "grid.alpha": 0.3,
    "axes.spines.top": False, "axes.spines.right": False, "legend.frameon": False,
    "axes.prop_cycle": cycler(color=list(PALETTE.values())),
}
# A playground's figure shares its static slide with its controls and readout, so the deck shows it
# at most PLAYGROUND_SLIDE_HEIGHT CSS px high (tools/slides_template/adam_reveal/static/
# adam_slides.css): its tick labels are 14 pt (19.4 px), 16.2 px on the slide when shrunk to 300/360.
PLAYGROUND_SLIDE_HEIGHT = 300
PLAYGROUND_STYLE = {**STYLE, "xtick.labelsize": 14, "ytick.labelsize": 14}


def use_course_style() -> None:
    """Apply the course's figure style: call once, in a lesson's set-up cell.

    Sets matplotlib's defaults from ``STYLE`` (figure size, fonts readable on a projected slide)
    and, inside IPython, makes inline figures 2x-resolution PNGs shown at their CSS size
    (``DISPLAY_DPI`` pixels per inch), so a lesson never sets ``figsize``, ``dpi`` or font sizes.
    Taught in lessons/00_welcome.ipynb (every lesson calls it).

    Examples
    --------
    >>> import matplotlib as mpl
    >>> use_course_style()
    >>> mpl.rcParams["xtick.labelsize"] * DISPLAY_DPI / 72 >= 16   # tick labels in CSS px
    True
    """
    import matplotlib as mpl

    mpl.rcParams.update(STYLE)
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python: matplotlib's defaults are all there is
        return
    if get_ipython() is not None:
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("retina")


use_style = use_course_style  # the name lessons written before the slide style use


def contour(ax, objective, *, levels=20, resolution=120, log=True, cmap="Greys"):
    """Filled contours of a 2-D objective over its ``xlim`` × ``ylim``; returns the ContourSet.

    With ``log`` the levels are spaced evenly in log(f − f_min + 1), which shows the valley of an
    ill-conditioned function as well as its rim.
    """
    if objective.dim != 2:
        raise ValueError(f"objective.dim == {objective.dim}, contour needs a 2-D objective.")
    xs = np.linspace(*objective.xlim, resolution)
    ys = np.linspace(*objective.ylim, resolution)
    grid = np.stack(np.meshgrid(xs, ys), axis=-1)
    values = objective.value(grid)
    if log:
        values = np.log1p(values - values.min())
    drawn = ax.contourf(xs, ys, values, levels=levels, cmap=cmap, alpha=0.55)
    if objective.minimizer is not None:
        ax.plot(*objective.minimizer, marker="*", color=PALETTE["yellow"], markersize=14,
                markeredgecolor="black", linestyle="none", zorder=5)
    ax.set(xlim=objective.xlim, ylim=objective.ylim, xlabel=r"$\theta_1$", ylabel=r"$\theta_2$")
    ax.set_aspect("equal", adjustable="box")
    return drawn


def curve(ax, objective, *, resolution=400, color="0.3"):
    """The graph of a 1-D objective over its ``xlim``; returns the Line2D."""
    if objective.dim != 1:
        raise ValueError(f"objective.dim == {objective.dim}, curve needs a 1-D objective.")
    xs = np.linspace(*objective.xlim, resolution)
    (line,) = ax.plot(xs, objective.value(xs), color=color, linewidth=1.5)
    ax.set(xlim=objective.xlim, xlabel=r"$\theta$", ylabel=r"$f(\theta)$")
    return line


def _linestyle(traj) -> str:
    """The registry's line style for the trajectory's optimizer (solid for an unregistered one)."""
    return OPTIMIZERS[traj.optimizer].linestyle if traj.optimizer in OPTIMIZERS else "-"


def trajectory(ax, traj, *, color=None, label=None, markevery=None):
    """The path θ_0, θ_1, ... of a 2-D trajectory; returns (path Line2D, start marker Line2D)."""
    color = color or COLORS.get(traj.optimizer, PALETTE["blue"])
    points = np.asarray(traj.params)
    (path,) = ax.plot(points[:, 0], points[:, 1], color=color, linewidth=1.8, label=label,
                      linestyle=_linestyle(traj), marker="o", markersize=2.5, markevery=markevery)
    (start,) = ax.plot(points[:1, 0], points[:1, 1], "o", color=color, markersize=7)
    return path, start


def loss_curve(ax, traj, *, color=None, label=None, log=True):
    """f(θ_t) against t (t = 0 is the start); returns the Line2D."""
    color = color or COLORS.get(traj.optimizer, PALETTE["blue"])
    (line,) = ax.plot(np.arange(len(traj.loss)), traj.loss, color=color, label=label,
                      linestyle=_linestyle(traj))
    if log and np.all(traj.loss > 0):
        ax.set_yscale("log")
    ax.set(xlabel="step $t$", ylabel=r"$f(\theta_t)$")
    return line


def trace(ax, t, values, *, color=None, label=None, ylabel=None, linestyle="-"):
    """Any per-step quantity (m̂, v̂, the step, the SNR) against t; returns the Line2D."""
    (line,) = ax.plot(t, values, color=color, label=label, linestyle=linestyle)
    ax.set_xlabel("step $t$")
    if ylabel:
        ax.set_ylabel(ylabel)
    return line
