#!/usr/bin/env python3
"""Grade a class: `python3 course.py grade SUBMISSIONS --out gradebook [--roster R --config C --overrides O]`.

SUBMISSIONS is what the LMS gave you, a folder or a zip: a folder or zip per student (Moodle), or
Canvas's "Download Submissions" (flat files named name_userid_submissionid_file). Paths are relative
to where you run the command. Writes gradebook.csv and gradebook.json (every criterion, for you),
gradebook.canvas.csv, gradebook.moodle.csv and gradebook.gradescope.csv (to import), and
gradebook.feedback/ (one HTML page per student). Each student's notebooks run in the sandbox with
time limits; nothing is written into the submissions. See the README, "Grading a class".
"""
from __future__ import annotations

import sys

from grader.class_grading import grade_main


def main(argv: list) -> int:
    return grade_main(argv, "exercise_checks", __doc__.splitlines()[0])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
