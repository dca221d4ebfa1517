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
