#!/usr/bin/env python3
"""Build an offline reveal.js deck for every lesson.

    python3 course.py slides                          every lessons/*.ipynb -> build/slides/
    python3 -m tools.build_slides [NB ...] [--out DIR] [--theme white|serif|black] [--no-execute]

Each notebook is executed first (nbclient, widget state stored, so figures and playgrounds are in the
deck), then converted with nbconvert's slides exporter into `<out>/<lesson>.slides.html`. reveal.js,
MathJax, require.js, jQuery and the widget renderer come from `<out>/_vendor/`, fetched once from the
npm registry by `fetch_slide_assets.py`; a deck never loads anything from a CDN. Each built deck is
checked by `check_decks.py` and the build fails if it references anything outside `<out>`.
Cells keep their slide types: `slide`, `fragment`, `-`, `skip` (left out) and `notes` (speaker
notes: press `s` in the deck; their maths is typeset there). A code cell tagged `hide-input` shows
its output only (the code that draws a figure stays in the notebook). Slides are 1280x720 with type
sized for a hall and widgets marked as snapshots (slides_template/adam_reveal). Serve the decks with
`python3 course.py serve-slides`.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert import SlidesExporter
from traitlets.config import Config

from tools import check_decks, fetch_slide_assets

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = Path(__file__).resolve().parent / "slides_template"
THEMES = ("white", "serif", "black")  # the reveal themes that do not import web fonts
HIDE_INPUT = "hide-input"  # CONTRIBUTING.md, "Lessons are decks": the decks show the output only
SLIDE_SIZE = (1280, 720)   # CSS px; the deck is drawn at this size and scaled to the screen


def execute(nb: nbformat.NotebookNode, cwd: Path, timeout: int) -> nbformat.NotebookNode:
    """Run every cell the way a front end does, keeping widget state for the static deck."""
    os.environ.pop("MPLBACKEND", None)  # Agg would drop inline figures
    os.environ["PYTHONHASHSEED"] = "0"
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", store_widget_state=True,
                            resources={"metadata": {"path": str(cwd)}})
    client.execute()
    return nb


def exporter(theme: str) -> SlidesExporter:
    """A slides exporter pointed at the local `_vendor/` copies, with mermaid removed."""
    if theme not in THEMES:
        raise ValueError(f"theme == {theme!r}, must be one of {THEMES} (others load web fonts).")
    config = Config()
    for trait, url in fetch_slide_assets.URLS.items():
        setattr(config.SlidesExporter, trait, url)
    config.SlidesExporter.reveal_theme = theme
    config.SlidesExporter.reveal_transition = "none"  # a stop is drawn at once, nothing in motion
    config.SlidesExporter.theme = "dark" if theme == "black" else "light"
    config.SlidesExporter.extra_template_basedirs = [str(TEMPLATES)]
    config.SlidesExporter.template_name = "adam_reveal"
    config.SlidesExporter.reveal_width, config.SlidesExporter.reveal_height = map(str, SLIDE_SIZE)
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_input_tags = {HIDE_INPUT}
    return SlidesExporter(config=config)


def build(notebooks: list[Path], out: Path, *, theme: str = "white", run: bool = True,
          timeout: int = 600) -> list[Path]:
    """Write `<out>/<name>.slides.html` for each notebook; return the deck paths."""
    out.mkdir(parents=True, exist_ok=True)
    fetch_slide_assets.install(out)
    slides = exporter(theme)
    decks = []
    for path in notebooks:
        start = time.perf_counter()
        nb = nbformat.read(path, as_version=4)
        if run:
            execute(nb, path.parent, timeout)
        body, _ = slides.from_notebook_node(nb, resources={
            "metadata": {"name": path.stem},
            "adam_require_paths": fetch_slide_assets.WIDGET_MODULE_PATHS})
        deck = out / f"{path.stem}.slides.html"
        deck.write_text(body, encoding="utf-8")
        problems = check_decks.problems(deck, out)
        if problems:
            raise SystemExit(f"{deck} is not self-contained:\n  " + "\n  ".join(problems))
        shown = deck.relative_to(ROOT) if deck.is_relative_to(ROOT) else deck
        print(f"{shown}  ({time.perf_counter() - start:.1f} s)", flush=True)
        decks.append(deck)
    return decks


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to convert (default: lessons/*.ipynb)")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "slides")
    parser.add_argument("--theme", default="white", choices=THEMES)
    parser.add_argument("--no-execute", dest="run", action="store_false",
                        help="use the outputs stored in the notebooks instead of running them")
    parser.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell")
    args = parser.parse_args(argv)
    notebooks = args.notebooks or sorted((ROOT / "lessons").glob("*.ipynb"))
    if not notebooks:
        raise SystemExit("No notebooks given and none found in lessons/.")
    build(notebooks, args.out.resolve(), theme=args.theme, run=args.run, timeout=args.timeout)
    print(f"Decks are in {args.out}; serve them with `python3 course.py serve-slides`.")


if __name__ == "__main__":
    main(sys.argv[1:])
