"""The grader: every catalogued mistake is caught with its hint, and no broken notebook costs more
than its own checks. The fixture class in tests/fixtures/submissions/ is graded once per test run."""
from __future__ import annotations

import csv
import hashlib
import importlib.util
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from adam_edu.grading import EXERCISES, Limits, check, grade_namespace, models
from adam_edu.grading.catalogue import MISTAKES
from adam_edu.grading.compare import describe, difference, show
from adam_edu.grading.calls import to_plain
from adam_edu.grading.runner import code_cells

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SUBMISSIONS = FIXTURES / "submissions"
FAST = Limits(cell=1.0, call=0.5, notebook=20.0, startup=60.0)   # CPU s, CPU s, wall s, wall s
FACTS_MISTAKES = ("t_never_incremented", "t_from_zero", "eps_inside_sqrt", "eps_on_param",
                  "one_minus_beta_dropped", "sqrt_forgotten", "only_m_corrected", "betas_swapped",
                  "ascent", "mutated_inputs")


def load_tool(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


grade_tool = load_tool("grade_class", ROOT / "tools" / "grade_class.py")


def snapshot(folder: Path) -> dict:
    return {str(p.relative_to(folder)): (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
            if p.is_file() else "folder" for p in sorted(folder.rglob("*"))}


@pytest.fixture(scope="module")
def graded():
    """The whole fixture class, graded in parallel with short time limits; checks nothing was written."""
    before = snapshot(SUBMISSIONS)
    result = grade_tool.grade_class(SUBMISSIONS, jobs=2, limits=FAST, progress=False)
    assert snapshot(SUBMISSIONS) == before, "grading wrote into a submission"
    return {student: {r.exercise: r for r in results} for student, results in result.items()}


def total(results: dict) -> int:
    return sum(r.points for r in results.values())


def failing(results: dict) -> list:
    return [c for r in results.values() if not any("missing" in n for n in r.notes)
            for c in r.checks if not c.passed]


# -- the catalogue --------------------------------------------------------------------------------

def test_catalogue_holds_every_mistake_facts_and_the_issue_list():
    assert set(FACTS_MISTAKES) <= set(MISTAKES)
    modelled = {name for exercise in EXERCISES for name, _ in models.models(exercise)}
    assert modelled | {"mutated_inputs"} == set(MISTAKES)   # mutation is detected, not modelled


@pytest.mark.parametrize("exercise", EXERCISES)
def test_reference_scores_full_marks(exercise):
    result = grade_namespace(exercise, models.reference(exercise))
    assert [c.id for c in result.checks if not c.passed] == []


@pytest.mark.parametrize("exercise, index", [(e, i) for e in EXERCISES
                                             for i in range(len(models.models(e)))])
def test_every_model_of_a_mistake_fails_with_its_own_hint(exercise, index):
    name, namespace = models.models(exercise)[index]
    failed = [c for c in grade_namespace(exercise, namespace).checks if not c.passed]
    assert failed, f"{name} passes every check of {exercise}"
    assert name in {c.mistake for c in failed}
    named = [c for c in failed if c.mistake == name]
    assert all(MISTAKES[name].hint in c.feedback for c in named)


# -- the fixture class ---------------------------------------------------------------------------

def test_solutions_score_full_marks_and_stubs_zero(graded):
    assert total(graded["correct"]) == 40
    assert total(graded["stubs"]) == 0
    assert all("Not written yet" in c.feedback for c in failing(graded["stubs"]))


@pytest.mark.parametrize("student", sorted(p.name for p in SUBMISSIONS.iterdir()
                                           if p.name.startswith("mistake_")))
def test_each_written_mistake_is_caught_with_its_hint(graded, student):
    name = student.removeprefix("mistake_")
    failed = failing(graded[student])
    assert failed, f"{student} passed everything"
    assert {c.mistake for c in failed} == {name}, [(c.id, c.mistake) for c in failed]
    for c in failed:   # the feedback format of STYLE.md section 9
        assert c.feedback.startswith("Called ") and MISTAKES[name].hint in c.feedback
        assert ("expected" in c.feedback) or ("had changed" in c.feedback)


def points(results: dict) -> dict:
    return {name: r.points for name, r in results.items()}


def test_an_endless_loop_costs_only_the_looping_function(graded):
    result = graded["infinite_loop"]
    assert points(result) == {"ex01": 10, "ex02": 7, "ex03": 10, "ex04": 10}
    assert any("did not finish" in n for n in result["ex01"].notes)
    (lost,) = failing(result)
    assert lost.id == "ex02.run_bowl" and "did not finish" in lost.feedback


def test_a_loop_that_swallows_the_time_limit_costs_its_notebook_only(graded):
    result = graded["stubborn_loop"]
    assert points(result) == {"ex01": 10, "ex02": 10, "ex03": 0, "ex04": 10}
    assert "did not finish within the time limit" in result["ex03"].notes[0]


def test_exceptions_and_sys_exit(graded):
    assert points(graded["raises"]) == {"ex01": 10, "ex02": 10, "ex03": 0, "ex04": 10}
    assert "RuntimeError: a cell that fails" in graded["raises"]["ex01"].notes[0]
    assert all("ValueError: I give up" in c.feedback for c in failing(graded["raises"]))
    # sys.exit in a cell is caught; os._exit kills the process, which is restarted for ex03, ex04
    assert points(graded["sys_exit"]) == {"ex01": 10, "ex02": 0, "ex03": 10, "ex04": 10}
    assert "SystemExit" in graded["sys_exit"]["ex01"].notes[0]
    assert "exit code 3" in graded["sys_exit"]["ex02"].notes[0]


def test_megabytes_of_output_cost_nothing(graded):
    assert total(graded["prints_megabytes"]) == 40


def test_invalid_json_missing_and_renamed(graded):
    assert points(graded["invalid_json"]) == {"ex01": 10, "ex02": 0, "ex03": 10, "ex04": 10}
    assert "not a readable notebook" in graded["invalid_json"]["ex02"].notes[0]
    assert points(graded["only_ex01"]) == {"ex01": 10, "ex02": 0, "ex03": 0, "ex04": 0}
    assert "is missing" in graded["only_ex01"]["ex04"].notes[0]
    renamed = graded["renamed_function"]
    assert renamed["ex01"].points == 8 and renamed["ex04"].points == 10
    assert "defines no function with that name" in failing(renamed)[0].feedback
    assert failing(renamed)[0].id == "ex01.half_life"


def test_monkeypatching_numpy_or_the_grader_changes_nothing(graded):
    result = graded["monkeypatch"]
    assert result["ex03"].points < 10
    assert {c.mistake for c in failing(result)} == {"ascent"}


def test_without_fork_a_fresh_interpreter_grades_the_same(monkeypatch):
    from adam_edu.grading import submission

    monkeypatch.setitem(submission._server, "context", None)      # as on Windows
    for student, expected in (("correct", [10, 10, 10, 10]), ("sys_exit", [10, 0, 10, 10])):
        results = submission.grade_folder(SUBMISSIONS / student)
        assert [r.points for r in results] == expected


# -- the gradebook and the command line ----------------------------------------------------------

def test_grade_command_writes_csv_and_json(tmp_path, capsys):
    for student in ("correct", "stubs"):
        shutil.copytree(SUBMISSIONS / student, tmp_path / "class" / student)
    assert grade_tool.main([str(tmp_path / "class"), "--out", str(tmp_path / "book")]) == 0
    assert "[2/2]" in capsys.readouterr().err
    rows = list(csv.reader((tmp_path / "book.csv").open()))
    assert rows[2][:6] == ["correct", "10", "10", "10", "10", "40"]
    assert rows[3][:6] == ["stubs", "0", "0", "0", "0", "0"]
    book = json.loads((tmp_path / "book.json").read_text())
    first = book["stubs"]["exercises"]["ex03"]["checks"][0]
    assert first["points"] == 0 and first["max_points"] == 2 and "Not written yet" in first["feedback"]
    assert grade_tool.main([str(tmp_path / "class"), "--out", str(tmp_path / "class/correct/x")]) == 2


def test_fixture_submissions_are_what_the_script_writes(tmp_path, monkeypatch):
    maker = load_tool("make_submissions", FIXTURES / "make_submissions.py")
    monkeypatch.setattr(maker, "OUT", tmp_path / "out")
    maker.main()
    made = {str(p.relative_to(tmp_path / "out")): p.read_bytes() for p in (tmp_path / "out").rglob("*.ipynb")}
    committed = {str(p.relative_to(SUBMISSIONS)): p.read_bytes() for p in SUBMISSIONS.rglob("*.ipynb")}
    assert made == committed, "run tests/fixtures/make_submissions.py"


# -- pieces ---------------------------------------------------------------------------------------

def test_in_notebook_check_prints_marks_and_feedback(capsys):
    namespace = models.reference("ex03")
    check("ex03", namespace)
    out = capsys.readouterr().out
    assert out.count("✓") == len(EXERCISES["ex03"].checks) and "10/10" in out
    check("ex03", dict(namespace, adam_step=models.make_step(("ascent",))))
    out = capsys.readouterr().out
    assert "✗ 0/2  Task 1" in out and MISTAKES["ascent"].hint in out
    with pytest.raises(ValueError, match="exercise == 'ex9', must be one of ex01"):
        check("ex9", {})


def test_plain_data_only():
    state = models.reference("ex03")["adam_step"](np.ones(2), np.ones(2),
                                                  __import__("adam_edu").adam_init(np.ones(2)))[1]
    plain = to_plain((np.float32(1.5), state, [np.int64(2), True, None]))
    assert plain[0] == 1.5 and plain[2] == [2, True, None] and json.loads(json.dumps(plain)) == plain
    assert plain[1]["t"] == 1 and plain[1]["m"] == pytest.approx([0.1, 0.1])
    assert "unsupported" in to_plain(object()) and "too large" in to_plain(np.zeros(10**6))["unsupported"]


def test_difference_and_display():
    assert difference([1.0, float("nan")], [1.0 + 1e-9, float("nan")]) is None
    assert difference({"t": 0}, {"t": 1}) == (".t", 0, 1, "")
    assert difference([1.0], [1.0, 2.0])[3] == "length 1, expected 2"
    assert difference("PASS", [1.0])[3] == "not a list or array"
    assert difference([2, 1.0, 0.5], {"t": 2, "m": 1.0, "v": 0.5}) is None   # a plain tuple is fine
    assert show([0.123456, 2.0]) == "[0.1235, 2]"
    spec = EXERCISES["ex03"].checks[0].calls[0]
    assert describe(spec).startswith("adam_step(params=[3, 4, -1], grads=[6, -8, 0.5], state=AdamState(t=0")


@pytest.mark.parametrize("junk", [None, 5, "PASS", {"ex03.first_step": "PASS"},
                                  {"ex03.first_step": [{"value": [[[]]], "mutated": 5}]},
                                  {"ex03.pure": [{"value": 1, "mutated": 5}]}])
def test_malformed_answers_score_zero_without_crashing_the_grader(junk):
    from adam_edu.grading.compare import grade_results

    assert sum(c.points for c in grade_results("ex03", junk)) == 0


def test_check_cells_and_magics_are_not_run(tmp_path):
    notebook = {"cells": [{"cell_type": "code", "source": "%matplotlib inline\nx = 1"},
                          {"cell_type": "code", "source": ["from adam_edu.grading import check\n",
                                                           "check('ex01')"]},
                          {"cell_type": "markdown", "source": "text"}]}
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(notebook))
    assert code_cells(path) == [(1, "pass  # %matplotlib inline\nx = 1")]
    path.write_text("{not json")
    with pytest.raises(ValueError, match="nb.ipynb is not a readable notebook"):
        code_cells(path)


@pytest.mark.parametrize("student", ["correct", "infinite_loop", "sys_exit", "stubs"])
def test_fresh_interpreter_transport_grades_like_the_fork_server(graded, student, monkeypatch):
    """Where fork is unavailable (Windows, macOS spawn), each student runs in `python -m
    adam_edu.grading`; that transport must give every check the same points."""
    from adam_edu.grading import submission

    monkeypatch.setattr(submission, "_fork_context", lambda: None)
    results = submission.grade_folder(SUBMISSIONS / student, limits=FAST)
    points = {r.exercise: [(c.id, c.points) for c in r.checks] for r in results}
    expected = {name: [(c.id, c.points) for c in r.checks] for name, r in graded[student].items()}
    assert points == expected
