"""Lesson 6 playground: train the digits MLP with any optimizer, α, batch size, schedule and epochs.

The training controls take effect when **Train** is pressed (a progress bar follows the epochs, and
the whole figure is redrawn); the figure shows the loss and the accuracy per epoch on the training
and validation sets, the readout the run's test accuracy. Training takes longer than a control move
may (50 ms), so a move does not retrain: it fades the curves and writes on the figure the settings
waiting for **Train**, so every move changes the figure at once. The **misclassified** slider pages
through the test digits the network gets wrong without retraining (a blit of one image and six
captions); its range is the run's number of pages. One seed; the lesson's sweeps give the spread
over seeds. Taught in lessons/06_training.ipynb.
"""
from __future__ import annotations

import time

import numpy as np

from adam_edu import nn
from adam_edu.data import load_digits_split
from adam_edu.plots import COLORS, PALETTE
from adam_edu.schedules import SCHEDULES
from adam_edu.training import train
from adam_edu.widgets import Playground

DEFAULTS = dict(optimizer="adam", lr=1e-2, batch_size=32, schedule="constant", epochs=5)
OPTIMIZERS = ("adam", "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "amsgrad", "adamw")
SEED = 0
PAGE = 6          # misclassified digits shown at once
TILE = (11, 9)    # rows and columns per digit in the mosaic: 8 pixels, then a gap (and a caption)
FADED = 0.25      # opacity of the curves while the settings differ from the run they show


def run(optimizer, lr, batch_size, schedule, epochs, seed=SEED, on_epoch=None):
    """One training run as the playground makes it: (History, test predictions)."""
    split = load_digits_split()
    history = train(optimizer, (lr,), (seed,), epochs=epochs, batch_size=batch_size,
                    schedule=schedule, split=split, on_epoch=on_epoch)
    predicted = nn.logits({k: v[0] for k, v in history.params.items()}, split.x_test).argmax(axis=-1)
    return history, predicted


class TrainingPlayground(Playground):
    """Press Train; page through the mistakes without retraining."""

    figsize = (9.0, 3.0)
    figure_description = (
        "Left: the training loss (solid) and validation loss (dashed) against epoch on a log axis; "
        "middle: the training accuracy (solid) and validation accuracy (dashed); right: six test "
        "digits the trained network got wrong, each captioned true label → predicted label. When the "
        "settings differ from the run shown, its curves fade and a notice names the settings "
        "waiting for Train.")

    def __init__(self):
        import ipywidgets as w

        self.progress = w.IntProgress(value=0, min=0, max=DEFAULTS["epochs"], description="epochs")
        super().__init__()
        self.button = w.Button(description="Train", button_style="primary",
                               tooltip="train with these settings")
        self.button.on_click(lambda _: self.train())
        c = self.inputs   # in the order of the work: settings, Train, then the mistakes
        rows = (w.HBox([c["optimizer"], c["lr"], c["batch_size"]]),
                w.HBox([c["schedule"], c["epochs"], self.button, self.progress]),
                w.HBox([c["page"]]))
        self.widget.children = (*rows, *self.widget.children[2:])   # the base class's 2 rows

    def controls(self) -> dict:
        import ipywidgets as w

        style = {"description_width": "initial"}
        return {   # the page slider's max follows each run (train)
            "optimizer": w.Dropdown(options=OPTIMIZERS, value=DEFAULTS["optimizer"],
                                    description="optimizer", style=style),
            "lr": w.FloatLogSlider(value=DEFAULTS["lr"], base=10, min=-4, max=1, step=0.25,
                                   description="α", readout_format=".1e", style=style),
            "batch_size": w.Dropdown(options=(16, 32, 64, 128, 256), value=DEFAULTS["batch_size"],
                                     description="batch size", style=style),
            "schedule": w.Dropdown(options=sorted(SCHEDULES), value=DEFAULTS["schedule"],
                                   description="schedule", style=style),
            "epochs": w.IntSlider(value=DEFAULTS["epochs"], min=1, max=20, description="epochs",
                                  style=style),
            "page": w.IntSlider(value=1, min=1, max=2, description="misclassified", style=style),
        }

    def draw(self, fig) -> None:
        grid = fig.add_gridspec(2, 5)
        self.loss_ax = fig.add_subplot(grid[:, 0:2])
        self.acc_ax = fig.add_subplot(grid[:, 2:4])
        self.digit_ax = fig.add_subplot(grid[:, 4])
        self.curves = {}
        for ax, metric in ((self.loss_ax, "loss"), (self.acc_ax, "accuracy")):
            for part, style in (("train", "-"), ("val", "--")):
                (self.curves[metric, part],) = ax.plot([], [], style, color=COLORS["adam"],
                                                       label=part, animated=True)
            ax.set(xlabel="epoch", ylabel=metric)
            ax.legend(loc="upper right" if metric == "loss" else "lower right")
        self.loss_ax.set(yscale="log", ylim=(0.01, 5))
        self.acc_ax.set(ylim=(0, 1.02))
        # one image of six 8×8 tiles (3 rows × 2 columns, a caption under each): a page move
        # redraws one image and six captions
        self.mosaic = np.zeros((3 * TILE[0] - 3, 2 * TILE[1] - 1))
        self.image_artist = self.digit_ax.imshow(self.mosaic, cmap="Greys", vmin=0, vmax=1,
                                                 interpolation="nearest", animated=True)
        self.labels = [self.digit_ax.text((i % 2) * TILE[1] + 3.5, (i // 2) * TILE[0] + 8.2, "",
                                          ha="center", va="top", fontsize=8, animated=True)
                       for i in range(PAGE)]
        self.digit_ax.set_axis_off()
        self.notice = self.acc_ax.text(   # where the accuracy curves are not (below 0.9)
            0.5, 0.45, "", transform=self.acc_ax.transAxes, ha="center", va="center",
            fontsize="small", animated=True,
            bbox=dict(boxstyle="round", facecolor="white", edgecolor=PALETTE["black"]))
        self.trained_with = None
        self.train(redraw=False)

    def train(self, redraw=True) -> None:
        """Train with the current settings (what the Train button does), then show the run."""
        settings = {k: v for k, v in self.values().items() if k != "page"}
        self.progress.max, self.progress.value = settings["epochs"], 0
        start = time.perf_counter()
        self.history, self.predicted = run(
            **settings, on_epoch=lambda epoch, _: setattr(self.progress, "value", epoch))
        self.train_seconds = time.perf_counter() - start
        self.trained_with = settings
        epochs = np.arange(settings["epochs"] + 1)
        color = COLORS.get(settings["optimizer"], PALETTE["blue"])
        for (metric, part), line in self.curves.items():
            name = f"{part}_{'loss' if metric == 'loss' else 'acc'}"
            line.set_data(epochs, getattr(self.history, name)[:, 0, 0])
            line.set_color(color)
        for ax in (self.loss_ax, self.acc_ax):
            ax.set_xlim(0, settings["epochs"])
        split = load_digits_split()
        self.wrong = np.flatnonzero(self.predicted != split.y_test)
        self.pages = max(1, -(-len(self.wrong) // PAGE))
        pager = self.inputs["page"]
        pager.value = 1                                  # a new run: its first mistakes
        pager.max, pager.disabled = max(self.pages, 2), self.pages == 1   # a range needs 2 values
        if redraw:
            self.readout.value = self.update(**self.values())
            self.image.value = self.render(full=True)
            self.last_update_ms = 1e3 * (time.perf_counter() - start)   # train and redraw

    def update(self, page, **settings) -> str:
        split = load_digits_split()
        stale = settings != self.trained_with
        for line in self.curves.values():
            line.set_alpha(FADED if stale else 1.0)
        self.notice.set_text(f"Press Train to run\n{describe(settings, lines=True)}" if stale else "")
        page = min(page, self.pages)
        shown = self.wrong[PAGE * (page - 1):][:PAGE]
        self.mosaic[:] = 0.0
        for i, label in enumerate(self.labels):
            row, col = (i // 2) * TILE[0], (i % 2) * TILE[1]
            if i < len(shown):
                k = shown[i]
                self.mosaic[row:row + 8, col:col + 8] = split.x_test[k].reshape(8, 8)
                label.set_text(f"{split.y_test[k]} → {self.predicted[k]}")
            else:
                label.set_text("")
        self.image_artist.set_data(self.mosaic)
        return self.readout_html(settings) + f"<br>Mistakes shown: page {page} of {self.pages}."

    def readout_html(self, settings) -> str:
        h, s = self.history, self.trained_with
        text = (f"<b>{s['optimizer']}</b>, {describe(s, optimizer=False)} (seed {SEED}): "
                f"validation accuracy {h.val_acc[-1, 0, 0]:.3f}, <b>test accuracy "
                f"{h.test_acc[-1, 0, 0]:.3f}</b>; {len(self.wrong)} of {len(self.predicted)} test "
                f"digits wrong (shown: true → predicted); trained in {self.train_seconds:.2f} s.")
        if settings != s:
            text += (f"<br><i>Settings changed to {describe(settings)}: press <b>Train</b> to run "
                     "with them.</i>")
        return text


def describe(settings, optimizer=True, lines=False) -> str:
    """The settings of a run in words (in two lines if ``lines``; the optimizer if ``optimizer``).

    Examples
    --------
    >>> describe(DEFAULTS)
    'adam, α = 1.0e-02, batch 32, constant, 5 epochs'
    >>> print(describe(DEFAULTS, optimizer=False, lines=True))
    α = 1.0e-02,
    batch 32, constant, 5 epochs
    """
    words = (f"α = {settings['lr']:.1e},{chr(10) if lines else ' '}batch {settings['batch_size']}, "
             f"{settings['schedule']}, {settings['epochs']} epochs")
    return f"{settings['optimizer']}, {words}" if optimizer else words
