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
SLIDE_TYPES = {"slide", "subslide", "fragment", "-", "skip", "notes"}
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
IGNORE_TAG = "nbval-ignore-output"
EXERCISE = re.compile(r"exercises/(ex\d\d_[a-z0-9_]+\.ipynb)")
MAX_CODE_LINES = 20          # "short code cells"
MAX_IMAGE_PX = (1280, 720)   # nothing on a slide may overflow 1280x720
OFFLINE_THEMES = ("white", "serif", "black")   # reveal themes that load no web fonts
MIN_ASSERT_CELLS = 3         # "every claim is checked by code that runs in CI"


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


def test_lessons_exist():
    assert LESSONS, "no notebooks in lessons/"


@lessons
def test_file_name(path):
    assert re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", path.name), (
        f"{path.name}: lesson files are named NN_slug.ipynb")


@lessons
def test_every_cell_has_a_slide_type(path):
    for index, cell in enumerate(load(path)["cells"]):
        slide_type = cell.get("metadata", {}).get("slideshow", {}).get("slide_type")
        assert slide_type in SLIDE_TYPES, (
            f"{path.name} cell {index}: slideshow.slide_type is {slide_type!r}, "
            f"must be one of {sorted(SLIDE_TYPES)}")


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


@lessons
def test_images_fit_a_slide(path):
    for index, cell in enumerate(load(path)["cells"]):
        for out in outputs(cell):
            if "image/png" in out.get("data", {}):
                width, height = png_size(out["data"]["image/png"])
                assert width <= MAX_IMAGE_PX[0] and height <= MAX_IMAGE_PX[1], (
                    f"{path.name} cell {index}: a {width}x{height} image overflows a "
                    f"{MAX_IMAGE_PX[0]}x{MAX_IMAGE_PX[1]} slide")
