"""Marks a student did not earn: their function calls the library's own answer, or the grader.

Runs in the grader's process on the notebook's source (Python's ``ast``; nothing is executed). For
each function an exercise asks for, :func:`borrowed` follows that function's definition, and the
notebook's own functions it uses, and reports when it reaches

- a name of ``adam_edu`` listed as that function's answer (``ae.adam_step`` inside ``adam_step``,
  ``adam_step = ae.adam_step``, ``from adam_edu import adam_step``), or ``adam_edu`` dynamically
  (``getattr(ae, ...)``, ``vars(ae)``, ``ae.__dict__``);
- and, anywhere in the notebook (:func:`tampering`), an import of the grader's packages (``grader``,
  ``exercise_checks``, ``adam_edu.grading``), of the runner's module, of the interpreter's internals
  (``gc``, ``inspect``, ``sys.modules``, frames, ``__code__``), or code built from strings (``exec``,
  ``eval``, ``__import__``): the ways to replace the runner's collection of answers from inside.

It is a tripwire, not a proof: Python offers more roads than any list. What holds regardless is
that the answers are compared in the grader, on inputs drawn from a secret seed, so a forged reply
still needs a correct computation of Adam on inputs it sees only when its functions are called.
"""
from __future__ import annotations

import ast

from grader.notebook_source import parse


def _grader_module(name: str, hidden: tuple) -> bool:
    return any(name == module or name.startswith(module + ".") for module in ("grader", *hidden))


def _parse(cells: list) -> list:
    trees = []
    for _, source in cells:
        try:
            trees.append(parse(source))
        except (SyntaxError, ValueError):
            pass
    return trees


def _bindings(trees: list, library: str) -> tuple:
    """(module aliases of the library, {name: library name} from-imports, {name: last top-level node})."""
    modules, imported, defined = set(), {}, {}
    for tree in trees:
        for node in tree.body:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name == library or alias.name.startswith(library + "."):
                        modules.add(alias.asname or alias.name.split(".")[0])
            elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == library:
                for alias in node.names:
                    imported[alias.asname or alias.name] = alias.name
                    defined.pop(alias.asname or alias.name, None)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                defined[node.name] = node
                imported.pop(node.name, None)
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Name):
                        defined[target.id] = node.value
                        imported.pop(target.id, None)
    return modules, imported, defined


# Ways into the grading process's own machinery or around this inspection: code built from strings,
# the interpreter's internals (frames, the garbage collector, loaded modules), the runner's module.
DYNAMIC_CALLS = {"exec", "eval", "compile", "__import__", "breakpoint"}
INTERNAL_MODULES = {"gc", "inspect", "ctypes", "importlib", "builtins", "calls", "marshal", "pickle"}
INTERNAL_ATTRIBUTES = {"modules", "_getframe", "__code__", "__globals__", "__builtins__",
                       "__subclasses__", "__closure__", "f_globals", "f_back", "gi_frame"}


def tampering(cells: list, hidden: tuple = ()) -> list:
    """What in the notebook reaches into the grader (its packages, the runner, the interpreter's
    internals) or builds code from strings, as text for the student; [] for an ordinary notebook.
    ``hidden`` are the course's grading packages besides ``grader`` (dotted names)."""
    found = []
    for tree in _parse(cells):
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found += [f"import {a.name}" for a in node.names if _grader_module(a.name, hidden)
                          or a.name.split(".")[0] in INTERNAL_MODULES]
            elif isinstance(node, ast.ImportFrom) and (_grader_module(node.module or "", hidden) or (
                    node.module or "").split(".")[0] in INTERNAL_MODULES):
                found.append(f"from {node.module} import ...")
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and (
                    node.func.id in DYNAMIC_CALLS):
                found.append(f"{node.func.id}(...)")
            elif isinstance(node, ast.Attribute) and node.attr in INTERNAL_ATTRIBUTES:
                found.append(f".{node.attr}")
            elif isinstance(node, ast.Name) and node.id == "__builtins__":
                found.append("__builtins__")
    return sorted(set(found))


def borrowed(cells: list, function: str, answers: tuple, library: str) -> str:
    """Why ``function`` in these cells uses the library's answer (``answers``: names in the package
    ``library``), or ""."""
    modules, imported, defined = _bindings(_parse(cells), library)
    if function in imported and imported[function] in answers:
        return f"{function} is {library}'s own {imported[function]}, imported"
    seen, todo = set(), [function]
    while todo:
        name = todo.pop()
        if name in seen or name not in defined:
            continue
        seen.add(name)
        for node in ast.walk(defined[name]):
            why = _library_use(node, modules, imported, answers, library)
            if why:
                via = "" if name == function else f" (through {name})"
                return f"{function} uses {why}{via}"
            if isinstance(node, ast.Name) and node.id in defined:
                todo.append(node.id)
    return ""


def _root(node):
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _library_use(node, modules: set, imported: dict, answers: tuple, library: str) -> str:
    if isinstance(node, ast.Attribute) and (_root(node) in modules or _root(node) in imported):
        if node.attr in answers:
            return f"{library}'s own {node.attr}"
        if node.attr == "__dict__":
            return f"{library}'s namespace (__dict__)"
    if isinstance(node, ast.Name) and imported.get(node.id) in answers:
        return f"{library}'s own {imported[node.id]}"
    if isinstance(node, ast.Name) and node.id in imported and imported[node.id] not in answers:
        return ""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args:
        if node.func.id in ("getattr", "vars") and _root(node.args[0]) in modules:
            return f"{library} through {node.func.id}()"
    return ""
