"""An autograder for exercise notebooks: the engine, which knows nothing of any one course.

A course describes its exercises in a *catalogue*, a module whose ``EXERCISES`` dict maps a name
(``"ex03"``) to an :class:`~grader.exercise.Exercise`: the notebook, its tasks, its criteria (calls
with points) and its catalogued mistakes. The engine does the rest:

- :mod:`grader.notebook` reads a notebook's code; :mod:`grader.worker` runs it in the student's own
  process and calls the student's functions (:mod:`grader.calls`);
- :mod:`grader.transport` starts that process with limits and turns its replies into typed events;
- :mod:`grader.compare` and :mod:`grader.score` compare the answers with the reference, name the
  mistake and write the feedback, in the grader's process; :mod:`grader.results` holds the results;
- :mod:`grader.submission` grades a folder; :mod:`grader.report` writes scorecards and gradebooks;
  :mod:`grader.cli` is the two commands.
"""
from grader.exercise import Call, Criterion, Exercise, Mistake, call
from grader.results import CriterionResult, ExerciseResult
from grader.score import grade_namespace
from grader.submission import grade_folder
from grader.transport import Limits

__all__ = ["Call", "Criterion", "Exercise", "Mistake", "call", "CriterionResult", "ExerciseResult",
           "grade_namespace", "grade_folder", "Limits"]
