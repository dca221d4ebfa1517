#!/usr/bin/env python3
"""Build the Gradescope autograder: `python3 course.py gradescope [--out build/gradescope_autograder.zip]`.

Upload the zip as a Programming Assignment's autograder ("Zip file upload"). Gradescope runs
``setup.sh`` once to build the image and ``run_autograder`` for every submission: the student's
notebooks run in the course's sandbox and each criterion becomes a test with its points and
feedback (grader/gradescope.py). Students upload their exercise notebooks (any folder, any case).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from grader.gradescope import VISIBILITY, build_bundle

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("grader", "exercise_checks", "adam_edu")
# What the grader reads notebooks with (grader/notebook_source.py, grader/sandbox_child.py); the
# course installs them with JupyterLab and the test tools.
GRADER_NEEDS = ("nbformat>=5.10", "ipython>=8")


def requirements() -> list:
    """The library's own dependencies (pyproject.toml) and the grader's."""
    try:
        import tomllib
    except ModuleNotFoundError:       # Python 3.10
        import tomli as tomllib
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [*project["dependencies"], *GRADER_NEEDS]


def main(argv: list) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "build" / "gradescope_autograder.zip"),
                        help="where to write the zip (relative to where you run this)")
    parser.add_argument("--visibility", default="visible", choices=VISIBILITY,
                        help="when students see each test's result")
    args = parser.parse_args(argv)
    out = build_bundle(Path(args.out).resolve(), ROOT, PACKAGES, requirements(), "exercise_checks",
                       args.visibility)
    print(f"Wrote {out}: upload it as the assignment's autograder on Gradescope.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
