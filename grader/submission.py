"""Grade one student's folder: their notebooks run in a separate, time-limited process.

One process runs all of a student's notebooks and reports each as it finishes. If it hangs,
crashes or floods its output during a notebook, it is killed, that notebook scores 0 with a note
saying why, and a fresh process grades the notebooks still to do: one broken notebook costs its own
criteria and nothing else. The process runs in a temporary directory, never in the submission.
"""
from __future__ import annotations

import importlib
import tempfile
from pathlib import Path

from grader.results import ExerciseResult, all_lost, questions
from grader.score import grade_results
from grader.transport import Finished, Garbled, Limits, Started, Stopped, student_process


def grade_folder(folder, catalogue: str, names=None, limits: Limits = Limits()) -> list:
    """Grade a student's folder of notebooks; returns an ExerciseResult per exercise.

    ``catalogue`` names the module whose ``EXERCISES`` dict holds the exercises; ``names`` picks
    some of them (default all, in the catalogue's order).
    """
    exercises = importlib.import_module(catalogue).EXERCISES
    folder, wanted = Path(folder).resolve(), list(names or exercises)
    pending, done = list(wanted), {}
    with tempfile.TemporaryDirectory(prefix="grader-") as workdir:
        while pending:
            current = None
            for event in student_process(catalogue, folder, pending, limits, workdir):
                if isinstance(event, Started) and event.exercise in pending:
                    current = event.exercise
                elif isinstance(event, Finished) and event.exercise == current:
                    done[current] = _result(exercises[current], event.reply)
                    pending.remove(current)
                    current = None
                elif isinstance(event, Stopped):
                    lost = [current] if current else list(pending)
                    for name in lost:
                        exercise = exercises[name]
                        done[name] = all_lost(exercise, (
                            f"{exercise.notebook} {event.why}." if current else
                            f"The grader could not run this notebook: its process {event.why}."))
                        pending.remove(name)
    return [done[name] for name in wanted]


def _result(exercise, reply: dict) -> ExerciseResult:
    """The ExerciseResult of one notebook from its process's reply (plain, untrusted data)."""
    try:
        if reply.get("missing"):
            return all_lost(exercise, f"{exercise.notebook} is missing from the folder.")
        if reply.get("unreadable"):
            return all_lost(exercise, f"{reply['unreadable']}; fix or replace the file to be graded.")
        notes = [str(note)[:300] for note in reply.get("notes", [])][:20]
        return ExerciseResult(exercise.name, exercise.title,
                              grade_results(exercise, reply.get("results")), notes, questions(exercise))
    except Exception:   # noqa: BLE001 - malformed data from the student's process
        return all_lost(exercise, f"{exercise.notebook}: {Garbled.why}.")
