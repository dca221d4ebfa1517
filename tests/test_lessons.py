"""Structure of every lesson notebook: slide metadata, objectives, summary, playgrounds, stored state.

These tests read the committed notebooks (they do not execute them; strict nbval does that), and are
parametrised over ``lessons/*.ipynb``, so a new lesson is covered as soon as it exists. Conventions a
lesson must follow:

* every cell has ``metadata.slideshow.slide_type`` in SLIDE_TYPES; the first cell is a markdown
  ``slide`` whose first line is a ``# `` title;
* one of the first three cells is markdown with a heading containing "Learning objectives";
* the last cell is markdown naming its exercise (``exercises/exNN_slug.ipynb``) and one of the last
  two cells has a "Summary" heading;
* a playground is displayed as the last expression of its cell, so its stored output carries a
  widget view *and* an ``image/png`` fallback; exactly those cells are tagged ``nbval-ignore-output``;
* ``metadata.rise.theme`` is one of OFFLINE_THEMES (RISE's default theme imports web fonts);
* claims are checked: at least MIN_ASSERT_CELLS code cells assert something on computed data;
* no code cell relies on a trailing ``;`` (nbval runs with store_history=False, so it would not
  suppress the output: write ``_ = ...``);
* lessons are committed executed: every code cell has an execution count, no output is an error or
  goes to stderr, and the notebook metadata holds the state of every widget an output refers to.

Deck rules (CONTRIBUTING.md, "Lessons are decks"), read by tools/build_slides.py and the live deck:

* no ``subslide`` (ArrowRight and a clicker's PageDown reach every slide); ``hide-input`` only on
  code cells; every cell that asserts a claim is ``skip``;
* every slide with something on it has a ``notes`` cell;
* code and printed output that show on a slide: at most SHOWN_WIDTH characters a line and
  SHOWN_LINES lines;
* figures come from the course style: no ``figsize``, ``dpi`` or font sizes in a lesson; every image
  is shown at most MAX_IMAGE_PX (its CSS size) and drawn at >= SHARPNESS x that size.
"""
from __future__ import annotations

import base64
import json
import re
import struct
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "lessons").glob("*.ipynb"))
SLIDE_TYPES = {"slide", "subslide", "fragment", "-", "skip", "notes"}  # subslide: test_no_subslides
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
IGNORE_TAG = "nbval-ignore-output"
EXERCISE = re.compile(r"exercises/(ex\d\d_[a-z0-9_]+\.ipynb)")
MAX_CODE_LINES = 20          # "short code cells"
MAX_IMAGE_PX = (1280, 720)   # nothing on a slide may overflow 1280x720
OFFLINE_THEMES = ("white", "serif", "black")   # reveal themes that load no web fonts
MIN_ASSERT_CELLS = 3         # "every claim is checked by code that runs in CI"
HIDE_INPUT = "hide-input"    # the decks show the cell's output only
SHOWN_WIDTH, SHOWN_LINES = 60, 12   # code and output on a slide (22 px monospace on 1280 px)
SHARPNESS = 1.9              # image pixels per CSS pixel (the course style draws at 2x)
HAND_TUNED = re.compile(r"\b(figsize|dpi|fontsize|labelsize|rcParams)\b")


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def text(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def headings(cell: dict) -> list[str]:
    return [line.lstrip("#").strip().lower() for line in text(cell).splitlines()
            if cell["cell_type"] == "markdown" and line.startswith("#")]


def outputs(cell: dict) -> list[dict]:
    return cell.get("outputs", []) if cell["cell_type"] == "code" else []


def is_playground(cell: dict) -> bool:
    return any(WIDGET_VIEW in out.get("data", {}) for out in outputs(cell))


def png_size(data: str) -> tuple[int, int]:
    raw = base64.b64decode(data)
    assert raw[:8] == b"\x89PNG\r\n\x1a\n", "image/png output is not a PNG"
    return struct.unpack(">II", raw[16:24])


lessons = pytest.mark.parametrize("path", LESSONS, ids=[p.name for p in LESSONS])
# The deck rules also run on the browser suite's sample, which follows them: each rule can pass.
SAMPLE = ROOT / "tests" / "browser" / "fixtures" / "sample_lesson.ipynb"
decks = pytest.mark.parametrize("path", LESSONS + [SAMPLE], ids=[p.name for p in LESSONS + [SAMPLE]])


def test_lessons_exist():
    assert LESSONS, "no notebooks in lessons/"


@lessons
def test_file_name(path):
    assert re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", path.name), (
        f"{path.name}: lesson files are named NN_slug.ipynb")


@lessons
def test_every_cell_has_a_slide_type(path):
    """None (no slide type) continues the slide: what "-" means to nbconvert and RISE."""
    for index, cell in enumerate(load(path)["cells"]):
        slide_type = cell.get("metadata", {}).get("slideshow", {}).get("slide_type")
        assert slide_type in SLIDE_TYPES | {None}, (
            f"{path.name} cell {index}: slideshow.slide_type is {slide_type!r}, "
            f"must be one of {sorted(SLIDE_TYPES)} or unset")


@lessons
def test_title_slide_first(path):
    first = load(path)["cells"][0]
    assert first["cell_type"] == "markdown", f"{path.name}: the first cell must be markdown"
    assert first["metadata"]["slideshow"]["slide_type"] == "slide", (
        f"{path.name}: the first cell must be a 'slide'")
    assert text(first).startswith("# "), f"{path.name}: the first cell must open with a '# ' title"


@lessons
def test_rise_theme_works_offline(path):
    theme = load(path)["metadata"].get("rise", {}).get("theme")
    assert theme in OFFLINE_THEMES, (
        f"{path.name}: metadata.rise.theme is {theme!r}; set it to one of {OFFLINE_THEMES} "
        "(RISE's default theme 'simple' loads Google fonts, which fails offline)")


@lessons
def test_learning_objectives_near_the_top(path):
    cells = load(path)["cells"][:3]
    assert any("learning objectives" in h for c in cells for h in headings(c)), (
        f"{path.name}: one of the first three cells needs a 'Learning objectives' heading")


@lessons
def test_summary_and_exercise_pointer_at_the_end(path):
    cells = load(path)["cells"]
    assert any("summary" in h for c in cells[-2:] for h in headings(c)), (
        f"{path.name}: one of the last two cells needs a 'Summary' heading")
    last = cells[-1]
    assert last["cell_type"] == "markdown" and EXERCISE.search(text(last)), (
        f"{path.name}: the last cell must point to its exercise, exercises/exNN_slug.ipynb")


@lessons
def test_exercise_pointer_names_an_existing_exercise(path):
    name = EXERCISE.search(text(load(path)["cells"][-1]))
    if not (ROOT / "exercises").is_dir():
        pytest.skip("exercises/ has not been generated yet")
    assert name and (ROOT / "exercises" / name.group(1)).is_file(), (
        f"{path.name}: points to exercises/{name and name.group(1)}, which does not exist")


@lessons
def test_check_your_understanding(path):
    found = sum(text(c).count("<details>") for c in load(path)["cells"] if c["cell_type"] == "markdown")
    assert found >= 2, f"{path.name}: needs at least two <details> 'check your understanding' answers"


@lessons
def test_code_cells_are_short(path):
    for index, cell in enumerate(load(path)["cells"]):
        if cell["cell_type"] == "code":
            lines = len(text(cell).strip().splitlines())
            assert lines <= MAX_CODE_LINES, (
                f"{path.name} cell {index}: {lines} lines; keep code cells to {MAX_CODE_LINES}")


@lessons
def test_claims_are_checked(path):
    cells = [c for c in load(path)["cells"] if c["cell_type"] == "code"]
    checked = sum(bool(re.search(r"^\s*assert\b", text(c), re.MULTILINE)) for c in cells)
    assert checked >= MIN_ASSERT_CELLS, (
        f"{path.name}: only {checked} code cell(s) assert a claim; need at least {MIN_ASSERT_CELLS}")


@lessons
def test_no_trailing_semicolons(path):
    for index, cell in enumerate(load(path)["cells"]):
        if cell["cell_type"] == "code" and text(cell).rstrip().endswith(";"):
            raise AssertionError(f"{path.name} cell {index}: ends with ';', which nbval does not honour "
                                 "(store_history=False); write `_ = ...` instead")


@lessons
def test_only_playground_cells_ignore_output(path):
    for index, cell in enumerate(load(path)["cells"]):
        tagged = IGNORE_TAG in cell.get("metadata", {}).get("tags", [])
        assert tagged == is_playground(cell), (
            f"{path.name} cell {index}: {'tagged' if tagged else 'not tagged'} {IGNORE_TAG} but "
            f"{'displays' if is_playground(cell) else 'does not display'} a playground; "
            "only playground cells may be tagged (and all of them must be)")


@lessons
def test_playgrounds_have_widget_and_static_figure(path):
    for index, cell in enumerate(load(path)["cells"]):
        for out in outputs(cell):
            data = out.get("data", {})
            if WIDGET_VIEW in data:
                assert "image/png" in data, (
                    f"{path.name} cell {index}: a widget output without an image/png fallback")
                png_size(data["image/png"])


@lessons
def test_committed_executed_without_errors(path):
    for index, cell in enumerate(load(path)["cells"]):
        if cell["cell_type"] != "code":
            continue
        assert cell.get("execution_count") is not None, (
            f"{path.name} cell {index}: not executed; run `python3 course.py execute {path.name}`")
        for out in outputs(cell):
            assert out["output_type"] != "error", f"{path.name} cell {index}: stored error output"
            assert not (out["output_type"] == "stream" and out.get("name") == "stderr"), (
                f"{path.name} cell {index}: output on stderr (a warning?): {''.join(out['text'])[:200]}")


@lessons
def test_widget_state_is_stored(path):
    nb = load(path)
    views = [out["data"][WIDGET_VIEW]["model_id"] for c in nb["cells"] for out in outputs(c)
             if WIDGET_VIEW in out.get("data", {})]
    if not views:
        pytest.skip(f"{path.name} displays no widgets")
    state = nb["metadata"].get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    missing = [model for model in views if model not in state]
    assert not missing, (f"{path.name}: widget state for {missing} is not in the notebook metadata; "
                         "execute with `python3 course.py execute` (store_widget_state=True)")


def images(cell: dict):
    """(pixel size, CSS size) of each PNG a cell shows; the CSS size is its metadata width, if any."""
    for out in outputs(cell):
        if "image/png" in out.get("data", {}):
            width, height = png_size(out["data"]["image/png"])
            shown = out.get("metadata", {}).get("image/png", {})
            css_width = shown.get("width", width)
            yield (width, height), (css_width, shown.get("height", height * css_width / width))


@lessons
def test_images_fit_a_slide(path):
    for index, cell in enumerate(load(path)["cells"]):
        for _, (width, height) in images(cell):
            assert width <= MAX_IMAGE_PX[0] and height <= MAX_IMAGE_PX[1], (
                f"{path.name} cell {index}: a {width}x{height} px image overflows a "
                f"{MAX_IMAGE_PX[0]}x{MAX_IMAGE_PX[1]} slide")


def slide_type(cell: dict) -> str:
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-")


def shown(cell: dict) -> bool:
    """Whether the cell's source is on a slide (not skipped, not notes, not hide-input)."""
    return (slide_type(cell) not in ("skip", "notes")
            and HIDE_INPUT not in cell.get("metadata", {}).get("tags", []))


def slides(cells: list[dict]) -> list[list[tuple[int, dict]]]:
    """The cells grouped by slide: a `slide` cell opens one; the cells before the first belong to it."""
    groups: list[list[tuple[int, dict]]] = []
    for index, cell in enumerate(cells):
        if slide_type(cell) == "slide" or not groups:
            groups.append([])
        groups[-1].append((index, cell))
    return groups


def printed_lines(cell: dict) -> list[str]:
    """The text lines a code cell's outputs show (streams, and plain text with nothing richer)."""
    lines = []
    for out in outputs(cell):
        data = out.get("data", {})
        if out["output_type"] == "stream":
            lines += text({"source": out["text"]}).splitlines()
        elif "text/plain" in data and not {"image/png", "text/html", WIDGET_VIEW} & data.keys():
            lines += text({"source": data["text/plain"]}).splitlines()
    return lines


@decks
def test_no_subslides(path):
    found = [i for i, c in enumerate(load(path)["cells"]) if slide_type(c) == "subslide"]
    assert not found, (f"{path.name} cells {found}: `subslide` (ArrowRight skips it in both decks); "
                       "make it a `slide`, or `-` to stay on the slide above")


@decks
def test_continuing_cells_have_no_slide_type(path):
    """jupyterlab-slideshow 0.3.4 (the live deck) leaves "-" cells off every slide, so a figure or a
    playground marked "-" never shows; unset means the same to nbconvert and RISE."""
    found = [i for i, c in enumerate(load(path)["cells"])
             if c.get("metadata", {}).get("slideshow", {}).get("slide_type") == "-"]
    assert not found, (f"{path.name} cells {found}: slide_type '-' (the live deck does not show "
                       "them); `python3 course.py execute` removes it")


@decks
def test_hide_input_only_on_code_cells(path):
    found = [i for i, c in enumerate(load(path)["cells"])
             if HIDE_INPUT in c.get("metadata", {}).get("tags", []) and c["cell_type"] != "code"]
    assert not found, f"{path.name} cells {found}: `{HIDE_INPUT}` on a cell that has no code"


@decks
def test_asserting_cells_are_skipped(path):
    found = [i for i, c in enumerate(load(path)["cells"]) if c["cell_type"] == "code"
             and re.search(r"^\s*assert\b", text(c), re.MULTILINE) and slide_type(c) != "skip"]
    assert not found, (f"{path.name} cells {found}: assert a claim for CI but show on a slide; "
                       "mark them `skip`")


@decks
def test_every_slide_with_content_has_notes(path):
    missing = []
    for group in slides(load(path)["cells"]):
        types = [slide_type(cell) for _, cell in group]
        if any(t not in ("skip", "notes") for t in types) and "notes" not in types:
            heading = next((line for _, c in group for line in text(c).splitlines()
                            if line.startswith("#")), f"cell {group[0][0]}")
            missing.append(heading.lstrip("# ")[:50])
    assert not missing, f"{path.name}: {len(missing)} slide(s) without speaker notes: {missing}"


@decks
def test_shown_code_fits_a_slide(path):
    problems = []
    for index, cell in enumerate(load(path)["cells"]):
        if cell["cell_type"] != "code" or not shown(cell):
            continue
        lines = text(cell).strip().splitlines()
        long = [line for line in lines if len(line) > SHOWN_WIDTH]
        if long or len(lines) > SHOWN_LINES:
            problems.append(f"cell {index}: {len(lines)} lines, longest {max(map(len, lines))}")
    assert not problems, (f"{path.name}: code shown on a slide must be <= {SHOWN_LINES} lines of "
                          f"<= {SHOWN_WIDTH} characters (or tag it {HIDE_INPUT}/skip): {problems}")


@decks
def test_printed_output_fits_a_slide(path):
    problems = []
    for index, cell in enumerate(load(path)["cells"]):
        if slide_type(cell) in ("skip", "notes"):
            continue
        lines = printed_lines(cell)
        if lines and (max(map(len, lines)) > SHOWN_WIDTH or len(lines) > SHOWN_LINES):
            problems.append(f"cell {index}: {len(lines)} lines, longest {max(map(len, lines))}")
    assert not problems, (f"{path.name}: printed output on a slide must be <= {SHOWN_LINES} lines "
                          f"of <= {SHOWN_WIDTH} characters: {problems}")


@decks
def test_figures_use_the_course_style(path):
    cells = load(path)["cells"]
    tuned = [i for i, c in enumerate(cells) if c["cell_type"] == "code" and HAND_TUNED.search(text(c))]
    assert not tuned, (f"{path.name} cells {tuned}: figure size, dpi or font size set by hand; "
                       "adam_edu.plots.use_course_style() sets them for slides")
    if any(images(c) for c in cells):
        assert any(re.search(r"use_(course_)?style\(\)", text(c)) for c in cells
                   if c["cell_type"] == "code"), (
            f"{path.name} draws figures but never calls ae.plots.use_course_style()")


@decks
def test_figures_are_sharp_on_a_projector(path):
    soft = [f"cell {index}: {pixels[0]} px drawn for {css[0]} px shown"
            for index, cell in enumerate(load(path)["cells"]) for pixels, css in images(cell)
            if pixels[0] < SHARPNESS * css[0]]
    assert not soft, (f"{path.name}: images drawn at less than {SHARPNESS}x their size on screen "
                      f"(use_course_style() draws at 2x): {soft}")
