"""One registry of every optimizer, with its defaults. Adding one here adds it to every property test.

Each entry knows its public ``init``/``step`` pair, the unchecked ``update`` that ``step`` calls after
checking its input, and ``check`` that validates hyperparameters once (what :func:`adam_edu.run`
uses to record a long trajectory without re-checking at every step).
"""
from __future__ import annotations

from typing import Callable, NamedTuple

from adam_edu import _validate as check
from adam_edu import adam, family, variants


class Optimizer(NamedTuple):
    """One optimizer: its name, its functions and its default hyperparameters."""

    name: str
    label: str                 # for legends
    init: Callable
    step: Callable             # public, pure, checks its input
    update: Callable           # the same maths without checks
    check: Callable            # **hyper -> dict of checked hyperparameters
    defaults: dict
    adam_like: bool            # has m and v (or v_max), so Adam's diagnostics apply

    def hyper(self, **overrides) -> dict:
        """Defaults updated with ``overrides``, checked; unknown names raise TypeError."""
        unknown = sorted(set(overrides) - set(self.defaults))
        if unknown:
            raise TypeError(f"{self.name} has no hyperparameter {unknown[0]!r}; "
                            f"it takes {sorted(self.defaults)}.")
        return self.check(**{**self.defaults, **overrides})


def _checker(**rules):
    def checked(**hyper):
        return {name: rules[name](name, value) for name, value in hyper.items()}
    return checked


_ADAM = dict(lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, bias_correction=True)

OPTIMIZERS: dict[str, Optimizer] = {opt.name: opt for opt in [
    Optimizer("adam", "Adam", adam.adam_init, adam.adam_step, adam.adam_update,
              adam.adam_hyper, dict(_ADAM), True),
    Optimizer("amsgrad", "AMSGrad", variants.amsgrad_init, variants.amsgrad_step,
              variants.amsgrad_update, adam.adam_hyper, dict(_ADAM), True),
    Optimizer("adam_l2", "Adam + L2", adam.adam_init, variants.adam_l2_step, variants.adam_l2_update,
              variants.adam_wd_hyper, dict(_ADAM, weight_decay=0.01), True),
    Optimizer("adamw", "AdamW", adam.adam_init, variants.adamw_step, variants.adamw_update,
              variants.adam_wd_hyper, dict(_ADAM, weight_decay=0.01), True),
    Optimizer("adamax", "AdaMax", variants.adamax_init, variants.adamax_step, variants.adamax_update,
              _checker(lr=check.positive, beta1=check.beta, beta2=check.beta, eps=check.non_negative),
              dict(lr=2e-3, beta1=0.9, beta2=0.999, eps=0.0), False),
    Optimizer("sgd", "SGD", family.sgd_init, family.sgd_step, family.sgd_update,
              _checker(lr=check.positive), dict(lr=1e-3), False),
    Optimizer("momentum", "Momentum", family.momentum_init, family.momentum_step,
              family.momentum_update, _checker(lr=check.positive, beta=check.beta),
              dict(lr=1e-3, beta=0.9), False),
    Optimizer("nesterov", "Nesterov", family.nesterov_init, family.nesterov_step,
              family.nesterov_update, _checker(lr=check.positive, beta=check.beta),
              dict(lr=1e-3, beta=0.9), False),
    Optimizer("adagrad", "AdaGrad", family.adagrad_init, family.adagrad_step, family.adagrad_update,
              _checker(lr=check.positive, eps=check.non_negative), dict(lr=1e-2, eps=1e-10), False),
    Optimizer("rmsprop", "RMSProp", family.rmsprop_init, family.rmsprop_step, family.rmsprop_update,
              _checker(lr=check.positive, beta=check.beta, eps=check.non_negative,
                       bias_correction=check.flag),
              dict(lr=1e-2, beta=0.99, eps=1e-8, bias_correction=False), False),
]}


def get_optimizer(name) -> Optimizer:
    """The registry entry for ``name`` (an :class:`Optimizer` is returned as it is)."""
    if isinstance(name, Optimizer):
        return name
    if name not in OPTIMIZERS:
        raise ValueError(f"optimizer == {name!r}, must be one of {sorted(OPTIMIZERS)}.")
    return OPTIMIZERS[name]
