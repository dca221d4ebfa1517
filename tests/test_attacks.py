"""Hostile students, graded in one class beside honest ones: each attack is blocked or costs only
the attacker, and the honest students' scores do not change.

The class is written by tests/fixtures/make_attacks.py into a temporary folder; every attack aims
at decoys this module makes there (folders, a local port, a decoy process), never at the machine.
"""
from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from unittest import mock

import pytest

from exercise_checks import EXERCISES
from grader import Limits, sandbox, secret_inputs
from grader.class_grading import grade_main
from grader.cli import check_main
from grader.score import expected, grade_results
from grader.submission import draw

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))
import make_attacks  # noqa: E402

FAST = Limits(cell=1.0, call=0.5, notebook=20.0, startup=60.0)
SEED = 2026     # this run's secret seed, fixed so a test can say which answers the draw moved
# Criteria whose answer the draw keeps by design (a step index, None, a yes/no per optimizer, a
# purity verdict): answers hard-coded for the published inputs are right on any run's inputs too.
DISCRETE = {"ex05.diverged", "ex05.first_below", "ex05.never_below", "ex05.rotation_invariant",
            "ex05.turns_with_problem", "ex06.tree_pure"}
FULL = {name: exercise.max_points for name, exercise in EXERCISES.items()}
pytestmark = pytest.mark.skipif(not sandbox.isolation().available,
                                reason=f"no sandbox here: {sandbox.isolation().reason}")


def student_cgroups() -> set:
    """The per-student cgroups that exist now (see grader.sandbox.Cgroup)."""
    return {path for _, parent in sandbox._own_cgroups().values() for path in parent.glob("adam-edu-*")}


def marked(marker: str) -> list:
    """Process ids whose command line holds ``marker``."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        with contextlib.suppress(OSError):
            if marker.encode() in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.append(int(pid))
    return found


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """Grade the attack class with `course.py grade` (grade_main; --allow-missing, so the student
    whose notebooks are all symbolic links is graded as 0, not a stop); return what was observed."""
    base = tmp_path_factory.mktemp("attacks")
    for name in ("probe", "site", "solutions"):
        (base / name).mkdir()
    for notebook in (ROOT / "solutions").glob("*.ipynb"):
        shutil.copy(notebook, base / "solutions")
    (base / "grader_source.py").write_text("X = 1\n")
    received, server = [], socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)

    def listen():
        while server.fileno() != -1:
            with contextlib.suppress(OSError):
                connection, _ = server.accept()
                received.append(connection.recv(1 << 20))
                connection.close()

    threading.Thread(target=listen, daemon=True).start()
    marker = f"adam-edu-attack-{uuid.uuid4().hex}"
    decoy = subprocess.Popen([sys.executable, "-c", f"# {marker}\nimport time\ntime.sleep(600)"])
    klass = base / "class"
    targets = {"probe": str(base / "probe"), "site": str(base / "site"),
               "grader_source": str(base / "grader_source.py"), "victim": str(klass / "correct"),
               "solutions": str(base / "solutions"), "gradebook": str(base / "book"),
               "port": server.getsockname()[1], "marker": marker}
    make_attacks.write_class(klass, targets)
    victim = {p.name: p.read_bytes() for p in (klass / "correct").iterdir()}
    err, cgroups = io.StringIO(), student_cgroups()
    start = time.perf_counter()
    with contextlib.redirect_stderr(err), mock.patch.object(secret_inputs, "secret_seed", lambda: SEED):
        code = grade_main([str(klass), "--out", str(base / "book"), "--jobs", "2", "--allow-missing",
                           "--notebook-seconds", str(FAST.notebook)], "exercise_checks")
    seconds = time.perf_counter() - start
    book = (base / "book.csv").read_bytes()
    time.sleep(1.0)                      # a survivor would rewrite the gradebook or a classmate now
    observed = {
        "code": code, "seconds": seconds, "stderr": err.getvalue(),
        "json": json.loads((base / "book.json").read_text())["students"],
        "csv": list(csv.reader(io.StringIO(book.decode()))),
        "gradebook_unchanged": (base / "book.csv").read_bytes() == book,
        "victim_unchanged": victim == {p.name: p.read_bytes() for p in (klass / "correct").iterdir()},
        "probe": os.listdir(base / "probe"), "site": os.listdir(base / "site"),
        "grader_source": (base / "grader_source.py").read_text(), "received": b"".join(received),
        "decoy_alive": decoy.poll() is None, "survivors": [p for p in marked(marker) if p != decoy.pid],
        "cgroups_left": student_cgroups() - cgroups,
        "class": klass}
    decoy.kill()
    decoy.wait()
    server.close()
    return observed


def points(run, student) -> dict:
    return {name: record["points"] for name, record in run["json"][student]["exercises"].items()}


def notes(run, student, exercise) -> str:
    return " | ".join(run["json"][student]["exercises"][exercise]["notes"])


def test_the_run_completes_and_honest_students_score_as_alone(run):
    assert run["code"] == 0
    for student in ("correct", "honest_nbformat_v3", "honest_magics", "honest_wrong_case"):
        assert points(run, student) == FULL, (student, run["json"][student])
    assert sum(points(run, "stubs").values()) == 0
    assert "EX03_BIAS_CORRECTION.IPYNB: graded as ex03_bias_correction.ipynb (names are matched " \
        "ignoring case" in " | ".join(run["json"]["honest_wrong_case"]["notes"])


def test_the_host_and_the_instructor_are_out_of_reach(run):
    assert run["probe"] == [] and run["site"] == []            # no tty, no .pth, no poisoned module
    assert run["grader_source"] == "X = 1\n"                    # no wrapper appended to the grader
    assert run["received"] == b""                               # nothing sent over the network
    for student in ("tty_inject", "plant_pth_and_patch_grader", "exfiltrate", "poison_module",
                    "kill_grader", "tmp_symlink", "fork_and_fill"):
        assert points(run, student) == FULL, student            # the attempt itself is harmless


def test_classmates_and_the_gradebook_are_out_of_reach(run):
    assert run["decoy_alive"] and run["survivors"] == [] and run["cgroups_left"] == set()
    assert run["victim_unchanged"] and run["gradebook_unchanged"]
    assert points(run, "detached_survivor") == FULL


@pytest.mark.parametrize("student", ["channel_garbage", "restart_forever"])
def test_a_broken_channel_costs_the_attacker_one_notebook(run, student):
    assert points(run, student) == dict(FULL, ex01=0)
    assert "grader error: ex01_moments.ipynb sent back something that is not the grader's data" in notes(
        run, student, "ex01")
    row = next(r for r in run["csv"] if r[0] == student)
    assert "grader error: ex01_moments.ipynb sent back" in row[-1]     # the notes column
    assert run["seconds"] < 600                                 # a repeated "start" bought no time


def test_unearned_marks_score_zero_with_the_reason(run):
    forged = points(run, "forge_collector")      # its patch also spoils its own later notebook
    assert forged["ex03"] == 0 and forged["ex01"] == FULL["ex01"] and forged["ex02"] == FULL["ex02"]
    assert "uses .modules" in notes(run, "forge_collector", "ex03")
    assert points(run, "import_reference") == dict(FULL, ex03=0)
    assert "import exercise_checks" in notes(run, "import_reference", "ex03")
    alias = run["json"]["library_alias"]["exercises"]["ex03"]
    assert alias["points"] == 0
    aliased = [c for c in alias["criteria"] if c["task"] in (1, 2)]    # adam_step and its user
    assert aliased and all("uses adam_edu's own adam_step" in c["feedback"] for c in aliased)
    linked = run["json"]["symlinks"]
    assert linked["points"] == 0
    for exercise in EXERCISES.values():
        assert f"symlinks/{exercise.notebook}: a symbolic link; not graded" in linked["notes"]


def test_without_allow_missing_symbolic_links_stop_the_run_before_anyone_is_graded(run, tmp_path):
    """A student whose notebooks are all links has no notebook to grade: like any such student,
    the run stops naming them (exit 2, nothing written), and --allow-missing grades them as 0."""
    shutil.copytree(run["class"] / "symlinks", tmp_path / "class" / "symlinks", symlinks=True)
    shutil.copytree(run["class"] / "correct", tmp_path / "class" / "correct")
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = grade_main([str(tmp_path / "class"), "--out", str(tmp_path / "book")], "exercise_checks")
    assert code == 2 and not (tmp_path / "book.csv").exists()
    assert "symlinks: no recognised notebook (found: " in err.getvalue()
    assert "symlinks/ex01_moments.ipynb: a symbolic link; not graded" in err.getvalue()


def test_answers_hard_coded_for_the_published_inputs_earn_only_what_the_draw_cannot_move(run):
    """The hard-coding student returns the reference answers to the published inputs. They earn
    only purity criteria and the criteria whose published answers are still right on this run's
    drawn inputs, and those are exactly the known discrete ones (DISCRETE): a new criterion whose
    answer the draw does not move fails here, to be given inputs that move it."""
    kept = {c.id for e in EXERCISES.values() for c in grade_results(draw(e, SEED), expected(e))
            if c.passed}
    assert kept == DISCRETE
    pure_ids = {c.id for e in EXERCISES.values() for c in e.criteria if c.pure}
    earned = run["json"]["hard_coded"]["exercises"]
    assert {c["id"] for r in earned.values() for c in r["criteria"] if c["passed"]} <= pure_ids | kept


def test_output_cannot_attack_the_reader(run, capsys):
    assert "\x1b" not in run["stderr"]
    formula = next(r for r in run["csv"] if "HYPERLINK" in r[0])
    assert formula[0].startswith("'=")
    assert "Skipped '.hidden': a hidden entry (its name starts with a dot)." in run["stderr"]
    check_main([str(run["class"] / "escape_sequences"), "--exercise", "ex01"], "exercise_checks",
               ROOT / "exercises")
    out = capsys.readouterr().out
    assert "RuntimeError: [2J]0;pwned[31mred" in out and "\x1b" not in out and "\x07" not in out
