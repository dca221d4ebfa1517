"""Whole classes graded as an LMS delivers them, from another folder than the course's (paths are
the caller's): Canvas's zip of flat files with a roster, folders, zips, nested folders and ``(1)``
copies, the errors for nothing found, and the Gradescope bundle run locally on a correct, a partial
and an empty submission, its results.json validated against the schema."""
from __future__ import annotations

import ast
import csv
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import jsonschema
import pytest

from exercise_checks import EXERCISES

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "submissions"
NOTEBOOKS = [e.notebook for e in EXERCISES.values()]
FULL = sum(e.max_points for e in EXERCISES.values())
EX01 = EXERCISES["ex01"].max_points
SCHEMA = json.loads((ROOT / "tests" / "data" / "gradescope_results.schema.json").read_text())


def course(module: str, *args, cwd: Path) -> subprocess.CompletedProcess:
    """``python3 course.py <command>`` as course.py runs it: in the caller's folder."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", module, *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=900)


def rows(path: Path) -> list:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_canvas_zip_with_a_roster_grades_to_canvas_moodle_and_gradescope_files(tmp_path):
    download = tmp_path / "downloads" / "submissions.zip"
    download.parent.mkdir()
    with zipfile.ZipFile(download, "w") as archive:
        for notebook in NOTEBOOKS:
            archive.write(FIXTURES / "correct" / notebook, f"aliceanders_5164_95164_{notebook}")
            archive.write(FIXTURES / "stubs" / notebook,
                          f"caracole_5180_95190_{Path(notebook).stem}-1.ipynb")
        archive.write(FIXTURES / "only_ex01" / NOTEBOOKS[0], f"bobbaker_LATE_5170_95180_{NOTEBOOKS[0]}")
    (tmp_path / "roster.csv").write_text(
        "Student,ID,SIS User ID,SIS Login ID,Section,Exercises (77)\n"
        "    Points Possible,,,,,40\n"
        "\"Anders, Alice\",5164,S001,aanders,A,\n\"Baker, Bob\",5170,S002,bbaker,A,\n"
        "\"Diaz, Dan\",5190,S004,ddiaz,B,\n")
    (tmp_path / "course.json").write_text(json.dumps(
        {"assignment": "Adam exercises", "points": 100, "late_penalty": 0.25}))
    work = tmp_path / "elsewhere"
    work.mkdir()
    done = course("tools.grade_class", "../downloads/submissions.zip", "--roster", "../roster.csv",
                  "--config", "../course.json", "--out", "out/grades", "--jobs", "2", cwd=work)
    assert done.returncode == 0, done.stderr
    assert "Not on the roster: caracole" in done.stderr
    assert "No submission from Dan Diaz" in done.stderr
    canvas = rows(work / "out" / "grades.canvas.csv")
    assert canvas[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Adam exercises"]
    assert canvas[1] == ["Points Possible", "", "", "", "", "100"]
    assert canvas[2:] == [["Anders, Alice", "5164", "S001", "aanders", "A", "100"],
                          ["Baker, Bob", "5170", "S002", "bbaker", "A",
                           f"{round(100 * EX01 / FULL * 0.75, 4):g}"],   # grades kept to 4 places
                          ["caracole", "5180", "", "", "", "0"]]
    moodle = rows(work / "out" / "grades.moodle.csv")
    assert moodle[1][:2] == ["Alice", "Anders"] and moodle[1][-1] == "100"
    gradescope = rows(work / "out" / "grades.gradescope.csv")
    assert gradescope[1] == ["Alice", "Anders", "", "", "100", "100"]
    pages = sorted(p.name for p in (work / "out" / "grades.feedback").iterdir())
    assert pages == ["aliceanders.html", "bobbaker.html", "caracole.html"]
    bob = (work / "out" / "grades.feedback" / "bobbaker.html").read_text()
    assert "Bob Baker" in bob and "submitted late" in bob and "is missing" in bob
    assert "<script" not in bob
    full = json.loads((work / "out" / "grades.json").read_text())
    assert full["students"]["aliceanders"]["points"] == FULL


def test_folders_zips_nested_folders_and_browser_copies_in_one_class(tmp_path):
    class_dir = tmp_path / "class"
    shutil.copytree(FIXTURES / "correct", class_dir / "alice")
    nested = class_dir / "bob" / "Downloads" / "exercises"
    nested.mkdir(parents=True)
    shutil.copy(FIXTURES / "only_ex01" / NOTEBOOKS[0], nested / NOTEBOOKS[0].upper())
    with zipfile.ZipFile(class_dir / "carol.zip", "w") as archive:
        for notebook in NOTEBOOKS:
            archive.write(FIXTURES / "stubs" / notebook, f"carol/{notebook}")
            archive.write(FIXTURES / "correct" / notebook,
                          f"carol/{Path(notebook).stem} (1).ipynb")      # the newer download
    (class_dir / "syllabus.pdf").write_text("not a submission")
    done = course("tools.grade_class", "class", "--jobs", "2", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Skipped 'syllabus.pdf'" in done.stderr
    table = {row[0]: row for row in rows(tmp_path / "gradebook.csv")[1:]}
    assert {name: float(row[5]) for name, row in table.items()} == {
        "alice": FULL, "bob": EX01, "carol": FULL}
    assert "another copy" in table["carol"][-1]
    assert (tmp_path / "gradebook.feedback" / "carol.html").is_file()


def test_nothing_recognised_is_an_error_that_says_what_was_looked_for(tmp_path):
    (tmp_path / "empty").mkdir()
    done = course("tools.grade_class", "empty", cwd=tmp_path)
    assert done.returncode == 2 and "No student found in empty" in done.stderr
    assert all(notebook in done.stderr for notebook in NOTEBOOKS)
    (tmp_path / "class" / "dana").mkdir(parents=True)
    (tmp_path / "class" / "dana" / "homework.ipynb").write_text("{}")
    done = course("tools.grade_class", "class", cwd=tmp_path)
    assert done.returncode == 2
    assert "dana: no recognised notebook (found: dana/homework.ipynb" in done.stderr
    assert "--allow-missing" in done.stderr and not (tmp_path / "gradebook.csv").exists()
    done = course("tools.grade_class", "nowhere", cwd=tmp_path)
    assert done.returncode == 2 and "submissions == 'nowhere': no such folder or zip" in done.stderr


def test_course_py_takes_paths_where_it_is_run(tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "course.py"), "grade", "nowhere"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 2 and f"no such folder or zip (looked in {tmp_path})" in done.stderr


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    out = tmp_path_factory.mktemp("bundle") / "autograder.zip"
    done = course("tools.gradescope", "--out", out, cwd=out.parent)
    assert done.returncode == 0, done.stderr
    return out


def test_the_bundle_holds_gradescopes_two_scripts_and_the_course(bundle):
    with zipfile.ZipFile(bundle) as archive:
        names = set(archive.namelist())
        assert {"setup.sh", "run_autograder", "requirements.txt", "grader/gradescope.py",
                "exercise_checks/ex01_moments.py", "adam_edu/adam.py"} <= names
        assert archive.getinfo("run_autograder").external_attr >> 16 & 0o111
        assert "numpy" in archive.read("requirements.txt").decode()
        assert not any("__pycache__" in n or n.endswith(".ipynb") for n in names)


@pytest.fixture
def autograder():
    """An empty folder to lay out like /autograder, outside /tmp: the sandbox mounts its own /tmp
    over the real one, so a Python or a library under /tmp would be hidden from the student."""
    (ROOT / "build").mkdir(exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix="autograder-", dir=ROOT / "build"))
    yield root
    shutil.rmtree(root)


def gradescope_python(root: Path) -> Path:
    """A Python set up as setup.sh sets up /autograder/venv: numpy and matplotlib (this
    environment's, instead of installing them), and the library from the bundle, not this checkout."""
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = subprocess.run([str(venv / "bin" / "python"), "-c",
                           "import site; print(site.getsitepackages()[0])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    ours = next(p for p in sys.path if p.endswith("site-packages"))
    Path(site, "course.pth").write_text(f"{ours}\n{root / 'source'}\n")
    return venv / "bin" / "python"


def test_the_bundle_requires_every_package_grading_imports(bundle):
    """setup.sh installs requirements.txt alone: each third-party module the grader, the checks or
    the library's graded part import must come from a requirement (the local run below borrows
    this environment's packages, so it could not tell)."""
    with zipfile.ZipFile(bundle) as archive:
        required = {re.split(r"[<>=!~;\s]", line)[0].lower()
                    for line in archive.read("requirements.txt").decode().split()}
        # the sandbox's child imports its grader siblings (calls.py, wire.py) as top-level modules
        siblings = {Path(n).stem for n in archive.namelist() if n.startswith("grader/")}
        sources = [archive.read(n) for n in archive.namelist() if n.endswith(".py") and not
                   n.startswith(("adam_edu/widgets", "adam_edu/playgrounds", "adam_edu/grading"))]
    modules = {alias.name.split(".")[0] if isinstance(node, ast.Import) else node.module.split(".")[0]
               for source in sources for node in ast.walk(ast.parse(source))
               if isinstance(node, (ast.Import, ast.ImportFrom)) and getattr(node, "level", 0) == 0
               for alias in node.names}
    third_party = (modules - set(sys.stdlib_module_names) - siblings
                   - {"adam_edu", "grader", "exercise_checks"})
    distributions = importlib.metadata.packages_distributions()
    needed = {distributions[m][0].lower() for m in third_party}
    installed = required | {re.split(r"[<>=!~;\[\s(]", dependency)[0].lower()   # what pip adds
                            for name in required for dependency in
                            importlib.metadata.requires(name) or () if "extra ==" not in dependency}
    assert {"numpy", "nbformat", "ipython"} <= needed and needed <= installed, needed - installed


@pytest.mark.parametrize("student, expected", [("correct", FULL), ("only_ex01", EX01),
                                               ("empty", 0)])
def test_run_autograder_grades_a_submission_into_valid_results(autograder, bundle, student, expected):
    root = autograder
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(root / "source")
    submission = root / "submission"
    submission.mkdir()
    if student != "empty":
        shutil.copytree(FIXTURES / student, submission / "my work")   # any folder, as uploaded
    env = dict(os.environ, AUTOGRADER_ROOT=str(root), AUTOGRADER_PYTHON=str(gradescope_python(root)))
    done = subprocess.run(["bash", str(root / "source" / "run_autograder")], env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    results = json.loads((root / "results" / "results.json").read_text())
    jsonschema.validate(results, SCHEMA)
    assert results["score"] == expected
    assert len(results["tests"]) == sum(len(e.criteria) for e in EXERCISES.values())
    assert sum(t["max_score"] for t in results["tests"]) == FULL
    if student == "empty":
        assert "No exercise notebook found" in results["output"]
    else:
        assert results["tests"][0]["name"].startswith("ex01 Task 1: ")
