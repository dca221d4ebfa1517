"""An autograder for exercise notebooks: the engine, which knows nothing of any one course.

A course describes its exercises in a *catalogue*, a module whose ``EXERCISES`` dict maps a name
(``"ex03"``) to an :class:`~grader.exercise.Exercise`: the notebook, its tasks, its criteria (calls
with points) and its catalogued mistakes. The engine does the rest:

- :mod:`grader.notebook_source` reads a notebook's code as Jupyter would; :mod:`grader.isolated`
  runs it for one student in the sandbox (:mod:`grader.sandbox`, :mod:`grader.sandbox_child`),
  sending the calls as JSON (:mod:`grader.wire`) on inputs drawn from a secret seed
  (:mod:`grader.secret_inputs`), and accepts only well-formed replies (:mod:`grader.channel`);
- :mod:`grader.source_inspection` finds marks a student did not earn (the library's own answer,
  the grader's internals);
- :mod:`grader.compare` and :mod:`grader.score` compare the answers with the reference, name the
  mistake and write the feedback, in the grader's process; :mod:`grader.results` holds the results;
- :mod:`grader.submission` grades a folder; :mod:`grader.report` writes scorecards and the
  per-criterion records, :mod:`grader.safe_output` keeps them harmless to read; :mod:`grader.cli`
  is the one-student command (``check``);
- :mod:`grader.class_grading` is the class command (``grade``): it grades a class as an LMS
  delivers it (:mod:`grader.layouts`), joins
  it to the roster (:mod:`grader.roster`), applies the course config and overrides
  (:mod:`grader.course_config`, :mod:`grader.classbook`) and writes the LMS gradebooks
  (:mod:`grader.lms_export`) and feedback pages (:mod:`grader.feedback_html`);
  :mod:`grader.gradescope` is the same grading as a Gradescope autograder.
"""
from grader.exercise import Call, Criterion, Exercise, Mistake, call
from grader.results import CriterionResult, ExerciseResult
from grader.score import grade_namespace
from grader.submission import grade_folder
from grader.isolated import Limits

__all__ = ["Call", "Criterion", "Exercise", "Mistake", "call", "CriterionResult", "ExerciseResult",
           "grade_namespace", "grade_folder", "Limits"]
