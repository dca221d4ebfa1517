"""Live slides: Alt+R on a lesson starts jupyterlab-slideshow's deck, in which playgrounds still run.

jupyterlab-rise cannot run ipywidgets 8 in its slideshow (see test_rise.py). jupyterlab-slideshow
turns the notebook panel itself into a deck, so the widget manager is JupyterLab's own and
playgrounds stay live. The course's settings (jupyter-config/, placed into the environment by
course.py or postBuild) bind Alt+R to `deck:toggle` and turn RISE's Alt+R off. For the first lesson
with a playground the test presents as the README (and lesson 0's "Slides mode" slide) says: run
all cells, click the title, `Esc`, Alt+R. It checks that Alt+R is bound to the deck and nothing
else and that the deck shows the title slide only; then presses ArrowRight, as a lecturer does,
and checks that each press goes to the next stop (every cell that is neither `skip` nor `notes`,
in order) up to the playground's cell, that the first slide with maths on the way is typeset, and
that the playground is on screen and answers a control (a real round trip to the kernel); then
Alt+R again ends the deck. (Run all *inside* the deck ends on the lesson's last cell, a speaker
note, which the deck does not show: that is why the lesson runs first.)
Screenshots: artifacts/screenshots/deck_<lesson>_{title,maths,playground}.png; the time from Alt+R
to the title slide shown goes to artifacts/browser_timings.json.
"""
from __future__ import annotations

import time
import uuid

import nbformat
from conftest import ARTIFACTS, NOTEBOOKS, ROOT, record_timing
from test_lab import KERNEL_IDLE, RUN_ALL, WIDGETS_SETTLED, round_trip
from test_live_deck import stop_deck, stops
from test_rise import title_of

LESSON = next((nb for nb in NOTEBOOKS if "Playground(" in nb.read_text()
               or "adam-edu-playground" in nb.read_text()), NOTEBOOKS[-1])
# Every key binding of Alt+R (JupyterLab normalises the keys to "Alt R").
ALT_R_BINDINGS = """() => window.jupyterapp.commands.keyBindings
  .filter(b => b.keys.length === 1 && b.keys[0] === 'Alt R').map(b => b.command)"""
PRESENTING = "() => document.body.dataset.jpDeckMode === 'presenting'"
ACTIVE = "() => window.jupyterapp.shell.currentWidget.content.activeCellIndex"
# A cell is on the present slide when the deck marks it on screen; the others are hidden.
ON_SCREEN = """(node) => node.classList.contains('jp-deck-mod-onscreen')
  && getComputedStyle(node).visibility === 'visible' && node.getBoundingClientRect().height > 0"""
SHOWN = f"""() => window.jupyterapp.shell.currentWidget.content.widgets
  .map((cell, i) => ({ON_SCREEN})(cell.node) ? i : -1).filter(i => i >= 0)"""
ACTIVE_CELL_SHOWN = f"""() => ({PRESENTING})()
  && ({ON_SCREEN})(window.jupyterapp.shell.currentWidget.content.activeCell.node)"""
MATHS = f"""(i) => {{
  const node = window.jupyterapp.shell.currentWidget.content.widgets[i].node;
  return {{shown: ({ON_SCREEN})(node),
          typeset: node.querySelectorAll('mjx-container').length,
          errors: node.querySelectorAll('mjx-merror').length}};
}}"""


def shoot(page, part: str) -> None:
    ARTIFACTS.joinpath("screenshots").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "screenshots" / f"deck_{LESSON.stem}_{part}.png"))


def test_alt_r_starts_a_live_deck(lab, offline):
    base, token = lab
    page = offline.page
    nb = nbformat.read(LESSON, as_version=4)
    relative = LESSON.relative_to(ROOT).as_posix()
    page.goto(f"{base}/lab/workspaces/{uuid.uuid4().hex}/tree/{relative}?reset&token={token}")
    page.wait_for_function(KERNEL_IDLE, arg=relative, timeout=60_000, polling=100)
    stop_deck(page)  # one left on by an earlier test (the deck's state is a user setting)
    assert page.evaluate(ALT_R_BINDINGS) == ["deck:toggle"], (
        "Alt+R must start jupyterlab-slideshow's deck and nothing else; the course's JupyterLab "
        "settings (jupyter-config/) are missing from this environment: run `python3 course.py lab` "
        "once, or `bash postBuild` in a conda environment")

    # As the README says: run the lesson, click its title, Esc, Alt+R.
    page.evaluate(RUN_ALL)
    page.wait_for_function("() => window.__adamRun.done", timeout=300_000, polling=100)
    assert page.evaluate("() => window.__adamRun.ok"), page.evaluate("() => window.__adamRun")
    page.wait_for_function(WIDGETS_SETTLED, timeout=60_000, polling=100)
    page.locator(".jp-NotebookPanel .jp-Cell").first.click()
    page.keyboard.press("Escape")
    start = time.perf_counter()
    page.keyboard.press("Alt+r")
    page.wait_for_function(ACTIVE_CELL_SHOWN, timeout=30_000, polling=50)
    record_timing(f"alt_r_to_deck_seconds[{LESSON.stem}]", round(time.perf_counter() - start, 2))
    assert page.locator('iframe[src*="/rise/"]').count() == 0, "Alt+R opened RISE"
    assert page.evaluate(ACTIVE) == 0
    slides = [i for i, c in enumerate(nb.cells)
              if c.metadata.get("slideshow", {}).get("slide_type") == "slide"]
    shown = page.evaluate(SHOWN)
    assert 0 in shown and not set(slides[1:]) & set(shown), \
        f"the deck should show the title slide only, shows cells {shown}"
    title = page.locator(".jp-Cell").first.inner_text()
    assert title_of(nb).casefold() in title.casefold(), f"no title on the first slide: {title!r}"
    shoot(page, "title")

    # ArrowRight, stop by stop, to the playground's cell; the first slide with maths is typeset.
    index = page.evaluate("""() => window.jupyterapp.shell.currentWidget.content.widgets
                               .findIndex(c => c.node.querySelector('.adam-edu-playground'))""")
    assert index >= 0, f"{LESSON.name} shows no playground"
    expected = [i for i in stops(nb) if i <= index]
    assert expected[-1] == index, f"the playground's cell {index} is not a stop of the deck"
    maths = [i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and "$" in c.source]
    visited, typeset = [page.evaluate(ACTIVE)], None
    while visited[-1] < index and len(visited) < len(expected):
        page.keyboard.press("ArrowRight")
        page.wait_for_function(f"(old) => ({ACTIVE})() !== old", arg=visited[-1], timeout=10_000,
                               polling=50)
        visited.append(page.evaluate(ACTIVE))
        if typeset is None and visited[-1] in maths:
            typeset = visited[-1]
            page.wait_for_function(f"(i) => ({MATHS})(i).typeset > 0", arg=typeset,
                                   timeout=30_000, polling=100)
            state = page.evaluate(MATHS, typeset)
            assert state["shown"] and state["errors"] == 0, f"cell {typeset}: {state}"
            shoot(page, "maths")
    assert visited == expected, f"ArrowRight visits cells {visited}, the deck's stops are {expected}"
    assert typeset is not None or not set(maths) & set(expected), "no slide with maths was typeset"
    playground = page.locator(".adam-edu-playground").first
    playground.wait_for(state="visible", timeout=30_000)
    round_trip(page, playground)
    shoot(page, "playground")

    page.locator(".jp-NotebookPanel .jp-Notebook").focus()
    page.keyboard.press("Alt+r")
    page.wait_for_function(f"() => !({PRESENTING})()", timeout=10_000, polling=50)
    page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.shutdown()")
