"""The one-student command: grade a folder of exercise notebooks and print a scorecard.

A course wires it to its catalogue of exercises (``tools/check_student.py`` here):
``check_main(argv, "exercise_checks", default_folder)``. A class is graded by
:func:`grader.class_grading.grade_main` (``tools/grade_class.py``).
"""
from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from grader import sandbox
from grader.report import scorecard
from grader.safe_output import clean
from grader.submission import grade_folder


def check_main(argv: list, catalogue: str, default_folder: Path, description: str = "") -> int:
    """Grade one folder and print a scorecard; exit 2 on a bad folder, 1 with --strict unless perfect."""
    exercises = importlib.import_module(catalogue).EXERCISES
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("folder", nargs="?", default=str(default_folder),
                        help=f"a folder holding the exercise notebooks (default: {default_folder.name}/)")
    parser.add_argument("--exercise", action="append", choices=sorted(exercises),
                        help="grade only this exercise (repeatable)")
    parser.add_argument("--strict", action="store_true", help="exit 1 unless every criterion passes")
    args = parser.parse_args(argv)
    folder = Path(args.folder)
    if not folder.is_dir():
        notebooks = ", ".join(e.notebook for e in exercises.values())
        print(f"folder == {args.folder!r}: not a directory; give a folder holding the exercise "
              f"notebooks ({notebooks}).", file=sys.stderr)
        return 2
    print(sandbox.describe(), file=sys.stderr)   # once: whether submissions are isolated
    results = grade_folder(folder, catalogue, args.exercise)
    print(clean(scorecard(folder.resolve().name, results)))
    perfect = all(r.points == r.max_points for r in results)
    return 1 if args.strict and not perfect else 0
