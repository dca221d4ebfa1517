"""The machinery every playground shares: controls wired to a persistent figure shown as a PNG.

A playground owns one matplotlib figure (Agg, no pyplot, so nothing is displayed twice). Moving a
control calls the subclass's ``update(**values)``, which recomputes with ``adam_edu`` and moves the
artists it drew once in ``draw(fig, **values)``; then the figure is re-rendered into an
``ipywidgets.Image``. Artists made with ``animated=True`` are *dynamic*: the static rest of the figure
(contours, axes) is rendered once and cached, and a move redraws only the dynamic artists on top of it
(blitting). ``update`` returns True when it changed something static (axis limits, say) and the cache
must be rebuilt.

Displayed in JupyterLab or Notebook 7 it is a live widget; where widgets cannot run (GitHub's viewer,
nbconvert without widget state) the same output carries a static PNG of the first figure. No maths
lives here: subclasses call library functions only.
"""
from __future__ import annotations

import base64
import io
import time

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image as PILImage

from adam_edu.plots import DISPLAY_DPI, SCALE, STYLE


class Playground:
    """Base class: subclasses define ``controls()``, ``draw(fig, **values)`` and ``update(**values)``.

    Attributes
    ----------
    widget : ipywidgets.VBox
        The whole playground (CSS class ``adam-edu-playground``).
    image : ipywidgets.Image
        The figure (CSS class ``adam-edu-figure``).
    readout : ipywidgets.HTML
        Text a subclass may set with :meth:`show_text` (CSS class ``adam-edu-readout``).
    """

    figsize = (9.0, 3.6)      # inches; shown at DISPLAY_DPI CSS px per inch, drawn at SCALE x that

    def controls(self) -> dict:
        """Name -> ipywidget; each name is passed to ``draw`` and ``update`` as a keyword."""
        raise NotImplementedError

    def draw(self, fig, **values) -> None:
        """Create the axes and artists once; keep references to the ones ``update`` will move."""
        raise NotImplementedError

    def update(self, **values) -> bool:
        """Move the artists for new control values; return True if static parts changed too."""
        raise NotImplementedError

    def __init__(self):
        import ipywidgets as widgets
        import matplotlib as mpl

        self.inputs = self.controls()
        self.readout = widgets.HTML()      # before draw(), so draw() may already show_text()
        self.readout.add_class("adam-edu-readout")
        with mpl.rc_context(STYLE):
            self.fig = Figure(figsize=self.figsize, dpi=SCALE * DISPLAY_DPI, layout="constrained")
            self.canvas = FigureCanvasAgg(self.fig)
            self.draw(self.fig, **self.values())
            self.canvas.draw()
        # Constrained layout is computed once; re-solving it on every redraw would double its cost.
        self.fig.set_layout_engine("none")
        self._background = None
        self.image = widgets.Image(format="png", value=self.render(full=True), width=self.css_width())
        self.image.add_class("adam-edu-figure")
        rows = [widgets.HBox(list(self.inputs.values())[i:i + 3]) for i in range(0, len(self.inputs), 3)]
        self.widget = widgets.VBox([*rows, self.image, self.readout])
        self.widget.add_class("adam-edu-playground")
        for control in self.inputs.values():
            control.observe(self._on_change, names="value")
        self.last_update_ms = None

    def css_width(self) -> str:
        """Width of the figure on screen in CSS px (its PNG has SCALE x as many pixels)."""
        return str(round(self.figsize[0] * DISPLAY_DPI))

    def values(self) -> dict:
        """The current value of every control."""
        return {name: control.value for name, control in self.inputs.items()}

    def show_text(self, html: str) -> None:
        self.readout.value = html

    def refresh(self) -> None:
        """Recompute and redraw for the current control values (what a control move triggers)."""
        start = time.perf_counter()
        static_changed = self.update(**self.values())
        self.image.value = self.render(full=bool(static_changed))
        self.last_update_ms = 1e3 * (time.perf_counter() - start)

    def _on_change(self, change) -> None:
        self.refresh()

    def render(self, full: bool = False) -> bytes:
        """PNG bytes of the figure; only the dynamic artists are redrawn unless ``full``."""
        dynamic = [a for ax in self.fig.axes for a in ax.get_children() if a.get_animated()]
        if full or self._background is None:
            self.canvas.draw()                       # draws everything but animated artists
            self._background = self.canvas.copy_from_bbox(self.fig.bbox)
        else:
            self.canvas.restore_region(self._background)
        for artist in dynamic:
            artist.axes.draw_artist(artist)
        rgba = np.asarray(self.canvas.buffer_rgba())
        out = io.BytesIO()
        PILImage.fromarray(rgba[..., :3]).save(out, format="png", compress_level=1)
        return out.getvalue()

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs) or {}
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        data = dict(data)
        data["image/png"] = base64.b64encode(self.image.value).decode("ascii")
        data["text/plain"] = f"<{type(self).__name__}: an interactive playground; run it in JupyterLab>"
        return data, {"image/png": {"width": int(self.css_width())}}
