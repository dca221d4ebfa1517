"""A built slide deck references nothing outside its own folder (no CDN, no ../, no missing file).

Builds the sample notebook (executed, so it has widget state and a figure) and every lesson (from
its stored outputs, to stay fast) into a temporary folder with tools/build_slides.py, then reads
each deck with tools/check_decks.py. The checker is shown to catch what it must: a deck made with
nbconvert's defaults (CDN URLs), an injected CDN script, a `../` path, an absolute path, a
protocol-relative stylesheet import and a missing local file. The assets come from the npm registry
once (cached in build/npm-cache/); without npm and without that cache the test is skipped.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
from tools import build_slides, check_decks, fetch_slide_assets

SAMPLE = ROOT / "tests" / "browser" / "fixtures" / "sample_lesson.ipynb"
LESSONS = sorted((ROOT / "lessons").glob("*.ipynb"))
CACHED = all((fetch_slide_assets.CACHE / fetch_slide_assets.tarball_name(spec)).exists()
             for spec, _, _ in fetch_slide_assets.PACKAGES.values())

pytestmark = pytest.mark.skipif(
    shutil.which("npm") is None and not CACHED,
    reason="npm is not installed and build/npm-cache/ is empty: the slide assets cannot be "
           "fetched (Debian: apt-get install -y npm)")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("slides")
    sample = build_slides.build([SAMPLE], out)
    lessons = build_slides.build(LESSONS, out, run=False) if LESSONS else []
    return out, sample + lessons


def test_every_deck_stays_in_its_folder(built):
    out, decks = built
    assert decks, "no deck was built"
    for deck in decks:
        assert check_decks.problems(deck, out) == [], deck.name


def test_decks_use_the_local_assets(built):
    out, decks = built
    html = decks[0].read_text(encoding="utf-8")
    for url in fetch_slide_assets.URLS.values():
        assert url in html, f"{decks[0].name} does not load {url}"
    assert "mermaid" not in html


def test_a_deck_with_nbconvert_defaults_is_caught(built, tmp_path):
    """nbconvert's own defaults load everything from CDNs: the checker must list each one."""
    from nbconvert import SlidesExporter
    out, _ = built
    nb = nbformat.read(SAMPLE, as_version=4)
    body, _ = SlidesExporter().from_notebook_node(nb)
    deck = out / "cdn.slides.html"
    deck.write_text(body, encoding="utf-8")
    found = "\n".join(check_decks.problems(deck, out))
    for host in ("unpkg.com/reveal.js", "cdnjs.cloudflare.com/ajax/libs/mathjax",
                 "cdnjs.cloudflare.com/ajax/libs/require.js", "cdnjs.cloudflare.com/ajax/libs/jquery",
                 "mermaid"):
        assert host in found, f"{host} not reported in:\n{found}"


@pytest.mark.parametrize("inject, expected", [
    ('<script src="https://cdn.jsdelivr.net/npm/x/dist/x.js"></script>', "from the network"),
    ('<link rel="stylesheet" href="../outside.css">', "outside the deck folder"),
    ('<img src="/etc/logo.png">', "absolute path"),
    ("<style>@import url(//fonts.googleapis.com/css?family=Lato);</style>", "from the network"),
    ('<script>require(["_vendor/nowhere/missing.js"], function () {});</script>', "does not exist"),
    ('<div style="background: url(http://example.com/a.png)"></div>', "from the network"),
])
def test_each_kind_of_escape_is_caught(built, inject, expected):
    out, decks = built
    html = decks[0].read_text(encoding="utf-8").replace("</body>", inject + "\n</body>", 1)
    deck = out / "tampered.slides.html"
    deck.write_text(html, encoding="utf-8")
    found = check_decks.problems(deck, out)
    assert len(found) == 1 and expected in found[0], found


def test_a_stylesheet_reaching_the_network_is_caught(built):
    """Local CSS is followed: an @import inside it counts too."""
    out, decks = built
    (out / "_vendor" / "evil.css").write_text("@import url('https://fonts.googleapis.com/x');\n")
    html = decks[0].read_text(encoding="utf-8").replace(
        "</head>", '<link rel="stylesheet" href="_vendor/evil.css">\n</head>', 1)
    deck = out / "tampered-css.slides.html"
    deck.write_text(html, encoding="utf-8")
    found = check_decks.problems(deck, out)
    assert len(found) == 1 and "fonts.googleapis.com" in found[0], found


def test_widget_icons_are_found_where_the_renderer_looks(built):
    """The Play/Stop/Repeat icons (Font Awesome, bundled with the widget renderer) load from the
    deck's folder; without the deck's require.js paths they would be looked for in a folder that
    does not exist (empty boxes, 404s), and the checker says so."""
    out, decks = built
    html = decks[0].read_text(encoding="utf-8")
    assert 'id="adam-edu-require-paths"' in html
    deck = out / "no-paths.slides.html"
    deck.write_text(html.replace('id="adam-edu-require-paths"', 'id="gone"'), encoding="utf-8")
    found = check_decks.problems(deck, out)
    assert found and all("its icons would be empty boxes" in f for f in found), found
    assert any("'@jupyter-widgets/controls'" in f for f in found), found


def test_hide_input_shows_the_output_only_and_skip_leaves_the_cell_out(built):
    """CONTRIBUTING's vocabulary: a `hide-input` cell's code is not in the deck, its output is;
    a `skip` cell is not in the deck at all; a `notes` cell is in the speaker notes."""
    _, decks = built
    html = decks[0].read_text(encoding="utf-8")
    nb = nbformat.read(SAMPLE, as_version=4)
    for cell in nb.cells:
        kind = cell.metadata.get("slideshow", {}).get("slide_type")
        first_line = cell.source.splitlines()[0]
        if "hide-input" in cell.metadata.get("tags", []):
            assert f'id="cell-id={cell.id}"' in html, cell.id
            assert first_line not in html, f"{cell.id}: its code is on a slide"
        elif kind == "skip":
            assert f'id="cell-id={cell.id}"' not in html, f"{cell.id}: a skipped cell is in the deck"
    hidden = [c for c in nb.cells if "hide-input" in c.metadata.get("tags", [])]
    assert hidden, "the sample has no hide-input cell"
    for cell in hidden:  # the cell's block in the deck holds its figure or playground
        block = html.split(f'id="cell-id={cell.id}"', 1)[1].split('id="cell-id=', 1)[0]
        assert "<img" in block or "widget-view+json" in block, f"{cell.id}: its output is missing"
