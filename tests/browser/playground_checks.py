"""What every playground must do in a browser, in any front end: checks shared by the browser tests.

* `mouse_move`: click a slider's track away from its handle; the figure must change (the value
  went to the kernel and a new PNG came back).
* `keyboard_move`: focus a slider's handle and press an arrow key; the value, the figure and the
  figure's text alternative must change, and focus must stay on the handle (in Notebook 7 the
  notebook's own ArrowRight/ArrowLeft shortcuts would otherwise take the key and move the cursor
  to another heading: the course's shortcut settings give a focused control its keys).
* `tab_reaches_every_control`: from the first control, Tab visits every control of the playground.
* `keys_operate_every_control`: each control Tab reaches answers its key (a slider handle an arrow,
  a dropdown ArrowDown/ArrowUp, a checkbox or button Space): something the student can see
  changes (the figure, its text, or the control's own value or state), and a slider, dropdown or
  checkbox keeps the focus. A slider, dropdown or checkbox is then put back with the opposite key,
  and the figure and its text must come back exactly, so each control is tried with the others at
  their first values.
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
NAME = """(el) => (el.getAttribute('aria-label') || [...(el.labels || [])].map(l => l.textContent)
  .join(' ') || el.title || el.textContent).trim()"""
ACCESSIBLE_NAMES = f"""(playground) => [...playground.querySelectorAll('{CONTROLS}')]
  .filter(el => el.getClientRects().length > 0)
  .map(el => ({{html: el.outerHTML.slice(0, 120), name: ({NAME})(el)}}))"""
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
    key, _ = keys_for(handle, "slider")
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


# What a student can see of a control and of the figure, as [figure, the rest]: the figure is a
# fresh blob: URL each time the kernel sends one, so it is compared only for "changed".
SEEN = f"""([playground, el]) => {{
  const img = playground.querySelector('{FIGURE}');
  return [img && img.src, JSON.stringify([img && img.alt, el.getAttribute('aria-valuenow'), el.value,
          el.checked, el.selectedIndex, el.className, el.getAttribute('aria-pressed'), el.disabled])];
}}"""
KIND = """(el) => el.classList.contains('noUi-handle') ? 'slider' : el.tagName === 'SELECT' ? 'select'
  : el.type === 'checkbox' ? 'checkbox' : el.tagName === 'BUTTON' ? 'button' : 'input'"""
CHANGED = f"([p, el, old]) => {{ const now = ({SEEN})([p, el]); return now[0] !== old[0] || now[1] !== old[1]; }}"
# The kernel's answer: every key that changes a control sends it to the kernel, which turns busy
# and then idle. SETTLED counts idle turns since the key and waits for 300 ms of quiet.
KERNEL = "window.jupyterapp.shell.currentWidget.sessionContext.session.kernel"
IDLE_TURNS = f"""() => {{
  const kernel = {KERNEL};
  if (window.__adamIdle?.kernel !== kernel) {{
    window.__adamIdle = {{kernel, turns: 0, at: performance.now()}};
    kernel.statusChanged.connect((_, status) => {{
      window.__adamIdle.at = performance.now();
      if (status === 'idle') window.__adamIdle.turns++;
    }});
  }}
  return window.__adamIdle.turns;
}}"""
SETTLED = f"""(turns) => window.__adamIdle.turns > turns && {KERNEL}.status === 'idle'
  && performance.now() - window.__adamIdle.at > 300"""
# Back: the control, the figure's text and its own state as before the first key, and a new figure
# from the kernel if the first key brought one.
BACK = f"""([p, el, first, moved]) => {{
  const now = ({SEEN})([p, el]);
  return now[1] === first[1] && (moved[0] === first[0] || now[0] !== moved[0]);
}}"""


def keys_for(control, kind: str) -> tuple:
    """(key that moves ``control``, key that moves it back or None)."""
    if kind == "slider":
        at_max = control.get_attribute("aria-valuenow") == control.get_attribute("aria-valuemax")
        return ("ArrowLeft", "ArrowRight") if at_max else ("ArrowRight", "ArrowLeft")
    if kind == "select":
        last = control.evaluate("el => el.selectedIndex === el.options.length - 1")
        return ("ArrowUp", "ArrowDown") if last else ("ArrowDown", "ArrowUp")
    if kind == "checkbox":
        return "Space", "Space"
    return ("Space", None) if kind == "button" else ("ArrowUp", "ArrowDown")


def _press(page, playground, control, key: str, until: str, *states, settle=True) -> list:
    """Focus ``control``, press ``key``, wait for the kernel's answer (SETTLED, if ``settle``) and
    ``until`` (CHANGED or BACK, given ``states``); returns [seen before, seen after], or None."""
    pair = [playground.element_handle(), control]
    control.focus()
    before, turns = page.evaluate(SEEN, pair), page.evaluate(IDLE_TURNS)
    page.keyboard.press(key)
    try:
        if settle:
            page.wait_for_function(SETTLED, arg=turns, timeout=ROUND_TRIP_TIMEOUT_MS, polling=50)
        page.wait_for_function(until, arg=[*pair, *(states or [before])],
                               timeout=ROUND_TRIP_TIMEOUT_MS)
    except PlaywrightTimeout:
        return None
    return [before, page.evaluate(SEEN, pair)]


def keys_operate_every_control(page, playground) -> list[str]:
    """Press each tabbable control's key (see the module's docstring); returns what was pressed.
    Buttons come last: Play keeps the kernel busy and Train answers from a thread, so after a
    button only the next button's own change is awaited."""
    element = playground.element_handle()
    controls = [handle.as_element() for handle in page.evaluate_handle(
        f"(el) => ({TABBABLE})(el)", element).get_properties().values()]
    kinds = [page.evaluate(KIND, control) for control in controls]
    pressed = []
    for kind, control in sorted(zip(kinds, controls), key=lambda pair: pair[0] == "button"):
        if not control.evaluate("el => el.getClientRects().length > 0 && !el.disabled "
                                "&& !el.closest('[disabled]')"):
            continue                       # disabled meanwhile (a Play button while playing)
        name = (control.evaluate(NAME) or page.evaluate("(el) => el.tagName", control))[:40]
        key, back = keys_for(control, kind)
        seen = _press(page, playground, control, key, CHANGED, settle=kind != "button")
        focused = control.evaluate("el => el === document.activeElement")
        assert seen, f"{key} on the focused {kind} {name!r} changed nothing a student can see"
        assert focused or kind == "button", f"{key} on the {kind} {name!r} took the focus away"
        if back:                           # and the playground returns to what it showed
            assert _press(page, playground, control, back, BACK, *seen), (
                f"{back} did not bring the {kind} {name!r} and the figure's text back: before "
                f"{seen[0][1][-400:]}, after {key} {seen[1][1][-400:]}, after {back} "
                f"{page.evaluate(SEEN, [element, control])[1][-400:]}")
        pressed.append(f"{kind} {name}: {key}")
    return pressed


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
