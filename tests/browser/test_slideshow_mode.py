"""Live slides with working widgets: jupyterlab-slideshow presents the notebook inside JupyterLab.

jupyterlab-rise cannot run ipywidgets 8 in its slideshow (see test_rise.py). jupyterlab-slideshow
turns the notebook panel itself into a deck (toolbar button "deck", or the command `deck:start`),
so the widget manager is JupyterLab's own and playgrounds stay live. For the first lesson with a
playground: start the deck on the title slide, check it shows the title with maths typeset, run all
cells, step back to the playground's slide, move a control and wait for the figure to change.
Skipped (with the reason) when jupyterlab-slideshow is not installed.
"""
from __future__ import annotations

import uuid

import nbformat
import pytest
from conftest import ARTIFACTS, NOTEBOOKS, ROOT
from test_lab import KERNEL_IDLE, RUN_ALL, WIDGETS_SETTLED, round_trip
from test_rise import title_of

pytest.importorskip("jupyterlab_slideshow", reason="jupyterlab-slideshow is not installed")

LESSON = next((nb for nb in NOTEBOOKS if "Playground(" in nb.read_text()
               or "adam-edu-playground" in nb.read_text()), NOTEBOOKS[-1])
ACTIVE_CELL_SHOWN = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  return document.body.dataset.jpDeckMode === 'presenting'
         && panel.content.activeCell !== null && panel.content.activeCell.node.offsetParent !== null;
}"""


def test_deck_mode_keeps_playgrounds_live(lab, offline):
    base, token = lab
    page = offline.page
    nb = nbformat.read(LESSON, as_version=4)
    relative = LESSON.relative_to(ROOT).as_posix()
    page.goto(f"{base}/lab/workspaces/{uuid.uuid4().hex}/tree/{relative}?reset&token={token}")
    page.wait_for_function(KERNEL_IDLE, arg=relative, timeout=60_000, polling=100)

    page.evaluate("() => window.jupyterapp.commands.execute('deck:start')")
    page.wait_for_function(ACTIVE_CELL_SHOWN, timeout=30_000, polling=100)
    title = page.locator(".jp-Cell").first
    assert title_of(nb).casefold() in title.inner_text().casefold()
    if "$" in nb.cells[0].source:
        assert title.locator("mjx-container").count() > 0, "maths on the title slide not typeset"

    page.evaluate(RUN_ALL)
    page.wait_for_function("() => window.__adamRun.done", timeout=300_000, polling=100)
    page.wait_for_function(WIDGETS_SETTLED, timeout=60_000, polling=100)
    playground = page.locator(".adam-edu-playground").first
    index = page.evaluate("""() => window.jupyterapp.shell.currentWidget.content.widgets
                               .findIndex(c => c.node.querySelector('.adam-edu-playground'))""")
    assert index >= 0, f"{LESSON.name} shows no playground"
    # Run all leaves the last cell active: go back slide by slide (deck:back), then down through
    # subslides and fragments (deck:down) to the playground's cell.
    active = "() => window.jupyterapp.shell.currentWidget.content.activeCellIndex"
    for command, done in (("deck:back", lambda a: a <= index), ("deck:down", lambda a: a >= index)):
        for _ in range(len(nb.cells)):
            if done(page.evaluate(active)):
                break
            page.evaluate(f"() => window.jupyterapp.commands.execute('{command}')")
    playground.wait_for(state="visible", timeout=30_000)
    round_trip(page, playground)
    ARTIFACTS.joinpath("screenshots").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "screenshots" / f"deck_mode_{LESSON.stem}.png"))
    page.evaluate("() => window.jupyterapp.commands.execute('deck:stop')")
    page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.shutdown()")
