"""Every playground can be read without colour and without sight, and used without a mouse.

Checked here, in the kernel: each control has a worded name (not only a symbol), each figure a
text alternative that says what it shows and follows the readout, and every labelled series of a
figure differs from the others in line style or marker, not only in colour. The course's shortcut
settings give a focused control its keys in every front end. What only a browser can show (the
names on the page, Tab and arrow keys, axe-core) is in tests/browser/test_lab.py.
"""
from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
from pathlib import Path

import pytest

import adam_edu.playgrounds
from adam_edu.accessibility import has_words
from adam_edu.widgets import Playground

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = ROOT / "jupyter-config" / "labconfig" / "default_setting_overrides.d" / "adam-edu.json"


def playground_classes() -> list[type]:
    found = []
    for info in pkgutil.iter_modules(adam_edu.playgrounds.__path__):
        module = importlib.import_module(f"adam_edu.playgrounds.{info.name}")
        found += [cls for _, cls in inspect.getmembers(module, inspect.isclass)
                  if issubclass(cls, Playground) and cls is not Playground
                  and cls.__module__ == module.__name__]
    return found


@pytest.fixture(scope="module", params=playground_classes(), ids=lambda cls: cls.__name__)
def playground(request):
    return request.param()


def test_tick_labels_stay_readable_on_a_static_slide(playground):
    """The static deck shows a playground's figure at most PLAYGROUND_SLIDE_HEIGHT px high (the
    deck's CSS says the same); shrunk to that, every tick label is still >= 16 px."""
    import re

    from adam_edu.plots import DISPLAY_DPI, PLAYGROUND_SLIDE_HEIGHT

    css = (ROOT / "tools/slides_template/adam_reveal/static/adam_slides.css").read_text()
    capped = re.search(r"img\.adam-edu-figure \{[^}]*max-height: (\d+)px", css)
    assert capped and int(capped.group(1)) == PLAYGROUND_SLIDE_HEIGHT
    playground.render(full=True)
    shrink = min(1.0, PLAYGROUND_SLIDE_HEIGHT / (playground.fig.get_figheight() * DISPLAY_DPI))
    sizes = {round(label.get_fontsize() * DISPLAY_DPI / 72 * shrink, 1)
             for ax in playground.fig.axes
             for label in ax.get_xticklabels() + ax.get_yticklabels() if label.get_text()}
    assert sizes and min(sizes) >= 16, sizes


def test_every_control_has_a_worded_name(playground):
    for name, control in playground.inputs.items():
        assert has_words(control.tooltip), (
            f"{type(playground).__name__} control {name!r} is named {control.tooltip!r}: give it a "
            "tooltip with words, or add its name to SPOKEN in adam_edu/accessibility.py")


def test_figure_text_says_what_it_shows_and_follows_the_readout(playground):
    assert has_words(playground.figure_description), (
        f"{type(playground).__name__} has no figure_description")
    text = playground.figure_text.value
    assert text.startswith("Figure. ") and "Now: " in text
    slider = next(c for c in playground.inputs.values()
                  if hasattr(c, "max") or hasattr(c, "options"))
    if hasattr(slider, "options"):                  # options may be (label, value) pairs
        values = [o[1] if isinstance(o, tuple) else o for o in slider.options]
        slider.value = next(v for v in values if v != slider.value)
    else:
        slider.value = slider.max if slider.value != slider.max else slider.min
    assert playground.figure_text.value != text, "the figure's text did not follow the move"


def test_series_differ_in_more_than_colour(playground):
    for ax in playground.fig.axes:
        seen = {}
        for line in ax.get_lines():
            label = line.get_label()
            if label.startswith("_"):
                continue
            look = (line.get_linestyle(), line.get_marker())
            assert look not in seen, (
                f"{type(playground).__name__}: {label!r} and {seen[look]!r} differ only in colour "
                f"(line style and marker {look})")
            seen[look] = label


def test_a_focused_control_keeps_its_keys():
    """Each key a front end or the live deck binds is given back to a focused widget control."""
    shortcuts = json.loads(SETTINGS.read_text())["@jupyterlab/shortcuts-extension:shortcuts"]
    kept = {(s["selector"].split()[-1], s["keys"][0]) for s in shortcuts["shortcuts"]
            if s["command"] == "apputils:run-first-enabled"}
    for s in shortcuts["shortcuts"]:
        if s["command"] == "apputils:run-first-enabled":
            assert s["args"] == {"commands": []} and s["preventDefault"] is False
            assert "," not in s["selector"], "JupyterLab rejects a shortcut selector with commas"
    arrows = ("ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown")
    for key in (*arrows, "Home", "End", "PageUp", "PageDown"):
        assert (".noUi-handle:focus", key) in kept and ("select:focus", key) in kept
    for control in ("input:focus", "button:focus", "select:focus"):
        assert (control, "Space") in kept
