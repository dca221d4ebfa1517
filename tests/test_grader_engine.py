"""The grading engine (grader/) on a toy exercise: separate process, limits, typed events, nothing
written into a submission, paths to differences; and the import graph of the course's packages."""
from __future__ import annotations

import ast
import hashlib
import json
import os
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import nbformat
import numpy as np
import pytest

from grader import Limits, grade_folder, grade_namespace
from grader.calls import to_plain
from grader.compare import Difference, difference, label, show, show_pair
from grader.notebook_source import code_cells
from grader.score import grade_criterion
from toy_catalogue import EXERCISES

ROOT = Path(__file__).resolve().parent.parent
TOY = EXERCISES["toy"]
FAST = Limits(cell=1.0, call=0.5, notebook=20.0, startup=60.0)   # generous wall time: a busy CI
SOLUTION = "import numpy as np\ndef running_total(values):\n    return np.cumsum(values)"


def notebook(folder: Path, *cells: str) -> Path:
    """Write toy.ipynb into ``folder`` with these code cells (and a check cell, never run)."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = [*cells, "from grader_course import check\ncheck('toy')"]
    path = folder / "toy.ipynb"
    path.write_text(nbformat.writes(nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(s) for s in sources])))
    return path


def grade(folder: Path, **limits):
    (result,) = grade_folder(folder, "toy_catalogue", ["toy"], FAST._replace(**limits))
    return result


def snapshot(folder: Path) -> dict:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*")}


@pytest.mark.parametrize("isolated", [True, False], ids=["sandbox", "plain-process"])
def test_a_student_runs_in_a_separate_process_and_nothing_is_written(tmp_path, isolated, monkeypatch):
    from grader import sandbox

    if not isolated:
        monkeypatch.setattr(sandbox, "isolation", lambda: sandbox.Isolation(False, "test", ""))
    elif not sandbox.isolation().available:
        pytest.skip(sandbox.isolation().reason)
    notebook(tmp_path / "student", SOLUTION, "import os\ndef pid():\n    return os.getpid()",
             "open('written.txt', 'w').write('x')")
    before = snapshot(tmp_path / "student")
    result = grade(tmp_path / "student")
    assert snapshot(tmp_path / "student") == before
    assert [(c.id, c.points) for c in result.criteria] == [("toy.totals", 3), ("toy.pure", 1),
                                                           ("toy.pid", 0)]
    pid = result.criteria[2].feedback      # the process id the student's own code saw
    assert "got the result = " in pid and f"= {os.getpid()};" not in pid


def test_the_reference_scores_full_marks_and_a_stub_zero(tmp_path):
    assert grade_namespace(TOY, TOY.reference).points == TOY.max_points
    notebook(tmp_path, "def running_total(values):\n    raise NotImplementedError('Task 1')")
    result = grade(tmp_path)
    assert result.points == 0 and "Not written yet" in result.criteria[0].feedback


def test_a_model_mistake_and_a_mutation_are_named(tmp_path):
    shortened = grade_namespace(TOY, TOY.mistakes[0].models[0])
    assert shortened.criteria[0].mistake == "first_dropped"
    assert "expected [1, 3, 6, 10]" in shortened.criteria[0].feedback
    notebook(tmp_path, "def running_total(values):\n    values += 1\n    return values - 1")
    pure = grade(tmp_path).criteria[1]
    assert pure.mistake == "mutated" and "afterwards values had changed" in pure.feedback


def test_limits_stop_loops_and_exits_cost_only_their_notebook(tmp_path):
    notebook(tmp_path / "loop", "while True:\n    pass", SOLUTION,
             "def pid():\n    while True:\n        pass")
    result = grade(tmp_path / "loop")
    assert "did not finish within 1 s of CPU time" in result.notes[0]
    assert result.points == 4 and "did not finish" in result.criteria[2].feedback
    notebook(tmp_path / "stubborn", "while True:\n    try:\n        while True:\n            pass\n"
                                    "    except BaseException:\n        pass")
    assert "did not finish within the time limit" in grade(tmp_path / "stubborn", notebook=2.0).notes[0]
    notebook(tmp_path / "exits", "import os\nos._exit(3)")
    assert "stopped its process (exit code 3)" in grade(tmp_path / "exits").notes[0]
    assert "is missing" in grade(tmp_path / "nobody").notes[0]


def test_difference_returns_the_path_to_the_first_difference():
    assert difference([1.0, float("nan")], [1.0 + 1e-9, float("nan")]) is None
    assert difference({"t": 0}, {"t": 1}) == Difference(("t",), 0, 1)
    assert difference([[1.0, 2.0], [3.0]], [[1.0, 2.5], [3.0]]).path == (0, 1)
    assert difference([1.0], [1.0, 2.0]).why == "length 1, expected 2"
    assert difference("PASS", [1.0]).why == "not a list or array"
    assert difference([2, 1.0, 0.5], {"t": 2, "m": 1.0, "v": 0.5}) is None   # a plain tuple is fine
    assert label((1, "t"), ("new_params", "new_state")) == "new_state.t"
    assert label((3, 0)) == "the result[3][0]" and show([0.123456, 2.0]) == "[0.1235, 2]"


def test_numbers_are_shown_until_they_differ_with_the_relative_error():
    assert show_pair(2.9000001, 2.9) == ("2.9000001", "2.9000000", " (relative error 3.4e-08)")
    assert show_pair(0.0016011, 0.0016013)[:2] == ("0.0016011", "0.0016013")
    assert show_pair([1.0], [2.0]) == ("[1]", "[2]", "")
    shortened = grade_namespace(TOY, {**TOY.reference, "running_total": lambda v: np.cumsum(v) * 1.00001})
    assert "got the result[0] = 1.00001; expected 1.00000 (relative error 1.0e-05)" in \
        shortened.criteria[0].feedback


def test_a_failed_cell_is_named_by_what_it_defines_or_its_first_line(tmp_path):
    notebook(tmp_path, "def running_total(values):\n    return values +", "x = 1 / 0")
    result = grade(tmp_path)
    assert result.notes[0].startswith("the cell defining running_total raised SyntaxError")
    assert result.notes[1] == "the cell starting `x = 1 / 0` raised ZeroDivisionError: division by zero"


def test_a_mutation_names_the_functions_own_arguments_and_generic_feedback_no_plot():
    mutated = [{"value": [1.0, 2.0], "mutated": ["values"]}]
    pure = grade_criterion(TOY, TOY.criteria[1], mutated)
    assert "afterwards values had changed: running_total must return new values and leave values " \
           "as it was. Leave the input as it was." in pure.feedback
    wrong = grade_namespace(TOY, {**TOY.reference, "running_total": lambda v: np.cumsum(v) + 1})
    assert "matches none of the catalogued mistakes" in wrong.criteria[0].feedback
    assert "plot above" not in wrong.criteria[0].feedback


def test_plain_data_only():
    plain = to_plain((np.float32(1.5), FAST, [np.int64(2), True, None]))
    assert plain[0] == 1.5 and plain[2] == [2, True, None] and json.loads(json.dumps(plain)) == plain
    assert plain[1] == {"cell": 1.0, "call": 0.5, "notebook": 20.0, "startup": 60.0}
    assert "unsupported" in to_plain(object()) and "too large" in to_plain(np.zeros(10**6))["unsupported"]


def test_check_lines_are_removed_and_magics_become_python():
    source = nbformat.writes(nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("%matplotlib inline\nx = 1"),
        nbformat.v4.new_code_cell("from adam_edu.grading import check\ny = 2\ncheck('ex01')"),
        nbformat.v4.new_markdown_cell("text")]))
    assert code_cells(source.encode()) == [
        (1, "get_ipython().run_line_magic('matplotlib', 'inline')\nx = 1\n"),
        (2, "pass\ny = 2\npass\n")]
    with pytest.raises(ValueError, match="nb.ipynb is not a readable notebook"):
        code_cells(b"{not json", "nb.ipynb")


MODULES = sorted(".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
                 for package in ("adam_edu", "grader", "exercise_checks", "tools")
                 for p in (ROOT / package).rglob("*.py"))


def imports(path: Path) -> set:
    """The modules of MODULES that the file at ``path`` imports (``from a import b``: a.b if b is
    a module, else a), read with ast."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found |= {f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in MODULES
                      else node.module for a in node.names}
    return found & set(MODULES)


def test_the_engine_knows_nothing_of_the_course_and_no_import_cycles():
    """Every module of the library (its __init__ files and adam_edu.grading included), the engine,
    the exercises and tools/ -> the modules of these it imports, at the top or inside a function:
    a graph with no cycle, in which the engine imports nothing of the course."""
    graph = {}
    for module in MODULES:
        parts = module.split(".")
        path = ROOT.joinpath(*parts).with_suffix(".py")
        graph[module] = imports(path if path.exists() else ROOT.joinpath(*parts, "__init__.py"))
    assert "adam_edu.registry" in graph["adam_edu.plots"] and "grader" in graph["exercise_checks.ex01_moments"]
    assert all(dep.startswith("grader") for module, deps in graph.items()
               if module.startswith("grader") for dep in deps), "the engine imports the course"
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as error:
        pytest.fail(f"import cycle: {' -> '.join(error.args[1])}")


@pytest.mark.parametrize("program, event", [
    ("import sys; sys.exit(3)", "Exited(code=3)"),
    ("print('not json')", "Garbled()"),
    ("print('x' * 5000, flush=True)", "Flooded()"),
    ("import time; time.sleep(30)", "TimedOut()"),
], ids=["exit", "garbage", "flood", "hang"])
def test_a_stopped_process_is_a_typed_event(program, event, monkeypatch):
    import subprocess
    import sys
    import time

    from grader import channel, isolated

    monkeypatch.setattr(channel, "MAX_REPLY_BYTES", 1000)
    process = subprocess.Popen([sys.executable, "-c", program], stdout=subprocess.PIPE)
    try:
        work = [isolated.Work("toy", "toy.ipynb", {})]
        (exercise, outcome), = channel.read(process, work, FAST, time.monotonic() + 1.0)
    finally:
        process.kill()
        process.wait()
        process.stdout.close()
    assert exercise == "toy" and repr(outcome["stopped"]) == event
    assert isinstance(outcome["stopped"], channel.Stopped)
    assert outcome["grader_error"] == outcome["stopped"].why
