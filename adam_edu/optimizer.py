"""What the registry knows about one optimizer. Each optimizer's module declares its own entry.

An entry names the public ``init``/``step`` pair, the unchecked ``update`` that ``step`` calls after
checking its input, and how plots draw it. The defaults are not written here: they are read from the
step function's signature, and every value is checked by the rule for its name
(:data:`adam_edu._validate.HYPERPARAMETERS`).
"""
from __future__ import annotations

import inspect
from typing import Callable, NamedTuple

from adam_edu import _validate as validate


class Optimizer(NamedTuple):
    """One optimizer: its name, its functions and how plots draw it.

    Examples
    --------
    >>> from adam_edu import OPTIMIZERS
    >>> OPTIMIZERS["momentum"].defaults
    {'lr': 0.001, 'beta': 0.9}
    >>> OPTIMIZERS["momentum"].hyper(lr=0.1)
    {'lr': 0.1, 'beta': 0.9}
    """

    name: str
    label: str                 # for legends
    init: Callable
    step: Callable             # public, pure, checks its input
    update: Callable           # the same maths without checks
    color: str                 # a key of adam_edu.plots.PALETTE, the same in every lesson
    linestyle: str = "-"       # tells apart two optimizers that share a colour
    adam_like: bool = False    # has m and v (or v_max), so Adam's diagnostics apply

    @property
    def defaults(self) -> dict:
        """The keyword-only hyperparameters of ``step`` and their defaults, from its signature."""
        return {name: p.default for name, p in inspect.signature(self.step).parameters.items()
                if p.kind is p.KEYWORD_ONLY}

    def hyper(self, **overrides) -> dict:
        """Defaults updated with ``overrides``, checked; unknown names raise TypeError."""
        defaults = self.defaults
        unknown = sorted(set(overrides) - set(defaults))
        if unknown:
            raise TypeError(f"{self.name} has no hyperparameter {unknown[0]!r}; "
                            f"it takes {sorted(defaults)}.")
        return validate.hyperparameters(**{**defaults, **overrides})
