"""Compare plain data and say where it differs: the path to the first difference, and how to show it.

Everything here runs in the grader's process on plain data (numbers, lists, dicts) that a student's
process sent back, or on the grader's own call arguments.
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from grader.calls import to_plain

RTOL, ATOL = 1e-6, 1e-9


class Difference(NamedTuple):
    """Where two results part: ``path`` leads from the top of the result to the differing part,
    as dict keys and list indices (``(1, "t")`` is the ``t`` of the second item)."""

    path: tuple
    got: object
    want: object
    why: str = ""


def difference(got, want, path: tuple = ()) -> Difference | None:
    """None if ``got`` matches ``want``; else the first :class:`Difference`.

    Numbers match to a relative 1e-6 (nan matches nan, inf matches inf of the same sign); lists
    must have the same length; a list may stand for a NamedTuple given as a dict.

    Examples
    --------
    >>> difference([1.0, 2.0], [1.0, 2.0 + 1e-12]) is None
    True
    >>> difference({"t": 0, "m": [0.1]}, {"t": 1, "m": [0.1]})
    Difference(path=('t',), got=0, want=1, why='')
    """
    if isinstance(want, bool) or want is None:
        return None if got == want else Difference(path, got, want)
    if isinstance(want, (int, float)):
        if isinstance(got, bool) or not isinstance(got, (int, float)):
            return Difference(path, got, want, "not a number")
        if math.isnan(want) and math.isnan(got):
            return None
        close = math.isclose(got, want, rel_tol=RTOL, abs_tol=ATOL)
        return None if close else Difference(path, got, want)
    if isinstance(want, dict):
        if isinstance(got, list) and len(got) == len(want):   # a plain tuple for a NamedTuple
            got = dict(zip(want, got))
        if not isinstance(got, dict) or set(got) != set(want):
            return Difference(path, got, want, "not the same kind of result")
        return next(filter(None, (difference(got[k], want[k], (*path, k)) for k in want)), None)
    if not isinstance(got, list):
        return Difference(path, got, want, "not a list or array")
    if len(got) != len(want):
        return Difference(path, got, want, f"length {len(got)}, expected {len(want)}")
    return next(filter(None, (difference(g, w, (*path, i)) for i, (g, w) in
                              enumerate(zip(got, want)))), None)


def show(value, limit=6) -> str:
    """A short, readable rendering of plain data (4 significant digits, long lists cut).

    >>> show([0.123456, 2.0, {"t": 1, "m": [0.6]}])
    '[0.1235, 2, {t: 1, m: [0.6]}]'
    """
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list):
        items = [show(v, limit) for v in value[:limit]]
        return "[" + ", ".join(items + (["..."] if len(value) > limit else [])) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {show(v, limit)}" for k, v in list(value.items())[:limit]) + "}"
    return repr(value)[:80]


def show_pair(got, want) -> tuple[str, str, str]:
    """``got`` and ``want`` with enough significant digits to differ, and the relative error.

    Two numbers that differ past the 4th digit are shown to the first digit where they part
    (up to 17), so the student never reads "got 2.9; expected 2.9"; anything else is :func:`show`.

    >>> show_pair(0.0016011, 0.0016013)
    ('0.0016011', '0.0016013', ' (relative error 1.2e-04)')
    >>> show_pair(2.90002, 2.9)[:2]
    ('2.90002', '2.90000')
    >>> show_pair(2.0, 3.0)
    ('2', '3', ' (relative error 3.3e-01)')
    """
    numbers = all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in (got, want))
    if not numbers or not all(math.isfinite(x) for x in (got, want)):
        return show(got), show(want), ""
    digits = next((d for d in range(4, 18) if f"{got:.{d}g}" != f"{want:.{d}g}"), 17)
    error = f" (relative error {abs(got - want) / abs(want):.1e})" if want else ""
    form = f"#.{digits}g" if digits > 4 else ".4g"       # past 4 digits keep the trailing zeros
    return format(got, form), format(want, form), error


def show_argument(value) -> str:
    """A call argument as a student would read it: arrays as lists, ``State(t=0, m=[0])``.

    >>> import numpy as np
    >>> show_argument(np.array([3.0, 4.0]))
    '[3, 4]'
    """
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        fields = ", ".join(f"{f}={show(to_plain(getattr(value, f)))}" for f in value._fields)
        return f"{type(value).__name__}({fields})"
    return show(to_plain(value)) if isinstance(value, np.ndarray) else repr(value)


def describe(call) -> str:
    """The call as a student would write it, with the grader's inputs (or the call's own text)."""
    if call.text:
        return call.text
    parts = [f"{name}={show_argument(value)}" for name, value in call.args]
    parts += [f"{key}={show_argument(value)}" for key, value in call.kwargs.items()]
    return f"{call.fn}({', '.join(parts)})"


def path_text(path: tuple) -> str:
    """``(1, "t", 0)`` as ``[1].t[0]``."""
    return "".join(f"[{key}]" if isinstance(key, int) else f".{key}" for key in path)


def label(path: tuple, names: tuple = (), call=None) -> str:
    """Name the part of a result at ``path``: the call's own label, ``new_state.t`` (from the
    names of a returned tuple's parts), or ``the result[1]``."""
    named = call.label(path) if call is not None and call.label is not None else None
    if named:
        return named
    if path and isinstance(path[0], int) and path[0] < len(names):
        return names[path[0]] + path_text(path[1:])
    return "the result" + path_text(path)
