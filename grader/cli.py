"""The two grading commands: one student's scorecard, and a class's gradebook.

A course wires them to its catalogue of exercises (``tools/check_student.py`` and
``tools/grade_class.py`` here): ``check_main(argv, "exercise_checks", default_folder)``.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from grader import sandbox
from grader.isolated import Limits
from grader.report import gradebook_csv, gradebook_json, scorecard
from grader.results import all_lost
from grader.safe_output import clean, student_folders, write_atomically
from grader.score import expected, mistake_answers
from grader.submission import GRADER_ERROR, drawn_exercises, grade_folder


def isolation_line() -> str:
    """Printed once per command: whether submissions are isolated (see grader.sandbox)."""
    return sandbox.describe()


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
    print(isolation_line(), file=sys.stderr)
    results = grade_folder(folder, catalogue, args.exercise)
    print(clean(scorecard(folder.resolve().name, results)))
    perfect = all(r.points == r.max_points for r in results)
    return 1 if args.strict and not perfect else 0


def grade_class(submissions, catalogue: str, *, jobs=None, limits=Limits(), progress=True,
                seed=None) -> tuple:
    """({student name: [ExerciseResult]}, [(skipped entry, why)]) for the folders in ``submissions``.

    One draw of inputs for the whole run (``seed``: tests only); a student whose grading fails in
    the grader itself gets a "grader error" on every exercise, and the others are graded as usual."""
    folders, skipped = student_folders(Path(submissions))
    drawn = drawn_exercises(catalogue, seed=seed)
    for exercise in drawn.values():
        expected(exercise)            # the reference answers, once, before the threads start
        mistake_answers(exercise)
    graded = {}
    with ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 1) as pool:
        futures = {pool.submit(grade_folder, folder, catalogue, None, limits, drawn=drawn): folder.name
                   for folder in folders}
        for done, future in enumerate(as_completed(futures), 1):
            name = futures[future]
            try:
                graded[name] = future.result()
            except Exception as error:   # noqa: BLE001 - one student's failure is theirs only
                why = f"{GRADER_ERROR}: {type(error).__name__}: {str(error)[:200]}"
                graded[name] = [all_lost(exercise, why) for exercise in drawn.values()]
            if progress:
                points = sum(r.points for r in graded[name])
                most = sum(r.max_points for r in graded[name])
                print(clean(f"[{done:>{len(str(len(folders)))}}/{len(folders)}] {name}: "
                            f"{points}/{most}"), file=sys.stderr, flush=True)
    return graded, skipped


def grade_main(argv: list, catalogue: str, description: str = "") -> int:
    """Grade a folder of student folders into OUT.csv and OUT.json; exit 2 on bad arguments."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("submissions", help="folder with one sub-folder per student")
    parser.add_argument("--out", default="gradebook",
                        help="path prefix of the gradebook: writes OUT.csv and OUT.json")
    parser.add_argument("--jobs", type=int, default=os.cpu_count(),
                        help="students graded at once (default: the number of cores)")
    parser.add_argument("--notebook-seconds", type=float, default=Limits().notebook,
                        help="time limit per notebook, in seconds")
    args = parser.parse_args(argv)
    submissions = Path(args.submissions).resolve()
    if not submissions.is_dir():
        print(f"submissions == {args.submissions!r}: not a directory.", file=sys.stderr)
        return 2
    if args.jobs < 1:
        print(f"--jobs == {args.jobs}, must be in [1, inf).", file=sys.stderr)
        return 2
    out = Path(args.out).resolve()
    out = out.with_suffix("") if out.suffix in (".csv", ".json") else out
    if any(out.is_relative_to(folder) for folder in student_folders(submissions)[0]):
        print(f"--out {args.out} is inside a student's folder; grading never writes into a "
              "submission. Choose another path.", file=sys.stderr)
        return 2
    start = time.perf_counter()
    print(isolation_line(), file=sys.stderr)
    graded, skipped = grade_class(submissions, catalogue, jobs=args.jobs,
                                  limits=Limits()._replace(notebook=args.notebook_seconds))
    for name, why in skipped:
        print(clean(f"Skipped {name!r}: {why}."), file=sys.stderr)
    # Every sandbox has ended when grade_class returns; each file appears whole or not at all.
    out.parent.mkdir(parents=True, exist_ok=True)
    exercises = list(importlib.import_module(catalogue).EXERCISES.values())
    write_atomically(Path(f"{out}.csv"), gradebook_csv(graded, exercises))
    write_atomically(Path(f"{out}.json"), gradebook_json(graded))
    print(clean(f"Graded {len(graded)} students in {time.perf_counter() - start:.1f} s; wrote "
                f"{out}.csv and {out}.json"), file=sys.stderr)
    return 0
