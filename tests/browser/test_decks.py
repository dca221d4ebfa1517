"""Every static deck works offline in a real browser, served over http://127.0.0.1, and every slide
of it is readable from the back row.

The decks are built (executed) into a temporary folder by the `decks` fixture. For each deck:
reveal.js reports ready; it has one horizontal slide per `slide` cell (nbconvert always opens a slide
at the first shown cell, so when that cell is not itself a `slide` it counts as one more; a lesson
whose title cell is a `slide`, as ours are, has exactly as many slides as `slide` cells); MathJax
has typeset the maths with no raw `$...$` left and no TeX errors; `skip` cells are absent and every
other cell is present; each `notes` cell is inside the speaker notes; widget views rendered from
the stored state, each marked as a snapshot and inert; no local request fails (a 404 is a missing
font or icon) and no font face fails to load; Font Awesome (the Play buttons' icons) loads.

Then every stop (slide and fragment) is visited with ArrowRight, measured with slide_rules (type
size, nothing cut off, nothing wrapped) and screenshot into artifacts/screenshots/static_<deck>_<nn>
.png; PageDown (a clicker) must visit the same stops in the same order and reach every slide. The
per-deck figures (slides, slides showing code, slides with notes, smallest text and code, slowest
key press to drawn stop) go to artifacts/browser_timings.json. test_the_rules_catch_a_broken_slide
breaks a slide on purpose and shows each rule failing. The speaker view (key `s`) is opened once
and must show the notes with their maths typeset.
"""
from __future__ import annotations

import re
import time

import nbformat
import pytest
import slide_rules
from conftest import ARTIFACTS, FIXTURE_NOTEBOOK, notebook_params, record_timing

import serve_slides

REVEAL = "_vendor/reveal.js/dist/reveal.js"
READY = f"""() => new Promise(done => require(['{REVEAL}'], R => done({{
  ready: R.isReady(), horizontal: R.getHorizontalSlides().length}})))"""
MATHJAX_IDLE = """() => Boolean(window.MathJax && MathJax.isReady && MathJax.Hub.queue.pending === 0
                              && !MathJax.Hub.queue.running)"""
MATH_STATE = """() => {
  const markdown = [...document.querySelectorAll('.jp-MarkdownCell')]
    .filter(cell => !cell.closest('aside.notes'))  // notes keep their TeX: the speaker view typesets it
    .map(cell => {
    const copy = cell.cloneNode(true);
    copy.querySelectorAll('script, .mjx-chtml, .MathJax_Preview').forEach(e => e.remove());
    return copy.textContent;
  }).join('\\n');
  return {typeset: document.querySelectorAll('.mjx-chtml').length,
          errors: document.querySelectorAll('.mjx-noError, .mjx-merror, .MathJax_Error').length,
          markdown: markdown};
}"""
RAW_TEX = re.compile(r"\$\$?[^$\n]*[\\^_{}][^$\n]*\$\$?")
WIDGETS = """() => ({
  views: document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]').length,
  rendered: document.querySelectorAll('.widget-subarea > .jupyter-widgets').length,
  errors: /Error displaying widget|model not found/.test(document.body.innerText)})"""


def slide_type(cell) -> str:
    return cell.metadata.get("slideshow", {}).get("slide_type", "-")


def expected_slides(nb) -> int:
    """Horizontal slides nbconvert makes: `slide` cells, plus the first shown cell if not one
    (a `subslide` makes a vertical slide, which ArrowRight skips: tests/test_lessons.py)."""
    types = [slide_type(cell) for cell in nb.cells]
    first_shown = next(t for t in types if t not in ("skip", "notes"))
    return types.count("slide") + (first_shown != "slide")


FONTS = """async () => {
  await document.fonts.ready;
  // MathJax declares each font three times: installed (-R), installed alternate (-Rx), and the web
  // font it ships (-Rw); only the shipped one must load.
  const local = f => /^MJXc-/.test(f.family) && !/w$/.test(f.family);
  const failed = [...document.fonts].filter(f => f.status === 'error' && !local(f)).map(f => f.family);
  const widgets = document.querySelector('.widget-subarea') !== null;
  const icons = widgets ? (await document.fonts.load('900 16px "Font Awesome 5 Free"', '\\uf04b')).length : null;
  return {failed, icons};
}"""
SNAPSHOTS = """() => [...document.querySelectorAll('.widget-subarea')].map(w => ({
  inert: w.hasAttribute('inert'),
  label: getComputedStyle(w, '::before').content}))"""


@pytest.mark.parametrize("notebook", notebook_params())
def test_deck_works_offline(notebook, decks, offline):
    server, built = decks
    nb = nbformat.read(notebook, as_version=4)
    offline.strict = True  # a 404 (a missing font or icon) fails the test too
    page = offline.page
    page.goto(serve_slides.url(server, built[notebook].name))
    page.wait_for_selector(".reveal.ready", timeout=60_000)
    reveal = page.evaluate(READY)
    assert reveal["ready"], "reveal.js did not report ready"
    assert reveal["horizontal"] == expected_slides(nb), (
        f"{reveal['horizontal']} horizontal slides, expected {expected_slides(nb)} "
        f"(slide cells: {[slide_type(c) for c in nb.cells].count('slide')})")

    page.wait_for_function(MATHJAX_IDLE, timeout=60_000, polling=100)
    math = page.evaluate(MATH_STATE)
    has_math = any("$" in c.source for c in nb.cells
                   if c.cell_type == "markdown" and slide_type(c) != "skip")
    if has_math:
        assert math["typeset"] > 0, "the notebook has maths but MathJax typeset nothing"
    assert math["errors"] == 0, f"{math['errors']} formulas failed to typeset"
    raw = RAW_TEX.findall(math["markdown"])
    assert not raw, f"maths left as raw TeX: {raw[:5]}"

    for cell in nb.cells:
        if not cell.get("id"):
            continue
        anchor = page.locator(f'[id="cell-id={cell.id}"]')
        if slide_type(cell) == "skip":
            assert anchor.count() == 0, f"skipped cell {cell.id} is in the deck"
        elif slide_type(cell) == "notes":
            assert page.locator(f'aside.notes [id="cell-id={cell.id}"]').count() == 1, \
                f"notes cell {cell.id} is not in the speaker notes"
        else:
            assert anchor.count() == 1, f"cell {cell.id} ({slide_type(cell)}) is missing"

    page.wait_for_function(f"() => ({WIDGETS})().rendered >= ({WIDGETS})().views"
                           f" || ({WIDGETS})().errors", timeout=60_000, polling=100)
    widgets = page.evaluate(WIDGETS)
    assert not widgets["errors"], "a widget failed to render in the deck"
    assert widgets["rendered"] >= widgets["views"]
    for snapshot in page.evaluate(SNAPSHOTS):
        assert snapshot["inert"] and "run the lesson to move this" in snapshot["label"], snapshot
    fonts = page.evaluate(FONTS)
    assert not fonts["failed"], f"fonts failed to load: {fonts['failed']}"
    assert fonts["icons"] != 0, "Font Awesome (the Play/Stop/Repeat icons) did not load"


# Where the deck is: (slide, fragment) indices; a stop is drawn once the event fired, two frames
# passed and MathJax has re-rendered every formula of the slide (it does so after each change).
WHERE = "() => { const i = Reveal.getIndices(); return [i.h, i.v, i.f === undefined ? -1 : i.f]; }"
MATH_DRAWN = """() => {
  const slide = document.querySelector('.reveal .slides section.present:not(.stack)');
  const formulas = slide.querySelectorAll('script[type^="math/tex"]').length;
  const drawn = [...slide.querySelectorAll('.MathJax_CHTML')]
    .filter(e => e.getBoundingClientRect().width > 0).length;
  return drawn >= formulas;
}"""
LISTEN = """() => { window.__moved = false;
  const done = () => requestAnimationFrame(() => requestAnimationFrame(() => { window.__moved = true; }));
  ['slidechanged', 'fragmentshown'].forEach(e => Reveal.on(e, done)); }"""
COUNTS = """() => {
  const slides = [...document.querySelectorAll('.reveal .slides > section')];
  const leaves = slides.flatMap(s => s.querySelector(':scope > section')
                                     ? [...s.querySelectorAll(':scope > section')] : [s]);
  return {slides: leaves.length,
          with_code: leaves.filter(s => s.querySelector('.jp-CodeCell .jp-InputArea')).length,
          with_notes: leaves.filter(s => (s.querySelector('aside.notes') || {}).textContent
                                         && s.querySelector('aside.notes').textContent.trim()).length};
}"""


def visit(page, key: str, label: str | None) -> dict:
    """Go through the deck from the start with `key`; measure (and screenshot) each stop if labelled."""
    page.evaluate("() => Reveal.slide(0, 0, -1)")
    page.wait_for_function(MATH_DRAWN, timeout=15_000, polling="raf")
    stops, problems, slowest = [page.evaluate(WHERE)], [], 0.0
    smallest = {"body": None, "code": None}
    shots = ARTIFACTS / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    while True:
        if label:
            measured = slide_rules.measure(page, ".reveal .slides section.present:not(.stack)",
                                           page.evaluate("() => Reveal.getScale()"))
            problems += [f"stop {len(stops) - 1} {stops[-1]}: {p}" for p in slide_rules.broken(measured)]
            for kind in smallest:
                px = (measured[kind] or {}).get("px")
                if px is not None and (smallest[kind] is None or px < smallest[kind]):
                    smallest[kind] = px
            page.screenshot(path=str(shots / f"static_{label}_{len(stops) - 1:02d}.png"))
        if page.evaluate("() => Reveal.isLastSlide() && !Reveal.availableFragments().next"):
            break
        page.evaluate("() => { window.__moved = false; }")
        start = time.perf_counter()
        page.keyboard.press(key)
        page.wait_for_function("() => window.__moved", timeout=15_000, polling="raf")
        page.wait_for_function(MATH_DRAWN, timeout=15_000, polling="raf")
        slowest = max(slowest, time.perf_counter() - start)
        stops.append(page.evaluate(WHERE))
        assert len(stops) < 500, f"{key} never reaches the last slide"
    return {"stops": stops, "problems": problems, "smallest_px": smallest,
            "slowest_s": round(slowest, 3)}


@pytest.mark.parametrize("notebook", notebook_params())
def test_every_slide_is_readable_and_reached(notebook, decks, offline_at):
    """Every stop of the deck at 1280x720: the rules of slide_rules, screenshots, and ArrowRight
    and PageDown both reach every slide, in the same order."""
    server, built = decks
    page = offline_at({"width": 1280, "height": 720}).page
    page.goto(serve_slides.url(server, built[notebook].name))
    page.wait_for_selector(".reveal.ready", timeout=60_000)
    page.wait_for_function(MATHJAX_IDLE, timeout=60_000, polling=100)
    page.wait_for_function(f"() => ({WIDGETS})().rendered >= ({WIDGETS})().views", timeout=60_000)
    page.evaluate(LISTEN)
    arrow = visit(page, "ArrowRight", notebook.stem)
    clicker = visit(page, "PageDown", None)
    counts = page.evaluate(COUNTS)
    record_timing(f"static_deck[{notebook.stem}]", {
        **counts, "stops": len(arrow["stops"]), "smallest_px": arrow["smallest_px"],
        "slowest_arrowright_s": arrow["slowest_s"], "problems": len(arrow["problems"])})
    reached = {(h, v) for h, v, _ in arrow["stops"]}
    broken = list(arrow["problems"])
    if clicker["stops"] != arrow["stops"]:
        broken.insert(0, f"PageDown visits {len(clicker['stops'])} stops, ArrowRight "
                         f"{len(arrow['stops'])}: {clicker['stops'][:8]} vs {arrow['stops'][:8]}")
    if len(reached) != counts["slides"]:
        broken.insert(0, f"ArrowRight reaches {len(reached)} of {counts['slides']} slides "
                         "(it skips subslides)")
    assert not broken, f"{len(broken)} broken rule(s):\n  " + "\n  ".join(broken[:30])


BREAK = """() => {
  const style = document.createElement('style');
  style.textContent = `.reveal .slides section p { font-size: 20px !important; }
    .reveal pre { font-size: 13px !important; white-space: pre-wrap !important; }`;
  document.head.appendChild(style);
  const slide = document.querySelector('.reveal .slides section.present:not(.stack)');
  const out = document.createElement('pre');
  out.textContent = 't = ' + '2 / 87 '.repeat(60);
  slide.appendChild(out);
  const wide = document.createElement('pre');
  wide.style.whiteSpace = 'pre';
  wide.textContent = 'x'.repeat(400);
  slide.appendChild(wide);
}"""


def test_the_rules_catch_a_broken_slide(decks, offline):
    """A rule failing on purpose: 20 px body text, 13 px code, an output wrapped mid-token and a
    line cut off, injected into the sample's first slide, are each reported."""
    server, built = decks
    page = offline.page
    page.goto(serve_slides.url(server, built[FIXTURE_NOTEBOOK].name))
    page.wait_for_selector(".reveal.ready", timeout=60_000)
    root = ".reveal .slides section.present:not(.stack)"
    assert slide_rules.broken(slide_rules.measure(page, root, 1.0)) == []
    page.evaluate(BREAK)
    found = "\n".join(slide_rules.broken(slide_rules.measure(page, root, 1.0)))
    for expected in ("body text 20", "code 13", "wrapped: 't = 2 / 87", "xxxxxxxx"):
        assert expected in found, f"{expected!r} not reported in:\n{found}"


def test_speaker_view_shows_notes(decks, offline_at):
    """Press `s` on the sample deck: the speaker window opens and shows the first slide's notes,
    their maths typeset once (not garbled, not doubled)."""
    server, built = decks
    nb = nbformat.read(FIXTURE_NOTEBOOK, as_version=4)
    note = next(c for c in nb.cells if slide_type(c) == "notes")
    # The notes window is written into a window.open('about:blank'): Playwright's routing would stall
    # its MathJax requests, so this page records requests that leave the machine instead.
    offline = offline_at({"width": 1280, "height": 720}, route=False)
    page = offline.page
    page.goto(serve_slides.url(server, built[FIXTURE_NOTEBOOK].name))
    page.wait_for_selector(".reveal.ready", timeout=60_000)
    assert page.locator(f'section.present aside.notes [id="cell-id={note.id}"]').count() == 1
    with page.expect_popup() as popup_info:
        page.keyboard.press("s")
    popup = popup_info.value
    offline.watch(popup)
    notes = popup.locator(".speaker-controls-notes .value")
    notes.wait_for(timeout=30_000)
    popup.wait_for_function("() => document.querySelector('#current-slide iframe') !== null")
    formulas = len(re.findall(r"\$[^$]+\$", note.source))
    assert formulas, "the sample's first note should have maths"
    typeset = "() => document.querySelectorAll('.speaker-controls-notes .value .MathJax_CHTML').length"
    try:
        popup.wait_for_function(f"(n) => ({typeset})() === n", arg=formulas, timeout=30_000)
    except Exception:
        raise AssertionError(f"{popup.evaluate(typeset)} formulas typeset in the speaker view, "
                             f"the note has {formulas}: {notes.inner_html()[:500]}") from None
    plain = popup.evaluate("""() => { const copy = document.querySelector('.speaker-controls-notes .value')
        .cloneNode(true); copy.querySelectorAll('.MathJax_CHTML, script, .MJX_Assistive_MathML')
        .forEach(e => e.remove()); return copy.textContent; }""")
    assert "$" not in plain and note.source.split("$")[0].strip() in plain, plain
