"""What goes back to the LMS (grader/lms_export.py, grader/feedback_html.py) from a class's results
(grader/classbook.py) under a course config (grader/course_config.py): each export's columns in its
documented order, weights, the late policy, manual items and overrides. Results are built here,
so nothing runs a notebook."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from exercise_checks import EXERCISES
from grader.classbook import rows
from grader.course_config import load_config, read_overrides
from grader.feedback_html import page, write_pages
from grader.layouts import Submission
from grader.lms_export import canvas_csv, full_csv, full_json, gradescope_csv, moodle_csv
from grader.results import CriterionResult, ExerciseResult
from grader.roster import Student

EXERCISE_LIST = list(EXERCISES.values())
BOB = 100 * (4 / EXERCISES["ex01"].max_points) / 5 * 0.9     # Bob's grade (see the weights test)
MAXIMA = {e.name: e.max_points for e in EXERCISE_LIST}
ALICE = Student(name="Anders, Alice", canvas_id="5164", sis_user_id="S001", sis_login_id="aanders",
                section="A", email="alice@uni.edu", username="aanders", id_number="1001", sid="1001")


def results(passing: set) -> list:
    """Every exercise with the criteria in ``passing`` passed (all: None) and the rest failed."""
    return [ExerciseResult(e.name, e.title, [
        CriterionResult(c.id, c.task, c.title, c.points if passing is None or c.id in passing else 0,
                        c.points, "" if passing is None or c.id in passing else
                        "Called f(x=<1>) and got <script>alert(1)</script>; expected 2.")
        for c in e.criteria], []) for e in EXERCISE_LIST]


def table(text: str) -> list:
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def class_rows(tmp_path):
    config_path = tmp_path / "course.json"
    config_path.write_text(json.dumps({
        "assignment": "Adam exercises", "points": 100, "late_penalty": 0.1,
        "weights": {"ex01": 1, "ex02": 1, "ex03": 1, "ex04": 1, "written": 1},
        "manual": [{"id": "written", "title": "Written answers", "points": 10}]}))
    config = load_config(config_path, MAXIMA)
    overrides_path = tmp_path / "overrides.csv"
    overrides_path.write_text("student,check,points,reason\n"
                              "aliceanders,written,8,clear explanation of the bias\n"
                              "=cmd,ex01.half_life,2,regraded\n"
                              "bobbaker,ex01.ema_constant,2,off by one only in printing\n")
    checks = {c.id: c.points for e in EXERCISE_LIST for c in e.criteria} | {"written": 10}
    overrides = read_overrides(overrides_path, checks)
    submissions = [Submission("aliceanders", ("5164", "aliceanders"), {}, False, []),
                   Submission("bobbaker", ("5170", "bobbaker"), {}, True, ["x.pdf: not graded"])]
    graded = {"aliceanders": results(None), "bobbaker": results({"ex01.ema_noisy"})}
    out, unused = rows(graded, submissions, {"aliceanders": ALICE}, config, overrides)
    return out, unused, config


def test_grade_weights_late_manual_items_and_overrides(class_rows):
    out, unused, config = class_rows
    alice, bob = out
    assert (alice.name, bob.name) == ("Alice Anders", "bobbaker")
    # Alice: all four exercises full, written 8/10: 100 * (4 + 0.8) / 5.
    assert alice.grade == pytest.approx(96.0) and not alice.late
    # Bob: ex01 ema_noisy 2 + overridden ema_constant 2 of ex01's points, others 0, written 0;
    # late: -10 %.
    assert bob.grade == pytest.approx(BOB)
    constant = next(c for c in bob.results[0].criteria if c.id == "ex01.ema_constant")
    assert constant.points == 2 and "Set by the instructor" in constant.feedback
    assert [o.student for o in unused] == ["=cmd"]
    assert "Submitted late: the grade is reduced by 10%." in bob.notes


def test_canvas_export_has_its_import_columns_and_one_assignment(class_rows):
    out, _, config = class_rows
    lines = table(canvas_csv(out, config))
    assert lines[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Adam exercises"]
    assert lines[1] == ["Points Possible", "", "", "", "", "100"]
    assert lines[2] == ["Anders, Alice", "5164", "S001", "aanders", "A", "96"]
    assert lines[3][:2] == ["bobbaker", "5170"]       # no roster row: the Canvas id of the files
    assert len(lines) == 4


def test_moodle_and_gradescope_exports_have_their_columns(class_rows):
    out, _, config = class_rows
    moodle = table(moodle_csv(out, config))
    assert moodle[0] == ["First name", "Last name", "ID number", "Username", "Email address",
                         "Adam exercises (Real)"]
    assert moodle[1] == ["Alice", "Anders", "1001", "aanders", "alice@uni.edu", "96"]
    gradescope = table(gradescope_csv(out, config))
    assert gradescope[0] == ["First Name", "Last Name", "Email", "SID", "Total Score", "Max Points"]
    assert gradescope[1] == ["Alice", "Anders", "alice@uni.edu", "1001", "96", "100"]


def test_full_exports_keep_every_criterion(class_rows):
    out, _, config = class_rows
    lines = table(full_csv(out, EXERCISE_LIST, config))
    criteria = [c for e in EXERCISE_LIST for c in e.criteria]
    assert lines[0][:6] == ["student", "name", "email", "grade", "late", "points"]
    assert len(lines[0]) == 6 + len(EXERCISE_LIST) + 1 + len(criteria) + 1
    assert lines[2][4] == "late" and "x.pdf: not graded" in lines[2][-1]
    data = json.loads(full_json(out, config))
    assert data["students"]["aliceanders"]["manual"]["written"] == {
        "points": 8.0, "reason": "clear explanation of the bias"}
    assert data["students"]["aliceanders"]["student"]["sis_user_id"] == "S001"


def test_feedback_page_is_self_contained_and_escaped(class_rows, tmp_path):
    out, _, config = class_rows
    html = page(out[1], config)
    assert "<script" not in html and "&lt;script&gt;" in html
    assert "src=" not in html and "http" not in html and "<link" not in html
    assert f"Grade: {BOB:.4g} / 100" in html and "submitted late" in html
    assert html.count("✗") == sum(len(e.criteria) for e in EXERCISE_LIST) - 2
    paths = write_pages(out, config, tmp_path / "feedback")
    assert [p.name for p in paths] == ["aliceanders.html", "bobbaker.html"]


@pytest.mark.parametrize("text, message", [
    ('{"points": 0}', r"points == 0, must be a number in \[1e-09, 1e\+06\]"),
    ('{"late_penalty": 1.5}', r"late_penalty == 1.5, must be a number in \[0, 1\]"),
    ('{"weights": {"ex09": 1}}', r"weights == .*keys must be among"),
    ('{"weight": {}}', r"unknown keys \['weight'\]"),
    ('{"manual": [{"id": "ex01", "points": 5}]}', r"manual id 'ex01' is already"),
    ("not json", r"config == .*not a readable JSON file"),
])
def test_a_bad_config_names_the_key_value_and_range(tmp_path, text, message):
    path = tmp_path / "course.json"
    path.write_text(text)
    with pytest.raises(ValueError, match=message):
        load_config(path, MAXIMA)


@pytest.mark.parametrize("line, message", [
    ("alice,ex01.nope,1,x", r"row 2: check == 'ex01.nope' is not a criterion or manual item"),
    ("alice,ex01.half_life,3,x", r"row 2: points == 3.0, must be a number in \[0, 2\]"),
    ("alice,ex01.half_life,lots,x", r"row 2: points == 'lots', must be a number in \[0, 2\]"),
])
def test_a_bad_override_names_the_row_and_what_is_wrong(tmp_path, line, message):
    path = tmp_path / "overrides.csv"
    path.write_text("student,check,points,reason\n" + line + "\n")
    with pytest.raises(ValueError, match=message):
        read_overrides(path, {"ex01.half_life": 2})
