"""The course's exercises under the grader: every catalogued mistake is caught with its hint, and no
broken notebook costs more than its own criteria. The fixture class in tests/fixtures/submissions/
is graded once per test run. (The engine's own tests, on a toy exercise: test_grader_engine.py.)"""
from __future__ import annotations

import csv
import hashlib
import importlib.util
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

import adam_edu as ae
from adam_edu.grading import check
from exercise_checks import EXERCISES
from exercise_checks.adam_mistakes import make_step
from exercise_checks.ex03_bias_correction import bowl_label, functions as ex03_functions
from grader import Limits, grade_namespace, layouts
from grader.class_grading import grade_main, grade_submissions
from grader.compare import describe
from grader.report import exercise_lines, scorecard
from grader.score import grade_results

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SUBMISSIONS = FIXTURES / "submissions"
FAST = Limits(cell=1.0, call=0.5, notebook=20.0, startup=60.0)   # CPU s, CPU s, wall s, wall s
SEED = 14        # the tests' inputs are drawn like a grading run's, from a seed fixed for repeatability
# Mistakes found in well-known tutorials and code (exercise_checks/adam_mistakes.py holds their hints).
WELL_KNOWN_MISTAKES = ("t_never_incremented", "t_from_zero", "eps_inside_sqrt", "eps_on_param",
                       "one_minus_beta_dropped", "sqrt_forgotten", "only_m_corrected",
                       "betas_swapped", "ascent", "mutated_inputs")
# Mistakes students make that feedback must name (each has a fixture student who writes it).
COMMON_MISTAKES = ("v_from_m_squared", "trajectory_without_start", "trajectory_one_short",
                   "ema_includes_m0", "ema_drops_last", "hat_in_state", "beta1_in_v", "t_from_zero",
                   "mutated_inputs")
FULL = {name: exercise.max_points for name, exercise in EXERCISES.items()}
MODELS = [(name, mistake, model) for name, e in EXERCISES.items() for mistake in e.mistakes
          for model in mistake.models]


def full_marks_but(**lost) -> dict:
    """Every exercise at full marks, except ``ex02=["ex02.run_bowl"]`` (criteria lost) or ``ex03=0``."""
    out = dict(FULL)
    for name, what in lost.items():
        out[name] = 0 if what == 0 else FULL[name] - sum(
            c.points for c in EXERCISES[name].criteria if c.id in what)
    return out


def snapshot(folder: Path) -> dict:
    return {str(p.relative_to(folder)): (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
            if p.is_file() else "folder" for p in sorted(folder.rglob("*"))}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The whole fixture class, found and graded as ``course.py grade`` does (grader.class_grading),
    in parallel with short time limits; checks every student was found and nothing was written."""
    before = snapshot(SUBMISSIONS)
    found, skipped = layouts.find_submissions(SUBMISSIONS, [e.notebook for e in EXERCISES.values()],
                                              tmp_path_factory.mktemp("unpacked"))
    assert skipped == [] and all(s.files and not s.notes for s in found)
    result = grade_submissions(found, "exercise_checks", jobs=2, limits=FAST, progress=False, seed=SEED)
    assert snapshot(SUBMISSIONS) == before, "grading wrote into a submission"
    assert sorted(result) == sorted(p.name for p in SUBMISSIONS.iterdir())
    return {student: {r.exercise: r for r in results} for student, results in result.items()}


def total(results: dict) -> int:
    return sum(r.points for r in results.values())


def points(results: dict) -> dict:
    return {name: r.points for name, r in results.items()}


def failing(results: dict) -> list:
    return [c for r in results.values() if not any("missing" in n for n in r.notes)
            for c in r.criteria if not c.passed]


# -- the catalogue --------------------------------------------------------------------------------

def test_catalogue_holds_the_well_known_mistakes_and_each_is_modelled_or_detected():
    named = {m.name for e in EXERCISES.values() for m in (*e.mistakes, e.mutation) if m}
    assert set(WELL_KNOWN_MISTAKES) <= named
    for exercise in EXERCISES.values():
        names = [m.name for m in exercise.mistakes]
        assert len(names) == len(set(names)), exercise.name
        assert all(m.models for m in exercise.mistakes), "a mistake without a model is never named"


@pytest.mark.parametrize("name", EXERCISES)
def test_reference_scores_full_marks(name):
    result = grade_namespace(EXERCISES[name], EXERCISES[name].reference)
    assert [c.id for c in result.criteria if not c.passed] == []


@pytest.mark.parametrize("name, mistake, model", MODELS,
                         ids=[f"{n}-{m.name}-{i}" for i, (n, m, _) in enumerate(MODELS)])
def test_every_model_of_a_mistake_names_itself_and_nothing_else(name, mistake, model):
    """Graded, each catalogued mistake's model is named as that mistake in every check it fails:
    never as another mistake, and never left generic."""
    failed = [c for c in grade_namespace(EXERCISES[name], model).criteria if not c.passed]
    assert failed, f"{mistake.name} passes every criterion of {name}"
    assert {c.mistake for c in failed} == {mistake.name}, [(c.id, c.mistake) for c in failed]
    assert all(mistake.hint in c.feedback for c in failed)


def test_common_mistakes_are_written_as_fixture_students():
    """Each is then graded by test_each_written_mistake_is_caught_with_its_hint."""
    assert all((SUBMISSIONS / f"mistake_{name}").is_dir() for name in COMMON_MISTAKES)


@pytest.mark.parametrize("name", EXERCISES)
def test_each_exercise_asks_for_thinking_with_hints_and_a_written_answer(name):
    """At least two tasks not solved in the lesson (predict-then-verify, transfer, bug hunt), each
    with one or two hints folded until opened; the bug hunts have a written answer, listed in the
    scorecard as not auto-graded."""
    cells = json.loads((ROOT / "exercises" / EXERCISES[name].notebook).read_text(encoding="utf-8"))["cells"]
    tasks = ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"
             and "".join(c["source"]).startswith("## Task")]
    kinds = [t for t in tasks if any(k in t.split("\n")[0] for k in ("Predict", "Transfer", "Bug hunt"))]
    assert len(kinds) >= 2, name
    for task in kinds:
        assert 1 <= task.count("<details><summary>Hint") <= 2, task[:60]
    for number, question in EXERCISES[name].questions.items():
        assert any("_Your answer here._" in "".join(c["source"]) for c in cells)
    result = grade_namespace(EXERCISES[name], EXERCISES[name].reference)
    lines = "\n".join(exercise_lines(result))
    assert lines.count("not auto-graded") == len(EXERCISES[name].questions)


@pytest.mark.parametrize("name", EXERCISES)
def test_every_exercise_has_fixture_students(name):
    """A new exercise module also gets a mistake written as a student would write it."""
    written = [m for m in (*EXERCISES[name].mistakes, EXERCISES[name].mutation) if m and m.written]
    assert written, f"exercise_checks: {name} writes out none of its mistakes (Mistake.written)"
    for mistake in written:
        assert (SUBMISSIONS / f"mistake_{mistake.name}" / EXERCISES[name].notebook).is_file(), \
            "run tests/fixtures/make_submissions.py"


def test_a_division_by_zero_is_named_by_the_mistake_known_to_raise_it():
    def adam_step(params, grads, state, *, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        t = state.t                                            # not incremented first
        m = beta1 * state.m + (1 - beta1) * grads
        v = beta2 * state.v + (1 - beta2) * grads**2
        m_hat, v_hat = m * (1 / (1 - beta1**t)), v * (1 / (1 - beta2**t))   # float 1/0 raises
        return params - lr * m_hat / (np.sqrt(v_hat) + eps), ae.AdamState(t + 1, m, v)

    result = grade_namespace(EXERCISES["ex03"], ex03_functions(adam_step))
    first = result.criteria[0]
    assert "ZeroDivisionError" in first.feedback and first.mistake == "t_from_zero"
    # Where the mistake changes nothing (ex04's step bound does not use t), it is not named.
    ex04 = EXERCISES["ex04"]
    bound = grade_namespace(ex04, dict(ex04.reference, step_bound=lambda *a: 1 / 0)).criteria[3]
    assert bound.id == "ex04.step_bound" and "ZeroDivisionError" in bound.feedback
    assert bound.mistake is None


# -- the fixture class ---------------------------------------------------------------------------

def test_solutions_score_full_marks_and_stubs_zero(graded):
    assert points(graded["correct"]) == FULL
    assert total(graded["stubs"]) == 0
    assert all("Not written yet" in c.feedback for c in failing(graded["stubs"]))


@pytest.mark.parametrize("student", sorted(p.name for p in SUBMISSIONS.iterdir()
                                           if p.name.startswith("mistake_")))
def test_each_written_mistake_is_caught_with_its_hint(graded, student):
    name = student.removeprefix("mistake_")
    failed = failing(graded[student])
    assert failed, f"{student} passed everything"
    assert {c.mistake for c in failed} == {name}, [(c.id, c.mistake) for c in failed]
    mistakes = [m for e in EXERCISES.values() for m in (*e.mistakes, e.mutation) if m and m.name == name]
    for c in failed:   # the feedback format of STYLE.md section 9
        assert c.feedback.startswith("Called ")
        assert ("expected" in c.feedback) or ("had changed" in c.feedback)
        blamed = "Fix that first" in c.feedback or ("first;" in c.feedback and any(
            m.title in c.feedback for m in mistakes))     # caused by another failing check
        assert blamed or any(m.hint in c.feedback for m in mistakes), c.feedback


def test_every_fixture_students_points_and_mistakes_are_as_recorded(graded):
    """tests/fixtures/expected_points.json records, per student and criterion, the points and the
    mistake named when the grader was split into engine and exercises (the same as before the split
    on every criterion), re-recorded when exercises 1-4 gained tasks and mistakes (each change
    read: the mutation student now also breaks first_step_sizes and ten_steps, and the t-from-0
    student now has an ex01). A new exercise adds criteria the record does not hold; those are not
    compared. A change to the grading of a recorded criterion fails here: update the record only
    on purpose."""
    recorded = json.loads((FIXTURES / "expected_points.json").read_text(encoding="utf-8"))
    got = {student: {c.id: [c.points, c.mistake] for r in results.values() for c in r.criteria
                     if c.id in recorded[student]} for student, results in graded.items()
           if student in recorded}
    assert got == recorded


def test_an_endless_loop_costs_only_the_looping_function(graded):
    result = graded["infinite_loop"]
    assert points(result) == full_marks_but(ex02=["ex02.run_bowl"])
    assert any("did not finish" in n for n in result["ex01"].notes)
    (lost,) = failing(result)
    assert lost.id == "ex02.run_bowl" and "did not finish" in lost.feedback


def test_a_loop_that_swallows_the_time_limit_costs_its_notebook_only(graded):
    result = graded["stubborn_loop"]
    assert points(result) == full_marks_but(ex03=0)
    assert "did not finish within the time limit" in result["ex03"].notes[0]


def test_exceptions_and_sys_exit(graded):
    step_checks = [c.id for c in EXERCISES["ex03"].criteria
                   if c.calls[0].fn in ("adam_step", "first_step_sizes")]
    assert points(graded["raises"]) == full_marks_but(ex03=step_checks)
    assert "RuntimeError: a cell that fails" in graded["raises"]["ex01"].notes[0]
    assert all("ValueError: I give up" in c.feedback for c in failing(graded["raises"]))
    # sys.exit in a cell is caught; os._exit kills the process, which is restarted for the rest
    assert points(graded["sys_exit"]) == full_marks_but(ex02=0)
    assert "SystemExit" in graded["sys_exit"]["ex01"].notes[0]
    assert "exit code 3" in graded["sys_exit"]["ex02"].notes[0]


def test_megabytes_of_output_cost_nothing(graded):
    assert points(graded["prints_megabytes"]) == FULL


def test_invalid_json_missing_and_renamed(graded):
    assert points(graded["invalid_json"]) == full_marks_but(ex02=0)
    assert "not a readable notebook" in graded["invalid_json"]["ex02"].notes[0]
    assert points(graded["only_ex01"]) == {name: FULL[name] if name == "ex01" else 0 for name in FULL}
    assert "is missing" in graded["only_ex01"]["ex04"].notes[0]
    renamed = graded["renamed_function"]
    lost = [c.id for c in EXERCISES["ex03"].criteria if c.calls[0].fn == "adam_step"]
    assert points(renamed) == full_marks_but(ex01=["ex01.half_life"], ex03=lost)
    assert "defines no function with that name" in failing(renamed)[0].feedback
    assert failing(renamed)[0].id == "ex01.half_life"


def test_monkeypatching_numpy_or_the_grader_changes_nothing(graded):
    """The notebook imports the grader to patch it: that is flagged, and costs its exercise only."""
    result = graded["monkeypatch"]
    assert points(result) == full_marks_but(ex03=0)
    (flagged,) = [note for note in result["ex03"].notes if "grading does not allow" in note]
    assert "import grader.compare" in flagged and "import grader.score" in flagged


@pytest.mark.parametrize("student", ["correct", "infinite_loop", "sys_exit", "stubs"])
def test_without_the_sandbox_a_plain_process_grades_the_same(graded, student, monkeypatch):
    """Where bubblewrap is unavailable (macOS, Windows), each student runs in a plain separate
    process; it must give every criterion the same points."""
    from grader import sandbox
    from grader.submission import drawn_exercises, grade_folder

    monkeypatch.setattr(sandbox, "isolation", lambda: sandbox.Isolation(False, "test", ""))
    results = grade_folder(SUBMISSIONS / student, "exercise_checks", limits=FAST,
                           drawn=drawn_exercises("exercise_checks", seed=SEED))
    got = {r.exercise: [(c.id, c.points) for c in r.criteria] for r in results}
    want = {name: [(c.id, c.points) for c in r.criteria] for name, r in graded[student].items()}
    assert got == want


# -- the gradebook and the command line ----------------------------------------------------------

def test_grade_command_writes_csv_and_json(tmp_path, capsys):
    for student in ("correct", "stubs"):
        shutil.copytree(SUBMISSIONS / student, tmp_path / "class" / student)
    assert grade_main([str(tmp_path / "class"), "--out", str(tmp_path / "book")], "exercise_checks") == 0
    assert "[2/2]" in capsys.readouterr().err
    rows = list(csv.reader((tmp_path / "book.csv").open()))
    assert rows[0][:6 + len(FULL)] == ["student", "name", "email", "grade", "late", "points",
                                       *(f"{name} /{most}" for name, most in FULL.items())]
    assert rows[1][:6 + len(FULL)] == ["correct", "correct", "", str(sum(FULL.values())), "",
                                       str(sum(FULL.values())), *map(str, FULL.values())]
    assert rows[2][:6 + len(FULL)] == ["stubs", "stubs", "", "0", "", "0", *["0"] * len(FULL)]
    book = json.loads((tmp_path / "book.json").read_text())
    first = book["students"]["stubs"]["exercises"]["ex03"]["criteria"][0]
    assert first["points"] == 0 and first["max_points"] == 2 and "Not written yet" in first["feedback"]
    assert grade_main([str(tmp_path / "class"), "--out", str(tmp_path / "class/correct/x")],
                      "exercise_checks") == 2


def test_fixture_submissions_are_what_the_script_writes(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("make_submissions", FIXTURES / "make_submissions.py")
    maker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(maker)
    monkeypatch.setattr(maker, "OUT", tmp_path / "out")
    maker.main()
    made = {str(p.relative_to(tmp_path / "out")): p.read_bytes() for p in (tmp_path / "out").rglob("*.ipynb")}
    committed = {str(p.relative_to(SUBMISSIONS)): p.read_bytes() for p in SUBMISSIONS.rglob("*.ipynb")}
    assert made == committed, "run tests/fixtures/make_submissions.py"


# -- pieces ---------------------------------------------------------------------------------------

def test_in_notebook_check_prints_marks_and_feedback(capsys):
    namespace = EXERCISES["ex03"].reference
    check("ex03", namespace)
    out = capsys.readouterr().out
    assert out.count("✓") == len(EXERCISES["ex03"].criteria) and f"{FULL['ex03']}/{FULL['ex03']}" in out
    check("ex03", dict(namespace, adam_step=make_step(("ascent",))))
    out = capsys.readouterr().out
    ascent = next(m for m in EXERCISES["ex03"].mistakes if m.name == "ascent")
    assert "✗ 0/2  Task 1" in out and ascent.hint in out
    assert "Graded the functions defined in your kernel now" in out and "save the notebook" in out
    with pytest.raises(ValueError, match="exercise == 'ex9', must be one of ex01"):
        check("ex9", {})


def test_calls_are_described_as_a_student_writes_them():
    first = EXERCISES["ex03"].criteria[0].calls[0]
    assert describe(first).startswith("adam_step(params=[3, 4, -1], grads=[6, -8, 0.5], "
                                      "state=AdamState(t=0, m=[0, 0, 0]")
    loop = EXERCISES["ex03"].criteria[2].calls[0]
    assert describe(loop).startswith("10 steps of adam_step(params, 2 * params, state, lr=0.1)")


def test_a_wrong_loop_names_the_step_and_the_counter():
    never = ex03_functions(make_step(("t_never_incremented",)))
    ten_steps = grade_namespace(EXERCISES["ex03"], never).criteria[2]
    assert ("got θ_2[0] = 2.766; expected 2.8 (relative error 1.2e-02). The step counter t is "
            "never") in ten_steps.feedback
    assert bowl_label(("t", 0)) == "new_state.t after step 1" and bowl_label(("x",)) is None


def test_the_shell_scorecard_mentions_no_plot_and_lists_written_answers(graded):
    card = scorecard("stubs", list(graded["stubs"].values()))
    assert "plot above" not in card and "kernel" not in card
    assert card.count("not auto-graded") == sum(len(e.questions) for e in EXERCISES.values())
    generic = grade_namespace(EXERCISES["ex01"], dict(EXERCISES["ex01"].reference,
                                                      half_life=lambda beta: 7.0)).criteria[5]
    assert generic.mistake is None and "plot above" not in generic.feedback
    assert "the plot under the task" in generic.feedback


def test_a_mistake_two_models_fit_is_named_by_the_other_answers():
    """first_step_ratio = 1 fits both 'bias correction applied' and '(1 − β) dropped from m and
    v'; the rest of the student's answers decide, and a tie names neither."""
    ex02 = EXERCISES["ex02"]
    dropped = next(m for m in ex02.mistakes if m.name == "one_minus_beta_dropped").models[0]
    assert {c.mistake for c in grade_namespace(ex02, dropped).criteria if not c.passed} == \
        {"one_minus_beta_dropped"}
    only_ratio = dict(ex02.reference, first_step_ratio=lambda beta1, beta2: 1.0)
    (ratio,) = [c for c in grade_namespace(ex02, only_ratio).criteria if not c.passed]
    assert ratio.mistake is None and "matches none of the catalogued mistakes" in ratio.feedback


@pytest.mark.parametrize("junk", [None, 5, "PASS", {"ex03.first_step": "PASS"},
                                  {"ex03.first_step": [{"value": [[[]]], "mutated": 5}]},
                                  {"ex03.pure": [{"value": 1, "mutated": 5}]}])
def test_malformed_answers_score_zero_without_crashing_the_grader(junk):
    assert sum(c.points for c in grade_results(EXERCISES["ex03"], junk)) == 0
