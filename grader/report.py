"""A student's scorecard, and the per-criterion record of their results that gradebooks hold."""
from __future__ import annotations


def exercise_lines(result, *, indent="") -> list:
    """The scorecard of one exercise: a header, then ✓/✗ per criterion with its feedback."""
    lines = [f"{indent}{result.exercise}  {result.title}: {result.points}/{result.max_points} points"]
    for note in result.notes:
        lines.append(f"{indent}  ! {note}")
    for criterion in result.criteria:
        mark = "✓" if criterion.passed else "✗"
        lines.append(f"{indent}  {mark} {criterion.points}/{criterion.max_points}  "
                     f"Task {criterion.task}: {criterion.title}")
        if criterion.feedback and not criterion.passed:
            lines.append(f"{indent}      {criterion.feedback}")
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


def exercise_records(results: list) -> dict:
    """{exercise: its points, notes and every criterion's points, mistake and feedback}: plain data
    for a gradebook (see :func:`grader.lms_export.full_json`)."""
    return {r.exercise: {"points": r.points, "max_points": r.max_points, "notes": r.notes,
                         "criteria": [{"id": c.id, "task": c.task, "title": c.title,
                                       "points": c.points, "max_points": c.max_points,
                                       "passed": c.passed, "mistake": c.mistake,
                                       "feedback": c.feedback} for c in r.criteria]}
            for r in results}
