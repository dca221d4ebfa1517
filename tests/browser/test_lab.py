"""Every lesson runs in JupyterLab in a real browser, its playgrounds render and answer a control.

For each notebook: open it, wait for an idle kernel, run all cells, wait until they have finished
and every widget view has rendered, then assert there is no error output, no "Error displaying
widget" / "model not found", and that each `.adam-edu-playground` has controls and a figure. Then
move one control per playground (slider handle + ArrowRight, else a checkbox, toggle or button) and
wait for its `.adam-edu-figure` image to change: the value went to the kernel and a new PNG came
back. Screenshot: artifacts/screenshots/<lesson>.png; the time from "run all" to "all widgets
rendered" goes to artifacts/browser_timings.json.
"""
from __future__ import annotations

import contextlib
import time
import uuid

import pytest
from conftest import ARTIFACTS, ROOT, notebook_params, record_timing
from playwright.sync_api import TimeoutError as PlaywrightTimeout

RUN_ALL_TIMEOUT_MS = 300_000  # a whole lesson on a slow CI machine
ROUND_TRIP_TIMEOUT_MS = 20_000

KERNEL_IDLE = """(path) => {
  const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const kernel = panel && panel.sessionContext && panel.sessionContext.session
                 && panel.sessionContext.session.kernel;
  return Boolean(panel && panel.context && panel.context.path === path && panel.context.isReady
                 && kernel && kernel.status === 'idle' && kernel.connectionStatus === 'connected');
}"""

RUN_ALL = """() => {
  window.__adamRun = {done: false};
  window.jupyterapp.commands.execute('notebook:run-all-cells').then(
    ok => { window.__adamRun = {done: true, ok: ok}; },
    error => { window.__adamRun = {done: true, ok: false, error: String(error)}; });
}"""

# Code cells that have not run yet or are still running, according to the notebook model.
UNFINISHED = """() => {
  const cells = window.jupyterapp.shell.currentWidget.content.widgets;
  return cells.filter(c => c.model.type === 'code'
                      && (c.model.executionCount === null || c.model.executionState === 'running'))
              .map(c => cells.indexOf(c));
}"""

# True once every widget-view output of the notebook model is on the page, either as a rendered
# widget or as an error message, and every figure image has loaded. (JupyterLab gives widget outputs
# no data-mime-type, so the model says how many there are; "Loading widget..." means not yet.)
WIDGETS_SETTLED = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  let expected = 0;
  for (const cell of panel.content.widgets) {
    if (cell.model.type !== 'code') continue;
    const outputs = cell.model.outputs;
    for (let i = 0; i < outputs.length; i++)
      if (outputs.get(i).data['application/vnd.jupyter.widget-view+json']) expected += 1;
  }
  const areas = [...panel.content.node.querySelectorAll('.jp-OutputArea-output')];
  const shown = areas.filter(o => o.querySelector(':scope > .jupyter-widgets')
                                  || /Error displaying widget/.test(o.textContent)).length;
  const loading = areas.some(o => /Loading widget/.test(o.textContent));
  const figures = [...panel.node.querySelectorAll('img.adam-edu-figure, .adam-edu-figure img')];
  return !loading && shown >= expected
         && figures.every(img => img.complete && img.naturalWidth > 0);
}"""

# The settings conftest.LAB_OVERRIDES must have reached the server, which applies overrides as schema
# defaults (user settings are empty): windowing off (every cell in the DOM) and autosave off
# (running a lesson must not rewrite it on disk).
SETTINGS = """async () => {
  const registry = window.jupyterapp.serviceManager.settings;
  const tracker = await registry.fetch('@jupyterlab/notebook-extension:tracker');
  const docs = await registry.fetch('@jupyterlab/docmanager-extension:plugin');
  return {windowingMode: tracker.schema.properties.windowingMode.default,
          autosave: docs.schema.properties.autosave.default,
          user: [tracker.raw, docs.raw].map(raw => raw.trim()).filter(r => r && r !== '{}')};
}"""

ERRORS = """() => {
  const found = [];
  for (const el of document.querySelectorAll('[data-mime-type="application/vnd.jupyter.error"]'))
    found.push('error output: ' + el.textContent.slice(0, 2000));
  for (const el of document.querySelectorAll(
      '.jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"]'))
    if (/Traceback|Error/.test(el.textContent)) found.push('stderr: ' + el.textContent.slice(0, 2000));
  const text = document.querySelector('.jp-Notebook').innerText;
  for (const phrase of ['Error displaying widget', 'model not found'])
    if (text.includes(phrase)) found.push('widget: ' + phrase);
  return found;
}"""

FIGURE_SRC = """(playground) => {
  const img = playground.querySelector('img.adam-edu-figure, .adam-edu-figure img');
  return img ? img.src : null;
}"""

# Controls to try, in order, and how to move each.
CONTROLS = [
    (".noUi-handle", "slider"),
    ("input[type=checkbox]", "click"),
    ("button.widget-toggle-button", "click"),
    ("select", "select"),
    ("button.jupyter-button:not(.widget-toggle-button)", "click"),
]


def move(control, how: str, page) -> None:
    control.scroll_into_view_if_needed()
    if how == "slider":
        at_max = control.get_attribute("aria-valuenow") == control.get_attribute("aria-valuemax")
        control.focus()
        page.keyboard.press("ArrowLeft" if at_max else "ArrowRight")
    elif how == "select":
        options = control.locator("option").all_inner_texts()
        current = control.input_value()
        control.select_option(next(o for o in options if o != current))
    else:
        control.click()


def round_trip(page, playground) -> str:
    """Move controls of `playground` until its figure changes; return what was moved."""
    handle = playground.element_handle()
    tried = []
    for selector, how in CONTROLS:
        for control in playground.locator(selector).all():
            if not control.is_visible() or not control.is_enabled():
                continue
            before = page.evaluate(FIGURE_SRC, handle)
            move(control, how, page)
            tried.append(selector)
            try:
                page.wait_for_function(f"([el, old]) => ({FIGURE_SRC})(el) !== old",
                                       arg=[handle, before], timeout=ROUND_TRIP_TIMEOUT_MS)
                return selector
            except PlaywrightTimeout:
                continue
    raise AssertionError(f"No control changed the figure (tried: {tried or 'no visible control'}).")


def screenshot(page, stem: str, playgrounds) -> None:
    """Save artifacts/screenshots/<stem>.png showing the first playground, then stop the kernel."""
    shots = ARTIFACTS / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.evaluate("() => window.jupyterapp.shell.collapseLeft()")  # room for the lesson
    if playgrounds:
        playgrounds[0].scroll_into_view_if_needed()
    page.screenshot(path=str(shots / f"{stem}.png"))
    page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.shutdown()")


@pytest.mark.parametrize("notebook", notebook_params())
def test_lesson_runs_and_playgrounds_answer(notebook, lab, offline):
    base, token = lab
    page = offline.page
    relative = notebook.relative_to(ROOT).as_posix()
    # A workspace of its own, so no notebook from an earlier test is restored next to this one.
    page.goto(f"{base}/lab/workspaces/{uuid.uuid4().hex}/tree/{relative}?reset&token={token}")
    page.wait_for_function(KERNEL_IDLE, arg=relative, timeout=60_000, polling=100)
    assert page.locator(".jp-NotebookPanel").count() == 1, "another notebook was restored"
    assert page.evaluate(SETTINGS) == {"windowingMode": "none", "autosave": False, "user": []}

    playgrounds = []
    try:
        start = time.perf_counter()
        page.evaluate(RUN_ALL)
        page.wait_for_function("() => window.__adamRun.done", timeout=RUN_ALL_TIMEOUT_MS,
                               polling=100)
        run = page.evaluate("() => window.__adamRun")
        executed = time.perf_counter() - start
        page.wait_for_function(WIDGETS_SETTLED, timeout=60_000, polling=100)
        rendered = time.perf_counter() - start

        errors = page.evaluate(ERRORS)
        assert not errors, f"{relative} produced errors:\n" + "\n".join(errors)
        assert run.get("ok"), f"Run all did not finish cleanly: {run}"
        assert page.evaluate(UNFINISHED) == [], "Some code cells did not run."
        playgrounds = page.locator(".adam-edu-playground").all()
        moved = []
        for index, playground in enumerate(playgrounds):
            assert playground.locator("img.adam-edu-figure, .adam-edu-figure img").count() == 1, \
                f"playground {index} has no single .adam-edu-figure image"
            assert playground.locator(".widget-inline-hbox, .jupyter-button, .widget-play").count(), \
                f"playground {index} shows no controls"
            moved.append(round_trip(page, playground))
    except BaseException:
        with contextlib.suppress(Exception):  # a screenshot of the failure, if the page allows
            screenshot(page, notebook.stem, playgrounds)
        raise
    screenshot(page, notebook.stem, playgrounds)
    record_timing(f"lab_run_all_to_widgets_seconds[{notebook.stem}]",
                  {"cells_finished": round(executed, 2), "widgets_rendered": round(rendered, 2),
                   "playgrounds": len(playgrounds), "controls_moved": moved})
