"""Lesson 5 playground: the family race on a valley (κ, angle), Rosenbrock, a saddle, a noisy valley.

Every optimizer runs with its own tuned α (or a fraction of it, its registry default, or one manual α
for all). All of it (the tuning on :data:`adam_edu.race.GRID` and every path for every control value)
is computed once by :func:`tables` with :func:`adam_edu.race.race` when the playground is built, so
a control move only picks precomputed paths and redraws. Taught in lessons/05_family_race.ipynb.
"""
from __future__ import annotations

import dataclasses
import functools
from typing import NamedTuple

import numpy as np

from adam_edu.objectives import noisy, rosenbrock, saddle
from adam_edu.plots import COLORS, PALETTE
from adam_edu.race import GRID, LABELS, RACERS, escaped, race, tuned, valley
from adam_edu.registry import get_optimizer
from adam_edu.widgets import Playground

STEPS = 300                   # the scrubber's range
BUDGET = 6000                 # steps allowed when tuning on a valley
SHORT = 2000                  # ... on the other objectives (the lesson's Rosenbrock horizon)
KAPPAS = (10, 100, 1000)
ANGLES = (0, 15, 30, 45)
MANUAL = tuple(float(a) for a in 2.0 ** np.arange(-10, 3))
SCALES = {"tuned": 1.0, "tuned ÷ 4": 0.25, "tuned × 2": 2.0}
MODES = (*SCALES, "defaults (unfair)", "manual, same for all")
GROUPS = {"all nine": tuple(RACERS), "GD, momentum, Adam": ("sgd", "momentum", "adam"),
          "GD family": ("sgd", "momentum", "nesterov"),
          "adaptive": ("adagrad", "rmsprop", "rmsprop_bc", "adam", "amsgrad", "adamax")}
COLOR = {**COLORS, "rmsprop_bc": PALETTE["sky"], "amsgrad": "0.45", "adamax": PALETTE["black"]}
# A line style and marker each as well, so no two racers differ only in colour.
LOOK = dict(zip(RACERS, [("-", ""), ("--", ""), ("-.", ""), (":", ""), ("-", "o"), ("--", "s"),
                         ("-.", "^"), (":", "v"), ("-", "D")]))


def problems() -> dict:
    """Key -> (objective, reached criterion or None for the tolerance); the playground's choices."""
    table = {("valley", k, a): (valley(k, a), None) for k in KAPPAS for a in ANGLES}
    table["rosenbrock"] = (dataclasses.replace(rosenbrock(), x0=np.array([-1.2, 1.0])), None)
    table["saddle"] = (dataclasses.replace(saddle(), x0=np.array([2.0, 1e-3])), escaped)
    table["noisy valley"] = (noisy(valley(100, 30), sigma=1.0, seed=0), None)
    return table


class Tables(NamedTuple):
    """What the playground shows, per racer and problem key."""

    alphas: dict        # [racer][key] -> the α of each column: SCALES × tuned, default, MANUAL
    hits: dict          # [racer][key] -> steps to the target within STEPS, per column (inf: not)
    paths: dict         # [racer][key] -> θ_0 ... θ_STEPS, shape (STEPS + 1, columns, 2)
    tuned_steps: dict   # [racer][key] -> the tuned α's steps within the tuning budget, or None


def _tune(racer, keys, objectives, reached):
    """(tuned α, its steps) per objective: the fewest steps to the target within BUDGET steps
    (valleys) or SHORT steps (the others); if no α reaches it, the lowest loss after SHORT steps."""
    if keys[0][0] == "valley":
        best = [tuned(row) for row in race(racer, objectives, steps=BUDGET)]
        return {key: (b.lr, b.steps[b.lr]) for key, b in zip(keys, best)}
    best = tuned(race(racer, objectives, steps=SHORT, reached=reached)[0])
    if best.lr:
        return {keys[0]: (best.lr, best.steps[best.lr])}
    _, path = race(racer, objectives, steps=SHORT, keep=True, reached=reached)
    with np.errstate(all="ignore"):
        final = np.nan_to_num(objectives[0].value(path[-1, 0]), nan=np.inf)
    return {keys[0]: (float(GRID[np.argmin(final)]), None)}


@functools.lru_cache(maxsize=1)
def tables() -> Tables:
    """Everything the playground shows, computed once with :func:`adam_edu.race.race`."""
    table = problems()
    valleys = [key for key in table if key[0] == "valley"]
    groups = [valleys] + [[key] for key in table if key[0] != "valley"]
    alphas, hits, paths, tuned_steps = {}, {}, {}, {}
    for racer in RACERS:
        alphas[racer], hits[racer], paths[racer], tuned_steps[racer] = {}, {}, {}, {}
        default = get_optimizer(RACERS[racer][0]).defaults["lr"]
        for keys in groups:
            objectives, reached = [table[k][0] for k in keys], table[keys[0]][1]
            best = _tune(racer, keys, objectives, reached)
            lrs = [[best[k][0] * s for s in SCALES.values()] + [default, *MANUAL] for k in keys]
            found, path = race(racer, objectives, lrs, steps=STEPS, keep=True, reached=reached)
            for i, key in enumerate(keys):
                alphas[racer][key] = lrs[i]
                hits[racer][key] = found[i]
                paths[racer][key] = path[:, i]
                tuned_steps[racer][key] = best[key][1]
    return Tables(alphas, hits, paths, tuned_steps)


BOX = (-5.0, 5.0)             # one plotting box for every objective: switching redraws no axes
LOSS_RANGE = (1e-14, 1e5)     # the log axis: f(θ_t), or |θ₂| on the saddle (f is negative there)


@functools.lru_cache(maxsize=None)
def picture(key, resolution=100):
    """log(1 + f − min f) of problem ``key`` on BOX × BOX, for ``imshow`` (origin lower)."""
    xs = np.linspace(*BOX, resolution)
    values = problems()[key][0].value(np.stack(np.meshgrid(xs, xs), axis=-1))
    return np.log1p(values - values.min())


class RacePlayground(Playground):
    """The racers' paths on the contour and their log losses; scrub through the steps."""

    figsize = (9.0, 3.3)
    figure_description = (
        "Left: the chosen objective's landscape in grey, with each shown optimizer's path up to "
        "step k and its current point (a dot); right: its loss f(θ_t) against step t on a log "
        "axis (|θ₂| on the saddle), with a cursor at k. Each optimizer has its own colour, line "
        "style and marker, named in the legend: GD solid, momentum dashed, Nesterov dash-dotted, "
        "AdaGrad dotted, then RMSProp, RMSProp with correction, Adam, AMSGrad and AdaMax with "
        "circle, square, triangle, down-triangle and diamond markers.")

    def controls(self) -> dict:
        import ipywidgets as w

        style = {"description_width": "initial"}
        pick = dict(style=style, layout=w.Layout(width="300px"))
        return {
            "problem": w.Dropdown(options=["valley", "rosenbrock", "saddle", "noisy valley"],
                                  value="valley", description="objective", **pick),
            "kappa": w.SelectionSlider(options=KAPPAS, value=1000, description="valley κ",
                                       style=style),
            "angle": w.SelectionSlider(options=ANGLES, value=30, description="angle °", style=style),
            "group": w.Dropdown(options=list(GROUPS), value="GD, momentum, Adam",
                                description="optimizers", **pick),
            "mode": w.Dropdown(options=MODES, value="tuned", description="step size α", **pick),
            "manual": w.SelectionSlider(options=MANUAL, value=2.0**-4, description="manual α",
                                        style=style),
            "step": w.IntSlider(value=STEPS, min=0, max=STEPS, description="step k", style=style),
        }

    def draw(self, fig) -> None:
        self.tables = tables()
        self.alphas, self.hits, self.paths = self.tables.alphas, self.tables.hits, self.tables.paths
        self.table, self.key = problems(), None
        self.map_ax, self.loss_ax = fig.subplots(1, 2, width_ratios=(1, 1.3))
        self.backdrop = self.map_ax.imshow(picture(("valley", 1000, 30)), origin="lower",
                                           cmap="Greys", alpha=0.55, extent=(*BOX, *BOX),
                                           animated=True)
        self.paths_drawn, self.dots, self.curves = {}, {}, {}
        for racer in RACERS:
            color, label = COLOR[racer], LABELS[racer]
            style, marker = LOOK[racer]
            (self.paths_drawn[racer],) = self.map_ax.plot([], [], color=color, linewidth=1.4,
                                                          linestyle=style, marker=marker or None,
                                                          markevery=0.2, markersize=5,
                                                          animated=True, label=label)
            (self.dots[racer],) = self.map_ax.plot([], [], "o", color=color, markersize=7,
                                                   markeredgecolor="black", animated=True)
            (self.curves[racer],) = self.loss_ax.plot([], [], color=color, linewidth=1.4,
                                                      linestyle=style, marker=marker or None,
                                                      markevery=0.2, markersize=5,
                                                      animated=True, label=label)
        self.cursor = self.loss_ax.axvline(0, color="0.3", linewidth=1, animated=True)
        self.map_ax.set(xlim=BOX, ylim=BOX, xlabel=r"$\theta_1$", ylabel=r"$\theta_2$")
        self.loss_ax.set(xlim=(0, STEPS), ylim=LOSS_RANGE, yscale="log", xlabel="step $t$",
                         ylabel=r"$f(\theta_t)$; saddle: $|\theta_{2,t}|$")
        self.map_ax.plot(0, 0, "+", color="0.2", markersize=10)
        self.loss_ax.legend(handles=list(self.curves.values()), fontsize=8, loc="center left",
                            bbox_to_anchor=(1.0, 0.5))

    def _key(self, problem, kappa, angle):
        return ("valley", kappa, angle) if problem == "valley" else problem

    def update(self, problem, kappa, angle, group, mode, manual, step) -> str:
        # A control that would change nothing is disabled (and skipped by Tab) until it matters.
        self.inputs["kappa"].disabled = self.inputs["angle"].disabled = problem != "valley"
        self.inputs["manual"].disabled = not mode.startswith("manual")
        key = self._key(problem, kappa, angle)
        if key != self.key:                         # a new objective: a new picture (animated)
            self.key, self.objective = key, self.table[key][0]
            self.backdrop.set_data(picture(key))
        column = (list(SCALES).index(mode) if mode in SCALES else
                  len(SCALES) if mode.startswith("defaults") else len(SCALES) + 1 + MANUAL.index(manual))
        shown = GROUPS[group]
        for racer in RACERS:
            path = self.paths[racer][key][:, column]
            on = racer in shown
            loss = self.shown_loss(path) if on else np.empty(0)
            self.paths_drawn[racer].set_data(*(path[: step + 1].T if on else ([], [])))
            self.dots[racer].set_data(*(path[step : step + 1].T if on else ([], [])))
            self.curves[racer].set_data(np.arange(len(loss)), loss)
        self.cursor.set_xdata([step, step])
        return self.readout_html(key, column, step, shown)   # every moving artist is animated

    def shown_loss(self, path):
        """What the log axis shows: f(θ_t), or |θ₂| on the saddle (where f goes negative)."""
        with np.errstate(all="ignore"):           # a diverging path overflows: not drawn
            return np.abs(path[..., 1]) if self.key == "saddle" else self.objective.value(path)

    def readout_html(self, key, column, step, shown) -> str:
        target = "escape |θ₂| ≥ 1" if key == "saddle" else "f &lt; 1e-6·f(θ₀)"
        cell = "<td style='padding: 0 8px; text-align: right'>{}</td>".format
        rows = []
        for racer in shown:
            lr, hit = self.alphas[racer][self.key][column], self.hits[racer][self.key][column]
            loss = float(self.shown_loss(self.paths[racer][key][step, column]))
            steps = f"{int(hit)}" if np.isfinite(hit) else f"> {STEPS}"
            best = self.tables.tuned_steps[racer][key]
            rows.append("<tr>" + "".join(cell(v) for v in (
                LABELS[racer], f"{lr:.3g}", steps, "—" if best is None else best,
                f"{loss:.3g}")) + "</tr>")
        value = "|θ₂|" if key == "saddle" else "f"
        budget = BUDGET if key[0] == "valley" else SHORT
        head = "".join(cell(f"<b style='white-space: nowrap'>{h}</b>") for h in (
            "", "α", f"steps to {target}", f"tuned α (≤ {budget})", f"{value} at k={step}"))
        return ("<table style='font-family: monospace; line-height: 1.1'>"
                f"<tr>{head}</tr>{''.join(rows)}</table>")
