"""adam_edu: Adam and its family, from scratch in numpy, for the adam-edu course.

Every optimizer is a pure ``<name>_init`` / ``<name>_step`` pair (see ``OPTIMIZERS``); objectives,
a trajectory recorder and plot helpers support the lessons. The README's glossary maps every name to
its symbol.
"""
from adam_edu.adam import (AdamState, Diagnostics, adam_diagnostics, adam_init, adam_step,
                           diagnostics_from_moments)
from adam_edu.family import (AdaGradState, MomentumState, RMSPropState, SGDState, adagrad_init,
                             adagrad_step, momentum_init, momentum_step, nesterov_init, nesterov_step,
                             rmsprop_init, rmsprop_step, sgd_init, sgd_step)
from adam_edu.objectives import (Objective, bowl, ill_conditioned, noisy, numerical_grad,
                                 rosenbrock, rotated_quadratic, saddle, wavy)
from adam_edu.registry import OPTIMIZERS, Optimizer, get_optimizer
from adam_edu.runner import Trajectory, run
from adam_edu.tree import global_norm, tree_init, tree_step, tree_update
from adam_edu.variants import (AdaMaxState, AMSGradState, adam_l2_step, adamax_init, adamax_step,
                               adamw_step, amsgrad_init, amsgrad_step)

adam_l2_init = adamw_init = adam_init   # L2 and AdamW keep Adam's state

__all__ = [name for name in dir() if not name.startswith("_")]
__version__ = "0.1.0"
