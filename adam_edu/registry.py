"""Every optimizer by name. Each module declares its entries in ``REGISTERED``; this collects them.

Adding an optimizer to a module's ``REGISTERED`` adds it to :func:`adam_edu.run`, to the plots'
colours and to every property test; ``tests/test_optimizers.py`` fails if a ``*_step`` function
of the package is not registered, or if its row in the test table is missing.
"""
from __future__ import annotations

from adam_edu import adam, family, variants
from adam_edu.optimizer import Optimizer

OPTIMIZERS: dict[str, Optimizer] = {opt.name: opt for module in (adam, variants, family)
                                    for opt in module.REGISTERED}


def get_optimizer(name) -> Optimizer:
    """The registry entry for ``name`` (an :class:`Optimizer` is returned as it is)."""
    if isinstance(name, Optimizer):
        return name
    if name not in OPTIMIZERS:
        raise ValueError(f"optimizer == {name!r}, must be one of {sorted(OPTIMIZERS)}.")
    return OPTIMIZERS[name]
