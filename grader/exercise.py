"""The vocabulary an exercise module is written in: calls, criteria with points, named mistakes.

An exercise module builds one :class:`Exercise`. The engine runs each criterion's calls on the
student's functions (in the student's process) and on the reference and the mistake models (in the
grader's), and compares what came back. Nothing here knows what the exercise is about.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, NamedTuple


class Call(NamedTuple):
    """One call of a student's function on the grader's inputs.

    ``args`` are ``(name, value)`` pairs, so feedback can show ``step(params=[3, 4], ...)``;
    values are deep-copied before every call. With ``drive``, the engine calls
    ``drive(function, *args, **kwargs)`` instead of the function itself (a loop feeding each result
    into the next call, say); ``text`` then says in words what was done, and ``label(path)`` may
    name a part of the driven result (or return None).
    """

    fn: str
    args: tuple = ()
    kwargs: dict = {}
    drive: Callable | None = None
    text: str = ""
    label: Callable | None = None


def call(fn: str, *args, **kwargs) -> Call:
    """``call("ema", ("values", x), ("beta", 0.5), lr=0.1)``: a plain call with named arguments."""
    return Call(fn, tuple(args), kwargs)


class Criterion(NamedTuple):
    """One graded property of one task, worth ``points``, judged on all of its ``calls``.

    ``names`` label the parts of a returned tuple (``("new_params", "new_state")``). A ``pure``
    criterion asks in addition that no call modifies its inputs; its answers must still be right,
    so a stub that returns zeros and leaves its inputs alone earns nothing.
    """

    id: str
    task: int
    points: int
    title: str
    calls: tuple
    names: tuple = ()
    pure: bool = False


class Mistake(NamedTuple):
    """A catalogued misconception: its title and hint, and how it looks.

    ``models`` are namespaces ``{function name: function}`` written with this mistake: a student's
    answer equal to a model's is named this mistake. ``written`` is the mistake as a student writes
    it, ``(old, new)`` text replacements in the solution notebook's code cells (each matching once):
    the fixture student that proves the grader recognises real code. ``raises`` names exceptions
    the mistake typically causes (a division by zero), named when a call sensitive to it raises one.
    """

    name: str
    title: str
    hint: str
    models: tuple = ()
    written: tuple = ()
    raises: tuple = ()


@dataclass(frozen=True, eq=False)
class Exercise:
    """One exercise notebook: its name (``"ex03"``), file, title, tasks and criteria.

    ``tasks`` maps each task number to the function it asks for; ``reference`` holds the functions
    a perfect student would write; ``mistakes`` are tried in order (the first model that matches is
    named); ``mutation`` is the mistake named when a pure criterion sees an input modified.
    ``uses`` maps a task's function to the other task functions it calls, so a failure caused by
    one of them names it; ``questions`` maps a task number to a written-answer question, listed in
    the scorecard as not auto-graded.
    """

    name: str
    notebook: str
    title: str
    tasks: dict
    criteria: tuple
    reference: dict
    mistakes: tuple = ()
    mutation: Mistake | None = None
    uses: dict = field(default_factory=dict)
    questions: dict = field(default_factory=dict)

    def __post_init__(self):
        ids = [criterion.id for criterion in self.criteria]
        if len(set(ids)) != len(ids) or not all(i.startswith(self.name + ".") for i in ids):
            raise ValueError(f"{self.name}: criterion ids {ids} must be unique and start with "
                             f"{self.name + '.'!r}.")
        missing = {c.fn for r in self.criteria for c in r.calls} - set(self.reference)
        if missing:
            raise ValueError(f"{self.name}: the reference defines no {', '.join(sorted(missing))}.")

    @property
    def max_points(self) -> int:
        """Total points of the exercise."""
        return sum(criterion.points for criterion in self.criteria)
