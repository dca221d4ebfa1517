"""How fast is the autograder? A student waits for `course.py check`, an instructor for `grade`.

(a) One student's full set (every exercise notebook): ``python3 course.py check solutions`` as a
    fresh process (start-up, the reference answers and the student's sandbox included), and
    ``grade_folder`` inside a warm process (inputs drawn afresh, so the reference answers are
    computed again, as in a real run). Target: <= 2 s warm.
(b) A class of 100 submissions graded by ``python3 course.py grade --jobs 2`` (its code path,
    :func:`grader.class_grading.grade_main`, in this process; gradebooks and feedback written): half correct, a tenth untouched stubs, the rest with one catalogued mistake each, one
    endless loop and one ``os._exit``. Target: <= 60 s on 2 cores.

Each student runs in the sandbox where it is available (the line below the tables says which).

Run: ``python3 course.py bench grading`` (or ``python -m benchmarks.bench_grading``).
"""
from __future__ import annotations

import contextlib
import io
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.timing import fmt_ms, load_line, summary, table
from exercise_checks import EXERCISES
from grader import grade_folder, sandbox
from grader.class_grading import grade_main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "submissions"
CLASS_SIZE, JOBS = 100, 2


def make_class(folder: Path) -> None:
    """CLASS_SIZE student folders, each a full set of notebooks."""
    mistakes = sorted(p for p in FIXTURES.iterdir() if p.name.startswith("mistake_"))
    for i in range(CLASS_SIZE):
        student = folder / f"student{i:03d}"
        shutil.copytree(FIXTURES / ("stubs" if i % 10 == 5 else "correct"), student)
        if i % 10 >= 6:
            for notebook in mistakes[i % len(mistakes)].glob("*.ipynb"):
                shutil.copy(notebook, student / notebook.name)
    for i, broken in ((7, "infinite_loop"), (8, "sys_exit")):
        shutil.rmtree(folder / f"student{i:03d}")
        shutil.copytree(FIXTURES / broken, folder / f"student{i:03d}")


def main() -> None:
    command = [sys.executable, "-m", "tools.check_student", str(ROOT / "solutions")]
    cold = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
        cold.append(1e3 * (time.perf_counter() - start))
    grade_folder(ROOT / "solutions", "exercise_checks")     # warm the reference answers
    warm = []
    for _ in range(3):
        start = time.perf_counter()
        grade_folder(ROOT / "solutions", "exercise_checks")
        warm.append(1e3 * (time.perf_counter() - start))
    rows = [[label, fmt_ms(s["median"]), fmt_ms(s["min"]), s["n"], "2000"]
            for label, s in (("course.py check (fresh process)", summary(cold)),
                             ("grade_folder (warm process)", summary(warm)))]
    header = f"one student, {len(EXERCISES)} notebooks"
    print(table([header, "median ms", "min ms", "n", "target ms"], rows))
    print(load_line())

    with tempfile.TemporaryDirectory(prefix="adam-edu-bench-class-") as tmp:
        make_class(Path(tmp) / "class")
        start = time.perf_counter()
        with contextlib.redirect_stderr(io.StringIO()):     # the progress lines
            code = grade_main([f"{tmp}/class", "--out", f"{tmp}/book", "--jobs", str(JOBS)],
                              "exercise_checks")
        seconds = time.perf_counter() - start
        assert code == 0, "grading the benchmark class failed"
        graded = json.loads(Path(f"{tmp}/book.json").read_text())["students"]
    scores = sorted(student["points"] for student in graded.values())
    print()
    print(table(["class", "students", "jobs", "wall s", "s per student", "target s"],
                [[f"{CLASS_SIZE} submissions", len(graded), JOBS, f"{seconds:.1f}",
                  f"{seconds / len(graded):.2f}", "60"]]))
    most = sum(e.max_points for e in EXERCISES.values())
    print(f"scores: min {scores[0]}, median {scores[len(scores) // 2]}, max {scores[-1]} of {most}; "
          f"{load_line()}")
    print(sandbox.describe())


if __name__ == "__main__":
    main()
