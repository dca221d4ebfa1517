r"""Adam + L2 against AdamW (decoupled weight decay): a quadratic with a closed form, and the digits.

L2 adds :math:`\lambda\theta` to the gradient, so Adam divides the decay by :math:`\sqrt{\hat v_t}`
with the rest; AdamW shrinks the weights outside Adam. On
:math:`f(\theta) = \tfrac12\sum_i h_i(\theta_i - \theta^*_i)^2` they converge to different points:

* Adam + L2 to the ridge solution, the minimiser of :math:`f + \tfrac\lambda2\|\theta\|^2`:
  :math:`\theta_i = h_i\theta^*_i/(h_i + \lambda)`;
* AdamW to the minimiser of :math:`f` under :math:`\|\theta\|_\infty \le 1/\lambda`:
  :math:`\theta_i = \mathrm{clip}(\theta^*_i, -1/\lambda, 1/\lambda)`. (At its fixed point
  :math:`\hat m/\sqrt{\hat v} = -\lambda\theta`, and :math:`|\hat m/\sqrt{\hat v}| \le 1` for a
  settled gradient.)

The decay's units differ between conventions: Loshchilov & Hutter decay by :math:`\eta_t\lambda`
(:math:`\eta_t` the schedule's multiplier, without α), PyTorch and Keras by
:math:`\text{lr}\cdot\lambda`. At a fixed lr the same decay needs
:math:`\lambda_{paper} = \text{lr}\cdot\lambda_{torch}`.

References
----------
I. Loshchilov and F. Hutter, "Decoupled Weight Decay Regularization", ICLR 2019.

Taught in lessons/07_when_adam_fails.ipynb.
"""
from __future__ import annotations

import numpy as np

from adam_edu import _validate as validate
from adam_edu import nn, schedules
from adam_edu.data import load_digits_split
from adam_edu.training import _metrics, _stack, batch_order
from adam_edu.tree import tree_init
from adam_edu.variants import adam_l2_update, adamw_init, adamw_update

CURVATURES = np.array([1.0, 100.0])   # h
TARGET = np.array([4.0, 0.5])         # θ*


def ridge_solution(weight_decay, h=CURVATURES, target=TARGET) -> np.ndarray:
    """Where Adam + L2 converges: :math:`h_i\\theta^*_i/(h_i + \\lambda)`."""
    return h * target / (h + validate.non_negative("weight_decay", weight_decay))


def box_solution(weight_decay, target=TARGET) -> np.ndarray:
    """Where AdamW converges: :math:`\\mathrm{clip}(\\theta^*_i, \\pm 1/\\lambda)`."""
    bound = 1 / validate.positive("weight_decay", weight_decay)
    return np.clip(target, -bound, bound)


def quadratic_runs(weight_decay=0.5, *, lr=0.05, steps=10_000, h=CURVATURES, target=TARGET):
    """Final θ of Adam + L2 and of AdamW (PyTorch form) from θ = 0, α cosine-annealed from ``lr``.

    >>> l2, w = quadratic_runs()
    >>> l2.round(4), w.round(2)
    (array([2.6667, 0.4975]), array([2. , 0.5]))
    """
    weight_decay = validate.non_negative("weight_decay", weight_decay)
    lr = validate.positive("lr", lr)
    factor = schedules.factors("cosine", validate.step_number("steps", steps))
    hyper = dict(beta1=0.9, beta2=0.999, eps=1e-8, bias_correction=True, weight_decay=weight_decay)
    ends = []
    for update in (adam_l2_update, adamw_update):          # the step functions, unchecked
        params, state = np.zeros_like(target), adamw_init(np.zeros_like(target))
        for f in factor[factor > 0]:                        # the last factor is 0
            grads = h * (params - target)                   # ∇f
            params, state = update(params, grads, state, lr=lr * f, **hyper)
        ends.append(params)
    return tuple(ends)


def digits_grid(optimizer, lrs, decays, seeds=(0,), *, epochs=4, batch_size=32):
    """Test error of the digits MLP for every (λ, α, seed), trained in one stack of networks.

    ``optimizer`` is ``"adam_l2"`` (λ added to the gradient) or ``"adamw"`` with the paper's
    convention: the weights shrink by :math:`\\eta_t\\lambda` per step whatever α is (PyTorch's
    ``weight_decay`` would be :math:`\\lambda/\\alpha`). α is cosine-annealed over the run.
    Returns an array of shape (len(decays), len(lrs), len(seeds)).
    """
    update = {"adam_l2": adam_l2_update, "adamw": adamw_update}.get(optimizer)
    if update is None:
        raise ValueError(f"optimizer == {optimizer!r}, must be 'adam_l2' or 'adamw'.")
    lrs = np.array([validate.positive("lr", a) for a in lrs])
    decays = np.array([validate.non_negative("weight_decay", d) for d in decays])
    seeds = [validate.count("seed", s) for s in seeds]
    split = load_digits_split()
    shape = (len(decays), len(lrs), len(seeds))
    grid_decay, grid_lr, _ = np.meshgrid(decays, lrs, seeds, indexing="ij")
    lr, decay = grid_lr.ravel(), grid_decay.ravel()      # one run per (λ, α, seed)
    if optimizer == "adamw":
        decay = decay / lr                          # PyTorch's λ that decays by η_t·λ_paper
    params = _stack([nn.init_mlp(s) for _ in range(len(decays) * len(lrs)) for s in seeds])
    states = tree_init("adamw", params)
    batches = [batch_order(s, len(split.y_train), epochs, batch_size) for s in seeds]
    factor = schedules.factors("cosine", len(batches[0]))
    for step, eta in enumerate(factor):
        index = np.stack([batches[s][step] for s in range(len(seeds))] * (len(decays) * len(lrs)))
        _, grads = nn.loss_and_grads(params, split.x_train[index], split.y_train[index])
        for k in params:
            shape_k = (-1,) + (1,) * (params[k].ndim - 1)
            params[k], states[k] = update(params[k], grads[k], states[k], lr=(eta * lr).reshape(shape_k),
                                          beta1=0.9, beta2=0.999, eps=1e-8, bias_correction=True,
                                          weight_decay=decay.reshape(shape_k))
    return 1 - _metrics(params, split, shape)[-1]
