"""adam_edu: Adam and its family, from scratch in numpy, for the adam-edu course.

Every optimizer is a pure ``<name>_init`` / ``<name>_step`` pair (see ``OPTIMIZERS``); objectives,
a trajectory recorder (``run``) and the submodules the lessons use (``bias``, ``ema``, ``snr``,
``plots``) support the lessons. The README's glossary maps every name to its symbol.
"""
from adam_edu import adam, bias, ema, family, objectives, plots, snr, variants
from adam_edu.adam import (AdamState, Diagnostics, adam_diagnostics, adam_init, adam_step,
                           diagnostics_from_moments)
from adam_edu.family import (AdaGradState, MomentumState, RMSPropState, SGDState, adagrad_init,
                             adagrad_step, momentum_init, momentum_step, nesterov_init, nesterov_step,
                             rmsprop_init, rmsprop_step, sgd_init, sgd_step)
from adam_edu.objectives import (OBJECTIVES, Objective, bowl, ill_conditioned, noisy, numerical_grad,
                                 rosenbrock, rotated_quadratic, saddle, scaled, wavy)
from adam_edu.optimizer import Optimizer
from adam_edu.registry import OPTIMIZERS, get_optimizer
from adam_edu.trajectory import Trajectory, run
from adam_edu.variants import (AdaMaxState, AMSGradState, adam_l2_init, adam_l2_step, adamax_init,
                               adamax_step, adamw_init, adamw_step, amsgrad_init, amsgrad_step)

__all__ = [
    # Adam (Algorithm 1) and what a lesson inspects after a step
    "AdamState", "Diagnostics", "adam_init", "adam_step", "adam_diagnostics",
    "diagnostics_from_moments",
    # Adam's variants
    "AMSGradState", "amsgrad_init", "amsgrad_step", "adam_l2_init", "adam_l2_step",
    "adamw_init", "adamw_step", "AdaMaxState", "adamax_init", "adamax_step",
    # the optimizers Adam is compared with
    "SGDState", "sgd_init", "sgd_step", "MomentumState", "momentum_init", "momentum_step",
    "nesterov_init", "nesterov_step", "AdaGradState", "adagrad_init", "adagrad_step",
    "RMSPropState", "rmsprop_init", "rmsprop_step",
    # every optimizer by name, and recording a run
    "OPTIMIZERS", "Optimizer", "get_optimizer", "Trajectory", "run",
    # objectives
    "Objective", "OBJECTIVES", "bowl", "wavy", "ill_conditioned", "rotated_quadratic", "rosenbrock",
    "saddle", "noisy", "scaled", "numerical_grad",
    # submodules the lessons use as ae.<name>
    "bias", "ema", "snr", "plots",
]
__version__ = "0.1.0"
