"""What every playground must do in a browser, in any front end: checks shared by the browser tests.

* `mouse_move`: click a slider's track away from its handle; the figure must change (the value
  went to the kernel and a new PNG came back).
* `keyboard_move`: focus a slider's handle and press an arrow key; the value, the figure and the
  figure's text alternative must change, and focus must stay on the handle (in Notebook 7 the
  notebook's own ArrowRight/ArrowLeft shortcuts would otherwise take the key and move the cursor
  to another heading: the course's shortcut settings give a focused control its keys).
* `tab_reaches_every_control`: from the first control, Tab visits every control of the playground.
* `unnamed_controls`: every control has an accessible name with words, not only a symbol.
* `axe_violations`: axe-core's serious and critical violations in what the course puts on the page
  (rendered Markdown and cell outputs, playgrounds included). The front end's own chrome (menus,
  editors, the cell list) is not the course's; nor are plain image outputs, which JupyterLab and
  Notebook 7 render with no `alt` and no way to give one (a playground's figure has its text).
"""
from __future__ import annotations

import re

from playwright.sync_api import TimeoutError as PlaywrightTimeout

ROUND_TRIP_TIMEOUT_MS = 20_000
FIGURE = "img.adam-edu-figure, .adam-edu-figure img"
FIGURE_SRC = f"""(playground) => {{
  const img = playground.querySelector('{FIGURE}');
  return img ? img.src : null;
}}"""
FIGURE_TEXT = f"(playground) => playground.querySelector('{FIGURE}').alt"
# Controls a student moves, with how a screen reader names each (the first non-empty source).
CONTROLS = ".noUi-handle, input, select, button"
ACCESSIBLE_NAMES = f"""(playground) => [...playground.querySelectorAll('{CONTROLS}')]
  .filter(el => el.getClientRects().length > 0)
  .map(el => ({{html: el.outerHTML.slice(0, 120),
               name: (el.getAttribute('aria-label')
                      || [...(el.labels || [])].map(l => l.textContent).join(' ')
                      || el.title || el.textContent).trim()}}))"""
# The controls a Tab stops at (focusable, shown, not disabled), as indices into that list.
TABBABLE = f"""(playground) => [...playground.querySelectorAll('{CONTROLS}')]
  .filter(el => el.getClientRects().length > 0 && !el.disabled && el.tabIndex >= 0
                && !el.closest('[disabled]'))"""
FOCUSED_INDEX = f"""(playground) => ({TABBABLE})(playground).indexOf(document.activeElement)"""
AXE_RUN = """async () => {
  const result = await axe.run(
    {include: [['.jp-Notebook .jp-MarkdownOutput'], ['.jp-Notebook .jp-OutputArea-output']],
     exclude: [['.jp-Notebook .jp-RenderedImage > img']]},
    {resultTypes: ['violations']});
  return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.impact} ${v.id} (${v.help}): ` + v.nodes.slice(0, 3)
         .map(n => n.target.join(' ') + ' ' + n.html.slice(0, 160)).join(' | '));
}"""


def wait_for_new_figure(page, playground, before: str) -> bool:
    try:
        page.wait_for_function(f"([el, old]) => ({FIGURE_SRC})(el) !== old",
                               arg=[playground.element_handle(), before],
                               timeout=ROUND_TRIP_TIMEOUT_MS)
        return True
    except PlaywrightTimeout:
        return False


def sliders(playground):
    """The playground's enabled, visible sliders (their `.noUi-target` tracks)."""
    return [s for s in playground.locator(".widget-slider .noUi-target").all()
            if s.is_visible() and s.get_attribute("disabled") is None]


def mouse_move(page, playground) -> str:
    """Click the first slider's track on the side away from its handle; wait for a new figure."""
    track = sliders(playground)[0]
    track.scroll_into_view_if_needed()
    box, handle = track.bounding_box(), track.locator(".noUi-handle").bounding_box()
    at = 0.2 if handle["x"] + handle["width"] / 2 > box["x"] + box["width"] / 2 else 0.8
    before = page.evaluate(FIGURE_SRC, playground.element_handle())
    value = track.locator(".noUi-handle").get_attribute("aria-valuenow")
    page.mouse.click(box["x"] + at * box["width"], box["y"] + box["height"] / 2)
    assert wait_for_new_figure(page, playground, before), (
        f"a click on the slider track (value {value}) did not change the figure")
    return f"click track at {at:.0%}"


def keyboard_move(page, playground, described: bool = True) -> str:
    """Focus the first slider's handle, press an arrow key; the value and figure follow, and (if
    `described`: a course playground) the figure's text alternative."""
    handle = sliders(playground)[0].locator(".noUi-handle")
    handle.scroll_into_view_if_needed()
    handle.focus()
    at_max = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
    key = "ArrowLeft" if at_max else "ArrowRight"
    element = playground.element_handle()
    before = page.evaluate(FIGURE_SRC, element)
    text_before = page.evaluate(FIGURE_TEXT, element)
    value = handle.get_attribute("aria-valuenow")
    page.keyboard.press(key)
    moved = wait_for_new_figure(page, playground, before)
    focused = handle.evaluate("el => el === document.activeElement")
    after = handle.get_attribute("aria-valuenow")
    assert moved and focused, (
        f"{key} on a focused slider handle (value {value} -> {after}) "
        f"{'changed' if moved else 'did not change'} the figure and "
        f"{'kept' if focused else 'lost'} the focus")
    if described:
        assert text_before.startswith("Figure. "), f"the figure's text is {text_before!r}"
        page.wait_for_function(f"([el, old]) => ({FIGURE_TEXT})(el) !== old",
                               arg=[element, text_before], timeout=ROUND_TRIP_TIMEOUT_MS)
    return f"focus handle + {key}"


def tab_reaches_every_control(page, playground) -> int:
    """Focus the first control, press Tab until focus leaves; every control must have had it."""
    element = playground.element_handle()
    count = page.evaluate(f"(el) => ({TABBABLE})(el).length", element)
    page.evaluate(f"(el) => ({TABBABLE})(el)[0].focus()", element)
    reached = {page.evaluate(FOCUSED_INDEX, element)}
    for _ in range(3 * count):          # a slider's readout takes a Tab stop too
        page.keyboard.press("Tab")
        index = page.evaluate(FOCUSED_INDEX, element)
        reached.add(index)
        if not page.evaluate("(el) => el.contains(document.activeElement)", element):
            break
    missing = set(range(count)) - reached
    assert not missing, f"Tab never reached controls {sorted(missing)} of {count}"
    return count


def unnamed_controls(page, playground) -> list[str]:
    """Controls whose accessible name has no word of three or more letters."""
    return [f"{c['html']} named {c['name']!r}"
            for c in page.evaluate(ACCESSIBLE_NAMES, playground.element_handle())
            if not re.search(r"[A-Za-z]{3,}", c["name"])]


def axe_violations(page, axe_source: str) -> list[str]:
    """Serious and critical axe-core violations in the course's part of the page."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    return page.evaluate(AXE_RUN)
