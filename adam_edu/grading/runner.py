"""The student's side of grading: run a notebook's code, call its functions, reply with plain data.

``python -m adam_edu.grading FOLDER ex01 ex02 ...`` runs in its own process (started by
:mod:`adam_edu.grading.submission`). For each exercise it prints one JSON line ``{"event": "start"}``,
executes the notebook's code cells (not the ones that call ``check(...)``, not IPython magics), calls
the student's functions on the grader's inputs and prints ``{"event": "done", "results": ...}`` with
only numbers, lists, strings and booleans. Nothing is compared here: a student who patches numpy or
this module only changes what their own process replies.
"""
from __future__ import annotations

import json
import os
import re
import sys

from adam_edu.grading.calls import TimeLimit, collect, time_limit

CHECK_CALL = re.compile(r"^\s*(?:from\s+adam_edu\.grading\s+import|check\s*\()", re.M)
_dumps = json.dumps          # bound before student code runs


def code_cells(path) -> list:
    """The code cells the grader runs, as (cell number, source); raises ValueError if unreadable."""
    try:
        with open(path, encoding="utf-8") as handle:
            notebook = json.load(handle)
        cells = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
        sources = [cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
                   for cell in cells]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
        raise ValueError(f"{os.path.basename(path)} is not a readable notebook ({error})") from None
    lines = (lambda src: "\n".join("pass  # " + line if line.lstrip().startswith(("%", "!")) else line
                                   for line in src.splitlines()))
    return [(n, lines(src)) for n, src in enumerate(sources, 1) if not CHECK_CALL.search(src)]


def execute(path, seconds: float) -> tuple[dict, list]:
    """Run the notebook's code cells in a fresh namespace; returns (namespace, notes on errors)."""
    namespace, notes = {"__name__": "__student__"}, []
    for number, source in code_cells(path):
        try:
            with time_limit(seconds):
                exec(compile(source, f"<code cell {number}>", "exec"), namespace)   # noqa: S102
        except TimeLimit:
            notes.append(f"code cell {number} did not finish within {seconds:g} s of CPU time; it was stopped")
        except BaseException as error:   # noqa: BLE001 - SystemExit included
            notes.append(f"code cell {number} raised {type(error).__name__}: {str(error)[:200]}")
    return namespace, notes


class _Capped:
    """A text stream that keeps nothing: student prints cost time, never memory or disk."""

    def write(self, text):
        return len(text)

    def flush(self):
        pass


def _silence() -> None:
    """Send the student's prints (Python and C level) nowhere."""
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    sys.stdout = sys.stderr = _Capped()


def serve(folder: str, exercises: list, cell_seconds: float, call_seconds: float, send) -> None:
    """Grade ``exercises`` of ``folder`` in this process, calling ``send(message)`` for each event."""
    for exercise in exercises:
        send({"event": "start", "exercise": exercise})
        path = os.path.join(folder, _notebook_name(exercise))
        if not os.path.isfile(path):
            send({"event": "done", "exercise": exercise, "missing": True, "notes": [], "results": {}})
            continue
        try:
            namespace, notes = execute(path, cell_seconds)
        except ValueError as error:
            send({"event": "done", "exercise": exercise, "unreadable": str(error), "notes": [],
                  "results": {}})
            continue
        send({"event": "done", "exercise": exercise, "notes": notes,
              "results": collect(exercise, namespace, call_seconds)})


def forked_main(connection, folder, exercises, cell_seconds, call_seconds, workdir) -> None:
    """Entry point in a process forked from the preloaded fork server: replies on ``connection``."""
    import matplotlib

    matplotlib.use("Agg")        # figures are drawn nowhere; plt.show() returns at once
    os.environ["MPLBACKEND"] = "Agg"
    os.chdir(workdir)
    limit_resources()
    _silence()
    send_bytes, dumps = connection.send_bytes, _dumps
    serve(folder, exercises, cell_seconds, call_seconds,
          lambda message: send_bytes(dumps(message).encode("utf-8")))
    connection.close()
    os._exit(0)   # skip atexit handlers a student may have registered


def main(argv: list) -> None:
    """Entry point of ``python -m adam_edu.grading FOLDER ex..``: replies as JSON lines on stdout."""
    folder, exercises = argv[0], argv[1:]
    cell_seconds, call_seconds = float(os.environ.get("ADAM_EDU_CELL_S", 3)), float(
        os.environ.get("ADAM_EDU_CALL_S", 1))
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8")
    limit_resources()
    _silence()
    serve(folder, exercises, cell_seconds, call_seconds,
          lambda message: (channel.write(_dumps(message) + "\n"), channel.flush()))
    channel.close()
    os._exit(0)


def limit_resources() -> None:
    """At most 4 GiB of memory and 64 MiB per written file (POSIX; elsewhere nothing)."""
    try:
        import resource
    except ImportError:
        return
    for limit, value in ((resource.RLIMIT_AS, 4 << 30), (resource.RLIMIT_FSIZE, 64 << 20)):
        try:
            resource.setrlimit(limit, (value, value))
        except (ValueError, OSError):
            pass


def _notebook_name(exercise: str) -> str:
    from adam_edu.grading.submission import NOTEBOOKS

    return NOTEBOOKS[exercise]


if __name__ == "__main__":
    main(sys.argv[1:])
