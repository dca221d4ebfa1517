#!/usr/bin/env python3
"""Grade one student's exercises and print a scorecard: `python3 course.py check [FOLDER]`.

    python3 course.py check                       your exercises/ folder
    python3 course.py check path/to/folder        any copy of exercises/
    python3 course.py check --exercise ex03       just one exercise

The notebooks are read from disk, so save them first (Ctrl+S in JupyterLab). They run in a separate
process with time limits; nothing is written into the folder. The same grading as a pytest run:
``ADAM_EDU_STUDENT=FOLDER python3 course.py test tests/test_exercises.py -k student``.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from adam_edu.grading.report import scorecard
from adam_edu.grading.submission import NOTEBOOKS, Limits, grade_folder

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(ROOT / "exercises"),
                        help="a folder holding the exercise notebooks (default: exercises/)")
    parser.add_argument("--exercise", action="append", choices=sorted(NOTEBOOKS),
                        help="grade only this exercise (repeatable)")
    parser.add_argument("--strict", action="store_true", help="exit 1 unless every check passes")
    args = parser.parse_args(argv)
    folder = Path(args.folder)
    if not folder.is_dir():
        print(f"folder == {args.folder!r}: not a directory; give a folder holding the exercise "
              f"notebooks ({', '.join(NOTEBOOKS.values())}).", file=sys.stderr)
        return 2
    results = grade_folder(folder, args.exercise, Limits())
    print(scorecard(folder.resolve().name, results))
    perfect = all(r.points == r.max_points for r in results)
    return 1 if args.strict and not perfect else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
