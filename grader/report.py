"""A student's scorecard, and the per-criterion record of their results that gradebooks hold."""
from __future__ import annotations


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


def exercise_records(results: list) -> dict:
    """{exercise: its points, notes and every criterion's points, mistake and feedback}: plain data
    for a gradebook (see :func:`grader.lms_export.full_json`)."""
    return {r.exercise: {"points": r.points, "max_points": r.max_points, "notes": r.notes,
                         "written_answers": r.questions,
                         "criteria": [{"id": c.id, "task": c.task, "title": c.title,
                                       "points": c.points, "max_points": c.max_points,
                                       "passed": c.passed, "mistake": c.mistake,
                                       "feedback": c.feedback} for c in r.criteria]}
            for r in results}
