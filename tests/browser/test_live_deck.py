"""Every stop of every live deck (jupyterlab-slideshow, Alt+R), at 100 % and at 150 % zoom.

For each notebook: open it, run all cells (figures and playgrounds are live), go to the first cell,
press Alt+R. Pass 1 at 1280x720: ArrowRight from the first stop to the last. Pass 2 at 150 % browser
zoom (853x480 CSS px at devicePixelRatio 1.5): back to the start, then PageDown (a clicker) to the
last stop. In both passes the stops must be every cell that is neither `skip` nor `notes`, in
order, and each must be on screen at its stop, so every slide, figure and playground is reached
(a cell left on "-" is not: see tests/test_lessons.py). Each stop must satisfy slide_rules (type size
in screen pixels, nothing cut off, nothing wrapped) with `hide-input` code hidden. Screenshots of
every stop: artifacts/screenshots/live_<notebook>_<zoom>_<stop>.png. The slowest key press to
stop-drawn time and the smallest sizes go to artifacts/browser_timings.json.
"""
from __future__ import annotations

import time
import uuid

import nbformat
import pytest
import slide_rules
from conftest import ARTIFACTS, ROOT, notebook_params, record_timing
from test_lab import KERNEL_IDLE, RUN_ALL, WIDGETS_SETTLED

# 150 % browser zoom on a 1280x720 screen: a CSS px is 1.5 screen px, the page is 853x480 CSS px.
ZOOM_150 = {"width": 853, "height": 480, "deviceScaleFactor": 1.5, "mobile": False}
PRESENTING = "() => document.body.dataset.jpDeckMode === 'presenting'"
ACTIVE = "() => window.jupyterapp.shell.currentWidget.content.activeCellIndex"
# The new stop is drawn: its cell is on screen and two animation frames have passed since.
DRAWN = """async (old) => {
  const notebook = window.jupyterapp.shell.currentWidget.content;
  if (notebook.activeCellIndex === old) return false;
  const node = notebook.activeCell.node;
  if (!node.classList.contains('jp-deck-mod-onscreen') || node.getBoundingClientRect().height === 0)
    return false;
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  return true;
}"""
HIDDEN_CODE_SHOWN = """() => [...document.querySelectorAll(
    ".jp-Deck .jp-Cell.jp-deck-mod-onscreen[data-jpf-cell-tags*=',hide-input,'] .jp-Cell-inputWrapper")]
  .filter(e => e.getBoundingClientRect().height > 0).length"""


def slide_type(cell) -> str:
    return cell.metadata.get("slideshow", {}).get("slide_type", "-")


def stops(nb) -> list[int]:
    """The cells a key press goes to, in order: all but `skip` and `notes`."""
    return [i for i, cell in enumerate(nb.cells) if slide_type(cell) not in ("skip", "notes")]


# (A cell the deck puts on screen may still be 0 px high: hide-input code with no output.)
ON_SCREEN = """() => window.jupyterapp.shell.currentWidget.content.widgets
  .map((cell, i) => cell.node.classList.contains('jp-deck-mod-onscreen')
       && getComputedStyle(cell.node).visibility === 'visible' ? i : -1).filter(i => i >= 0)"""


def walk(page, key: str, expected: list[int], label: str) -> dict:
    """Press `key` from the first stop to the last; check and screenshot each stop."""
    shots = ARTIFACTS / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    visited, problems, slowest, seen = [page.evaluate(ACTIVE)], [], 0.0, set()
    smallest = {"body": None, "code": None}
    for step in range(len(expected)):
        at = visited[-1]
        seen.update(page.evaluate(ON_SCREEN))
        measured = slide_rules.measure(page, ".jp-NotebookPanel.jp-Deck")
        problems += [f"stop {step} (cell {at}): {p}" for p in slide_rules.broken(measured)]
        if page.evaluate(HIDDEN_CODE_SHOWN):
            problems.append(f"stop {step} (cell {at}): the code of a hide-input cell is shown")
        for kind in smallest:
            if measured[kind] and (smallest[kind] is None or measured[kind]["px"] < smallest[kind]):
                smallest[kind] = measured[kind]["px"]
        page.screenshot(path=str(shots / f"live_{label}_{step:02d}.png"))
        if step == len(expected) - 1:
            break
        start = time.perf_counter()
        page.keyboard.press(key)
        page.wait_for_function(DRAWN, arg=at, timeout=15_000, polling="raf")
        slowest = max(slowest, time.perf_counter() - start)
        visited.append(page.evaluate(ACTIVE))
    assert visited == expected, f"{key} visits cells {visited}, the deck's stops are {expected}"
    assert set(expected) <= seen, f"cells {sorted(set(expected) - seen)} never on screen ({key})"
    return {"problems": problems, "slowest_s": round(slowest, 3), "smallest_px": smallest}


def stop_deck(page) -> None:
    """End the deck if one is on (the deck's state is a user setting shared by later tests)."""
    page.evaluate(f"() => ({PRESENTING})() && window.jupyterapp.commands.execute('deck:stop')")
    page.wait_for_function(f"() => !({PRESENTING})()", timeout=10_000, polling=50)


def start_at_first_stop(page, first: int, again: bool = False) -> None:
    """Alt+R with the first stop's cell active (ending the deck first if `again`)."""
    notebook = page.locator(".jp-NotebookPanel .jp-Notebook")
    if not again and page.evaluate(PRESENTING):  # a deck left on by a test that failed in it
        stop_deck(page)
    if again:
        notebook.focus()
        page.keyboard.press("Alt+r")
        page.wait_for_function(f"() => !({PRESENTING})()", timeout=10_000, polling=50)
    page.evaluate(f"() => {{ window.jupyterapp.shell.currentWidget.content.activeCellIndex = {first}; }}")
    notebook.focus()
    page.keyboard.press("Alt+r")
    page.wait_for_function(PRESENTING, timeout=30_000, polling=50)
    page.wait_for_timeout(500)  # the course's deck styles come from a debounced stylesheet


@pytest.mark.parametrize("notebook", notebook_params())
def test_every_stop_of_the_live_deck(notebook, lab, offline_at):
    base, token = lab
    nb = nbformat.read(notebook, as_version=4)
    expected = stops(nb)
    offline = offline_at({"width": 1280, "height": 720})
    page = offline.page
    relative = notebook.relative_to(ROOT).as_posix()
    page.goto(f"{base}/lab/workspaces/{uuid.uuid4().hex}/tree/{relative}?reset&token={token}")
    page.wait_for_function(KERNEL_IDLE, arg=relative, timeout=60_000, polling=100)
    page.evaluate(RUN_ALL)
    page.wait_for_function("() => window.__adamRun.done", timeout=300_000, polling=200)
    page.wait_for_function(WIDGETS_SETTLED, timeout=60_000, polling=200)
    try:
        start_at_first_stop(page, expected[0])
        report = {"stops": len(expected),
                  "100%": walk(page, "ArrowRight", expected, f"{notebook.stem}_100")}
        cdp = page.context.new_cdp_session(page)
        cdp.send("Emulation.setDeviceMetricsOverride", ZOOM_150)
        start_at_first_stop(page, expected[0], again=True)
        report["150%"] = walk(page, "PageDown", expected, f"{notebook.stem}_150")
    finally:
        stop_deck(page)
        page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.shutdown()")
    record_timing(f"live_deck[{notebook.stem}]", report)
    problems = report["100%"]["problems"] + [f"150 %: {p}" for p in report["150%"]["problems"]]
    assert not problems, f"{len(problems)} broken rule(s):\n  " + "\n  ".join(problems[:30])
