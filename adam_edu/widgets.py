"""The machinery every playground shares: controls wired to a persistent figure shown as a PNG.

A playground owns one matplotlib figure (Agg, no pyplot, so nothing is displayed twice). A subclass
says three things: its ``controls()``, how to ``draw(fig)`` the figure once, and how to
``update(**values)`` it for new control values, returning the readout's HTML. The base class calls
``update`` once after ``draw`` and again on every control move, puts the returned HTML under the
figure, and re-renders the figure into an ``ipywidgets.Image``. Artists made with ``animated=True``
are the ones ``update`` moves: the rest of the figure (contours, axes) is rendered once and cached,
and a move redraws only the animated artists on top of it (blitting).

Every playground can be used by keyboard and screen reader (:mod:`adam_edu.accessibility`): each
control has a worded name, and the figure a text alternative (``figure_description`` and the
readout now) that follows every move.

Displayed in JupyterLab or Notebook 7 it is a live widget; where widgets cannot run (GitHub's viewer,
nbconvert without widget state) the same output carries a static PNG of the first figure. No maths
lives here: subclasses call library functions only.
"""
from __future__ import annotations

import base64
import html
import io
import time

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image as PILImage

from adam_edu.accessibility import NAME_CONTROLS_JS, figure_text, spoken_name
from adam_edu.plots import DISPLAY_DPI, PLAYGROUND_STYLE, SCALE


class Playground:
    """Base class: subclasses define ``controls()``, ``draw(fig)`` and ``update(**values) -> str``.

    Attributes
    ----------
    widget : ipywidgets.VBox
        The whole playground (CSS class ``adam-edu-playground``).
    image : ipywidgets.Image
        The figure (CSS class ``adam-edu-figure``).
    readout : ipywidgets.HTML
        What ``update`` returned last (CSS class ``adam-edu-readout``).
    last_update_ms : float or None
        How long the last control move took (``update`` and the redraw), in ms.
    figure_description : str
        Set by a subclass: what the figure shows, in words (the start of its text alternative).
    figure_text : ipywidgets.HTML
        Hidden: the figure's text alternative, which the page makes the image's ``alt``.
    names : ipywidgets.Output
        Hidden: the script that names slider handles and play buttons in the page.
    """

    figure_description = ""

    figsize = (9.0, 3.6)      # inches; shown at DISPLAY_DPI CSS px per inch, drawn at SCALE x that

    def controls(self) -> dict:
        """Name -> ipywidget; each name is passed to ``update`` as a keyword."""
        raise NotImplementedError

    def draw(self, fig) -> None:
        """Create the axes and artists once; keep the animated ones that ``update`` will move."""
        raise NotImplementedError

    def update(self, **values) -> str:
        """Move the animated artists for the control values; return the readout's HTML."""
        raise NotImplementedError

    def __init__(self):
        import ipywidgets as widgets
        import matplotlib as mpl
        from IPython.display import Javascript

        self.inputs = self.controls()
        for name, control in self.inputs.items():      # a worded name for every control
            control.tooltip = spoken_name(name, control)
        self.readout = widgets.HTML()
        self.readout.add_class("adam-edu-readout")
        with mpl.rc_context(PLAYGROUND_STYLE):
            self.fig = Figure(figsize=self.figsize, dpi=SCALE * DISPLAY_DPI, layout="constrained")
            self.canvas = FigureCanvasAgg(self.fig)
            self.draw(self.fig)
            self.readout.value = self.update(**self.values())
            self.canvas.draw()
        # Constrained layout is computed once; re-solving it on every redraw would double its cost.
        self.fig.set_layout_engine("none")
        self._background = None
        self.image = widgets.Image(format="png", value=self.render(full=True), width=self.css_width())
        self.image.add_class("adam-edu-figure")
        # The figure in words (hidden; the page makes it the image's alt) and the names ipywidgets
        # does not give (slider handles, play buttons): see adam_edu.accessibility.
        self.figure_text = widgets.HTML(layout=widgets.Layout(display="none"))
        self.figure_text.add_class("adam-edu-figure-text")
        self.names = widgets.Output(layout=widgets.Layout(display="none"))
        self.names.append_display_data(Javascript(NAME_CONTROLS_JS))
        self.describe_figure()
        rows = [widgets.HBox(list(self.inputs.values())[i:i + 3]) for i in range(0, len(self.inputs), 3)]
        self.widget = widgets.VBox([*rows, self.image, self.readout, self.figure_text, self.names])
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

    def refresh(self) -> None:
        """Update and redraw for the current control values (what a control move triggers)."""
        start = time.perf_counter()
        self.readout.value = self.update(**self.values())
        self.image.value = self.render()
        self.describe_figure()
        self.last_update_ms = 1e3 * (time.perf_counter() - start)

    def describe_figure(self) -> None:
        """Set the figure's text alternative: what it shows and the readout now."""
        text = figure_text(self.figure_description, self.readout.value)
        self.figure_text.value = html.escape(text)

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
