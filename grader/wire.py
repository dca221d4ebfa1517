"""The grader's calls as JSON, for a student process that may import nothing of the grader's.

A call's arguments are plain values, numpy arrays and NamedTuples of a library the sandbox can see
(``adam_edu.AdamState``); they travel as tagged JSON (:func:`encode`, :func:`decode`). A call that is
*driven* (a loop that feeds each result into the next call) names its drive function, which
travels as source text with the modules it uses (:func:`driver`): the sandbox runs it without
importing the exercise's module, so the reference answers and the mistake models stay outside.
Only the grader's own data is ever decoded here; what a student's process sends back is plain
JSON, checked by :func:`grader.channel.accept`.

>>> import numpy as np, collections
>>> decode(encode([np.array([1.0, 2.0]), (3, "x"), {"k": 0.5}]))
[array([1., 2.]), (3, 'x'), {'k': 0.5}]
"""
from __future__ import annotations

import importlib
import inspect
import textwrap
import types

import numpy as np

def _visible(module: str, hidden: tuple) -> bool:
    return not any(module == h or module.startswith(h + ".") for h in ("grader", *hidden))


def encode(value, hidden: tuple = ()):
    """``value`` as tagged JSON-ready data; its NamedTuple types must not come from ``grader`` or
    the packages ``hidden`` (which the sandbox cannot import)."""
    if isinstance(value, np.ndarray):
        return {"ndarray": value.tolist(), "dtype": value.dtype.str}
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        kind = type(value)
        if not _visible(kind.__module__, hidden):
            raise ValueError(f"{kind.__qualname__} is defined in {kind.__module__}, which the "
                             f"sandbox cannot import; use a type from the library or a plain dict.")
        return {"namedtuple": f"{kind.__module__}:{kind.__qualname__}",
                "fields": [encode(item, hidden) for item in value]}
    if isinstance(value, tuple):
        return {"tuple": [encode(item, hidden) for item in value]}
    if isinstance(value, list):
        return [encode(item, hidden) for item in value]
    if isinstance(value, dict):
        return {"dict": [[key, encode(item, hidden)] for key, item in value.items()]}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise ValueError(f"a call argument of type {type(value).__name__} cannot be sent to a student.")


def decode(data):
    """The value :func:`encode` made (run on the grader's data only)."""
    if isinstance(data, list):
        return [decode(item) for item in data]
    if not isinstance(data, dict):
        return data
    if "ndarray" in data:
        return np.array(data["ndarray"], dtype=np.dtype(data["dtype"]))
    if "namedtuple" in data:
        module, name = data["namedtuple"].split(":")
        kind = importlib.import_module(module)
        for part in name.split("."):
            kind = getattr(kind, part)
        return kind(*(decode(item) for item in data["fields"]))
    if "tuple" in data:
        return tuple(decode(item) for item in data["tuple"])
    return {key: decode(item) for key, item in data["dict"]}


def driver(function, hidden: tuple = ()) -> dict:
    """A drive function as ``{"name", "source", "modules": {global name: module}}``; it may use
    modules the sandbox can import (not ``grader``, not ``hidden``), and nothing else of its module."""
    modules = {name: value.__name__ for name, value in function.__globals__.items()
               if isinstance(value, types.ModuleType) and _visible(value.__name__, hidden)}
    return {"name": function.__name__, "source": textwrap.dedent(inspect.getsource(function)),
            "modules": modules}


def load_driver(spec: dict):
    """The function :func:`driver` described, defined afresh (inside the sandbox)."""
    namespace = {name: importlib.import_module(module) for name, module in spec["modules"].items()}
    source = "from __future__ import annotations\n" + spec["source"]     # annotations stay text
    exec(compile(source, f"<drive {spec['name']}>", "exec"), namespace)   # noqa: S102
    return namespace[spec["name"]]
