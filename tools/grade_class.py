#!/usr/bin/env python3
"""Grade a class: `python3 course.py grade SUBMISSIONS_DIR --out gradebook`.

SUBMISSIONS_DIR holds one folder per student, each a copy of exercises/. Writes ``gradebook.csv``
(points per exercise and per check) and ``gradebook.json`` (also every check's feedback and the
mistake it names). Students are graded in parallel, one process per student at a time per core, each
notebook with time limits; a broken notebook costs only its own checks. Progress goes to stderr.
Nothing is written into the submissions.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from adam_edu.grading import compare
from adam_edu.grading.exercises import EXERCISES
from adam_edu.grading.report import gradebook_csv, gradebook_json
from adam_edu.grading.submission import Limits, grade_folder


def students(submissions: Path) -> list:
    """The student folders, sorted by name (hidden folders skipped)."""
    return sorted(p for p in submissions.iterdir() if p.is_dir() and not p.name.startswith("."))


def grade_class(submissions, *, jobs=None, limits=Limits(), progress=True) -> dict:
    """{student name: [ExerciseResult]} for every student folder in ``submissions``."""
    folders = students(Path(submissions))
    for exercise in EXERCISES:       # the reference answers, once, before the threads start
        compare.expected(exercise)
        compare.mistake_answers(exercise)
    graded = {}
    with ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 1) as pool:
        futures = {pool.submit(grade_folder, folder, None, limits): folder.name for folder in folders}
        for done, future in enumerate(as_completed(futures), 1):
            name = futures[future]
            graded[name] = future.result()
            if progress:
                points = sum(r.points for r in graded[name])
                most = sum(r.max_points for r in graded[name])
                print(f"[{done:>{len(str(len(folders)))}}/{len(folders)}] {name}: {points}/{most}",
                      file=sys.stderr, flush=True)
    return graded


def main(argv: list) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
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
    if any(out.is_relative_to(folder) for folder in students(submissions)):
        print(f"--out {args.out} is inside a student's folder; grading never writes into a "
              "submission. Choose another path.", file=sys.stderr)
        return 2
    start = time.perf_counter()
    graded = grade_class(submissions, jobs=args.jobs,
                         limits=Limits()._replace(notebook=args.notebook_seconds))
    out.parent.mkdir(parents=True, exist_ok=True)
    Path(f"{out}.csv").write_text(gradebook_csv(graded), encoding="utf-8")
    Path(f"{out}.json").write_text(gradebook_json(graded), encoding="utf-8")
    print(f"Graded {len(graded)} students in {time.perf_counter() - start:.1f} s; wrote {out}.csv "
          f"and {out}.json", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
