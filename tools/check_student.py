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

import sys
from pathlib import Path

from grader.cli import check_main

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list) -> int:
    return check_main(argv, "exercise_checks", ROOT / "exercises", __doc__.splitlines()[0])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
