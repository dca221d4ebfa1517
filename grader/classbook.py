"""A class's grades: each submission's results joined to its student, overrides, manual items and
the late policy, ready for the exports (:mod:`grader.lms_export`) and the feedback files
(:mod:`grader.feedback_html`).
"""
from __future__ import annotations

from typing import NamedTuple

from grader.course_config import Config, grade
from grader.results import CriterionResult, ExerciseResult
from grader.roster import Student, key


class Row(NamedTuple):
    """One student's line of the gradebook."""

    identity: str                # as the layout named them (folder, zip, Canvas name)
    student: Student | None      # from the roster, or None without one (or unmatched)
    keys: tuple                  # the layout's keys (a Canvas user id first)
    results: list                # [ExerciseResult], overrides applied
    manual: dict                 # manual item id -> (points, reason)
    late: bool
    grade: float
    notes: list                  # what the layout passed over, the overrides applied

    @property
    def name(self) -> str:
        return self.student.display if self.student else self.identity

    @property
    def points(self) -> float:
        return sum(r.points for r in self.results) + sum(p for p, _ in self.manual.values())


def _names(identity: str, student: Student | None) -> set:
    return {key(identity)} | (student.keys() if student else set())


def _override(results: list, overrides: list) -> list:
    """``results`` with each override's points and reason in place of the grader's."""
    by_check = {o.check: o for o in overrides}
    out = []
    for result in results:
        criteria = []
        for c in result.criteria:
            o = by_check.get(c.id)
            criteria.append(c if o is None else CriterionResult(
                c.id, c.task, c.title, o.points, c.max_points,
                f"Set by the instructor to {o.points:g}/{c.max_points} (the grader gave "
                f"{c.points}): {o.reason}", c.mistake))
        out.append(ExerciseResult(result.exercise, result.title, criteria, result.notes))
    return out


def rows(graded: dict, submissions: list, matched: dict, config: Config,
         overrides: list = ()) -> tuple:
    """([Row] sorted by name, [override not applied]) from {identity: [ExerciseResult]}, the
    layout's :class:`~grader.layouts.Submission` list and {identity: Student} from the roster."""
    out, used = [], set()
    for submission in submissions:
        identity = submission.identity
        if identity not in graded:
            continue
        student = matched.get(identity)
        names = _names(identity, student)
        mine = [o for o in overrides if key(o.student) in names]
        used.update(mine)
        results = _override(graded[identity], mine)
        manual = {item: next(((o.points, o.reason) for o in mine if o.check == item), (0.0, ""))
                  for item in config.manual}
        earned = {r.exercise: r.points for r in results} | {i: p for i, (p, _) in manual.items()}
        notes = list(submission.notes) + [f"{o.check} set to {o.points:g} by the instructor: "
                                          f"{o.reason}" for o in mine]
        if submission.late and config.late_penalty:
            notes.append(f"Submitted late: the grade is reduced by {100 * config.late_penalty:g}%.")
        out.append(Row(identity, student, submission.keys, results, manual, submission.late,
                       grade(config, earned, late=submission.late), notes))
    return sorted(out, key=lambda r: (r.name.lower(), r.identity)), [o for o in overrides
                                                                       if o not in used]
