"""exercises/ is generated from solutions/ and never overwrites a student's work; a student's folder
graded as pytest tests (one test per criterion).

    python3 course.py test tests/test_exercises.py                 the solutions: every criterion passes
    ADAM_EDU_STUDENT=exercises python3 course.py test tests/test_exercises.py -k student
                                                                   your exercises/, one test per criterion
"""
from __future__ import annotations

import importlib
import json
import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from exercise_checks import EXERCISES
from grader import grade_folder
from tools import make_exercises as make

ROOT = Path(__file__).resolve().parent.parent
STUDENT = Path(os.environ.get("ADAM_EDU_STUDENT", ROOT / "solutions"))
NOTEBOOKS = {name: exercise.notebook for name, exercise in EXERCISES.items()}


# -- one source ----------------------------------------------------------------------------------

def test_exercises_are_what_make_exercises_generates():
    solutions = sorted(p.name for p in (ROOT / "solutions").glob("*.ipynb"))
    assert solutions == sorted(NOTEBOOKS.values()), (
        "each solutions/exNN_name.ipynb needs its module exercise_checks/exNN_name.py")
    assert sorted(p.name for p in (ROOT / "exercises").glob("*.ipynb")) == solutions
    for name in solutions:
        generated = make.generate(ROOT / "solutions" / name)
        assert (ROOT / "exercises" / name).read_text(encoding="utf-8") == generated, (
            f"exercises/{name} differs from solutions/{name}: run `python3 course.py exercises`")


@pytest.mark.parametrize("name", EXERCISES)
def test_each_exercise_module_is_named_after_its_notebook(name):
    stem = Path(EXERCISES[name].notebook).stem
    assert stem.startswith(name + "_")
    assert importlib.import_module(f"exercise_checks.{stem}").EXERCISE is EXERCISES[name]
    assert set(EXERCISES[name].tasks.values()) == {c.fn for r in EXERCISES[name].criteria
                                                  for c in r.calls}


@pytest.mark.parametrize("name", sorted(NOTEBOOKS.values()))
def test_every_task_is_a_stub_in_the_exercise(name):
    solution = json.loads((ROOT / "solutions" / name).read_text(encoding="utf-8"))
    exercise = json.loads((ROOT / "exercises" / name).read_text(encoding="utf-8"))
    text = ["".join(c["source"]) for c in exercise["cells"]]
    regions = sum("".join(c["source"]).count("### BEGIN SOLUTION") for c in solution["cells"]
                  if c["cell_type"] == "code")
    answers = sum("".join(c["source"]).count("### BEGIN SOLUTION") for c in solution["cells"]
                  if c["cell_type"] == "markdown")
    exercise_name = next(k for k, v in NOTEBOOKS.items() if v == name)
    assert regions == len(EXERCISES[exercise_name].tasks)
    assert answers == len(EXERCISES[exercise_name].questions)      # written answers
    assert sum(t.count("_Your answer here._") for t in text) == answers
    code = ["".join(c["source"]) for c in exercise["cells"] if c["cell_type"] == "code"]
    assert sum(t.count("raise NotImplementedError(") for t in code) == regions
    assert not any("SOLUTION" in t for t in text)
    assert all(not c.get("outputs") for c in exercise["cells"] if c["cell_type"] == "code")
    assert make.is_generated(ROOT / "exercises" / name)


def test_strip_solutions_keeps_indentation_and_label():
    source = "def f(x):\n    ### BEGIN SOLUTION Task 1: f\n    return 2 * x\n    ### END SOLUTION\ny = 1"
    assert make.strip_solutions(source, "here") == (
        "def f(x):\n    # YOUR CODE HERE\n    raise NotImplementedError('Task 1: f is not written yet')"
        "\ny = 1")
    assert make.strip_solutions("### BEGIN SOLUTION\nanswer\n### END SOLUTION", "md", markdown=True) \
        == "_Your answer here._"


@pytest.mark.parametrize("source, message", [
    ("### BEGIN SOLUTION\nx", "BEGIN SOLUTION on line 1 is never closed"),
    ("x\n### END SOLUTION", "line 2: END SOLUTION without a BEGIN SOLUTION"),
    ("### BEGIN SOLUTION\n### BEGIN SOLUTION", "line 2: BEGIN SOLUTION inside another region"),
])
def test_bad_markers_are_reported_with_their_place(source, message):
    with pytest.raises(ValueError, match=message):
        make.strip_solutions(source, "solutions/x.ipynb, cell 3")


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    """make_exercises pointed at a copy of solutions/ and an empty exercises/ in tmp_path."""
    (tmp_path / "solutions").mkdir()
    for name in ("ex01_moments.ipynb", "ex03_bias_correction.ipynb"):
        (tmp_path / "solutions" / name).write_bytes((ROOT / "solutions" / name).read_bytes())
    for attr, value in (("ROOT", tmp_path), ("SOLUTIONS", tmp_path / "solutions"),
                        ("EXERCISES", tmp_path / "exercises"),
                        ("BACKUPS", tmp_path / "build" / "exercise-backups")):
        monkeypatch.setattr(make, attr, value)
    return tmp_path


def test_make_exercises_never_overwrites_a_students_edits(sandbox, capsys):
    target = sandbox / "exercises" / "ex03_bias_correction.ipynb"
    assert make.main([]) == 0 and target.exists()
    assert make.main(["--check"]) == 0
    notebook = json.loads(target.read_text(encoding="utf-8"))
    notebook["cells"][3]["source"] = ["def adam_step(params, grads, state):\n", "    return 42\n"]
    edited = json.dumps(notebook)
    target.write_text(edited, encoding="utf-8")
    capsys.readouterr()
    assert make.main([]) == 1                                   # refused, nothing written
    assert "Refusing to overwrite" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == edited
    assert make.main(["--check"]) == 1
    assert make.main(["--force"]) == 0                          # overwritten, with a backup
    (backup,) = (sandbox / "build" / "exercise-backups").rglob("*.ipynb")
    assert backup.read_text(encoding="utf-8") == edited
    assert target.read_text(encoding="utf-8") == make.generate(
        sandbox / "solutions" / "ex03_bias_correction.ipynb")


def test_make_exercises_updates_unedited_exercises_when_solutions_change(sandbox):
    assert make.main([]) == 0
    solution = sandbox / "solutions" / "ex01_moments.ipynb"
    solution.write_text(solution.read_text(encoding="utf-8").replace("Exercise 1 ·", "Exercise 1 -"),
                        encoding="utf-8")
    assert make.main(["--check"]) == 1
    assert make.main([]) == 0                                   # generated before: safe to replace
    assert "Exercise 1 -" in (sandbox / "exercises" / "ex01_moments.ipynb").read_text(encoding="utf-8")


# -- notebooks run in a real kernel --------------------------------------------------------------

def run_notebook(path: Path) -> str:
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=60, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return "".join(o.get("text", "") for c in notebook.cells if c.cell_type == "code"
                   for o in c.outputs)


@pytest.mark.parametrize("name", sorted(NOTEBOOKS.values()))
def test_solution_runs_top_to_bottom_and_checks_itself(name):
    out = run_notebook(ROOT / "solutions" / name)
    exercise = next(k for k, v in NOTEBOOKS.items() if v == name)
    assert "✗" not in out and out.count("✓") == len(EXERCISES[exercise].criteria), out


def test_untouched_exercise_runs_top_to_bottom_and_scores_zero():
    out = run_notebook(ROOT / "exercises" / "ex03_bias_correction.ipynb")
    assert "showing the reference only" in out
    assert "✓" not in out and f"0/{EXERCISES['ex03'].max_points} points" in out
    assert "Not written yet" in out


# -- a student's folder as pytest tests ----------------------------------------------------------

@pytest.fixture(scope="module")
def student_results():
    folder = STUDENT if STUDENT.is_absolute() else Path.cwd() / STUDENT
    assert folder.is_dir(), f"ADAM_EDU_STUDENT={STUDENT}: not a folder"
    return {c.id: (c, r.notes) for r in grade_folder(folder, "exercise_checks") for c in r.criteria}


@pytest.mark.parametrize("criterion", [c.id for e in EXERCISES.values() for c in e.criteria])
def test_student(student_results, criterion):
    result, notes = student_results[criterion]
    if not result.passed:
        pytest.fail(f"{result.points}/{result.max_points}: {result.feedback}"
                    + "".join(f"\n  note: {n}" for n in notes), pytrace=False)
