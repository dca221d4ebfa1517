"""Output that cannot attack its reader: the terminal, a spreadsheet, the file system.

Everything the grader prints or writes can hold text a student chose (an exception message, a folder
name). Escape sequences in it could rewrite the instructor's terminal; a gradebook cell starting with
``=`` is a formula to a spreadsheet (OWASP, "CSV Injection"); a gradebook half written when a
run stops is worse than none.

>>> clean("ok\\x1b[2J\\x1b]0;pwned\\x07 done\\u202e")
'ok[2J]0;pwned done'
>>> [csv_cell(v) for v in ("=HYPERLINK(1)", "+1", "-x", "@a", "alice", 3, -2)]
["'=HYPERLINK(1)", "'+1", "'-x", "'@a", 'alice', 3, -2]
"""
from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

# C0 and C1 control characters except newline and tab, and the Unicode bidirectional overrides
# that make text display in another order than it is read.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def clean(text) -> str:
    """``text`` with control characters removed (newlines and tabs kept), for a terminal or a report."""
    return _CONTROL.sub("", str(text))


def csv_cell(value):
    """A gradebook cell: text that a spreadsheet would read as a formula gets a leading ``'``."""
    if isinstance(value, str):
        value = clean(value)
        return "'" + value if value.startswith(FORMULA_START) else value
    return value


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` by renaming a finished temporary file over it: a reader (or a
    crash) sees the old file or the new one, never half of one."""
    path = Path(path)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise

