"""Read a student's notebook the way Jupyter reads it, in the grader's process, without trusting it.

- The file: found by name case-insensitively (with a note saying so), a regular file opened with
  ``O_NOFOLLOW`` (a symlink to a classmate's notebook or to ``solutions/`` is refused), at most
  ``MAX_BYTES``; then copied, never linked, into the folder the sandbox mounts.
- The format: version 4 is JSON whose multi-line strings may be lists of lines, joined as
  ``nbformat`` joins them; older versions are upgraded by ``nbformat`` (v3 notebooks keep their
  cells). Importing ``nbformat`` costs about a second (its JSON-schema validator), so a student's
  ``check`` only pays it for an old notebook.
- The code: IPython's own input transformations turn magics and ``!`` lines into plain Python
  (``x = !ls`` becomes ``x = get_ipython().getoutput('ls')``; the sandbox's ``get_ipython()`` answers
  them), and a ``check(...)`` call or ``from ... import check`` is replaced by ``pass`` as a
  statement, so the rest of its cell still runs.

References: nbformat, https://nbformat.readthedocs.io; IPython's ``inputtransformer2``,
https://ipython.readthedocs.io/en/stable/config/inputtransforms.html.
"""
from __future__ import annotations

import ast
import functools
import json
import os
import re
import stat
import threading
from pathlib import Path

# CPython 3.11's AST constructor keeps a recursion counter that is not safe across threads
# ("AST constructor recursion depth mismatch" when two threads parse at once, as class grading's
# worker threads do): every parse in the grader's process takes this lock.
PARSE_LOCK = threading.Lock()


CACHED_CHARS = 20_000   # cells up to this size are parsed once per process; larger ones each time


def parse(source: str) -> ast.Module:
    """``ast.parse(source)``, one thread at a time, and once per text for ordinary cells: a class's
    notebooks share most of their cells, and each is inspected several times. A large cell is
    not kept, so a hostile notebook cannot fill the grader's memory. Never change the tree."""
    return _parse_once(source) if len(source) <= CACHED_CHARS else _parse(source)


@functools.lru_cache(maxsize=4096)
def _parse_once(source: str) -> ast.Module:
    return _parse(source)


def _parse(source: str) -> ast.Module:
    with PARSE_LOCK:
        return ast.parse(source)

MAX_BYTES = 5_000_000


def find(folder: Path, name: str) -> tuple:
    """(path or None, note or "") for notebook ``name`` in ``folder``: exact name first, then any case."""
    try:
        entries = sorted(os.listdir(folder))
    except OSError:
        return None, ""
    match = name if name in entries else next((e for e in entries if e.lower() == name.lower()), None)
    if match is None:
        return None, ""
    note = "" if match == name else f"{match} graded as {name} (file names are matched ignoring case)"
    return Path(folder) / match, note


def read(path: Path) -> bytes:
    """The bytes of a regular file, never through a symlink; ValueError naming the file otherwise."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as error:
        why = "a symbolic link; only regular files are graded" if os.path.islink(path) else str(error)
        raise ValueError(f"{path.name} is {why}") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ValueError(f"{path.name} is not a regular file")
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValueError(f"{path.name} is larger than {MAX_BYTES} bytes")
    return data


def code_cells(data: bytes, name: str = "notebook") -> list:
    """[(cell number, plain Python source)] of the code cells; ValueError if not a notebook."""
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        sources = _code_sources(data.decode("utf-8"))
        if not all(isinstance(source, str) for source in sources):
            raise TypeError("a cell's source is not text")
    except Exception as error:   # noqa: BLE001 - any way a hostile file can fail to parse
        raise ValueError(f"{name} is not a readable notebook ({type(error).__name__}: "
                         f"{str(error)[:200]})") from None
    transform = TransformerManager().transform_cell
    cells = []
    for number, source in enumerate(sources, 1):
        try:
            python = transform(source)
        except Exception:   # noqa: BLE001 - left as written; the sandbox reports the SyntaxError
            python = source
        cells.append((number, without_check_calls(python)))
    return cells


def _code_sources(text: str) -> list:
    """The code cells' sources of a notebook's JSON text, each joined into one string."""
    notebook = json.loads(text)
    if notebook["nbformat"] != 4:
        import nbformat

        notebook = nbformat.reads(text, as_version=4)
    sources = [cell["source"] for cell in notebook["cells"] if cell["cell_type"] == "code"]
    return ["".join(source) if isinstance(source, list) else source for source in sources]


def _is_check(node) -> bool:
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        func = node.value.func
        return (isinstance(func, ast.Name) and func.id == "check") or (
            isinstance(func, ast.Attribute) and func.attr == "check")
    if isinstance(node, ast.ImportFrom):            # from <the course's grading> import check
        return all(alias.name == "check" for alias in node.names)
    return False


def without_check_calls(source: str) -> str:
    """``source`` with each ``check(...)`` statement and each ``from ... import check`` replaced by
    ``pass`` (same lines, so error line numbers stay right); unchanged if it does not parse."""
    try:
        tree = parse(source)
    except (SyntaxError, ValueError):
        return source
    lines = source.splitlines(keepends=True)
    found = sorted((node for node in ast.walk(tree) if isinstance(node, ast.stmt) and _is_check(node)),
                   key=lambda node: (node.lineno, node.col_offset), reverse=True)
    for node in found:
        first, last = node.lineno - 1, node.end_lineno - 1
        head, tail = lines[first][:_chars(lines[first], node.col_offset)], lines[last][
            _chars(lines[last], node.end_col_offset):]
        lines[first:last + 1] = [head + "pass" + tail] + ["\n"] * (last - first)
    return "".join(lines)


def _chars(line: str, offset: int) -> int:
    """The character index of a UTF-8 byte offset (ast's col_offset) in ``line``."""
    return len(line.encode("utf-8")[:offset].decode("utf-8", errors="ignore"))



DEFINES = re.compile(r"^(?:async\s+)?(?:def|class)\s+(\w+)", re.M)


def cell_label(source: str) -> str:
    """How a student finds a cell: the function it defines, else its first line of code.

    >>> cell_label("import math\\ndef half_life(beta):\\n    return 1")
    'the cell defining half_life'
    >>> cell_label("# set-up\\nx0, steps, lr = np.array([3.0, 4.0]), 50, 0.1")
    'the cell starting `x0, steps, lr = np.array([3.0,...`'
    """
    names = DEFINES.findall(source)
    if names:
        return f"the cell defining {' and '.join(names[:2])}{' ...' if len(names) > 2 else ''}"
    lines = [line.strip() for line in source.splitlines()
             if line.strip() and not line.lstrip().startswith(("#", "get_ipython()"))]
    first = lines[0] if lines else "(empty)"
    return f"the cell starting `{first[:30] + '...' if len(first) > 33 else first}`"
