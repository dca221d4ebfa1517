#!/usr/bin/env python3
"""One entry point for the course. Needs only Python >= 3.10.

    python3 course.py lab            set up (first time only) and open the course in JupyterLab
    python3 course.py test           set up (first time only) and run the whole test suite

Every command first makes sure a local virtual environment `.venv/` exists and holds the packages
that `pyproject.toml` lists; it is created on first use and reused after (re-installed only when
`pyproject.toml` changes). Extra arguments after a command are passed on to the tool it runs, e.g.
`python3 course.py test tests/test_adam.py -k first_step`.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".adam-edu-installed"
SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_venv() -> Path:
    """Create `.venv` and install the course into it when missing or out of date."""
    if sys.version_info < (3, 10):
        sys.exit(f"adam-edu needs Python >= 3.10; this is {sys.version.split()[0]}.")
    want = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    python = venv_python()
    if not python.exists():
        print(f"Creating the virtual environment {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    if not STAMP.exists() or STAMP.read_text().strip() != want:
        print("Installing the course and its test tools into .venv (first run only) ...", flush=True)
        pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check", "--quiet"]
        run(pip + ["--upgrade", "pip"])
        run(pip + ["-e", f"{ROOT}[course,test]"])
        STAMP.write_text(want + "\n")
    # The course's JupyterLab settings (Alt+R = live deck). pyproject.toml lists them as data files,
    # which an editable install does not place (pypa/setuptools#3399), so copy them: a file of our
    # own in a .d folder that JupyterLab merges with any other settings.
    for source in (ROOT / "jupyter-config").rglob("*.json"):
        target = VENV / "etc" / "jupyter" / source.relative_to(ROOT / "jupyter-config")
        if not target.exists() or target.read_bytes() != source.read_bytes():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
    return python


def run(cmd: list[str], env: dict | None = None) -> int:
    code = subprocess.call(cmd, cwd=ROOT, env=env)
    if code != 0:
        sys.exit(code)
    return code


def notebook_env() -> dict:
    """Environment for executing notebooks: no forced Agg backend, a fixed hash seed."""
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)
    env["PYTHONHASHSEED"] = "0"
    return env


def cmd_lab(py: Path, args: list[str]) -> None:
    # The whole course (lessons/, exercises/) is browsable; the welcome lesson opens first.
    start = ["--ServerApp.root_dir=" + str(ROOT),
             "--LabApp.default_url=/lab/tree/lessons/00_welcome.ipynb"]
    # Jupyter refuses to start as root (common in containers) unless told that it is meant.
    as_root = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    run([str(py), "-m", "jupyterlab", *start, *as_root, *args], env=notebook_env())


def cmd_test(py: Path, args: list[str]) -> None:
    """Unit, property, doctest and grading tests, then every lesson under strict nbval."""
    if args:  # a single test or a selection: run just that
        run([str(py), "-m", "pytest", *args], env=notebook_env())
        return
    run([str(py), "-m", "pytest", "tests", "adam_edu", "grader", "exercise_checks",
         "--ignore=tests/browser"], env=notebook_env())
    notebooks = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "lessons").glob("*.ipynb"))
    if notebooks:
        run([str(py), "-m", "pytest", "--nbval", "--nbval-current-env",
             "--nbval-sanitize-with", str(SANITIZE.relative_to(ROOT)), *notebooks],
            env=notebook_env())


def cmd_test_browser(py: Path, args: list[str]) -> None:
    """Real-browser tests: JupyterLab, RISE and the static decks in Debian's chromium."""
    run([str(py), "-m", "pytest", "tests/browser", *args], env=notebook_env())


def cmd_module(module: str):
    """A command that runs ``python -m <module>`` from the repository root (tools/, benchmarks/)."""
    def go(py: Path, args: list[str]) -> None:
        run([str(py), "-m", module, *args], env=notebook_env())
    return go


# command -> (module run with `python -m` from the repository root, what it does)
TOOLS = {
    "execute": ("tools.execute_lessons", "re-execute the lessons, storing their outputs"),
    "exercises": ("tools.make_exercises", "generate exercises/ from solutions/"),
    "check": ("tools.check_student", "grade one student's exercises, print a scorecard"),
    "grade": ("tools.grade_class", "grade a folder of submissions into a gradebook"),
    "slides": ("tools.build_slides", "build offline reveal.js decks into build/slides"),
    "serve-slides": ("tools.serve_slides", "serve build/slides on 127.0.0.1"),
    "bench": ("benchmarks", "run the speed benchmarks and print a table"),
}

COMMANDS = {
    "lab": (cmd_lab, "set up and open the course in JupyterLab"),
    "test": (cmd_test, "set up and run the whole test suite"),
    "test-browser": (cmd_test_browser, "run the real-browser tests (needs `apt-get install chromium`)"),
    **{name: (cmd_module(module), text) for name, (module, text) in TOOLS.items()},
}


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in COMMANDS:
        print(__doc__)
        print("All commands:")
        for name, (_, text) in COMMANDS.items():
            print(f"    python3 course.py {name:<14} {text}")
        sys.exit(0 if not argv or argv[0] in ("-h", "--help", "help") else 2)
    func, _ = COMMANDS[argv[0]]
    func(ensure_venv(), argv[1:])


if __name__ == "__main__":
    main(sys.argv[1:])
