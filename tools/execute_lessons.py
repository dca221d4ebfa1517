#!/usr/bin/env python3
"""Execute lessons in place, storing their outputs and widget state: `python3 course.py execute`.

    python3 course.py execute                               every lessons/*.ipynb
    python3 course.py execute lessons/02_xy_walkthrough.ipynb   just the ones named

Each notebook runs the way a front end runs it (nbclient, widget state stored in the notebook's
metadata so nbconvert and GitHub can show the widgets' static fallback), in a fresh ``python3`` kernel
of the interpreter running this script, with ``lessons/`` as the working directory, ``PYTHONHASHSEED=0``
and no ``MPLBACKEND`` (which would hide inline figures). Cell timing metadata is not recorded, so two
runs give the same text. A cell whose slide type is ``"-"`` (continue the slide) is written with no
slide type, which means the same to nbconvert and RISE: jupyterlab-slideshow 0.3.4 (the live deck,
Alt+R) leaves ``"-"`` cells off every slide.

A notebook is written back only when every cell ran without error. On any failure the file on disk
is left untouched, the error is printed and the exit status is non-zero; the remaining notebooks are
still executed so one run reports every broken lesson. Afterwards run strict nbval (see
``python3 course.py test``) to check the stored outputs reproduce.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LESSONS = ROOT / "lessons"
CELL_TIMEOUT_S = 120


def lesson_paths(names: list[str]) -> list[Path]:
    """The notebooks to execute; every name must be an existing .ipynb file."""
    if not names:
        paths = sorted(LESSONS.glob("*.ipynb"))
        if not paths:
            sys.exit(f"No notebooks found in {LESSONS}.")
        return paths
    paths = []
    for name in names:
        path = Path(name)
        if not path.is_absolute():
            path = (Path.cwd() / path) if (Path.cwd() / path).exists() else ROOT / path
        if path.suffix != ".ipynb":
            sys.exit(f"{name!r} is not a notebook (.ipynb); nothing was executed.")
        if not path.is_file():
            sys.exit(f"{name!r} does not exist; nothing was executed.")
        paths.append(path.resolve())
    return paths


def continue_without_slide_type(nb) -> None:
    """Drop ``slide_type: "-"`` (the default), which the live deck would not show at all."""
    for cell in nb.cells:
        slideshow = cell.metadata.get("slideshow", {})
        if slideshow.get("slide_type") == "-":
            del slideshow["slide_type"]
            if not slideshow:
                del cell.metadata["slideshow"]


def execute(path: Path) -> float:
    """Execute one notebook and write it back; return the wall time in seconds (kernel included).

    Raises whatever nbclient raises (CellExecutionError, a timeout, a dead kernel) without writing.
    """
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=CELL_TIMEOUT_S,
        resources={"metadata": {"path": str(LESSONS)}},
        store_widget_state=True,
        record_timing=False,
        allow_errors=False,
    )
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    errors = [c for c in nb.cells if c.cell_type == "code"
              for o in c.get("outputs", []) if o.get("output_type") == "error"]
    if errors:
        raise RuntimeError(f"{len(errors)} cell(s) produced error outputs")
    continue_without_slide_type(nb)
    nbformat.validate(nb)
    tmp = path.with_suffix(".ipynb.tmp")
    nbformat.write(nb, tmp)
    os.replace(tmp, path)
    return seconds


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lessons", nargs="*", help="notebooks to execute (default: lessons/*.ipynb)")
    args = parser.parse_args(argv)
    paths = lesson_paths(args.lessons)
    os.environ.pop("MPLBACKEND", None)          # the kernel inherits this environment
    os.environ["PYTHONHASHSEED"] = "0"
    failed = []
    for path in paths:
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        try:
            seconds = execute(path)
        except Exception as error:  # report every failing lesson, keep its file unchanged
            failed.append(shown)
            print(f"FAILED  {shown}: not written.\n{type(error).__name__}: {error}", file=sys.stderr)
            continue
        print(f"ok      {shown}  ({seconds:.1f} s including kernel start)")
    if failed:
        print(f"{len(failed)} of {len(paths)} notebook(s) failed: " + ", ".join(map(str, failed)),
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
