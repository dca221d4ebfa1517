"""The pieces that make grading safe on untrusted notebooks, one by one: the reply protocol, the
secret inputs, reading notebooks, source inspection (no false alarm on honest code), safe output."""
from __future__ import annotations

import json
import os
import random
from pathlib import Path

import nbformat
import numpy as np
import pytest

import adam_edu as ae
import exercise_checks
from exercise_checks import EXERCISES
from grader import channel, isolated, notebook_source, sandbox, secret_inputs, source_inspection
from grader.layouts import find_submissions
from grader.safe_output import write_atomically
from grader.submission import draw

ROOT = Path(__file__).resolve().parent.parent
WORK = isolated.Work("toy", "toy.ipynb", {"toy.a": [{}], "toy.b": [{}, {}]})
DONE = {"event": "done", "exercise": "toy", "notes": ["a note"],
        "results": {"toy.a": [{"value": 1}], "toy.b": [{"error": "E", "message": "m"}, {"value": []}]}}


def test_only_the_expected_well_formed_message_is_accepted():
    assert channel.accept({"event": "start", "exercise": "toy"}, "toy", "start", WORK)
    assert channel.accept(DONE, "toy", "done", WORK)["notes"] == ["a note"]
    for bad, phase in (([], "start"), ({"event": "start"}, "start"),
                       ({"event": "start", "exercise": "toy", "extra": 1}, "start"),
                       ({"event": "start", "exercise": "other"}, "start"),
                       ({"event": "start", "exercise": "toy"}, "done"),       # a second start
                       (dict(DONE, extra=1), "done"), (dict(DONE, notes=[1]), "done"),
                       (dict(DONE, results={"toy.a": [{"value": 1}]}), "done"),
                       (dict(DONE, results={**DONE["results"], "toy.a": [{"value": 1, "x": 2}]}), "done"),
                       (dict(DONE, results={**DONE["results"], "toy.b": [{"value": 1}]}), "done")):
        assert channel.accept(bad, "toy", phase, WORK) is None, bad


def test_inputs_are_drawn_afresh_keeping_what_each_criterion_asks():
    first, again, other = (draw(EXERCISES["ex03"], seed) for seed in (1, 1, 2))
    calls = [c.calls[0] for c in first.criteria]
    assert [c.calls[0] for c in again.criteria][0].args[0][1].tolist() == calls[0].args[0][1].tolist()
    assert not np.array_equal(other.criteria[0].calls[0].args[0][1], calls[0].args[0][1])
    published = EXERCISES["ex03"].criteria[0].calls[0]
    state = calls[0].args[2][1]                         # a zero state stays a zero state
    assert isinstance(state, ae.AdamState) and state.t == 0 and not state.m.any() and not state.v.any()
    assert np.all(np.sign(calls[0].args[1][1]) == np.sign(published.args[1][1]))
    bounds = [call.kwargs | dict(call.args) for call in EXERCISES["ex04"].criteria[3].calls]
    drawn = [call.kwargs | dict(call.args) for call in draw(EXERCISES["ex04"], 7).criteria[3].calls]
    for was, now in zip(bounds, drawn):                 # the case of the paper's bound is kept
        assert ((1 - was["beta1"]) > np.sqrt(1 - was["beta2"])) == ((1 - now["beta1"]) > np.sqrt(1 - now["beta2"]))
        assert 0 < now["beta1"] < 1 and 0 < now["beta2"] < 1 and now["lr"] > 0
    rng = random.Random(0)
    assert [secret_inputs.perturb_number(x, rng) for x in (0.0, 3, True)] == [0.0, 3, True]


def test_a_notebook_is_read_as_jupyter_reads_it(tmp_path):
    v4 = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = !ls\nif True:\n    %time y = 1")])
    (tmp_path / "Old.IPYNB").write_text(nbformat.writes(nbformat.convert(v4, 3)))
    path, note = notebook_source.find(tmp_path, "old.ipynb")
    assert path.name == "Old.IPYNB" and "matched ignoring case" in note
    assert notebook_source.code_cells(notebook_source.read(path)) == [
        (1, "x = get_ipython().getoutput('ls')\nif True:\n    get_ipython().run_line_magic('time', 'y = 1')\n")]
    os.symlink(ROOT / "solutions" / "ex01_moments.ipynb", tmp_path / "linked.ipynb")
    with pytest.raises(ValueError, match="linked.ipynb is a symbolic link"):
        notebook_source.read(tmp_path / "linked.ipynb")
    os.mkfifo(tmp_path / "pipe.ipynb")
    with pytest.raises(ValueError, match="pipe.ipynb is not a regular file"):
        notebook_source.read(tmp_path / "pipe.ipynb")
    assert notebook_source.without_check_calls("def f():\n    return 1\ncheck('ex01'); z = 3\n") == \
        "def f():\n    return 1\npass; z = 3\n"


@pytest.mark.parametrize("version", [4, 3])
def test_code_cells_agree_with_nbformat_on_every_course_notebook(version):
    """Version 4 is read as JSON (nbformat's import costs a second); older versions go through
    nbformat. Both give exactly the sources nbformat gives, on every notebook the course ships."""
    for path in sorted((ROOT / "solutions").glob("*.ipynb")) + sorted((ROOT / "exercises").glob("*.ipynb")):
        text = nbformat.writes(nbformat.convert(nbformat.read(path, as_version=4), version))
        want = [c.source for c in nbformat.reads(text, as_version=4).cells if c.cell_type == "code"]
        assert notebook_source._code_sources(text) == want, path.name
    for hostile in ('{"nbformat": 4, "cells": [{"cell_type": "code", "source": ["x", 1]}]}',
                    '{"nbformat": "4"}', '[]', '{"nbformat": 4}'):
        with pytest.raises(ValueError, match="is not a readable notebook"):
            notebook_source.code_cells(hostile.encode())


@pytest.mark.parametrize("folder", ["solutions", "exercises", *sorted(
    f"tests/fixtures/submissions/{p.name}" for p in (ROOT / "tests/fixtures/submissions").iterdir()
    if p.name not in ("monkeypatch", "invalid_json"))])
def test_source_inspection_raises_no_false_alarm_on_honest_notebooks(folder):
    for name, exercise in EXERCISES.items():
        path = ROOT / folder / exercise.notebook
        if not path.exists():
            continue
        cells = notebook_source.code_cells(path.read_bytes())
        assert source_inspection.tampering(cells, exercise_checks.HIDDEN) == []
        for fn in set(exercise.tasks.values()):
            answers = exercise_checks.LIBRARY_ANSWERS.get(fn, (fn,))
            assert source_inspection.borrowed(cells, fn, answers, "adam_edu") == "", (name, fn)


def test_source_inspection_follows_helpers_aliases_and_imports():
    cells = [(1, "import adam_edu as ae\nfrom adam_edu import snr as S\nfrom adam_edu import adam_step as go\n"
                 "def helper(p, g, s):\n    return go(p, g, s)\ndef adam_step(p, g, s):\n    return helper(p, g, s)\n"
                 "step_bound = lambda *a: S.step_bound(*a)\nema = getattr(ae, 'e' + 'ma')\n")]
    assert source_inspection.borrowed(cells, "adam_step", ("adam_step",), "adam_edu") == \
        "adam_step uses adam_edu's own adam_step (through helper)"
    assert "adam_edu's own step_bound" in source_inspection.borrowed(cells, "step_bound", ("step_bound",), "adam_edu")
    assert "adam_edu through getattr()" in source_inspection.borrowed(cells, "ema", ("ema",), "adam_edu")
    sneaky = [(1, "import sys, gc\nexec('x = 1')\nf = sys._getframe\nfrom exercise_checks import EXERCISES")]
    assert source_inspection.tampering(sneaky, exercise_checks.HIDDEN) == [
        "._getframe", "exec(...)", "from exercise_checks import ...", "import gc"]


def test_skipped_folders_are_listed_and_the_gradebook_is_replaced_whole(tmp_path):
    for name in ("alice", ".hidden", "=cmd"):
        (tmp_path / "class" / name).mkdir(parents=True)
    (tmp_path / "class" / "notes.txt").write_text("x")
    os.symlink(tmp_path / "class" / "alice", tmp_path / "class" / "link")
    found, skipped = find_submissions(tmp_path / "class", ["ex01.ipynb"], tmp_path / "unpacked")
    assert [s.identity for s in found] == ["=cmd", "alice"]
    assert [name for name, _ in skipped] == [".hidden", "link", "notes.txt"]
    book = tmp_path / "book.csv"
    write_atomically(book, "first\n")
    write_atomically(book, "second\n")
    assert book.read_text() == "second\n" and sorted(os.listdir(tmp_path)) == ["book.csv", "class"]


def test_without_the_sandbox_the_cli_says_so_once(monkeypatch):
    monkeypatch.setattr(sandbox, "isolation", lambda: sandbox.Isolation(False, "bwrap is not installed", ""))
    line = sandbox.describe()
    assert line.startswith("WARNING: submissions are NOT isolated: bwrap is not installed")
    assert "Grade untrusted submissions on Linux" in line


@pytest.mark.parametrize("name", EXERCISES)
def test_over_50_seeds_the_drawn_inputs_keep_every_verdict(name):
    """On inputs drawn from each of 50 seeds the reference scores full marks, and every mistake
    model fails the same criteria in every run, one of them naming it. (Against the published
    inputs a model may fail fewer: EMA weights swapped pass the constant sequence at β = 0.5 exactly.)"""
    from grader import grade_namespace

    exercise = EXERCISES[name]
    models = [(m, model) for m in exercise.mistakes for model in m.models]
    verdicts = []
    for seed in range(50):
        drawn = draw(exercise, seed)
        assert grade_namespace(drawn, drawn.reference).points == exercise.max_points, seed
        verdict = []
        for mistake, model in models:
            failed = [c for c in grade_namespace(drawn, model).criteria if not c.passed]
            assert any(c.mistake == mistake.name for c in failed), (seed, mistake.name)
            verdict.append({c.id for c in failed})
        verdicts.append(verdict)
    assert all(verdict == verdicts[0] for verdict in verdicts)


def test_only_ordinary_cells_are_kept_parsed():
    """Small cells are parsed once (shared by a class); a large one is parsed each time it is
    inspected and never kept, so a hostile notebook cannot grow the grader's memory."""
    small = "x = 1\n" * 10
    large = "x = 1\n" * (notebook_source.CACHED_CHARS // 6 + 1)
    assert notebook_source.parse(small) is notebook_source.parse(small)
    assert notebook_source.parse(large) is not notebook_source.parse(large)
