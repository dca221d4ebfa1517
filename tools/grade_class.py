#!/usr/bin/env python3
"""Grade a class: `python3 course.py grade SUBMISSIONS_DIR --out gradebook`.

SUBMISSIONS_DIR holds one folder per student, each a copy of exercises/. Writes ``gradebook.csv``
(points per exercise and per criterion) and ``gradebook.json`` (also every criterion's feedback and
the mistake it names). Students are graded in parallel, one process per student at a time per core,
each notebook with time limits; a broken notebook costs only its own criteria. Progress goes to
stderr. Nothing is written into the submissions.
"""
from __future__ import annotations

import sys

from grader.cli import grade_main


def main(argv: list) -> int:
    return grade_main(argv, "exercise_checks", __doc__.splitlines()[0])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
