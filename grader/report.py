"""Scorecards for a student and gradebooks (CSV and JSON) for a class."""
from __future__ import annotations

import csv
import io
import json

from grader.safe_output import clean, csv_cell


LIVE = ("Graded the functions defined in your kernel now, which may differ from the saved file: "
        "save the notebook before submitting (the shell grader, `python3 course.py check`, reads "
        "the saved files).")


def exercise_lines(result, *, indent="", live=False) -> list:
    """The scorecard of one exercise: a header, then ✓/✗ per criterion with its feedback, then
    the written-answer questions (not auto-graded). ``live``: graded in the student's kernel."""
    lines = [f"{indent}{result.exercise}  {result.title}: {result.points}/{result.max_points} points"]
    if live:
        lines.append(f"{indent}  {LIVE}")
    for note in result.notes:
        lines.append(f"{indent}  ! {note}")
    for criterion in result.criteria:
        mark = "✓" if criterion.passed else "✗"
        lines.append(f"{indent}  {mark} {criterion.points}/{criterion.max_points}  "
                     f"Task {criterion.task}: {criterion.title}")
        if criterion.feedback and not criterion.passed:
            lines.append(f"{indent}      {criterion.feedback}")
    for question in result.questions:
        lines.append(f"{indent}  ·  -   {question} (written answer: not auto-graded)")
    return lines


def scorecard(student: str, results: list) -> str:
    """Every exercise of one student, then the total."""
    lines = [f"Scorecard for {student}", ""]
    for result in results:
        lines += exercise_lines(result) + [""]
    total = sum(r.points for r in results)
    most = sum(r.max_points for r in results)
    lines.append(f"Total: {total}/{most} points ({100 * total / most:.0f}%)" if most else "Total: -")
    return "\n".join(lines)


def _record(results: list) -> dict:
    return {r.exercise: {"points": r.points, "max_points": r.max_points, "notes": r.notes,
                         "written_answers": r.questions,
                         "criteria": [{"id": c.id, "task": c.task, "title": c.title,
                                       "points": c.points, "max_points": c.max_points,
                                       "passed": c.passed, "mistake": c.mistake,
                                       "feedback": c.feedback} for c in r.criteria]}
            for r in results}


def gradebook_json(graded: dict) -> str:
    """{student: {"total", "max_points", "exercises": {ex: {points, criteria: [...]}}}} as JSON."""
    out = {}
    for student in sorted(graded):
        results = graded[student]
        out[student] = {"total": sum(r.points for r in results),
                        "max_points": sum(r.max_points for r in results),
                        "exercises": _record(results)}
    return clean(json.dumps(out, indent=1, ensure_ascii=False, sort_keys=True)) + "\n"


def gradebook_csv(graded: dict, exercises: list) -> str:
    """One row per student: points per exercise, the total, points per criterion, and the grader
    errors that cost the student points. Text a spreadsheet would run as a formula is escaped.

    ``exercises`` are the :class:`~grader.exercise.Exercise` objects graded, in column order.
    """
    criteria = [c for exercise in exercises for c in exercise.criteria]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", *(e.name for e in exercises), "total", "max_points",
                     *(c.id for c in criteria), "grader_error"])
    most = sum(e.max_points for e in exercises)
    writer.writerow(["(max)", *(e.max_points for e in exercises), most, "",
                     *(c.points for c in criteria)])
    for student in sorted(graded):
        by_exercise = {r.exercise: r.points for r in graded[student]}
        by_criterion = {c.id: c.points for r in graded[student] for c in r.criteria}
        errors = "; ".join(f"{r.exercise}: {note}" for r in graded[student] for note in r.notes
                           if note.startswith("grader error"))
        writer.writerow([csv_cell(cell) for cell in (
            student, *(by_exercise.get(e.name, 0) for e in exercises), sum(by_exercise.values()),
            most, *(by_criterion.get(c.id, 0) for c in criteria), errors)])
    return buffer.getvalue()
