"""The student's side of grading: run a notebook's code, call its functions, reply with plain data.

Runs in its own process, started by :mod:`grader.transport`: forked from a preloaded server, or as
``python -m grader.worker CATALOGUE FOLDER ex01 ex02 ...``. For each exercise it sends
``{"event": "start", "exercise": ...}``, executes the notebook's code cells (see
:func:`grader.notebook.code_cells`), calls the student's functions on the grader's inputs and sends
``{"event": "done", "exercise": ..., "notes": [...], "results": ...}`` with only numbers, lists,
strings and booleans. Nothing is compared here: a student who patches numpy or the grader only
changes what their own process replies.
"""
from __future__ import annotations

import importlib
import json
import os
import sys

from grader.calls import TimeLimit, collect, time_limit
from grader.notebook import cell_label, code_cells

_dumps = json.dumps          # bound before student code runs


def execute(path, seconds: float) -> tuple[dict, list]:
    """Run the notebook's code cells in a fresh namespace; returns (namespace, notes on errors)."""
    namespace, notes = {"__name__": "__student__"}, []
    for _, source in code_cells(path):
        where = cell_label(source)
        try:
            with time_limit(seconds):
                exec(compile(source, f"<{where}>", "exec"), namespace)   # noqa: S102
        except TimeLimit:
            notes.append(f"{where} did not finish within {seconds:g} s of CPU time; it was stopped")
        except BaseException as error:   # noqa: BLE001 - SystemExit included
            notes.append(f"{where} raised {type(error).__name__}: {str(error)[:200]}")
    return namespace, notes


def serve(catalogue: dict, folder: str, names: list, cell_seconds: float, call_seconds: float,
          send) -> None:
    """Grade the exercises ``names`` of ``folder``, calling ``send(message)`` for each event."""
    for name in names:
        send({"event": "start", "exercise": name})
        path = os.path.join(folder, catalogue[name].notebook)
        if not os.path.isfile(path):
            send({"event": "done", "exercise": name, "missing": True, "notes": [], "results": {}})
            continue
        try:
            namespace, notes = execute(path, cell_seconds)
        except ValueError as error:
            send({"event": "done", "exercise": name, "unreadable": str(error), "notes": [],
                  "results": {}})
            continue
        send({"event": "done", "exercise": name, "notes": notes,
              "results": collect(catalogue[name], namespace, call_seconds)})


def load_catalogue(module: str, paths: list) -> dict:
    """The ``EXERCISES`` dict of the catalogue module, importable from ``paths``."""
    sys.path[:0] = [path for path in paths if path and path not in sys.path]
    return importlib.import_module(module).EXERCISES


class _Discard:
    """A text stream that keeps nothing: student prints cost time, never memory or disk."""

    def write(self, text):
        return len(text)

    def flush(self):
        pass


def _prepare() -> None:
    """Limit memory and file size, draw figures nowhere, send the student's prints nowhere."""
    try:
        import resource
        for limit, value in ((resource.RLIMIT_AS, 4 << 30), (resource.RLIMIT_FSIZE, 64 << 20)):
            resource.setrlimit(limit, (value, value))
    except (ImportError, ValueError, OSError):
        pass
    os.environ["MPLBACKEND"] = "Agg"
    if "matplotlib" in sys.modules:
        sys.modules["matplotlib"].use("Agg")     # plt.show() returns at once
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    sys.stdout = sys.stderr = _Discard()


def forked_main(connection, catalogue, paths, folder, names, cell_seconds, call_seconds,
                workdir) -> None:
    """Entry point in a process forked from the preloaded server: replies on ``connection``."""
    os.chdir(workdir)
    exercises = load_catalogue(catalogue, paths)
    _prepare()
    send_bytes, dumps = connection.send_bytes, _dumps
    serve(exercises, folder, names, cell_seconds, call_seconds,
          lambda message: send_bytes(dumps(message).encode("utf-8")))
    connection.close()
    os._exit(0)   # skip atexit handlers a student may have registered


def main(argv: list) -> None:
    """``python -m grader.worker CATALOGUE FOLDER ex..``: replies as JSON lines on stdout."""
    catalogue, folder, names = argv[0], argv[1], argv[2:]
    cell_seconds = float(os.environ.get("GRADER_CELL_S", 3))
    call_seconds = float(os.environ.get("GRADER_CALL_S", 1))
    exercises = load_catalogue(catalogue, os.environ.get("GRADER_PATH", "").split(os.pathsep))
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8")
    _prepare()
    serve(exercises, folder, names, cell_seconds, call_seconds,
          lambda message: (channel.write(_dumps(message) + "\n"), channel.flush()))
    channel.close()
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1:])
