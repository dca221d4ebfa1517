"""Grade a class as its LMS delivered it, and write what goes back: gradebooks and feedback.

``grade SUBMISSIONS [--roster R] [--config C] [--overrides O] --out PREFIX`` finds every student in
SUBMISSIONS (a folder or a zip, any layout :mod:`grader.layouts` recognises), copies their
notebooks into one folder each, grades them in the sandbox (:func:`grade_submissions`), joins
the results to the roster, applies the overrides, manual items, weights and late policy
(:mod:`grader.course_config`) and writes:

- ``PREFIX.csv`` and ``PREFIX.json``: everything, for the instructor;
- ``PREFIX.canvas.csv``, ``PREFIX.moodle.csv``, ``PREFIX.gradescope.csv``: for the LMS's import;
- ``PREFIX.feedback/<student>.html``: one page per student.

Every entry passed over is reported by name. No student found, or a student with no recognised
notebook (unless ``--allow-missing``), is an error (exit 2) naming the notebooks looked for.
"""
from __future__ import annotations

import argparse
import importlib
import os
import re
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from grader import classbook, course_config, feedback_html, layouts, lms_export, roster, sandbox
from grader.isolated import Limits
from grader.results import all_lost
from grader.safe_output import clean, write_atomically
from grader.score import expected, mistake_answers
from grader.submission import GRADER_ERROR, drawn_exercises, grade_folder

OUTPUTS = (".csv", ".json", ".canvas.csv", ".moodle.csv", ".gradescope.csv")


def _say(text: str) -> None:
    print(clean(text), file=sys.stderr, flush=True)


def grade_submissions(found: list, catalogue: str, *, jobs=None, limits=Limits(), progress=True,
                      seed=None) -> dict:
    """{identity: [ExerciseResult]} for the :class:`~grader.layouts.Submission` list ``found``.

    Each student's notebooks are copied into a folder of their own and graded there in the sandbox
    (:func:`grader.submission.grade_folder`), ``jobs`` students at once, on one draw of inputs for
    the whole run (``seed``: tests only). A student whose grading fails in the grader itself gets a
    "grader error" on every exercise; the others are graded as usual. When this returns, every
    sandbox has ended and the copies are deleted."""
    drawn = drawn_exercises(catalogue, seed=seed)
    for exercise in drawn.values():
        expected(exercise)            # the reference answers, once, before the threads start
        mistake_answers(exercise)
    graded = {}
    with tempfile.TemporaryDirectory(prefix="adam-edu-stage-") as stage, \
            ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 1) as pool:
        futures = {}
        for number, submission in enumerate(found):
            name = re.sub(r"[^A-Za-z0-9_-]+", "_", submission.identity).strip("_")[:60]
            folder = layouts.stage(submission, Path(stage) / f"{number:05d}_{name}")
            futures[pool.submit(grade_folder, folder, catalogue, None, limits, drawn=drawn)] = \
                submission.identity
        for done, future in enumerate(as_completed(futures), 1):
            identity = futures[future]
            try:
                graded[identity] = future.result()
            except Exception as error:   # noqa: BLE001 - one student's failure is theirs only
                why = f"{GRADER_ERROR}: {type(error).__name__}: {str(error)[:200]}"
                graded[identity] = [all_lost(exercise, why) for exercise in drawn.values()]
            if progress:
                points = sum(r.points for r in graded[identity])
                most = sum(r.max_points for r in graded[identity])
                _say(f"[{done:>{len(str(len(found)))}}/{len(found)}] {identity}: {points}/{most}")
    return graded


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("submissions", help="a folder or zip of submissions: a folder or zip per "
                   "student, or Canvas's flat files (paths are relative to where you run this)")
    p.add_argument("--out", default="gradebook", help="path prefix of everything written: OUT.csv, "
                   "OUT.json, OUT.canvas.csv, OUT.moodle.csv, OUT.gradescope.csv, OUT.feedback/")
    p.add_argument("--roster", help="the class list as the LMS exports it (CSV)")
    p.add_argument("--config", help="course config (JSON): assignment, points, weights, "
                   "late_penalty, manual items")
    p.add_argument("--overrides", help="CSV student,check,points,reason merged into the grades")
    p.add_argument("--allow-missing", action="store_true",
                   help="grade a student with no recognised notebook as 0 instead of stopping")
    p.add_argument("--jobs", type=int, default=os.cpu_count(), help="students graded at once")
    p.add_argument("--notebook-seconds", type=float, default=Limits().notebook,
                   help="time limit per notebook, in seconds")
    return p


def grade_main(argv: list, catalogue: str, description: str = "") -> int:
    """The ``grade`` command; exit 0 when written, 2 on bad input (nothing graded)."""
    args = parser(description).parse_args(argv)
    exercises = list(importlib.import_module(catalogue).EXERCISES.values())
    notebooks = [e.notebook for e in exercises]
    source, out = Path(args.submissions).resolve(), Path(args.out).resolve()
    for suffix in sorted(OUTPUTS, key=len, reverse=True):     # --out gradebook.csv: the prefix
        if out.name.endswith(suffix):
            out = out.with_name(out.name[:-len(suffix)])
            break
    if not source.exists():
        _say(f"submissions == {args.submissions!r}: no such folder or zip (looked in {os.getcwd()}).")
        return 2
    if args.jobs < 1:
        _say(f"--jobs == {args.jobs}, must be in [1, inf).")
        return 2
    if source.is_dir() and out.is_relative_to(source):
        _say(f"--out {args.out} is inside the submissions; grading never writes into them.")
        return 2
    try:
        config = course_config.load_config(args.config, {e.name: e.max_points for e in exercises})
        students = roster.read_roster(args.roster) if args.roster else []
        checks = {c.id: c.points for e in exercises for c in e.criteria}
        checks |= {item: points for item, (_, points) in config.manual.items()}
        overrides = course_config.read_overrides(args.overrides, checks) if args.overrides else []
    except (OSError, ValueError) as error:
        _say(str(error))
        return 2
    with tempfile.TemporaryDirectory(prefix="adam-edu-class-") as work:
        found, skipped = layouts.find_submissions(source, notebooks, Path(work) / "unpack")
        for name, why in skipped:
            _say(f"Skipped {name!r}: {why}.")
        looked_for = (f"looked for {', '.join(notebooks)} (any case, copies like "
                      f"'{Path(notebooks[0]).stem} (1).ipynb' included) in a folder or zip per "
                      "student, or Canvas files named name_userid_submissionid_file")
        if not found:
            _say(f"No student found in {args.submissions}: {looked_for}.")
            return 2
        empty = [s for s in found if not s.files]
        for submission in empty:
            seen = "; ".join(submission.notes[:5]) or "nothing"
            _say(f"{submission.identity}: no recognised notebook (found: {seen}).")
        if empty and not args.allow_missing:
            _say(f"{len(empty)} of {len(found)} students have no recognised notebook; {looked_for}. "
                 "Fix the files, or pass --allow-missing to grade them as 0.")
            return 2
        start = time.perf_counter()
        _say(sandbox.describe())
        graded = grade_submissions(found, catalogue, jobs=args.jobs,
                                   limits=Limits()._replace(notebook=args.notebook_seconds))
    matched, unmatched, absent, ambiguous = roster.join(found, students)
    rows, unused = classbook.rows(graded, found, matched, config, overrides)
    if students:
        for identity in unmatched:
            _say(f"Not on the roster: {identity} (graded; its LMS rows lack the roster's ids).")
        for identity, why in ambiguous:
            _say(f"Roster match unclear for {identity}: {why} (left unmatched).")
        for student in absent:
            _say(f"No submission from {student.display} (on the roster).")
    if overrides:
        _say(f"Applied {len(overrides) - len(unused)} of {len(overrides)} overrides from "
             f"{args.overrides} (each shown in its student's feedback).")
    for o in unused:
        _say(f"Override not applied: no student {o.student!r} was graded.")
    for lms, ids, fields in (("Canvas", "ID or SIS id", ("sis_user_id", "sis_login_id")),
                             ("Moodle", "email, username or ID number",
                              ("email", "username", "id_number"))):
        missing = [r.identity for r in rows if not (lms == "Canvas" and lms_export.canvas_id(r))
                   and not (r.student and any(getattr(r.student, f) for f in fields))]
        if missing:
            _say(f"{len(missing)} of {len(rows)} rows of {out.name}.{lms.lower()}.csv have no {ids}, "
                 f"so {lms} cannot match them (e.g. {missing[0]}): give --roster, {lms}'s own export.")
    write(rows, exercises, config, out)
    _say(f"Graded {len(rows)} students in {time.perf_counter() - start:.1f} s; wrote "
         f"{', '.join(out.name + s for s in OUTPUTS)} and {out.name}.feedback/ in {out.parent}")
    return 0


def write(rows: list, exercises: list, config, out: Path) -> None:
    """Every gradebook and the feedback pages, each file whole or not at all."""
    out.parent.mkdir(parents=True, exist_ok=True)
    texts = (lms_export.full_csv(rows, exercises, config), lms_export.full_json(rows, config),
             lms_export.canvas_csv(rows, config), lms_export.moodle_csv(rows, config),
             lms_export.gradescope_csv(rows, config))
    for suffix, text in zip(OUTPUTS, texts):
        write_atomically(Path(f"{out}{suffix}"), text)
    feedback_html.write_pages(rows, config, Path(f"{out}.feedback"))
