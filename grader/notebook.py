"""Read the code a grader runs from a notebook file: plain JSON, no Jupyter machinery."""
from __future__ import annotations

import json
import os
import re

# Cells that import or call ``check``: the in-notebook grader, never run when grading from files.
CHECK_CELL = re.compile(r"^\s*(?:from\s+\S+\s+import\s+check\b|check\s*\()", re.M)


def code_cells(path) -> list:
    """The code cells to run, as (cell number, source); raises ValueError if unreadable.

    Cells that import or call ``check`` are left out; IPython magics and shell lines (``%``,
    ``!``) become comments, so the rest runs as plain Python.
    """
    try:
        with open(path, encoding="utf-8") as handle:
            notebook = json.load(handle)
        cells = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
        sources = [cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
                   for cell in cells]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
        raise ValueError(f"{os.path.basename(path)} is not a readable notebook ({error})") from None
    return [(number, _plain_python(source)) for number, source in enumerate(sources, 1)
            if not CHECK_CELL.search(source)]


def _plain_python(source: str) -> str:
    return "\n".join("pass  # " + line if line.lstrip().startswith(("%", "!")) else line
                     for line in source.splitlines())


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
             if line.strip() and not line.lstrip().startswith(("#", "pass  # "))]
    first = lines[0] if lines else "(empty)"
    return f"the cell starting `{first[:30] + '...' if len(first) > 33 else first}`"
