"""Grade on Gradescope: the autograder bundle, and what runs inside it for one submission.

Gradescope's autograder format (https://gradescope-autograders.readthedocs.io, "Autograder
Specifications"): a zip with ``setup.sh`` (run once, as root, when Gradescope builds the image)
and ``run_autograder`` (run for every submission in its own container, with the student's files
in ``/autograder/submission``), which must write ``/autograder/results/results.json``: a test per
check with ``name``, ``score``, ``max_score``, ``output``, ``visibility``, and the total ``score``.

:func:`build_bundle` writes that zip with the course's grader, catalogue and library;
:func:`run` is ``run_autograder``'s body: it finds the notebooks in the submission as the class
grader does (any case, nested, ``(1)`` copies; :mod:`grader.layouts`), grades them in the sandbox
(:func:`grader.submission.grade_folder`) and writes ``results.json``. ``--root`` (or the
``AUTOGRADER_ROOT`` variable of ``run_autograder``) moves ``/autograder``, for a local test.
"""
from __future__ import annotations

import argparse
import importlib
import json
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from grader import layouts, sandbox
from grader.safe_output import clean
from grader.submission import grade_folder

VISIBILITY = ("hidden", "after_due_date", "after_published", "visible")

SETUP = """#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image: Python, bubblewrap (the
# sandbox student code runs in) and the course's dependencies.
set -euo pipefail
apt-get update
apt-get install -y --no-install-recommends python3 python3-venv python3-pip bubblewrap
python3 -m venv /autograder/venv
/autograder/venv/bin/pip install --quiet -r /autograder/source/requirements.txt
# The library is imported from the bundle; the sandbox mounts it alone, never the grader beside it.
site="$(/autograder/venv/bin/python -c 'import site; print(site.getsitepackages()[0])')"
echo /autograder/source > "$site/course.pth"
"""

RUN = """#!/usr/bin/env bash
# Gradescope runs this for every submission: grade /autograder/submission into
# /autograder/results/results.json. AUTOGRADER_ROOT and AUTOGRADER_PYTHON move both (local tests).
set -euo pipefail
root="$(cd "${{AUTOGRADER_ROOT:-/autograder}}" && pwd)"
python="${{AUTOGRADER_PYTHON:-$root/venv/bin/python}}"
cd "$root/source"
exec "$python" -m grader.gradescope run --root "$root" --catalogue {catalogue} --visibility {visibility}
"""


def build_bundle(out, course: Path, packages: tuple, requirements: list, catalogue: str,
                 visibility: str = "visible") -> Path:
    """Write the autograder zip to ``out``: setup.sh, run_autograder, requirements.txt and the
    ``packages`` (folders of ``course``: the grader, the catalogue, the library it uses)."""
    if visibility not in VISIBILITY:
        raise ValueError(f"visibility == {visibility!r}, must be one of {', '.join(VISIBILITY)}.")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name, text in (("setup.sh", SETUP), ("requirements.txt", "\n".join(requirements) + "\n"),
                           ("run_autograder", RUN.format(catalogue=catalogue, visibility=visibility))):
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = (0o755 if name != "requirements.txt" else 0o644) << 16
            bundle.writestr(info, text)
        for package in packages:
            for path in sorted((course / package).rglob("*.py")):
                if "__pycache__" not in path.parts:
                    bundle.write(path, path.relative_to(course).as_posix())
    return out


def results(graded: list, notes: list, visibility: str, seconds: float) -> dict:
    """Gradescope's results.json for one student's [ExerciseResult]."""
    tests = []
    for number, result in enumerate(graded, 1):
        for index, c in enumerate(result.criteria, 1):
            tests.append({"name": f"{result.exercise} Task {c.task}: {c.title}",
                          "number": f"{number}.{index}", "score": c.points,
                          "max_score": c.max_points, "status": "passed" if c.passed else "failed",
                          "output": clean(c.feedback or ("Passed." if c.passed else "Failed.")),
                          "visibility": visibility})
    lines = notes + [f"{r.exercise}: {note}" for r in graded for note in r.notes]
    return {"score": sum(t["score"] for t in tests), "execution_time": round(seconds, 1),
            "output": clean("\n".join(lines) or "Every notebook was found and graded."),
            "visibility": visibility, "stdout_visibility": "hidden", "tests": tests}


def run(root, catalogue: str, visibility: str = "visible") -> dict:
    """Grade ``root``/submission; write and return ``root``/results/results.json."""
    root, start = Path(root), time.perf_counter()
    exercises = importlib.import_module(catalogue).EXERCISES
    notebooks = [e.notebook for e in exercises.values()]
    with tempfile.TemporaryDirectory(prefix="gradescope-") as work:
        submission = layouts.one_student(root / "submission", notebooks)
        staged = layouts.stage(submission, Path(work) / "student")
        graded = grade_folder(staged, catalogue)
    print(sandbox.describe())                 # run_autograder's stdout: for the instructor only
    notes = list(submission.notes)
    if not submission.files:
        notes.insert(0, f"No exercise notebook found in the submission; upload {', '.join(notebooks)}.")
    out = results(graded, notes, visibility, time.perf_counter() - start)
    (root / "results").mkdir(parents=True, exist_ok=True)
    (root / "results" / "results.json").write_text(json.dumps(out, indent=1, ensure_ascii=False),
                                                   encoding="utf-8")
    return out


def main(argv: list) -> int:
    parser = argparse.ArgumentParser(description="Gradescope's run_autograder: grade one submission.")
    parser.add_argument("command", choices=["run"])
    parser.add_argument("--root", default="/autograder", help="Gradescope's /autograder folder")
    parser.add_argument("--catalogue", required=True, help="the module listing the exercises")
    parser.add_argument("--visibility", default="visible", choices=VISIBILITY)
    args = parser.parse_args(argv)
    out = run(args.root, args.catalogue, args.visibility)
    print(f"score {out['score']} of {sum(t['max_score'] for t in out['tests'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
