"""Every static deck works offline in a real browser, served over http://127.0.0.1.

The decks are built (executed) into a temporary folder by the `decks` fixture. For each deck:
reveal.js reports ready; it has one horizontal slide per `slide` cell (nbconvert always opens a slide
at the first shown cell, so when that cell is not itself a `slide` it counts as one more; a lesson
whose title cell is a `slide`, as ours are, has exactly as many slides as `slide` cells); MathJax
has typeset the maths with no raw `$...$` left and no TeX errors; `skip` cells are absent and every
other cell is present; each `notes` cell is inside the speaker notes; widget views rendered from
the stored state. The speaker view (key `s`) is opened once and must show the notes.
"""
from __future__ import annotations

import re

import nbformat
import pytest
from conftest import FIXTURE_NOTEBOOK, notebook_params

import serve_slides

REVEAL = "_vendor/reveal.js/dist/reveal.js"
READY = f"""() => new Promise(done => require(['{REVEAL}'], R => done({{
  ready: R.isReady(), horizontal: R.getHorizontalSlides().length}})))"""
MATHJAX_IDLE = """() => Boolean(window.MathJax && MathJax.isReady && MathJax.Hub.queue.pending === 0
                              && !MathJax.Hub.queue.running)"""
MATH_STATE = """() => {
  const markdown = [...document.querySelectorAll('.jp-MarkdownCell')].map(cell => {
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
    """Horizontal slides nbconvert makes: `slide` cells, plus the first shown cell if not one."""
    types = [slide_type(cell) for cell in nb.cells]
    first_shown = next(t for t in types if t not in ("skip", "notes"))
    return types.count("slide") + (first_shown != "slide")


@pytest.mark.parametrize("notebook", notebook_params())
def test_deck_works_offline(notebook, decks, offline):
    server, built = decks
    nb = nbformat.read(notebook, as_version=4)
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


def test_speaker_view_shows_notes(decks, offline):
    """Press `s` on the sample deck: the speaker window opens and shows the first slide's notes."""
    server, built = decks
    nb = nbformat.read(FIXTURE_NOTEBOOK, as_version=4)
    note = next(c for c in nb.cells if slide_type(c) == "notes")
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
    assert note.source.strip() in notes.inner_text()
