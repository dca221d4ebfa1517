"""One row per registered optimizer, like PyTorch's ``OptimizerInfo``: what the property tests run.

A row holds the optimizer's documented defaults (pinned: a changed default in a step's signature
fails ``tests/test_hyperparameters.py``), a learning rate at which it visibly descends the bowl, the
extra configurations every property runs with (bias correction off, weight decay on, ε = 0, ...) and
the error inputs it must refuse, with their messages. Adding an optimizer: its module's
``REGISTERED`` entry and one row here; a test fails while either is missing.
"""
from __future__ import annotations

from typing import NamedTuple


class OptimizerInfo(NamedTuple):
    name: str
    defaults: dict             # the paper's or PyTorch's defaults, as documented
    lr: float                  # descends the bowl from (3, 4) visibly within 20 steps
    configs: tuple = ()        # hyperparameter sets run besides the defaults
    errors: tuple = ()         # (hyperparameters, exception, message) beyond the shared errors


def _range_error(name, value, interval):
    escaped = interval.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[").replace("]", r"\]")
    return ({name: value}, ValueError, rf"^{name} == {value!r}, must be in {escaped}\.$")


BETA_ERRORS = {name: (_range_error(name, 1.0, "[0, 1)"), _range_error(name, -0.1, "[0, 1)"))
               for name in ("beta", "beta1", "beta2")}
EPS_ERRORS = (_range_error("eps", -1e-08, "[0, inf)"),)
FLAG_ERRORS = (({"bias_correction": 0.9}, TypeError, r"^bias_correction must be True or False, got 0.9\.$"),
               ({"bias_correction": 1}, TypeError, r"^bias_correction must be True or False, got 1\.$"))

ADAM_DEFAULTS = dict(lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, bias_correction=True)
ADAM_CONFIGS = (dict(bias_correction=False), dict(eps=0.0), dict(beta1=0.0, beta2=0.5),
                dict(bias_correction=False, eps=0.0))
ADAM_ERRORS = BETA_ERRORS["beta1"] + BETA_ERRORS["beta2"] + EPS_ERRORS + FLAG_ERRORS
DECAY_DEFAULTS = dict(ADAM_DEFAULTS, weight_decay=0.01)
DECAY_CONFIGS = ADAM_CONFIGS + (dict(weight_decay=0.0), dict(weight_decay=0.1),
                                dict(weight_decay=0.1, bias_correction=False))
DECAY_ERRORS = ADAM_ERRORS + (_range_error("weight_decay", -0.5, "[0, inf)"),)

INFO = {info.name: info for info in [
    OptimizerInfo("adam", ADAM_DEFAULTS, 0.1, ADAM_CONFIGS, ADAM_ERRORS),
    OptimizerInfo("amsgrad", ADAM_DEFAULTS, 0.1, ADAM_CONFIGS, ADAM_ERRORS),
    OptimizerInfo("adam_l2", DECAY_DEFAULTS, 0.1, DECAY_CONFIGS, DECAY_ERRORS),
    OptimizerInfo("adamw", DECAY_DEFAULTS, 0.1, DECAY_CONFIGS, DECAY_ERRORS),
    OptimizerInfo("adamax", dict(lr=2e-3, beta1=0.9, beta2=0.999, eps=0.0), 0.1,
                  (dict(eps=1e-8), dict(beta1=0.0)),
                  BETA_ERRORS["beta1"] + BETA_ERRORS["beta2"] + EPS_ERRORS),
    OptimizerInfo("sgd", dict(lr=1e-3), 0.1),
    OptimizerInfo("momentum", dict(lr=1e-3, beta=0.9), 0.05, (dict(beta=0.0),), BETA_ERRORS["beta"]),
    OptimizerInfo("nesterov", dict(lr=1e-3, beta=0.9), 0.05, (dict(beta=0.0),), BETA_ERRORS["beta"]),
    OptimizerInfo("adagrad", dict(lr=1e-2, eps=1e-10), 0.5, (dict(eps=0.0),), EPS_ERRORS),
    OptimizerInfo("rmsprop", dict(lr=1e-2, beta=0.99, eps=1e-8, bias_correction=False), 0.05,
                  (dict(bias_correction=True), dict(eps=0.0)),
                  BETA_ERRORS["beta"] + EPS_ERRORS + FLAG_ERRORS),
]}

# (name, hyperparameters) for every optimizer: its defaults, then each of its configs.
CASES = [(name, config) for name, info in INFO.items() for config in ({}, *info.configs)]
CASE_IDS = [name + "".join(f"-{k}={v}" for k, v in config.items()) for name, config in CASES]
# (name, hyperparameters, exception, message) for every optimizer's own error inputs.
ERRORS = [(name, *error) for name, info in INFO.items() for error in info.errors]
ERROR_IDS = [f"{name}-{next(iter(hyper))}={hyper[next(iter(hyper))]!r}"
             for name, hyper, _, _ in ERRORS]
