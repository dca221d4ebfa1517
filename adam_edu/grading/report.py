"""Scorecards for a student and gradebooks (CSV and JSON) for a class."""
from __future__ import annotations

import csv
import io
import json

from adam_edu.grading.exercises import EXERCISES, max_points


def exercise_lines(result, *, indent="") -> list:
    """The scorecard of one exercise: a header, then ✓/✗ per check with its feedback."""
    lines = [f"{indent}{result.exercise}  {result.title}: {result.points}/{result.max_points} points"]
    for note in result.notes:
        lines.append(f"{indent}  ! {note}")
    for check in result.checks:
        mark = "✓" if check.passed else "✗"
        lines.append(f"{indent}  {mark} {check.points}/{check.max_points}  Task {check.task}: "
                     f"{check.title}")
        if check.feedback and not check.passed:
            lines.append(f"{indent}      {check.feedback}")
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
                         "checks": [{"id": c.id, "task": c.task, "title": c.title,
                                     "points": c.points, "max_points": c.max_points,
                                     "passed": c.passed, "mistake": c.mistake,
                                     "feedback": c.feedback} for c in r.checks]}
            for r in results}


def gradebook_json(graded: dict) -> str:
    """{student: {"total", "max_points", "exercises": {ex: {points, checks: [...]}}}} as JSON."""
    out = {}
    for student in sorted(graded):
        results = graded[student]
        out[student] = {"total": sum(r.points for r in results),
                        "max_points": sum(r.max_points for r in results),
                        "exercises": _record(results)}
    return json.dumps(out, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def gradebook_csv(graded: dict) -> str:
    """One row per student: points per exercise, per check, and the total."""
    checks = [c.id for name in EXERCISES for c in EXERCISES[name].checks]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", *EXERCISES, "total", "max_points", *checks])
    writer.writerow(["(max)", *(max_points(e) for e in EXERCISES),
                     sum(max_points(e) for e in EXERCISES), "",
                     *(c.points for e in EXERCISES for c in EXERCISES[e].checks)])
    for student in sorted(graded):
        by_exercise = {r.exercise: r for r in graded[student]}
        by_check = {c.id: c.points for r in graded[student] for c in r.checks}
        writer.writerow([student, *(by_exercise[e].points if e in by_exercise else 0
                                    for e in EXERCISES),
                         sum(r.points for r in graded[student]),
                         sum(max_points(e) for e in EXERCISES),
                         *(by_check.get(c, 0) for c in checks)])
    return buffer.getvalue()
