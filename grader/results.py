"""What grading produces: a result per criterion, gathered into a result per exercise."""
from __future__ import annotations

from typing import NamedTuple


class CriterionResult(NamedTuple):
    """How one criterion went: points earned and, for a failure, the feedback and the mistake."""

    id: str
    task: int
    title: str
    points: int
    max_points: int
    feedback: str = ""
    mistake: str | None = None

    @property
    def passed(self) -> bool:
        return self.points == self.max_points


class ExerciseResult(NamedTuple):
    """One exercise of one student: its criteria and notes (cell errors, time-outs, a missing file)."""

    exercise: str
    title: str
    criteria: list
    notes: list
    questions: list = []     # written-answer questions: listed, not auto-graded

    @property
    def points(self) -> int:
        return sum(result.points for result in self.criteria)

    @property
    def max_points(self) -> int:
        return sum(result.max_points for result in self.criteria)


def all_lost(exercise, note: str) -> ExerciseResult:
    """Zero points on every criterion of ``exercise`` (an :class:`~grader.exercise.Exercise`)."""
    criteria = [CriterionResult(c.id, c.task, c.title, 0, c.points, note) for c in exercise.criteria]
    return ExerciseResult(exercise.name, exercise.title, criteria, [note], questions(exercise))


def questions(exercise) -> list:
    """The exercise's written-answer questions, as the scorecard lists them (not auto-graded)."""
    return [f"Task {task}: {text}" for task, text in sorted(exercise.questions.items())]
