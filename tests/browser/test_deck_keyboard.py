"""In the live deck (Alt+R), in JupyterLab and in Notebook 7, a focused control keeps its keys.

jupyterlab-slideshow binds the arrow keys, Space and Shift+Space to "next/previous slide" for any
focused element of the notebook. Notebook 7 handles a key before the page does (its application
listens in the capture phase; JupyterLab's lets the focused element see the key first), so there
ArrowRight on a focused slider would change the slide; Space on a focused checkbox does so in
both. The course's shortcut settings (jupyter-config/) give a focused widget control those keys.

For the first lesson with a playground, in each front end: run all cells, make the playground's
cell the active one and start the deck there; focus a slider handle and press ArrowRight: the figure changes, the focus
stays and the deck stays on its slide; if the playground has a checkbox, Space toggles it and the
deck stays. Then, with no control focused (the active cell is), ArrowRight moves the deck on.
The deck is ended (deck:toggle; Alt+R is test_slideshow_mode's). The time from Alt+R to the deck shown goes to artifacts/browser_timings.json.
"""
from __future__ import annotations

import time

import playground_checks as checks
import pytest
from conftest import ARTIFACTS, FRONT_ENDS, NOTEBOOKS, open_notebook, record_timing
from test_lab import RUN_ALL, WIDGETS_SETTLED

LESSON = next(nb for nb in NOTEBOOKS if "Playground(" in nb.read_text())
PRESENTING = "() => document.body.dataset.jpDeckMode === 'presenting'"
ACTIVE = "() => window.jupyterapp.shell.currentWidget.content.activeCellIndex"
PLAYGROUND_CELL = """() => window.jupyterapp.shell.currentWidget.content.widgets
  .findIndex(c => c.node.querySelector('.adam-edu-playground'))"""
FOCUS_ACTIVE_CELL = """() => {
  document.activeElement && document.activeElement.blur();
  window.jupyterapp.shell.currentWidget.content.activeCell.node.focus();
}"""


def start_deck(page) -> None:
    """Alt+R as a presenter presses it: with the notebook focused in command mode."""
    page.locator(".jp-NotebookPanel .jp-Notebook").focus()
    page.keyboard.press("Alt+r")


@pytest.mark.parametrize("front", list(FRONT_ENDS))
def test_focused_control_keeps_its_keys_in_the_live_deck(front, lab, offline):
    page = offline.page
    open_notebook(page, lab, front, LESSON)
    page.evaluate(RUN_ALL)
    page.wait_for_function("() => window.__adamRun.done", timeout=300_000, polling=100)
    page.wait_for_function(WIDGETS_SETTLED, timeout=60_000, polling=100)
    index = page.evaluate(PLAYGROUND_CELL)
    assert index >= 0, f"{LESSON.name} shows no playground"
    # The deck starts at the active cell: the playground's.
    page.evaluate(f"() => {{ window.jupyterapp.shell.currentWidget.content.activeCellIndex = {index}; }}")

    start = time.perf_counter()
    start_deck(page)
    page.wait_for_function(PRESENTING, timeout=30_000, polling=50)
    record_timing(f"{front}_alt_r_to_deck_seconds[{LESSON.stem}]",
                  round(time.perf_counter() - start, 2))
    try:
        playground = page.locator(".adam-edu-playground").first
        playground.wait_for(state="visible", timeout=30_000)
        slide = page.evaluate(ACTIVE)

        moved = checks.keyboard_move(page, playground)
        assert page.evaluate(ACTIVE) == slide and page.evaluate(PRESENTING), (
            "an arrow key on a focused slider moved the deck")
        box = playground.locator(".widget-checkbox input").first
        if box.count() and box.is_visible():
            checked = box.is_checked()
            box.focus()
            page.keyboard.press("Space")
            page.wait_for_function("([el, was]) => el.checked !== was",
                                   arg=[box.element_handle(), checked], timeout=10_000)
            assert page.evaluate(ACTIVE) == slide, "Space on a focused checkbox moved the deck"
            moved += "; focus checkbox + Space"
        ARTIFACTS.joinpath("screenshots").mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "screenshots" / f"deck_keys_{front}.png"))

        page.evaluate(FOCUS_ACTIVE_CELL)          # no control has focus: the deck takes the key
        page.keyboard.press("ArrowRight")
        page.wait_for_function(f"(old) => ({ACTIVE})() !== old", arg=slide, timeout=10_000)
        record_timing(f"{front}_deck_keys[{LESSON.stem}]", moved + "; cell focused + ArrowRight")
    finally:
        if page.evaluate(PRESENTING):
            page.evaluate("() => window.jupyterapp.commands.execute('deck:toggle')")
            page.wait_for_function(f"() => !({PRESENTING})()", timeout=10_000, polling=50)
        page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.shutdown()")
