"""Plot helpers return what they drew; the Playground base calls update and re-renders on a move."""
import base64

import ipywidgets as widgets
import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure

import adam_edu as ae
from adam_edu import plots
from adam_edu.plots import SCALE
from adam_edu.widgets import Playground


def test_palette_is_okabe_ito_and_every_optimizer_has_a_colour():
    assert set(plots.PALETTE.values()) == {"#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9",
                                           "#CC79A7", "#F0E442", "#000000"}
    assert set(plots.COLORS) == set(ae.OPTIMIZERS)
    assert set(plots.COLORS.values()) <= set(plots.PALETTE.values())


def test_helpers_draw_on_the_given_axes_and_return_their_artists():
    fig = Figure()
    ax = fig.add_subplot()
    traj = ae.run("adam", ae.bowl(), steps=30, lr=0.1)
    cs = plots.contour(ax, ae.bowl())
    path, start = plots.trajectory(ax, traj, label="Adam")
    np.testing.assert_array_equal(np.column_stack(path.get_data()), traj.params)
    assert path.get_color() == plots.COLORS["adam"] and path in ax.lines and cs in ax.collections
    line = plots.loss_curve(fig.add_subplot(), traj)
    np.testing.assert_array_equal(line.get_ydata(), traj.loss)
    tr = plots.trace(fig.add_subplot(), traj.t, traj.diagnostics.snr[:, 0], ylabel="SNR")
    np.testing.assert_array_equal(tr.get_xdata(), traj.t)
    with pytest.raises(ValueError, match="objective.dim == 1, contour needs a 2-D objective"):
        plots.contour(ax, ae.wavy())
    with pytest.raises(ValueError, match="objective.dim == 2, curve needs a 1-D objective"):
        plots.curve(ax, ae.bowl())


class _Tiny(Playground):
    figsize = (4, 3)

    def controls(self):
        return {"lr": widgets.FloatSlider(value=0.1, min=0.01, max=0.5, step=0.01),
                "start": widgets.Checkbox(value=False)}

    def draw(self, fig):
        self.ax = fig.add_subplot()
        plots.contour(self.ax, ae.bowl(), resolution=30)
        self.path, self.marker = self.ax.plot([], [], animated=True)[0], self.ax.plot([], [], "o")[0]
        self.marker.set_animated(True)
        self.calls = 0

    def update(self, lr, start):
        self.calls += 1
        traj = ae.run("adam", ae.bowl(), steps=50, lr=lr)
        self.path.set_data(*traj.params.T)
        self.marker.set_visible(start)
        self.marker.set_data(*traj.params[:1].T)
        return f"lr = {lr:g}: f = {traj.loss[-1]:.3g}"


def test_playground_calls_update_once_per_move_and_shows_what_it_returns():
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    p = _Tiny()
    assert plt.get_fignums() == before, "a playground must not create pyplot figures"
    assert p.calls == 1 and p.readout.value.startswith("lr = 0.1: f = ")
    first = p.image.value
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    p.inputs["lr"].value = 0.3
    assert p.calls == 2 and p.readout.value.startswith("lr = 0.3: ")
    assert p.image.value != first and p.last_update_ms is not None
    moved = p.image.value
    p.inputs["start"].value = True
    assert p.calls == 3 and p.image.value != moved
    bundle, metadata = p._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    # the fallback PNG has SCALE x the pixels of its width on screen (sharp when projected)
    png_width = int.from_bytes(p.image.value[16:20], "big")
    assert metadata["image/png"]["width"] * SCALE == png_width == int(p.image.width) * SCALE
    assert base64.b64decode(bundle["image/png"]) == p.image.value
    assert "adam-edu-playground" in p.widget._dom_classes and "adam-edu-figure" in p.image._dom_classes
    assert "adam-edu-readout" in p.readout._dom_classes


def test_blitted_frame_equals_a_full_redraw():
    p = _Tiny()
    p.inputs["lr"].value = 0.25
    assert p.image.value == p.render(full=True)
